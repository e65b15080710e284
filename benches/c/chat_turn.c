/* Times one routed chatbot turn through the C API, as a C host runs it:
 * mk_assistant_read (the stored state parsed, the message classified and its
 * slots found), mk_chat_reading_member_number, mk_assistant_reply with the
 * member's record as JSON (parsed, its membership replayed, the pause
 * decider's dry run, the billing facts), the reply serialized, everything
 * freed. The member is verified already, so each turn goes from the request
 * straight to the confirmation with its facts. Prints microseconds per turn.
 * Built and run by benches/c/run.sh.
 * Usage: chat_turn [TURNS] (20000 by default). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "memberkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char CLUB[] =
    "{\"catalog\":[{\"id\":\"regular\",\"name\":\"レギュラー\",\"price\":{\"amount\":\"8800\",\"currency\":\"JPY\"},"
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1},"
    "\"minimum_term\":{\"periods\":6,\"early_cancel\":{\"kind\":\"fee\",\"amount\":{\"amount\":\"5000\","
    "\"currency\":\"JPY\"}}},"
    "\"pause\":{\"min_months\":1,\"max_months\":3,\"max_per_year\":2,\"request_by_day_of_previous_month\":10,"
    "\"monthly_fee\":{\"amount\":\"550\",\"currency\":\"JPY\"}}},"
    "{\"id\":\"light\",\"name\":\"ライト\",\"price\":{\"amount\":\"5500\",\"currency\":\"JPY\"},"
    "\"price_includes_tax\":true,\"interval\":{\"unit\":\"month\",\"count\":1}}],"
    "\"billing\":{\"collection\":{\"kind\":\"debit_day\",\"day\":27}}}";

static const char MEMBER[] =
    "{\"identity\":{\"member_number\":\"1000001\",\"email\":\"hanako@example.jp\"},"
    "\"membership\":[{\"type\":\"joined\",\"on\":\"2026-04-01\",\"plan\":\"regular\",\"applied_on\":\"2026-03-25\","
    "\"paid_from\":\"2026-04-01\",\"admission_fee\":null,\"rejoin\":false},{\"type\":\"started\",\"on\":\"2026-04-01\"}]}";

static const char STATE[] = "{\"identity\":{\"claimed\":\"1000001\",\"verified\":true}}";

static const MkDate TODAY = {2026, 5, 6};

/* One turn; the reply JSON (to free), or NULL. */
static char *turn(const MkAssistant *assistant, const char *message) {
    MkChatReading *reading = NULL;
    if (mk_assistant_read(assistant, STATE, message, TODAY, &reading) != MK_STATUS_OK) return NULL;
    char *number = NULL;
    if (mk_chat_reading_member_number(reading, &number) != MK_STATUS_OK) {
        mk_chat_reading_free(reading);
        return NULL;
    }
    const char *member = number && strcmp(number, "1000001") == 0 ? MEMBER : NULL;
    char *reply = NULL;
    MkStatus status = mk_assistant_reply(assistant, reading, member, &reply);
    mk_string_free(number);
    return status == MK_STATUS_OK ? reply : NULL;
}

/* Only the read, for the breakdown: the reading freed unreplied. */
static char *read_only(const MkAssistant *assistant, const char *message) {
    MkChatReading *reading = NULL;
    if (mk_assistant_read(assistant, STATE, message, TODAY, &reading) != MK_STATUS_OK) return NULL;
    mk_chat_reading_free(reading);
    static char done[] = "";
    return done;
}

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

typedef char *(*Turn)(const MkAssistant *, const char *);

/* Microseconds per call of `run` over `turns` calls, the best of 3 rounds,
   by the wall clock and by this process's CPU time (on a shared machine
   the wall clock also counts waiting for a core); -1 on a failure. */
static int time_calls(const MkAssistant *assistant, const char *message, long turns, Turn run, int owned,
                      double *wall, double *cpu) {
    *wall = *cpu = -1;
    for (long i = 0; i < turns / 10; i++) {
        char *r = run(assistant, message);
        if (owned) mk_string_free(r);
    }
    for (int round = 0; round < 3; round++) {
        double start = seconds(CLOCK_MONOTONIC), start_cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
        for (long i = 0; i < turns; i++) {
            char *r = run(assistant, message);
            if (!r) return 0;
            if (owned) mk_string_free(r);
        }
        double us = (seconds(CLOCK_MONOTONIC) - start) * 1e6 / (double)turns;
        double us_cpu = (seconds(CLOCK_PROCESS_CPUTIME_ID) - start_cpu) * 1e6 / (double)turns;
        if (*wall < 0 || us < *wall) *wall = us;
        if (*cpu < 0 || us_cpu < *cpu) *cpu = us_cpu;
    }
    return 1;
}

/* Checks the turn reaches the confirmation, then times it and the read
   alone; whether all went well. */
static int bench(const MkAssistant *assistant, const char *message, long turns) {
    char *reply = turn(assistant, message);
    int ok = reply && strstr(reply, "\"step\":\"confirm\"") && strstr(reply, "\"type\":\"pause\"");
    if (!ok) fprintf(stderr, "unexpected reply to %s: %s (%s)\n", message, reply ? reply : "none", mk_last_error_message());
    mk_string_free(reply);
    double wall, cpu, read_wall, read_cpu;
    if (!ok || !time_calls(assistant, message, turns, turn, 1, &wall, &cpu) ||
        !time_calls(assistant, message, turns, read_only, 0, &read_wall, &read_cpu)) {
        return 0;
    }
    printf("%s\n  turn (read + reply, pause dry run to confirm): %.2f us wall, %.2f us CPU; "
           "of which the read: %.2f us wall, %.2f us CPU (best of 3 x %ld)\n",
           message, wall, cpu, read_wall, read_cpu, turns);
    return 1;
}

int main(int argc, char **argv) {
    long turns = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
    if (turns <= 0) turns = 20000;
    MkAssistant *assistant = NULL;
    if (mk_assistant_new(NULL, CLUB, NULL, &assistant) != MK_STATUS_OK) {
        fprintf(stderr, "assistant: %s\n", mk_last_error_message());
        return 1;
    }
    static const char *const messages[] = {"7月から2ヶ月休会したい",
                                           "I'd like to pause my membership from July for two months"};
    int status = 0;
    for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++) {
        if (!bench(assistant, messages[i], turns)) status = 1;
    }
    mk_assistant_free(assistant);
    return status;
}
