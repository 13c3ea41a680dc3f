"""Speed of `directives serve` on a synthetic corpus: build N documents (default 20,000) with
CorpusBuilder, start `directives serve` (Datasette), and time its search page (median of the queries below, each run
`--runs` times) and its start-up. Usage: python scripts/bench_serve.py [--docs N] [--keep DIR]"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from directives.index import CORPUS, CorpusBuilder
from directives.schemas import Activity, Directive, Metadata, Part, Section, Signer, Source
from directives.search import SearchQuery, facets, find, open_corpus

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Đình", "Minh", "Thanh", "Quốc", "Hữu", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hùng", "Lan", "Nhân", "Phúc", "Tâm", "Trang", "Vinh"]
ISSUERS = ["SỞ Y TẾ", "UBND TỈNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TỈNH ĐOÀN", "SỞ TÀI CHÍNH", "UBND HUYỆN"]
TYPES = [("Công văn", "CV"), ("Kế hoạch", "KH"), ("Quyết định", "QĐ"), ("Thông báo", "TB")]
VOCABULARY = ("thanh niên tình nguyện phòng chống dịch bệnh sốt xuất huyết chuyển đổi số cải cách hành chính "
              "tổ chức hội nghị tổng kết công tác năm triển khai kế hoạch kiểm tra giám sát an toàn thực phẩm "
              "tiêm chủng mở rộng xây dựng nông thôn mới đào tạo bồi dưỡng cán bộ công chức viên chức")
WORDS = VOCABULARY.split()
QUERIES = ["phan dinh nhan", "sot xuat huyet", "chuyển đổi số", "thanh nien tinh nguyen", "1234", "kế hoạch",
           "nguyen van an", "tiem chung mo rong", '"an toan thuc pham"', "cai cach hanh chinh"]


def text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def synthetic(i: int, rng: random.Random) -> Directive:
    type_, code = rng.choice(TYPES)
    issuer, year = rng.choice(ISSUERS), rng.randint(2008, 2025)
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    date = None if rng.random() < 0.1 else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    sections = [Section(id=f"s{k}", number=str(k), level=1, title=text(rng, 6), text=text(rng, 60),
                        bullets=[text(rng, 12) for _ in range(2)], pages=[k]) for k in range(1, 7)]
    acts = [Activity(no=k, name=text(rng, 10), time_text=f"Tháng {k}", months=[k], table_id="t1", row=k - 1)
            for k in range(1, 6)]
    return Directive(doc_id=f"{i:016x}", source=Source(path=f"/archive/{code.lower()}{i}_{year}.pdf",
                                                        sha256=f"{i:064x}", pages=7),
                     metadata=Metadata(type=type_, issuer=issuer, reference=f"{i % 5000}/{code}-{year}",
                                       date=date, subject=text(rng, 12), distribution=["Như trên", "Lưu: VT"],
                                       signer=Signer(name=name, title="GIÁM ĐỐC")),
                     parts=[Part(id=0, pages=list(range(1, 8)))], sections=sections, activities=acts)


def time_search(out: Path, runs: int) -> None:
    """The search page's database work without HTTP: hits (find) and facets, one connection, per query;
    wall-clock time and this process's CPU time (which other jobs on the machine do not stretch)."""
    db = open_corpus(out)
    times: dict[str, list[tuple[float, float]]] = {}
    try:
        for _ in range(runs):
            for text in QUERIES:
                q = SearchQuery(text)
                t, cpu = time.perf_counter(), time.process_time()
                found = find(out, q, db)
                facets(out, q, db)
                times.setdefault(f"{text!r} ({found.total} hits)", []).append(
                    (time.perf_counter() - t, time.process_time() - cpu))
    finally:
        db.close()
    print(f"find + facets in process (load {os.getloadavg()[0]:.1f}):")
    for q, ts in times.items():
        print(f"  {q:40} median {statistics.median(t for t, _ in ts) * 1000:6.0f} ms, "
              f"CPU {statistics.median(c for _, c in ts) * 1000:4.0f} ms")
    every = [t for ts in times.values() for t in ts]
    print(f"find + facets, {len(every)} runs: median {statistics.median(t for t, _ in every) * 1000:.0f} ms "
          f"(CPU {statistics.median(c for _, c in every) * 1000:.0f} ms), max {max(t for t, _ in every) * 1000:.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="build (or reuse) the corpus in this folder")
    ap.add_argument("--no-server", action="store_true", help="time find + facets in process only")
    args = ap.parse_args()
    out = args.keep or Path(tempfile.mkdtemp(prefix="bench-serve-"))
    out.mkdir(parents=True, exist_ok=True)
    if not (out / CORPUS).exists():
        t0 = time.perf_counter()
        rng = random.Random(19)
        b = CorpusBuilder(out / CORPUS)
        for i in range(args.docs):
            b.add(synthetic(i, rng))
        b.close()
        print(f"built {args.docs} documents in {time.perf_counter() - t0:.0f} s → {out / CORPUS} "
              f"({(out / CORPUS).stat().st_size / 1e6:.0f} MB)", flush=True)
    time_search(out, args.runs)
    if args.no_server:
        return 0
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "directives.cli", "serve", "--out", str(out), "--port", "0"],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    url = line.split(" at ")[1].split()[0]
    urllib.request.urlopen(url, timeout=60).read()
    print(f"start-up (process start to the home page answered): {time.perf_counter() - t0:.2f} s")
    times: dict[str, list[float]] = {}
    try:
        for _ in range(args.runs):
            for q in QUERIES:
                t = time.perf_counter()
                urllib.request.urlopen(url + "?q=" + quote(q), timeout=60).read()
                times.setdefault(q, []).append(time.perf_counter() - t)
    finally:
        proc.terminate()
        proc.wait()
    for q, ts in times.items():
        print(f"  {q!r:28} median {statistics.median(ts) * 1000:6.0f} ms")
    every = [t for ts in times.values() for t in ts]
    print(f"search page, {len(every)} requests: median {statistics.median(every) * 1000:.0f} ms, "
          f"max {max(every) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
