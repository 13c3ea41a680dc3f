"""Vietnamese spelling rules: the table of allowed spellings says what the rules say."""

from __future__ import annotations

import random
import sys
import unicodedata

from directives.syllables import (
    ONSETS,
    TONES,
    has_diacritic,
    is_syllable,
    spelled,
    spellings,
    split_tone,
    text_words,
    vietnamese_score,
)
from tests.helpers import SHARED


def slow_split_tone(word: str) -> tuple[str, list[str]]:
    decomposed = unicodedata.normalize("NFD", word.lower())
    return (unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES)),
            [c for c in decomposed if c in TONES])


def test_split_tone_by_character_is_split_tone_of_the_word():
    rng = random.Random(5)
    letters = "aăâbdđeêghiklmnoôơqtuưxyAĐƠƯáàảãạấầẩẫậếềểễệọốồổỗộớờởỡợúùủũụứừửữựýỳ\u0301\u0300\u0323ǅßİΣ"
    words = ["nghiêng", "QUYẾT", "Thủy", "thuỷ", "HOÀ", "hoa\u0300", "İstanbul"]
    words += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 8))) for _ in range(20_000)]
    assert [w for w in words if split_tone(w) != slow_split_tone(w)] == []


def test_table_holds_every_spelling_the_rules_allow():
    table = spellings()
    assert len(table) > 5000 and table["nghiêng"] == (True, True) and table["quyêt"] == (True, False)
    rng = random.Random(6)
    nuclei = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uy", "uê", "iê", "yê", "uô", "ươ", "uyê"]
    for _ in range(20_000):
        bare = rng.choice(ONSETS) + rng.choice(nuclei) + rng.choice(["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i"])
        for tone, name in ((None, None), ("\u0301", "sắc"), ("\u0300", "huyền")):
            word = unicodedata.normalize("NFC", bare + tone) if tone else bare  # where the mark sits: no matter
            assert is_syllable.__wrapped__(word) == spelled(split_tone(word)[0], name), word


def test_stop_codas_take_only_sac_and_nang():
    assert is_syllable("quyết") and is_syllable("học") and is_syllable("Học")
    assert not is_syllable("quyềt") and not is_syllable("hòc") and not is_syllable("luyÖn")
    assert is_syllable("gì") and not is_syllable("quư") and not is_syllable("xyz")


def _score_whole(text: str) -> tuple[float, int]:
    """`vietnamese_score` as the whole text's words give it (no run-by-run counting)."""
    words = text_words(text)
    if not words:
        return 0.0, 0
    valid = sum(map(is_syllable, words)) / len(words)
    marked = sum(map(has_diacritic, words)) / len(words)
    return round(valid * min(1.0, marked / 0.35), 3), len(words)


def test_score_counted_run_by_run_is_the_whole_texts():
    """Counting each run of non-space apart gives the same score and count: on random texts of
    letters, marks (combining ones at a run's start too), digits, punctuation and every kind of
    white space, and on the seed."""
    rnd = random.Random(11)
    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    pieces = ["Nguyễn", "HỒ", "chí", "minh", "CQNG", "kiÕn", "\u0301", "e\u0302\u0301", "2023", "x", "_", ".", ",",
              "“", "ð", "Ð", "  ", "\u200b", "ﬁ", "Ⅻ", "²", *spaces]
    for _ in range(2000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        assert vietnamese_score(text) == _score_whole(text), repr(text)
    seed = (SHARED / "seed" / "000_12ba76813e760e73.txt").read_text(encoding="utf-8")
    assert vietnamese_score(seed) == _score_whole(seed)
