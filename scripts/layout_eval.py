"""How the born-digital fields hold when a document is laid out in other fonts and column widths.

    .venv/bin/python scripts/layout_eval.py [--variants times,wide,sans,narrow] [--work DIR]
                                           [--json OUT] [NAME_PART ...]

Real born-digital directives differ from the corpus's in their fonts and column widths first: a wider
font wraps a header line ("SỞ KẾ HOẠCH VÀ" / "ĐẦU TƯ"), a narrower left column wraps the subject.
This lays out every corpus gold's header, subject, recipients, headings and closing again as a
Decree 30 page (a flat ODT written here, turned into PDF by LibreOffice), in several fonts, sizes and
column widths, runs the pipeline on each PDF and scores it against the same gold (every field is
typed on these pages). The report gives per variant the fields right, null and wrong, and every
field a variant gets wrong or loses. Not used by the pipeline or the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from directives.evaluation import evaluate_document
from directives.pipeline.run import process
from directives.schemas import Directive

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dev_eval import process_cached  # noqa: E402
from layout_eoffice import BLANK, number_and_symbol, stamp_eoffice  # noqa: E402
from robustness_eval import make_variant  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "corpus" / "gold"


@dataclass(frozen=True)
class Variant:
    font: str
    size: float  # body size in pt; header lines are set a point smaller, as Decree 30 prints them
    left_cm: float  # the left header column's width, of 16.5 cm
    fontconfig: bool = False  # only the DejaVu folder visible (no Times-metric fallback)
    full_form: bool = False  # Decree 30's rules under the names, a decision's preamble, recipients in a table
    eoffice: bool = False  # number and day typed blank and stamped over the blanks, signature boxes' text


VARIANTS = {
    "times": Variant("Liberation Serif", 13, 6.5),
    "wide": Variant("DejaVu Serif", 13, 6.5, fontconfig=True),
    "sans": Variant("DejaVu Sans", 13, 7.0, fontconfig=True),
    "narrow": Variant("Liberation Serif", 14, 5.5),
    "form": Variant("Liberation Serif", 14, 6.0, full_form=True),
    "form-wide": Variant("DejaVu Serif", 12, 7.0, fontconfig=True, full_form=True),
    # held out: added after the rules above were written, run once for the report
    "arial": Variant("Liberation Sans", 13, 6.2),
    "condensed": Variant("DejaVu Serif Condensed", 14, 5.0, fontconfig=True, full_form=True),
    "mono": Variant("Liberation Mono", 12, 7.5, full_form=True),
    # e-office issue (issue 13): held out as well
    "eoffice": Variant("Liberation Serif", 13, 6.5, eoffice=True),
    "eoffice-wide": Variant("DejaVu Serif", 12, 7.0, fontconfig=True, full_form=True, eoffice=True),
}

MOTTO = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM": "Độc lập - Tự do - Hạnh phúc",
         "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM": "Độc lập - Tự do - Hạnh phúc"}
FILLER = ("Các cơ quan, đơn vị liên quan căn cứ nội dung trên tổ chức triển khai thực hiện, "
          "báo cáo kết quả về cơ quan chủ trì theo đúng thời gian quy định.")


def _p(style: str, text: str) -> str:
    return f'<text:p text:style-name="{style}">{escape(text).replace(escape(BLANK), BLANK)}</text:p>'


def _date_line(place: str | None, iso: str | None, blank: bool = False) -> str | None:
    if not iso:
        return None
    d = date.fromisoformat(iso)
    day = BLANK if blank else f"{d.day:02d}" if d.day < 10 else str(d.day)
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)  # Decree 30: 01, 02 before March
    return f"{place + ', ' if place else ''}ngày {day} tháng {month} năm {d.year}"


def _authority_line(signer: dict, issuer: str | None) -> str | None:
    authority, title = signer.get("authority"), signer.get("title") or ""
    if not authority:
        return None
    if authority == "KT.":
        return f"KT. {title.replace('PHÓ ', '', 1)}"
    if authority == "TM.":
        return f"TM. {issuer or 'ỦY BAN NHÂN DÂN'}"
    return f"{authority} {'GIÁM ĐỐC'}"


_COLUMNS = {"Header": ("ColL", "ColR"), "Closing": ("ColN", "ColS"), "To": ("ColK", "ColT")}


def _table(name: str, left: list[str], right: list[str], left_cm: float) -> str:
    cols = "".join(f'<table:table-column table:style-name="{c}"/>' for c in _COLUMNS[name])
    cells = "".join(f'<table:table-cell office:value-type="string">{"".join(c)}</table:table-cell>'
                    for c in (left, right))
    return f'<table:table table:name="{name}" table:style-name="Tbl">{cols}<table:table-row>{cells}</table:table-row></table:table>'


def page_xml(doc: dict, sections: list[str], v: Variant) -> str:
    """The document's printed parts as a flat ODT in Decree 30's layout."""
    kind = doc.get("type") or ""
    left = [_p("H", doc["parent_organization"])] if doc.get("parent_organization") else []
    if doc.get("issuer"):
        left.append(_p("HB", doc["issuer"]))
    if v.full_form:
        left.append(_p("RuleL", ""))  # the short rule under the issuer's name
    parts = number_and_symbol(doc.get("reference")) if v.eoffice else None
    if parts:
        left.append(_p("H", f"Số:{BLANK}{parts[1]}"))
    elif doc.get("reference"):
        left.append(_p("H", f"Số: {doc['reference']}"))
    is_letter = kind == "Công văn"
    if is_letter and doc.get("subject"):
        left.append(_p("Small", f"V/v {doc['subject']}"))
    right = [_p("HB", doc["regime_header"])] if doc.get("regime_header") else []
    if doc.get("regime_header") in MOTTO:
        right.append(_p("HB", MOTTO[doc["regime_header"]]))
        if v.full_form:
            right.append(_p("RuleR", ""))
    line = _date_line(doc.get("place"), doc.get("date"), blank=v.eoffice)
    if line:
        right.append(_p("HI", line))
    body = [_table("Header", left, right, v.left_cm), _p("J", "")]
    if not is_letter and kind:
        body.append(_p("Title", kind.upper()))
        if doc.get("subject"):
            body.append(_p("CB", doc["subject"]))
        if v.full_form:
            body.append(_p("RuleR", ""))
        if v.full_form and kind == "Quyết định":
            head = ((doc.get("signer") or {}).get("title") or "GIÁM ĐỐC").replace("PHÓ ", "", 1)
            body += [_p("CB", f"{head} {doc.get('issuer') or ''}".strip()),
                     _p("JI", "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;"),
                     _p("JI", "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;"),
                     _p("JI", "Theo đề nghị của Chánh Văn phòng."), _p("Title", "QUYẾT ĐỊNH:")]
    recipients = doc.get("recipients") or []
    if len(recipients) == 1:
        body.append(_p("C", f"Kính gửi: {recipients[0]}."))
    elif recipients and v.full_form:  # the label in its own cell, the items in the next
        items = [_p("L", f"- {r}{'.' if k == len(recipients) - 1 else ';'}") for k, r in enumerate(recipients)]
        body.append(_table("To", [_p("R", "Kính gửi:")], items, v.left_cm))
    elif recipients:
        body.append(_p("C", "Kính gửi:"))
        body += [_p("Rec", f"- {r}{'.' if k == len(recipients) - 1 else ';'}") for k, r in enumerate(recipients)]
    body += [_p("J", FILLER)] * 2
    for s in sections:
        body += [_p("JB", s), _p("J", FILLER)]
    signer = doc.get("signer") or {}
    items = doc.get("distribution") or []
    closing_left = [_p("Label", "Nơi nhận:")] + [
        _p("Item", f"- {x}{'.' if k == len(items) - 1 else ';'}") for k, x in enumerate(items)]
    closing_right = [_p("CB", t) for t in (_authority_line(signer, doc.get("issuer")), signer.get("title")) if t]
    closing_right += [_p("C", "")] * 3 + ([_p("CB", signer["name"])] if signer.get("name") else [])
    body.append(_table("Closing", closing_left, closing_right, v.left_cm))
    return TEMPLATE.format(font=escape(v.font), size=v.size, head=v.size - 1, small=v.size - 1, item=v.size - 2,
                           left=v.left_cm, right=16.5 - v.left_cm, body="".join(body))


TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="F" svg:font-family="'{font}'"/></office:font-face-decls>
<office:styles><style:default-style style:family="paragraph">
<style:text-properties style:font-name="F" fo:font-size="{size}pt" fo:language="vi" fo:country="VN"/>
</style:default-style></office:styles>
<office:automatic-styles>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
 fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="3cm" fo:margin-right="1.5cm"/></style:page-layout>
<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="16.5cm" table:align="left"/></style:style>
<style:style style:name="ColL" style:family="table-column"><style:table-column-properties style:column-width="{left}cm"/></style:style>
<style:style style:name="ColR" style:family="table-column"><style:table-column-properties style:column-width="{right}cm"/></style:style>
<style:style style:name="ColN" style:family="table-column"><style:table-column-properties style:column-width="7.5cm"/></style:style>
<style:style style:name="ColS" style:family="table-column"><style:table-column-properties style:column-width="9cm"/></style:style>
<style:style style:name="ColK" style:family="table-column"><style:table-column-properties style:column-width="4cm"/></style:style>
<style:style style:name="ColT" style:family="table-column"><style:table-column-properties style:column-width="12.5cm"/></style:style>
<style:style style:name="RuleL" style:family="paragraph"><style:paragraph-properties fo:margin-left="1.8cm" fo:margin-right="1.8cm"
 fo:border-bottom="0.6pt solid #000000" fo:padding="0cm"/><style:text-properties fo:font-size="2pt"/></style:style>
<style:style style:name="RuleR" style:family="paragraph"><style:paragraph-properties fo:margin-left="3cm" fo:margin-right="3cm"
 fo:border-bottom="0.6pt solid #000000" fo:padding="0cm"/><style:text-properties fo:font-size="2pt"/></style:style>
<style:style style:name="R" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/></style:style>
<style:style style:name="L" style:family="paragraph"><style:paragraph-properties fo:text-align="start"/></style:style>
<style:style style:name="JI" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:text-indent="1cm"
 fo:margin-top="0.1cm"/><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="H" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/>
 <style:text-properties fo:font-size="{head}pt"/></style:style>
<style:style style:name="HB" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/>
 <style:text-properties fo:font-size="{head}pt" fo:font-weight="bold"/></style:style>
<style:style style:name="HI" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-top="0.2cm"/>
 <style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="Small" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/>
 <style:text-properties fo:font-size="{small}pt"/></style:style>
<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-top="0.3cm"/>
 <style:text-properties fo:font-size="{head}pt" fo:font-weight="bold"/></style:style>
<style:style style:name="C" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
<style:style style:name="CB" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/>
 <style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Rec" style:family="paragraph"><style:paragraph-properties fo:margin-left="3cm"/></style:style>
<style:style style:name="J" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:text-indent="1cm"
 fo:margin-top="0.15cm"/></style:style>
<style:style style:name="JB" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:text-indent="1cm"
 fo:margin-top="0.15cm"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Label" style:family="paragraph"><style:text-properties fo:font-size="{head}pt" fo:font-weight="bold"
 fo:font-style="italic"/></style:style>
<style:style style:name="Item" style:family="paragraph"><style:text-properties fo:font-size="{item}pt"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>{body}</office:text></office:body>
</office:document>
"""

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def render(sources: list[Path], out: Path, fontconfig: bool, work: Path) -> None:
    """Flat ODT files → PDF with LibreOffice, in one call."""
    env = dict(os.environ)
    if fontconfig:
        conf = work / "fonts.conf"
        conf.write_text(FONTS_CONF.format(cache=work / "fc-cache"), encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(conf)
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("error: LibreOffice (soffice) is not installed; scripts/sysdeps.sh installs it")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
                    "--outdir", str(out), *map(str, sources)], env=env, capture_output=True, timeout=1800, check=True)


def _scanned(job: tuple[Path, Path, str, Path]) -> Directive:
    """The laid-out PDF printed and scanned (every page an image), read by the pipeline with OCR."""
    src, out, perturbation, cache = job
    make_variant(src, out, perturbation, pages=99)
    return process_cached(out, cache)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help="only gold files whose name holds one of these")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "layout-eval")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--scan", choices=("base", "noisy"), help="score the pages printed and scanned at 200 dpi "
                    "(OCR; pages cached as in dev_eval): as rendered, or blurred, noisy and JPEG-compressed")
    ap.add_argument("--jobs", type=int, default=2, help="files read at once (with --scan)")
    args = ap.parse_args()
    golds = sorted(p for p in GOLD.glob("*.json") if not args.names or any(n in p.name for n in args.names))
    report: dict[str, dict] = {}
    for name in args.variants.split(","):
        v = VARIANTS[name]
        root = args.work / name
        (root / "odt").mkdir(parents=True, exist_ok=True)
        (root / "gold").mkdir(exist_ok=True)
        todo = []
        for g in golds:
            gold = json.loads(g.read_text(encoding="utf-8"))
            doc = dict(gold["document"])
            fodt = root / "odt" / f"{g.stem}.fodt"
            fodt.write_text(page_xml(doc, gold.get("sections", []), v), encoding="utf-8")
            # every field is typed on this page; the gold's tables are not laid out
            (root / "gold" / g.name).write_text(json.dumps({"file": f"{g.stem}.pdf", "document": doc,
                                                            "sections": gold.get("sections", [])},
                                                           ensure_ascii=False), encoding="utf-8")
            if not (root / "pdf" / f"{g.stem}.pdf").exists():
                todo.append(fodt)
        if todo:
            render(todo, root / "pdf", v.fontconfig, root)
        if v.eoffice:  # the stamped pages are read, not the blank ones
            for g in golds:
                if not (root / "stamped" / f"{g.stem}.pdf").exists():
                    stamp_eoffice(root / "pdf" / f"{g.stem}.pdf", root / "stamped" / f"{g.stem}.pdf",
                                  json.loads(g.read_text(encoding="utf-8"))["document"])
        pdfs = root / ("stamped" if v.eoffice else "pdf")
        counts: Counter[str] = Counter()
        lost = []
        if args.scan:
            jobs = [(pdfs / f"{g.stem}.pdf", root / f"scan-{args.scan}" / f"{g.stem}.pdf", args.scan,
                     args.work / "pages") for g in golds]
            with ProcessPoolExecutor(args.jobs) as pool:
                directives = list(pool.map(_scanned, jobs))
        else:
            directives = [process(pdfs / f"{g.stem}.pdf") for g in golds]
        for g, directive in zip(golds, directives, strict=True):
            score = evaluate_document(directive, root / "gold" / g.name)
            for field, c in score.strict.items():
                if not (c.tp or c.fn or c.fp):
                    continue  # no value in the gold, none given
                state = ("extra" if not (c.tp or c.fn) else "right" if not c.fp and not c.fn
                         else "wrong" if c.fp else "null")
                counts[state] += 1
                if state != "right":
                    lost.append((g.stem, field, state, score.wrong.get(field)))
            counts["headings_missed"] += score.sections.fn
            if score.sections.fn or score.sections.fp:
                lost.append((g.stem, "sections", "missed", [score.sections.fn, score.sections.fp]))
            counts["headings_extra"] += score.sections.fp
        report[name] = {"counts": dict(counts), "lost": lost}
        print(f"{name:7} of {counts['right'] + counts['null'] + counts['wrong']} gold values: right {counts['right']} "
              f"null {counts['null']} wrong {counts['wrong']}; values the gold has not {counts['extra']}; "
              f"headings missed {counts['headings_missed']} extra {counts['headings_extra']}")
        for stem, field, state, w in lost:
            print(f"    {stem[:50]:50} {field:22} {state:5} {json.dumps(w, ensure_ascii=False)[:140] if w else ''}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
