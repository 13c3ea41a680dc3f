"""`directives serve` in a real browser: Debian's headless Chromium driven by chromedriver over the
W3C WebDriver protocol (plain HTTP/JSON, no browser download). Skips only when Chromium cannot start."""

from __future__ import annotations

import base64
import json
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
ENTER = "\ue007"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """The few WebDriver commands the test needs."""

    def __init__(self, driver: str):
        self.driver = driver
        caps = {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium") or "chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1100,900", "--lang=vi"]}}
        self.session = self._call("POST", "/session", {"capabilities": {"alwaysMatch": caps}})["sessionId"]

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body or {}).encode() if method == "POST" else None
        req = urllib.request.Request(self.driver + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())["value"] or {}
        except urllib.error.HTTPError as exc:
            raise RuntimeError(exc.read().decode()[:500]) from None

    def cmd(self, method: str, path: str, body: dict | None = None):
        return self._call(method, f"/session/{self.session}{path}", body)

    def go(self, url: str) -> None:
        self.cmd("POST", "/url", {"url": url})

    def find(self, css: str, within: str | None = None) -> list[str]:
        base = f"/element/{within}" if within else ""
        return [e[ELEMENT] for e in self.cmd("POST", f"{base}/elements", {"using": "css selector", "value": css})]

    def text(self, element: str) -> str:
        return self.cmd("GET", f"/element/{element}/text")

    def attr(self, element: str, name: str) -> str:
        return self.cmd("GET", f"/element/{element}/property/{name}")

    def url(self) -> str:
        return self.cmd("GET", "/url")

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.cmd("GET", "/screenshot")))

    def wait_for(self, ready, seconds: float = 10.0) -> bool:
        """Poll `ready()` until it is true; an element gone stale while a page loads is polled again."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                if ready() and self.cmd("POST", "/execute/sync", {"script": "return document.readyState", "args": []}) == "complete":
                    return True
            except RuntimeError:
                pass  # a stale element or a page between two loads
            time.sleep(0.1)
        return False

    def close(self) -> None:
        self._call("DELETE", f"/session/{self.session}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    driver_bin = shutil.which("chromedriver")
    if not driver_bin or not shutil.which("chromium"):
        pytest.skip("chromium / chromedriver not installed (Debian: apt-get install chromium chromium-driver)")
    port = free_port()
    proc = subprocess.Popen([driver_bin, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.1)
            b = Browser(f"http://127.0.0.1:{port}")
        except (OSError, RuntimeError) as exc:
            pytest.skip(f"Chromium could not start: {exc}")
        yield b
        b.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_search_document_and_source_link_in_chromium(browser: Browser, served: str, tmp_path: Path) -> None:
    browser.go(served)
    browser.screenshot(tmp_path / "home.png")
    [box] = browser.find("input#q")
    browser.cmd("POST", f"/element/{box}/value", {"text": "phan dinh nhan" + ENTER})
    # the home may show hits of its own: wait for the results page the search navigated to
    assert browser.wait_for(lambda: "q=" in browser.url() and browser.find("#count")), "no results page"
    hits = browser.find("article.hit")
    assert hits, "no hits shown"
    assert "347-CV/TĐTN-VP" in browser.text(browser.find(".meta", hits[0])[0])
    assert re.fullmatch(r"\d+ of \d+ hits", browser.text(browser.find("#count")[0]))
    assert "Phan Đình Nhân" in browser.text(hits[0])
    browser.screenshot(tmp_path / "hits.png")

    [title] = browser.find("h2 a", hits[0])
    browser.cmd("POST", f"/element/{title}/click")
    assert browser.wait_for(lambda: "/doc/" in browser.url() and browser.find("table.activities")), "no document page"
    rows = browser.find("table.activities tbody tr")
    assert len(rows) == 29
    browser.screenshot(tmp_path / "document.png")

    [link] = browser.find("ul.tree li .src")[:1]
    href = browser.attr(link, "href")
    page = int(re.search(r"#page=(\d+)$", href).group(1))
    assert page >= 1
    browser.cmd("POST", f"/element/{link}/click")
    time.sleep(0.5)
    assert browser.url() == href  # the browser went to the PDF, at that page
    with urllib.request.urlopen(href.split("#")[0], timeout=30) as r:
        assert r.headers["Content-Type"] == "application/pdf" and r.read(5) == b"%PDF-"
    for name in ("home.png", "hits.png", "document.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
