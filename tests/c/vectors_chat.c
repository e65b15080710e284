/* Replays tests/vectors/chat.json through the C API exactly as the Rust
 * replay (chat_vectors in core/tests/vectors.rs) does: one MkAssistant over
 * the shipped model (NULL) for the file's `club` with the default config.
 * Each conversation starts from its `state` (or a new one); each turn reads
 * `say` on the turn's `today` (or the conversation's) with
 * mk_assistant_read, looks up the member that mk_chat_reading_member_number
 * names among `members` by identity.member_number (NULL when there is no
 * number or no such member), replies with mk_assistant_reply, and compares
 * the reply's step — its JSON without text, language, intent, confidence,
 * slots and state — and its text with the turn's `step` and `text`, as
 * JSON. The reply's state is the next turn's. */
#include "json_scan.h"
#include "memberkit.h"
#include "vectors.h"

#include <stdio.h>

/* The reply's members that are not part of its step. */
static const char *const NOT_STEP[] = {"text", "language", "intent", "confidence", "slots", "state"};

static MkDate chat_date(const char *p, int *ok) {
    MkDate d = {0, 0, 0};
    char *text = js_string(p);
    *ok = text && mk_date_parse(text, &d) == MK_STATUS_OK;
    free(text);
    return d;
}

/* The member record in `members` whose identity.member_number is `number`,
   as a malloc'd JSON object, or NULL. */
static char *find_member(const char *members, const char *number) {
    for (const char *m = js_first(members); m && number; m = js_next(m)) {
        char *own = js_string(js_get(js_get(m, "identity"), "member_number"));
        int same = own && strcmp(own, number) == 0;
        free(own);
        if (same) return js_copy(m);
    }
    return NULL;
}

/* One turn: read, look up, reply; the reply JSON (malloc'd by the library),
   or NULL after counting a failure. */
static char *chat_turn(const MkAssistant *assistant, const char *members, const char *state, const char *say,
                       MkDate today, const char *name, int turn_no) {
    MkChatReading *reading = NULL;
    if (mk_assistant_read(assistant, state, say, today, &reading) != MK_STATUS_OK) {
        fail(name, turn_no, "read", mk_last_error_message(), "ok");
        return NULL;
    }
    char *number = NULL;
    if (mk_chat_reading_member_number(reading, &number) != MK_STATUS_OK) {
        fail(name, turn_no, "member number", mk_last_error_message(), "ok");
        mk_chat_reading_free(reading);
        return NULL;
    }
    char *member = find_member(members, number);
    char *reply = NULL;
    if (mk_assistant_reply(assistant, reading, member, &reply) != MK_STATUS_OK) {
        fail(name, turn_no, "reply", mk_last_error_message(), "ok");
        reply = NULL;
    }
    free(member);
    mk_string_free(number);
    return reply;
}

static void replay_conversation(const MkAssistant *assistant, const char *members, const char *c) {
    char *name = js_string(js_get(c, "name"));
    const char *label = name ? name : "(unnamed)";
    int ok = 0;
    MkDate today = chat_date(js_get(c, "today"), &ok);
    if (!ok) fail(label, -1, "today", "unreadable", "a date");
    const char *saved = js_get(c, "state");
    char *state = saved ? js_copy(saved) : NULL;
    int turn_no = 0;
    for (const char *t = js_first(js_get(c, "turns")); t && ok; t = js_next(t), turn_no++) {
        MkDate at = js_get(t, "today") ? chat_date(js_get(t, "today"), &ok) : today;
        char *say = js_string(js_get(t, "say"));
        if (!ok || !say) {
            fail(label, turn_no, "turn", "an unreadable today or say", "a date and a string");
            free(say);
            break;
        }
        char *reply = chat_turn(assistant, members, state, say, at, label, turn_no);
        free(say);
        if (!reply) break;
        char *step = js_object_without(reply, NOT_STEP, sizeof NOT_STEP / sizeof NOT_STEP[0]);
        int same = same_json(label, turn_no, "step", step, js_get(t, "step"));
        same &= same_json(label, turn_no, "text", js_get(reply, "text"), js_get(t, "text"));
        if (same) passed++;
        free(step);
        free(state);
        const char *next = js_get(reply, "state");
        state = next ? js_copy(next) : NULL;
        mk_string_free(reply);
        if (!state) {
            fail(label, turn_no, "state", "(missing)", "the next state");
            break;
        }
    }
    free(state);
    free(name);
}

int replay_chat(const char *path) {
    char *doc = read_file(path);
    if (!doc) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    char *club = js_copy(js_get(doc, "club"));
    MkAssistant *assistant = NULL;
    if (!club || mk_assistant_new(NULL, club, NULL, &assistant) != MK_STATUS_OK) {
        fprintf(stderr, "assistant: %s\n", mk_last_error_message());
        free(club);
        free(doc);
        return -1;
    }
    const char *members = js_get(doc, "members");
    int conversations = 0;
    for (const char *c = js_first(js_get(doc, "conversations")); c; c = js_next(c), conversations++) {
        replay_conversation(assistant, members, c);
    }
    mk_assistant_free(assistant);
    free(club);
    free(doc);
    return conversations;
}
