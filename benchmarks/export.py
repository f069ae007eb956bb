"""Export speed: the seeds and a 100-article story to HTML, Markdown and JSON, in a fresh process
each (imports and alignment included, as `broadsheet export` runs), the page's size, and, where
Chromium is installed, how long it takes to load and lay out the page headless.

    python -m benchmarks.export

Targets: the seeds in < 0.3 s of export work, 100 articles in < 3 s, and a page whose load time
grows with its size, not with its square.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

CHILD = r"""
import sys, time
from tui.ingest.loader import load_paths
from tui.output.export import export_text
import tui.engine.align, tui.engine.quotes  # imports are timed apart from the export work
stories = load_paths([PATH]).stories
started = time.perf_counter()
text = export_text(stories, FORMAT)
print(time.perf_counter() - started, len(text.encode()))
"""


def export_seconds(path: str, fmt: str) -> tuple[float, int]:
    code = f"ROOT = {ROOT!r}\nPATH = {path!r}\nFORMAT = {fmt!r}\n" + CHILD
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, size = result.stdout.split()
    return float(seconds), int(size)


def browser_seconds(page: str) -> float | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return None
    started = time.perf_counter()
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + page],
        capture_output=True,
        timeout=300,
    )
    return time.perf_counter() - started


def main() -> None:
    scratch = tempfile.mkdtemp(prefix="broadsheet-export-")
    stories = {"seeds": os.path.join(ROOT, "seeds")}
    if os.path.isdir(os.path.join(ROOT, "..", "shared", "corpus")):
        from benchmarks.align import synthetic

        for n in (25, 100):
            path = os.path.join(scratch, f"synthetic-{n}.json")
            with open(path, "w") as handle:
                json.dump(synthetic(n), handle)
            stories[f"{n} articles"] = path
    print(f"{'story':14s} {'html s':>7s} {'md s':>6s} {'json s':>7s} {'page KB':>8s} {'browser load s':>15s}")
    for label, path in stories.items():
        html, size = export_seconds(path, "html")
        md, _ = export_seconds(path, "md")
        js, _ = export_seconds(path, "json")
        page = os.path.join(scratch, "page.html")
        subprocess.run(
            [sys.executable, "-m", "tui", "export", path, "-o", page], cwd=ROOT, capture_output=True, check=True
        )
        load = browser_seconds(page)
        shown = f"{load:15.2f}" if load is not None else f"{'(no chromium)':>15s}"
        print(f"{label:14s} {html:7.3f} {md:6.3f} {js:7.3f} {size / 1024:8.0f} {shown}", flush=True)
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
