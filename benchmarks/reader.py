"""Reader speed: time to first paint, time until the alignment is shown, keystroke latency.

    python -m benchmarks.reader

Each figure comes from a fresh process driving the real app headless (App.run_test), so
start-up (imports, loading, segmentation) counts in "first paint": from the process's start to
the first frame of the reader handed to the terminal driver. Keystroke latency is the
time from a key press until the app is idle again with the screen refreshed, over 200 moves
(j and k alternating in runs, ] and sync moves among them) with 12 columns on a 250x60 screen.
Panels (F, Q), the compare view (D) and resizes are timed the same way, five times each.
"colours" is the time from the first paint to the first frame drawn with the fact colours;
both are the median of five fresh processes.
Targets: first paint < 1 s; colours within 0.2 s of first paint for the seeds and 12 articles,
within 1 s for 100; a key handled in < 50 ms at p95 with 12 columns; panels, compare and a
resize < 50 ms on the seeds.
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
import asyncio, json, os, sys, time
started = float(sys.argv[1])
from tui.runtime.align_process import prefetch_alignment, start_helper
start_helper()  # as `broadsheet` does: the engine aligns in a helper process while the UI starts
from tui.engine.pairs import THRESHOLD
from tui.ingest.loader import load_paths

def story_for(spec):
    # a folder or a cluster file (the format), loaded as the command loads it
    return load_paths([os.path.join(ROOT, "seeds") if spec == "seeds" else spec]).stories[0]

STORY = story_for(sys.argv[2])
prefetch_alignment(STORY.articles, THRESHOLD)
from tui.ui.app import BroadsheetApp  # Textual is imported after loading, as in the command
from tui.ui.reader import ReaderScreen

class TimedApp(BroadsheetApp):
    first_frame = None
    coloured_frame = None

    def _display(self, screen, renderable):
        # the first frame of the reader handed to the terminal driver, and the first one
        # drawn after the alignment arrived (the fact colours)
        if isinstance(screen, ReaderScreen) and renderable is not None:
            if self.first_frame is None:
                self.first_frame = time.time()
            elif self.coloured_frame is None and screen.alignment is not None:
                self.coloured_frame = time.time()
        super()._display(screen, renderable)

async def main(spec, keys, width, height):
    app = TimedApp([STORY])
    out = {}
    async with app.run_test(size=(width, height)) as pilot:
        while app.first_frame is None:
            await asyncio.sleep(0.001)
        out["first_paint"] = app.first_frame - started
        while app.screen.alignment is None:
            await asyncio.sleep(0.005)
        while app.coloured_frame is None:
            await asyncio.sleep(0.002)
        out["aligned"] = time.time() - started
        out["colours_after_paint"] = app.coloured_frame - app.first_frame
        if keys == 0:  # start-up only
            print(json.dumps(out))
            return
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["articles"] = len(app.screen.articles)
        out["facts"] = len(app.screen.alignment.facts)
        moves = ["j"] * 20 + ["k"] * 10 + ["right_square_bracket", "l", "j", "h"] * 3
        sequence = (moves + ["s"] + ["j"] * 5 + ["s"]) * 10
        for name, key_list in (("baseline", ["f9"] * 30), ("keys", sequence[:keys])):
            wall, cpu = [], []
            for key in key_list:
                w, c = time.perf_counter(), time.process_time()
                await pilot.press(key)
                await pilot.pause()
                wall.append(time.perf_counter() - w)
                cpu.append(time.process_time() - c)
            out[name] = {"wall": wall, "cpu": cpu}
        actions = {}
        for key in ["h"] * 20 + ["g", "right_square_bracket"]:  # onto a fact, so that D has something to compare
            await pilot.press(key)
        await pilot.pause()
        for name, keys in (("facts panel F", ["F"]), ("quotes panel Q", ["Q"]), ("compare D", ["D"])):
            for _ in range(5):
                for key in keys:
                    c = time.process_time()
                    await pilot.press(key)
                    await pilot.pause()
                    actions.setdefault(name, []).append(time.process_time() - c)
                await pilot.press("escape")
                await pilot.pause()
                await pilot.press("escape")
                await pilot.pause()
        for size in [(width - 40, height - 10), (width, height)] * 5:
            c = time.process_time()
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            actions.setdefault("resize", []).append(time.process_time() - c)
        out["actions"] = actions
    print(json.dumps(out))

asyncio.run(main(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])))
"""


def measure(spec: str, keys: int, width: int, height: int) -> dict:
    code = "ROOT = " + repr(ROOT) + "\n" + CHILD
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code, repr(started), spec, str(keys), str(width), str(height)],
        capture_output=True,
        text=True,
        cwd=ROOT,  # the child imports tui from the checkout
    )
    if result.returncode:
        sys.exit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    print("Per key: CPU ms to handle it and repaint, net of the test harness (Pilot waits for every")
    print("widget after each key; an unbound key measures that cost, subtracted here), median and p95;")
    print("and wall ms as Pilot sees it, harness included, next to the unbound key's.")
    print(
        f"{'cluster':14s} {'articles':>8s} {'first paint s':>13s} {'colours s':>9s} {'keys':>5s} "
        f"{'net med':>8s} {'net p95':>8s} {'wall med':>9s} {'wall p95':>9s} {'unbound wall':>12s}"
    )
    runs = [
        ("seeds", "seeds", 200, 160, 45),
        ("12 articles", "synthetic-12", 200, 250, 60),
        ("100 articles", "synthetic-100", 50, 250, 60),
    ]
    scratch = tempfile.mkdtemp(prefix="broadsheet-reader-")
    for label, spec, keys, width, height in runs:
        if spec != "seeds" and not os.path.isdir(os.path.join(ROOT, "..", "shared", "corpus")):
            print(f"{label:14s} skipped: ../shared/corpus is not beside the project")
            continue
        if spec != "seeds":  # a synthetic story from the shared corpus, as a cluster file
            from benchmarks.align import synthetic

            story = os.path.join(scratch, f"{spec}.json")
            with open(story, "w") as handle:
                json.dump(synthetic(int(spec.split("-")[1])), handle)
            spec = story
        row = measure(spec, keys, width, height)
        # start-up varies from run to run: the median of five fresh processes
        starts = [row] + [measure(spec, 0, width, height) for _ in range(STARTS - 1)]
        row["first_paint"] = median([r["first_paint"] for r in starts])
        row["colours_after_paint"] = median([r["colours_after_paint"] for r in starts])
        harness = ms(row["baseline"]["cpu"], 0.5) / 1000
        net = [max(c - harness, 0.0) for c in row["keys"]["cpu"]]
        wall = row["keys"]["wall"]
        print(
            f"{label:14s} {row['articles']:8d} {row['first_paint']:13.2f} {row['colours_after_paint']:9.2f} {len(net):5d} "  # noqa: E501
            f"{ms(net, 0.5):8.1f} {ms(net, 0.95):8.1f} {ms(wall, 0.5):9.1f} {ms(wall, 0.95):9.1f} "
            f"{ms(row['baseline']['wall'], 0.5):12.1f}",
            flush=True,
        )
        actions = "  ".join(
            f"{name} {max(ms(values, 0.5) - ms(row['baseline']['cpu'], 0.5), 0):.0f} ms"
            for name, values in row["actions"].items()
        )
        print(f"{'':14s} panels and resizes, net CPU median: {actions}", flush=True)
    shutil.rmtree(scratch, ignore_errors=True)


STARTS = 5


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def ms(values: list[float], quantile: float) -> float:
    ordered = sorted(values)
    return ordered[int(quantile * (len(ordered) - 1))] * 1000


if __name__ == "__main__":
    main()
