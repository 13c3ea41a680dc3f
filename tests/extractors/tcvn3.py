"""Unicode → TCVN3, for tests that make legacy-encoded text: the inverse of the decoder's table."""

from __future__ import annotations

from directives.extractors.legacy import tcvn3_to_unicode


def _codes() -> dict[str, tuple[str, bool]]:
    """letter → (its TCVN3 byte as a Latin-1 character, needs the capitals "H" font): the lowest
    byte that decodes to it, in the ordinary font when one does."""
    codes: dict[str, tuple[str, bool]] = {}
    for upper_font in (True, False):
        for code in map(chr, range(255, -1, -1)):
            letter = tcvn3_to_unicode(code, upper_font)
            if letter != code or code.isascii():  # a byte the table leaves as it is writes no letter
                codes[letter] = (code, upper_font)
    return codes


_CODES = _codes()


def unicode_to_tcvn3(letter: str) -> tuple[str, bool]:
    """(code, needs the capitals font) of one Vietnamese letter or ASCII; a letter TCVN3 cannot
    write comes back as itself."""
    return _CODES.get(letter, (letter, False))
