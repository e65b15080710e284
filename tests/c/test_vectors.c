/* Replays tests/vectors/membership.json through the C API: each step's
 * outcome (the status for a refused command, the sequence of event types for
 * an accepted one) and each case's final status must match what the Rust and
 * Python suites check. Usage: test_vectors PATH. */
#include "json_scan.h"
#include "memberkit.h"

#include <ctype.h>
#include <stdio.h>

static int passed = 0;
static int failed = 0;

static char *read_file(const char *path) {
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
static void status_name_for_kind(const char *kind, char *out, size_t len) {
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

static void fail(const char *name, int step, const char *what, const char *got, const char *expected) {
    failed++;
    fprintf(stderr, "%s step %d: %s: got %s, expected %s\n", name, step, what, got, expected);
}

static MkDate parse_date(const char *p) {
    char *text = js_copy(p);
    MkDate d = {0, 0, 0};
    if (mk_date_parse(text, &d) != MK_STATUS_OK) fprintf(stderr, "bad date %s\n", text);
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
    printf("c vectors (%d cases): %d passed, %d failed\n", cases, passed, failed);
    return failed == 0 && cases >= 25 ? 0 : 1;
}
