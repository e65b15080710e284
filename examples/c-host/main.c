/* A C host of memberkit, built against the installed library with pkg-config:
 *
 *   scripts/install.sh --prefix /opt/memberkit
 *   export PKG_CONFIG_PATH=/opt/memberkit/lib/pkgconfig
 *   cc -std=c11 examples/c-host/main.c $(pkg-config --cflags --libs memberkit) -o c-host
 *   LD_LIBRARY_PATH=/opt/memberkit/lib ./c-host
 *
 * A gym's front desk in miniature: the fee for the rest of the month, the
 * next debit day, a member joining and billed, and a member's message read.
 * Every fallible call returns an MkStatus; on failure the program prints
 * mk_last_error_message() and stops. */
#include <memberkit.h>

#include <stdio.h>
#include <stdlib.h>

static void ok(MkStatus status, const char *what) {
    if (status != MK_STATUS_OK) {
        fprintf(stderr, "%s: %s: %s\n", what, mk_status_str(status), mk_last_error_message());
        exit(1);
    }
}

static const char PLANS[] =
    "[{\"id\":\"regular\",\"name\":\"Regular\",\"price\":{\"amount\":\"8800\",\"currency\":\"JPY\"},"
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1}}]";

int main(void) {
    printf("memberkit %s\n", mk_version());

    /* Joining on the 20th of a 30-day month: 11 days of ¥8,800, rounded down. */
    uint32_t jpy = 0;
    ok(mk_currency_from_code("JPY", &jpy), "currency");
    MkMoney fee = {8800, jpy}, first = {0, 0};
    ok(mk_prorate(fee, 11, 30, MK_ROUNDING_FLOOR, &first), "prorate");
    char *text = NULL;
    ok(mk_money_to_string(first, &text), "money");
    printf("first month: %s\n", text);
    mk_string_free(text);

    /* Debits on the 27th: the next one after April 20. */
    MkSchedule debits;
    MkInterval month = {MK_INTERVAL_UNIT_MONTH, 1};
    MkDate april_20 = {2026, 4, 20}, next;
    ok(mk_schedule_on_day(april_20, month, 27, &debits), "schedule");
    ok(mk_schedule_next_after(debits, april_20, &next), "next debit");
    printf("next debit: %04d-%02u-%02u\n", (int)next.year, next.month, next.day);

    /* The member joins; billing through May 1 issues April's and May's
       invoices, read without JSON. The account keeps what was billed: store
       it (mk_account_to_json) for the next run. */
    MkCatalog *catalog = NULL;
    MkBillingConfig *config = NULL;
    ok(mk_catalog_new(PLANS, &catalog), "catalog");
    ok(mk_billing_config_new("{}", &config), "billing config");
    char *events = NULL;
    ok(mk_membership_decide(catalog, NULL, "{\"type\":\"join\",\"plan\":\"regular\",\"start\":\"2026-04-20\"}",
                            april_20, &events),
       "join");
    MkAccount *account = NULL;
    MkEventLog *log = NULL;
    MkBillingRun *run = NULL;
    ok(mk_account_new("M-0001", &account), "account");
    ok(mk_event_log_new(events, &log), "events");
    MkDate may_1 = {2026, 5, 1};
    const MkEventLog *logs[] = {log};
    ok(mk_bill_run(catalog, config, &account, logs, 1, may_1, &run), "bill");
    MkBillingOutcome outcome;
    ok(mk_billing_run_outcome(run, 0, &outcome), "outcome");
    for (size_t i = 0; i < outcome.documents; i++) {
        MkDocument invoice;
        ok(mk_billing_run_document(run, 0, i, &invoice), "document");
        printf("%.*s: %lld yen due\n", (int)invoice.id.len, invoice.id.ptr, (long long)invoice.amount_due.minor);
    }
    mk_billing_run_free(run);
    mk_event_log_free(log);
    mk_account_free(account);
    mk_string_free(events);

    /* A refused command: the status and the library's message. */
    MkStatus refused = mk_membership_decide(catalog, NULL, "{\"type\":\"join\",\"plan\":\"gold\",\"start\":\"2026-04-20\"}",
                                            april_20, &events);
    printf("joining gold: %s: %s\n", mk_status_str(refused), mk_last_error_message());
    mk_billing_config_free(config);
    mk_catalog_free(catalog);

    /* What does the member want? */
    MkIntentModel *model = NULL;
    const char *intent = NULL;
    float confidence = 0;
    ok(mk_intent_model_default(&model), "model");
    ok(mk_intent_classify(model, "I want to cancel my membership", &intent, &confidence), "classify");
    printf("\"I want to cancel my membership\": %s%s\n", intent, confidence >= 0.5f ? "" : " (unsure)");
    mk_intent_model_free(model);
    return 0;
}
