"""Legacy encodings (TCVN3, VNI) → Unicode: the whole table, detection, and the text-layer path."""

from __future__ import annotations

import unicodedata

import pymupdf
import pytest

from directives.extractors.legacy import (
    TCVN3_TO_UNICODE,
    VNI_TO_UNICODE,
    Encoding,
    font_encoding,
    guess_encoding,
    is_upper_font,
    tcvn3_to_unicode,
    unicode_to_vni,
    vni_to_unicode,
)
from directives.extractors.pdf_text import CONVERTED, IMPLAUSIBLE, convert_legacy_spans, dict_to_lines
from directives.extractors.read import extract_pages
from directives.syllables import is_syllable, text_words
from directives.vntext import vietnamese_letters
from tests.helpers import CORPUS, needs_corpus, unicode_to_tcvn3

LETTERS = vietnamese_letters()


def test_the_letter_list_is_complete():
    # 12 vowels × 6 tones + đ, in both cases (146); the 134 precomposed letters beyond ASCII a e i o u y
    assert len(LETTERS) == len(set(LETTERS)) == 146
    assert sum(not ch.isascii() for ch in LETTERS) == 134
    assert all(len(ch) == 1 and unicodedata.is_normalized("NFC", ch) for ch in LETTERS)
    assert {"ệ", "Ệ", "ữ", "Ữ", "ỵ", "Ỵ", "đ", "Đ", "ẳ", "Ẳ"} <= set(LETTERS)


@pytest.mark.parametrize("letter", LETTERS)
def test_tcvn3_round_trip_every_letter(letter):
    code, upper_font = unicode_to_tcvn3(letter)
    assert len(code) == 1 and ord(code) < 256  # one byte
    assert tcvn3_to_unicode(code, upper_font) == letter
    if letter.islower():  # lower case never needs the capitals font
        assert not upper_font
    if letter.isascii():
        assert code == letter


@pytest.mark.parametrize("letter", LETTERS)
def test_vni_round_trip_every_letter(letter):
    code = unicode_to_vni(letter)
    assert vni_to_unicode(code) == letter
    assert all(ord(ch) < 256 for ch in code)  # VNI is an 8-bit encoding
    # only the ASCII vowels and í ì Í Ì (Latin-1 letters at their own code) are written as themselves
    assert (code == letter) == (letter.isascii() or letter in "íìÍÌ")


def test_tcvn3_table_is_one_to_one():
    # every letter that has its own code: 7 capitals Ă Â Ê Ô Ơ Ư Đ + 67 non-ASCII lower-case letters;
    # ư's code 0xAD is a soft hyphen in Latin-1, which some PDF producers write as a minus sign
    letters = [v for k, v in TCVN3_TO_UNICODE.items() if k != "\u2212"]
    assert len(letters) == len(set(letters)) == 74
    assert TCVN3_TO_UNICODE["\u2212"] == TCVN3_TO_UNICODE["\u00ad"] == "ư"
    assert all(ord(k) < 256 for k in TCVN3_TO_UNICODE if k != "\u2212")


def test_vni_table_is_one_to_one():
    assert len(set(VNI_TO_UNICODE.values())) == len(VNI_TO_UNICODE) == 134 - 4  # í ì Í Ì are themselves


@pytest.mark.parametrize(("legacy", "upper", "unicode"), [
    ("§oµn Th\u00adêng vô", False, "Đoàn Thường vụ"),
    ("Ch\u2212¬ng III. Dßng ®iÖn trong c¸c m«i tr\u2212êng", False, "Chương III. Dòng điện trong các môi trường"),
    ("¤n luyÖn kiÕn thøc m«n vËt lý líp 11", False, "Ôn luyện kiến thức môn vật lý lớp 11"),
    ("céng hoµ x· héi chñ nghÜa viÖt nam", True, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("§éc lËp - Tù do - H¹nh phóc", False, "Độc lập - Tự do - Hạnh phúc"),
])
def test_tcvn3_text(legacy, upper, unicode):
    assert tcvn3_to_unicode(legacy, upper) == unicode


@pytest.mark.parametrize(("legacy", "unicode"), [
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("Ban Thöôøng vuï Tænh ñoaøn", "Ban Thường vụ Tỉnh đoàn"),
    ("COÂNG HOØA", "CÔNG HÒA"),
    ("ÑAÛNG COÄNG SAÛN", "ĐẢNG CỘNG SẢN"),
])
def test_vni_text(legacy, unicode):
    assert vni_to_unicode(legacy) == unicode


@pytest.mark.parametrize(("font", "encoding", "upper"), [
    (".VnTime", Encoding.TCVN3, False), (".VnTimeH", Encoding.TCVN3, True),
    (".VnTimeH,Bold", Encoding.TCVN3, True), ("ABCDEF+.VnArial", Encoding.TCVN3, False),
    ("VNI-Times", Encoding.VNI, False), ("TimesNewRoman", None, False), ("LiberationSerif-Bold", None, False),
    ("Symbol", None, False),
])
def test_fonts_announce_their_encoding(font, encoding, upper):
    assert font_encoding(font) == encoding
    assert is_upper_font(font) == upper


def test_encoding_is_guessed_from_content():
    assert guess_encoding("§oµn Th\u00adêng vô tØnh ®oµn tæ chøc c¸c ho¹t ®éng") == Encoding.TCVN3
    assert guess_encoding("Ban Thöôøng vuï Tænh ñoaøn toå chöùc caùc hoaït ñoäng") == Encoding.VNI
    assert guess_encoding("Ban Thường vụ Tỉnh đoàn tổ chức các hoạt động") is None
    assert guess_encoding("CQNG HOA XA HO! CHU NGHIA VT NAM") is None


def _span(text: str, font: str) -> dict:
    return {"text": text, "font": font, "bbox": (0, 0, 6 * len(text), 12), "flags": 0, "size": 12.0}


def test_spans_in_legacy_fonts_are_converted_others_kept():
    page_dict = {"blocks": [{"lines": [{"dir": (1.0, 0.0), "bbox": (0, 0, 400, 12), "spans": [
        _span("c«ng hoµ ", ".VnTimeH"), _span("§oµn Th\u00adêng vô ", ".VnTime"),
        _span("Việt Nam ", "TimesNewRoman"), _span("µ", "Symbol")]}]}]}
    converted = convert_legacy_spans(page_dict)
    assert converted == {Encoding.TCVN3: 2}
    (line,) = dict_to_lines(page_dict)
    assert [w.text for w in line.words] == ["CÔNG", "HOÀ", "Đoàn", "Thường", "vụ", "Việt", "Nam", "µ"]


def test_text_layer_in_a_renamed_legacy_font_is_converted_not_ocred(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    text = ("§oµn Th\u00adêng vô tØnh ®oµn tæ chøc c¸c ho¹t ®éng t×nh nguyÖn hÌ n¨m 2023 "
            "cho ®oµn viªn thanh niªn trªn ®Þa bµn tØnh")
    page.insert_textbox((72, 72, 520, 300), text, fontname="vn", fontfile=_dejavu())
    path = tmp_path / "tcvn3.pdf"
    doc.save(path)
    (got,) = extract_pages(path)
    assert got.source == "text"
    assert any(w.code == "legacy-encoding" and w.message.startswith(f"{CONVERTED} TCVN3") for w in got.warnings)
    assert not got.warned("text-layer-implausible")
    assert IMPLAUSIBLE not in [w.message for w in got.warnings]
    words = [w.text for w in got.words]
    assert words[:4] == ["Đoàn", "Thường", "vụ", "tỉnh"] and "nguyện" in words


def _dejavu() -> str:
    import glob

    found = glob.glob("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not found:
        pytest.skip("fonts-dejavu-core not installed")
    return found[0]


def legacy_file_syllables() -> tuple[list[str], list[str]]:
    """The words of the TCVN3 corpus file as the pipeline reads it: (all letter runs, the ones that
    are syllables by count: two letters or more, not acronyms or unit/formula symbols such as
    'AK', 'mV', 'CuSO', and not the loan words listed in LOAN_WORDS)."""
    pages = extract_pages(CORPUS / "docs" / "legacy_TCVN3_textlayer_vatly11_notes.pdf")
    words = [w for p in pages for ln in p.lines for w in text_words(ln.raw)]
    counted = [w for w in words if len(w) > 1 and not any(c.isupper() for c in w[1:])
               and w.lower() not in LOAN_WORDS]
    return words, counted


# Physics loan words of the TCVN3 file (read on the page; they are not Vietnamese syllables).
LOAN_WORDS = frozenset(
    ["electron", "êlectron", "eletron", "eclectron", "iôn", "ion", "catốt", "catôt", "anôt", "anốt", "ampe", "kg", "mg", "mm", "cm", "atm", "mol", "hiđrô", "điôt", "điốt", "niken", "mini", "bazơ", "axit", "clo", "clohiđric", "nitrat", "tranzito", "tranzto", "côlectơ", "emintơ", "tivi", "fa", "fara"])


@needs_corpus
def test_tcvn3_corpus_file_reads_as_vietnamese():
    pages = extract_pages(CORPUS / "docs" / "legacy_TCVN3_textlayer_vatly11_notes.pdf")
    assert [p.source for p in pages] == ["text"] * 9  # from its converted text layer, not OCR
    assert all(any(w.message.startswith(f"{CONVERTED} TCVN3") for w in p.warnings) for p in pages)
    words, counted = legacy_file_syllables()
    valid = sum(map(is_syllable, counted)) / len(counted)
    assert len(counted) > 0.8 * len(words)  # the exclusions are a small minority
    assert valid >= 0.95, valid
    # every word with a diacritic is what the conversion produced: loan words included, ≥ 95 % valid
    marked = [w for w in words if not w.isascii()]
    assert sum(map(is_syllable, marked)) / len(marked) >= 0.95
    first = " ".join(ln.raw for ln in pages[0].lines[:8])
    assert "Ôn luyện kiến thức môn vật lý lớp 11" in first
    assert "CHƯƠNG III. DÒNG ĐIỆN TRONG CÁC MÔI TRƯỜNG" in first


def test_words_split_at_their_diacritics_are_rejoined_on_a_text_layer_line():
    from directives.extractors.pdf_text import REJOINED, rejoin_split_words

    span = {"bbox": (0, 0, 120, 12), "flags": 0, "font": "Serif", "size": 12.0}
    line = {"dir": (1.0, 0.0), "bbox": (0, 0, 120, 12), "spans": [dict(span, text="ĐIỀ U 5. KHO ẢN THU")]}
    (ln,) = dict_to_lines({"blocks": [{"lines": [line]}]})
    assert rejoin_split_words(ln)
    assert [w.text for w in ln.words] == ["ĐIỀU", "5.", "KHOẢN", "THU"]
    assert ln.words[0].x0 == 0 and ln.words[0].x1 > ln.words[0].x0  # the joined word spans both boxes
    assert ln.raw == "ĐIỀU 5. KHOẢN THU"
    assert "rejoined" in REJOINED
    plain = dict_to_lines({"blocks": [{"lines": [dict(line, spans=[dict(span, text="Điều 5. Khoản thu")])]}]})
    assert not rejoin_split_words(plain[0])
