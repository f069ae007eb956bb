"""Batches over JSON Lines of clusters: streamed, in worker processes, in input order, the same
bytes as one process and as the whole-file path; bad lines named and skipped with exit code 3."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, SEEDS, needs_shared
from tui.ingest.loader import load_paths


def cluster_lines(count: int) -> list[str]:
    """Small clusters made of the seed articles, each a little different."""
    seeds = load_paths([str(SEEDS)]).clusters[0].articles
    lines = []
    for n in range(count):
        chosen = [seeds[(n + k) % len(seeds)] for k in range(2 + n % 3)]
        lines.append(json.dumps({"id": f"story-{n}", "articles": [
            {"id": f"{a.id}-{k}", "title": a.title, "outlet": a.label, "text": a.text} for k, a in enumerate(chosen)]}))
    return lines


def broadsheet(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("command", ["articles", "align", "quotes"])
def test_jobs_give_the_same_bytes_in_input_order(tmp_path, command):
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(cluster_lines(7)) + "\n")
    one = broadsheet(command, str(path), "--json", "--jobs", "1")
    two = broadsheet(command, str(path), "--json", "--jobs", "2")
    assert one.returncode == two.returncode == 0 and one.stdout == two.stdout and one.stderr == two.stderr == ""
    ids = [json.loads(line)["cluster"] for line in one.stdout.splitlines()]
    assert ids == [f"story-{n}" for n in range(7)]


def test_a_stream_prints_what_the_whole_file_path_printed(cli, tmp_path, monkeypatch):
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(cluster_lines(3)) + "\n")
    streamed = cli("align", str(path), "--json", "--jobs", "1").out
    monkeypatch.setattr("tui.output.batch.is_cluster_stream", lambda p: False)  # the whole-file loader
    assert cli("align", str(path), "--json").out == streamed
    single = tmp_path / "one.jsonl"
    single.write_text(cluster_lines(1)[0] + "\n")
    one_line = cli("align", str(single), "--json", "--jobs", "1").out
    assert one_line.count("\n") == 1 and one_line == cli("align", str(single), "--json", "--jobs", "2").out
    # the same shape whatever the input: one story from a folder is one line too
    from conftest import SEEDS

    assert cli("align", str(SEEDS), "--json").out.count("\n") == 1


def test_bad_lines_are_named_and_skipped_and_the_exit_code_says_so(cli, tmp_path):
    good = cluster_lines(3)
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join([good[0], '{"articles": [}', good[1], '{"id": "x", "text": "An article."}',
                               '{"id": "empty", "articles": []}', good[2]]) + "\n")
    run = cli("articles", str(path), "--json", "--jobs", "2")
    assert run.code == 3
    assert [json.loads(line)["cluster"] for line in run.out.splitlines()] == ["story-0", "story-1", "story-2"]
    warnings = run.err.splitlines()
    assert len(warnings) == 3 and all(str(path) in w and "(skipped)" in w for w in warnings)
    assert "line 2" in warnings[0] and "line 4" in warnings[1] and "line 5" in warnings[2]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(cluster_lines(4)) + "\n")
    run = broadsheet("articles", str(path), "--json")
    assert run.returncode == 0 and run.stderr == ""


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
    path.write_text("\n".join(cluster_lines(160)) + "\n")
    expected = broadsheet("align", str(path), "--json", "--jobs", "1").stdout
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        run = subprocess.Popen([sys.executable, "-m", "tui", "align", str(path), "--json", "--scheduler",
                                cluster.scheduler_address, "-o", str(tmp_path / "out.jsonl")],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
