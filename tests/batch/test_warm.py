"""Warm-up before forking workers: what it fills is what a worker's first file finds ready."""

from __future__ import annotations

from directives.batch.warm import prime_syllable_tables
from directives.syllables import has_diacritic
from directives.vntext import exact_key, valid_syllable


def test_syllables_of_the_dictionary_are_primed_in_three_cases():
    assert prime_syllable_tables() > 20_000
    for fn in (valid_syllable, has_diacritic, exact_key):
        before = fn.cache_info()
        for word in ("nguyện", "Nguyện", "NGUYỆN", "Thanh", "tình"):
            fn(word)
        after = fn.cache_info()
        assert after.misses == before.misses and after.hits == before.hits + 5, fn.__name__
