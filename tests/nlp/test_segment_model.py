"""underthesea's word segmentation model as arrays: the same scores as its featurizer, the same
tags as its CRF tagger."""

from __future__ import annotations

import pickle

import pytest

from directives.nlp.crf import read_crfsuite, viterbi
from directives.nlp.segment import syllables
from directives.nlp.segment_model import MODEL_DIR, emissions, segment_model, underthesea_dir
from tests.nlp.test_segment import MORE, SEED_LINES

TRICKY = ["¸", "ª", "ªlectron", "1", "-1", "+1", "01", "1.5", "2147483647", "2147483648", "-2147483648", "²", "٣",
          "ǅa", "ß", "ſ", "ﬁ", "İ", "ΑΣ", "HàNội", "mB", "A'b", "EOS", "BOS", "Thủ", "ThuS", "Th.S", "v.v", "TP.",
          "x", "ĐOÀN", "đoàn", "-", "…"]


def test_emission_is_the_sum_of_underthesea_features():
    """Each syllable's score is the weights of the 43 features underthesea_core's featurizer gives
    it (istitle, isdigit, BOS/EOS edge values included), read from the model file."""
    from underthesea_core import CRFFeaturizer

    base = underthesea_dir().joinpath(*MODEL_DIR)
    with (base / "features.bin").open("rb") as f1, (base / "dictionary.bin").open("rb") as f2:
        featurizer = CRFFeaturizer(pickle.load(f1), pickle.load(f2))  # noqa: S301
    crf = read_crfsuite(base / "models.bin")
    b, i = crf.labels.index("B-W"), crf.labels.index("I-W")
    texts = [[t] for t in TRICKY] + [TRICKY[k:k + 4] for k in range(0, len(TRICKY), 4)] + [
        syllables(t) for t in SEED_LINES[:80] + MORE]
    for sylls in filter(None, texts):
        expected = [sum(crf.state.get(f, (0.0, 0.0))[i] - crf.state.get(f, (0.0, 0.0))[b] for f in feats)
                    for feats in featurizer.process([[[s] for s in sylls]])[0]]
        assert emissions([sylls])[0] == pytest.approx(expected, abs=1e-9), sylls


def test_tags_are_underthesea_core_crf_tagger():
    from underthesea_core import CRFFeaturizer, CRFTagger

    base = underthesea_dir().joinpath(*MODEL_DIR)
    with (base / "features.bin").open("rb") as f1, (base / "dictionary.bin").open("rb") as f2:
        featurizer = CRFFeaturizer(pickle.load(f1), pickle.load(f2))  # noqa: S301
    tagger = CRFTagger()
    tagger.load(str(base / "models.bin"))
    for text in SEED_LINES + MORE + [" ".join(TRICKY)]:
        sylls = syllables(text)
        if sylls:
            expected = tagger.tag(featurizer.process([[[s] for s in sylls]])[0])
            got = ["I-W" if tag else "B-W" for tag in viterbi(emissions([sylls])[0], segment_model().transitions)]
            assert got == expected, text


def test_model_is_loaded_once():
    assert segment_model() is segment_model()
    assert len(segment_model().templates) == 43 and len(segment_model().dictionary) > 50_000
    unigrams, bigrams, trigrams = segment_model().tables
    assert len(unigrams.raw) > 1000 and len(bigrams.lower_codes.keys) > 1000 and len(trigrams.lower_codes.keys) == 0
    assert len(bigrams.dict_codes.keys) > 20_000  # two-syllable dictionary words


def test_many_sentences_score_as_each_alone():
    sentences = [syllables(t) for t in SEED_LINES[:30] + MORE]
    sentences = [s for s in sentences if s]
    assert emissions(sentences) == [pytest.approx(emissions([s])[0], abs=1e-9) for s in sentences]


def test_tables_built_once_are_kept_and_read_back_alike(tmp_path, monkeypatch):
    """The first run builds the tables and keeps them in the cache folder; the next reads them back
    (the same scores, tags and dictionary); a damaged cache file is built again, not an error."""
    monkeypatch.setenv("DIRECTIVES_CACHE", str(tmp_path))
    sentences = [s for s in (syllables(t) for t in SEED_LINES[:40] + MORE + [" ".join(TRICKY)]) if s]
    try:
        segment_model.cache_clear()
        built = segment_model()
        (kept,) = tmp_path.glob("segment-*.pkl")
        expected = emissions(sentences)
        segment_model.cache_clear()
        loaded = segment_model()
        assert loaded is not built and loaded.dictionary == built.dictionary
        assert loaded.vocabulary == built.vocabulary and loaded.transitions == built.transitions
        assert emissions(sentences) == expected
        kept.write_bytes(b"not a pickle")
        segment_model.cache_clear()
        assert emissions(sentences) == expected and kept.stat().st_size > 1_000_000  # rebuilt and kept again
    finally:
        segment_model.cache_clear()
