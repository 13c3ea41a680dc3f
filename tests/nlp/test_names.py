"""PER / ORG / LOC from capitalised runs, the gazetteer, and underthesea NER checked by the rules."""

from __future__ import annotations

from directives.nlp.gazetteer import PROVINCES_34, PROVINCES_63, place, province_unit
from directives.nlp.names import ner_names, underthesea_ner
from directives.nlp.segment import segment
from directives.nlp.units import Unit
from directives.pipeline.entities import unit_names


def names(text: str, ner=None) -> list[tuple[str, str]]:
    unit = Unit("s", "section", text)
    return [(e.label, e.text) for e in unit_names(unit, segment(text), ner)]


def test_gazetteer_has_the_63_and_the_34_provinces():
    assert len(set(PROVINCES_63)) == 63 and len(set(PROVINCES_34)) == 34
    assert set(PROVINCES_34) - set(PROVINCES_63) == {"Huế"}
    assert place("Hoà Bình") == "Hòa Bình" and place("KIÊN GIANG") == "Kiên Giang"
    assert province_unit("Kiên Giang") == "tỉnh Kiên Giang" and province_unit("Cần Thơ") == "thành phố Cần Thơ"


def test_title_before_a_body_is_not_a_place():
    # underthesea ner labels this whole phrase LOC; the rules read a title, a body and a person
    assert names("Bí thư Thành Đoàn Nguyễn Văn A làm việc với UBND tỉnh Kiên Giang.") == [
        ("ORG", "Thành Đoàn"), ("PER", "Nguyễn Văn A"), ("ORG", "UBND tỉnh Kiên Giang")]


def test_organisations_places_and_people():
    got = names("Tổ chức Đại hội Hội Liên hiệp Thanh niên Việt Nam tỉnh Kiên Giang; thanh niên Kiên Giang và "
                "Vương quốc Campuchia; phong cách Hồ Chí Minh; Ủy ban Hội Liên hiệp thanh niên Việt Nam các cấp")
    assert got == [("ORG", "Hội Liên hiệp Thanh niên Việt Nam tỉnh Kiên Giang"), ("LOC", "Kiên Giang"),
                   ("LOC", "Campuchia"), ("PER", "Hồ Chí Minh"), ("ORG", "Ủy ban Hội Liên hiệp thanh niên Việt Nam")]


def test_unnamed_bodies_and_common_words_are_not_entities():
    assert names("Ban Thường vụ các huyện, thành đoàn; Đoàn, Hội, Đội các cấp; các trường Đại học, Cao đẳng. "
                 "Tháng Thanh niên") == []


def test_ner_finds_are_kept_only_when_the_rules_accept_them():
    rows = [("Ông", "N", "B-NP", "O"), ("Kim Jong Un", "Np", "B-NP", "B-PER"), ("thăm", "V", "B-VP", "O"),
            ("số 21", "N", "B-NP", "B-LOC"), ("-", "CH", "O", "O"), ("Bí thư", "N", "B-NP", "B-LOC"),
            ("Thành Đoàn", "Np", "B-NP", "I-LOC"), ("Cần Thơ", "Np", "B-NP", "B-LOC"), ("tại", "E", "B-PP", "O"),
            ("Hà Nội", "Np", "B-NP", "B-LOC"), ("Trần Văn Bình", "Np", "B-NP", "B-PER")]
    sentence = "Ông Kim Jong Un thăm số 21 - Bí thư Thành Đoàn Cần Thơ tại Hà Nội Trần Văn Bình"
    got = [(f.label, sentence[f.start - 5:f.end - 5]) for f in ner_names(sentence, 5, lambda s: rows)]
    # "Kim Jong Un" is no Vietnamese name shape; "số 21" and the title are not places; "Cần Thơ" ends
    # the name "Thành Đoàn Cần Thơ" (a capitalised word before it), "Hà Nội" after "tại" is a place
    assert got == [("LOC", "Hà Nội"), ("PER", "Trần Văn Bình")]


def test_underthesea_ner_runs_offline_on_a_sentence():
    rows = underthesea_ner()("Ông Nguyễn Văn Nam làm việc tại Hà Nội.")
    assert any(r[3].endswith("PER") for r in rows)


def test_a_documents_tagger_tags_a_repeated_sentence_once(monkeypatch):
    """One tagger (one document's) asks underthesea once per distinct sentence and hands out copies;
    another document's tagger asks again."""
    import underthesea

    asked: list[str] = []
    monkeypatch.setattr(underthesea, "ner", lambda s: asked.append(s) or [(s, "Np", "B-NP", "B-LOC")])
    ner = underthesea_ner()
    assert ner("Hà Nội") == ner("Hà Nội") == [("Hà Nội", "Np", "B-NP", "B-LOC")]
    ner("Huế").append(("x", "N", "O", "O"))
    assert ner("Huế") == [("Huế", "Np", "B-NP", "B-LOC")]
    assert asked == ["Hà Nội", "Huế"]
    underthesea_ner()("Hà Nội")
    assert asked == ["Hà Nội", "Huế", "Hà Nội"]
