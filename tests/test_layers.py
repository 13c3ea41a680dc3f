"""The layers of the package, enforced: nothing imports upward, and every module imports on its own.

Layers, bottom to top (README "Layout"): the base (schemas, knowledge, vntext and the small shared
modules), then extractors and nlp (which do not import each other), then pipeline, then the
applications (batch, index, exports, search, serve, …), then cli. Every `import` counts, at the
top of a module or inside a function.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

BASE, READERS, PIPELINE, APPS, CLI = range(5)
# top-level module or package → layer; anything not listed is an error of this table
LAYERS: dict[str, int] = {
    "directives": BASE, "schemas": BASE, "knowledge": BASE, "vntext": BASE, "syllables": BASE,
    "lexicon": BASE, "patterns": BASE, "errors": BASE, "options": BASE, "gcpause": BASE, "procs": BASE, "version": BASE,
    "extractors": READERS, "nlp": READERS,
    "pipeline": PIPELINE,
    "batch": APPS, "index": APPS, "exports": APPS, "search": APPS, "serve": APPS, "writers": APPS,
    "xlsx": APPS, "xlsx_rows": APPS, "deflate": APPS, "parquet_footer": APPS, "columns": APPS, "evaluation": APPS, "progress": APPS,
    "bench": APPS, "bench_batch": APPS,
    "results": APPS,
    "cli": CLI,
}
INDEPENDENT = {frozenset({"extractors", "nlp"})}  # same layer, never importing one another


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, module: str) -> set[str]:
    """The `directives` modules `path` (the module `module`) imports, relative imports resolved."""
    out: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names)  # `from directives.pipeline import run`
    return {m for m in out if m == "directives" or m.startswith("directives.")}


def top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "directives"


def layer_violations(root: Path) -> list[str]:
    """Each import of a higher layer (or between independent packages), as 'a imports b (why)'."""
    out: list[str] = []
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        here = top(module)
        if here not in LAYERS:
            out.append(f"{module}: not in the layer table")
            continue
        for other in sorted(imported(path, module)):
            there = top(other)
            if there not in LAYERS:
                continue  # `from directives.x import name` also yields directives.x.name: checked via x
            if LAYERS[there] > LAYERS[here]:
                out.append(f"{module} imports {other} (layer {LAYERS[there]} above {LAYERS[here]})")
            elif there != here and frozenset({here, there}) in INDEPENDENT:
                out.append(f"{module} imports {other} ({here} and {there} are independent)")
    return out


def all_modules() -> list[str]:
    return sorted(module_name(p, SRC) for p in (SRC / "directives").rglob("*.py") if p.name != "__main__.py")


def test_no_module_imports_a_higher_layer():
    assert layer_violations(SRC) == []


def test_the_check_fails_on_a_backwards_import(tmp_path):
    """A deliberately bad tree: knowledge (the base) importing the pipeline, nlp importing extractors."""
    pkg = tmp_path / "directives"
    (pkg / "pipeline").mkdir(parents=True)
    (pkg / "nlp").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "pipeline" / "__init__.py").write_text("")
    (pkg / "pipeline" / "header.py").write_text("from directives.knowledge import MOTTOS\n")
    (pkg / "knowledge.py").write_text("def f():\n    from directives.pipeline.header import header\n")
    (pkg / "nlp" / "__init__.py").write_text("")
    (pkg / "nlp" / "rules.py").write_text("from ..extractors import model\n")
    found = layer_violations(tmp_path)
    assert any(v.startswith("directives.knowledge imports directives.pipeline.header") for v in found)
    assert any(v.startswith("directives.nlp.rules imports directives.extractors") and "independent" in v
               for v in found)
    assert not any(v.startswith("directives.pipeline.header") for v in found)


def test_an_unlisted_package_is_reported(tmp_path):
    (tmp_path / "directives").mkdir()
    (tmp_path / "directives" / "newthing.py").write_text("")
    assert layer_violations(tmp_path) == ["directives.newthing: not in the layer table"]


@pytest.mark.slow
def test_every_module_imports_on_its_own():
    """Each module in a fresh interpreter (an import cycle hidden by the order the tests import in
    shows up here); a few per interpreter would hide them again, so one each."""
    failed = []
    for module in all_modules():
        proc = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True,
                              cwd=SRC.parent, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
        if proc.returncode:
            failed.append(f"{module}: {proc.stderr.strip().splitlines()[-1]}")
    assert failed == []


def test_the_page_model_and_the_options_load_without_heavy_readers():
    """The pipeline's working document and options need neither OpenCV nor PyMuPDF."""
    code = ("import sys, directives.pipeline.document, directives.pipeline.stage; "
            "print(sorted(m for m in ('cv2', 'pymupdf', 'fitz') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip() == "[]"


def test_the_command_line_loads_no_reader_and_no_export_library():
    """`directives run` plans in its own process and reads files in workers: the command line (the
    reader registry included) imports neither the readers' libraries nor the stages nor the
    exports' (imported while the workers run)."""
    heavy = ("cv2", "pymupdf", "numpy", "openpyxl", "pyarrow", "directives.pipeline.run", "directives.exports")
    code = f"import sys, directives.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip() == "[]"


def test_tests_import_their_helpers_from_helpers_not_conftest():
    tests = Path(__file__).resolve().parent
    offenders = [str(p.relative_to(tests)) for p in tests.rglob("*.py")
                 if any(isinstance(n, ast.ImportFrom) and (n.module or "").endswith("conftest")
                        for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))))]
    assert offenders == []


def test_no_stage_module_imports_another_stage():
    """Stages share helpers through pipeline/document.py, patterns.py and the non-stage pipeline
    modules (grid, numbering, table_header, timeexpr), never through each other."""
    pipeline = SRC / "directives" / "pipeline"
    stages = {p.stem for p in pipeline.glob("*.py") if "\nSTAGE = Stage(" in p.read_text(encoding="utf-8")}
    assert len(stages) == 13
    crossing = [f"{s} imports {m}" for s in sorted(stages)
                for m in imported(pipeline / f"{s}.py", f"directives.pipeline.{s}")
                if m.startswith("directives.pipeline.") and m.split(".")[2] in stages - {s}]
    assert crossing == []
