/* What the vector replays share: the counters, reading a file, reporting a
 * failure and comparing JSON. Defined in test_vectors.c. */
#ifndef MK_TEST_VECTORS_H
#define MK_TEST_VECTORS_H

#include "memberkit.h"

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

/* Bills `account` (typed) with `events_json` through `day` by mk_bill_run
   and checks the run against `run_json`, mk_bill's result for the same
   history: every document field by field and as JSON, and the account.
   Documents are numbered from `doc_no` in failures; 1 when all agree. */
int check_typed_run(const char *name, int doc_no, const MkCatalog *catalog, const MkBillingConfig *config,
                    MkAccount *account, const char *events_json, MkDate day, const char *run_json);

/* Replays tests/vectors/booking.json (vectors_booking.c); the number of
   cases, or -1 when the file cannot be read. */
int replay_booking(const char *path);

/* Replays tests/vectors/chat.json (vectors_chat.c); the number of
   conversations, or -1 when the file or its club cannot be read. */
int replay_chat(const char *path);

#endif
