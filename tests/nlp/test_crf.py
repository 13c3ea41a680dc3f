"""The CRFsuite model reader and the two-label Viterbi pass."""

from __future__ import annotations

import struct

import pytest

from directives.errors import DirectivesError, ModelError
from directives.nlp.crf import read_crfsuite, viterbi
from directives.nlp.segment_model import MODEL_DIR, underthesea_dir

MODEL = underthesea_dir().joinpath(*MODEL_DIR) / "models.bin"


def test_reads_underthesea_word_segmentation_model():
    crf = read_crfsuite(MODEL)
    assert crf.labels == ("B-W", "I-W")
    assert len(crf.state) > 40_000
    assert crf.state["T[0].istitle=True"] != (0.0, 0.0)
    assert all(len(w) == 2 for w in crf.state.values())
    assert len(crf.transitions) == 2 and all(len(row) == 2 for row in crf.transitions)
    # a word rarely goes on after a full stop: I-W scores below B-W for "." as the first syllable
    w = crf.state["T[-1]=."]
    assert w[1] < w[0]


@pytest.mark.parametrize("data", [b"", b"lCRF", b"not a model at all, just text" * 3, b"lCRF" + b"\0" * 60])
def test_not_a_model_is_a_model_error(tmp_path, data):
    path = tmp_path / "bad.bin"
    path.write_bytes(data)
    with pytest.raises(ModelError) as err:
        read_crfsuite(path)
    assert isinstance(err.value, DirectivesError) and "bad.bin" in err.value.reason


def test_wrong_chunk_is_a_model_error(tmp_path):
    data = bytearray(MODEL.read_bytes())
    off_feat = struct.unpack_from("<I", data, 28)[0]
    data[off_feat:off_feat + 4] = b"XXXX"
    path = tmp_path / "m.bin"
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="FEAT"):
        read_crfsuite(path)


def test_viterbi_follows_emission_without_transitions():
    zero = ((0.0, 0.0), (0.0, 0.0))
    assert viterbi([1.0, -1.0, 2.0, -0.5], zero) == [1, 0, 1, 0]


def test_viterbi_weighs_transitions_against_emission():
    sticky = ((0.0, -5.0), (-5.0, 0.0))  # changing label costs 5
    assert viterbi([0.0, 1.0, 1.0, -3.0], sticky) == [0, 0, 0, 0]  # 0 beats 2 − 5 and 2 − 3 − 0
    # 12 − 5 (one change) beats 12 − 10 (two) and 2 (no change, all inside)
    assert viterbi([-10.0, 6.0, 6.0, 0.0], sticky) == [0, 1, 1, 1]


def test_viterbi_ties_go_to_the_first_label():
    zero = ((0.0, 0.0), (0.0, 0.0))
    assert viterbi([0.0, 0.0], zero) == [0, 0]
    assert viterbi([0.0], zero) == [0]
