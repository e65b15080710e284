/* A minimal JSON scanner for the C tests: finds keys, walks arrays and copies
 * values out as text. Enough to replay the conformance vectors; not a parser
 * for production use (it trusts its input to be well-formed JSON). */
#ifndef MK_TEST_JSON_SCAN_H
#define MK_TEST_JSON_SCAN_H

#include <stdlib.h>
#include <string.h>

static inline const char *js_ws(const char *p) {
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
    return p;
}

/* The end of the string starting at the opening quote p. */
static inline const char *js_string_end(const char *p) {
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1]) p++;
    }
    return *p ? p + 1 : p;
}

/* The end of the value starting at p (after whitespace). */
static inline const char *js_value_end(const char *p) {
    p = js_ws(p);
    if (*p == '"') return js_string_end(p);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        for (; *p; p++) {
            if (*p == '"') {
                p = js_string_end(p) - 1;
            } else if (*p == '{' || *p == '[') {
                depth++;
            } else if (*p == '}' || *p == ']') {
                if (--depth == 0) return p + 1;
            }
        }
        return p;
    }
    while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n') p++;
    return p;
}

/* The value of the key of `key_len` bytes at `key` in the object starting
   at obj, or NULL. */
static inline const char *js_get_n(const char *obj, const char *key, size_t key_len) {
    const char *p = js_ws(obj);
    if (*p != '{') return NULL;
    p = js_ws(p + 1);
    while (*p == '"') {
        const char *k = p + 1, *k_end = js_string_end(p) - 1;
        p = js_ws(js_ws(k_end + 1) + 1); /* skip ':' */
        if ((size_t)(k_end - k) == key_len && strncmp(k, key, key_len) == 0) return p;
        p = js_ws(js_value_end(p));
        if (*p == ',') p = js_ws(p + 1);
    }
    return NULL;
}

/* The value of `key` in the object starting at obj, or NULL. */
static inline const char *js_get(const char *obj, const char *key) {
    return js_get_n(obj, key, strlen(key));
}

/* The first element of the array at arr, or NULL when empty. */
static inline const char *js_first(const char *arr) {
    const char *p = js_ws(arr);
    if (*p != '[') return NULL;
    p = js_ws(p + 1);
    return *p == ']' ? NULL : p;
}

/* The element after the one at item, or NULL at the end of the array. */
static inline const char *js_next(const char *item) {
    const char *p = js_ws(js_value_end(item));
    return *p == ',' ? js_ws(p + 1) : NULL;
}

/* A malloc'd copy of the value at p; strings lose their quotes. */
static inline char *js_copy(const char *p) {
    p = js_ws(p);
    const char *end = js_value_end(p);
    if (*p == '"') {
        p++;
        end--;
    }
    size_t n = (size_t)(end - p);
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, p, n);
        out[n] = '\0';
    }
    return out;
}

static inline int js_equal(const char *a, const char *b);

/* Whether every key of the object at a has an equal value in the object at b. */
static inline int js_object_within(const char *a, const char *b) {
    const char *p = js_ws(js_ws(a) + 1);
    while (*p == '"') {
        const char *k = p + 1, *k_end = js_string_end(p) - 1;
        p = js_ws(js_ws(k_end + 1) + 1); /* skip ':' */
        const char *other = js_get_n(b, k, (size_t)(k_end - k));
        if (!other || !js_equal(p, other)) return 0;
        p = js_ws(js_value_end(p));
        if (*p == ',') p = js_ws(p + 1);
    }
    return 1;
}

/* Whether the values at a and b are the same JSON: objects key by key in any
   order, arrays element by element, strings, numbers and literals by their
   text (so "1.0" and "1" differ, as do two spellings of one string). */
static inline int js_equal(const char *a, const char *b) {
    a = js_ws(a);
    b = js_ws(b);
    if (*a != *b) return 0;
    if (*a == '{') return js_object_within(a, b) && js_object_within(b, a);
    if (*a == '[') {
        const char *x = js_first(a), *y = js_first(b);
        for (; x && y; x = js_next(x), y = js_next(y)) {
            if (!js_equal(x, y)) return 0;
        }
        return !x && !y;
    }
    size_t len = (size_t)(js_value_end(a) - a);
    return len == (size_t)(js_value_end(b) - b) && strncmp(a, b, len) == 0;
}

#endif
