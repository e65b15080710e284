/* What the vector replays share: the counters, reading a file, reporting a
 * failure and comparing JSON. Defined in test_vectors.c. */
#ifndef MK_TEST_VECTORS_H
#define MK_TEST_VECTORS_H

#include <stddef.h>

extern int passed;
extern int failed;

/* The file's text, malloc'd, or NULL. */
char *read_file(const char *path);
/* "command_refused" -> "MK_STATUS_COMMAND_REFUSED" */
void status_name_for_kind(const char *kind, char *out, size_t len);
/* Counts a failure and prints the case, step, what and both values. */
void fail(const char *name, int step, const char *what, const char *got, const char *expected);
/* Whether the JSON at got equals the vector's JSON at want (NULL reads as
   missing); a failure names the case, step and both values. */
int same_json(const char *name, int step_no, const char *what, const char *got, const char *want);

/* Replays tests/vectors/booking.json (vectors_booking.c); the number of
   cases, or -1 when the file cannot be read. */
int replay_booking(const char *path);

/* Replays tests/vectors/chat.json (vectors_chat.c); the number of
   conversations, or -1 when the file or its club cannot be read. */
int replay_chat(const char *path);

#endif
