/* Replays tests/vectors/booking.json through the C API, each case three ways:
 * - decide: mk_booking_decide on the book as JSON, then mk_booking_apply;
 * - execute: mk_booking_book_execute on an MkBookingBook;
 * - scalar: the hot paths (mk_booking_book_book, _cancel, _join_waitlist,
 *   _check_in, with the instant as Unix seconds and an offset) where the
 *   command is one of theirs, mk_booking_book_execute otherwise.
 * Every way must give each step's events exactly (compared as JSON), or for a
 * refused step the status of its `error` kind and mk_last_error_code() equal
 * to its `code`, with no events written. At the end the book of each way
 * must hold exactly the sessions and members of `end`, with the same
 * session views, member views at the last step's instant, and version; and
 * the three books must be the same JSON. */
#include "json_scan.h"
#include "memberkit.h"
#include "vectors.h"

#include <stdint.h>
#include <stdio.h>

typedef enum { VIA_DECIDE, VIA_EXECUTE, VIA_SCALAR } Via;

/* Steps run on a hot path: the replay fails when none is. */
static int hot_calls = 0;

static const char *const VIA_NAMES[] = {"decide", "execute", "scalar"};

/* Days from 1970-01-01 to the civil date y-m-d (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "2026-06-10T09:45:00+09:00" as Unix seconds and a UTC offset in seconds. */
static int parse_instant(const char *text, int64_t *secs, int32_t *offset) {
    int y, mo, d, h, mi, s, oh = 0, om = 0;
    char sign = 0;
    int n = sscanf(text, "%d-%d-%dT%d:%d:%d%c%d:%d", &y, &mo, &d, &h, &mi, &s, &sign, &oh, &om);
    if (n == 7 && sign == 'Z') {
        *offset = 0;
    } else if (n == 9 && (sign == '+' || sign == '-')) {
        *offset = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
        return 0;
    }
    *secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - *offset;
    return 1;
}

/* Runs a book, cancel, join_waitlist or check_in command on its hot path;
   any other command with mk_booking_book_execute. */
static MkStatus run_scalar(const MkBookingBook *book, const char *command, const char *at, char **events) {
    char *type = js_copy(js_get(command, "type"));
    const char *session_at = js_get(command, "session"), *member_at = js_get(command, "member");
    int hot = type && session_at && member_at && *js_ws(session_at) == '"' &&
              (strcmp(type, "book") == 0 || strcmp(type, "cancel") == 0 || strcmp(type, "join_waitlist") == 0 ||
               strcmp(type, "check_in") == 0);
    int64_t secs = 0;
    int32_t offset = 0;
    if (!hot || !parse_instant(at, &secs, &offset)) {
        free(type);
        return mk_booking_book_execute(book, command, at, events);
    }
    char *session = js_copy(session_at), *member = js_copy(member_at);
    const char *party_at = js_get(command, "party");
    uint32_t party = party_at ? (uint32_t)strtoul(js_ws(party_at), NULL, 10) : 1;
    char *by = js_get(command, "by") ? js_copy(js_get(command, "by")) : NULL;
    MkStatus status;
    hot_calls++;
    if (strcmp(type, "book") == 0) {
        status = mk_booking_book_book(book, session, member, party, secs, offset, events);
    } else if (strcmp(type, "cancel") == 0) {
        bool by_staff = by && strcmp(by, "staff") == 0;
        status = mk_booking_book_cancel(book, session, member, by_staff, secs, offset, events);
    } else if (strcmp(type, "join_waitlist") == 0) {
        status = mk_booking_book_join_waitlist(book, session, member, party, secs, offset, events);
    } else {
        status = mk_booking_book_check_in(book, session, member, secs, offset, events);
    }
    free(by);
    free(member);
    free(session);
    free(type);
    return status;
}

/* Runs one step the way `via` says: on the book JSON `*state` (decide) or
   on `book` (execute, scalar). */
static MkStatus run_step(Via via, const MkBookingRules *rules, char **state, const MkBookingBook *book,
                         const char *command, const char *at, char **events) {
    if (via == VIA_EXECUTE) return mk_booking_book_execute(book, command, at, events);
    if (via == VIA_SCALAR) return run_scalar(book, command, at, events);
    MkStatus status = mk_booking_decide(rules, *state, command, at, events);
    if (status != MK_STATUS_OK) return status;
    char *next = NULL;
    MkStatus applied = mk_booking_apply(*state, *events, &next);
    if (applied == MK_STATUS_OK) {
        mk_string_free(*state);
        *state = next;
    }
    return applied;
}

/* The key of the object member at p (p at its opening quote), copied into
   out; returns the member's value. */
static const char *member_key(const char *p, char *out, size_t len) {
    const char *k = p + 1, *k_end = js_string_end(p) - 1;
    size_t n = (size_t)(k_end - k) < len - 1 ? (size_t)(k_end - k) : len - 1;
    memcpy(out, k, n);
    out[n] = '\0';
    return js_ws(js_ws(k_end + 1) + 1); /* skip ':' */
}

/* The first member of the object at obj (at its quote), or NULL. */
static const char *first_member(const char *obj) {
    const char *p = obj ? js_ws(obj) : NULL;
    if (!p || *p != '{') return NULL;
    p = js_ws(p + 1);
    return *p == '"' ? p : NULL;
}

/* The member after the one whose value is at value, or NULL. */
static const char *next_member(const char *value) {
    const char *p = js_ws(js_value_end(value));
    if (*p != ',') return NULL;
    p = js_ws(p + 1);
    return *p == '"' ? p : NULL;
}

/* Whether every key of the object at a is a key of the object at b; a key
   missing is reported as `what`. */
static int keys_within(const char *name, const char *what, const char *a, const char *b) {
    int same = 1;
    char key[128];
    for (const char *m = first_member(a); m;) {
        const char *value = member_key(m, key, sizeof key);
        if (!b || !js_get(b, key)) {
            fail(name, -1, what, key, "(absent)");
            same = 0;
        }
        m = next_member(value);
    }
    return same;
}

/* Whether the book (a handle; `snapshot` its JSON) ends as `end` says. */
static int same_end(const char *name, const MkBookingBook *book, const char *snapshot, const char *end,
                    const char *last_at) {
    int same = 1;
    const char *sessions = js_get(snapshot, "sessions"), *members = js_get(snapshot, "members");
    const char *want_sessions = js_get(end, "sessions"), *want_members = js_get(end, "members");
    same &= keys_within(name, "session in the book, not in the vector", sessions, want_sessions);
    same &= keys_within(name, "member in the book, not in the vector", members, want_members);
    char key[128];
    for (const char *m = first_member(want_sessions); m;) {
        const char *want = member_key(m, key, sizeof key);
        char *view = NULL;
        if (mk_booking_book_session_view(book, key, &view) != MK_STATUS_OK) {
            fail(name, -1, "session view", mk_last_error_message(), key);
            same = 0;
        } else {
            same &= same_json(name, -1, "session view", view, want);
        }
        mk_string_free(view);
        m = next_member(want);
    }
    for (const char *m = first_member(want_members); m;) {
        const char *want = member_key(m, key, sizeof key);
        char *view = NULL;
        if (mk_booking_book_member_view(book, key, last_at, &view) != MK_STATUS_OK) {
            fail(name, -1, "member view", mk_last_error_message(), key);
            same = 0;
        } else {
            same &= same_json(name, -1, "member view", view, want);
        }
        mk_string_free(view);
        m = next_member(want);
    }
    uint64_t version = 0;
    char *want_version = js_copy(js_get(end, "version"));
    char got_version[32];
    if (mk_booking_book_version(book, &version) != MK_STATUS_OK) {
        fail(name, -1, "version", mk_last_error_message(), "ok");
        same = 0;
    } else {
        snprintf(got_version, sizeof got_version, "%llu", (unsigned long long)version);
        if (!want_version || strcmp(got_version, want_version) != 0) {
            fail(name, -1, "version", got_version, want_version ? want_version : "(missing)");
            same = 0;
        }
    }
    free(want_version);
    return same;
}

/* Replays one case the way `via` says; returns the final book as JSON. */
static char *replay_booking_case_via(Via via, const MkBookingRules *rules, const char *c, const char *name) {
    char *state = NULL, *last_at = NULL;
    MkBookingBook *book = NULL;
    if (via != VIA_DECIDE && mk_booking_book_new(rules, NULL, &book) != MK_STATUS_OK) {
        fail(name, -1, "book", mk_last_error_message(), "ok");
        return NULL;
    }
    char label[160];
    snprintf(label, sizeof label, "%s (%s)", name, VIA_NAMES[via]);
    int step_no = 0;
    for (const char *s = js_first(js_get(c, "steps")); s; s = js_next(s), step_no++) {
        char *command = js_copy(js_get(s, "command"));
        free(last_at);
        last_at = js_copy(js_get(s, "at"));
        const char *expected_error = js_get(s, "error");
        char *events = NULL;
        MkStatus status = run_step(via, rules, &state, book, command, last_at, &events);
        if (expected_error) {
            char *kind = js_copy(expected_error), *code = js_copy(js_get(s, "code"));
            char want[64];
            status_name_for_kind(kind, want, sizeof want);
            if (strcmp(mk_status_str(status), want) != 0) {
                fail(label, step_no, "status", mk_status_str(status), want);
            } else if (!code || strcmp(mk_last_error_code(), code) != 0) {
                fail(label, step_no, "code", mk_last_error_code(), code ? code : "(missing)");
            } else if (events != NULL) {
                fail(label, step_no, "events of a refused command", events, "(none)");
            } else {
                passed++;
            }
            free(code);
            free(kind);
        } else if (status != MK_STATUS_OK) {
            fail(label, step_no, mk_status_str(status), mk_last_error_message(), "ok");
        } else if (same_json(label, step_no, "events", events, js_get(s, "events"))) {
            passed++;
        }
        mk_string_free(events);
        free(command);
    }
    if (via == VIA_DECIDE) {
        /* The views of the JSON book: read it back into a handle. */
        if (mk_booking_book_new(rules, state, &book) != MK_STATUS_OK) {
            fail(label, -1, "book from JSON", mk_last_error_message(), "ok");
        }
    } else {
        mk_string_free(state);
        state = NULL;
        if (mk_booking_book_snapshot(book, &state) != MK_STATUS_OK) {
            fail(label, -1, "snapshot", mk_last_error_message(), "ok");
        }
    }
    if (book && state && last_at && same_end(label, book, state, js_get(c, "end"), last_at)) passed++;
    mk_booking_book_free(book);
    free(last_at);
    return state;
}

static void replay_booking_case(const char *rule_sets, const char *c) {
    char *name = js_copy(js_get(c, "name"));
    char *rules_name = js_copy(js_get(c, "rules"));
    const char *rules_at = rules_name ? js_get(rule_sets, rules_name) : NULL;
    char *rules_json = rules_at ? js_copy(rules_at) : NULL;
    MkBookingRules *rules = NULL;
    if (mk_booking_rules_new(rules_json, &rules) != MK_STATUS_OK) {
        fail(name, -1, "rules", mk_last_error_message(), "ok");
    } else {
        char *books[3];
        for (int via = VIA_DECIDE; via <= VIA_SCALAR; via++) {
            books[via] = replay_booking_case_via((Via)via, rules, c, name);
        }
        if (books[0] && books[1] && books[2]) {
            int same = same_json(name, -1, "book by execute vs decide", books[VIA_EXECUTE], books[VIA_DECIDE]);
            same &= same_json(name, -1, "book by scalar vs decide", books[VIA_SCALAR], books[VIA_DECIDE]);
            if (same) passed++;
        }
        for (int via = VIA_DECIDE; via <= VIA_SCALAR; via++) mk_string_free(books[via]);
    }
    mk_booking_rules_free(rules);
    free(rules_json);
    free(rules_name);
    free(name);
}

int replay_booking(const char *path) {
    char *doc = read_file(path);
    if (!doc) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    int cases = 0;
    const char *rule_sets = js_get(doc, "rules");
    for (const char *c = js_first(js_get(doc, "cases")); c; c = js_next(c), cases++) {
        replay_booking_case(rule_sets, c);
    }
    if (hot_calls < 50) {
        char got[32];
        snprintf(got, sizeof got, "%d", hot_calls);
        fail("booking", -1, "steps run on a hot path", got, "at least 50");
    }
    free(doc);
    return cases;
}
