"""Batches over JSON Lines of stories: streamed, in worker processes, in input order, the same
bytes as one process and as the whole-file path; bad lines named and skipped with exit code 3."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import ROOT, SEEDS, needs_shared
from tui.ingest.loader import load_paths


def story_lines(count: int) -> list[str]:
    """Small stories made of the seed articles, each a little different."""
    seeds = load_paths([str(SEEDS)]).stories[0].articles
    lines = []
    for n in range(count):
        chosen = [seeds[(n + k) % len(seeds)] for k in range(2 + n % 3)]
        lines.append(
            json.dumps(
                {
                    "id": f"story-{n}",
                    "articles": [
                        {"id": f"{a.id}-{k}", "title": a.title, "outlet": a.label, "text": a.text}
                        for k, a in enumerate(chosen)
                    ],
                }
            )
        )
    return lines


def broadsheet(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("command", ["articles", "align", "quotes"])
def test_jobs_give_the_same_bytes_in_input_order(tmp_path, command):
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(story_lines(7)) + "\n")
    one = broadsheet(command, str(path), "--json", "--jobs", "1")
    two = broadsheet(command, str(path), "--json", "--jobs", "2")
    assert one.returncode == two.returncode == 0 and one.stdout == two.stdout and one.stderr == two.stderr == ""
    ids = [json.loads(line)["cluster"] for line in one.stdout.splitlines()]
    assert ids == [f"story-{n}" for n in range(7)]


def test_a_stream_prints_what_the_whole_file_path_printed(cli, tmp_path, monkeypatch):
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(story_lines(3)) + "\n")
    streamed = cli("align", str(path), "--json", "--jobs", "1").out
    monkeypatch.setattr("tui.output.batch.is_story_stream", lambda p: False)  # the whole-file loader
    assert cli("align", str(path), "--json").out == streamed
    single = tmp_path / "one.jsonl"
    single.write_text(story_lines(1)[0] + "\n")
    one_line = cli("align", str(single), "--json", "--jobs", "1").out
    assert one_line.count("\n") == 1 and one_line == cli("align", str(single), "--json", "--jobs", "2").out
    # the same shape whatever the input: one story from a folder is one line too
    from helpers import SEEDS

    assert cli("align", str(SEEDS), "--json").out.count("\n") == 1


def test_bad_lines_are_named_and_skipped_and_the_exit_code_says_so(cli, tmp_path):
    good = story_lines(3)
    path = tmp_path / "stories.jsonl"
    path.write_text(
        "\n".join(
            [
                good[0],
                '{"articles": [}',
                good[1],
                '{"id": "x", "text": "An article."}',
                '{"id": "empty", "articles": []}',
                good[2],
            ]
        )
        + "\n"
    )
    run = cli("articles", str(path), "--json", "--jobs", "2")
    assert run.code == 3
    assert [json.loads(line)["cluster"] for line in run.out.splitlines()] == ["story-0", "story-1", "story-2"]
    warnings = run.err.splitlines()
    assert len(warnings) == 3 and all(str(path) in w and "(skipped)" in w for w in warnings)
    assert "line 2" in warnings[0] and "line 4" in warnings[1] and "line 5" in warnings[2]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(story_lines(4)) + "\n")
    run = broadsheet("articles", str(path), "--json")
    assert run.returncode == 0 and run.stderr == ""


def test_on_a_terminal_a_progress_bar_on_stderr_and_warnings_above_it(tmp_path):
    """stderr a terminal, stdout a file: the bar (rich.progress) counts stories and goes away;
    a bad line's warning is printed whole; the documents are the same bytes as without the bar."""
    import os

    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(story_lines(6)) + "\nnot json\n")
    main, side = os.openpty()
    try:
        run = subprocess.run(
            [sys.executable, "-m", "tui", "articles", str(path), "--json", "--jobs", "2"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=side,
            env={**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"},
            timeout=600,
        )
        os.close(side)
        shown = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(main)
    screen = shown.decode("utf-8", "replace")
    assert run.returncode == 3
    assert "6 stories" in screen and "100%" in screen  # the bar's last frame
    assert "invalid JSON at line 7" in screen
    quiet = broadsheet("articles", str(path), "--json", "--jobs", "2")
    assert run.stdout.decode() == quiet.stdout and len(quiet.stdout.splitlines()) == 6


@needs_shared
def test_the_ecbplus_corpus_as_one_stream(tmp_path):
    import glob

    paths = sorted(glob.glob(str(ROOT.parent / "shared" / "corpus" / "ecbplus" / "dev" / "*.json")))
    stream = tmp_path / "dev.jsonl"
    stream.write_text("".join(json.dumps(json.loads(open(p).read())) + "\n" for p in paths))
    one = broadsheet("quotes", str(stream), "--json", "--jobs", "1")
    two = broadsheet("quotes", str(stream), "--json", "--jobs", "2")
    assert one.returncode == 0 and one.stdout == two.stdout and len(one.stdout.splitlines()) == len(paths)


def test_a_dask_cluster_gives_every_cluster_once_even_when_a_worker_dies(tmp_path):
    import os
    import signal
    import time

    distributed = pytest.importorskip("distributed")
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(story_lines(160)) + "\n")
    expected = broadsheet("align", str(path), "--json", "--jobs", "1").stdout
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as dask,
        distributed.Client(dask) as client,
    ):
        run = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tui",
                "align",
                str(path),
                "--json",
                "--scheduler",
                dask.scheduler_address,
                "-o",
                str(tmp_path / "out.jsonl"),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        victim = next(iter(client.run(os.getpid).values()))
        deadline = time.monotonic() + 60

        def tasks(dask_scheduler=None) -> int:
            return len(dask_scheduler.tasks)

        while time.monotonic() < deadline and run.poll() is None and client.run_on_scheduler(tasks) < 2:
            time.sleep(0.02)  # until the batch is under way
        time.sleep(0.3)
        killed = run.poll() is None
        os.kill(victim, signal.SIGKILL)
        _, err = run.communicate(timeout=300)
    assert killed, "the batch ended before a worker could be killed: make it longer"
    assert run.returncode == 0, err
    assert (tmp_path / "out.jsonl").read_text() == expected


# ---------------------------------------------------------------- where a batch writes, with how many workers (#28)


def test_batch_output_appears_only_when_the_batch_ends_well(cli, tmp_path, monkeypatch):
    """-o into a missing folder is an error naming it (no folder made); a batch that fails half
    way (a story gone, a worker killed) leaves the old output as it was and no temporary file."""
    from tui.output import batch

    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(story_lines(6)) + "\n")
    run = cli("align", str(path), "--json", "-o", str(tmp_path / "nonexist" / "out.jsonl"))
    assert run.code == 1 and run.err.count("\n") == 1 and f"no such folder: {tmp_path / 'nonexist'}" in run.err
    assert not (tmp_path / "nonexist").exists()
    out = tmp_path / "out.jsonl"
    out.write_text("old line\n" * 100)
    real_stream = batch.run_stream

    def dies_half_way(*args, **kwargs):
        for number, done in enumerate(real_stream(*args, **kwargs)):
            if number == 3:
                raise batch.BatchError("the Dask cluster at tcp://127.0.0.1:8786 failed: scheduler-connection-lost")
            yield done

    monkeypatch.setattr(batch, "run_stream", dies_half_way)
    run = cli("align", str(path), "--json", "--jobs", "1", "-o", str(out))
    assert (
        run.code == 1
        and run.err.strip() == "broadsheet: the Dask cluster at tcp://127.0.0.1:8786 failed: scheduler-connection-lost"
    )
    assert out.read_text() == "old line\n" * 100 and sorted(p.name for p in tmp_path.iterdir()) == [
        "out.jsonl",
        "stories.jsonl",
    ]
    monkeypatch.undo()
    assert cli("align", str(path), "--json", "--jobs", "1", "-o", str(out)).code == 0
    assert [json.loads(line)["cluster"] for line in out.read_text().splitlines()] == [f"story-{n}" for n in range(6)]


def test_a_batch_starts_no_more_workers_than_cores_or_lines(cli, tmp_path, monkeypatch):
    from tui.output import batch

    started: list[int] = []

    class CountedPool(batch.ProcessPoolExecutor):
        def __init__(self, max_workers=None, **kwargs):
            started.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(batch, "usable_cores", lambda: 3)
    for lines, workers in ((2, [2]), (1, []), (7, [3])):
        path = tmp_path / f"{lines}.jsonl"
        path.write_text("\n".join(story_lines(lines)) + "\n")
        started.clear()
        run = cli("articles", str(path), "--json", "--jobs", "1024")
        assert run.code == 0 and len(run.out.splitlines()) == lines and started == workers


@pytest.mark.parametrize(
    "address, problem",
    [
        ("127.0.0.1", "'127.0.0.1' needs a port from 1 to 65535"),
        ("foo://bar", "unknown scheme 'foo'"),
        ("http://127.0.0.1:8787", "is a web address"),
        ("tcp://127.0.0.1:99999", "needs a port from 1 to 65535"),
        ("tcp://", "not a scheduler address"),
    ],
)
def test_a_scheduler_address_that_cannot_be_one_is_a_usage_error(tmp_path, address, problem):
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(story_lines(2)) + "\n")
    run = broadsheet("align", str(path), "--json", "--scheduler", address)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "Invalid value for '--scheduler': " in run.stderr and problem in run.stderr.splitlines()[-1]


def test_a_scheduler_that_is_not_there_is_one_line_within_the_timeout(cli, tmp_path, monkeypatch):
    """A refused port and an unknown host at once; an HTTP server (a dashboard, say) within
    CONNECT_TIMEOUT, not after Dask's own 30 s or never."""
    import http.server
    import socket
    import threading
    import time

    pytest.importorskip("distributed")
    monkeypatch.setattr("tui.output.batch.CONNECT_TIMEOUT", 2.0)
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(story_lines(2)) + "\n")
    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        free_port = unused.getsockname()[1]
    try:
        for address, problem in (
            (f"tcp://127.0.0.1:{free_port}", "Connection refused"),
            ("tcp://no-such-host.invalid:8786", "no Dask scheduler at"),
            (f"127.0.0.1:{web.server_address[1]}", "no Dask scheduler answered"),
        ):
            started = time.monotonic()
            run = cli("align", str(path), "--json", "--scheduler", address, "-o", str(tmp_path / "out.jsonl"))
            assert time.monotonic() - started < 5
            assert run.code == 1 and run.err.count("\n") == 1 and problem in run.err, run.err
    finally:
        web.shutdown()
        web.server_close()
    assert not (tmp_path / "out.jsonl").exists()


def test_a_scheduler_killed_mid_run_leaves_the_old_output(tmp_path):
    """The scheduler process SIGKILLed mid-run: one line, exit 2, and the -o file as it was."""
    import os
    import signal
    import socket
    import time

    pytest.importorskip("distributed")
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(story_lines(2000)) + "\n")
    out = tmp_path / "out.jsonl"
    out.write_text("old line\n" * 2000)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": tmp_path}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--port", str(port), "--no-dashboard"], **quiet
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-dashboard"], **quiet
    )
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(1, timeout=60)
        run = subprocess.Popen(
            [sys.executable, "-m", "tui", "align", str(path), "--json", "--scheduler", address, "-o", str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while (
            run.poll() is None
            and time.monotonic() < deadline
            and out.stat().st_size == len("old line\n") * 2000
            and not any(p.stat().st_size for p in tmp_path.glob(".broadsheet-*"))
        ):
            time.sleep(0.05)  # until documents arrive (in a temporary file beside out.jsonl, or in it)
        killed = run.poll() is None
        os.kill(scheduler.pid, signal.SIGKILL)
        _, err = run.communicate(timeout=120)
    finally:
        for process in (worker, scheduler):
            process.kill()
            process.wait(timeout=30)
    assert killed, "the batch ended before the scheduler was killed: make it longer"
    assert run.returncode == 1 and err.count("\n") == 1 and f"the Dask cluster at {address} failed" in err, err
    assert out.read_text() == "old line\n" * 2000 and sorted(p.name for p in tmp_path.iterdir()) == [
        "out.jsonl",
        "stories.jsonl",
    ]
