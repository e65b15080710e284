/* C tests of memberkit's C API: every entry point, its errors, NULL handling
 * and the per-thread last-error message. Prints "N passed, N failed". */
#include "memberkit.h"

#include "json_scan.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

/* A malloc'd copy of the JSON value at p, quotes kept. */
static char *js_copy_value(const char *p) {
    p = js_ws(p);
    const char *end = js_value_end(p);
    size_t n = (size_t)(end - p);
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, p, n);
        out[n] = '\0';
    }
    return out;
}

#define JPY 392u
#define USD 840u

static MkDate date(int32_t y, uint32_t m, uint32_t d) {
    MkDate out = {y, m, d};
    return out;
}

static int same_date(MkDate a, MkDate b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
}

static MkSchedule monthly(MkDate anchor) {
    MkSchedule s;
    s.anchor = anchor;
    s.interval.unit = MK_INTERVAL_UNIT_MONTH;
    s.interval.count = 1;
    s.day = 0;
    return s;
}

static void test_version_and_status_names(void) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", MK_VERSION_MAJOR, MK_VERSION_MINOR, MK_VERSION_PATCH);
    CHECK(strcmp(mk_version(), expected) == 0);
    CHECK(strcmp(mk_status_str(MK_STATUS_OK), "MK_STATUS_OK") == 0);
    CHECK(strcmp(mk_status_str(MK_STATUS_CURRENCY_MISMATCH), "MK_STATUS_CURRENCY_MISMATCH") == 0);
    CHECK(strcmp(mk_status_str(-1), "MK_STATUS_UNKNOWN") == 0);
}

static void test_currencies(void) {
    uint32_t numeric = 0, minor_units = 99;
    CHECK(mk_currency_from_code("JPY", &numeric) == MK_STATUS_OK && numeric == JPY);
    CHECK(mk_currency_minor_units(USD, &minor_units) == MK_STATUS_OK && minor_units == 2);
    numeric = 7;
    CHECK(mk_currency_from_code("XXX", &numeric) == MK_STATUS_UNKNOWN_CURRENCY);
    CHECK(numeric == 7); /* outputs untouched on failure */
    CHECK(strstr(mk_last_error_message(), "\"XXX\"") != NULL);
    CHECK(mk_currency_minor_units(999, &minor_units) == MK_STATUS_UNKNOWN_CURRENCY);
    CHECK(mk_currency_from_code(NULL, &numeric) == MK_STATUS_NULL_POINTER);
    CHECK(mk_currency_from_code("JPY", NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_currency_from_code("\xff\xfe", &numeric) == MK_STATUS_INVALID_UTF8);
}

static void test_money_arithmetic_and_rounding(void) {
    MkMoney a = {1250, USD}, b = {75, USD}, yen = {100, JPY}, out = {0, 0};
    CHECK(mk_money_add(a, b, &out) == MK_STATUS_OK && out.minor == 1325 && out.currency == USD);
    CHECK(mk_money_sub(b, a, &out) == MK_STATUS_OK && out.minor == -1175);
    CHECK(mk_money_add(a, yen, &out) == MK_STATUS_CURRENCY_MISMATCH);
    CHECK(strstr(mk_last_error_message(), "USD") != NULL);
    CHECK(mk_money_add(a, b, NULL) == MK_STATUS_NULL_POINTER);

    /* 5500 * 10 / 31 = 1774.19...: floor 1774, ceiling 1775 */
    CHECK(mk_money_round("1774.193548", JPY, MK_ROUNDING_FLOOR, &out) == MK_STATUS_OK && out.minor == 1774);
    CHECK(mk_money_round("1774.193548", JPY, MK_ROUNDING_CEILING, &out) == MK_STATUS_OK && out.minor == 1775);
    CHECK(mk_money_round("-2.5", JPY, MK_ROUNDING_HALF_EVEN, &out) == MK_STATUS_OK && out.minor == -2);
    CHECK(mk_money_round("0.125", USD, MK_ROUNDING_HALF_UP, &out) == MK_STATUS_OK && out.minor == 13);
    CHECK(mk_money_round("ten", JPY, MK_ROUNDING_FLOOR, &out) == MK_STATUS_INVALID_ARGUMENT);
    CHECK(mk_money_round("1", JPY, 42, &out) == MK_STATUS_INVALID_ARGUMENT);

    char *text = NULL;
    CHECK(mk_money_to_string(a, &text) == MK_STATUS_OK && text != NULL && strcmp(text, "12.50 USD") == 0);
    mk_string_free(text);
    mk_string_free(NULL);
}

static void test_allocation(void) {
    MkMoney total = {10000, JPY}, parts[3];
    CHECK(mk_money_allocate(total, 3, parts, 3) == MK_STATUS_OK);
    CHECK(parts[0].minor == 3334 && parts[1].minor == 3333 && parts[2].minor == 3333);
    CHECK(mk_money_allocate(total, -3, parts, 3) == MK_STATUS_INVALID_ARGUMENT);
    CHECK(strstr(mk_last_error_message(), "parts") != NULL);
    CHECK(mk_money_allocate(total, 0, parts, 3) == MK_STATUS_INVALID_ALLOCATION);
    CHECK(mk_money_allocate(total, 4, parts, 3) == MK_STATUS_BUFFER_TOO_SMALL);

    int64_t weights[3] = {1, 2, 0};
    CHECK(mk_money_allocate_weights(total, weights, 3, parts) == MK_STATUS_OK);
    CHECK(parts[0].minor == 3333 && parts[1].minor == 6667 && parts[2].minor == 0);
    int64_t negative[2] = {1, -1};
    CHECK(mk_money_allocate_weights(total, negative, 2, parts) == MK_STATUS_INVALID_ALLOCATION);
    CHECK(mk_money_allocate_weights(total, NULL, 2, parts) == MK_STATUS_NULL_POINTER);
    MkMoney bad_currency = {1, 1};
    CHECK(mk_money_allocate(bad_currency, 1, parts, 3) == MK_STATUS_UNKNOWN_CURRENCY);
}

static void test_dates(void) {
    MkDate out = date(0, 0, 0);
    CHECK(mk_date_parse("2026-01-31", &out) == MK_STATUS_OK && same_date(out, date(2026, 1, 31)));
    CHECK(mk_date_parse("2026-02-30", &out) == MK_STATUS_INVALID_DATE);
    CHECK(mk_date_parse("31/01/2026", &out) == MK_STATUS_INVALID_DATE);
    CHECK(mk_date_add_months(date(2026, 1, 31), 1, &out) == MK_STATUS_OK && same_date(out, date(2026, 2, 28)));
    CHECK(mk_date_add_months(date(2024, 3, 31), -1, &out) == MK_STATUS_OK && same_date(out, date(2024, 2, 29)));
    CHECK(mk_date_add_months(date(2026, 2, 29), 1, &out) == MK_STATUS_INVALID_DATE);
    CHECK(strstr(mk_last_error_message(), "2026-02-29") != NULL);
    CHECK(mk_date_add_months(date(2026, 1, 1), INT64_MAX, &out) == MK_STATUS_DATE_OUT_OF_RANGE);
}

static void test_schedules(void) {
    MkSchedule s = monthly(date(2026, 1, 31));
    MkDate next = date(0, 0, 0);
    CHECK(mk_schedule_next_after(s, date(2026, 2, 1), &next) == MK_STATUS_OK && same_date(next, date(2026, 2, 28)));
    CHECK(mk_schedule_next_after(s, next, &next) == MK_STATUS_OK && same_date(next, date(2026, 3, 31)));

    MkPeriod p;
    CHECK(mk_schedule_period_containing(s, date(2026, 3, 5), &p) == MK_STATUS_OK);
    CHECK(same_date(p.start, date(2026, 2, 28)) && same_date(p.end, date(2026, 3, 31)));

    MkPeriod year = {date(2026, 1, 1), date(2027, 1, 1)};
    MkDate boundaries[12];
    size_t count = 0;
    CHECK(mk_schedule_boundaries(s, year, NULL, 0, &count) == MK_STATUS_BUFFER_TOO_SMALL && count == 12);
    CHECK(mk_schedule_boundaries(s, year, boundaries, 12, &count) == MK_STATUS_OK && count == 12);
    CHECK(same_date(boundaries[1], date(2026, 2, 28)) && same_date(boundaries[2], date(2026, 3, 31)));
    CHECK(same_date(boundaries[3], date(2026, 4, 30)) && same_date(boundaries[11], date(2026, 12, 31)));
    CHECK(mk_schedule_boundaries(s, year, boundaries, 12, NULL) == MK_STATUS_NULL_POINTER);

    MkPeriod empty = {date(2026, 5, 1), date(2026, 5, 1)};
    CHECK(mk_schedule_boundaries(s, empty, boundaries, 12, &count) == MK_STATUS_INVALID_PERIOD);

    MkSchedule zero = s;
    zero.interval.count = 0;
    CHECK(mk_schedule_next_after(zero, date(2026, 2, 1), &next) == MK_STATUS_INVALID_INTERVAL);
    MkSchedule leap = s;
    leap.anchor = date(2024, 2, 29);
    leap.interval.unit = MK_INTERVAL_UNIT_YEAR;
    CHECK(mk_schedule_next_after(leap, date(2024, 3, 1), &next) == MK_STATUS_OK && same_date(next, date(2025, 2, 28)));
    CHECK(mk_schedule_next_after(leap, date(2027, 3, 1), &next) == MK_STATUS_OK && same_date(next, date(2028, 2, 29)));
}

static void test_schedules_on_a_day(void) {
    MkInterval month = {MK_INTERVAL_UNIT_MONTH, 1};
    MkSchedule s;
    /* Billed on the 31st from Feb 10: anchored on Feb 28, then back to the 31st. */
    CHECK(mk_schedule_on_day(date(2026, 2, 10), month, 31, &s) == MK_STATUS_OK);
    CHECK(same_date(s.anchor, date(2026, 2, 28)) && s.day == 31);
    CHECK(s.interval.unit == MK_INTERVAL_UNIT_MONTH && s.interval.count == 1);
    MkDate next = date(0, 0, 0);
    CHECK(mk_schedule_next_after(s, date(2026, 3, 1), &next) == MK_STATUS_OK && same_date(next, date(2026, 3, 31)));
    MkPeriod p;
    CHECK(mk_schedule_period_containing(s, date(2026, 4, 15), &p) == MK_STATUS_OK);
    CHECK(same_date(p.start, date(2026, 3, 31)) && same_date(p.end, date(2026, 4, 30)));
    MkPeriod spring = {date(2026, 2, 1), date(2026, 6, 1)};
    MkDate boundaries[4];
    size_t count = 0;
    CHECK(mk_schedule_boundaries(s, spring, boundaries, 4, &count) == MK_STATUS_OK && count == 4);
    CHECK(same_date(boundaries[0], date(2026, 2, 28)) && same_date(boundaries[1], date(2026, 3, 31)));
    CHECK(same_date(boundaries[2], date(2026, 4, 30)) && same_date(boundaries[3], date(2026, 5, 31)));

    /* The same anchor without the day stays on the 28th. */
    MkSchedule plain = s;
    plain.day = 0;
    CHECK(mk_schedule_next_after(plain, date(2026, 3, 1), &next) == MK_STATUS_OK && same_date(next, date(2026, 3, 28)));

    /* On the day itself, `from` is the anchor; a week ignores the day. */
    CHECK(mk_schedule_on_day(date(2026, 4, 27), month, 27, &s) == MK_STATUS_OK && same_date(s.anchor, date(2026, 4, 27)));
    MkInterval week = {MK_INTERVAL_UNIT_WEEK, 1};
    CHECK(mk_schedule_on_day(date(2026, 2, 10), week, 31, &s) == MK_STATUS_OK);
    CHECK(same_date(s.anchor, date(2026, 2, 10)) && s.day == 10 && s.interval.unit == MK_INTERVAL_UNIT_WEEK);

    /* Refusals leave the output untouched. */
    MkSchedule untouched = monthly(date(2000, 1, 1));
    MkSchedule out = untouched;
    CHECK(mk_schedule_on_day(date(2026, 2, 10), month, 32, &out) == MK_STATUS_INVALID_DATE);
    CHECK(strstr(mk_last_error_message(), "invalid day of the month 32") != NULL);
    CHECK(mk_schedule_on_day(date(2026, 2, 10), month, 0, &out) == MK_STATUS_INVALID_DATE);
    MkInterval none = {MK_INTERVAL_UNIT_MONTH, 0};
    CHECK(mk_schedule_on_day(date(2026, 2, 10), none, 15, &out) == MK_STATUS_INVALID_INTERVAL);
    CHECK(mk_schedule_on_day(date(2026, 2, 30), month, 15, &out) == MK_STATUS_INVALID_DATE);
    CHECK(same_date(out.anchor, untouched.anchor) && out.day == untouched.day);
    CHECK(mk_schedule_on_day(date(2026, 2, 10), month, 15, NULL) == MK_STATUS_NULL_POINTER);

    /* A schedule whose anchor is not on its day is refused where it is used. */
    MkSchedule off = monthly(date(2026, 3, 28));
    off.day = 30;
    CHECK(mk_schedule_next_after(off, date(2026, 4, 1), &next) == MK_STATUS_INVALID_INTERVAL);
    CHECK(strstr(mk_last_error_message(), "does not fall on day 30") != NULL);
    off.day = 32;
    CHECK(mk_schedule_next_after(off, date(2026, 4, 1), &next) == MK_STATUS_INVALID_DATE);
    off.anchor = date(2026, 2, 28);
    off.day = 30;
    CHECK(mk_schedule_next_after(off, date(2026, 3, 1), &next) == MK_STATUS_OK && same_date(next, date(2026, 3, 30)));
}

static const char *PLANS =
    "[{\"id\":\"basic\",\"name\":\"Basic\",\"price\":{\"amount\":\"5500\",\"currency\":\"JPY\"},"
    "\"interval\":{\"unit\":\"month\",\"count\":1},\"notice\":{\"kind\":\"day_of_month\",\"day\":10}}]";

static void test_membership(void) {
    MkCatalog *catalog = NULL;
    CHECK(mk_catalog_new("[{\"id\":\"x\"}]", &catalog) == MK_STATUS_INVALID_PLAN && catalog == NULL);
    CHECK(strstr(mk_last_error_message(), "[0]") != NULL);
    CHECK(mk_catalog_new("not json", &catalog) == MK_STATUS_INVALID_PLAN);
    CHECK(mk_catalog_new(PLANS, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_catalog_new(PLANS, &catalog) == MK_STATUS_OK && catalog != NULL);

    char *events = NULL, *state = NULL, *view = NULL;
    const char *join = "{\"type\":\"join\",\"plan\":\"basic\",\"start\":\"2026-04-01\"}";
    CHECK(mk_membership_decide(catalog, NULL, join, date(2026, 4, 1), &events) == MK_STATUS_OK);
    CHECK(events && strstr(events, "\"type\":\"started\"") != NULL);
    CHECK(mk_membership_apply(NULL, events, &state) == MK_STATUS_OK && strstr(state, "\"status\":\"active\""));
    mk_string_free(events);
    events = NULL;

    const char *cancel = "{\"type\":\"cancel\",\"when\":\"by_notice_rule\"}";
    CHECK(mk_membership_decide(catalog, state, cancel, date(2026, 6, 11), &events) == MK_STATUS_OK);
    CHECK(events && strstr(events, "\"on\":\"2026-08-01\"") != NULL);
    mk_string_free(events);
    events = NULL;

    CHECK(mk_membership_decide(catalog, state, "{\"type\":\"resume\",\"on\":\"2026-06-11\"}", date(2026, 6, 11),
                               &events) == MK_STATUS_INVALID_TRANSITION);
    CHECK(events == NULL);
    CHECK(mk_membership_decide(catalog, state, "{\"type\":\"fly\"}", date(2026, 6, 11), &events) ==
          MK_STATUS_INVALID_JSON);
    CHECK(strstr(mk_last_error_message(), "invalid command JSON") != NULL);
    CHECK(mk_membership_decide(catalog, "{", cancel, date(2026, 6, 11), &events) == MK_STATUS_INVALID_JSON);
    CHECK(mk_membership_decide(NULL, state, cancel, date(2026, 6, 11), &events) == MK_STATUS_NULL_POINTER);
    CHECK(mk_membership_decide(catalog, state, cancel, date(2026, 6, 31), &events) == MK_STATUS_INVALID_DATE);

    CHECK(mk_membership_view(catalog, state, date(2026, 6, 11), &view) == MK_STATUS_OK);
    CHECK(view && strstr(view, "\"next_renewal\":\"2026-07-01\"") != NULL);
    mk_string_free(view);
    mk_string_free(state);
    mk_catalog_free(catalog);
    mk_catalog_free(NULL);
}

static void test_billing(void) {
    MkCatalog *catalog = NULL;
    MkBillingConfig *config = NULL;
    CHECK(mk_catalog_new(PLANS, &catalog) == MK_STATUS_OK);
    CHECK(mk_billing_config_new("{\"collection\":{\"kind\":\"debit_day\",\"day\":40}}", &config) ==
          MK_STATUS_INVALID_CONFIG);
    CHECK(strstr(mk_last_error_message(), "collection.day") != NULL);
    CHECK(mk_billing_config_new("{}", &config) == MK_STATUS_OK && config != NULL);

    char *events = NULL, *run = NULL, *runs = NULL;
    const char *join = "{\"type\":\"join\",\"plan\":\"basic\",\"start\":\"2026-04-20\"}";
    CHECK(mk_membership_decide(catalog, NULL, join, date(2026, 4, 20), &events) == MK_STATUS_OK);
    CHECK(mk_bill(catalog, config, NULL, "m-1", events, date(2026, 5, 1), &run) == MK_STATUS_OK);
    /* Apr 20-30 is 11/30 of 5,500 = 2,016.66... -> 2,016, plus 10 % tax 201; then May in full. */
    CHECK(run && strstr(run, "\"id\":\"m-1-20260420-1\"") != NULL);
    CHECK(run && strstr(run, "\"total\":{\"amount\":\"2217\",\"currency\":\"JPY\"}") != NULL);
    CHECK(run && strstr(run, "\"id\":\"m-1-20260501-1\"") != NULL);

    char batch[4096];
    snprintf(batch, sizeof batch,
             "[{\"account\":{\"id\":\"x\",\"pieces\":[],\"one_offs\":[],\"issued\":{},\"credit\":null},"
             "\"events\":%s},{\"account\":{\"id\":\"y\",\"pieces\":[],\"one_offs\":[],\"issued\":{},"
             "\"credit\":null},\"events\":[{\"type\":\"joined\",\"on\":\"2026-04-01\",\"plan\":\"gold\","
             "\"applied_on\":\"2026-04-01\",\"paid_from\":\"2026-04-01\",\"admission_fee\":null,"
             "\"rejoin\":false}]}]",
             events);
    CHECK(mk_bill_batch(catalog, config, batch, date(2026, 5, 1), &runs) == MK_STATUS_OK);
    CHECK(runs && strstr(runs, "\"id\":\"x-20260420-1\"") != NULL);
    CHECK(runs && strstr(runs, "\"kind\":\"unknown_plan\"") != NULL);
    CHECK(mk_bill_batch(catalog, config, "[{}]", date(2026, 5, 1), &runs) == MK_STATUS_INVALID_JSON);

    MkMoney share = {0, 0};
    MkMoney price = {8800, JPY};
    CHECK(mk_prorate(price, 17, 30, MK_ROUNDING_FLOOR, &share) == MK_STATUS_OK && share.minor == 4986);
    CHECK(mk_prorate(price, 31, 30, MK_ROUNDING_FLOOR, &share) == MK_STATUS_INVALID_ARGUMENT);

    mk_string_free(runs);
    mk_string_free(run);
    mk_string_free(events);
    mk_billing_config_free(config);
    mk_billing_config_free(NULL);
    mk_catalog_free(catalog);
}

static const char *DUNNING_POLICY =
    "{\"currency\":\"JPY\",\"grace_days\":3,\"max_retries\":1,\"steps\":[{\"day\":3,\"action\":\"retry\"},"
    "{\"day\":7,\"action\":\"remind\",\"channel\":\"email\",\"template\":\"unpaid\"},{\"day\":14,\"action\":\"suspend\"}]}";
static const char *ISSUE =
    "{\"type\":\"invoice_issued\",\"invoice\":\"m-1\",\"amount\":{\"amount\":\"8800\",\"currency\":\"JPY\"},"
    "\"due\":\"2026-05-01\"}";
static const char *FAIL_SOFT =
    "{\"type\":\"payment_failed\",\"invoice\":\"m-1\",\"amount\":{\"amount\":\"8800\",\"currency\":\"JPY\"},"
    "\"decline\":\"soft\"}";

/* Decides `command` on `at` and applies its events to `*state`. */
static int dunning_step(const MkDunningPolicy *policy, char **state, const char *command, MkDate at) {
    char *events = NULL, *next = NULL;
    int ok = mk_dunning_decide(policy, *state, command, at, &events) == MK_STATUS_OK &&
             mk_dunning_apply(*state, events, &next) == MK_STATUS_OK;
    if (ok) {
        mk_string_free(*state);
        *state = next;
    }
    mk_string_free(events);
    return ok;
}

static void test_dunning(void) {
    MkDunningPolicy *policy = NULL;
    const char *inside_grace = "{\"currency\":\"JPY\",\"grace_days\":7,\"steps\":[{\"day\":3,\"action\":\"suspend\"}]}";
    CHECK(mk_dunning_policy_new(inside_grace, &policy) == MK_STATUS_INVALID_CONFIG && policy == NULL);
    CHECK(strstr(mk_last_error_message(), "at steps[0].day") != NULL);
    CHECK(mk_dunning_policy_new("{\"currency\":\"JPY\",\"steps\":[{\"day\":1,\"action\":\"fly\"}]}", &policy) ==
          MK_STATUS_INVALID_CONFIG);
    CHECK(strstr(mk_last_error_message(), "steps[0]") != NULL);
    CHECK(mk_dunning_policy_new("not json", &policy) == MK_STATUS_INVALID_CONFIG && policy == NULL);
    CHECK(mk_dunning_policy_new(NULL, &policy) == MK_STATUS_NULL_POINTER);
    CHECK(mk_dunning_policy_new(DUNNING_POLICY, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_dunning_policy_new(DUNNING_POLICY, &policy) == MK_STATUS_OK && policy != NULL);

    /* NULL and "" are an account with no invoice yet. */
    char *state = NULL, *events = NULL, *out = NULL;
    CHECK(mk_dunning_decide(policy, "", ISSUE, date(2026, 4, 25), &events) == MK_STATUS_OK);
    CHECK(events && strstr(events, "\"type\":\"invoice_opened\"") != NULL);
    mk_string_free(events);
    events = NULL;
    CHECK(dunning_step(policy, &state, ISSUE, date(2026, 4, 25)));
    CHECK(dunning_step(policy, &state, FAIL_SOFT, date(2026, 5, 1)));

    /* NULL pointers. */
    CHECK(mk_dunning_decide(NULL, state, FAIL_SOFT, date(2026, 5, 2), &events) == MK_STATUS_NULL_POINTER);
    CHECK(strstr(mk_last_error_message(), "policy is NULL") != NULL);
    CHECK(mk_dunning_decide(policy, state, NULL, date(2026, 5, 2), &events) == MK_STATUS_NULL_POINTER);
    CHECK(mk_dunning_decide(policy, state, "{\"type\":\"advance\"}", date(2026, 5, 2), NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_dunning_apply(state, NULL, &out) == MK_STATUS_NULL_POINTER);
    CHECK(mk_dunning_apply(state, "[]", NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_dunning_membership_commands(NULL, &out) == MK_STATUS_NULL_POINTER);
    CHECK(mk_dunning_view(state, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_dunning_open_invoices(state, date(2026, 5, 2), NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_dunning_timeline(NULL, state, "en", &out) == MK_STATUS_NULL_POINTER);
    CHECK(mk_dunning_timeline(policy, state, NULL, &out) == MK_STATUS_NULL_POINTER);
    CHECK(events == NULL && out == NULL);

    /* An unknown invoice, and other refusals, change nothing. */
    const char *unknown =
        "{\"type\":\"payment_succeeded\",\"payment\":\"pay-1\",\"invoice\":\"no-such\","
        "\"amount\":{\"amount\":\"8800\",\"currency\":\"JPY\"}}";
    CHECK(mk_dunning_decide(policy, state, unknown, date(2026, 5, 2), &events) == MK_STATUS_UNKNOWN_INVOICE);
    CHECK(strstr(mk_last_error_message(), "\"no-such\"") != NULL && events == NULL);
    CHECK(strcmp(mk_status_str(MK_STATUS_UNKNOWN_INVOICE), "MK_STATUS_UNKNOWN_INVOICE") == 0);
    CHECK(mk_dunning_decide(policy, state, "{\"type\":\"advance\"}", date(2026, 4, 30), &events) ==
          MK_STATUS_COMMAND_REFUSED);
    CHECK(mk_dunning_decide(policy, state, "{\"type\":\"fly\"}", date(2026, 5, 2), &events) == MK_STATUS_INVALID_JSON);
    CHECK(mk_dunning_decide(policy, "{", FAIL_SOFT, date(2026, 5, 2), &events) == MK_STATUS_INVALID_JSON);
    CHECK(events == NULL);

    /* Queries. */
    CHECK(mk_dunning_view(state, &out) == MK_STATUS_OK);
    CHECK(out && strstr(out, "\"unpaid_balance\":{\"amount\":\"8800\",\"currency\":\"JPY\"}") != NULL);
    CHECK(out && strstr(out, "\"standing\":\"good\"") != NULL && strstr(out, "\"totals\":{") != NULL);
    mk_string_free(out);
    CHECK(mk_dunning_view(NULL, &out) == MK_STATUS_OK && strstr(out, "\"unpaid_balance\":null") != NULL);
    mk_string_free(out);
    CHECK(mk_dunning_open_invoices(state, date(2026, 5, 11), &out) == MK_STATUS_OK);
    CHECK(out && strstr(out, "\"invoice\":\"m-1\"") != NULL && strstr(out, "\"age_days\":10") != NULL);
    mk_string_free(out);
    CHECK(mk_dunning_timeline(policy, state, "en", &out) == MK_STATUS_OK);
    CHECK(out && strstr(out, "\"message\":\"Your membership will be suspended on 15 May 2026 unless ¥8,800 is paid.\""));
    mk_string_free(out);
    CHECK(mk_dunning_timeline(policy, state, "ja", &out) == MK_STATUS_OK);
    CHECK(out && strstr(out, "\"message\":\"8,800円のお支払いがない場合、2026年5月15日に会員資格を停止します。\""));
    mk_string_free(out);
    out = NULL;
    CHECK(mk_dunning_timeline(policy, state, "fr", &out) == MK_STATUS_INVALID_ARGUMENT && out == NULL);
    CHECK(strstr(mk_last_error_message(), "\"fr\"") != NULL);

    /* Advancing to May 15 suspends; the membership is told to suspend. */
    CHECK(mk_dunning_decide(policy, state, "{\"type\":\"advance\"}", date(2026, 5, 15), &events) == MK_STATUS_OK);
    CHECK(mk_dunning_membership_commands(events, &out) == MK_STATUS_OK);
    CHECK(out && strcmp(out, "[{\"type\":\"mark_past_due\"},{\"type\":\"suspend\"}]") == 0);
    mk_string_free(out);
    mk_string_free(events);
    mk_string_free(state);
    mk_dunning_policy_free(policy);
    mk_dunning_policy_free(NULL);
}

/* One dunning policy shared by many threads, each deciding for its own account. */
static MkDunningPolicy *shared_policy = NULL;

static void *dun_in_thread(void *arg) {
    (void)arg;
    int ok = 1;
    for (int i = 0; i < 100 && ok; i++) {
        char *state = NULL;
        ok = dunning_step(shared_policy, &state, ISSUE, date(2026, 4, 25)) &&
             dunning_step(shared_policy, &state, FAIL_SOFT, date(2026, 5, 1)) &&
             dunning_step(shared_policy, &state, "{\"type\":\"advance\"}", date(2026, 5, 15)) &&
             strstr(state, "\"standing\":\"suspended\"") != NULL;
        mk_string_free(state);
    }
    return ok ? (void *)1 : NULL;
}

static void test_dunning_policy_shared_across_threads(void) {
    CHECK(mk_dunning_policy_new(DUNNING_POLICY, &shared_policy) == MK_STATUS_OK);
    pthread_t threads[4];
    void *results[4];
    for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, dun_in_thread, NULL);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], &results[i]);
        CHECK(results[i] != NULL);
    }
    mk_dunning_policy_free(shared_policy);
}

static MkIntentModel *shared_model = NULL;

static void *classify_in_thread(void *arg) {
    (void)arg;
    int ok = 1;
    for (int i = 0; i < 500 && ok; i++) {
        const char *intent = NULL;
        float confidence = 0;
        ok = mk_intent_classify(shared_model, "予約をキャンセルしたい", &intent, &confidence) == MK_STATUS_OK &&
             strcmp(intent, "cancel_booking") == 0;
    }
    return ok ? (void *)1 : NULL;
}

static void test_intent(void) {
    MkIntentModel *model = NULL;
    const char *intent = NULL;
    float confidence = -1;
    CHECK(mk_intent_model_default(&model) == MK_STATUS_OK && model != NULL);
    CHECK(mk_intent_classify(model, "退会したいです", &intent, &confidence) == MK_STATUS_OK);
    CHECK(intent && strcmp(intent, "cancel") == 0 && confidence > 0.5f && confidence <= 1.0f);
    CHECK(mk_intent_classify(model, "What are your opening hours?", &intent, &confidence) == MK_STATUS_OK);
    CHECK(strcmp(intent, "hours") == 0);
    CHECK(mk_intent_classify(model, "\xff", &intent, &confidence) == MK_STATUS_INVALID_UTF8);
    CHECK(mk_intent_classify(NULL, "hi", &intent, &confidence) == MK_STATUS_NULL_POINTER);
    {
        /* A text past MK_INTENT_MAX_TEXT_BYTES is refused; one at it is read. */
        static char text[MK_INTENT_MAX_TEXT_BYTES + 2];
        memset(text, 'a', MK_INTENT_MAX_TEXT_BYTES + 1);
        CHECK(mk_intent_classify(model, text, &intent, &confidence) == MK_STATUS_LIMIT_EXCEEDED);
        CHECK(strcmp(mk_last_error_code(), "limit_exceeded") == 0);
        text[MK_INTENT_MAX_TEXT_BYTES] = '\0';
        CHECK(mk_intent_classify(model, text, &intent, &confidence) == MK_STATUS_OK);
    }

    uint8_t *bytes = NULL;
    size_t len = 0;
    CHECK(mk_intent_model_to_bytes(model, &bytes, &len) == MK_STATUS_OK && bytes != NULL && len > 4);
    MkIntentModel *copy = NULL;
    CHECK(mk_intent_model_from_bytes(bytes, len, &copy) == MK_STATUS_OK);
    CHECK(mk_intent_classify(copy, "退会したいです", &intent, &confidence) == MK_STATUS_OK && strcmp(intent, "cancel") == 0);
    CHECK(mk_intent_model_from_bytes(bytes, len / 2, &copy) == MK_STATUS_INVALID_MODEL);
    mk_bytes_free(bytes, len);
    mk_bytes_free(NULL, 0);
    mk_intent_model_free(copy);

    MkIntentModel *trained = NULL;
    const char *examples =
        "[{\"intent\":\"hours\",\"text\":\"what time do you open\"},{\"intent\":\"hours\",\"text\":\"営業時間\"},"
        "{\"intent\":\"cancel\",\"text\":\"cancel my membership\"},{\"intent\":\"cancel\",\"text\":\"退会したい\"}]";
    CHECK(mk_intent_train(examples, "{\"validation_fraction\":0.0}", &trained) == MK_STATUS_OK);
    CHECK(mk_intent_classify(trained, "when do you open", &intent, &confidence) == MK_STATUS_OK &&
          strcmp(intent, "hours") == 0);
    CHECK(mk_intent_train("[]", NULL, &copy) == MK_STATUS_INVALID_TRAINING_DATA);
    CHECK(mk_intent_train(examples, "{\"epochs\":0}", &copy) == MK_STATUS_INVALID_CONFIG);
    CHECK(mk_intent_train("[{\"intent\":1}]", NULL, &copy) == MK_STATUS_INVALID_JSON);
    mk_intent_model_free(trained);

    char *slots = NULL, *masked = NULL;
    CHECK(mk_intent_extract_slots("明日の18時半 taro@example.com", date(2026, 5, 1), &slots) == MK_STATUS_OK);
    CHECK(slots && strstr(slots, "\"2026-05-02\"") && strstr(slots, "\"18:30:00\"") && strstr(slots, "taro@example.com"));
    CHECK(mk_intent_mask("taro@example.com", &masked) == MK_STATUS_OK && strstr(masked, "taro@") == NULL);
    mk_string_free(slots);
    mk_string_free(masked);

    MkRouter *router = NULL;
    char *decision = NULL, *next = NULL;
    CHECK(mk_router_new(model, "{\"clarify_below\":3}", &router) == MK_STATUS_INVALID_CONFIG);
    CHECK(mk_router_new(model, NULL, &router) == MK_STATUS_OK);
    CHECK(mk_router_route(router, NULL, "会員情報を確認したい", false, date(2026, 5, 1), &decision) == MK_STATUS_OK);
    CHECK(decision && strstr(decision, "\"action\":\"verify_identity\""));
    const char *conversation = strstr(decision, "\"conversation\":");
    if (conversation) {
        char *state = js_copy_value(conversation + strlen("\"conversation\":"));
        CHECK(mk_router_route(router, state, "担当者と話したいです", true, date(2026, 5, 1), &next) == MK_STATUS_OK);
        CHECK(next && strstr(next, "\"action\":\"handover\""));
        free(state);
    }
    CHECK(mk_router_route(router, "{", "hi", false, date(2026, 5, 1), &next) == MK_STATUS_INVALID_JSON);
    mk_string_free(next);
    mk_string_free(decision);
    mk_router_free(router);
    mk_router_free(NULL);

    shared_model = model;
    pthread_t threads[4];
    void *results[4];
    for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, classify_in_thread, NULL);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], &results[i]);
        CHECK(results[i] != NULL);
    }
    mk_intent_model_free(model);
    mk_intent_model_free(NULL);
}

/* One catalog shared by many threads, each deciding for its own member. */
static MkCatalog *shared_catalog = NULL;

static void *join_in_thread(void *arg) {
    (void)arg;
    int ok = 1;
    for (int i = 0; i < 200 && ok; i++) {
        char *events = NULL;
        const char *join = "{\"type\":\"join\",\"plan\":\"basic\",\"start\":\"2026-04-01\"}";
        ok = mk_membership_decide(shared_catalog, NULL, join, date(2026, 4, 1), &events) == MK_STATUS_OK &&
             strstr(events, "joined") != NULL;
        mk_string_free(events);
    }
    return ok ? (void *)1 : NULL;
}

static void test_catalog_shared_across_threads(void) {
    CHECK(mk_catalog_new(PLANS, &shared_catalog) == MK_STATUS_OK);
    pthread_t threads[4];
    void *results[4];
    for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, join_in_thread, NULL);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], &results[i]);
        CHECK(results[i] != NULL);
    }
    mk_catalog_free(shared_catalog);
}

/* The last-error message belongs to the thread that failed. */
static void *fail_in_thread(void *arg) {
    uint32_t numeric = 0;
    (void)arg;
    MkStatus status = mk_currency_from_code("ZZZ", &numeric);
    int ok = status == MK_STATUS_UNKNOWN_CURRENCY && strstr(mk_last_error_message(), "ZZZ") != NULL;
    return ok ? (void *)1 : NULL;
}

static void test_last_error_is_per_thread(void) {
    uint32_t numeric = 0;
    CHECK(mk_currency_from_code("QQQ", &numeric) == MK_STATUS_UNKNOWN_CURRENCY);
    pthread_t threads[4];
    void *results[4];
    for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, fail_in_thread, NULL);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], &results[i]);
        CHECK(results[i] != NULL);
    }
    CHECK(strstr(mk_last_error_message(), "QQQ") != NULL);
}

int main(void) {
    test_version_and_status_names();
    test_currencies();
    test_money_arithmetic_and_rounding();
    test_allocation();
    test_dates();
    test_schedules();
    test_schedules_on_a_day();
    test_last_error_is_per_thread();
    test_membership();
    test_catalog_shared_across_threads();
    test_billing();
    test_dunning();
    test_dunning_policy_shared_across_threads();
    test_intent();
    printf("c: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
