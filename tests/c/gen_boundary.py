#!/usr/bin/env python3
"""Writes a C test of every function memberkit.h declares (to stdout).

    tests/c/gen_boundary.py include/memberkit.h > boundary.c

For each function and each of its pointer arguments, the test calls the
function with that argument NULL and every other argument valid (the live
handles and strings of tests/c/boundary_fixtures.h): a status function must
refuse with a status other than MK_STATUS_OK and a message, unless its
documentation says the argument may be NULL (then any status will do, and
whatever it made is freed). Each handle argument is also given a live handle
of another kind (cast, as a C caller's mistake would): refused with a status
and a message, and the other handle left alone (a consumed or freed one is
not freed). Each length argument is also tried as 0 (a zero-length buffer):
refused, or accepted, never a crash. Each free function is called with NULL
and with a handle of another kind. Under AddressSanitizer the test also shows that no call
reads or writes out of bounds or leaks what it made.

A function whose argument type this script does not know fails the
generation, so a new function cannot go untested: add its type below.
"""

import re
import sys

# What a valid argument is, by C type (and, for strings, by name).
SCALARS = {
    "MkRounding": "MK_ROUNDING_HALF_UP",
    "bool": "false",
    "int": "0",
    "int32_t": "FX_JST",
    "float *": "&f_out",
    "struct MkDate": "fx.date",
    "struct MkMoney": "fx.money",
    "struct MkInterval": "fx.interval",
    "struct MkSchedule": "fx.schedule",
    "struct MkPeriod": "fx.period",
}
BY_NAME = {
    ("int64_t", "at_unix_seconds"): "FX_AT_UNIX",
    ("int64_t", "now_unix_seconds"): "FX_AT_UNIX",
    ("int64_t", "months"): "1",
    ("int64_t", "parts"): "2",
    ("size_t", "len"): "fx.model_len",
    ("size_t", "out_len"): "8",
    ("size_t", "count"): "1",
    ("uint32_t", "currency_code"): "392u",
    ("uint32_t", "whole"): "30u",
}
STRINGS = {
    "account_id": '"m-1"',
    "account_json": "fx.account_json",
    "amount": '"1.5"',
    "at": "FX_AT",
    "book_json": '"{}"',
    "charges_json": '"[]"',
    "discounts_json": '"[]"',
    "club_json": "FX_CLUB",
    "code": '"JPY"',
    "command_json": '"{\\"type\\":\\"advance\\"}"',
    "config_json": '"{}"',
    "conversation_json": '"{}"',
    "events_json": "FX_EVENTS",
    "examples_json": "FX_EXAMPLES",
    "histories_json": '"[]"',
    "language": '"ja"',
    "member": '"u-1"',
    "member_json": "NULL",
    "message": '"休会したい"',
    "plans_json": "FX_PLANS",
    "policy_json": "FX_DUNNING_POLICY",
    "rules_json": "FX_BOOKING_RULES",
    "session": '"s-1"',
    "state_json": '"{}"',
    "text": '"休会したい"',
}
HANDLES = {
    "MkCatalog": "fx.catalog",
    "MkBillingConfig": "fx.config",
    "MkAccount": "fx.account",
    "MkBillingRun": "fx.run",
    "MkBookingRules": "fx.rules",
    "MkBookingBook": "fx.book",
    "MkDunningPolicy": "fx.policy",
    "MkIntentModel": "fx.model",
    "MkRouter": "fx.router",
    "MkAssistant": "fx.assistant",
    "MkChatReading": "fx.reading",
    "MkEventLog": "fx.log",
}
# Arrays of handles, and the same array holding a handle of another kind.
HANDLE_ARRAYS = {
    "struct MkAccount *const *": ("fx.accounts", "fx.wrong_accounts"),
    "const struct MkEventLog *const *": ("fx.logs", "fx.wrong_logs"),
}


def other_kind(t):
    """A live handle of another kind than the handle type `t`, cast to `t`."""
    if t in HANDLE_ARRAYS:
        return HANDLE_ARRAYS[t][1]
    kind = re.fullmatch(r"(?:const )?struct (Mk\w+) \*", t)
    if not kind or kind.group(1) not in HANDLES:
        return None
    other = "fx.config" if kind.group(1) == "MkCatalog" else "fx.catalog"
    return f"({t}){other}"
# Out-arguments: a local of this type, and how to free what was written there.
OUTS = {
    "char **": ("char *", "mk_string_free({v}); {v} = NULL;"),
    "const char **": ("const char *", ""),
    "uint8_t **": ("uint8_t *", "mk_bytes_free({v}, o_out_len); {v} = NULL;"),
    "size_t *": ("size_t", ""),
    "uint32_t *": ("uint32_t", ""),
    "uint64_t *": ("uint64_t", ""),
}
for kind in ("Date", "Money", "Period", "Schedule", "Document", "Line", "TaxSummary",
             "BillingOutcome", "BillingRunSummary"):
    OUTS[f"struct Mk{kind} *"] = (f"Mk{kind}", "")


def snake(name):
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


PROTO = re.compile(r"^(enum MkStatus|void|const char \*)\s*(mk_\w+)\((.*)\);$", re.M)


def functions(header):
    """(return type, name, [(type, name)], doc) for every prototype."""
    out, last = [], 0
    for m in PROTO.finditer(header):
        doc = header[last:m.start()]
        doc = doc[doc.rfind("/**"):] if "/**" in doc else ""
        last = m.end()
        args = []
        for a in m.group(3).split(","):
            a = a.strip()
            if a and a != "void":
                t, n = re.match(r"(.*?)(\w+)$", a).groups()
                args.append((t.strip(), n))
        out.append((m.group(1), m.group(2), args, doc))
    return out


def nullable(doc, name, docs):
    """Whether the documentation lets `name` be NULL (following "As mk_other")."""
    safety = doc[doc.find("# Safety"):] if "# Safety" in doc else ""
    flat = " ".join(line.strip(" */") for line in safety.splitlines())
    if re.search(rf"`{name}` (is NULL or|may be NULL)", flat):
        return True
    other = re.search(r"\bAs (mk_\w+)", flat)
    return bool(other) and nullable(docs[other.group(1)], name, docs)


def value(t, n, fn, sized):
    """A valid argument of type `t` named `n` (a C expression), and whether it is a pointer.

    `sized`: the function takes an array to fill and its length (`out_len`)."""
    if n == "out_parts":
        return "fx.parts", True
    if sized and t == "struct MkDate *":
        return "fx.dates", True
    if (t, n) in BY_NAME:
        return BY_NAME[(t, n)], False
    if t in SCALARS:
        return SCALARS[t], t.endswith("*")
    if t in ("uint32_t", "size_t", "int64_t"):
        return ("1" if n in ("day", "part", "party") else "0"), False
    if t == "const char *":
        if n not in STRINGS:
            raise SystemExit(f"{fn}: no valid value for string argument {n}: add it to STRINGS")
        return STRINGS[n], True
    if t in OUTS:
        return f"&o_{n}", True
    m = re.fullmatch(r"(?:const )?struct (Mk\w+) \*\*", t)
    if m:
        return f"&o_{n}", True
    m = re.fullmatch(r"(?:const )?struct (Mk\w+) \*", t)
    if m and m.group(1) in HANDLES:
        if m.group(1) == "MkChatReading" and not t.startswith("const"):
            return "fx_reading(&fx)", True  # consumed by the call
        return HANDLES[m.group(1)], True
    if t in HANDLE_ARRAYS:
        return HANDLE_ARRAYS[t][0], True
    if t == "const uint8_t *":
        return "fx.model_bytes", True
    if t == "const int64_t *":
        return "fx.weights", True
    raise SystemExit(f"{fn}: no valid value for {t} {n}: add its type to gen_boundary.py")


def out_decl(t, n):
    """Declaration and free statement of the local behind an out-argument."""
    if t in OUTS:
        ctype, free = OUTS[t]
    else:
        kind = re.fullmatch(r"(?:const )?struct (Mk\w+) \*\*", t).group(1)
        ctype, free = f"{kind} *", f"{snake(kind)}_free({{v}}); {{v}} = NULL;"
    return f"{ctype} o_{n}", free.format(v=f"o_{n}")


def main():
    header = open(sys.argv[1], encoding="utf-8").read()
    fns = functions(header)
    docs = {fn: doc for _, fn, _, doc in fns}
    body, count = [], 0
    for ret, fn, args, doc in fns:
        if ret == "void":
            ptrs = ", ".join("NULL" if "*" in t else "0" for t, _ in args)
            body.append(f"    {fn}({ptrs}); passed++;")
            count += 1
            if len(args) == 1 and other_kind(args[0][0]):
                body.append(f"    {fn}({other_kind(args[0][0])}); passed++; /* another kind: ignored */")
                count += 1
            continue
        if ret == "const char *":
            call = f"{fn}({', '.join(['-1'] * len(args))})"
            body.append(f"    CHECK({call} != NULL && {call}[0] != '\\0');")
            count += 1
            continue
        sized = ("size_t", "out_len") in args
        values = [value(t, n, fn, sized) for t, n in args]
        outs = [(t, n) for (t, n), (v, _) in zip(args, values) if v.startswith("&o_")]
        for i, ((t, n), (v, is_ptr)) in enumerate(zip(args, values)):
            trials = []
            if is_ptr:
                trials.append((i, "NULL", nullable(doc, n, docs), f"{n} NULL"))
            if other_kind(t):
                trials.append((i, other_kind(t), False, f"{n} of another kind"))
            if t == "size_t" and n in ("len", "out_len"):
                trials.append((i, "0", True, f"{n} 0"))
            for index, replacement, may_pass, label in trials:
                call_args = [replacement if j == index else v for j, (v, _) in enumerate(values)]
                decls = " ".join(f"{d} = {{0}}; (void)o_{n2};" for d, n2 in
                                 ((out_decl(t2, n2)[0], n2) for t2, n2 in outs))
                frees = " ".join(out_decl(t2, n2)[1] for t2, n2 in outs)
                status = f"{fn}({', '.join(call_args)})"
                body.append("    {")
                body.append(f"        {decls} float f_out = 0; (void)f_out;")
                body.append(f"        MkStatus s = {status};")
                if may_pass:
                    body.append(f"        CHECK(s == MK_STATUS_OK || mk_last_error_message()[0] != '\\0'); /* {label} */")
                else:
                    body.append(f"        if (s == MK_STATUS_OK || mk_last_error_message()[0] == '\\0') "
                                f"fprintf(stderr, \"{fn} with {label}\\n\");")
                    body.append("        CHECK(s != MK_STATUS_OK && mk_last_error_message()[0] != '\\0');")
                if frees:
                    body.append(f"        {frees}")
                body.append("    }")
                count += 1
    print(f"""/* Generated by tests/c/gen_boundary.py from include/memberkit.h: do not edit.
 * {len(fns)} functions, {count} calls with a NULL pointer, a handle of another kind,
 * a zero length or nothing. */
#include "memberkit.h"

#include <stdbool.h>
#include <stdio.h>

#include "check.h"
#include "boundary_fixtures.h"

int main(void) {{
    struct fixtures fx = {{0}};
    fx_make(&fx);
{chr(10).join(body)}
    fx_free(&fx);
    printf("boundary: {len(fns)} functions, %d passed, %d failed\\n", passed, failed);
    return failed != 0;
}}""")


if __name__ == "__main__":
    main()
