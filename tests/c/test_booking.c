/* C tests of the booking API: handles and their frees, argument errors, the
 * JSON decider, the scalar hot paths, the reason codes, and one MkBookingBook
 * shared by 8 threads. Prints "N passed, N failed". */
#include "memberkit.h"

#include "json_scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "check.h"


/* 2026-06-01T09:00:00+09:00 */
#define JUNE_1_9AM 1780272000LL
#define JST 32400
#define AT "2026-06-01T09:00:00+09:00"

static const char MEMBER[] = "{\"membership\":{\"from\":\"2026-04-01\"}}";

/* Runs a JSON command on the book at AT; whether it was accepted. */
static int exec(const MkBookingBook *book, const char *command) {
    return mk_booking_book_execute(book, command, AT, NULL) == MK_STATUS_OK;
}

static int schedule(const MkBookingBook *book, const char *id, int day, int capacity, int waitlist_limit) {
    char command[512];
    char limit[48] = "";
    if (waitlist_limit >= 0) snprintf(limit, sizeof limit, ",\"waitlist_limit\":%d", waitlist_limit);
    snprintf(command, sizeof command,
             "{\"type\":\"schedule_session\",\"session\":{\"id\":\"%s\",\"start\":\"2026-06-%02dT10:00:00+09:00\","
             "\"end\":\"2026-06-%02dT11:00:00+09:00\",\"capacity\":%d%s}}",
             id, day, day, capacity, limit);
    return exec(book, command);
}

static int add_member(const MkBookingBook *book, const char *id) {
    char command[256];
    snprintf(command, sizeof command, "{\"type\":\"set_member\",\"member\":\"%s\",\"eligibility\":%s}", id, MEMBER);
    return exec(book, command);
}

static void test_frees_accept_null(void) {
    mk_booking_rules_free(NULL);
    mk_booking_book_free(NULL);
    mk_string_free(NULL);
    CHECK(1);
}

static void test_rules(void) {
    MkBookingRules *rules = (MkBookingRules *)&passed; /* a sentinel: untouched on failure */
    MkBookingRules *const sentinel = rules;
    CHECK(mk_booking_rules_new(NULL, &rules) == MK_STATUS_NULL_POINTER && rules == sentinel);
    CHECK(CODE_IS("null_pointer"));
    CHECK(mk_booking_rules_new("{}", NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_rules_new("{\"policies\":\"\xff\"}", &rules) == MK_STATUS_INVALID_UTF8 && rules == sentinel);
    CHECK(CODE_IS("invalid_utf8"));
    CHECK(mk_booking_rules_new("{", &rules) == MK_STATUS_INVALID_CONFIG && rules == sentinel);
    CHECK(mk_booking_rules_new("{\"policies\":{\"default\":{\"max_party\":0}}}", &rules) == MK_STATUS_INVALID_CONFIG);
    CHECK(strstr(mk_last_error_message(), "policies.default.max_party") != NULL);
    CHECK(CODE_IS("invalid_rules"));
    CHECK(mk_booking_rules_new("{\"nonsense\":1}", &rules) == MK_STATUS_INVALID_CONFIG && rules == sentinel);
    CHECK(mk_booking_rules_new("{}", &rules) == MK_STATUS_OK && rules != sentinel);
    mk_booking_rules_free(rules);
}

static void test_json_decider(void) {
    MkBookingRules *rules = NULL;
    CHECK(mk_booking_rules_new("{}", &rules) == MK_STATUS_OK);
    const char *schedule_yoga =
        "{\"type\":\"schedule_session\",\"session\":{\"id\":\"yoga\",\"start\":\"2026-06-10T10:00:00+09:00\","
        "\"end\":\"2026-06-10T11:00:00+09:00\",\"capacity\":1}}";
    char *events = NULL, *book = NULL, *next = NULL;
    /* NULL and "" are the empty book. */
    CHECK(mk_booking_decide(rules, NULL, schedule_yoga, AT, &events) == MK_STATUS_OK);
    CHECK(events && strstr(events, "\"type\":\"session_scheduled\"") != NULL);
    CHECK(mk_booking_apply("", events, &book) == MK_STATUS_OK && book != NULL);
    CHECK(book && js_get(book, "version") && strncmp(js_get(book, "version"), "1", 1) == 0);
    mk_string_free(events);
    events = NULL;
    char set_aiko[256];
    snprintf(set_aiko, sizeof set_aiko, "{\"type\":\"set_member\",\"member\":\"aiko\",\"eligibility\":%s}", MEMBER);
    CHECK(mk_booking_decide(rules, book, set_aiko, AT, &events) == MK_STATUS_OK);
    CHECK(mk_booking_apply(book, events, &next) == MK_STATUS_OK);
    mk_string_free(events);
    mk_string_free(book);
    book = next;
    /* Pure: deciding twice on the same book gives the same events. */
    const char *book_aiko = "{\"type\":\"book\",\"session\":\"yoga\",\"member\":\"aiko\"}";
    char *again = NULL;
    CHECK(mk_booking_decide(rules, book, book_aiko, "2026-06-05T12:00:00+09:00", &events) == MK_STATUS_OK);
    CHECK(mk_booking_decide(rules, book, book_aiko, "2026-06-05T12:00:00+09:00", &again) == MK_STATUS_OK);
    CHECK(events && again && strcmp(events, again) == 0);
    CHECK(mk_booking_apply(book, events, &next) == MK_STATUS_OK);
    mk_string_free(again);
    mk_string_free(events);
    mk_string_free(book);
    book = next;

    /* Refusals and bad arguments: the status, the code, no output. */
    events = (char *)"untouched";
    CHECK(mk_booking_decide(rules, book, book_aiko, "2026-06-05T12:01:00+09:00", &events) == MK_STATUS_BOOKING_REFUSED);
    CHECK(CODE_IS("already_booked") && strstr(mk_last_error_message(), "already booked") != NULL);
    const char *later = "2026-06-06T12:00:00+09:00";
    CHECK(mk_booking_decide(rules, book, "{\"type\":\"book\",\"session\":\"pilates\",\"member\":\"aiko\"}", later,
                            &events) == MK_STATUS_UNKNOWN_SESSION);
    CHECK(CODE_IS("unknown_session"));
    CHECK(mk_booking_decide(rules, book, "{\"type\":\"book\",\"session\":\"yoga\",\"member\":\"zoe\"}", later,
                            &events) == MK_STATUS_UNKNOWN_MEMBER);
    CHECK(CODE_IS("unknown_member"));
    CHECK(mk_booking_decide(rules, book, book_aiko, "2026-05-01T12:00:00+09:00", &events) == MK_STATUS_COMMAND_REFUSED);
    CHECK(CODE_IS("out_of_order"));
    CHECK(mk_booking_decide(rules, book, "{\"type\":\"book\",\"session\":\"yoga\"}", AT, &events) ==
          MK_STATUS_INVALID_JSON);
    CHECK(CODE_IS("invalid_json") && strstr(mk_last_error_message(), "member") != NULL);
    CHECK(mk_booking_decide(rules, book, "{\"type\":\"book\",\"session\":\"\xc3\x28\"}", AT, &events) ==
          MK_STATUS_INVALID_UTF8);
    CHECK(mk_booking_decide(rules, book, book_aiko, "2026-06-05 12:00", &events) == MK_STATUS_INVALID_DATE);
    CHECK(CODE_IS("invalid_date"));
    CHECK(mk_booking_decide(rules, book, book_aiko, "2026-06-05T12:00:00", &events) == MK_STATUS_INVALID_DATE);
    CHECK(mk_booking_decide(rules, book, book_aiko, "\xff", &events) == MK_STATUS_INVALID_UTF8);
    CHECK(mk_booking_decide(NULL, book, book_aiko, AT, &events) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_decide(rules, book, NULL, AT, &events) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_decide(rules, book, book_aiko, NULL, &events) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_decide(rules, book, book_aiko, "2026-06-06T12:00:00+09:00", NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_decide(rules, "{\"version\":", book_aiko, AT, &events) == MK_STATUS_INVALID_JSON);
    CHECK(mk_booking_decide(rules, "\xff", book_aiko, AT, &events) == MK_STATUS_INVALID_UTF8);
    CHECK(strcmp(events, "untouched") == 0);
    next = (char *)"untouched";
    CHECK(mk_booking_apply(book, "[{\"type\":\"booked\"}]", &next) == MK_STATUS_INVALID_JSON);
    CHECK(mk_booking_apply(book, "\xff", &next) == MK_STATUS_INVALID_UTF8);
    CHECK(mk_booking_apply(book, NULL, &next) == MK_STATUS_NULL_POINTER);
    CHECK(strcmp(next, "untouched") == 0);
    CHECK(mk_booking_apply(book, "[]", NULL) == MK_STATUS_NULL_POINTER);
    mk_string_free(book);
    mk_booking_rules_free(rules);
}

static void test_book_handle_and_hot_paths(void) {
    MkBookingRules *rules = NULL;
    MkBookingBook *book = NULL;
    CHECK(mk_booking_rules_new("{}", &rules) == MK_STATUS_OK);
    CHECK(mk_booking_book_new(NULL, NULL, &book) == MK_STATUS_NULL_POINTER && book == NULL);
    CHECK(mk_booking_book_new(rules, NULL, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_book_new(rules, "{\"version\": -1}", &book) == MK_STATUS_INVALID_JSON && book == NULL);
    CHECK(mk_booking_book_new(rules, "\xff", &book) == MK_STATUS_INVALID_UTF8 && book == NULL);
    CHECK(mk_booking_book_new(rules, NULL, &book) == MK_STATUS_OK && book != NULL);
    mk_booking_rules_free(rules); /* the book keeps its own copy */

    CHECK(schedule(book, "yoga", 10, 1, -1));
    CHECK(schedule(book, "spin", 11, 5, -1));
    CHECK(add_member(book, "aiko") && add_member(book, "ben") && add_member(book, "chie"));
    int64_t at = JUNE_1_9AM + 3600;
    char *events = NULL;
    /* The hot path without JSON out, then with it. */
    CHECK(mk_booking_book_book(book, "yoga", "aiko", 1, at, JST, NULL) == MK_STATUS_OK);
    CHECK(mk_booking_book_book(book, "spin", "aiko", 1, at, JST, NULL) == MK_STATUS_OK);
    events = (char *)"untouched";
    CHECK(mk_booking_book_book(book, "yoga", "ben", 1, at, JST, &events) == MK_STATUS_BOOKING_REFUSED);
    CHECK(CODE_IS("full") && strstr(mk_last_error_message(), "0 seats free") != NULL);
    CHECK(strcmp(events, "untouched") == 0);
    CHECK(mk_booking_book_book(book, "yoga", "ben", 0, at, JST, &events) == MK_STATUS_INVALID_ARGUMENT);
    CHECK(CODE_IS("invalid_party"));
    CHECK(mk_booking_book_book(book, "yoga", "ben", 1, at, 86400, &events) == MK_STATUS_INVALID_ARGUMENT);
    CHECK(mk_booking_book_book(book, "yoga", "ben", 1, INT64_MAX, 0, &events) == MK_STATUS_DATE_OUT_OF_RANGE);
    CHECK(mk_booking_book_book(book, "pilates", "ben", 1, at, JST, &events) == MK_STATUS_UNKNOWN_SESSION);
    CHECK(mk_booking_book_book(book, "yoga", "zoe", 1, at, JST, &events) == MK_STATUS_UNKNOWN_MEMBER);
    CHECK(mk_booking_book_book(book, "yoga", NULL, 1, at, JST, &events) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_book_book(book, "\xff", "ben", 1, at, JST, &events) == MK_STATUS_INVALID_UTF8);
    CHECK(mk_booking_book_book(NULL, "yoga", "ben", 1, at, JST, &events) == MK_STATUS_NULL_POINTER);
    CHECK(strcmp(events, "untouched") == 0);

    CHECK(mk_booking_book_join_waitlist(book, "yoga", "ben", 1, at + 60, JST, &events) == MK_STATUS_OK);
    CHECK(strstr(events, "\"type\":\"waitlisted\"") && strstr(events, "\"at\":\"2026-06-01T10:01:00+09:00\""));
    mk_string_free(events);
    CHECK(mk_booking_book_join_waitlist(book, "yoga", "ben", 1, at + 61, JST, NULL) == MK_STATUS_BOOKING_REFUSED);
    CHECK(CODE_IS("already_waitlisted"));
    CHECK(mk_booking_book_join_waitlist(book, "yoga", "chie", 1, at + 62, JST, NULL) == MK_STATUS_OK);

    /* Aiko cancels in time: Ben is promoted; Chie moves up to position 1. */
    CHECK(mk_booking_book_cancel(book, "yoga", "aiko", false, at + 120, JST, &events) == MK_STATUS_OK);
    CHECK(strstr(events, "\"type\":\"cancelled\"") && strstr(events, "\"type\":\"promoted\""));
    CHECK(strstr(events, "\"member\":\"ben\"") != NULL);
    mk_string_free(events);
    CHECK(mk_booking_book_cancel(book, "yoga", "aiko", false, at + 121, JST, NULL) == MK_STATUS_BOOKING_REFUSED);
    CHECK(CODE_IS("not_booked"));
    char *view = NULL;
    CHECK(mk_booking_book_session_view(book, "yoga", &view) == MK_STATUS_OK);
    CHECK(view && js_equal(js_get(view, "seats"), "[{\"member\":\"ben\",\"party\":1,\"checked_in\":false,\"no_show\":false}]"));
    CHECK(view && js_equal(js_get(view, "waitlist"), "[{\"member\":\"chie\",\"position\":1,\"party\":1}]"));
    mk_string_free(view);
    view = NULL;
    CHECK(mk_booking_book_member_view(book, "chie", AT, &view) == MK_STATUS_OK);
    CHECK(view && js_equal(js_get(view, "waiting"), "[[\"yoga\",1]]"));
    mk_string_free(view);

    /* Check-in opens 30 minutes before the start (10:00 on June 10). */
    int64_t june_10_10am = JUNE_1_9AM + 9 * 86400 + 3600;
    CHECK(mk_booking_book_check_in(book, "yoga", "ben", june_10_10am - 3600, JST, NULL) == MK_STATUS_BOOKING_REFUSED);
    CHECK(CODE_IS("check_in_not_open"));
    CHECK(mk_booking_book_check_in(book, "yoga", "ben", june_10_10am - 600, JST, &events) == MK_STATUS_OK);
    CHECK(strstr(events, "\"type\":\"checked_in\"") && strstr(events, "\"at\":\"2026-06-10T09:50:00+09:00\""));
    mk_string_free(events);
    events = NULL;
    /* Staff may cancel after the start; the instant may be given at any offset. */
    int64_t june_11_10am = june_10_10am + 86400;
    CHECK(mk_booking_book_cancel(book, "spin", "aiko", false, june_11_10am + 60, 0, NULL) == MK_STATUS_BOOKING_REFUSED);
    CHECK(CODE_IS("session_started"));
    CHECK(mk_booking_book_cancel(book, "spin", "aiko", true, june_11_10am + 60, 0, &events) == MK_STATUS_OK);
    CHECK(events && strstr(events, "\"by\":\"staff\"") && strstr(events, "2026-06-11T01:01:00Z"));
    mk_string_free(events);

    /* Queries: unknown ids, bad arguments, outputs untouched. */
    view = (char *)"untouched";
    CHECK(mk_booking_book_session_view(book, "pilates", &view) == MK_STATUS_UNKNOWN_SESSION);
    CHECK(CODE_IS("unknown_session") && strstr(mk_last_error_message(), "pilates") != NULL);
    CHECK(mk_booking_book_member_view(book, "zoe", AT, &view) == MK_STATUS_UNKNOWN_MEMBER);
    CHECK(CODE_IS("unknown_member"));
    CHECK(mk_booking_book_member_view(book, "ben", "June 1st", &view) == MK_STATUS_INVALID_DATE);
    CHECK(mk_booking_book_member_view(book, "ben", NULL, &view) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_book_session_view(book, "\xff", &view) == MK_STATUS_INVALID_UTF8);
    CHECK(mk_booking_book_session_view(NULL, "yoga", &view) == MK_STATUS_NULL_POINTER);
    CHECK(strcmp(view, "untouched") == 0);
    CHECK(mk_booking_book_session_view(book, "yoga", NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_book_snapshot(book, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_book_version(book, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(mk_booking_book_execute(book, "{\"type\":\"teleport\"}", AT, NULL) == MK_STATUS_INVALID_JSON);
    CHECK(mk_booking_book_execute(book, "{\"type\":\"advance\"}", "noon", NULL) == MK_STATUS_INVALID_DATE);

    /* The snapshot reads back into a new book with the same version and views. */
    uint64_t version = 0, copied_version = 1;
    char *snapshot = NULL, *copied_snapshot = NULL;
    CHECK(mk_booking_book_version(book, &version) == MK_STATUS_OK && version >= 10);
    CHECK(mk_booking_book_snapshot(book, &snapshot) == MK_STATUS_OK);
    MkBookingRules *defaults = NULL;
    MkBookingBook *copy = NULL;
    CHECK(mk_booking_rules_new("{}", &defaults) == MK_STATUS_OK);
    CHECK(mk_booking_book_new(defaults, snapshot, &copy) == MK_STATUS_OK);
    CHECK(mk_booking_book_version(copy, &copied_version) == MK_STATUS_OK && copied_version == version);
    CHECK(mk_booking_book_snapshot(copy, &copied_snapshot) == MK_STATUS_OK);
    CHECK(snapshot && copied_snapshot && strcmp(snapshot, copied_snapshot) == 0);
    mk_string_free(copied_snapshot);
    mk_string_free(snapshot);
    mk_booking_book_free(copy);
    mk_booking_rules_free(defaults);
    mk_booking_book_free(book);
}

/* The code is the last failure's, per thread, and stays after a success. */
static void test_last_error_code(void) {
    MkBookingRules *rules = NULL;
    CHECK(mk_booking_rules_new(NULL, &rules) == MK_STATUS_NULL_POINTER);
    const char *first = mk_last_error_code();
    CHECK(strcmp(first, "null_pointer") == 0);
    CHECK(mk_booking_rules_new("{}", &rules) == MK_STATUS_OK);
    CHECK(mk_last_error_code() == first); /* a static string, kept */
    uint32_t numeric = 0;
    CHECK(mk_currency_from_code("XXX", &numeric) == MK_STATUS_UNKNOWN_CURRENCY);
    CHECK(CODE_IS("unknown_currency"));
    CHECK(strcmp(first, "null_pointer") == 0); /* still valid and unchanged */
    mk_booking_rules_free(rules);
}

/* One MkBookingBook shared by 8 threads: random book, cancel and
   join_waitlist commands on a few sessions, with views read meanwhile. Each
   thread counts the events it got back; at the end the seats and waitlists
   must match those counts, no session may be over capacity, no member may
   hold two seats in one session or wait twice, and every waitlist must be in
   arrival order with positions 1..n. */
#define N_THREADS 8
#define N_SESSIONS 4
#define N_MEMBERS 10
#define OPS_PER_THREAD 1500
#define CAPACITY 3

static const char *const SESSIONS[N_SESSIONS] = {"s0", "s1", "s2", "s3"};
static const int WAITLIST_LIMITS[N_SESSIONS] = {-1, -1, 2, 0};

/* Events by type, per session. */
enum { BOOKED, WAITLISTED, PROMOTED, CANCELLED, LEFT, N_COUNTS };
static const char *const COUNTED[N_COUNTS] = {"booked", "waitlisted", "promoted", "cancelled", "released"};

typedef struct {
    const MkBookingBook *book;
    atomic_llong *clock;
    unsigned seed;
    long counts[N_SESSIONS][N_COUNTS];
    long events;
    int accepted, refused, out_of_order, bad;
    char bad_text[256];
} Worker;

static unsigned next_random(unsigned *state) {
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

static int session_index(const char *id) {
    for (int i = 0; i < N_SESSIONS; i++) {
        if (strcmp(id, SESSIONS[i]) == 0) return i;
    }
    return -1;
}

static void count_events(Worker *w, const char *events) {
    for (const char *e = js_first(events); e; e = js_next(e)) {
        w->events++;
        char *type = js_copy(js_get(e, "type")), *session = js_copy(js_get(e, "session"));
        int s = session ? session_index(session) : -1;
        for (int k = 0; k < N_COUNTS && s >= 0; k++) {
            if (type && strcmp(type, COUNTED[k]) == 0) w->counts[s][k]++;
        }
        if (type && strcmp(type, "left_waitlist") == 0 && s >= 0) w->counts[s][LEFT]++;
        free(session);
        free(type);
    }
}

static void note_bad(Worker *w, const char *what) {
    if (w->bad++ == 0) snprintf(w->bad_text, sizeof w->bad_text, "%s: %s", what, mk_last_error_message());
}

/* A view read while others write: never over capacity, never two seats of one member. */
static void check_view_now(Worker *w, const char *session) {
    char *view = NULL;
    if (mk_booking_book_session_view(w->book, session, &view) != MK_STATUS_OK) {
        note_bad(w, "session view");
        return;
    }
    long taken = strtol(js_ws(js_get(view, "taken")), NULL, 10);
    long capacity = strtol(js_ws(js_get(view, "capacity")), NULL, 10);
    if (taken > capacity) note_bad(w, "over capacity");
    mk_string_free(view);
}

static void *work(void *arg) {
    Worker *w = arg;
    char member[16];
    for (int i = 0; i < OPS_PER_THREAD; i++) {
        unsigned r = next_random(&w->seed);
        const char *session = SESSIONS[r % N_SESSIONS];
        snprintf(member, sizeof member, "m%02u", (r >> 8) % N_MEMBERS);
        /* One clock for all threads; a command that reaches the lock after a
           later one is refused as out of order. */
        long long tick = atomic_fetch_add(w->clock, 1);
        int64_t at = JUNE_1_9AM + tick / 4;
        char *events = NULL;
        MkStatus status;
        unsigned op = (r >> 16) % 10;
        if (op < 4) {
            status = mk_booking_book_book(w->book, session, member, 1, at, JST, &events);
        } else if (op < 7) {
            status = mk_booking_book_cancel(w->book, session, member, false, at, JST, &events);
        } else {
            status = mk_booking_book_join_waitlist(w->book, session, member, 1, at, JST, &events);
        }
        if (status == MK_STATUS_OK) {
            w->accepted++;
            count_events(w, events);
        } else if (status == MK_STATUS_BOOKING_REFUSED) {
            static const char *const expected[] = {"full", "already_booked", "already_waitlisted", "not_booked",
                                                   "seats_available", "waitlist_full"};
            int known = 0;
            for (size_t k = 0; k < sizeof expected / sizeof expected[0]; k++) known |= CODE_IS(expected[k]);
            if (known) {
                w->refused++;
            } else {
                note_bad(w, mk_last_error_code());
            }
        } else if (status == MK_STATUS_COMMAND_REFUSED && CODE_IS("out_of_order")) {
            w->out_of_order++;
        } else {
            note_bad(w, mk_status_str(status));
        }
        mk_string_free(events);
        if (i % 50 == 0) check_view_now(w, session);
    }
    return NULL;
}

/* Whether the final state of session `s` is sound and matches the events counted. */
static void check_session(const MkBookingBook *book, const char *snapshot, int s, const long counts[N_COUNTS]) {
    char *view = NULL;
    CHECK(mk_booking_book_session_view(book, SESSIONS[s], &view) == MK_STATUS_OK);
    if (!view) return;
    long taken = strtol(js_ws(js_get(view, "taken")), NULL, 10);
    long free_seats = strtol(js_ws(js_get(view, "free")), NULL, 10);
    CHECK(taken <= CAPACITY && free_seats == CAPACITY - taken);
    char seen[N_MEMBERS] = {0};
    long seats = 0, waiting = 0;
    int unique = 1;
    for (const char *seat = js_first(js_get(view, "seats")); seat; seat = js_next(seat), seats++) {
        char *member = js_copy(js_get(seat, "member"));
        int m = member ? atoi(member + 1) : 0;
        unique &= m >= 0 && m < N_MEMBERS && !seen[m];
        if (m >= 0 && m < N_MEMBERS) seen[m] = 1;
        free(member);
    }
    CHECK(unique);        /* no member holds two seats */
    CHECK(seats == taken); /* parties of 1 */
    CHECK(seats == counts[BOOKED] + counts[PROMOTED] - counts[CANCELLED]);
    /* The waitlist: positions 1..n, each member once and not seated, in
       arrival order (the instants the snapshot keeps never go back). */
    const char *entries = js_get(js_get(js_get(snapshot, "sessions"), SESSIONS[s]), "waitlist");
    const char *entry = js_first(entries);
    char last_at[64] = "";
    int in_order = 1;
    unique = 1;
    for (const char *w = js_first(js_get(view, "waitlist")); w; w = js_next(w)) {
        waiting++;
        char *member = js_copy(js_get(w, "member"));
        int m = member ? atoi(member + 1) : 0;
        unique &= m >= 0 && m < N_MEMBERS && !seen[m];
        if (m >= 0 && m < N_MEMBERS) seen[m] = 1;
        in_order &= strtol(js_ws(js_get(w, "position")), NULL, 10) == waiting;
        char *entry_member = entry ? js_copy(js_get(entry, "member")) : NULL;
        char *entry_at = entry ? js_copy(js_get(entry, "at")) : NULL;
        in_order &= entry_member && member && strcmp(entry_member, member) == 0;
        in_order &= entry_at && strcmp(entry_at, last_at) >= 0;
        if (entry_at) snprintf(last_at, sizeof last_at, "%s", entry_at);
        free(entry_at);
        free(entry_member);
        free(member);
        entry = entry ? js_next(entry) : NULL;
    }
    CHECK(unique);
    CHECK(in_order && entry == NULL);
    CHECK(waiting == counts[WAITLISTED] - counts[PROMOTED] - counts[LEFT]);
    CHECK(WAITLIST_LIMITS[s] < 0 || waiting <= WAITLIST_LIMITS[s]);
    CHECK(waiting == 0 || free_seats == 0); /* automatic promotion leaves no seat idle */
    mk_string_free(view);
}

static void test_book_shared_by_8_threads(void) {
    MkBookingRules *rules = NULL;
    MkBookingBook *book = NULL;
    CHECK(mk_booking_rules_new("{}", &rules) == MK_STATUS_OK);
    CHECK(mk_booking_book_new(rules, NULL, &book) == MK_STATUS_OK);
    mk_booking_rules_free(rules);
    int setup = 1;
    for (int s = 0; s < N_SESSIONS; s++) setup &= schedule(book, SESSIONS[s], 10 + s, CAPACITY, WAITLIST_LIMITS[s]);
    char member[16];
    for (int m = 0; m < N_MEMBERS; m++) {
        snprintf(member, sizeof member, "m%02d", m);
        setup &= add_member(book, member);
    }
    CHECK(setup);
    atomic_llong clock = 0;
    static Worker workers[N_THREADS];
    pthread_t threads[N_THREADS];
    for (int t = 0; t < N_THREADS; t++) {
        memset(&workers[t], 0, sizeof workers[t]);
        workers[t].book = book;
        workers[t].clock = &clock;
        workers[t].seed = 2463534242u + (unsigned)t * 7919u;
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0);
    }
    long counts[N_SESSIONS][N_COUNTS] = {{0}};
    long events = 0;
    int accepted = 0, refused = 0, out_of_order = 0;
    for (int t = 0; t < N_THREADS; t++) {
        pthread_join(threads[t], NULL);
        CHECK(workers[t].bad == 0);
        if (workers[t].bad) fprintf(stderr, "thread %d: %d unexpected, first %s\n", t, workers[t].bad, workers[t].bad_text);
        for (int s = 0; s < N_SESSIONS; s++) {
            for (int k = 0; k < N_COUNTS; k++) counts[s][k] += workers[t].counts[s][k];
        }
        events += workers[t].events;
        accepted += workers[t].accepted;
        refused += workers[t].refused;
        out_of_order += workers[t].out_of_order;
    }
    CHECK(accepted + refused + out_of_order == N_THREADS * OPS_PER_THREAD);
    CHECK(accepted > 1000 && refused > 100);
    long promoted = 0;
    for (int s = 0; s < N_SESSIONS; s++) promoted += counts[s][PROMOTED];
    CHECK(promoted > 10);
    uint64_t version = 0;
    CHECK(mk_booking_book_version(book, &version) == MK_STATUS_OK);
    CHECK(version == (uint64_t)(N_SESSIONS + N_MEMBERS + events)); /* no event lost or doubled */
    char *snapshot = NULL;
    CHECK(mk_booking_book_snapshot(book, &snapshot) == MK_STATUS_OK);
    for (int s = 0; s < N_SESSIONS && snapshot; s++) check_session(book, snapshot, s, counts[s]);
    printf("c booking threads: %d accepted, %d refused, %d out of order, %ld promotions, version %llu\n", accepted,
           refused, out_of_order, promoted, (unsigned long long)version);
    mk_string_free(snapshot);
    mk_booking_book_free(book);
}

int main(void) {
    test_frees_accept_null();
    test_rules();
    test_json_decider();
    test_book_handle_and_hot_paths();
    test_last_error_code();
    test_book_shared_by_8_threads();
    printf("c booking: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
