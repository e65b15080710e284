/* Replays the conformance vectors through the C API.
 * - tests/vectors/membership.json: each step's outcome (the status of a
 *   refused command, the event types of an accepted one) and each case's
 *   final status.
 * - tests/vectors/billing.json: every document issued, in order (id, kind,
 *   dates, lines, taxes, amounts), by mk_bill; and by the typed run
 *   (mk_bill_run), which must read as mk_bill's (vectors_billing_run.c).
 * - tests/vectors/dunning.json: each step's events and the membership
 *   commands they call for (compared as JSON), or the status of a refused
 *   command; each case's final standing, restrictions, unpaid balance,
 *   amount collected and timeline messages in Japanese and English.
 * - tests/vectors/booking.json: in full, three ways (vectors_booking.c).
 * - tests/vectors/chat.json: every turn's step and text (vectors_chat.c).
 * The Rust and Python suites check the same files in full.
 * Usage: test_vectors MEMBERSHIP_JSON BILLING_JSON DUNNING_JSON BOOKING_JSON CHAT_JSON. */
#include "json_scan.h"
#include "memberkit.h"
#include "vectors.h"

#include <ctype.h>
#include <stdio.h>

int passed = 0;
int failed = 0;

char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    if (text) text[size] = '\0';
    fclose(f);
    return text;
}

/* "command_refused" -> "MK_STATUS_COMMAND_REFUSED" */
void status_name_for_kind(const char *kind, char *out, size_t len) {
    size_t i = (size_t)snprintf(out, len, "MK_STATUS_");
    for (; *kind && i + 1 < len; kind++, i++) out[i] = (char)toupper((unsigned char)*kind);
    out[i] = '\0';
}

/* The event types of a JSON array of events, joined with ','. */
static void event_types(const char *events, char *out, size_t len) {
    out[0] = '\0';
    for (const char *e = js_first(events); e; e = js_next(e)) {
        char *type = js_copy(js_get(e, "type"));
        if (out[0]) strncat(out, ",", len - strlen(out) - 1);
        strncat(out, type ? type : "?", len - strlen(out) - 1);
        free(type);
    }
}

void fail(const char *name, int step, const char *what, const char *got, const char *expected) {
    failed++;
    fprintf(stderr, "%s step %d: %s: got %s, expected %s\n", name, step, what, got, expected);
}

static MkDate parse_date_text(const char *text) {
    MkDate d = {0, 0, 0};
    if (mk_date_parse(text, &d) != MK_STATUS_OK) fprintf(stderr, "bad date %s\n", text);
    return d;
}

static MkDate parse_date(const char *p) {
    char *text = js_copy(p);
    MkDate d = parse_date_text(text);
    free(text);
    return d;
}

static void replay_case(const MkCatalog *catalog, const char *c) {
    char *name = js_copy(js_get(c, "name"));
    char *state = NULL;
    int step_no = 0;
    for (const char *step = js_first(js_get(c, "steps")); step; step = js_next(step), step_no++) {
        char *command = js_copy(js_get(step, "command"));
        const char *expected_error = js_get(step, "error");
        char *events = NULL;
        MkStatus status = mk_membership_decide(catalog, state, command, parse_date(js_get(step, "at")), &events);
        if (expected_error) {
            char *kind = js_copy(expected_error);
            char want[64];
            status_name_for_kind(kind, want, sizeof want);
            if (strcmp(mk_status_str(status), want) == 0) {
                passed++;
            } else {
                fail(name, step_no, "status", mk_status_str(status), want);
            }
            free(kind);
        } else if (status != MK_STATUS_OK) {
            fail(name, step_no, "status", mk_status_str(status), mk_last_error_message());
        } else {
            char got[1024], want[1024];
            event_types(events, got, sizeof got);
            event_types(js_get(step, "events"), want, sizeof want);
            if (strcmp(got, want) == 0) {
                passed++;
            } else {
                fail(name, step_no, "event types", got, want);
            }
            char *next = NULL;
            if (mk_membership_apply(state, events, &next) != MK_STATUS_OK) {
                fail(name, step_no, "apply", mk_last_error_message(), "ok");
            }
            mk_string_free(state);
            state = next;
        }
        mk_string_free(events);
        free(command);
    }
    char *want_status = js_copy(js_get(c, "status"));
    char *got_status = state ? js_copy(js_get(state, "status")) : NULL;
    const char *got = got_status ? got_status : "new";
    if (strcmp(got, want_status) == 0) {
        passed++;
    } else {
        fail(name, -1, "final status", got, want_status);
    }
    free(got_status);
    free(want_status);
    mk_string_free(state);
    free(name);
}

/* Appends the events of the JSON array `more` to the JSON array `*all`. */
static void append_events(char **all, const char *more) {
    const char *first = js_first(more);
    if (!first) return;
    const char *end = strrchr(more, ']');
    size_t add = (size_t)(end - first);
    size_t have = *all ? strlen(*all) : 0;
    char *joined = malloc(have + add + 4);
    if (!joined) return;
    if (*all && have > 2) {
        memcpy(joined, *all, have - 1); /* drop the closing ']' */
        joined[have - 1] = ',';
        memcpy(joined + have, first, add);
        joined[have + add] = ']';
        joined[have + add + 1] = '\0';
    } else {
        joined[0] = '[';
        memcpy(joined + 1, first, add);
        joined[add + 1] = ']';
        joined[add + 2] = '\0';
    }
    free(*all);
    *all = joined;
}

/* Decides `command` on `day`, applying and recording the events. */
static int step(const MkCatalog *catalog, char **state, char **events, const char *command, MkDate day) {
    char *new_events = NULL, *next = NULL;
    if (mk_membership_decide(catalog, *state, command, day, &new_events) != MK_STATUS_OK) return 0;
    int ok = mk_membership_apply(*state, new_events, &next) == MK_STATUS_OK;
    if (ok) {
        mk_string_free(*state);
        *state = next;
        append_events(events, new_events);
    }
    mk_string_free(new_events);
    return ok;
}

static int compare_dates(const void *a, const void *b) {
    return strcmp((const char *)a, (const char *)b);
}

/* A malloc'd copy of the value at p ("(missing)" when p is NULL, so that a
   missing field never reads as null); with `amount`, of the amount of the
   Money object at p. */
static char *field_text(const char *p, int amount) {
    if (p && amount) p = js_get(p, "amount");
    if (p) return js_copy(p);
    static const char missing[] = "(missing)";
    char *out = malloc(sizeof missing);
    if (out) memcpy(out, missing, sizeof missing);
    return out;
}

/* Whether `got` (a field of the document) reads as `want` (the vector's
   field); a failure names the case, document, field and both values. */
static int same_text(const char *name, int doc_no, const char *what, const char *got_at, int amount,
                     const char *want_at) {
    char *got = field_text(got_at, amount);
    char *want = field_text(want_at, 0);
    int same = strcmp(got, want) == 0;
    if (!same) fail(name, doc_no, what, got, want);
    free(got);
    free(want);
    return same;
}

/* Whether the document issued (`doc`, as mk_bill writes it) is the one the
   vector records (`want`: id, kind, dates, corrects, lines as [kind, amount,
   proration], taxes as [rate, tax], and the amounts), field by field. */
static int same_document(const char *name, int doc_no, const char *doc, const char *want) {
    static const char *const texts[] = {"id", "kind", "date", "collection_date", "corrects"};
    static const char *const amounts[] = {"total", "credit_applied", "refund", "amount_due"};
    int same = 1;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        same &= same_text(name, doc_no, texts[i], js_get(doc, texts[i]), 0, js_get(want, texts[i]));
    }
    for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
        same &= same_text(name, doc_no, amounts[i], js_get(doc, amounts[i]), 1, js_get(want, amounts[i]));
    }
    const char *line = js_first(js_get(doc, "lines"));
    const char *want_line = js_first(js_get(want, "lines"));
    for (; line && want_line; line = js_next(line), want_line = js_next(want_line)) {
        const char *kind = js_first(want_line);
        const char *amount = kind ? js_next(kind) : NULL;
        const char *proration = amount ? js_next(amount) : NULL;
        same &= same_text(name, doc_no, "line kind", js_get(line, "kind"), 0, kind);
        same &= same_text(name, doc_no, "line amount", js_get(line, "amount"), 1, amount);
        same &= same_text(name, doc_no, "line proration", js_get(line, "proration"), 0, proration);
    }
    if (line || want_line) {
        fail(name, doc_no, "lines", line ? "more" : "fewer", "as many as the vector");
        same = 0;
    }
    const char *tax = js_first(js_get(doc, "taxes"));
    const char *want_tax = js_first(js_get(want, "taxes"));
    for (; tax && want_tax; tax = js_next(tax), want_tax = js_next(want_tax)) {
        const char *rate = js_first(want_tax);
        same &= same_text(name, doc_no, "tax rate", js_get(tax, "rate"), 0, rate);
        same &= same_text(name, doc_no, "tax", js_get(tax, "tax"), 1, rate ? js_next(rate) : NULL);
    }
    if (tax || want_tax) {
        fail(name, doc_no, "taxes", tax ? "more" : "fewer", "as many as the vector");
        same = 0;
    }
    return same;
}

static void replay_billing_case(const MkCatalog *catalog, const char *configs, const char *c) {
    char *name = js_copy(js_get(c, "name"));
    char *config_name = js_copy(js_get(c, "config"));
    char *config_json = js_copy(js_get(configs, config_name));
    MkBillingConfig *config = NULL;
    if (mk_billing_config_new(config_json, &config) != MK_STATUS_OK) {
        fail(name, -1, "config", mk_last_error_message(), "ok");
    }
    char days[64][11];
    int n_days = 0;
    for (const char *s = js_first(js_get(c, "steps")); s && n_days < 64; s = js_next(s)) {
        char *at = js_copy(js_get(s, "at"));
        snprintf(days[n_days++], sizeof days[0], "%s", at);
        free(at);
    }
    for (const char *b = js_first(js_get(c, "bill_on")); b && n_days < 64; b = js_next(b)) {
        char *at = js_copy(b);
        snprintf(days[n_days++], sizeof days[0], "%s", at);
        free(at);
    }
    qsort(days, (size_t)n_days, sizeof days[0], compare_dates);
    char *state = NULL, *events = NULL;
    const char *saved = js_get(c, "account");
    char *account = saved ? js_copy(saved) : NULL;
    MkAccount *typed = NULL; /* the same ledger, billed by mk_bill_run */
    if ((saved ? mk_account_from_json(account, &typed) : mk_account_new("A", &typed)) != MK_STATUS_OK) {
        fail(name, -1, "typed account", mk_last_error_message(), "ok");
    }
    const char *expected = js_first(js_get(c, "documents"));
    int doc_no = 0;
    for (int i = 0; i < n_days; i++) {
        if (i > 0 && strcmp(days[i], days[i - 1]) == 0) continue;
        MkDate day = parse_date_text(days[i]);
        for (const char *s = js_first(js_get(c, "steps")); s; s = js_next(s)) {
            char *at = js_copy(js_get(s, "at"));
            if (strcmp(at, days[i]) == 0) {
                char *command = js_copy(js_get(s, "command"));
                if (!step(catalog, &state, &events, command, day)) fail(name, doc_no, "command", mk_last_error_message(), "ok");
                free(command);
            }
            free(at);
        }
        for (const char *b = js_first(js_get(c, "bill_on")); b; b = js_next(b)) {
            char *at = js_copy(b);
            int bill_today = strcmp(at, days[i]) == 0;
            free(at);
            if (!bill_today) continue;
            step(catalog, &state, &events, "{\"type\":\"advance\"}", day);
            char *run = NULL;
            if (mk_bill(catalog, config, account, "A", events ? events : "[]", day, &run) != MK_STATUS_OK) {
                fail(name, doc_no, "bill", mk_last_error_message(), "ok");
                continue;
            }
            if (check_typed_run(name, doc_no, catalog, config, typed, events ? events : "[]", day, run)) passed++;
            for (const char *doc = js_first(js_get(run, "documents")); doc; doc = js_next(doc), doc_no++) {
                if (!expected) {
                    char *id = js_copy(js_get(doc, "id"));
                    fail(name, doc_no, "document", id, "(none)");
                    free(id);
                } else if (same_document(name, doc_no, doc, expected)) {
                    passed++;
                }
                expected = expected ? js_next(expected) : NULL;
            }
            char *next_account = js_copy(js_get(run, "account"));
            free(account);
            account = next_account;
            mk_string_free(run);
        }
    }
    if (expected) fail(name, doc_no, "documents", "fewer", "more");
    mk_account_free(typed);
    free(account);
    free(events);
    mk_string_free(state);
    mk_billing_config_free(config);
    free(config_json);
    free(config_name);
    free(name);
}

static int replay_billing(const char *path) {
    char *doc = read_file(path);
    if (!doc) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    char *plans = js_copy(js_get(doc, "plans"));
    MkCatalog *catalog = NULL;
    if (mk_catalog_new(plans, &catalog) != MK_STATUS_OK) {
        fprintf(stderr, "catalog: %s\n", mk_last_error_message());
        return -1;
    }
    int cases = 0;
    for (const char *c = js_first(js_get(doc, "cases")); c; c = js_next(c), cases++) {
        replay_billing_case(catalog, js_get(doc, "configs"), c);
    }
    mk_catalog_free(catalog);
    free(plans);
    free(doc);
    return cases;
}

/* Whether the JSON at got equals the vector's JSON at want (NULL reads as
   missing); a failure names the case, step and both values. */
int same_json(const char *name, int step_no, const char *what, const char *got, const char *want) {
    if (got && want && js_equal(got, want)) return 1;
    char *got_text = field_text(got, 0), *want_text = field_text(want, 0);
    fail(name, step_no, what, got_text, want_text);
    free(got_text);
    free(want_text);
    return 0;
}

/* The amount of the Money at p, or p itself when it is null: "8800" or null. */
static const char *amount_or_null(const char *p) {
    return p && *js_ws(p) == '{' ? js_get(p, "amount") : p;
}

/* Whether mk_dunning_timeline in `language` tells the messages the vector
   lists under end.timeline.<language>, in order. */
static int same_timeline(const char *name, const MkDunningPolicy *policy, const char *state, const char *language,
                         const char *want) {
    char *timeline = NULL;
    if (mk_dunning_timeline(policy, state, language, &timeline) != MK_STATUS_OK) {
        fail(name, -1, "timeline", mk_last_error_message(), "ok");
        return 0;
    }
    int same = 1;
    const char *got = js_first(timeline), *expected = js_first(want);
    for (; got && expected; got = js_next(got), expected = js_next(expected)) {
        same &= same_json(name, -1, language, js_get(got, "message"), expected);
    }
    if (got || expected) {
        fail(name, -1, language, got ? "more messages" : "fewer messages", "as many as the vector");
        same = 0;
    }
    mk_string_free(timeline);
    return same;
}

static void replay_dunning_case(const char *policies, const char *c) {
    char *name = js_copy(js_get(c, "name"));
    char *policy_name = js_copy(js_get(c, "policy"));
    const char *policy_at = js_get(policies, policy_name);
    char *policy_json = policy_at ? js_copy(policy_at) : NULL;
    MkDunningPolicy *policy = NULL;
    if (mk_dunning_policy_new(policy_json, &policy) != MK_STATUS_OK) {
        fail(name, -1, "policy", mk_last_error_message(), "ok");
        free(policy_json);
        free(policy_name);
        free(name);
        return;
    }
    char *state = NULL;
    int step_no = 0;
    for (const char *s = js_first(js_get(c, "steps")); s; s = js_next(s), step_no++) {
        char *command = js_copy(js_get(s, "command"));
        const char *expected_error = js_get(s, "error");
        char *events = NULL;
        MkStatus status = mk_dunning_decide(policy, state, command, parse_date(js_get(s, "at")), &events);
        if (expected_error) {
            char *kind = js_copy(expected_error);
            char want[64];
            status_name_for_kind(kind, want, sizeof want);
            if (strcmp(mk_status_str(status), want) == 0 && events == NULL) {
                passed++;
            } else {
                fail(name, step_no, "status", mk_status_str(status), want);
            }
            free(kind);
        } else if (status != MK_STATUS_OK) {
            fail(name, step_no, "status", mk_status_str(status), mk_last_error_message());
        } else {
            char *commands = NULL, *next = NULL;
            int same = same_json(name, step_no, "events", events, js_get(s, "events"));
            if (mk_dunning_membership_commands(events, &commands) != MK_STATUS_OK) {
                fail(name, step_no, "membership commands", mk_last_error_message(), "ok");
                same = 0;
            } else {
                same &= same_json(name, step_no, "membership", commands, js_get(s, "membership"));
            }
            if (same) passed++;
            if (mk_dunning_apply(state, events, &next) != MK_STATUS_OK) {
                fail(name, step_no, "apply", mk_last_error_message(), "ok");
            } else {
                mk_string_free(state);
                state = next;
            }
            mk_string_free(commands);
        }
        mk_string_free(events);
        free(command);
    }
    const char *end = js_get(c, "end");
    char *view = NULL;
    if (mk_dunning_view(state, &view) != MK_STATUS_OK) {
        fail(name, -1, "view", mk_last_error_message(), "ok");
    } else {
        int same = same_json(name, -1, "standing", js_get(view, "standing"), js_get(end, "standing"));
        same &= same_json(name, -1, "restrictions", js_get(view, "restrictions"), js_get(end, "restrictions"));
        same &= same_json(name, -1, "unpaid balance", amount_or_null(js_get(view, "unpaid_balance")),
                          js_get(end, "unpaid_balance"));
        same &= same_json(name, -1, "collected", amount_or_null(js_get(view, "total_collected")),
                          js_get(end, "collected"));
        const char *timeline = js_get(end, "timeline");
        same &= same_timeline(name, policy, state, "ja", js_get(timeline, "ja"));
        same &= same_timeline(name, policy, state, "en", js_get(timeline, "en"));
        if (same) passed++;
    }
    mk_string_free(view);
    mk_string_free(state);
    mk_dunning_policy_free(policy);
    free(policy_json);
    free(policy_name);
    free(name);
}

static int replay_dunning(const char *path) {
    char *doc = read_file(path);
    if (!doc) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    int cases = 0;
    const char *policies = js_get(doc, "policies");
    for (const char *c = js_first(js_get(doc, "cases")); c; c = js_next(c), cases++) {
        replay_dunning_case(policies, c);
    }
    free(doc);
    return cases;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "tests/vectors/membership.json";
    char *doc = read_file(path);
    if (!doc) {
        fprintf(stderr, "cannot read %s\n", path);
        return 2;
    }
    char *plans = js_copy(js_get(doc, "plans"));
    MkCatalog *catalog = NULL;
    if (mk_catalog_new(plans, &catalog) != MK_STATUS_OK) {
        fprintf(stderr, "catalog: %s\n", mk_last_error_message());
        return 2;
    }
    int cases = 0;
    for (const char *c = js_first(js_get(doc, "cases")); c; c = js_next(c), cases++) replay_case(catalog, c);
    mk_catalog_free(catalog);
    free(plans);
    free(doc);
    int billing_cases = replay_billing(argc > 2 ? argv[2] : "tests/vectors/billing.json");
    int dunning_cases = replay_dunning(argc > 3 ? argv[3] : "tests/vectors/dunning.json");
    int booking_cases = replay_booking(argc > 4 ? argv[4] : "tests/vectors/booking.json");
    int chat_conversations = replay_chat(argc > 5 ? argv[5] : "tests/vectors/chat.json");
    printf("c vectors (%d membership, %d billing, %d dunning, %d booking cases, %d chat conversations): "
           "%d passed, %d failed\n",
           cases, billing_cases, dunning_cases, booking_cases, chat_conversations, passed, failed);
    return failed == 0 && cases >= 25 && billing_cases >= 30 && dunning_cases >= 25 && booking_cases >= 25 &&
                   chat_conversations >= 40
               ? 0
               : 1;
}
