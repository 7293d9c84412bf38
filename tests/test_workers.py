"""Background children (kg.workers.in_background, in_child) and the CLI writing its cache beside the rules."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.cli
import kg.cli.lint
from kg.cli import cli
from kg.workers import in_background, in_child, interrupts_deferred, resident_bytes


def _write_pid(path: Path) -> None:
    path.write_text(str(os.getpid()))


def _forever() -> None:
    while True:
        os.sched_yield() if hasattr(os, "sched_yield") else None


def _assert_gone(pid: int) -> None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return
    raise AssertionError("the child is still alive")


def test_the_work_runs_in_a_child_and_wait_waits_for_it(tmp_path):
    marker = tmp_path / "pid"
    child = in_background(lambda: _write_pid(marker))
    assert child.pid is not None and child.pid != os.getpid()
    pid = child.pid
    child.wait()
    assert int(marker.read_text()) == pid and child.pid is None
    child.wait()  # again: nothing left to wait for


def test_what_the_work_raises_ends_the_child_quietly(tmp_path):
    def fail() -> None:
        raise RuntimeError("boom")

    child = in_background(fail)
    pid = child.pid
    child.wait()
    assert pid is not None and child.pid is None


def test_cancel_stops_a_child_at_work(tmp_path):
    child = in_background(_forever)
    pid = child.pid
    child.cancel()
    assert pid is not None and child.pid is None
    _assert_gone(pid)


def test_without_fork_the_work_runs_in_this_process(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "fork")
    marker = tmp_path / "pid"
    child = in_background(lambda: _write_pid(marker))
    assert child.pid is None and marker.read_text() == str(os.getpid())
    child.wait()
    child.cancel()


def test_in_child_sends_back_what_the_work_returns():
    answer = in_child(lambda: (os.getpid(), list(range(200_000))))  # more than a pipe holds
    pid, numbers = answer.result()  # type: ignore[misc]
    assert pid != os.getpid() and numbers == list(range(200_000))
    assert answer.result() == (pid, numbers)  # taken once, kept


def test_in_child_answers_none_when_the_work_raises_or_the_child_dies():
    def fail() -> None:
        raise RuntimeError("boom")

    assert in_child(fail).result() is None
    assert in_child(lambda: os._exit(3)).result() is None


def test_an_answer_cancelled_leaves_no_child():
    answer = in_child(_forever)
    pid = answer._child.pid
    answer.cancel()
    assert pid is not None and answer.result() is None
    _assert_gone(pid)


def test_without_fork_in_child_works_here(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert in_child(os.getpid).result() == os.getpid()


def test_ctrl_c_inside_interrupts_deferred_takes_effect_at_its_end():
    reached = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # Python runs the handler between bytecodes: here, were it not deferred
                reached.append(1)
    assert len(reached) == 1000 and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with interrupts_deferred():  # no Ctrl-C: nothing raised
        reached.clear()
    assert reached == []


def test_sigterm_inside_interrupts_deferred_reaches_its_handler_at_its_end():
    got: list[int] = []

    def stop(number, frame):  # type: ignore[no-untyped-def]
        got.append(number)
        raise SystemExit(128 + number)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with pytest.raises(SystemExit):
            with interrupts_deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                for _ in range(1000):
                    assert got == []  # not yet
        assert got == [signal.SIGTERM] and signal.getsignal(signal.SIGTERM) is stop
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_lint_writes_the_cache_while_its_rules_run_and_ends_with_it_written(tmp_path, monkeypatch, make_vault):
    root = make_vault({"A.md": "[[B]] [[Nope]]", "B.md": "up:: [[A]]"})
    folder = tmp_path / "cache"
    monkeypatch.setattr(kg.cli, "BACKGROUND_BUDGET", 2**62)  # however much the test process holds
    seen = []
    real = kg.cli.lint.lint

    def watched(vault, **options):
        seen.extend(writer.pid for writer in kg.cli._WRITERS)  # the children writing now
        return real(vault, **options)

    monkeypatch.setattr(kg.cli.lint, "lint", watched)
    result = CliRunner().invoke(cli, ["--cache-dir", str(folder), "lint", str(root), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert len(seen) == 1 and seen[0] not in (None, os.getpid())
    assert kg.cli._WRITERS == []
    names = [path.name for path in folder.iterdir()]
    assert not [name for name in names if name.endswith(".tmp")]
    assert len([name for name in names if ".notes-" in name]) == 2  # A.md and B.md, in two shards
    assert len([name for name in names if name.endswith(".answer.pickle")]) == 2  # the snapshot, the report


def test_past_its_memory_budget_lint_writes_the_cache_itself_first(tmp_path, monkeypatch, make_vault):
    root = make_vault({"A.md": "[[B]]", "B.md": ""})
    folder = tmp_path / "cache"
    monkeypatch.setattr(kg.cli, "BACKGROUND_BUDGET", 0)
    written = []
    real = kg.cli.lint.lint

    def watched(vault, **options):
        written.append((list(kg.cli._WRITERS), len(list(folder.glob("*.pickle")))))
        return real(vault, **options)

    monkeypatch.setattr(kg.cli.lint, "lint", watched)
    result = CliRunner().invoke(cli, ["--cache-dir", str(folder), "lint", str(root)])
    assert result.exit_code == 0, result.output
    assert written == [([], 3)]  # no child; the two note shards and the snapshot written before the rules


def test_resident_bytes_is_this_process_s_memory():
    held = resident_bytes()
    block = b"\x01" * (64 * 2**20)  # written: every page resident
    assert resident_bytes() - held > 48 * 2**20 and len(block) > 0
