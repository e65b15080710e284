/* Valid arguments of every kind the C API takes, for the generated boundary
 * test (tests/c/gen_boundary.py): one live handle of each type, strings the
 * calls accept, and a fresh chat reading for the calls that consume one. */
#ifndef MK_TEST_BOUNDARY_FIXTURES_H
#define MK_TEST_BOUNDARY_FIXTURES_H

#include "memberkit.h"

#include <stdio.h>
#include <stdlib.h>

#define FX_PLANS                                                                                         \
    "[{\"id\":\"regular\",\"name\":\"Regular\",\"price\":{\"amount\":\"8800\",\"currency\":\"JPY\"},"  \
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1}}]"
#define FX_JOINED                                                                                        \
    "{\"type\":\"joined\",\"on\":\"2026-04-01\",\"plan\":\"regular\",\"applied_on\":\"2026-03-25\","    \
    "\"paid_from\":\"2026-04-01\",\"admission_fee\":null,\"rejoin\":false}"
#define FX_AT "2026-06-01T09:00:00+09:00"
#define FX_AT_UNIX 1780272000LL
#define FX_JST 32400

static const char FX_CLUB[] = "{\"catalog\":" FX_PLANS ",\"billing\":{\"collection\":{\"kind\":\"debit_day\",\"day\":27}}}";
static const char FX_EVENTS[] = "[" FX_JOINED "]";
static const char FX_DUNNING_POLICY[] =
    "{\"currency\":\"JPY\",\"grace_days\":3,\"max_retries\":1,\"steps\":[{\"day\":3,\"action\":\"retry\"}]}";
static const char FX_BOOKING_RULES[] = "{}";
static const char FX_EXAMPLES[] =
    "[{\"text\":\"休会したい\",\"intent\":\"pause\"},{\"text\":\"pause my membership\",\"intent\":\"pause\"},"
    "{\"text\":\"退会したい\",\"intent\":\"cancel\"},{\"text\":\"cancel my membership\",\"intent\":\"cancel\"}]";

struct fixtures {
    MkCatalog *catalog;
    MkBillingConfig *config;
    MkAccount *account;
    MkAccount *accounts[1];
    MkAccount *wrong_accounts[1];
    MkEventLog *log;
    const MkEventLog *logs[1];
    const MkEventLog *wrong_logs[1];
    MkBillingRun *run;
    MkBookingRules *rules;
    MkBookingBook *book;
    MkDunningPolicy *policy;
    MkIntentModel *model;
    uint8_t *model_bytes;
    size_t model_len;
    MkRouter *router;
    MkAssistant *assistant;
    MkChatReading *reading;
    char *account_json;
    MkDate date;
    MkMoney money;
    MkInterval interval;
    MkSchedule schedule;
    MkPeriod period;
    MkMoney parts[8];
    MkDate dates[8];
    int64_t weights[2];
};

static void fx_need(MkStatus status, const char *what) {
    if (status != MK_STATUS_OK) {
        fprintf(stderr, "fixture %s: %s\n", what, mk_last_error_message());
        exit(2);
    }
}

/* A reading of one message, for a call that consumes it. */
static MkChatReading *fx_reading(const struct fixtures *fx) {
    MkChatReading *reading = NULL;
    fx_need(mk_assistant_read(fx->assistant, NULL, "休会したい", fx->date, &reading), "reading");
    return reading;
}

static void fx_make(struct fixtures *fx) {
    MkDate date = {2026, 5, 6};
    fx->date = date;
    fx_need(mk_catalog_new(FX_PLANS, &fx->catalog), "catalog");
    fx_need(mk_billing_config_new("{}", &fx->config), "billing config");
    fx_need(mk_account_new("m-1", &fx->account), "account");
    fx->accounts[0] = fx->account;
    fx_need(mk_event_log_new(FX_EVENTS, &fx->log), "event log");
    fx->logs[0] = fx->log;
    fx->wrong_accounts[0] = (MkAccount *)fx->log;
    fx->wrong_logs[0] = (const MkEventLog *)fx->account;
    fx_need(mk_account_to_json(fx->account, &fx->account_json), "account JSON");
    fx_need(mk_bill_run(fx->catalog, fx->config, fx->accounts, fx->logs, 1, date, &fx->run), "billing run");
    fx_need(mk_booking_rules_new(FX_BOOKING_RULES, &fx->rules), "booking rules");
    fx_need(mk_booking_book_new(fx->rules, NULL, &fx->book), "booking book");
    fx_need(mk_dunning_policy_new(FX_DUNNING_POLICY, &fx->policy), "dunning policy");
    fx_need(mk_intent_model_default(&fx->model), "model");
    fx_need(mk_intent_model_to_bytes(fx->model, &fx->model_bytes, &fx->model_len), "model bytes");
    fx_need(mk_router_new(fx->model, NULL, &fx->router), "router");
    fx_need(mk_assistant_new(fx->model, FX_CLUB, NULL, &fx->assistant), "assistant");
    fx->reading = fx_reading(fx);
    fx_need(mk_money_round("8800", 392u, MK_ROUNDING_HALF_UP, &fx->money), "money");
    fx->interval.unit = MK_INTERVAL_UNIT_MONTH;
    fx->interval.count = 1;
    fx_need(mk_schedule_on_day(date, fx->interval, 1, &fx->schedule), "schedule");
    fx_need(mk_schedule_period_containing(fx->schedule, date, &fx->period), "period");
    fx->weights[0] = 1;
    fx->weights[1] = 2;
}

static void fx_free(struct fixtures *fx) {
    mk_chat_reading_free(fx->reading);
    mk_assistant_free(fx->assistant);
    mk_router_free(fx->router);
    mk_bytes_free(fx->model_bytes, fx->model_len);
    mk_intent_model_free(fx->model);
    mk_dunning_policy_free(fx->policy);
    mk_booking_book_free(fx->book);
    mk_booking_rules_free(fx->rules);
    mk_billing_run_free(fx->run);
    mk_string_free(fx->account_json);
    mk_event_log_free(fx->log);
    mk_account_free(fx->account);
    mk_billing_config_free(fx->config);
    mk_catalog_free(fx->catalog);
}

#endif
