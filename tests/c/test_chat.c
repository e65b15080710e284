/* C tests of the chat assistant's API: every entry point with NULL and bad
 * arguments (statuses, messages, outputs left untouched), every _free with
 * NULL, the reading consumed by mk_assistant_reply on every path (ASan's
 * leak check sees any that is not), a full Japanese conversation from the
 * request to a confirmed pause that the membership decider then accepts,
 * and one MkAssistant shared by 8 threads replaying conversations, each
 * reply identical to a single-threaded run. Prints "N passed, N failed". */
#include "memberkit.h"

#include "json_scan.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "check.h"


#define PLANS                                                                                                      \
    "[{\"id\":\"regular\",\"name\":\"レギュラー\",\"price\":{\"amount\":\"8800\",\"currency\":\"JPY\"},"           \
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1},"                                   \
    "\"minimum_term\":{\"periods\":6,\"early_cancel\":{\"kind\":\"fee\",\"amount\":{\"amount\":\"5000\","          \
    "\"currency\":\"JPY\"}}},"                                                                                     \
    "\"pause\":{\"min_months\":1,\"max_months\":3,\"max_per_year\":2,\"request_by_day_of_previous_month\":10,"     \
    "\"monthly_fee\":{\"amount\":\"550\",\"currency\":\"JPY\"}}},"                                                 \
    LIGHT "]"

#define LIGHT                                                                                                      \
    "{\"id\":\"light\",\"name\":\"ライト\",\"price\":{\"amount\":\"5500\",\"currency\":\"JPY\"},"                  \
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1}}"

static const char CLUB[] = "{\"catalog\":" PLANS ",\"billing\":{\"collection\":{\"kind\":\"debit_day\",\"day\":27}},"
                           "\"names\":[{\"list\":\"plan\",\"id\":\"light\",\"names\":[\"light plan\"]}]}";

#define JOINED(on, plan, applied)                                                                                  \
    "{\"type\":\"joined\",\"on\":\"" on "\",\"plan\":\"" plan "\",\"applied_on\":\"" applied "\",\"paid_from\":\"" \
    on "\",\"admission_fee\":null,\"rejoin\":false}"

static const char HANAKO_EVENTS[] = "[" JOINED("2026-04-01", "regular", "2026-03-25") "]";

static const struct {
    const char *number;
    const char *json;
} MEMBERS[] = {
    {"1000001", "{\"identity\":{\"member_number\":\"1000001\",\"email\":\"hanako@example.jp\","
                "\"phone\":\"090-1111-2222\",\"birth_date\":\"1990-04-01\"},"
                "\"membership\":[" JOINED("2026-04-01", "regular", "2026-03-25") "]}"},
    {"1000002", "{\"identity\":{\"member_number\":\"1000002\",\"email\":\"taro@example.com\"},"
                "\"membership\":[" JOINED("2025-10-01", "light", "2025-09-20") "]}"},
};

static const char *member_json(const char *number) {
    for (size_t i = 0; number && i < sizeof MEMBERS / sizeof MEMBERS[0]; i++) {
        if (strcmp(MEMBERS[i].number, number) == 0) return MEMBERS[i].json;
    }
    return NULL;
}

static const MkDate MAY_6 = {2026, 5, 6};

/* Whether the string at p (a JSON string value) is `want`, escapes decoded. */
static int string_is(const char *p, const char *want) {
    char *got = js_string(p);
    int same = got && strcmp(got, want) == 0;
    if (!same) fprintf(stderr, "  got %s, want %s\n", got ? got : "(not a string)", want);
    free(got);
    return same;
}

/* One turn as a host runs it: read, look the member up, reply. The reply
   JSON (free with mk_string_free), or NULL. */
static char *turn(const MkAssistant *assistant, const char *state, const char *message, MkDate today) {
    MkChatReading *reading = NULL;
    if (mk_assistant_read(assistant, state, message, today, &reading) != MK_STATUS_OK) return NULL;
    char *number = NULL;
    if (mk_chat_reading_member_number(reading, &number) != MK_STATUS_OK) {
        mk_chat_reading_free(reading);
        return NULL;
    }
    char *reply = NULL;
    MkStatus status = mk_assistant_reply(assistant, reading, member_json(number), &reply);
    mk_string_free(number);
    return status == MK_STATUS_OK ? reply : NULL;
}

/* A malloc'd copy of the reply's state, or NULL. */
static char *state_of(const char *reply) {
    const char *state = reply ? js_get(reply, "state") : NULL;
    return state ? js_copy(state) : NULL;
}

static MkAssistant *new_assistant(void) {
    MkAssistant *assistant = NULL;
    CHECK(mk_assistant_new(NULL, CLUB, NULL, &assistant) == MK_STATUS_OK && assistant != NULL);
    return assistant;
}

static void test_frees_accept_null(void) {
    mk_assistant_free(NULL);
    mk_chat_reading_free(NULL);
    mk_string_free(NULL);
    CHECK(1);
}

static void test_new(void) {
    MkAssistant *const sentinel = (MkAssistant *)&passed; /* untouched on failure */
    MkAssistant *assistant = sentinel;
    CHECK(mk_assistant_new(NULL, NULL, NULL, &assistant) == MK_STATUS_NULL_POINTER && assistant == sentinel);
    CHECK(CODE_IS("null_pointer") && MESSAGE_HAS("club_json is NULL"));
    CHECK(mk_assistant_new(NULL, CLUB, NULL, NULL) == MK_STATUS_NULL_POINTER && MESSAGE_HAS("out is NULL"));
    CHECK(mk_assistant_new(NULL, "{\"catalog\":[\"\xff\"]}", NULL, &assistant) == MK_STATUS_INVALID_UTF8);
    CHECK(CODE_IS("invalid_utf8") && assistant == sentinel);
    /* The club is a config like the others: every fault in it is INVALID_CONFIG, with its path. */
    CHECK(mk_assistant_new(NULL, "{", NULL, &assistant) == MK_STATUS_INVALID_CONFIG && assistant == sentinel);
    CHECK(CODE_IS("invalid_config") && MESSAGE_HAS("chat config"));
    CHECK(mk_assistant_new(NULL, "{\"catalog\":[],\"billing\":{\"collection\":3}}", NULL, &assistant) ==
          MK_STATUS_INVALID_CONFIG);
    CHECK(MESSAGE_HAS("billing.collection") && assistant == sentinel);
    CHECK(mk_assistant_new(NULL, "{\"catalog\":[],\"nonsense\":1}", NULL, &assistant) == MK_STATUS_INVALID_CONFIG);
    CHECK(MESSAGE_HAS("nonsense") && assistant == sentinel);
    /* A catalog its own checks refuse: the same plan twice. */
    CHECK(mk_assistant_new(NULL, "{\"catalog\":[" LIGHT "," LIGHT "]}", NULL, &assistant) ==
          MK_STATUS_INVALID_CONFIG);
    CHECK(CODE_IS("invalid_config") && MESSAGE_HAS("catalog") && MESSAGE_HAS("appears twice"));
    CHECK(assistant == sentinel);
    CHECK(mk_assistant_new(NULL, CLUB, "{\"verification\":{\"max_attempts\":0}}", &assistant) ==
          MK_STATUS_INVALID_CONFIG);
    CHECK(CODE_IS("invalid_config") && MESSAGE_HAS("verification.max_attempts") && assistant == sentinel);
    CHECK(mk_assistant_new(NULL, CLUB, "{", &assistant) == MK_STATUS_INVALID_CONFIG && assistant == sentinel);
    CHECK(mk_assistant_new(NULL, CLUB, "{\"retention\":\"often\"}", &assistant) == MK_STATUS_INVALID_CONFIG);
    CHECK(MESSAGE_HAS("retention") && assistant == sentinel);
    CHECK(mk_assistant_new(NULL, CLUB, "{\"verification\":\"\xc3\"}", &assistant) == MK_STATUS_INVALID_UTF8);
    /* "{}" is the defaults; a model handle is copied, so it may go at once. */
    MkIntentModel *model = NULL;
    CHECK(mk_intent_model_default(&model) == MK_STATUS_OK);
    CHECK(mk_assistant_new(model, CLUB, "{}", &assistant) == MK_STATUS_OK && assistant != sentinel);
    mk_intent_model_free(model);
    char *reply = turn(assistant, NULL, "6月から2ヶ月休会したい", MAY_6);
    CHECK(reply != NULL && string_is(js_get(reply, "step"), "ask_identity"));
    CHECK(reply != NULL && string_is(js_get(reply, "intent"), "pause"));
    mk_string_free(reply);
    mk_assistant_free(assistant);
    /* English by default, by config. */
    CHECK(mk_assistant_new(NULL, CLUB, "{\"language\":\"en\"}", &assistant) == MK_STATUS_OK);
    reply = turn(assistant, NULL, "1000001", MAY_6);
    CHECK(reply != NULL && string_is(js_get(reply, "language"), "en"));
    mk_string_free(reply);
    mk_assistant_free(assistant);
}

static void test_read(const MkAssistant *assistant) {
    MkChatReading *const sentinel = (MkChatReading *)&passed;
    MkChatReading *reading = sentinel;
    CHECK(mk_assistant_read(NULL, NULL, "休会したい", MAY_6, &reading) == MK_STATUS_NULL_POINTER);
    CHECK(MESSAGE_HAS("assistant is NULL") && reading == sentinel);
    CHECK(mk_assistant_read(assistant, NULL, NULL, MAY_6, &reading) == MK_STATUS_NULL_POINTER);
    CHECK(MESSAGE_HAS("message is NULL") && reading == sentinel);
    CHECK(mk_assistant_read(assistant, NULL, "休会したい", MAY_6, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(MESSAGE_HAS("out is NULL"));
    CHECK(mk_assistant_read(assistant, NULL, "\xe4\xbc", MAY_6, &reading) == MK_STATUS_INVALID_UTF8);
    CHECK(CODE_IS("invalid_utf8") && reading == sentinel);
    CHECK(mk_assistant_read(assistant, "\xff", "x", MAY_6, &reading) == MK_STATUS_INVALID_UTF8);
    CHECK(MESSAGE_HAS("state_json") && reading == sentinel);
    MkDate feb_30 = {2026, 2, 30};
    CHECK(mk_assistant_read(assistant, NULL, "休会したい", feb_30, &reading) == MK_STATUS_INVALID_DATE);
    CHECK(reading == sentinel);
    CHECK(mk_assistant_read(assistant, "{\"identity\":{\"verified\":\"yes\"}}", "x", MAY_6, &reading) ==
          MK_STATUS_INVALID_JSON);
    CHECK(CODE_IS("invalid_json") && MESSAGE_HAS("identity.verified") && reading == sentinel);
    CHECK(mk_assistant_read(assistant, "[", "x", MAY_6, &reading) == MK_STATUS_INVALID_JSON);
    CHECK(mk_assistant_read(assistant, "{\"nonsense\":1}", "x", MAY_6, &reading) == MK_STATUS_INVALID_JSON);
    CHECK(reading == sentinel);
    /* Every spelling of a new conversation; a reading may be freed unreplied. */
    const char *const fresh[] = {"", "  ", "{}", "null"};
    for (size_t i = 0; i < sizeof fresh / sizeof fresh[0]; i++) {
        reading = sentinel;
        CHECK(mk_assistant_read(assistant, fresh[i], "休会したい", MAY_6, &reading) == MK_STATUS_OK);
        CHECK(reading != sentinel && reading != NULL);
        mk_chat_reading_free(reading);
    }
}

static void test_member_number(const MkAssistant *assistant) {
    char *const sentinel = (char *)&passed;
    char *number = sentinel;
    CHECK(mk_chat_reading_member_number(NULL, &number) == MK_STATUS_NULL_POINTER && number == sentinel);
    CHECK(MESSAGE_HAS("reading is NULL"));
    MkChatReading *reading = NULL;
    CHECK(mk_assistant_read(assistant, NULL, "休会したい", MAY_6, &reading) == MK_STATUS_OK);
    CHECK(mk_chat_reading_member_number(reading, NULL) == MK_STATUS_NULL_POINTER);
    /* No number yet: NULL is written. */
    CHECK(mk_chat_reading_member_number(reading, &number) == MK_STATUS_OK && number == NULL);
    mk_chat_reading_free(reading);
    CHECK(mk_assistant_read(assistant, NULL, "会員番号1000001です", MAY_6, &reading) == MK_STATUS_OK);
    CHECK(mk_chat_reading_member_number(reading, &number) == MK_STATUS_OK && number && !strcmp(number, "1000001"));
    mk_string_free(number);
    mk_chat_reading_free(reading);
    /* A member the host has authenticated itself: the number from the state. */
    const char verified[] = "{\"identity\":{\"claimed\":\"1000002\",\"verified\":true}}";
    CHECK(mk_assistant_read(assistant, verified, "what plan am I on?", MAY_6, &reading) == MK_STATUS_OK);
    number = NULL;
    CHECK(mk_chat_reading_member_number(reading, &number) == MK_STATUS_OK && number && !strcmp(number, "1000002"));
    mk_string_free(number);
    char *reply = NULL;
    CHECK(mk_assistant_reply(assistant, reading, member_json("1000002"), &reply) == MK_STATUS_OK);
    CHECK(reply && string_is(js_get(reply, "step"), "facts") && string_is(js_get(reply, "topic"), "membership"));
    CHECK(reply && strstr(reply, "\"id\":\"light\"") != NULL);
    mk_string_free(reply);
}

/* A new reading of "休会したい", for mk_assistant_reply to consume. */
static MkChatReading *a_reading(const MkAssistant *assistant) {
    MkChatReading *reading = NULL;
    CHECK(mk_assistant_read(assistant, NULL, "会員番号1000001 休会したい", MAY_6, &reading) == MK_STATUS_OK);
    return reading;
}

static void test_reply_consumes_the_reading(const MkAssistant *assistant) {
    char *const sentinel = (char *)&passed;
    char *reply = sentinel;
    /* Each failure below frees the reading: ASan's leak check at exit sees
       any that does not. */
    CHECK(mk_assistant_reply(NULL, a_reading(assistant), NULL, &reply) == MK_STATUS_NULL_POINTER);
    CHECK(MESSAGE_HAS("assistant is NULL") && reply == sentinel);
    CHECK(mk_assistant_reply(assistant, NULL, NULL, &reply) == MK_STATUS_NULL_POINTER);
    CHECK(MESSAGE_HAS("reading is NULL") && reply == sentinel);
    CHECK(mk_assistant_reply(assistant, a_reading(assistant), NULL, NULL) == MK_STATUS_NULL_POINTER);
    CHECK(MESSAGE_HAS("out_reply_json is NULL"));
    CHECK(mk_assistant_reply(assistant, a_reading(assistant), "{\"identity\":{}}", &reply) ==
          MK_STATUS_INVALID_JSON);
    CHECK(CODE_IS("invalid_json") && MESSAGE_HAS("member_number") && reply == sentinel);
    CHECK(mk_assistant_reply(assistant, a_reading(assistant), "{\"identity\":", &reply) == MK_STATUS_INVALID_JSON);
    CHECK(MESSAGE_HAS("chat member") && reply == sentinel);
    CHECK(mk_assistant_reply(assistant, a_reading(assistant), "\"\xff\"", &reply) == MK_STATUS_INVALID_UTF8);
    CHECK(MESSAGE_HAS("member_json") && reply == sentinel);
    /* Success: no member record (unknown number) is a mismatch, never a
       hint that the number names no one. */
    CHECK(mk_assistant_reply(assistant, a_reading(assistant), NULL, &reply) == MK_STATUS_OK && reply != sentinel);
    CHECK(reply && string_is(js_get(reply, "step"), "ask_identity"));
    mk_string_free(reply);
}

/* Whether the reply's step is `step` and its text `text`. */
static int says(const char *reply, const char *step, const char *text) {
    return reply && string_is(js_get(reply, "step"), step) && string_is(js_get(reply, "text"), text);
}

static void test_japanese_conversation_to_a_confirmed_pause(const MkAssistant *assistant) {
    char *reply = turn(assistant, NULL, "6月から2ヶ月休会したい", MAY_6);
    CHECK(says(reply, "ask_identity", "ご本人確認のため、会員番号を教えてください。"));
    CHECK(reply && string_is(js_get(reply, "language"), "ja") && string_is(js_get(reply, "intent"), "pause"));
    char *state = state_of(reply);
    mk_string_free(reply);

    reply = turn(assistant, state, "会員番号1000001です", MAY_6);
    CHECK(says(reply, "ask_identity",
               "続いて、ご登録のメールアドレス、電話番号、または生年月日のいずれかを教えてください。"));
    free(state);
    state = state_of(reply);
    mk_string_free(reply);

    reply = turn(assistant, state, "hanako@example.jp", MAY_6);
    CHECK(says(reply, "confirm",
               "ご本人様を確認しました。\n6月1日から7月31日まで、2ヶ月休会します。\n休会費：月550円\n"
               "次回のご請求：6月1日 550円（お引き落とし 6月29日）\n"
               "この内容でお手続きしてよろしいですか？（はい／いいえ）"));
    const char *command = reply ? js_get(reply, "command") : NULL;
    CHECK(command && js_equal(command, "{\"type\":\"pause\",\"from\":\"2026-06-01\",\"until\":\"2026-08-01\"}"));
    CHECK(reply && js_equal(js_get(reply, "version"), "1"));
    free(state);
    state = state_of(reply);
    /* The state keeps the claimed number, never the email; the transcript is masked. */
    CHECK(state && strstr(state, "hanako") == NULL && strstr(state, "\"verified\":true") != NULL);
    mk_string_free(reply);

    reply = turn(assistant, state, "はい", MAY_6);
    CHECK(says(reply, "confirmed", "お手続きを承りました。"));
    command = reply ? js_get(reply, "command") : NULL;
    char *confirmed = command ? js_copy(command) : NULL;
    CHECK(confirmed && js_equal(confirmed, "{\"type\":\"pause\",\"from\":\"2026-06-01\",\"until\":\"2026-08-01\"}"));
    free(state);
    state = state_of(reply);
    mk_string_free(reply);

    /* The host executes the confirmed command; the decider accepts it on the
       member's state (version 1). */
    MkCatalog *catalog = NULL;
    char *membership = NULL, *events = NULL;
    CHECK(mk_catalog_new(PLANS, &catalog) == MK_STATUS_OK);
    CHECK(mk_membership_apply(NULL, HANAKO_EVENTS, &membership) == MK_STATUS_OK);
    CHECK(membership && strstr(membership, "\"version\":1") != NULL);
    CHECK(confirmed && mk_membership_decide(catalog, membership, confirmed, MAY_6, &events) == MK_STATUS_OK);
    /* (The membership had not started yet: advancing it comes first.) */
    CHECK(events && js_equal(events, "[{\"type\":\"started\",\"on\":\"2026-04-01\"},"
                                     "{\"type\":\"pause_scheduled\",\"on\":\"2026-06-01\",\"until\":\"2026-08-01\"}]"));
    mk_string_free(events);
    mk_string_free(membership);
    mk_catalog_free(catalog);
    free(confirmed);

    /* The conversation goes on from the stored state: a new question. */
    reply = turn(assistant, state, "次の引き落としはいつですか", MAY_6);
    CHECK(reply && string_is(js_get(reply, "step"), "facts") && string_is(js_get(reply, "topic"), "billing"));
    mk_string_free(reply);
    free(state);
}

/* Conversations for the threads: what each member says, on which day. */
typedef struct {
    MkDate today;
    const char *says[6];
} Script;

static const Script SCRIPTS[] = {
    {{2026, 5, 6}, {"6月から2ヶ月休会したい", "会員番号1000001です", "hanako@example.jp", "はい", NULL}},
    {{2026, 5, 6},
     {"I want to cancel my membership", "my member number is 1000001 and my email is hanako@example.jp",
      "no, please cancel it", "yes", NULL}},
    {{2026, 5, 6},
     {"退会したいです", "会員番号1000001、メールはhanako@example.comです", "会員番号1000001、メールはhana@example.jp",
      "会員番号1000001、電話は090-0000-0000", "はい", NULL}},
    {{2026, 5, 16}, {"6月から2ヶ月休会したい", "会員番号1000001、メールはhanako@example.jpです", "はい", NULL}},
    {{2026, 5, 16},
     {"I'd like to change my plan", "member number 1000001, email hanako@example.jp", "the light plan", "now",
      "yes", NULL}},
    {{2026, 5, 6}, {"when is my next payment?", "member number 1000002", "taro@example.com", NULL}},
};
#define N_SCRIPTS (sizeof SCRIPTS / sizeof SCRIPTS[0])

/* Every reply of the script, one a line, in a malloc'd string; NULL if a
   turn fails. */
static char *run_script(const MkAssistant *assistant, const Script *script) {
    size_t len = 0;
    char *all = NULL, *state = NULL;
    for (int i = 0; script->says[i]; i++) {
        char *reply = turn(assistant, state, script->says[i], script->today);
        free(state);
        state = state_of(reply);
        size_t add = reply ? strlen(reply) : 0;
        char *grown = reply && state ? realloc(all, len + add + 2) : NULL;
        if (!grown) {
            mk_string_free(reply);
            free(state);
            free(all);
            return NULL;
        }
        all = grown;
        memcpy(all + len, reply, add);
        len += add;
        all[len++] = '\n';
        all[len] = '\0';
        mk_string_free(reply);
    }
    free(state);
    return all;
}

#define N_THREADS 8
#define ROUNDS 12

typedef struct {
    const MkAssistant *assistant;
    char *const *expected; /* the single-threaded run, per script */
    int thread;
    int runs;
    int mismatches;
} Worker;

static void *work(void *arg) {
    Worker *w = arg;
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t k = 0; k < N_SCRIPTS; k++) {
            size_t s = ((size_t)w->thread + k) % N_SCRIPTS; /* threads start on different scripts */
            char *got = run_script(w->assistant, &SCRIPTS[s]);
            w->runs++;
            if (!got || strcmp(got, w->expected[s]) != 0) w->mismatches++;
            free(got);
        }
    }
    return NULL;
}

static void test_shared_by_8_threads(const MkAssistant *assistant) {
    char *expected[N_SCRIPTS];
    int ready = 1;
    for (size_t s = 0; s < N_SCRIPTS; s++) {
        expected[s] = run_script(assistant, &SCRIPTS[s]);
        CHECK(expected[s] != NULL);
        ready &= expected[s] != NULL;
    }
    /* The scripts reach the steps they are meant to. */
    CHECK(ready && strstr(expected[0], "\"step\":\"confirmed\"") != NULL);
    CHECK(ready && strstr(expected[1], "\"step\":\"offer_retention\"") != NULL);
    CHECK(ready && strstr(expected[2], "\"step\":\"handover\"") != NULL);
    CHECK(ready && strstr(expected[3], "\"step\":\"refused\"") != NULL);
    CHECK(ready && strstr(expected[4], "\"fact\":\"settlement\"") != NULL);
    CHECK(ready && strstr(expected[5], "\"step\":\"facts\"") != NULL);
    if (ready) {
        Worker workers[N_THREADS];
        pthread_t threads[N_THREADS];
        for (int t = 0; t < N_THREADS; t++) {
            workers[t] = (Worker){assistant, expected, t, 0, 0};
            CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0);
        }
        int runs = 0, mismatches = 0;
        for (int t = 0; t < N_THREADS; t++) {
            pthread_join(threads[t], NULL);
            runs += workers[t].runs;
            mismatches += workers[t].mismatches;
        }
        CHECK(runs == N_THREADS * ROUNDS * (int)N_SCRIPTS);
        CHECK(mismatches == 0);
        printf("c chat threads: %d threads, %d conversations, %d differing from the single-threaded run\n",
               N_THREADS, runs, mismatches);
    }
    for (size_t s = 0; s < N_SCRIPTS; s++) free(expected[s]);
}

/* With the booking book: a class booked by day and time, the command for the
   host to execute on the book, and the book unchanged by the reply. */
static void test_booking_in_the_book(const MkAssistant *assistant) {
    MkBookingRules *rules = NULL;
    MkBookingBook *book = NULL;
    CHECK(mk_booking_rules_new("{}", &rules) == MK_STATUS_OK);
    CHECK(mk_booking_book_new(rules, NULL, &book) == MK_STATUS_OK);
    const char *setup[] = {
        "{\"type\":\"schedule_session\",\"session\":{\"id\":\"yoga-0507-10\",\"capacity\":5,\"credits\":1,"
        "\"start\":\"2026-05-07T10:00:00+09:00\",\"end\":\"2026-05-07T11:00:00+09:00\"}}",
        "{\"type\":\"set_member\",\"member\":\"1000001\",\"eligibility\":{}}",
        "{\"type\":\"add_pack\",\"member\":\"1000001\",\"pack\":{\"id\":\"p1\",\"credits\":5,"
        "\"expires\":\"2026-08-01T00:00:00+09:00\",\"valid_for\":[]}}",
    };
    for (size_t i = 0; book && i < sizeof setup / sizeof setup[0]; i++) {
        char *events = NULL;
        CHECK(mk_booking_book_execute(book, setup[i], "2026-05-06T09:00:00+09:00", &events) == MK_STATUS_OK);
        mk_string_free(events);
    }
    uint64_t before = 0;
    CHECK(book && mk_booking_book_version(book, &before) == MK_STATUS_OK);
    const int64_t now = 1778025600; /* 2026-05-06T09:00:00+09:00 */
    MkChatReading *reading = NULL;
    const char *verified = "{\"identity\":{\"claimed\":\"1000001\",\"verified\":true}}";
    CHECK(mk_assistant_read(assistant, verified, "明日10時のクラスを予約したい", MAY_6, &reading) == MK_STATUS_OK);
    char *reply = NULL;
    CHECK(mk_assistant_reply_in_book(assistant, reading, member_json("1000001"), book, now, 32400, &reply) ==
          MK_STATUS_OK);
    CHECK(says(reply, "confirm",
               "yoga-0507-10（5月7日 10:00）を予約します。\nクラス：yoga-0507-10（5月7日 10:00）\n"
               "回数券：1回分を使います\nこの内容でお手続きしてよろしいですか？（はい／いいえ）"));
    const char *command = reply ? js_get(reply, "command") : NULL;
    CHECK(command && js_equal(command, "{\"type\":\"book\",\"session\":\"yoga-0507-10\",\"member\":\"1000001\","
                                       "\"party\":1}"));
    uint64_t after = 0;
    CHECK(book && mk_booking_book_version(book, &after) == MK_STATUS_OK && after == before);
    mk_string_free(reply);
    /* NULL book, a bad offset: statuses, and the reading still freed. */
    CHECK(mk_assistant_read(assistant, verified, "x", MAY_6, &reading) == MK_STATUS_OK);
    CHECK(mk_assistant_reply_in_book(assistant, reading, NULL, NULL, now, 32400, &reply) == MK_STATUS_NULL_POINTER);
    CHECK(mk_assistant_read(assistant, verified, "x", MAY_6, &reading) == MK_STATUS_OK);
    CHECK(mk_assistant_reply_in_book(assistant, reading, NULL, book, now, 90000, &reply) ==
          MK_STATUS_INVALID_ARGUMENT);
    mk_booking_book_free(book);
    mk_booking_rules_free(rules);
}

int main(void) {
    test_frees_accept_null();
    test_new();
    MkAssistant *assistant = new_assistant();
    if (assistant) {
        test_read(assistant);
        test_member_number(assistant);
        test_reply_consumes_the_reading(assistant);
        test_japanese_conversation_to_a_confirmed_pause(assistant);
        test_booking_in_the_book(assistant);
        test_shared_by_8_threads(assistant);
    }
    mk_assistant_free(assistant);
    printf("c chat: %d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
