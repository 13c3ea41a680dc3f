"""spaCy Docs per section: exactly the section's text, the stored words, the entities as spans."""

from __future__ import annotations

from directives.nlp.docs import blank_vi, section_docs, words_and_spaces
from directives.nlp.units import section_text, unit_text


def test_words_and_spaces_rebuild_the_text_exactly():
    text = "Tiêu đề\n- Ban Chấp hành  Trung ương (2020)"
    words, spaces = words_and_spaces(text, ["Tiêu đề", "-", "Ban Chấp hành", "Trung ương", "(", "2020", ")"])
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == text
    assert "Ban Chấp hành" in words and "\n" in words


def test_blank_vietnamese_pipeline_needs_no_pyvi():
    nlp = blank_vi()
    assert nlp.lang == "vi"
    assert [t.text for t in nlp.make_doc("thanh niên")]  # the configured tokenizer runs without pyvi


def test_section_docs_of_the_seed(seed_directive):
    docs = section_docs(seed_directive)
    assert len(docs) == len(seed_directive.sections)
    for doc, section in zip(docs, seed_directive.sections, strict=True):
        assert doc.text == section_text(section)
        assert doc.user_data["section_id"] == section.id
        for span in doc.spans["entities"]:
            assert span.label_ in {"PER", "ORG", "LOC", "LEGAL_REF", "CAMPAIGN", "DATE", "PERIOD"}
    doc = next(d for d in docs if d.user_data["section_id"] == "p2-s10")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Kết luận số 21-KL/TW ngày 25/10/2021", "LEGAL_REF") in ents
    assert ("Ban Chấp hành Trung ương", "ORG") in ents
    # the DATE inside the LEGAL_REF is a span of the group, not of doc.ents (no overlaps there)
    assert "ngày 25/10/2021" in {s.text for s in doc.spans["entities"]}
    assert "Ban Chấp hành Trung ương" in [t.text for t in doc]  # a segmented word is one token
    expected = [e for e in seed_directive.entities if e.section_id == "p2-s10"]
    assert len(doc.spans["entities"]) == len(expected)
    assert all(unit_text(seed_directive, "p2-s10")[e.start:e.end] == e.text for e in expected)
