/* The billing vectors through the typed run (mk_bill_run): each run's
 * documents, read field by field through the accessors, must be the ones
 * mk_bill wrote as JSON for the same history, and the typed account must
 * end as mk_bill's account JSON. test_vectors.c checks the JSON path
 * against the vectors; this file checks the typed path against it. */
#include "json_scan.h"
#include "memberkit.h"
#include "vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether `got` (an MkStr) is the JSON string at p, or absent where p is null. */
static int str_is(MkStr got, const char *p) {
    if (!p) return 0;
    if (!got.ptr) return strncmp(js_ws(p), "null", 4) == 0;
    char *want = js_string(p);
    int same = want && strlen(want) == got.len && memcmp(want, got.ptr, got.len) == 0;
    free(want);
    return same;
}

/* Whether the value at p, quotes dropped, is `want`. */
static int text_is(const char *p, const char *want) {
    if (!p) return 0;
    char *got = js_copy(p);
    int same = got && strcmp(got, want) == 0;
    free(got);
    return same;
}

/* Whether `money` is the JSON Money at p ({"amount": "-6060", "currency": "JPY"}). */
static int money_is(MkMoney money, const char *p) {
    char *text = NULL;
    if (!p || mk_money_to_string(money, &text) != MK_STATUS_OK) return 0;
    char *amount = js_copy(js_get(p, "amount")), *currency = js_copy(js_get(p, "currency"));
    char want[128];
    snprintf(want, sizeof want, "%s %s", amount ? amount : "?", currency ? currency : "?");
    int same = strcmp(text, want) == 0;
    free(amount);
    free(currency);
    mk_string_free(text);
    return same;
}

static int date_is(MkDate d, const char *p) {
    char text[32];
    snprintf(text, sizeof text, "%04d-%02u-%02u", d.year, d.month, d.day);
    return text_is(p, text);
}

static int bool_is(bool got, const char *p) { return text_is(p, got ? "true" : "false"); }

static const char *const DOCUMENT_KINDS[] = {"invoice", "credit_note"};
static const char *const LINE_KINDS[] = {"plan_fee", "pause_fee",  "admission_fee", "trial_fee",
                                         "early_termination_fee", "charge", "discount"};
static const char *const TAX_RATES[] = {"standard", "reduced", "exempt"};

/* `names[value]`, or "?" outside the table. */
#define NAME_OF(names, value) ((value) < sizeof names / sizeof names[0] ? names[value] : "?")

static int line_is(const MkLine *l, const char *p) {
    int same = str_is(l->description, js_get(p, "description")) && text_is(js_get(p, "kind"), NAME_OF(LINE_KINDS, l->kind)) &&
               str_is(l->plan, js_get(p, "plan")) && money_is(l->unit_price, js_get(p, "unit_price")) &&
               money_is(l->amount, js_get(p, "amount"));
    char number[32];
    snprintf(number, sizeof number, "%u", l->quantity);
    same &= text_is(js_get(p, "quantity"), number);
    const char *period = js_get(p, "period");
    same &= l->has_period ? date_is(l->period.start, js_get(period, "start")) && date_is(l->period.end, js_get(period, "end"))
                          : text_is(period, "null");
    if (l->proration == MK_PRORATION_SHARE) {
        snprintf(number, sizeof number, "%u/%u", l->proration_part, l->proration_whole);
        same &= text_is(js_get(p, "proration"), number);
    } else {
        same &= text_is(js_get(p, "proration"), l->proration == MK_PRORATION_FREE ? "free" : "null");
    }
    const char *tax = js_get(p, "tax");
    same &= text_is(js_get(tax, "rate"), NAME_OF(TAX_RATES, l->tax_rate)) && bool_is(l->tax_included, js_get(tax, "included"));
    /* "credit" is written only when true. */
    same &= l->credit ? bool_is(true, js_get(p, "credit")) : js_get(p, "credit") == NULL;
    return same;
}

/* The decimal mantissa × 10^-scale as text: 10, 2 -> "0.10". */
static void decimal_text(int64_t mantissa, uint32_t scale, char *out, size_t len) {
    char digits[24];
    snprintf(digits, sizeof digits, "%lld", (long long)(mantissa < 0 ? -mantissa : mantissa));
    size_t n = strlen(digits);
    const char *sign = mantissa < 0 ? "-" : "";
    if (scale == 0) {
        snprintf(out, len, "%s%s", sign, digits);
    } else if (n > scale) {
        snprintf(out, len, "%s%.*s.%s", sign, (int)(n - scale), digits, digits + n - scale);
    } else {
        char zeros[24] = {0};
        memset(zeros, '0', scale - n < sizeof zeros ? scale - n : sizeof zeros - 1);
        snprintf(out, len, "%s0.%s%s", sign, zeros, digits);
    }
}

static int tax_is(const MkTaxSummary *t, const char *p) {
    char percent[128];
    decimal_text(t->percent_mantissa, t->percent_scale, percent, sizeof percent);
    return text_is(js_get(p, "rate"), NAME_OF(TAX_RATES, t->rate)) && text_is(js_get(p, "percent"), percent) &&
           bool_is(t->included, js_get(p, "included")) && money_is(t->taxable, js_get(p, "taxable")) &&
           money_is(t->tax, js_get(p, "tax"));
}

/* Whether document `index` of the run's only account reads, through every
   accessor and as JSON, as the document `p` mk_bill wrote. */
static int document_is(const char *name, int doc_no, const MkBillingRun *run, size_t index, const char *p) {
    MkDocument d;
    if (mk_billing_run_document(run, 0, index, &d) != MK_STATUS_OK) {
        fail(name, doc_no, "typed document", mk_last_error_message(), "ok");
        return 0;
    }
    int same = str_is(d.id, js_get(p, "id")) && text_is(js_get(p, "kind"), NAME_OF(DOCUMENT_KINDS, d.kind)) &&
               str_is(d.account, js_get(p, "account")) && date_is(d.date, js_get(p, "date")) &&
               date_is(d.collection_date, js_get(p, "collection_date")) && str_is(d.corrects, js_get(p, "corrects")) &&
               money_is(d.total, js_get(p, "total")) && money_is(d.credit_applied, js_get(p, "credit_applied")) &&
               money_is(d.refund, js_get(p, "refund")) && money_is(d.amount_due, js_get(p, "amount_due"));
    if (!same) fail(name, doc_no, "typed document fields", "differ", "mk_bill's");
    size_t n = 0;
    for (const char *l = js_first(js_get(p, "lines")); l; l = js_next(l), n++) {
        MkLine line;
        if (mk_billing_run_line(run, 0, index, n, &line) != MK_STATUS_OK || !line_is(&line, l)) {
            fail(name, doc_no, "typed line", "differs", "mk_bill's");
            same = 0;
        }
    }
    if (n != d.lines) {
        fail(name, doc_no, "typed line count", "differs", "mk_bill's");
        same = 0;
    }
    n = 0;
    for (const char *t = js_first(js_get(p, "taxes")); t; t = js_next(t), n++) {
        MkTaxSummary tax;
        if (mk_billing_run_tax(run, 0, index, n, &tax) != MK_STATUS_OK || !tax_is(&tax, t)) {
            fail(name, doc_no, "typed tax", "differs", "mk_bill's");
            same = 0;
        }
    }
    if (n != d.taxes) {
        fail(name, doc_no, "typed tax count", "differs", "mk_bill's");
        same = 0;
    }
    char *json = NULL;
    if (mk_billing_run_document_json(run, 0, index, &json) != MK_STATUS_OK) {
        fail(name, doc_no, "typed document JSON", mk_last_error_message(), "ok");
        return 0;
    }
    same &= same_json(name, doc_no, "typed document JSON", json, p);
    mk_string_free(json);
    return same;
}

int check_typed_run(const char *name, int doc_no, const MkCatalog *catalog, const MkBillingConfig *config,
                    MkAccount *account, const char *events_json, MkDate day, const char *run_json) {
    MkEventLog *log = NULL;
    MkBillingRun *run = NULL;
    if (mk_event_log_new(events_json, &log) != MK_STATUS_OK) {
        fail(name, doc_no, "event log", mk_last_error_message(), "ok");
        return 0;
    }
    const MkEventLog *logs[] = {log};
    MkAccount *accounts[] = {account};
    int same = 1;
    MkBillingOutcome outcome;
    if (mk_bill_run(catalog, config, accounts, logs, 1, day, &run) != MK_STATUS_OK ||
        mk_billing_run_outcome(run, 0, &outcome) != MK_STATUS_OK || outcome.status != MK_STATUS_OK) {
        fail(name, doc_no, "typed run", mk_last_error_message(), "ok");
        same = 0;
    } else {
        size_t index = 0;
        for (const char *doc = js_first(js_get(run_json, "documents")); doc; doc = js_next(doc), index++) {
            same &= index < outcome.documents && document_is(name, doc_no + (int)index, run, index, doc);
        }
        if (index != outcome.documents) {
            fail(name, doc_no, "typed run's documents", "another count", "mk_bill's");
            same = 0;
        }
        char *ledger = NULL;
        if (mk_account_to_json(account, &ledger) != MK_STATUS_OK) {
            fail(name, doc_no, "typed account", mk_last_error_message(), "ok");
            same = 0;
        } else {
            same &= same_json(name, doc_no, "typed account", ledger, js_get(run_json, "account"));
        }
        mk_string_free(ledger);
    }
    mk_billing_run_free(run);
    mk_event_log_free(log);
    return same;
}
