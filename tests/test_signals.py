"""No process left behind: kg stopped by a signal while its pool parses, or while its child writes
the cache, leaves no worker, no temporary file and a cache that still gives the same answer; Ctrl-C
exits 130 with one line.

The signals are real, sent to a ``kg lint`` of a generated vault large enough to be parsed by the
process pool, at the moment its workers exist. Linux only: processes are found through ``/proc``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kg import cache as kg_cache

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate_vault  # noqa: E402

NOTES = 1500
"""Notes in the vault: well above ``kg.load.PARALLEL_NOTES``, so that a cold lint uses the pool."""
GRACE = 2.0
"""Seconds every process of kg has to be gone after its main process ends."""

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes through /proc")


def _group(pgid: int) -> list[int]:
    """The live (not zombie) processes of process group ``pgid`` (a session leader's pid)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, _ppid, group = stat.rpartition(")")[2].split()[:3]
        if int(group) == pgid and state != "Z":
            found.append(int(entry))
    return found


def _gone_within(pgid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _group(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _lint(vault: Path, cache: Path | None) -> list[str]:
    options = ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    return [sys.executable, "-m", "kg", *options, "lint", str(vault), "--format", "json"]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("signals") / "vault"
    generate_vault(root, NOTES, seed=3)
    return root


@pytest.fixture(scope="module")
def reference(vault: Path) -> str:
    """The report of a run that nothing interrupted, without a cache."""
    return subprocess.run(_lint(vault, None), capture_output=True, text=True, timeout=120, check=False).stdout


SLOW_PARSE = (
    "import sys, time\n"
    "import kg.load\n"
    "real = kg.load._read_notes\n"
    "def slow(*args):\n"
    "    time.sleep(0.1)  # every chunk of notes takes a while: the pool lives for seconds, whatever the load\n"
    "    return real(*args)\n"
    "kg.load._read_notes = slow\n"
    "from kg.cli import main\n"
    "sys.argv = ['kg', *sys.argv[1:]]\n"
    "main()\n"
)
"""``kg`` whose every chunk of notes takes 0.1 s more to read, in the pool's workers (forked, they
have the change) as in the main process: a signal sent once the pool is seen finds kg still in it,
not already at the cache-writing child that follows, however loaded the machine."""


def _stopped_in_the_pool(vault: Path, cache: Path, number: int, *, whole_group: bool) -> tuple[subprocess.Popen[str], str]:
    """Start a cold lint (with slow reads) in a session of its own, send it signal ``number`` as
    soon as its pool workers exist, wait for it to end; return it and its stderr."""
    argv = [sys.executable, "-c", SLOW_PARSE, "--cache-dir", str(cache), "lint", str(vault), "--format", "json"]
    return _stopped_once(argv, lambda pid: len(_group(pid)) >= 2, "its pool started", number, whole_group=whole_group)


def _stopped_once(argv: list[str], ready: Callable[[int], bool], moment: str, number: int, *,
                  whole_group: bool) -> tuple[subprocess.Popen[str], str]:
    """Start ``argv`` in a session of its own, send it signal ``number`` as soon as ``ready(pid)``
    (``moment`` says what that waits for), wait for it to end; return it and its stderr."""
    run = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not ready(run.pid):
        assert run.poll() is None, f"kg ended before {moment}"
        assert time.monotonic() < deadline, f"kg never reached the moment when {moment}"
        time.sleep(0.005)
    (os.killpg if whole_group else os.kill)(run.pid, number)
    try:
        _, err = run.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        raise
    return run, err


def _temporaries(cache: Path) -> list[str]:
    return sorted(path.name for path in cache.glob("*.tmp")) if cache.exists() else []


@needs_proc
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGKILL])
def test_killed_kg_leaves_no_worker_and_a_valid_cache(vault, reference, tmp_path, number):
    cache = tmp_path / "cache"
    run, err = _stopped_in_the_pool(vault, cache, number, whole_group=False)
    assert run.returncode == (143 if number == signal.SIGTERM else -signal.SIGKILL)
    assert _gone_within(run.pid, GRACE), f"processes left: {_group(run.pid)}"
    assert "Traceback" not in err
    assert _temporaries(cache) == []
    again = subprocess.run(_lint(vault, cache), capture_output=True, text=True, timeout=120, check=False)
    assert again.stdout == reference and again.returncode == 1
    assert _temporaries(cache) == []


@needs_proc
def test_ctrl_c_exits_130_with_one_line_and_no_worker(vault, reference, tmp_path):
    cache = tmp_path / "cache"
    run, err = _stopped_in_the_pool(vault, cache, signal.SIGINT, whole_group=True)  # as a terminal sends it
    assert (run.returncode, err) == (130, "kg: interrupted\n")
    assert _gone_within(run.pid, GRACE), f"processes left: {_group(run.pid)}"
    again = subprocess.run(_lint(vault, cache), capture_output=True, text=True, timeout=120, check=False)
    assert again.stdout == reference


SLOW_WRITES = (
    "import os, sys, time\n"
    "real = os.replace\n"
    "def replace(source, target):\n"
    "    time.sleep(0.2)  # a cache file stays a temporary for a while: a signal finds it there\n"
    "    real(source, target)\n"
    "os.replace = replace\n"
    "from kg.cli import main\n"
    "sys.argv = ['kg', *sys.argv[1:]]\n"
    "main()\n"
)
"""``kg`` whose every cache file takes 0.2 s to be renamed into place: the 32 note shards alone
keep the child that writes them busy for seconds."""


def _stopped_while_writing(vault: Path, cache: Path, number: int, *, whole_group: bool) -> tuple[subprocess.Popen[str], str]:
    """Start a cold lint (with slow cache writes) in a session of its own, send it signal ``number``
    as soon as its background child has a cache file half-written, wait for it to end."""
    argv = [sys.executable, "-c", SLOW_WRITES, "--cache-dir", str(cache), "lint", str(vault), "--format", "json"]

    def child_writing(pid: int) -> bool:
        return any(not name.startswith(f".kg-{pid}-") for name in _temporaries(cache))

    return _stopped_once(argv, child_writing, "its child wrote the cache", number, whole_group=whole_group)


def _assert_stopped_cleanly(run: subprocess.Popen[str], err: str, number: int, vault: Path, cache: Path,
                            reference: str) -> None:
    """kg ended as signal ``number`` says, with one line on Ctrl-C and no traceback, left no
    process and no temporary file, and its cache gives the report of an uninterrupted run."""
    assert run.returncode == {signal.SIGTERM: 143, signal.SIGKILL: -signal.SIGKILL, signal.SIGINT: 130}[number]
    assert "Traceback" not in err
    if number == signal.SIGINT:
        assert err == "kg: interrupted\n"
    assert _gone_within(run.pid, GRACE), f"processes left: {_group(run.pid)}"
    assert _temporaries(cache) == []
    again = subprocess.run(_lint(vault, cache), capture_output=True, text=True, timeout=120, check=False)
    assert again.stdout == reference and again.returncode == 1
    assert _temporaries(cache) == []


@needs_proc
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_kg_stopped_while_its_child_writes_the_cache_leaves_no_child_and_a_valid_cache(vault, reference, tmp_path, number):
    cache = tmp_path / "cache"
    run, err = _stopped_while_writing(vault, cache, number, whole_group=number == signal.SIGINT)
    _assert_stopped_cleanly(run, err, number, vault, cache, reference)


@needs_proc
def test_a_worker_whose_parent_dies_ends_without_the_kernel_s_help(tmp_path):
    """The portable fallback of :mod:`kg.workers`: a thread that watches the parent's pid."""
    script = (
        "import os, subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-c', "
        "f'from kg.workers import _watch_parent; _watch_parent({os.getpid()})'], stdout=subprocess.DEVNULL)\n"
        "print(child.pid, flush=True)\n"
        "os._exit(0)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              start_new_session=True)
    parent.communicate(timeout=30)
    assert _gone_within(parent.pid, GRACE), "the orphan is still alive"  # the group its child shares


def test_a_save_removes_the_temporary_files_of_dead_writers_only(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    folder = tmp_path / "cache"
    folder.mkdir()
    orphan, busy = folder / f".kg-{dead}-abc.tmp", folder / f".kg-{os.getpid()}-def.tmp"
    other = folder / ".kg-notapid.tmp"
    for path in (orphan, busy, other):
        path.write_bytes(b"half a pickle")
    cache = kg_cache.Cache(folder, tmp_path / "vault", kg_cache.Config())
    cache.remember("answer", "print", 1)
    cache.save()
    assert sorted(path.name for path in folder.glob("*.tmp")) == sorted([busy.name, other.name])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_on_linux_the_kernel_kills_a_worker_whose_parent_dies():
    script = (
        "import ctypes; from kg.workers import _kernel_kills_orphan\n"
        "assert _kernel_kills_orphan()\n"
        "got = ctypes.c_int(); ctypes.CDLL(None).prctl(2, ctypes.byref(got), 0, 0, 0)  # PR_GET_PDEATHSIG\n"
        "print(got.value)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True)
    assert int(done.stdout) == signal.SIGKILL


SLOW_RESOLVE = (
    "import os, sys, time\n"
    "import kg.load\n"
    "kg.load.PARALLEL_LINKS = 1\n"
    "kg.load._jobs = lambda count, jobs: 2  # a child resolves even on one core\n"
    "real = kg.load.resolve_share\n"
    "def slow(*args):\n"
    "    if os.getpid() != parent:\n"
    "        open(os.environ['KG_TEST_MARKER'], 'w').close()\n"
    "        time.sleep(30)  # the child resolves for long enough to be stopped at it, whatever the load\n"
    "    return real(*args)\n"
    "parent = os.getpid()\n"
    "kg.load.resolve_share = slow\n"
    "from kg.cli import main\n"
    "sys.argv = ['kg', *sys.argv[1:]]\n"
    "main()\n"
)
"""``kg`` whose child that resolves a share of the links says so (a marker file) and then takes 30 s."""


@needs_proc
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT])
def test_kg_stopped_while_its_child_resolves_links_leaves_no_child_and_a_valid_cache(vault, reference, tmp_path,
                                                                                     monkeypatch, number):
    cache, marker = tmp_path / "cache", tmp_path / "resolving"
    monkeypatch.setenv("KG_TEST_MARKER", str(marker))
    argv = [sys.executable, "-c", SLOW_RESOLVE, "--cache-dir", str(cache), "lint", str(vault), "--format", "json"]
    started = time.monotonic()
    run, err = _stopped_once(argv, lambda pid: marker.exists(), "its child resolved links", number,
                             whole_group=number == signal.SIGINT)
    assert time.monotonic() - started < 25, "kg waited for its child instead of stopping it"
    _assert_stopped_cleanly(run, err, number, vault, cache, reference)
