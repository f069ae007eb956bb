"""The long random walk through the reader: 10,000 keys per input (every binding of every
preset, random keys, 2% resizes from 20x5 to 300x80, 5% a marks panel opened with a quick burst
of keys in it) on the seeds, 40 articles and a story list, with a fixed seed and a reading desk
that holds marks. Prints keys pressed, exceptions (must be 0), whether the screen stack held
and the time per key.

    python -m benchmarks.monkey [--steps 10000] [--only seeds|"40 articles"|"three stories"]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time

from tests.walk import WalkedApp, desk_with_marks, random_walk, stack_broken, synthetic_stories
from tui.desk.keymap import load_keymap
from tui.ingest.loader import load_paths

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


PANEL_SHARE = 0.05


async def walk(name, stories, preset, steps, seed) -> bool:
    desk = desk_with_marks(tempfile.mkdtemp(prefix="broadsheet-walk-"), stories)
    app = WalkedApp(stories, load_keymap(preset), desk=desk)
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        pressed = await random_walk(pilot, steps, seed, panel_share=PANEL_SHARE)
        broken, running = stack_broken(app), app.is_running
        failed = app._exception is not None or not running or broken
    seconds = time.perf_counter() - started
    print(
        f"{name:14s} {preset:8s} keys={pressed:6d} exceptions={int(app._exception is not None)} "
        f"still running={running} screens held={not broken} "
        f"{1000 * seconds / max(pressed, 1):.1f} ms/key",
        flush=True,
    )
    return not failed


def main() -> None:
    os.chdir(tempfile.mkdtemp(prefix="broadsheet-walk-"))  # 'e' exports into the working folder
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--only", choices=["seeds", "40 articles", "three stories"], help="walk one input")
    args = parser.parse_args()
    seeds = load_paths([os.path.join(ROOT, "seeds")]).stories
    inputs = {
        "seeds": seeds,
        "40 articles": synthetic_stories(seeds[0], 40),
        "three stories": synthetic_stories(seeds[0], 4, stories=3),
    }
    ok = True
    for seed, (name, stories) in enumerate(inputs.items(), start=1):
        if args.only and name != args.only:
            continue
        for preset in ("default", "vim", "emacs"):
            ok &= asyncio.run(walk(name, stories, preset, args.steps, seed))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
