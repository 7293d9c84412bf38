"""Run many ``kg`` commands against one vault from one Python process: ``python kg_driver.py SPEC``.

Each command runs in a child forked from this process, exactly as ``python -m kg ARGS`` would run:
``sys.argv`` set, kg's ``main()`` called, file descriptors 1 and 2 sent to files, the exit status
taken from ``SystemExit``, and an escaping exception printed by ``sys.excepthook`` (a traceback) with
status 1. A child that outlives ``timeout`` seconds is killed by SIGALRM. Forking saves starting
Python and importing kg for every command; with ``reuse`` the vault is also loaded once, before the
first fork (``kg.load.read_vault`` memoised), so a heavy vault is read once per run, not per command.

SPEC is a JSON file: ``vault``, ``commands`` (lists of arguments), ``then`` (commands that start
once all of ``commands`` have ended, one at a time), ``timeout``, ``reuse``, ``jobs`` (how many
commands run at once), ``digests`` (whether the snapshot of the vault taken after every
command hashes the files' bytes, see ``hostile.snapshot``) and ``results`` (where to write one
record per command, see :func:`start` and :func:`finish`; ``changed`` lists the vault paths whose
snapshot differs from the one taken before the first command).
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PRELOAD = ("kg.cli", "kg.vault", "kg.load", "kg.export.html", "kg.lint", "kg.query", "kg.stats")
"""Modules the commands import on the way, loaded once before the forks."""


def _untraced() -> Any:
    """``audit_hook.paused()`` when this process is traced, else a context that does nothing."""
    import contextlib

    module = sys.modules.get("audit_hook")
    return module.paused() if module is not None else contextlib.nullcontext()


def _child(args: list[str], out: Path, err: Path, timeout: float) -> None:
    """In the forked child: run ``kg ARGS`` with stdout and stderr in files, then exit. Never returns."""
    code = 1
    try:
        signal.alarm(max(1, int(timeout + 0.999)))
        for fd, path in ((1, out), (2, err)):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(handle, fd)
            os.close(handle)
        from kg.cli import main

        sys.argv = ["kg", *args]
        try:
            main()
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
        except BaseException:  # what the interpreter does with an uncaught exception
            sys.excepthook(*sys.exc_info())
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # a closed or broken stream: the status still says what happened
                pass
        os._exit(code)


def start(index: int, args: list[str], folder: Path, timeout: float) -> tuple[int, dict[str, Any]]:
    """Fork a child running one command: its pid, and its record so far (``args``, ``stdout`` and
    ``stderr``: the files that receive the bytes it writes)."""
    out, err = folder / f"{index:03d}.out", folder / f"{index:03d}.err"
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _child(args, out, err, timeout)
    return pid, {"index": index, "args": args, "stdout": str(out), "stderr": str(err), "started": time.perf_counter()}


def finish(record: dict[str, Any], status: int) -> dict[str, Any]:
    """Complete a child's record from its wait status: ``code`` (None if killed), ``signal``, ``seconds``."""
    record["seconds"] = time.perf_counter() - record.pop("started")
    record["signal"] = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    record["code"] = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    return record


def _memoise_loading() -> None:
    """Make the CLI load each vault once: every forked command gets the already loaded vault.

    Keyed by the vault path alone: the other arguments (cache folder, progress display) do not
    change what is loaded."""
    import kg.load  # the CLI imports read_vault from here each time it reads a vault

    load, loaded = kg.load.read_vault, {}

    def load_once(path: Any, *args: Any, **kwargs: Any) -> Any:
        if path not in loaded:
            first = load(path, *args, **kwargs)
            if first.cache is not None:
                first.cache.save()  # here, once: the commands that reuse the vault find nothing to write
            loaded[path] = first
        return loaded[path]

    kg.load.read_vault = load_once  # type: ignore[assignment]


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def main(spec_path: str) -> None:
    """Run every command of the spec and write the results."""
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    sys.path.insert(0, str(HERE))
    from hostile import snapshot

    vault, timeout, folder = spec["vault"], float(spec["timeout"]), Path(spec["results"]).parent
    digests = spec.get("digests", True)
    with _untraced():
        before = snapshot(Path(vault), digests=digests)
    for module in PRELOAD:  # imported once here rather than in every child
        importlib.import_module(module)
    load_seconds = 0.0
    if spec.get("reuse"):
        _memoise_loading()
        import kg.cli

        started = time.perf_counter()
        try:
            kg.cli.load_or_fail(vault).graph  # noqa: B018  (loads, as the commands do, and builds the graph)
        except BaseException:  # the commands meet the same error and report it themselves
            pass
        kg.cli.wait_for_writers()  # the cache written before the commands start, none of them inheriting its writer
        load_seconds = time.perf_counter() - started
        gc.freeze()  # forked children then do not copy the loaded vault's pages to collect garbage
    barrier = len(spec["commands"])  # the commands of "then" start when all before them have ended
    pending = list(enumerate(spec["commands"] + spec.get("then", [])))[::-1]
    running: dict[int, dict[str, Any]] = {}
    results = []
    while pending or running:
        while pending and len(running) < spec.get("jobs", 1) and (pending[-1][0] < barrier or not running):
            pid, record = start(*pending.pop(), folder, max(1.0, timeout - load_seconds))
            running[pid] = record
        pid, status = os.waitpid(-1, 0)
        if pid not in running:  # a process kg itself started and left behind
            continue
        result = finish(running.pop(pid), status)
        with _untraced():  # what changed while this command (or the one beside it) ran
            result["changed"] = _changes(before, snapshot(Path(vault), digests=digests))
        results.append(result)
    results.sort(key=lambda record: record["index"])
    data = {"load_seconds": load_seconds, "results": results}
    Path(spec["results"]).write_text(json.dumps(data, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
