"""Pool workers that never outlive the process that started them.

A worker blocked writing its results to a parent that was killed (SIGTERM from a CI runner's
cancel, SIGKILL, a closed terminal) would wait forever. Each worker therefore dies with its parent:
on Linux the kernel sends it SIGKILL (``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread notices
that its parent changed and ends the process. Workers ignore Ctrl-C: the terminal sends SIGINT to
the whole process group, and the main process alone handles it, stopping the pool.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

__all__ = ["start_worker"]

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


def _kernel_kills_orphan() -> bool:
    """Ask Linux to send SIGKILL to this process when its parent dies; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # here: only workers need it

    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the process's own symbols, libc's among them
        return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    """End this process as soon as its parent is no longer ``parent`` (it died; init adopted us)."""
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)
