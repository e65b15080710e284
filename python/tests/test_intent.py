from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import memberkit
from memberkit import Money, intent

EXAMPLES = [
    ("what time do you open", "hours"),
    ("営業時間を教えて", "hours"),
    ("are you open on sunday", "hours"),
    ("何時まで開いていますか", "hours"),
    ("i want to cancel my membership", "cancel"),
    ("退会したいです", "cancel"),
    ("please end my membership", "cancel"),
    ("解約の手続きをしたい", "cancel"),
]


def test_default_model_knows_the_membership_intents() -> None:
    model = intent.default_model()
    assert set(model.intents) >= {"join", "cancel", "pause", "book", "waitlist", "hours", "human", "oos"}
    result = model.classify("来月から休会したいのですが")
    assert result.intent == "pause"
    assert 0.0 < result.confidence <= 1.0
    assert result.alternatives[0] == (result.intent, result.confidence)
    assert intent.default_model() is model  # loaded once


def test_train_classify_save_and_load(tmp_path: Path) -> None:
    model = intent.train(EXAMPLES, validation_fraction=0.0, seed=3)
    assert model.classify("When do you OPEN?").intent == "hours"
    for name in ("model.bin", "model.json"):
        path = tmp_path / name
        model.save(path)
        loaded = intent.load(path)
        assert loaded.classify("退会の手続き") == model.classify("退会の手続き")


def test_batch_matches_one_by_one() -> None:
    model = intent.default_model()
    texts = ["パスワードを忘れました", "I want to book a yoga class", "what's the weather", "ポイント残高は？"]
    assert model.classify_batch(texts) == [model.classify(t) for t in texts]


def test_evaluate_and_retrain() -> None:
    model = intent.train(EXAMPLES, validation_fraction=0.0)
    report = model.evaluate(EXAMPLES)
    assert report["accuracy"] == 1.0
    assert {score["intent"] for score in report["per_intent"]} == {"hours", "cancel"}
    relabelled = model.retrain([("what time do you open", "cancel")])
    assert relabelled.intents == model.intents


def test_bad_training_data_and_models_raise_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(memberkit.InvalidTrainingDataError):
        intent.train([])
    with pytest.raises(memberkit.InvalidTrainingDataError):
        intent.train([("hello", "greet"), ("hi", "greet")])
    with pytest.raises(memberkit.InvalidConfigError):
        intent.train(EXAMPLES, epochs=0)
    with pytest.raises(memberkit.InvalidJsonError):
        intent.train(EXAMPLES, colour="blue")
    corrupt = tmp_path / "corrupt.bin"
    corrupt.write_bytes(b"MKIM" + b"\\x00" * 10)
    with pytest.raises(memberkit.InvalidModelError):
        intent.load(corrupt)


def test_slots_in_japanese_and_english() -> None:
    today = dt.date(2026, 5, 1)
    slots = intent.extract_slots("会員番号M12345、5月3日の18時に ¥5,000 taro@example.com", reference_date=today)
    by_kind = {s.kind: s.value for s in slots}
    assert by_kind["member_number"] == "M12345"
    assert by_kind["date"] == dt.date(2026, 5, 3)
    assert by_kind["time"] == dt.time(18, 0)
    assert by_kind["amount"] == Money(5000, "JPY")
    assert by_kind["email"] == "taro@example.com"
    text = "tomorrow at 6pm"
    slots = intent.extract_slots(text, reference_date=today)
    assert [(s.kind, s.value) for s in slots] == [("date", dt.date(2026, 5, 2)), ("time", dt.time(18, 0))]
    assert all(text[s.start : s.end] for s in slots)
    assert "taro@" not in intent.mask("taro@example.com")


def test_a_conversation_that_ends_with_a_handover() -> None:
    today = dt.date(2026, 5, 1)
    first = intent.route(None, "会員情報を確認したい", today=today)
    assert first["intent"] == "member_info"
    assert first["action"]["action"] == "verify_identity"
    second = intent.route(first["conversation"], "ふざけるな、何度も請求が来ている。責任者を出せ", today=today)
    assert second["action"]["action"] == "handover"
    assert second["action"]["summary"]


def test_router_config_errors() -> None:
    with pytest.raises(memberkit.InvalidConfigError):
        intent.Router(config={"clarify_below": 2.0})
    with pytest.raises(memberkit.InvalidJsonError):
        intent.Router(config={"clarify_below": "high"})


def test_one_model_shared_by_threads() -> None:
    model = intent.default_model()
    expected = model.classify("予約をキャンセルしたい")
    results: list[intent.Classification] = []

    def work() -> None:
        for _ in range(200):
            results.append(model.classify("予約をキャンセルしたい"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 800 and all(r == expected for r in results)


def test_texts_past_the_limit_are_refused_with_limit_exceeded() -> None:
    model = intent.default_model()
    assert intent.MAX_TEXT_BYTES == 65_536 and intent.MAX_EXAMPLES == 1_000_000
    at_limit = "a" * intent.MAX_TEXT_BYTES
    assert model.classify(at_limit).confidence > 0
    with pytest.raises(memberkit.LimitExceededError) as refused:
        model.classify(at_limit + "a")
    assert refused.value.kind == "limit_exceeded"
    # Counted in bytes of UTF-8: 21,846 three-byte characters are past it.
    with pytest.raises(memberkit.LimitExceededError):
        model.classify_batch(["休会したい", "休" * 21_846])
    with pytest.raises(memberkit.LimitExceededError):
        intent.train([("x" * (intent.MAX_TEXT_BYTES + 1), "a"), ("y", "b")])


@settings(max_examples=200)
@given(text=st.text(max_size=200))
def test_classify_and_slots_never_fail_on_any_text(text: str) -> None:
    result = intent.default_model().classify(text)
    assert 0.0 <= result.confidence <= 1.0
    for slot in intent.extract_slots(text, reference_date=dt.date(2026, 5, 1)):
        assert 0 <= slot.start <= slot.end <= len(text)
    intent.mask(text)
