"""The ``kg`` command: parses arguments, calls one library function, formats, picks the exit code.

The group and the shared options live here; each family of commands has its own module
(``kg.cli.stats``, ``kg.cli.export``, ...), imported when one of its commands runs, and registering
its commands on import.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from functools import partial, wraps
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

import click

from kg import __version__
from kg.cache import Cache, default_cache_dir, vault_fingerprint
from kg.config import Config, find_vault_root, load_config, read_config
from kg.errors import KgError
from kg.scan import Listing, list_vault
from kg.workers import Background, in_background, resident_bytes

if TYPE_CHECKING:
    from kg.load import Loaded
    from kg.snapshot import Snapshot
    from kg.vault import Vault

__all__ = ["KgClickError", "cache_options", "cache_state", "cli", "library_errors", "load_hierarchy_or_fail", "load_or_fail",
           "main", "resolve_vault", "shared_options", "vault_option", "wait_for_writers"]

F = TypeVar("F", bound=Callable[..., Any])


class KgClickError(click.ClickException):
    """A library error shown as ``Error: ...`` with exit code 2."""

    exit_code = 2


def _meta() -> dict[str, Any]:
    context = click.get_current_context(silent=True)
    return context.meta if context is not None else {}


def config_for(root: str) -> Config:
    """The configuration a command reads the vault with: the ``--config`` file, else the vault's own."""
    named = _meta().get("kg.config")
    return read_config(Path(named)) if named else load_config(Path(root))


def note(message: str) -> None:
    """Tell the user something on stderr (``kg: ...``), unless ``--quiet``."""
    if not _meta().get("kg.quiet"):
        click.echo(f"kg: {message}", err=True)


def resolve_vault(given: str | None) -> str:
    """The vault root for a folder the user named (else ``$KG_VAULT``, else the current folder): the
    nearest folder at or above it holding ``.obsidian/`` or ``kg.toml`` (said on stderr when it is
    not the folder named), else the folder itself. Relative to the current folder, as paths are shown."""
    start = given if given is not None else os.environ.get("KG_VAULT") or "."
    if not os.path.isdir(start):
        return start  # loading it reports what is wrong
    found = find_vault_root(Path(start))
    if found is None or os.path.samefile(found, start):
        return start
    root = str(found) if os.path.isabs(start) else os.path.relpath(found)
    marker = ".obsidian/" if (found / ".obsidian").is_dir() else "a kg configuration"
    note(f"vault root is '{root}' (it holds {marker})")
    return root


def cache_dir() -> str | None:
    """The cache folder the command line asks for: ``--cache-dir``, else the default; None with
    ``--no-cache`` (or ``KG_NO_CACHE=1``)."""
    meta = _meta()
    if meta.get("kg.no_cache") or os.environ.get("KG_NO_CACHE", "") not in ("", "0"):
        return None
    return str(meta.get("kg.cache_dir") or default_cache_dir())


class _Progress:
    """``kg: reading notes 1234/10000`` on stderr, redrawn in place; only on a terminal."""

    MINIMUM = 500
    """Fewer notes than this are read too fast for a progress line to help."""

    def __call__(self, done: int, total: int) -> None:
        if total < self.MINIMUM:
            return
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\rkg: reading notes {done}/{total}{end}")
        sys.stderr.flush()


class CacheState(NamedTuple):
    """A vault's cache and the vault's fingerprint, taken before it is read."""

    cache: Cache
    fingerprint: str
    listing: Listing
    """The vault's files as the fingerprint saw them: the vault is then read as listed, not listed again."""


def cache_state(path: str) -> CacheState | None:
    """The vault's cache (unless ``--no-cache``) and its current fingerprint; None without a cache
    or a readable vault. Take it once per command: fingerprinting stats every file."""
    folder = cache_dir()
    if folder is None or not os.path.isdir(path):
        return None
    try:
        listing = list_vault(path)
        return CacheState(Cache(folder, path, config_for(path)), vault_fingerprint(path, listing), listing)
    except KgError:
        return None  # the full read reports it


def load_or_fail(path: str, state: CacheState | None | Literal["take"] = "take") -> Vault:
    """Load a vault (through the cache unless ``--no-cache``), or fail with a one-line error and
    exit code 2. With a cache, the vault's :class:`~kg.snapshot.Snapshot` is stored too; both are
    written by a child process while the command goes on (see :func:`wait_for_writers`).
    ``state`` is the :func:`cache_state` the caller already took, if it did."""
    try:
        if state == "take":
            state = cache_state(path)
        progress = _Progress() if sys.stderr.isatty() else None
        from kg.load import read_vault  # here: a query answered from the snapshot needs no parser

        loaded = read_vault(path, config_for(path) if os.path.isdir(path) else None, cache_dir=cache_dir(), progress=progress,
                            listing=state.listing if state is not None else None)
    except KgError as exc:
        raise KgClickError(str(exc)) from exc
    if not gc.isenabled():  # the kg script's collector, off until now (see main)
        gc.freeze()
        gc.enable()
    if (loaded.cache is not None and loaded.cache.enabled) or (state is not None and state[0].enabled):
        if resident_bytes() <= BACKGROUND_BUDGET:
            _WRITERS.append(in_background(partial(_save, loaded, state)))
        else:
            _save(loaded, state)
    return loaded.vault


def _save(loaded: Loaded, state: CacheState | None) -> None:
    """Write the parsed notes and the snapshot of the vault just read (in a background child)."""
    if loaded.cache is not None:
        loaded.cache.save()
    if state is not None:
        from kg.snapshot import Snapshot

        state.cache.remember("snapshot", state.fingerprint, Snapshot.of(loaded.vault))
        state.cache.save()


_WRITERS: list[Background] = []
"""The children writing the cache of a vault this command read."""

BACKGROUND_BUDGET = 512 * 2**20
"""Up to this much memory held by kg once a vault is read (a vault of about 25k notes), a child
writes the cache while the rules run; past it kg writes the cache itself first. The child's
memory grows to about as much as kg's own (CPython writes the reference count of every record it
pickles, so copy-on-write copies their pages): a 100k-note vault would be held twice."""


def wait_for_writers(*, cancel: bool = False) -> None:
    """Wait until the cache is written; with ``cancel``, stop writing it now (an interrupt).
    Either way, no child is left."""
    while _WRITERS:
        writer = _WRITERS[-1]
        if cancel:
            writer.cancel()
        else:
            writer.wait()
        _WRITERS.pop()  # only now: an interrupt while waiting still finds it to cancel


def load_hierarchy_or_fail(path: str) -> Vault | Snapshot:
    """What the hierarchy queries need: the cached snapshot while no file of the vault changed,
    else the vault itself (see :func:`load_or_fail`)."""
    state = cache_state(path)
    if state is not None:
        found = state[0].answer("snapshot", state[1])
        if found is not None:
            return found  # type: ignore[no-any-return]
    return load_or_fail(path, state)


def _remember(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def store(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value:
            ctx.meta[name] = value
        return value

    return store


def cache_options(function: F) -> F:
    """``--cache-dir DIR`` and ``--no-cache``: where parsed notes are kept between runs."""
    function = click.option(
        "--no-cache",
        is_flag=True,
        expose_value=False,
        callback=_remember("kg.no_cache"),
        help="Read every note afresh and write no cache.",
    )(function)
    function = click.option(
        "--cache-dir",
        type=click.Path(file_okay=False),
        expose_value=False,
        callback=_remember("kg.cache_dir"),
        help="Cache folder [default: $KG_CACHE_DIR, else ~/.cache/kg].",
    )(function)
    return function


def _colour(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from kg.cli.output import wants_colour

    ctx.color = wants_colour(value)
    return value


def shared_options(function: F) -> F:
    """What every command takes: ``--config PATH``, ``--color``, and the cache options."""
    function = click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        expose_value=False,
        callback=_colour,
        help="Colour the output; auto: on a terminal, unless NO_COLOR is set or TERM=dumb (FORCE_COLOR forces it).",
    )(function)
    function = click.option(
        "--config",
        type=click.Path(dir_okay=False, exists=True),
        expose_value=False,
        callback=_remember("kg.config"),
        help="Read the configuration from this file instead of the vault's kg.toml.",
    )(function)
    return cache_options(function)


def vault_option(function: F) -> F:
    """The vault, as ``[VAULT]`` after the other arguments or as ``--vault PATH`` (default
    ``$KG_VAULT``, else the current folder; see :func:`resolve_vault`); and the shared options.
    The command receives the root as ``vault_path``."""

    @wraps(function)
    def run(*args: Any, vault_positional: str | None, vault_named: str | None, **kwargs: Any) -> Any:
        if vault_positional is not None and vault_named is not None and vault_positional != vault_named:
            raise click.UsageError(f"two vaults given, '{vault_positional}' and --vault '{vault_named}'; give one")
        return function(*args, vault_path=resolve_vault(vault_positional or vault_named), **kwargs)

    run = click.argument("vault_positional", metavar="[VAULT]", required=False, type=click.Path(file_okay=False))(run)
    run = click.option(
        "--vault",
        "vault_named",
        type=click.Path(file_okay=False),
        default=None,
        help="The vault folder (or give it as VAULT)  [default: $KG_VAULT, else the folder holding .obsidian/ or kg.toml at or above the current one].",
    )(run)
    return shared_options(run)  # type: ignore[arg-type]


def library_errors(function: F) -> F:
    """Turn a KgError raised by a command into a one-line error with exit code 2."""

    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except KgError as exc:
            raise KgClickError(str(exc)) from exc

    return run  # type: ignore[return-value]


_MODULES = {
    "lint": "lint",
    "rules": "lint",
    "stats": "stats",
    "export": "export",
    "mv": "write",
    **dict.fromkeys(
        ("ancestors", "backlinks", "children", "descendants", "find", "links", "parents", "path", "roots", "show",
         "siblings", "tree"),
        "query",
    ),
}
"""Command -> the module of ``kg.cli`` that defines it, imported when the command is used, so that a
query does not pay for importing the linter and the exporters."""


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _MODULES:
            importlib.import_module(f"kg.cli.{_MODULES[cmd_name]}")  # registers its commands
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a bug in kg ends as one line and exit code 2, never a traceback
        (``KG_DEBUG=1`` shows the traceback)."""
        try:
            return self._invoke_and_wait(ctx)
        except KeyboardInterrupt:  # Ctrl-C: the pool is stopped and the cache intact by now
            wait_for_writers(cancel=True)
            click.echo("kg: interrupted", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KgError as exc:
            raise KgClickError(str(exc)) from exc
        except Exception as exc:
            if os.environ.get("KG_DEBUG"):
                raise
            message = " ".join(str(exc).split())[:300]
            raise KgClickError(f"internal error: {type(exc).__name__}: {message} (KG_DEBUG=1 shows where)") from exc

    def _invoke_and_wait(self, ctx: click.Context) -> Any:
        """Run the command, then wait for the cache it writes (its output is out by then; a
        command usually ends by raising SystemExit). Ctrl-C is left to :meth:`invoke`, which stops
        the writing instead."""
        try:
            result = super().invoke(ctx)
        except KeyboardInterrupt:
            raise
        except BaseException:
            wait_for_writers()
            raise
        wait_for_writers()
        return result


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@cache_options
def cli() -> None:
    """Read, check and explore an Obsidian-style Markdown vault as a graph."""


INTERRUPTED = 128 + signal.SIGINT
"""The exit code after Ctrl-C, as shells report a process that SIGINT ended."""


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM (a CI runner's cancel or timeout): stop writing the cache, and unwind like an exit,
    so that the pool is stopped and no half-written cache file stays behind."""
    wait_for_writers(cancel=True)
    raise SystemExit(128 + signum)


def main() -> None:
    """Entry point of the ``kg`` script."""
    signal.signal(signal.SIGTERM, _terminate)
    # kg builds a million small records that never form reference cycles: the collector's default
    # of a pass per 700 new objects would spend a second of a 10k-note lint finding nothing. It is
    # off until the vault is read; load_or_fail then freezes what was read, so that the collector's
    # first pass does not walk every record of the vault (2.5 s at 100k notes), and turns it on.
    gc.set_threshold(100_000, 50, 1000)
    gc.disable()
    cli(prog_name="kg")

