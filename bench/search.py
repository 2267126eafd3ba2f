"""Search as a reader meets it, measured in Chromium on a built site served from a local server:
for a session of queries, the bytes downloaded (the page, Pagefind's runtime, entry and index
fragments) and the time from typing a query to its first result on screen. Not part of
`make test`; issue #27's targets are 5 MB for 5 queries and under 1 s to the first result.

    python bench/search.py --site /path/to/site [--query WORD ...]

The reader types once the page has loaded (no request for half a second), as a reader does;
the server is warmed first by a session in another browser context (its files in the page
cache), and each measured session starts with an empty browser cache. The time includes the search
page's 150 ms wait for the reader to stop typing, since that is what a reader waits for too.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import threading
import time
from pathlib import Path
from typing import Any

QUERIES = ("Shahed", "Caspian", "Pezeshkian", "SWIFT", "mutual defence")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def session(browser: Any, base: str, queries: tuple[str, ...]) -> list[tuple[str, float, float, int, int]]:
    """Per query: seconds to its first result, seconds until every spelling answered, result
    count shown, bytes downloaded so far in the session (the find page included)."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = [0]
    cdp.on("Network.loadingFinished", lambda event: received.__setitem__(0, received[0] + event["encodedDataLength"]))
    page.goto(base + "/find/", wait_until="networkidle")  # the reader starts typing once the page is in
    rows = []
    for query in queries:
        page.evaluate("() => { const l = document.getElementById('find-results'); l.textContent = ''; "
                      "l.removeAttribute('data-done'); }")
        start = time.perf_counter()
        page.locator("#find-input").fill(query)
        page.wait_for_selector("#find-results li", state="attached", timeout=60000)
        first = time.perf_counter() - start
        page.wait_for_selector("#find-results[data-done]", state="attached", timeout=60000)
        done = time.perf_counter() - start
        count = page.locator("#find-results li").count()
        page.wait_for_timeout(200)  # late fragment responses counted with their query
        rows.append((query, first, done, count, received[0]))
    context.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--query", nargs="+", default=list(QUERIES))
    parser.add_argument("--sessions", type=int, default=3, help="measured sessions (medians quoted)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(args.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    queries = tuple(args.query)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium")
            session(browser, base, queries)  # warms the server's files; its figures are not quoted
            runs = [session(browser, base, queries) for _ in range(args.sessions)]
            browser.close()
    finally:
        server.shutdown()
    print(f"site {args.site}; {args.sessions} sessions of {len(queries)} queries, each in a fresh browser cache")
    print(f"{'query':<18} {'first result s':>15} {'all spellings s':>16} {'shown':>6} {'session MB so far':>18}")
    for i, query in enumerate(queries):
        print(f"{query:<18} {statistics.median(r[i][1] for r in runs):>15.2f} "
              f"{statistics.median(r[i][2] for r in runs):>16.2f} {runs[0][i][3]:>6} "
              f"{statistics.median(r[i][4] for r in runs) / 1e6:>18.2f}")
    firsts = [r[i][1] for r in runs for i in range(len(queries))]
    print(f"first result: median {statistics.median(firsts):.2f} s, slowest {max(firsts):.2f} s; "
          f"downloaded for the session: {statistics.median(r[-1][4] for r in runs) / 1e6:.2f} MB (median)")


if __name__ == "__main__":
    main()
