"""Word segmentation: the same words as underthesea's word_tokenize, with offsets into the text."""

from __future__ import annotations

import unicodedata

import pytest
from underthesea import word_tokenize

from directives.nlp.segment import Token, segment, segment_many, segmented, syllables
from tests.helpers import CORPUS, GROUNDTRUTH, SEED_PDF, needs_corpus

SEED_LINES = [ln for ln in (GROUNDTRUTH / "347-CV-TDTN-VP.txt").read_text(encoding="utf-8").splitlines() if ln]
MORE = ["Bí thư Thành Đoàn Nguyễn Văn A làm việc với UBND tỉnh Kiên Giang.", "a", "Hoà bình, thuỷ lợi", "2020 – 2030",
        "Số: 347-CV/TĐTN-VP", "ĐOÀN TNCS HỒ CHÍ MINH", "x y"]


@pytest.mark.parametrize("text", SEED_LINES[:60] + MORE)
def test_words_are_underthesea_word_tokenize_without_normalization(text):
    assert [t.text for t in segment(text)] == word_tokenize(text, use_token_normalize=False)


def unspaced(words: list[str]) -> list[str]:
    """Words without their spaces, characters normalized as underthesea does: a token's text is the
    word as printed ("Tự  do", or "^n" where the syllables "^" and "n" touch, "Ω" the ohm sign),
    word_tokenize joins its syllables with one space."""
    from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text

    return ["".join(normalize_characters_in_text(w).split()) for w in words]


def corpus_lines() -> list[str]:
    """Every text line of the corpus's PDFs with a text layer: Vietnamese, a TCVN3 layer read as
    is ("§oµn"), a garbage OCR layer; and runs of five lines joined, for longer sentences."""
    import pymupdf

    lines: list[str] = []
    for pdf in sorted((CORPUS / "docs").glob("*.pdf")):
        with pymupdf.open(pdf) as doc:
            lines += [ln for page in doc for ln in page.get_text().splitlines() if ln.strip()]
    return lines + [" ".join(lines[i:i + 5]) for i in range(0, len(lines), 5)]


@pytest.mark.slow
@needs_corpus
def test_words_are_word_tokenize_on_the_whole_corpus():
    lines = corpus_lines()
    assert len(lines) > 1000
    words = segment_many(lines)
    assert [t for t, w in zip(lines, words, strict=True)
            if unspaced([x.text for x in w]) != unspaced(word_tokenize(t, use_token_normalize=False))] == []
    assert [w for t, ws in zip(lines, words, strict=True) for w in ws if t[w.start:w.end] != w.text] == []


@needs_corpus
def test_syllables_are_underthesea_tokenize_on_the_whole_corpus():
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    assert [t for t in corpus_lines() if syllables(t) != tokenize(t, use_token_normalize=False)] == []


@pytest.mark.parametrize("text", SEED_LINES[:60] + MORE)
def test_offsets_point_at_the_words(text):
    tokens = segment(text)
    for tok in tokens:
        assert text[tok.start:tok.end] == tok.text
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)


def test_touching_syllables_keep_true_offsets():
    # "^" and "n" are two syllables of one word with no space between them (garbage OCR): the
    # words after it keep offsets into the text
    text = "xét COng  iiha^n sang kiên"
    tokens = segment(text)
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert tokens[-1].text == "kiên" and tokens[-1].end == len(text)


def test_one_call_for_many_texts_is_one_call_for_each():
    texts = SEED_LINES[:40] + ["", "  "] + MORE
    assert segment_many(texts) == [segment(t) for t in texts]


def test_normalized_characters_fall_back_to_locating_the_words():
    # underthesea reads the Icelandic Eth as Đ: words and offsets stay those of the text
    text = "Ðoàn thanh niên tình nguyện"
    tokens = segment(text)
    assert [(t.text, t.start) for t in tokens] == [("Ðoàn", 0), ("thanh niên", 5), ("tình nguyện", 16)]
    assert tokens[-1].end == len(text)


def test_decomposed_marks_keep_offsets_into_the_text_as_given():
    # a Word PDF's text layer: the marks after their vowels (NFD); underthesea composes them, the
    # tokens stay slices of the given text
    text = unicodedata.normalize("NFD", "xét nghiệm Hòa Bình, ngày 5.")
    tokens = segment(text)
    assert [unicodedata.normalize("NFC", t.text) for t in tokens] == ["xét nghiệm", "Hòa Bình", ",", "ngày", "5", "."]
    assert [(t.start, t.end) for t in tokens] == [(0, 13), (14, 24), (24, 25), (26, 31), (32, 33), (33, 34)]
    assert all(text[t.start:t.end] == t.text for t in tokens)
    # offsets of a text inside a longer one, mixed composed and decomposed
    mixed = "Sở Y tế " + text
    assert segment_many([mixed], [100])[0][-6:] == [Token(t.text, t.start + 108, t.end + 108) for t in tokens]


def test_source_spans_map_each_normalized_character_back():
    from directives.nlp.segment import source_spans

    text = "Ðo\u0300an x"  # Eth read as Đ, o + grave composed into ò
    assert source_spans(text, "Đòan x") == ([0, 1, 3, 4, 5, 6], [1, 3, 4, 5, 6, 7])
    assert source_spans(text, "something else") is None


def test_spelling_is_never_rewritten():
    # word_tokenize's default token normalization rewrites hoà as hòa; offsets must match the source
    assert [t.text for t in segment("Hoà bình")] == ["Hoà bình"]


def test_segmented_form_and_joined_words():
    tokens = segment("Đoàn thanh niên tình nguyện")
    assert segmented(tokens) == " ".join(t.joined for t in tokens)
    assert "thanh_niên" in segmented(tokens).split()
    assert Token("Ban  Chấp hành", 0, 14).joined == "Ban_Chấp_hành"


def test_common_shapes_split_as_underthesea_splits_them():
    """Runs of letters, numbers and marks, drawn at random (fixed seed), split by the shortcut for
    common shapes exactly as underthesea's regular expression splits them."""
    import random

    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    rng = random.Random(7)
    pieces = ["niên", "Thanh", "TP", "Tp", "Mr", "ThS", "ThuS", "v", "V", "ĐOÀN", "UBND", "2023", "12", "1.5", "Đ",
              "v.v", "NĐ-CP", "3x4", "°C", "vn", "@"]
    marks = list('.,;:)(“”"-/–…!?\'’&=')
    texts = []
    for _ in range(20_000):
        chunk = "".join(rng.choice(pieces) if rng.random() < 0.5 else rng.choice(marks)
                        for _ in range(rng.randint(1, 4)))
        texts.append(rng.choice(["", "x "]) + chunk + rng.choice(["", " y", " 2"]))
    assert [t for t in texts if syllables(t) != tokenize(t, use_token_normalize=False)] == []


def test_normalization_and_tokenizer_kept_are_underthesea_s(tmp_path, monkeypatch):
    from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text
    from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

    import directives.nlp.segment as seg

    monkeypatch.setenv("DIRECTIVES_CACHE", str(tmp_path))
    text = "ðoàn Ðội Hoà Bình " + unicodedata.normalize("NFD", "Nguyễn Thị Ánh") + " 12/2024 v.v…"
    try:
        for _ in range(2):  # built and kept, then read back
            seg._underthesea_tokenizer.cache_clear()
            normalize, pattern = seg._underthesea_tokenizer()
            assert normalize(text) == normalize_characters_in_text(text)
            assert (pattern.pattern, pattern.flags) == (patterns.pattern, patterns.flags)
        assert len(list(tmp_path.glob("tokenizer-*.pkl"))) == 1
    finally:
        seg._underthesea_tokenizer.cache_clear()


def test_a_born_digital_letter_needs_no_underthesea_import_once_tables_are_kept(tmp_path):
    """Start-up: with the tables kept (the first run builds them), a process that reads a
    text-layer letter imports neither underthesea nor its NER model."""
    import os
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from directives.pipeline.run import process; "
            f"d = process(Path({str(SEED_PDF)!r})); "
            "print(len(d.sections) > 0, 'underthesea' in sys.modules)")
    env = {**os.environ, "DIRECTIVES_CACHE": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                           timeout=300).stdout.split() for _ in range(2)]
    assert runs[0][0] == runs[1][0] == "True"
    assert runs[1][1] == "False"  # the second process found the tables in the cache


def test_runs_between_spaces_are_the_regular_expressions():
    """`_chunks` finds the runs `\\S+` finds, where they are, on texts with single and repeated
    spaces, spaces at the ends, and any other white space (the regular expression's way)."""
    import random
    import re

    from directives.nlp.segment import _chunks

    rnd = random.Random(3)
    pieces = ["Đoàn", "thanh", "niên", "2023", "(TĐTN)", "“Mỗi", "a.", " ", " ", "  ", "\t", "\u00a0", "\n",
              "\u2003", "\u00ad", "x\u0301"]
    for _ in range(2000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        assert _chunks(text) == [(m.start(), m.group()) for m in re.finditer(r"\S+", text)], repr(text)
