/* The C test programs' one way of counting checks: CHECK(cond) counts a
 * pass or prints the failed condition with the library's last error;
 * CODE_IS and MESSAGE_HAS look at that error. Included once per program. */
#ifndef MK_TEST_CHECK_H
#define MK_TEST_CHECK_H

#include "memberkit.h"

#include <stdio.h>
#include <string.h>

static int passed = 0;
static int failed = 0;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
        } else {                                                           \
            failed++;                                                      \
            fprintf(stderr, "%s:%d: check failed: %s (last error: %s)\n",  \
                    __FILE__, __LINE__, #cond, mk_last_error_message());   \
        }                                                                  \
    } while (0)

#define CODE_IS(code) (strcmp(mk_last_error_code(), (code)) == 0)
#define MESSAGE_HAS(text) (strstr(mk_last_error_message(), (text)) != NULL)

#endif
