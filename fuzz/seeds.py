#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ from tests/vectors/*.json
and core/data/intent/train.tsv: a few small files per target. The seed of
intent_model_bytes comes from `cargo run --example model_seed` instead.
Run from anywhere: python3 fuzz/seeds.py"""

import json
import random
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
VECTORS = ROOT / "tests" / "vectors"


def load(name):
    return json.loads((VECTORS / f"{name}.json").read_text())


def write(target, name, data):
    folder = FUZZ / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / name).write_bytes(data)


def dumps(value):
    return json.dumps(value, ensure_ascii=False)


membership, billing = load("membership"), load("billing")
dunning, booking = load("dunning"), load("booking")

# json_membership: a plan, a catalog, commands, events and a state.
write("json_membership", "plan", dumps(membership["plans"][0]))
write("json_membership", "catalog", dumps(membership["plans"][:3]))
for case in membership["cases"][:3]:
    steps = case["steps"]
    write("json_membership", f"command_{case['name']}", dumps(steps[-1]["command"]))
    events = [e for s in steps for e in s.get("events", [])]
    write("json_membership", f"events_{case['name']}", dumps(events))
write("json_membership", "state", dumps({
    "version": 2, "status": "active", "plan": "regular", "applied_on": "2026-03-20",
    "start": "2026-04-01", "paid_from": "2026-04-01", "pauses": [],
    "planned_pause": None, "plan_change": None, "ends_on": None, "ended_on": None}))

# json_billing: a pick byte (the config), then a config, an account or histories.
events = [e for s in membership["cases"][0]["steps"] for e in s.get("events", [])]
write("json_billing", "histories", b"\x00" + dumps(
    [{"account": {"id": "m-1"}, "events": events}, {"account": {"id": "m-2"}, "events": []}]).encode())
for i, (name, config) in enumerate(list(billing["configs"].items())[:4]):
    write("json_billing", f"config_{name}", bytes([i]) + dumps(config).encode())
write("json_billing", "account", b"\x01" + dumps({"id": "m-1", "credit": {"amount": "100", "currency": "JPY"},
                                                   "billed_until": "2026-05-31"}).encode())

# json_dunning: state NUL policy NUL command; and each part alone.
policy = dumps(dunning["policies"]["card"])
command = dunning["cases"][0]["steps"][0]["command"]
write("json_dunning", "decide", "{}\0" + policy + "\0" + dumps(command))
write("json_dunning", "policy_ladder", dumps(dunning["policies"]["ladder"]))
case = dunning["cases"][0]
write("json_dunning", "events", dumps([e for s in case["steps"] for e in s["events"]]))
write("json_dunning", "command", dumps(case["steps"][2]["command"]))

# json_booking: book NUL rules NUL command; and each part alone.
rules = dumps(booking["rules"]["studio"])
case = booking["cases"][0]
for i, step in enumerate(case["steps"][:2]):
    write("json_booking", f"decide_{i}", "{}\0" + rules + "\0" + dumps(step["command"]))
write("json_booking", "events", dumps([e for s in case["steps"] for e in s["events"]]))
write("json_booking", "session", dumps(case["steps"][0]["command"]["session"]))
write("json_booking", "eligibility", dumps(case["steps"][1]["command"]["eligibility"]))

# text_money_date: a pick byte (currency, rounding mode), then the text.
for i, text in enumerate(["2026-01-31", "1774.19", "-0.005", "JPY", "half_up", "2024-02-29"]):
    write("text_money_date", f"text_{i}", bytes([i * 37 % 256]) + text.encode())

# intent_train: examples (JSON or TSV) NUL config.
tsv = (ROOT / "core" / "data" / "intent" / "train.tsv").read_text().splitlines()
header, lines = tsv[0], tsv[1:]
random.seed(20)
sample = random.sample(lines, 12)
write("intent_train", "tsv", "\n".join([header] + sample) + "\0" + dumps({"epochs": 2}))
columns = header.split("\t")
examples = [dict(zip(columns, line.split("\t"))) for line in sample]
examples = [{"intent": e["intent"], "text": e["text"]} for e in examples]
write("intent_train", "json", dumps(examples) + "\0" + dumps({"validation_fraction": 0, "word_ngram_max": 0}))

# intent_classify and intent_slots: members' messages (slots: two bytes for the day first).
for i, example in enumerate(examples[:4]):
    write("intent_classify", f"text_{i}", example["text"])
messages = ["Call me at +81 90-1234-5678 tomorrow after 6pm", "会員番号は12345678です。明日の18時に",
            "email taro@example.jp, 〒150-0001, 5月3日 3,000円", "next monday 10:30 or 2026/05/07"]
for i, message in enumerate(messages):
    write("intent_slots", f"message_{i}", bytes([i, 1]) + message.encode())
write("intent_slots", "pattern", b"\x02\x08" + "番号はＧＹ－０１２３４５です\0GY-[0-9]{6}".encode())

# chat_turns: a day byte, then state NUL message NUL member NUL club, from
# the chat vectors' conversations (a first turn, and a turn with the member).
chat = load("chat")
member = dumps(chat["members"][0])
for i, conversation in enumerate(chat["conversations"][:6]):
    turns = conversation["turns"]
    write("chat_turns", f"first_{i}", bytes([i * 40]) + ("{}\0" + turns[0]["say"]).encode())
    if len(turns) > 1:
        write("chat_turns", f"member_{i}", bytes([i * 40]) + ("{}\0" + turns[1]["say"] + "\0" + member).encode())
write("chat_turns", "club", b"\x10" + ("{}\0hello\0\0" + dumps(chat["club"])).encode())

# The structure-aware targets read bytes through `arbitrary`: random seeds.
for target in ["seq_membership", "seq_billing", "seq_dunning", "seq_booking", "ffi_differential"]:
    for i in range(3):
        write(target, f"random_{i}", bytes(random.randrange(256) for _ in range(64 + 96 * i)))
