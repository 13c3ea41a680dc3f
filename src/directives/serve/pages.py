"""The HTML of `directives serve`: pure functions from data to a page (every value escaped)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote, urlencode

from directives.index import CORPUS
from directives.search import FACETS, MARK_CLOSE, MARK_OPEN, Hit, count_line, place_of, year_note

DATABASE = Path(CORPUS).stem  # Datasette's name for corpus.sqlite: its tables at /corpus/<table>, SQL at /corpus?sql=
SQL_URL = f"/{DATABASE}?" + urlencode({"sql": "SELECT reference, date, type, issuer, signer, subject FROM docs "
                                              "ORDER BY date DESC"})
FACET_NAMES = {"type": "Loại văn bản", "issuer": "Cơ quan ban hành", "year": "Năm", "signer": "Người ký",
               "status": "Trạng thái"}


def e(value: object) -> str:
    return "" if value is None else escape(str(value))


def page(title: str, body: str) -> str:
    return ("<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)}</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>"
            "<header class=\"top\"><a href=\"/\">directives · kho văn bản</a><nav><a href=\"/\">Tìm kiếm</a>"
            f"<a href=\"/{DATABASE}\">Bộ dữ liệu</a><a href=\"{e(SQL_URL)}\">SQL</a></nav></header>"
            f"<main>{body}</main></body></html>")


def file_url(doc_id: str, file: str, page_no: int | None = None) -> str:
    name = quote(file.replace("\\", "/").rsplit("/", 1)[-1])
    return f"/file/{quote(doc_id)}/{name}" + (f"#page={page_no}" if page_no else "")


def dataset_url(name: str, doc_id: str, fmt: str = "") -> str:
    """The document's rows in a dataset: Datasette's table page filtered on doc_id (fmt "json", "csv")."""
    return f"/{DATABASE}/ds_{quote(name)}" + (f".{fmt}" if fmt else "") + "?" + urlencode({"doc_id": doc_id})


def marked(snippet: str) -> str:
    """A snippet with its «…» marks as <mark>."""
    return e(snippet).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


def search_form(params: dict[str, str]) -> str:
    hidden = "".join(f'<input type="hidden" name="{e(k)}" value="{e(v)}">'
                     for k, v in params.items() if k in FACETS and v)
    return ('<form class="search" action="/" method="get" role="search">'
            f'<input type="search" name="q" id="q" value="{e(params.get("q", ""))}" autofocus '
            'placeholder="người ký, số hiệu, cơ quan, nội dung… (có dấu hay không dấu)" aria-label="Tìm">'
            f'{hidden}<button type="submit">Tìm</button></form>')


def facet_list(params: dict[str, str], facets: dict[str, list[tuple[object, int]]]) -> str:
    out = ['<aside class="facets">']
    for name in FACETS:
        values = facets.get(name) or []
        chosen = params.get(name)
        if not values and not chosen:
            continue
        out.append(f"<h3>{e(FACET_NAMES[name])}</h3><ul>")
        if chosen:
            rest = {k: v for k, v in params.items() if k != name and k != "offset" and v}
            out.append(f'<li class="on">{e(chosen)} <a href="/?{e(urlencode(rest))}" title="bỏ lọc">✕</a></li>')
        for value, count in values:
            if chosen and str(value) == chosen:
                continue
            link = {**{k: v for k, v in params.items() if k != "offset" and v}, name: str(value)}
            out.append(f'<li><a href="/?{e(urlencode(link))}">{e(value)}</a><span>{count}</span></li>')
        out.append("</ul>")
    out.append("</aside>")
    return "".join(out)


def hit_block(hit: Hit) -> str:
    meta = " · ".join(e(x) for x in (hit.reference or hit.doc_id, hit.date or year_note(hit), hit.type,
                                      hit.issuer, place_of(hit)) if x)
    anchor = f"#{hit.section_id}" if hit.kind == "section" and hit.section_id else ""
    copies = "".join(
        f'<li><a class="file" href="{e(file_url(c.doc_id, c.file, c.page))}">{e(c.file)}</a>'
        + (f" · trang {c.page}" if c.page else "")
        + f' · <a href="/doc/{e(quote(c.doc_id))}{anchor}">văn bản</a></li>' for c in hit.group)
    snippet = f'<p class="snippet">{marked(hit.snippet)}</p>' if hit.snippet and hit.snippet != hit.title else ""
    return (f'<article class="hit"><div class="meta">{meta}</div>'
            f'<h2><a href="/doc/{e(quote(hit.doc_id))}{anchor}">{e(hit.title or hit.reference or hit.doc_id)}</a></h2>'
            f'{snippet}<ul class="copies">{copies}</ul></article>')


def home(params: dict[str, str], hits: Sequence[Hit], total: int, offset: int,
         facets: dict[str, list[tuple[object, int]]], docs: Sequence[dict] = (), error: str | None = None) -> str:
    body = [search_form(params), '<div class="layout">', facet_list(params, facets), '<section class="results">']
    if error:
        body.append(f'<p class="error">{e(error)}</p>')
    if params.get("q"):
        body.append(f'<p class="count" id="count">{e(count_line(len(hits), offset, total))}</p>')
        body += [hit_block(h) for h in hits]
        body.append(pager(params, offset, len(hits), total))
    else:
        body.append(f'<p class="count">{len(docs)} văn bản mới nhất</p>' if docs else "")
        body += [doc_line(d) for d in docs]
    body.append("</section></div>")
    return page("directives · tìm văn bản", "".join(body))


def doc_line(d: dict) -> str:
    meta = " · ".join(e(d[k]) for k in ("reference", "date", "type", "issuer") if d.get(k))
    return (f'<article class="hit"><div class="meta">{meta}</div><h2><a href="/doc/{e(quote(d["doc_id"]))}">'
            f'{e(d.get("subject") or d["doc_id"])}</a></h2></article>')


def pager(params: dict[str, str], offset: int, shown: int, total: int, size: int = 20) -> str:
    links = []
    if offset > 0:
        links.append(f'<a href="/?{e(urlencode({**params, "offset": max(0, offset - size)}))}">← trước</a>')
    if offset + shown < total:
        links.append(f'<a href="/?{e(urlencode({**params, "offset": offset + shown}))}">sau →</a>')
    return f'<nav class="pager">{"".join(links)}</nav>' if links else ""


def fields(rows: Iterable[tuple[str, object]]) -> str:
    items = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows if v not in (None, "", []))
    return f'<dl class="fields">{items}</dl>'


def _join(value: object) -> object:
    return "; ".join(map(str, value)) if isinstance(value, list) else value


def section_tree(doc: dict) -> str:
    children: dict[str | None, list[dict]] = {}
    for s in doc.get("sections", []):
        children.setdefault(s.get("parent_id"), []).append(s)

    def render(parent: str | None) -> str:
        items = []
        for s in children.get(parent, []):
            pages = s.get("pages") or []
            src = (f'<a class="src" href="{e(file_url(doc["doc_id"], doc["source"]["path"], pages[0]))}">'
                   f'trang {pages[0]}</a>' if pages else "")
            text = f'<div class="sec-text">{e(s["text"])}</div>' if s.get("text") else ""
            bullets = "".join(f"<li>{e(b)}</li>" for b in s.get("bullets", []))
            items.append(f'<li id="{e(s["id"])}"><span class="sec-title">{e(s["number"])}. {e(s["title"])}</span>'
                         f'{src}{text}{f"<ul>{bullets}</ul>" if bullets else ""}{render(s["id"])}</li>')
        return f"<ul class=\"tree\">{''.join(items)}</ul>" if items else ""

    return render(None)


def table(columns: Sequence[str], rows: Iterable[Sequence[object]], cls: str = "") -> str:
    head = "".join(f"<th>{e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{e(_join(v))}</td>" for v in r) + "</tr>" for r in rows)
    return f'<div class="scroll"><table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def document(doc: dict, datasets: Sequence[tuple[str, int]]) -> str:
    m, src, doc_id = doc.get("metadata", {}), doc["source"], doc["doc_id"]
    signer = m.get("signer") or {}
    links = [f'<a href="{e(file_url(doc_id, src["path"]))}">tệp gốc</a>', f'<a href="/doc/{e(quote(doc_id))}.json">JSON</a>']
    links += [f'<a href="{e(dataset_url(name, doc_id))}">{e(name)} ({n})</a>' for name, n in datasets]
    header = fields([("Quốc hiệu", m.get("regime_header")), ("Cơ quan chủ quản", m.get("parent_organization")),
                     ("Cơ quan ban hành", m.get("issuer")), ("Số", m.get("reference")), ("Loại", m.get("type")),
                     ("Nơi ban hành", m.get("place")), ("Ngày", m.get("date")), ("Trích yếu", m.get("subject")),
                     ("Kính gửi", _join(m.get("recipients")))])
    closing = fields([("Thẩm quyền", " ".join(x for x in (signer.get("authority"), signer.get("on_behalf_of")) if x)),
                      ("Chức vụ", signer.get("title")), ("Người ký", signer.get("name")),
                      ("Nơi nhận", _join(m.get("distribution")))])
    acts = doc.get("activities", [])
    body = [f'<h1>{e(m.get("reference") or doc_id)} · {e(m.get("type"))}</h1>',
            f'<p>{" · ".join(links)}</p>', f"<p>{e(src['path'])} · {e(src.get('pages'))} trang · {e(doc.get('status'))}</p>",
            "<h2>Phần đầu</h2>", header, "<h2>Phần ký</h2>", closing,
            f"<h2>Mục ({len(doc.get('sections', []))})</h2>", section_tree(doc),
            f'<h2 id="activities">Hoạt động ({len(acts)})</h2>',
            table(["STT", "Hoạt động", "Thời gian", "Tháng", "Năm"],
                  [(a.get("no"), a.get("name"), a.get("time_text"), a.get("months"), a.get("year")) for a in acts],
                  "activities") if acts else "<p>—</p>",
            f"<h2>Cảnh báo ({len(doc.get('warnings', []))})</h2>",
            table(["Mã", "Mức", "Trang", "Nội dung"], [(w.get("code"), w.get("severity"), w.get("page"), w.get("message"))
                                                      for w in doc.get("warnings", [])], "warnings")
            if doc.get("warnings") else "<p>—</p>",
            f"<h2>Thực thể ({len(doc.get('entities', []))})</h2>",
            table(["Nhãn", "Văn bản", "Chuẩn hoá", "Mục"], [(x.get("label"), x.get("text"), x.get("normalized"),
                                                          x.get("section_id")) for x in doc.get("entities", [])],
                  "entities") if doc.get("entities") else "<p>—</p>"]
    return page(f"{m.get('reference') or doc_id} · directives", "".join(body))
