/* Times a billing run from C the way benches/billing_compare.py times one
 * from Python, on the same subscriptions: monthly plans billed in advance
 * on the 1st, members joining on each day from Apr 1 to May 1 in turn,
 * every account billed from its start through May 1.
 * - typed: mk_bill_run over new MkAccounts (made before the clock starts,
 *   as the Python side's Account objects are), each membership's events an
 *   MkEventLog parsed once (members alike share one), then every document,
 *   line and tax summary read through the accessors inside the clock;
 * - typed, accounts made inside the clock (mk_account_new per account);
 * - typed, documents read after the clock stops (billing alone, as Python's
 *   `bill_many` is timed, its `Documents` read lazily afterwards);
 * - JSON: mk_bill_batch over the same histories as JSON text, the result
 *   written as JSON text (not parsed: a C host would parse it on top).
 * The runs take turns, one of each per round, and each keeps its fastest.
 * Every path must issue the same invoices for the same amount due.
 * Prints invoices per second and microseconds per invoice, one core.
 * Built and run by benches/c/run.sh.
 * Usage: bill_run [ACCOUNTS] [ROUNDS] (20000 and 5 by default). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "memberkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char PLANS[] =
    "[{\"id\":\"regular\",\"name\":\"Regular\",\"price\":{\"amount\":\"8800\",\"currency\":\"JPY\"},"
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1}},"
    "{\"id\":\"premium\",\"name\":\"Premium\",\"price\":{\"amount\":\"13200\",\"currency\":\"JPY\"},"
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1}},"
    "{\"id\":\"light\",\"name\":\"Light\",\"price\":{\"amount\":\"5500\",\"currency\":\"JPY\"},"
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1}},"
    "{\"id\":\"night\",\"name\":\"Night\",\"price\":{\"amount\":\"6600\",\"currency\":\"JPY\"},"
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1}}]";
static const char *const PLAN_IDS[] = {"regular", "premium", "light", "night"};
#define N_PLANS 4
#define N_DAYS 31 /* Apr 1 .. May 1 */

static const MkDate THROUGH = {2026, 5, 1};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(const char *what) {
    fprintf(stderr, "bill_run: %s: %s\n", what, mk_last_error_message());
    exit(1);
}

static MkDate start_of(size_t i) {
    size_t day = i % N_DAYS;
    MkDate d = {2026, day < 30 ? 4u : 5u, day < 30 ? (uint32_t)day + 1 : 1u};
    return d;
}

/* What a run issued, read back: invoices and the amount due over all. */
typedef struct {
    size_t invoices;
    int64_t due;
    size_t lines; /* lines and tax summaries read (typed runs) */
} Tally;

/* Reads every document, line and tax summary of `run` (as a host would
   store them), adding up what is due. */
static Tally read_run(const MkBillingRun *run, size_t accounts) {
    Tally tally = {0, 0, 0};
    for (size_t a = 0; a < accounts; a++) {
        MkBillingOutcome outcome;
        if (mk_billing_run_outcome(run, a, &outcome) != MK_STATUS_OK || outcome.status != MK_STATUS_OK) die("outcome");
        for (size_t d = 0; d < outcome.documents; d++) {
            MkDocument doc;
            if (mk_billing_run_document(run, a, d, &doc) != MK_STATUS_OK) die("document");
            for (size_t l = 0; l < doc.lines; l++) {
                MkLine line;
                if (mk_billing_run_line(run, a, d, l, &line) != MK_STATUS_OK) die("line");
                tally.lines++;
            }
            for (size_t t = 0; t < doc.taxes; t++) {
                MkTaxSummary tax;
                if (mk_billing_run_tax(run, a, d, t, &tax) != MK_STATUS_OK) die("tax");
                tally.lines++;
            }
            tally.invoices++;
            tally.due += doc.amount_due.minor;
        }
    }
    return tally;
}

static MkAccount **new_accounts(size_t count) {
    MkAccount **accounts = malloc(count * sizeof *accounts);
    if (!accounts) die("out of memory");
    for (size_t i = 0; i < count; i++) {
        char id[32];
        snprintf(id, sizeof id, "m-%06zu", i);
        if (mk_account_new(id, &accounts[i]) != MK_STATUS_OK) die("account");
    }
    return accounts;
}

static void free_accounts(MkAccount **accounts, size_t count) {
    for (size_t i = 0; i < count; i++) mk_account_free(accounts[i]);
    free(accounts);
}

/* What a typed run times besides mk_bill_run. */
typedef enum { READ_ALL, MAKE_ACCOUNTS_TOO, BILL_ONLY } Timed;

/* One typed run. BILL_ONLY reads the documents after the clock stops (as
   Python's lazy `Documents` are read after `bill_many` returns). */
static double typed_run(const MkCatalog *catalog, const MkBillingConfig *config, const MkEventLog *const *logs,
                        size_t count, Timed timed, Tally *tally) {
    MkAccount **accounts = timed == MAKE_ACCOUNTS_TOO ? NULL : new_accounts(count);
    double start = now();
    if (timed == MAKE_ACCOUNTS_TOO) accounts = new_accounts(count);
    MkBillingRun *run = NULL;
    if (mk_bill_run(catalog, config, accounts, logs, count, THROUGH, &run) != MK_STATUS_OK) die("mk_bill_run");
    if (timed != BILL_ONLY) *tally = read_run(run, count);
    double seconds = now() - start;
    if (timed == BILL_ONLY) *tally = read_run(run, count);
    mk_billing_run_free(run);
    free_accounts(accounts, count);
    return seconds;
}

/* The JSON path's input: a new account and its events per subscription. */
static char *histories_json(char *const *events, size_t count) {
    size_t cap = 1 << 20, len = 0;
    char *out = malloc(cap);
    if (!out) die("out of memory");
    out[len++] = '[';
    for (size_t i = 0; i < count; i++) {
        const char *e = events[(i % N_PLANS) * N_DAYS + i % N_DAYS];
        size_t need = strlen(e) + 128;
        if (len + need + 2 > cap) {
            while (len + need + 2 > cap) cap *= 2;
            char *grown = realloc(out, cap);
            if (!grown) die("out of memory");
            out = grown;
        }
        len += (size_t)snprintf(out + len, cap - len, "%s{\"account\":{\"id\":\"m-%06zu\"},\"events\":%s}", i ? "," : "",
                                i, e);
    }
    out[len++] = ']';
    out[len] = '\0';
    return out;
}

/* The invoices and amount due in mk_bill_batch's result, scanned as text. */
static Tally scan_json(const char *runs) {
    Tally tally = {0, 0, 0};
    static const char key[] = "\"amount_due\":{\"amount\":\"";
    for (const char *p = strstr(runs, key); p; p = strstr(p, key)) {
        p += sizeof key - 1;
        tally.due += strtoll(p, NULL, 10);
        tally.invoices++;
    }
    return tally;
}

static double json_run(const MkCatalog *catalog, const MkBillingConfig *config, const char *histories, Tally *tally,
                       size_t *bytes) {
    char *runs = NULL;
    double start = now();
    if (mk_bill_batch(catalog, config, histories, THROUGH, &runs) != MK_STATUS_OK) die("mk_bill_batch");
    double seconds = now() - start;
    *tally = scan_json(runs);
    *bytes = strlen(runs);
    mk_string_free(runs);
    return seconds;
}

static void report(const char *what, size_t invoices, double seconds) {
    printf("%-52s %8.3f ms  %10.0f invoices/s  %6.3f us/invoice\n", what, seconds * 1e3, (double)invoices / seconds,
           seconds * 1e6 / (double)invoices);
}

int main(int argc, char **argv) {
    size_t count = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 20000;
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (count == 0 || rounds <= 0) {
        fprintf(stderr, "usage: bill_run [ACCOUNTS > 0] [ROUNDS > 0]\n");
        return 2;
    }
    MkCatalog *catalog = NULL;
    MkBillingConfig *config = NULL;
    if (mk_catalog_new(PLANS, &catalog) != MK_STATUS_OK) die("catalog");
    if (mk_billing_config_new("{}", &config) != MK_STATUS_OK) die("config");

    /* Each (plan, start day)'s join, decided once, as JSON and as a log. */
    char *events[N_PLANS * N_DAYS];
    MkEventLog *shared[N_PLANS * N_DAYS];
    for (size_t p = 0; p < N_PLANS; p++) {
        for (size_t d = 0; d < N_DAYS; d++) {
            MkDate start = start_of(d);
            char join[128];
            snprintf(join, sizeof join, "{\"type\":\"join\",\"plan\":\"%s\",\"start\":\"%04d-%02u-%02u\"}", PLAN_IDS[p],
                     start.year, start.month, start.day);
            if (mk_membership_decide(catalog, NULL, join, start, &events[p * N_DAYS + d]) != MK_STATUS_OK) die("join");
            if (mk_event_log_new(events[p * N_DAYS + d], &shared[p * N_DAYS + d]) != MK_STATUS_OK) die("log");
        }
    }
    const MkEventLog **logs = malloc(count * sizeof *logs);
    if (!logs) die("out of memory");
    for (size_t i = 0; i < count; i++) logs[i] = shared[(i % N_PLANS) * N_DAYS + i % N_DAYS];
    char *histories = histories_json(events, count);

    double best_typed = 1e30, best_made = 1e30, best_bill = 1e30, best_json = 1e30;
    Tally typed = {0, 0, 0}, made = {0, 0, 0}, billed = {0, 0, 0}, json = {0, 0, 0};
    size_t json_bytes = 0;
    for (int r = 0; r < rounds; r++) {
        double s = typed_run(catalog, config, logs, count, READ_ALL, &typed);
        if (s < best_typed) best_typed = s;
        s = typed_run(catalog, config, logs, count, MAKE_ACCOUNTS_TOO, &made);
        if (s < best_made) best_made = s;
        s = typed_run(catalog, config, logs, count, BILL_ONLY, &billed);
        if (s < best_bill) best_bill = s;
        s = json_run(catalog, config, histories, &json, &json_bytes);
        if (s < best_json) best_json = s;
    }
    if (typed.invoices != made.invoices || typed.invoices != json.invoices || typed.invoices != billed.invoices ||
        typed.due != made.due || typed.due != json.due || typed.due != billed.due) {
        fprintf(stderr, "bill_run: the paths disagree: %zu/%zu/%zu invoices, %lld/%lld/%lld due\n", typed.invoices,
                made.invoices, json.invoices, (long long)typed.due, (long long)made.due, (long long)json.due);
        return 1;
    }
    printf("billing from C: %zu accounts, %zu invoices, %lld yen due; best of %d rounds, one thread\n", count,
           typed.invoices, (long long)typed.due, rounds);
    report("typed run (mk_bill_run + every document, line, tax)", typed.invoices, best_typed);
    report("typed run, accounts made inside the clock", made.invoices, best_made);
    report("typed run, documents read after the clock", billed.invoices, best_bill);
    report("JSON text (mk_bill_batch, result not parsed)", json.invoices, best_json);
    printf("typed runs read %zu lines and tax summaries; the JSON result is %.0f bytes per invoice\n", typed.lines,
           (double)json_bytes / (double)json.invoices);

    free(histories);
    free(logs);
    for (size_t i = 0; i < N_PLANS * N_DAYS; i++) {
        mk_event_log_free(shared[i]);
        mk_string_free(events[i]);
    }
    mk_billing_config_free(config);
    mk_catalog_free(catalog);
    return 0;
}
