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

/* The code point of the four hex digits at p, or -1. */
static inline long js_hex4(const char *p) {
    long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Appends the UTF-8 bytes of code point cp at out; returns the end. */
static inline char *js_put_utf8(char *out, long cp) {
    if (cp < 0x80) {
        *out++ = (char)cp;
    } else if (cp < 0x800) {
        *out++ = (char)(0xC0 | (cp >> 6));
        *out++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *out++ = (char)(0xE0 | (cp >> 12));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *out++ = (char)(0xF0 | (cp >> 18));
        *out++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    }
    return out;
}

/* A malloc'd copy of the JSON string at p with its escapes decoded (\uXXXX
   to UTF-8, surrogate pairs joined), for passing a vector's text to the
   library as the text it stands for; NULL when p is NULL, not a string, or
   holds an escape that is not valid JSON. (js_copy keeps escapes as they
   are written, which is right for comparing JSON but not for a message.) */
static inline char *js_string(const char *p) {
    if (!p || *(p = js_ws(p)) != '"') return NULL;
    const char *end = js_string_end(p) - 1;
    char *out = malloc((size_t)(end - p) + 1), *o = out; /* decoding never grows */
    if (!out) return NULL;
    for (p++; p < end; p++) {
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        static const char escapes[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
        char c = *++p;
        const char *plain = c ? strchr(escapes, c) : NULL;
        if (plain) {
            *o++ = decoded[plain - escapes];
            continue;
        }
        long cp = c == 'u' && end - p > 4 ? js_hex4(p + 1) : -1;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long low = end - p > 10 && p[5] == '\\' && p[6] == 'u' ? js_hex4(p + 7) : -1;
            cp = low >= 0xDC00 && low <= 0xDFFF ? 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00) : -1;
            p += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = -1;
        }
        if (cp <= 0) { /* a bad escape, or \u0000, which no C string can hold */
            free(out);
            return NULL;
        }
        o = js_put_utf8(o, cp);
        p += 4;
    }
    *o = '\0';
    return out;
}

/* The object at obj without its members named in keys (every occurrence,
   should a key repeat), as a malloc'd JSON object holding the other members'
   text as written; NULL when obj is not an object. Keys are compared as
   written (escapes not decoded). */
static inline char *js_object_without(const char *obj, const char *const *keys, size_t n_keys) {
    const char *p = obj ? js_ws(obj) : NULL;
    if (!p || *p != '{') return NULL;
    char *out = malloc((size_t)(js_value_end(p) - p) + 1), *o = out;
    if (!out) return NULL;
    *o++ = '{';
    for (p = js_ws(p + 1); *p == '"';) {
        const char *k = p + 1, *k_end = js_string_end(p) - 1;
        const char *value_end = js_value_end(js_ws(js_ws(k_end + 1) + 1));
        int dropped = 0;
        for (size_t i = 0; i < n_keys && !dropped; i++) {
            dropped = strlen(keys[i]) == (size_t)(k_end - k) && strncmp(k, keys[i], (size_t)(k_end - k)) == 0;
        }
        if (!dropped) {
            if (o > out + 1) *o++ = ',';
            memcpy(o, p, (size_t)(value_end - p));
            o += value_end - p;
        }
        p = js_ws(value_end);
        if (*p == ',') p = js_ws(p + 1);
    }
    *o++ = '}';
    *o = '\0';
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
