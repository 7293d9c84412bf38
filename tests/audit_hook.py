"""An audit hook (PEP 578) for kg under test: it logs what a process opens, lists and runs, and it
makes chosen files fail to open, as if unreadable or deleted after kg listed them.

Importing this module does nothing. :func:`site_folder` writes a ``sitecustomize.py`` that calls
:func:`install` in every Python process started with that folder on ``PYTHONPATH``, so worker
processes kg may start are traced as well as the one a test starts. :func:`install` reads:

``KG_AUDIT_LOG``
    A file to append one JSON line per event to: ``[event, path as given, real path, pid]``.
``KG_AUDIT_DENY``
    Absolute paths, separated by ``os.pathsep``, whose ``open()`` fails with EACCES. This is a file
    without read permission even for root, who may read a file of mode 000.
``KG_AUDIT_VANISH``
    Absolute paths whose ``open()`` fails with ENOENT: a file deleted between the scan and the read.
``KG_AUDIT_DELETE``
    Absolute paths that are really deleted when a process first tries to open them (so the open
    fails as it would if another program deleted the file at that moment).
"""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path

__all__ = ["PATH_EVENTS", "RUN_EVENTS", "install", "paused", "read_log", "site_folder"]

PATH_EVENTS = frozenset({"open", "os.scandir", "os.listdir", "glob.glob", "shutil.copyfile", "shutil.copytree"})
"""Events whose first argument is a path that the process reads (or opens to write)."""

RUN_EVENTS = frozenset({"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "pty.spawn"})
"""Events that start another program."""

_state = {"paused": False}


class paused:
    """``with paused():`` the hook neither logs nor refuses (the test's own reads in the traced process)."""

    def __enter__(self) -> None:
        _state["paused"] = True

    def __exit__(self, *exc: object) -> None:
        _state["paused"] = False


def _paths(name: str) -> frozenset[str]:
    return frozenset(p for p in os.environ.get(name, "").split(os.pathsep) if p)


def _as_path(value: object) -> str | None:
    """An event's path argument as an absolute str, or None for a file descriptor or nothing."""
    if value is None or isinstance(value, int):
        return None
    try:
        text = os.fsdecode(os.fspath(value))  # type: ignore[arg-type]
    except TypeError:
        return None
    return os.path.abspath(text)


def install() -> None:
    """Add the hook if any ``KG_AUDIT_*`` variable is set (idempotent within a process)."""
    log, deny, vanish = os.environ.get("KG_AUDIT_LOG"), _paths("KG_AUDIT_DENY"), _paths("KG_AUDIT_VANISH")
    delete = _paths("KG_AUDIT_DELETE")
    if not (log or deny or vanish or delete) or _state.get("installed"):
        return
    _state["installed"] = True
    handle = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600) if log else None

    def hook(event: str, args: tuple[object, ...]) -> None:
        if _state["paused"] or (event not in PATH_EVENTS and event not in RUN_EVENTS):
            return
        if event in RUN_EVENTS:
            path = os.fsdecode(os.fspath(args[0])) if args and isinstance(args[0], (str, bytes, os.PathLike)) else repr(args)
            real = path
        else:
            path = _as_path(args[0] if args and args[0] is not None else ".") or ""
            if not path:
                return
            real = os.path.realpath(path)
        if handle is not None:
            line = json.dumps([event, path, real, os.getpid()], ensure_ascii=True) + "\n"
            os.write(handle, line.encode("ascii"))
        if event == "open" and path in deny:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        if event == "open" and path in vanish:
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), path)
        if event == "open" and path in delete and os.path.lexists(path):
            os.unlink(path)

    sys.addaudithook(hook)


def site_folder(folder: Path) -> Path:
    """Write ``folder/sitecustomize.py``, which installs this hook; put ``folder`` on ``PYTHONPATH``."""
    folder.mkdir(parents=True, exist_ok=True)
    here = Path(__file__).resolve()
    (folder / "sitecustomize.py").write_text(
        "import importlib.util, sys\n"
        f"_spec = importlib.util.spec_from_file_location('audit_hook', {str(here)!r})\n"
        "_module = importlib.util.module_from_spec(_spec)\n"
        "sys.modules['audit_hook'] = _module\n"
        "_spec.loader.exec_module(_module)\n"
        "_module.install()\n",
        encoding="utf-8",
    )
    return folder


def read_log(path: Path) -> list[tuple[str, str, str, int]]:
    """The events a log holds, in order."""
    if not path.exists():
        return []
    return [tuple(json.loads(line)) for line in path.read_text(encoding="ascii").splitlines()]  # type: ignore[misc]
