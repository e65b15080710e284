/* C tests of the typed billing run: accounts billed in place, outcomes,
 * documents, lines and taxes read through accessors, every bad argument
 * refused with a status, and eight threads billing with one shared catalog,
 * config and event log agreeing with one thread. Prints "N passed, N failed". */
#include "memberkit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define JPY 392u

static const char PLANS[] =
    "[{\"id\":\"regular\",\"name\":\"Regular\",\"price\":{\"amount\":\"8800\",\"currency\":\"JPY\"},"
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1}}]";

static MkDate date(int32_t y, uint32_t m, uint32_t d) {
    MkDate out = {y, m, d};
    return out;
}

static int str_eq(MkStr s, const char *text) { return s.ptr && s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0; }

/* Whether `s` holds `text`. */
static int has(MkStr s, const char *text) {
    size_t n = strlen(text);
    for (size_t i = 0; s.ptr && i + n <= s.len; i++) {
        if (memcmp(s.ptr + i, text, n) == 0) return 1;
    }
    return 0;
}

/* The events of a join to `plan` on `start`, as JSON (free with mk_string_free). */
static char *join_events(const MkCatalog *catalog, const char *plan, MkDate start) {
    char command[160], *events = NULL;
    snprintf(command, sizeof command, "{\"type\":\"join\",\"plan\":\"%s\",\"start\":\"%04d-%02u-%02u\"}", plan, start.year,
             start.month, start.day);
    return mk_membership_decide(catalog, NULL, command, start, &events) == MK_STATUS_OK ? events : NULL;
}

static void test_run(const MkCatalog *catalog, const MkBillingConfig *config) {
    char *events = join_events(catalog, "regular", date(2026, 4, 20));
    MkEventLog *log = NULL, *ghost = NULL;
    CHECK(events && mk_event_log_new(events, &log) == MK_STATUS_OK && log);
    /* A membership of a plan the catalog does not have: its account fails alone. */
    CHECK(mk_event_log_new("[{\"type\":\"joined\",\"on\":\"2026-04-01\",\"plan\":\"gold\",\"applied_on\":\"2026-04-01\","
                           "\"paid_from\":\"2026-04-01\",\"admission_fee\":null,\"rejoin\":false}]",
                           &ghost) == MK_STATUS_OK);
    MkAccount *a = NULL, *b = NULL;
    CHECK(mk_account_new("m-1", &a) == MK_STATUS_OK && a);
    CHECK(mk_account_new("m-2", &b) == MK_STATUS_OK && b);
    CHECK(mk_account_add_charges(a, "[{\"id\":\"towel\",\"on\":\"2026-05-01\",\"description\":\"Towel\","
                                    "\"amount\":{\"amount\":\"324\",\"currency\":\"JPY\"},"
                                    "\"tax\":{\"rate\":\"reduced\",\"included\":true}}]") == MK_STATUS_OK);
    char *before = NULL;
    CHECK(mk_account_to_json(b, &before) == MK_STATUS_OK);

    MkAccount *accounts[] = {a, b};
    const MkEventLog *logs[] = {log, ghost};
    MkBillingRun *run = NULL;
    CHECK(mk_bill_run(catalog, config, accounts, logs, 2, date(2026, 5, 1), &run) == MK_STATUS_OK && run);

    MkBillingRunSummary summary;
    CHECK(mk_billing_run_summary(run, &summary) == MK_STATUS_OK);
    CHECK(summary.accounts == 2 && summary.documents == 2 && summary.failed == 1);

    MkBillingOutcome outcome;
    CHECK(mk_billing_run_outcome(run, 0, &outcome) == MK_STATUS_OK && outcome.status == MK_STATUS_OK &&
          outcome.documents == 2 && outcome.message.len == 0);
    CHECK(mk_billing_run_outcome(run, 1, &outcome) == MK_STATUS_OK && outcome.status == MK_STATUS_UNKNOWN_PLAN &&
          outcome.documents == 0 && str_eq(outcome.code, "unknown_plan"));
    CHECK(has(outcome.message, "gold"));
    /* A failed account is left as it was. */
    char *after = NULL;
    CHECK(mk_account_to_json(b, &after) == MK_STATUS_OK && before && after && strcmp(before, after) == 0);

    /* Apr 20-30: 11/30 of 8,800 = 3,226.66... -> 3,226, tax included 293. */
    MkDocument doc;
    CHECK(mk_billing_run_document(run, 0, 0, &doc) == MK_STATUS_OK);
    CHECK(str_eq(doc.id, "m-1-20260420-1") && str_eq(doc.account, "m-1") && doc.kind == MK_DOCUMENT_INVOICE);
    CHECK(doc.date.month == 4 && doc.date.day == 20 && doc.corrects.ptr == NULL && doc.corrects.len == 0);
    CHECK(doc.lines == 1 && doc.taxes == 1 && doc.total.minor == 3226 && doc.total.currency == JPY &&
          doc.amount_due.minor == 3226 && doc.refund.minor == 0);
    MkLine line;
    CHECK(mk_billing_run_line(run, 0, 0, 0, &line) == MK_STATUS_OK);
    CHECK(line.kind == MK_LINE_PLAN_FEE && str_eq(line.plan, "regular") && line.quantity == 1);
    CHECK(line.proration == MK_PRORATION_SHARE && line.proration_part == 11 && line.proration_whole == 30);
    CHECK(line.has_period && line.period.start.day == 20 && line.period.end.month == 5 && line.period.end.day == 1);
    CHECK(line.unit_price.minor == 8800 && line.amount.minor == 3226 && line.tax_rate == MK_TAX_RATE_STANDARD &&
          line.tax_included && !line.credit);
    MkTaxSummary tax;
    CHECK(mk_billing_run_tax(run, 0, 0, 0, &tax) == MK_STATUS_OK);
    CHECK(tax.rate == MK_TAX_RATE_STANDARD && tax.percent_mantissa == 10 && tax.percent_scale == 2 && tax.included &&
          tax.taxable.minor == 3226 && tax.tax.minor == 293);
    /* May: the fee and the host's charge, taxed at two rates. */
    CHECK(mk_billing_run_document(run, 0, 1, &doc) == MK_STATUS_OK && str_eq(doc.id, "m-1-20260501-1") &&
          doc.lines == 2 && doc.taxes == 2 && doc.total.minor == 8800 + 324);
    CHECK(mk_billing_run_line(run, 0, 1, 1, &line) == MK_STATUS_OK && line.kind == MK_LINE_CHARGE &&
          str_eq(line.description, "Towel") && !line.has_period && line.proration == MK_PRORATION_NONE &&
          line.tax_rate == MK_TAX_RATE_REDUCED);
    CHECK(mk_billing_run_tax(run, 0, 1, 1, &tax) == MK_STATUS_OK && tax.rate == MK_TAX_RATE_REDUCED &&
          tax.percent_mantissa == 8 && tax.tax.minor == 24);
    char *json = NULL;
    CHECK(mk_billing_run_document_json(run, 0, 1, &json) == MK_STATUS_OK && json &&
          strstr(json, "\"id\":\"m-1-20260501-1\"") != NULL && strstr(json, "\"Towel\"") != NULL);
    mk_string_free(json);

    /* Indices out of range, a failed account's documents, NULL outputs. */
    CHECK(mk_billing_run_outcome(run, 2, &outcome) == MK_STATUS_INVALID_ARGUMENT && MESSAGE_HAS("account 2"));
    CHECK(mk_billing_run_document(run, 0, 2, &doc) == MK_STATUS_INVALID_ARGUMENT && MESSAGE_HAS("document 2"));
    CHECK(mk_billing_run_document(run, 1, 0, &doc) == MK_STATUS_INVALID_ARGUMENT && MESSAGE_HAS("not billed"));
    CHECK(mk_billing_run_line(run, 0, 0, 1, &line) == MK_STATUS_INVALID_ARGUMENT && MESSAGE_HAS("line 1"));
    CHECK(mk_billing_run_tax(run, 0, 0, 1, &tax) == MK_STATUS_INVALID_ARGUMENT && MESSAGE_HAS("tax 1"));
    CHECK(mk_billing_run_document_json(run, 5, 0, &json) == MK_STATUS_INVALID_ARGUMENT);
    CHECK(mk_billing_run_summary(NULL, &summary) == MK_STATUS_NULL_POINTER);
    CHECK(mk_billing_run_summary(run, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_billing_run_outcome(run, 0, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_billing_run_document(NULL, 0, 0, &doc) == MK_STATUS_NULL_POINTER);
    CHECK(mk_billing_run_line(run, 0, 0, 0, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_billing_run_tax(NULL, 0, 0, 0, &tax) == MK_STATUS_NULL_POINTER);
    CHECK(mk_billing_run_document_json(run, 0, 0, NULL) == MK_STATUS_NULL_POINTER);
    mk_billing_run_free(run);

    /* Billing the same accounts through the same day again issues nothing. */
    CHECK(mk_bill_run(catalog, config, accounts, logs, 2, date(2026, 5, 1), &run) == MK_STATUS_OK);
    CHECK(mk_billing_run_summary(run, &summary) == MK_STATUS_OK && summary.documents == 0 && summary.failed == 1);
    mk_billing_run_free(run);

    /* The ledger stored and read back bills on from where it was. */
    char *stored = NULL;
    MkAccount *restored = NULL;
    CHECK(mk_account_to_json(a, &stored) == MK_STATUS_OK && mk_account_from_json(stored, &restored) == MK_STATUS_OK);
    MkAccount *one[] = {restored};
    CHECK(mk_bill_run(catalog, config, one, logs, 1, date(2026, 6, 1), &run) == MK_STATUS_OK);
    CHECK(mk_billing_run_document(run, 0, 0, &doc) == MK_STATUS_OK && str_eq(doc.id, "m-1-20260601-1") &&
          doc.total.minor == 8800);
    mk_billing_run_free(run);

    /* Bad arguments: each a status, nothing billed, *out_run untouched. */
    run = NULL;
    MkAccount *twice[] = {a, b, a};
    const MkEventLog *three[] = {log, log, log};
    CHECK(mk_bill_run(catalog, config, twice, three, 3, date(2026, 7, 1), &run) == MK_STATUS_INVALID_ARGUMENT &&
          MESSAGE_HAS("accounts[0] and accounts[2] are the same account") && run == NULL);
    MkAccount *with_null[] = {a, NULL};
    CHECK(mk_bill_run(catalog, config, with_null, logs, 2, date(2026, 7, 1), &run) == MK_STATUS_NULL_POINTER &&
          MESSAGE_HAS("accounts[1]"));
    const MkEventLog *null_log[] = {log, NULL};
    CHECK(mk_bill_run(catalog, config, accounts, null_log, 2, date(2026, 7, 1), &run) == MK_STATUS_NULL_POINTER &&
          MESSAGE_HAS("logs[1]"));
    CHECK(mk_bill_run(catalog, config, NULL, logs, 1, date(2026, 7, 1), &run) == MK_STATUS_NULL_POINTER &&
          MESSAGE_HAS("accounts is NULL"));
    CHECK(mk_bill_run(catalog, config, accounts, NULL, 1, date(2026, 7, 1), &run) == MK_STATUS_NULL_POINTER);
    CHECK(mk_bill_run(NULL, config, accounts, logs, 2, date(2026, 7, 1), &run) == MK_STATUS_NULL_POINTER);
    CHECK(mk_bill_run(catalog, NULL, accounts, logs, 2, date(2026, 7, 1), &run) == MK_STATUS_NULL_POINTER);
    CHECK(mk_bill_run(catalog, config, accounts, logs, 2, date(2026, 7, 1), NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_bill_run(catalog, config, accounts, logs, 2, date(2026, 2, 30), &run) == MK_STATUS_INVALID_DATE);
    CHECK(run == NULL);
    /* None of those billed July: the ledger still ends in June... */
    CHECK(mk_bill_run(catalog, config, one, logs, 1, date(2026, 7, 1), &run) == MK_STATUS_OK &&
          mk_billing_run_summary(run, &summary) == MK_STATUS_OK && summary.documents == 1);
    mk_billing_run_free(run);
    /* ...and an empty run is a run. */
    CHECK(mk_bill_run(catalog, config, NULL, NULL, 0, date(2026, 7, 1), &run) == MK_STATUS_OK &&
          mk_billing_run_summary(run, &summary) == MK_STATUS_OK && summary.accounts == 0);
    mk_billing_run_free(run);

    /* Accounts and logs: bad inputs. */
    MkAccount *bad = NULL;
    CHECK(mk_account_new(NULL, &bad) == MK_STATUS_NULL_POINTER && bad == NULL);
    CHECK(mk_account_new("m-9", NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_account_from_json("{", &bad) == MK_STATUS_INVALID_JSON && bad == NULL);
    CHECK(mk_account_to_json(NULL, &stored) == MK_STATUS_NULL_POINTER);
    CHECK(mk_account_add_charges(a, "[{\"id\":\"x\"}]") == MK_STATUS_INVALID_JSON && MESSAGE_HAS("charges"));
    CHECK(mk_account_add_charges(NULL, "[]") == MK_STATUS_NULL_POINTER);
    CHECK(mk_account_add_discounts(a, "{") == MK_STATUS_INVALID_JSON);
    CHECK(mk_account_add_discounts(a, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_event_log_new("[{\"type\":\"nope\"}]", &ghost) == MK_STATUS_INVALID_JSON);
    CHECK(mk_event_log_new(NULL, &ghost) == MK_STATUS_NULL_POINTER);

    mk_string_free(stored);
    mk_string_free(before);
    mk_string_free(after);
    mk_string_free(events);
    mk_account_free(restored);
    mk_account_free(a);
    mk_account_free(b);
    mk_account_free(NULL);
    mk_event_log_free(log);
    mk_event_log_free(ghost);
    mk_event_log_free(NULL);
    mk_billing_run_free(NULL);
}

/* Eight threads each bill their own accounts with one shared catalog,
   config and event log, and read every document; their sums must equal one
   thread's. */
#define N_THREADS 8
#define N_ACCOUNTS 200

typedef struct {
    const MkCatalog *catalog;
    const MkBillingConfig *config;
    const MkEventLog *log;
    int worker;
    int64_t total; /* the sum of every document's total and tax */
    size_t documents;
    int ok;
} Worker;

static void *bill_accounts(void *arg) {
    Worker *w = arg;
    MkAccount *accounts[N_ACCOUNTS];
    const MkEventLog *logs[N_ACCOUNTS];
    w->ok = 1;
    for (int i = 0; i < N_ACCOUNTS; i++) {
        char id[32];
        snprintf(id, sizeof id, "w%d-%d", w->worker, i);
        accounts[i] = NULL;
        w->ok &= mk_account_new(id, &accounts[i]) == MK_STATUS_OK;
        logs[i] = w->log;
    }
    for (uint32_t month = 5; month <= 8 && w->ok; month++) {
        MkBillingRun *run = NULL;
        w->ok &= mk_bill_run(w->catalog, w->config, accounts, logs, N_ACCOUNTS, date(2026, month, 1), &run) == MK_STATUS_OK;
        for (size_t i = 0; i < N_ACCOUNTS && w->ok; i++) {
            MkBillingOutcome outcome;
            w->ok &= mk_billing_run_outcome(run, i, &outcome) == MK_STATUS_OK && outcome.status == MK_STATUS_OK;
            for (size_t d = 0; d < outcome.documents && w->ok; d++) {
                MkDocument doc;
                MkTaxSummary tax;
                w->ok &= mk_billing_run_document(run, i, d, &doc) == MK_STATUS_OK &&
                         mk_billing_run_tax(run, i, d, 0, &tax) == MK_STATUS_OK;
                w->total += doc.total.minor + tax.tax.minor;
                w->documents++;
            }
        }
        mk_billing_run_free(run);
    }
    for (int i = 0; i < N_ACCOUNTS; i++) mk_account_free(accounts[i]);
    return NULL;
}

static void test_threads(const MkCatalog *catalog, const MkBillingConfig *config) {
    char *events = join_events(catalog, "regular", date(2026, 4, 11));
    MkEventLog *log = NULL;
    CHECK(events && mk_event_log_new(events, &log) == MK_STATUS_OK);
    Worker alone = {catalog, config, log, 0, 0, 0, 0};
    bill_accounts(&alone);
    CHECK(alone.ok && alone.documents == (size_t)N_ACCOUNTS * 5);
    Worker workers[N_THREADS];
    pthread_t threads[N_THREADS];
    for (int t = 0; t < N_THREADS; t++) {
        Worker w = {catalog, config, log, t + 1, 0, 0, 0};
        workers[t] = w;
        CHECK(pthread_create(&threads[t], NULL, bill_accounts, &workers[t]) == 0);
    }
    for (int t = 0; t < N_THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK(workers[t].ok && workers[t].documents == alone.documents && workers[t].total == alone.total);
    }
    mk_event_log_free(log);
    mk_string_free(events);
}

int main(void) {
    MkCatalog *catalog = NULL;
    MkBillingConfig *config = NULL;
    CHECK(mk_catalog_new(PLANS, &catalog) == MK_STATUS_OK && mk_billing_config_new("{}", &config) == MK_STATUS_OK);
    test_run(catalog, config);
    test_threads(catalog, config);
    mk_billing_config_free(config);
    mk_catalog_free(catalog);
    printf("c billing run: %d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
