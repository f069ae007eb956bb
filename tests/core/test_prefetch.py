"""The first story's alignment from the helper process: the same as aligning in the reader, and
anything else (another story, another cut, a helper that is gone) falls back to the reader."""

from __future__ import annotations

from tui.engine.align import align
from tui.engine.pairs import THRESHOLD
from tui.runtime.align_process import is_prefetching, prefetch_alignment, start_helper, stop_helper, take_alignment


def as_data(alignment):
    return (
        [(f.id, round(f.score, 9), dict(f.members)) for f in alignment.facts],
        [(p.a, p.b, round(p.score, 9)) for p in alignment.pairs],
    )


def test_the_helpers_alignment_is_the_readers(seeds):
    articles = list(seeds.values())
    start_helper()
    assert prefetch_alignment(articles, THRESHOLD) and is_prefetching()
    fetched = take_alignment(articles, THRESHOLD)
    assert fetched is not None and as_data(fetched) == as_data(align(articles))
    assert not is_prefetching() and take_alignment(articles, THRESHOLD) is None, "one answer, taken once"


def test_another_story_or_cut_is_not_answered_from_the_helper(seeds):
    articles = list(seeds.values())
    start_helper()
    prefetch_alignment(articles, THRESHOLD)
    assert take_alignment(articles, 0.9) is None
    start_helper()
    prefetch_alignment(articles, THRESHOLD)
    assert take_alignment(articles[:2], THRESHOLD) is None


def test_no_helper_means_the_reader_aligns(seeds):
    stop_helper()
    assert not prefetch_alignment(list(seeds.values()), THRESHOLD)
    assert take_alignment(list(seeds.values()), THRESHOLD) is None


def test_a_ready_alignment_is_taken_without_waiting(seeds):
    import time

    from tui.runtime.align_process import take_alignment_if_ready

    articles = list(seeds.values())
    start_helper()
    prefetch_alignment(articles, THRESHOLD)
    assert take_alignment_if_ready(articles, 0.9) is None, "another cut is never taken from the helper"
    fetched, deadline = None, time.monotonic() + 60
    while fetched is None and time.monotonic() < deadline:
        began = time.perf_counter()
        fetched = take_alignment_if_ready(articles, THRESHOLD)
        assert time.perf_counter() - began < 0.5, "it never blocks"
        time.sleep(0.02)
    assert fetched is not None and as_data(fetched) == as_data(align(articles))
