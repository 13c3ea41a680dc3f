"""scripts/compare_outputs.py: two runs' JSON compared field by field, differences listed by kind."""

from __future__ import annotations

import importlib.util
import json

from tests.helpers import ROOT

_spec = importlib.util.spec_from_file_location("compare_outputs", ROOT / "scripts" / "compare_outputs.py")
assert _spec and _spec.loader
compare_outputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_outputs)


def _write(folder, name, doc):
    (folder / "json").mkdir(parents=True, exist_ok=True)
    (folder / "json" / name).write_text(json.dumps(doc), encoding="utf-8")


def test_differences_by_kind_and_allowed_kinds(tmp_path, capsys):
    old, new = tmp_path / "old", tmp_path / "new"
    base = {"metadata": {"issuer": "SỞ Y TẾ"}, "warnings": [{"code": "page", "message": "m"}], "sections": [1, 2]}
    _write(old, "a.json", base)
    _write(new, "a.json", {**base, "warnings": [{"code": "ocr-repair", "message": "m"}]})
    _write(old, "b.json", base)
    _write(new, "b.json", {**base, "metadata": {"issuer": "SỞ Y"}, "sections": [1]})
    _write(old, "c.json", base)
    diffs = compare_outputs.compare(old, new)
    kinds = sorted({k for k, _, _ in diffs})
    assert kinds == ["document: only-old", "metadata.issuer: changed", "sections: length",
                     "warnings[].code: changed"]
    assert ("warnings[].code: changed", "a.json:warnings[0].code", '"page" → "ocr-repair"') in diffs
    assert compare_outputs.main([str(old), str(new), "--allow", "warnings"]) == 1
    assert "UNEXPECTED" in capsys.readouterr().out
    (old / "json" / "c.json").unlink()
    _write(new, "b.json", base)
    assert compare_outputs.main([str(old), str(new), "--allow", "warnings"]) == 0
    assert compare_outputs.main([str(old), str(old)]) == 0
