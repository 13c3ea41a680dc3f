"""Section keywords: TF-IDF over the document's segmented words, stopwords out."""

from __future__ import annotations

from directives.nlp.keywords import STOPWORDS, candidates, keywords


def test_stopwords_and_punctuation_are_no_candidates():
    assert candidates(["Các", "thanh_niên", ",", "tổ_chức", "2024", "tình_nguyện", "và"]) == ["thanh_niên",
                                                                                             "tình_nguyện"]
    assert {"và", "của", "các", "thực_hiện"} <= STOPWORDS


def test_words_specific_to_a_section_rank_first():
    sections = [["thanh_niên", "tình_nguyện", "tình_nguyện", "biển_đảo"],
                ["thanh_niên", "khởi_nghiệp", "khởi_nghiệp", "doanh_nghiệp"],
                ["thanh_niên", "giao_thông"]]
    got = keywords(sections, top=2)
    assert got[0] == ["tình_nguyện", "biển_đảo"]
    assert got[1] == ["khởi_nghiệp", "doanh_nghiệp"]
    assert got[2] == ["giao_thông", "thanh_niên"]  # in every section: ranked after the specific word


def test_empty_sections_have_no_keywords():
    assert keywords([[], ["và"]]) == [[], []]
