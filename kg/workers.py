"""Pool workers and background writers that never outlive the process that started them.

A worker blocked writing its results to a parent that was killed (SIGTERM from a CI runner's
cancel, SIGKILL, a closed terminal) would wait forever. Each worker therefore dies with its parent:
on Linux the kernel sends it SIGKILL (``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread notices
that its parent changed and ends the process. Workers ignore Ctrl-C: the terminal sends SIGINT to
the whole process group, and the main process alone handles it, stopping the pool.

A :class:`Background` child (forked, sharing the parent's memory copy-on-write) runs one function
while the parent goes on, for example writing the cache while the rules run. It dies with its
parent too, but through SIGTERM, which it turns into an orderly exit: a file it was writing is
removed, not left behind half-written. An :class:`Answer` is such a child that also sends back
what its function returned, for example the resolutions of a share of a vault's links.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Generic, TypeVar

T = TypeVar("T")

__all__ = ["Answer", "Background", "in_background", "in_child", "interrupts_deferred", "resident_bytes", "start_worker"]

PR_SET_PDEATHSIG = 1
"""The ``prctl`` option that asks the kernel for a signal when the parent dies (``linux/prctl.h``)."""
POLL_SECONDS = 0.25
"""How often the portable fallback checks that the parent is still there."""


def start_worker(parent: int) -> None:
    """Set up a pool worker (a ``ProcessPoolExecutor`` initializer) whose parent has pid ``parent``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _kernel_kills_orphan():
        threading.Thread(target=_watch_parent, args=(parent,), name="kg-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the worker could ask to die with it
        os._exit(1)


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM inside this block take effect at its end, not inside it.

    The exception either raises in the middle of starting a process pool leaves half-made objects
    behind: ``multiprocessing``'s finalizers print a traceback when kg exits, and a pool whose
    manager thread was never started fails to shut down ("cannot join thread before it is
    started"), which kg would report as an internal error.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda got, frame: caught.append(got)) for number in _DEFERRED}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for got in dict.fromkeys(caught):
            held = previous[signal.Signals(got)]
            if callable(held):
                held(got, None)  # Python's own SIGINT handler raises KeyboardInterrupt; kg's SIGTERM one exits
            elif held == signal.SIG_DFL:
                signal.raise_signal(got)


_DEFERRED = (signal.SIGINT, signal.SIGTERM)
"""The signals :func:`interrupts_deferred` holds back."""


def _kernel_kills_orphan(number: int = signal.SIGKILL) -> bool:
    """Ask Linux to send signal ``number`` to this process when its parent dies; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here: only workers need it

    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the process's own symbols, libc's among them
        return bool(libc.prctl(PR_SET_PDEATHSIG, number, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, number: int | None = None) -> None:
    """End this process as soon as its parent is no longer ``parent`` (it died; init adopted us):
    at once, or by sending itself signal ``number``, whose handler ends it in order."""
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    if number is None:
        os._exit(1)
    os.kill(os.getpid(), number)


class Background:
    """A child process running one function; see :func:`in_background`.

    Parameters
    ----------
    pid : int or None
        The child's pid; None when the function already ran in this process.
    """

    __slots__ = ("pid",)

    def __init__(self, pid: int | None):
        self.pid = pid

    def wait(self) -> None:
        """Wait for the child to finish its work (at once if there is none)."""
        if self.pid is not None:
            _reap(self.pid)
            self.pid = None

    def cancel(self) -> None:
        """Stop the child now (it removes what it was writing) and wait for it to be gone."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        _reap(self.pid)
        self.pid = None


def in_background(work: Callable[[], object]) -> Background:
    """Run ``work`` in a forked child while this process goes on; in this process where there
    is no ``fork`` (or no process to be had). The child shares this process's memory as it was
    (copy-on-write), ignores Ctrl-C (its parent handles it and cancels it), ends on SIGTERM or
    when its parent dies, and never runs its parent's exit handlers. What ``work`` raises ends it
    quietly: it must keep its own results safe (write files atomically)."""
    pid = _fork(work) if getattr(os, "fork", None) is not None else None
    if pid is None:
        work()
    return Background(pid)


def _fork(work: Callable[[], object]) -> int | None:
    """Fork a child that runs ``work`` (see :func:`_run_child`): its pid, or None if there is no
    process to be had."""
    parent = os.getpid()
    # no signal between the fork and the child's own handlers: it would run the parent's
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HANDLED)
    try:
        pid = os.fork()
        if pid == 0:
            _run_child(parent, work, mask)
    except OSError:
        return None
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    return pid


class Answer(Generic[T]):
    """What a function run in a forked child returns; see :func:`in_child`."""

    __slots__ = ("_child", "_pipe", "_value")

    def __init__(self, child: Background, pipe: int | None, value: T | None = None):
        self._child = child
        self._pipe = pipe
        self._value = value

    def result(self) -> T | None:
        """The function's result, waiting for it; None if the child gave none (the function
        raised, or the child was killed). Stops the child if the wait is interrupted."""
        if self._pipe is None:
            return self._value
        chunks = []
        try:
            with open(self._pipe, "rb", closefd=True) as pipe:
                self._pipe = None
                chunks = list(iter(lambda: pipe.read(1 << 20), b""))
            self._child.wait()
        except BaseException:
            self.cancel()
            raise
        try:
            self._value = pickle.loads(b"".join(chunks)) if chunks else None
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            self._value = None  # cut short: the child died while it wrote
        return self._value

    def cancel(self) -> None:
        """Stop the child now, if it still runs, and forget its answer."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        self._child.cancel()


def in_child(work: Callable[[], T]) -> Answer[T]:
    """Run ``work`` in a forked child, as :func:`in_background` does, and send back what it
    returns (pickled through a pipe): the parent goes on and takes it with :meth:`Answer.result`.
    Where there is no ``fork``, ``work`` runs here and now."""
    if getattr(os, "fork", None) is None:
        return Answer(Background(None), None, work())
    read, write = os.pipe()

    def send() -> None:
        os.close(read)
        data = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
        with open(write, "wb", closefd=True) as pipe:
            pipe.write(data)

    try:
        child = _fork(send)
    except BaseException:
        os.close(read)
        os.close(write)
        raise
    if child is None:  # no process to be had
        os.close(read)
        os.close(write)
        return Answer(Background(None), None, work())
    os.close(write)
    return Answer(Background(child), read)


_HANDLED = {signal.SIGINT, signal.SIGTERM}
"""The signals whose handlers differ between kg's main process and a background child."""


def _run_child(parent: int, work: Callable[[], object], mask: Iterable[int]) -> None:
    """The forked child's whole life: never returns."""
    code = 1
    try:
        gc.disable()  # a collection would touch every object, copying the parent's pages
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, _stop)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if not _kernel_kills_orphan(signal.SIGTERM):
            threading.Thread(target=_watch_parent, args=(parent, signal.SIGTERM), name="kg-parent-watch",
                             daemon=True).start()
        if os.getppid() == parent:  # else the parent died before the child could ask to die with it
            work()
            code = 0
    except BaseException:  # noqa: BLE001  (the parent goes on without what the child was to do)
        pass
    finally:
        os._exit(code)


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM in a background child: unwind (removing a half-written file), then exit."""
    raise SystemExit(128 + signum)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # already reaped
        pass


def resident_bytes() -> int:
    """The memory this process holds now (its resident set), in bytes; its peak where the
    current figure cannot be read (no ``/proc``)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    import resource  # here: not on Windows, where the cache is written in process anyway

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)  # bytes on macOS, KiB elsewhere
