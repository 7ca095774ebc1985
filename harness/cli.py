"""The ``portal-harness`` command line: ``serve`` the portals, control ``world``s of a running
server, ``run`` the acceptance suite, list its ``steps``, ``report merge`` the reports of shards.

Exit codes (the README's CLI section): 0 success; 1 failure (a refusal, a server that cannot be
reached, failed scenarios, a refused ``set-clock``); 2 wrong usage; 3 ``serve`` cannot listen on its
ports (busy, or not allowed). Output cut short by its reader (``| head``) ends the command quietly
with the code it would have had.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portals import __version__
from portals.portal_spec import DEFAULT_BASE_PORT, PortalSpec
from portals.specs import EXTRA_PORTALS_VARIABLE, PORTAL_SPECS, portal_specs, spec_for

if TYPE_CHECKING:
    from portals.web.journal import JournalBudget

DEFAULT_URL = os.environ.get("PORTAL_HARNESS_URL", f"http://127.0.0.1:{spec_for('azure').port()}")


#: ``serve`` could not listen on its ports (distinct from 2, wrong usage).
EXIT_CANNOT_LISTEN = 3


class UsageError(Exception):
    """Wrong usage: exit code 2 with a message saying what to do."""


class Refused(Exception):
    """The command refuses to do something harmful unless told to: exit code 1, saying why."""


class LocalFailure(Exception):
    """A local file failed while the command ran (a full disk): exit code 1, naming the file."""


class CannotListen(Exception):
    """``serve`` cannot bind its ports: exit code 3 (``EXIT_CANNOT_LISTEN``)."""


def _os_problem(error: OSError) -> str:
    """An OS error on a local file as one line: the path and the system's reason."""
    where = f"{error.filename}: " if error.filename else ""
    return f"{where}{error.strerror or error}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- serve -------------------------------------------------------------------------------------------
def _serve_specs(refs: list[str] | None) -> tuple[PortalSpec, ...]:
    """The portals ``serve`` runs: the project's, ``$PORTAL_HARNESS_PORTALS``, then ``--portal``."""
    try:
        return portal_specs(refs or ())
    except (ValueError, ImportError, AttributeError) as error:
        raise UsageError(f"--portal / ${EXTRA_PORTALS_VARIABLE}: {error}") from None


def _port_dest(spec: PortalSpec) -> str:
    return f"port_{spec.key}"


#: The highest TCP port.
MAX_PORT = 65535


def _port_number(text: str) -> int:
    """A TCP port, 0 to 65535 (0: the system picks a free one), for argparse."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"{text!r}: a port from 0 to {MAX_PORT} (0 picks a free port)")
    return number


def _serve_ports(args: argparse.Namespace, specs: tuple[PortalSpec, ...]) -> dict[str, int]:
    """Each portal's port: its ``--<alias>-port``, else ``--base-port`` plus its offset (0: free
    ports). ``UsageError`` when a base port plus an offset passes 65535."""
    ports: dict[str, int] = {}
    for spec in specs:
        explicit = getattr(args, _port_dest(spec), None)
        if explicit is not None:
            ports[spec.key] = explicit
        elif not args.base_port:
            ports[spec.key] = 0
        elif spec.port(args.base_port) > MAX_PORT:
            highest = MAX_PORT - max(
                s.port_offset for s in specs if getattr(args, _port_dest(s), None) is None
            )
            raise UsageError(
                f"--base-port {args.base_port}: {spec.title} would be on port {spec.port(args.base_port)} "
                f"(the base port +{spec.port_offset}), past {MAX_PORT}; give a base port from 1 to "
                f"{highest}, or 0 for free ports"
            )
        else:
            ports[spec.key] = spec.port(args.base_port)
    return ports


def cmd_serve(args: argparse.Namespace) -> int:
    from harness.stack import PortalStack
    from portals.backend import DEFAULT_WORLD, Refusal, WorldRegistry

    specs = _serve_specs(args.portal)
    ports = _serve_ports(args, specs)
    _check_ports_free(args.host, ports)  # before a state file or anything else is made
    token = args.control_token
    if not _is_loopback(args.host) and not token:
        import secrets

        token = secrets.token_urlsafe(16)
    ttl = _world_ttl(args.world_ttl)
    try:
        document = None
        if args.seed:
            from portals.backend import load_document_file

            document = load_document_file(args.seed)
        registry = WorldRegistry(document)
    except Refusal as refusal:
        raise UsageError(f"--seed {args.seed}: {refusal.message()}") from None
    store = None
    existed = set()
    if args.state_file:
        from harness.state_file import StateFileError, open_state_file

        given = Path(args.state_file)
        existed = {path for path in (given, given.with_suffix(".sqlite")) if path.exists()}
        try:
            store = open_state_file(args.state_file, args.state_sync)
        except StateFileError as error:
            raise UsageError(f"--state-file: {error}; refused, the file is left as it was") from None
        print(f"restored {len(store.worlds)} world(s) from {store.path}", flush=True)
        store.attach(registry)  # from here on, every change is committed before it is answered
    if args.error_mode:
        registry.get(DEFAULT_WORLD).set_azure_link_mode(args.error_mode)

    stack = PortalStack(
        "live",
        registry,
        host=args.host,
        ports=ports,
        control_token=token,
        specs=specs,
        journal_budget=_journal_budget(args),
        threads=args.threads,
    )
    try:
        stack.start()
    except OSError as error:
        if store is not None:
            store.close()
            if store.path not in existed:  # made by this serve, holding nothing yet: not left behind
                for made in (store.path, Path(f"{store.path}-wal"), Path(f"{store.path}-shm")):
                    made.unlink(missing_ok=True)
        raise CannotListen(_cannot_listen(args.host, error)) from None
    _print_urls(stack, token)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if ttl is not None:
        threading.Thread(target=_expire_idle_worlds, args=(registry, ttl, stop), daemon=True).start()
    try:
        stop.wait()
    finally:
        stack.stop()
        if store is not None:
            store.close()
        print("portal-harness: stopped", flush=True)
    return 0


def _cannot_listen(host: str, error: OSError) -> str:
    return (
        f"cannot listen on {host}: {error.strerror or error}; another server may hold these ports "
        "(a portal-harness serve already running?): stop it, or pick others with --base-port "
        "(0 picks free ports)"
    )


def _check_ports_free(host: str, ports: dict[str, int]) -> None:
    """Bind each chosen port for a moment (as the servers will, with ``SO_REUSEADDR``), so a busy
    or forbidden port is said before a state file is opened or created. ``CannotListen``."""
    import errno
    import socket

    for port in sorted({port for port in ports.values() if port}):
        try:
            family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(address)
                probe.listen()
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                error = OSError(errno.EADDRINUSE, f"port {port} on {host} is already in use")
            raise CannotListen(_cannot_listen(host, error)) from None


def _journal_budget(args: argparse.Namespace) -> JournalBudget:
    """``--journal-entries``, ``--journal-bytes`` and ``--journal-per-world`` as a budget."""
    from portals.web.journal import JournalBudget

    default = JournalBudget()
    return JournalBudget(
        per_world=args.journal_per_world or default.per_world,
        entries=args.journal_entries or default.entries,
        bytes=args.journal_bytes or default.bytes,
    )


def _positive_count(text: str) -> int:
    """A whole number of at least 1, for argparse."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a whole number of at least 1")
    return int(text)


def _byte_size(text: str) -> int:
    """``65536``, ``512K``, ``64M`` or ``1G`` as bytes (at least 1 MiB), for argparse."""
    units = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
    number, unit = text[:-1] if text[-1:].upper() in "KMG" else text, text[-1:].upper()
    unit = unit if unit in ("K", "M", "G") else ""
    if not number.isdigit() or len(number) > 12:
        raise argparse.ArgumentTypeError(f"{text!r}: a size such as 64M, 512K or 1G")
    size = int(number) * units[unit]
    if size < 1024**2:
        raise argparse.ArgumentTypeError(f"{text!r}: at least 1M")
    return size


def _world_ttl(text: str | None) -> float | None:
    """``--world-ttl``: an ISO-8601 duration (``PT30M``, ``P1D``) in seconds, or None (off)."""
    if text is None:
        return None
    from portals.backend import Refusal
    from portals.backend.clock import parse_duration

    try:
        seconds = parse_duration(text).total_seconds()
    except Refusal as refusal:
        raise UsageError(f"--world-ttl: {refusal.message()}") from None
    if seconds < 1:
        raise UsageError("--world-ttl: at least one second (PT1S)")
    return seconds


def _expire_idle_worlds(registry: Any, ttl: float, stop: threading.Event) -> None:
    """Every so often (a quarter of the TTL, at most a minute) drop the worlds idle for ``ttl``."""
    while not stop.wait(min(ttl / 4, 60.0)):
        expired = registry.expire(ttl)
        if expired:
            print(f"expired {len(expired)} idle world(s): {', '.join(expired)}", flush=True)


def _print_urls(stack: Any, token: str | None) -> None:
    """One line naming every portal's base URL (for programs), then each portal's start page."""
    print(
        f"portal-harness {__version__} serving " + " ".join(f"{k}={u}" for k, u in stack.urls.items()),
        flush=True,
    )
    for key, url in stack.urls.items():
        spec = stack.specs[key]
        print(f"  {spec.title:24} {url}{spec.start_page}")
    first = next(iter(stack.urls.values()))
    print(f"  {'world dashboard':24} {first}/_harness/")
    print(f"  {'control API':24} {first}/_harness/health")
    if token:
        print(f"  control token: {token} (send it as X-Harness-Token)")
    print("Press Ctrl-C to stop.", flush=True)


# --- world verbs -------------------------------------------------------------------------------------
def _control(args: argparse.Namespace) -> Any:
    from harness.control_client import ControlClient

    return ControlClient(args.url, args.token)


def _show(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False) if not isinstance(value, str) else value)


def _check_output(output: str | None) -> None:
    """``-o FILE`` names a file that can be written (its folder exists, it is not a folder):
    checked before the server is asked, else ``UsageError`` (exit 2)."""
    if not output:
        return
    path = Path(output)
    if path.is_dir():
        raise UsageError(f"-o {output}: a folder, not a file")
    if not path.parent.is_dir():
        raise UsageError(f"-o {output}: the folder {path.parent} does not exist")


def _write_or_print(value: Any, output: str | None) -> None:
    """JSON to ``output``, else printed. A file that cannot be opened is wrong usage (exit 2); one
    that fails while written (a full disk, ``/dev/full``) a failure (exit 1); both name the path."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    if not output:
        print(text)
        return
    try:
        handle = open(output, "w", encoding="utf-8")  # noqa: SIM115 (closed by the with below)
    except OSError as error:
        raise UsageError(f"-o {output}: cannot be written ({error.strerror})") from None
    try:
        with handle:
            handle.write(text + "\n")
    except OSError as error:
        raise LocalFailure(f"-o {output}: writing failed ({error.strerror})") from None
    print(f"wrote {output}")


def cmd_world(args: argparse.Namespace) -> int:
    from portals.backend import DEFAULT_WORLD, Refusal, load_document_file

    control = _control(args)
    verb = args.verb
    _check_output(getattr(args, "output", None))
    if verb == "create":
        try:
            document = load_document_file(args.seed_file) if args.seed_file else None
        except Refusal as refusal:
            raise UsageError(refusal.message()) from None
        _show(control.create_world(args.name, document))
    elif verb == "list":
        for world in control.worlds():
            mode, count = world["azure_link_mode"], world["requests"]
            print(f"{world['name']:24} {world['now']}  mode={mode}  requests={count}")
    elif verb == "show":
        _show(control.world_state(args.name))
    elif verb == "advance":
        _show(control.advance_clock(args.name, args.by))
    elif verb == "set-clock":
        if not args.force:
            _refuse_going_back(control.world_state(args.name), args.to)
        _show(control.set_clock(args.name, args.to))
    elif verb == "mode":
        _show(control.settings(args.name, azure_link_mode=args.mode))
    elif verb == "delay":
        _show(control.settings(args.name, activation_delay=args.delay))
    elif verb == "reset":
        _show(control.reset_world(args.name))
    elif verb == "delete":
        control.delete_world(args.name)
        if args.name == DEFAULT_WORLD:  # the server resets it: the default world always exists
            print(f"reset {args.name} (the default world always exists: it cannot be deleted)")
        else:
            print(f"deleted {args.name}")
    elif verb == "snapshot":
        _write_or_print(control.snapshot(args.name), args.output)
    elif verb == "restore":
        from portals.backend.inputs import load_json

        try:
            snapshot = load_json(Path(args.file).read_bytes(), what="the snapshot")
        except OSError as error:
            raise UsageError(f"{args.file}: cannot be read ({error.strerror})") from None
        except Refusal as refusal:
            raise UsageError(f"{args.file}: {refusal.params['detail']}") from None
        _show(control.restore(args.name, snapshot))
    elif verb == "har":
        _write_or_print(control.har(args.name, keep_secrets=args.keep_secrets), args.output)
    return 0


def _instant(text: str) -> datetime:
    """An ISO-8601 date or time (``2021-06-01``, ``2021-06-01T09:00:00Z``), UTC when it names no zone."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{text!r} is not an ISO-8601 date or time such as 2021-06-01T09:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _refuse_going_back(world: dict[str, Any], to: str) -> None:
    """``set-clock`` to before a contract's start would leave the world's contracts, their incidents
    and requests dated in its future: refused, saying why, unless ``--force``."""
    target = _instant(to)
    starts = []
    for contract in world.get("state", {}).get("contracts", {}).values():
        start = contract.get("start") or contract.get("requested_at")
        if start and _instant(start) > target:
            starts.append((_instant(start), contract))
    if not starts:
        return
    start, contract = max(starts, key=lambda item: item[0])
    raise Refused(
        f"world set-clock: {to} is before the start of contract {contract.get('contract_id')} "
        f"({contract.get('organisation') or contract.get('kind')}, started "
        f"{start.isoformat().replace('+00:00', 'Z')}). The "
        "world would hold a contract, and the incidents, associations and requests made under it, "
        "dated after its own clock, and rules that compare dates (a contract's term, expiry) would "
        "judge a contract that has not started yet. Pass --force to set the clock there anyway, or "
        "'world reset' to go back to the seed."
    )


# --- run, steps, report ------------------------------------------------------------------------------
LATEST_RUN = "latest"


def cmd_run(args: argparse.Namespace) -> int:
    from harness.runner import run

    if args.jobs < 1:
        raise UsageError("--jobs takes a number of processes, 1 or more")
    return run(args)


def cmd_steps(args: argparse.Namespace) -> int:
    from harness.runner import INSTALL_SUITE, behave_missing
    from harness.steps_catalog import suite_root, write_catalog

    if behave_missing():
        raise UsageError(f"portal-harness steps reads the step definitions with behave: {INSTALL_SUITE}")
    root = suite_root()
    if root is None:
        raise UsageError("no steps/ and environment.py here: run it in a checkout of portal-harness")
    ok, message = write_catalog(root, check=args.check)
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def cmd_report_merge(args: argparse.Namespace) -> int:
    from harness.merge import MergeError, merge_reports

    try:
        text, ok = merge_reports([Path(folder) for folder in args.folders], Path(args.out))
    except MergeError as error:
        raise UsageError(f"report merge: {error}") from None
    except OSError as error:
        raise LocalFailure(f"report merge: {_os_problem(error)}") from None
    print(text)
    print(f"Report: {Path(args.out) / 'report.html'}")
    return 0 if ok else 1


# --- parser ------------------------------------------------------------------------------------------
def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line; ``serve`` has a ``--<alias>-port`` flag for every portal, including those
    ``--portal`` in ``argv`` or ``$PORTAL_HARNESS_PORTALS`` add."""
    parser = argparse.ArgumentParser(
        prog="portal-harness",
        description="Emulated Partner Center, Support for Business and Azure portal for integration tests.",
    )
    parser.add_argument("--version", action="version", version=f"portal-harness {__version__}")
    verbs = parser.add_subparsers(dest="command", metavar="COMMAND")

    specs = _flag_specs(argv)
    serve = verbs.add_parser("serve", help="serve the portals on loopback ports until Ctrl-C")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    offsets = ", ".join(f"{spec.title} +{spec.port_offset}" for spec in specs)
    serve.add_argument(
        "--base-port",
        type=_port_number,
        default=DEFAULT_BASE_PORT,
        help=f"each portal on this port plus its offset: {offsets} "
        f"(default {DEFAULT_BASE_PORT}; 0 picks free ports)",
    )
    for spec in specs:
        serve.add_argument(
            spec.port_flag,
            type=_port_number,
            dest=_port_dest(spec),
            metavar="PORT",
            help=f"{spec.title}'s port (overrides --base-port)",
        )
    serve.add_argument(
        "--portal",
        action="append",
        metavar="MODULE:SPEC",
        help=f"serve one more portal, declared by the PortalSpec at MODULE:SPEC (repeatable; "
        f"${EXTRA_PORTALS_VARIABLE} takes a comma-separated list too)",
    )
    serve.add_argument("--seed", metavar="FILE", help="seed document (YAML/JSON) for the default world")
    serve.add_argument(
        "--state-file",
        metavar="FILE",
        help="keep every world in FILE, an SQLite database, across restarts (a JSON state file of "
        "earlier versions is migrated once to FILE with the suffix .sqlite)",
    )
    serve.add_argument(
        "--state-sync",
        choices=("full", "normal"),
        default="full",
        help="SQLite's synchronous setting for --state-file: full (default) also survives power loss, "
        "normal survives a killed process only",
    )
    serve.add_argument(
        "--world-ttl",
        metavar="DURATION",
        help="drop worlds no request has named for this long, e.g. PT30M or P1D (never default; "
        "default: worlds never expire)",
    )
    serve.add_argument(
        "--journal-entries",
        type=_positive_count,
        metavar="N",
        help="journal entries kept across all worlds; the oldest go first (default 20000)",
    )
    serve.add_argument(
        "--journal-bytes",
        type=_byte_size,
        metavar="SIZE",
        help="bytes of journal kept across all worlds, e.g. 64M or 1G; the oldest entries go first "
        "(default 64M)",
    )
    serve.add_argument(
        "--journal-per-world",
        type=_positive_count,
        metavar="N",
        help="journal entries kept per world (default 5000)",
    )
    serve.add_argument(
        "--threads",
        type=_positive_count,
        metavar="N",
        help="worker threads serving the portals' requests, held each by a fault rule's latency "
        "while it sleeps; the control API and the dashboard have threads of their own (default 32)",
    )
    serve.add_argument(
        "--error-mode", choices=("spurious", "diagnostic"), help="the default world's Azure link mode"
    )
    serve.add_argument(
        "--control-token", help="token the control API requires (generated when not on loopback)"
    )
    serve.set_defaults(func=cmd_serve)

    world = verbs.add_parser(
        "world",
        help="control the worlds of a running 'portal-harness serve'",
        description="Control the worlds of a running 'portal-harness serve'. --url and --token may "
        "come before or after the verb.",
    )
    world.add_argument("--url", default=DEFAULT_URL, help=f"any portal of the server (default {DEFAULT_URL})")
    world.add_argument(
        "--token", default=os.environ.get("PORTAL_HARNESS_TOKEN"), help="control token, if any"
    )
    # the same options after the verb; SUPPRESS keeps a value given before the verb
    server = argparse.ArgumentParser(add_help=False)
    server.add_argument("--url", default=argparse.SUPPRESS, help="any portal of the server")
    server.add_argument("--token", default=argparse.SUPPRESS, help="control token, if any")
    world_verbs = world.add_subparsers(dest="verb", metavar="VERB", required=True)

    def verb(name: str, text: str) -> argparse.ArgumentParser:
        return world_verbs.add_parser(name, help=text, description=text, parents=[server])

    def named(name: str, text: str) -> argparse.ArgumentParser:
        parser = verb(name, text)
        parser.add_argument("name", help="the world's name ('default' is the world serve starts with)")
        return parser

    create = verb("create", "create a world, empty or from a seed file")
    create.add_argument("--name", help="world name (default: generated)")
    create.add_argument("--seed-file", help="seed document (YAML/JSON)")
    verb("list", "list the worlds")
    named("show", "show a world's state")
    named("reset", "reset a world to its seed, or to the snapshot last restored into it")
    named("delete", "delete a world ('default' cannot be deleted: it is reset, and the command says so)")
    advance = named("advance", "advance a world's clock, e.g. P3D")
    advance.add_argument("by", help="ISO-8601 duration such as P3D or PT12H")
    set_clock = named(
        "set-clock",
        "set a world's clock; refused before a contract's start unless --force",
    )
    set_clock.add_argument("to", help="ISO-8601 time such as 2021-06-01T09:00:00Z (UTC if no zone)")
    set_clock.add_argument(
        "--force",
        action="store_true",
        help="set the clock even before a contract's start (its incidents and requests then lie in "
        "the world's future)",
    )
    mode = named("mode", "set the Azure link error mode")
    mode.add_argument(
        "mode",
        choices=("spurious", "diagnostic"),
        help="spurious: the 'already associated' error (R-AZ-05); diagnostic: the fix R-AZ-08 asks for",
    )
    delay = named("delay", "set the activation delay, e.g. P3D or P0D")
    delay.add_argument("delay", help="ISO-8601 duration (P3D) or a number of days; P0D: IDs at once")
    snapshot = named("snapshot", "write a world's snapshot as JSON")
    snapshot.add_argument("-o", "--output", help="file to write (default: print)")
    restore = named("restore", "restore a world from a snapshot file")
    restore.add_argument("file", help="a snapshot written by 'world snapshot' (JSON)")
    har = named("har", "export a world's request journal as HAR 1.2")
    har.add_argument("-o", "--output", help="file to write (default: print)")
    har.add_argument(
        "--keep-secrets",
        action="store_true",
        help="keep Authorization, Cookie, Set-Cookie and X-Harness-Token values (default: redacted)",
    )
    world.set_defaults(func=cmd_world)

    run = verbs.add_parser(
        "run",
        help="run the acceptance suite with a readable summary and reports",
        description="Run the acceptance suite (behave) with the rule matrix, and write a report folder "
        "per run: reports/<time>/ with report.html, cucumber.json, junit/, the rule matrix; "
        "reports/latest points at the last one. Exit codes: 0 passed, 1 a scenario failed (or, on a "
        "full run, a rule ID has no scenario), 2 the run cannot start.",
    )
    run.add_argument(
        "paths",
        nargs="*",
        help="feature files or folders, anywhere (default: features/); they run with this project's steps",
    )
    run.add_argument(
        "--mode",
        choices=("inprocess", "live"),
        default="inprocess",
        help="portals in-process (default) or on live loopback servers",
    )
    run.add_argument(
        "--target", metavar="URL", help="run against a running 'portal-harness serve' (any portal URL)"
    )
    run.add_argument("--jobs", type=int, default=1, help="behave processes side by side (default 1)")
    run.add_argument(
        "--shard",
        metavar="I/N",
        help="run only the I-th of N shards (CI machines), balanced by the durations earlier runs "
        "recorded; merge the shards' reports with 'portal-harness report merge'",
    )
    run.add_argument(
        "--durations",
        metavar="PATH",
        help="durations.json (or a run's report folder) that --shard and --jobs balance on "
        "(default: the run folders beside this run's)",
    )
    run.add_argument(
        "--tags",
        action="append",
        metavar="EXPR",
        help="behave tag expression, e.g. '@R-AZ-05'; repeated --tags are ANDed, as in behave",
    )
    run.add_argument(
        "--reports",
        metavar="DIR",
        help="folder for this run's reports (default: a new reports/<time>/, and reports/latest)",
    )
    run.add_argument(
        "--rerun-failed",
        nargs="?",
        const=f"reports/{LATEST_RUN}",
        metavar="RUN",
        help="run again the scenarios that failed in an earlier run's report folder "
        f"(default reports/{LATEST_RUN})",
    )
    run.add_argument("--dry-run", action="store_true", help="check every step is defined, run nothing")
    run.add_argument(
        "--brief", action="store_true", help="list only the rules whose scenarios are not all ok"
    )
    run.set_defaults(func=cmd_run)

    steps = verbs.add_parser(
        "steps",
        help="write docs/STEPS.md, the catalog of every step sentence, from the step definitions",
        description="Write docs/STEPS.md from the step definitions in steps/: every step sentence "
        "(en/es/it), its parameters with their allowed values, and an example from features/.",
    )
    steps.add_argument(
        "--check", action="store_true", help="only check that docs/STEPS.md is up to date (exit 1 if not)"
    )
    steps.set_defaults(func=cmd_steps)

    report = verbs.add_parser("report", help="work with report folders of 'portal-harness run'")
    report_verbs = report.add_subparsers(dest="report_verb", metavar="VERB", required=True)
    merge = report_verbs.add_parser(
        "merge",
        help="merge the report folders of a run's shards into one (and judge the whole run)",
        description="Merge the report folders of a run's shards (portal-harness run --shard I/N) into "
        "one: cucumber.json, junit/, the rule matrix, durations.json, failure artifacts and "
        "report.html. When they are all N shards of a full run, every rule ID must have a scenario. "
        "Exit codes: 0 passed, 1 a scenario failed or a rule has no scenario, 2 the folders are not "
        "the shards of one run.",
    )
    merge.add_argument("folders", nargs="+", metavar="DIR", help="report folders of the shards")
    merge.add_argument(
        "--out",
        metavar="DIR",
        default="reports/merged",
        help="folder for the merged reports (default reports/merged)",
    )
    merge.set_defaults(func=cmd_report_merge)
    return parser


def _flag_specs(argv: list[str] | None) -> tuple[PortalSpec, ...]:
    """The portals to make port flags for. A ``--portal`` or variable that names no spec gives no
    flag here; ``serve`` then says what is wrong."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--portal", action="append")
    refs = early.parse_known_args(sys.argv[1:] if argv is None else argv)[0].portal
    try:
        return portal_specs(refs or ())
    except (ValueError, ImportError, AttributeError):
        return PORTAL_SPECS


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not in Python's flush at exit
        return code
    except UsageError as error:
        print(f"portal-harness: {error}", file=sys.stderr)
        return 2
    except Refused as error:
        print(f"portal-harness: {error}", file=sys.stderr)
        return 1
    except CannotListen as error:
        print(f"portal-harness: {error}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    except LocalFailure as error:
        print(f"portal-harness: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (| head): say nothing more
        _quiet_stdout()
        return 0
    except Exception as error:
        if _is_refusal(error):
            print(f"portal-harness: the server refused: {error}", file=sys.stderr)
            return 1
        if _is_connection_error(error):  # connection refused and the like
            print(
                f"portal-harness: cannot reach the server ({error}); is 'portal-harness serve' running?",
                file=sys.stderr,
            )
            return 1
        if isinstance(error, OSError):  # a local file: its path and the system's reason
            print(f"portal-harness: {_os_problem(error)}", file=sys.stderr)
            return 1
        raise


def _is_refusal(error: BaseException) -> bool:
    """A ``harness.clients.PortalError`` (only a command that loaded the clients can raise one, so
    ``serve`` never loads them, nor ``requests``, for this)."""
    clients = sys.modules.get("harness.clients")
    return clients is not None and isinstance(error, clients.PortalError)


def _is_connection_error(error: BaseException) -> bool:
    """A ``requests`` error talking to the server (only commands that loaded ``requests`` raise one)."""
    requests = sys.modules.get("requests")
    return requests is not None and isinstance(error, requests.RequestException)


def _quiet_stdout() -> None:
    """Send what is left for stdout to /dev/null, so Python's flush at exit raises nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
