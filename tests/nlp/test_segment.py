"""Word segmentation: the same words as underthesea's word_tokenize, with offsets into the text."""

from __future__ import annotations

import pytest
from underthesea import word_tokenize

from directives.nlp.segment import Token, features, model, segment, segmented, syllables
from tests.conftest import GROUNDTRUTH

SEED_LINES = [ln for ln in (GROUNDTRUTH / "347-CV-TDTN-VP.txt").read_text(encoding="utf-8").splitlines() if ln]
MORE = ["Bí thư Thành Đoàn Nguyễn Văn A làm việc với UBND tỉnh Kiên Giang.", "a", "Hoà bình, thuỷ lợi", "2020 – 2030",
        "Số: 347-CV/TĐTN-VP", "ĐOÀN TNCS HỒ CHÍ MINH", "x y"]


@pytest.mark.parametrize("text", SEED_LINES[:60] + MORE)
def test_words_are_underthesea_word_tokenize_without_normalization(text):
    assert [t.text for t in segment(text)] == word_tokenize(text, use_token_normalize=False)


def test_features_equal_underthesea_core_featurizer():
    import pickle

    from underthesea_core import CRFFeaturizer

    from directives.nlp.segment import _MODEL_DIR, _underthesea_dir

    base = _underthesea_dir().joinpath(*_MODEL_DIR)
    with (base / "features.bin").open("rb") as f1, (base / "dictionary.bin").open("rb") as f2:
        reference = CRFFeaturizer(pickle.load(f1), pickle.load(f2))  # noqa: S301
    for text in SEED_LINES + MORE:
        sylls = syllables(text)
        if sylls:
            assert list(map(list, features(sylls))) == reference.process([[[s] for s in sylls]])[0], text


@pytest.mark.parametrize("text", SEED_LINES[:60] + MORE)
def test_offsets_point_at_the_words(text):
    tokens = segment(text)
    for tok in tokens:
        assert text[tok.start:tok.end] == tok.text
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)


def test_spelling_is_never_rewritten():
    # word_tokenize's default token normalization rewrites hoà as hòa; offsets must match the source
    assert [t.text for t in segment("Hoà bình")] == ["Hoà bình"]


def test_segmented_form_and_joined_words():
    tokens = segment("Đoàn thanh niên tình nguyện")
    assert segmented(tokens) == " ".join(t.joined for t in tokens)
    assert "thanh_niên" in segmented(tokens).split()
    assert Token("Ban  Chấp hành", 0, 14).joined == "Ban_Chấp_hành"


def test_model_is_loaded_once():
    assert model() is model()
    assert len(model().templates) == 43 and len(model().dictionary) > 50_000
