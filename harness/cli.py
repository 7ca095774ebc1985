"""The ``portal-harness`` command line: ``serve`` the portals, control ``world``s of a running
server, ``run`` the acceptance suite. Exit codes: 0 success, 1 failure, 2 wrong usage."""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import secrets
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from portals import __version__
from portals.portal_spec import DEFAULT_BASE_PORT, PortalSpec
from portals.specs import EXTRA_PORTALS_VARIABLE, PORTAL_SPECS, portal_specs, spec_for

DEFAULT_URL = os.environ.get("PORTAL_HARNESS_URL", f"http://127.0.0.1:{spec_for('azure').port()}")


class UsageError(Exception):
    """Wrong usage: exit code 2 with a message saying what to do."""


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


def cmd_serve(args: argparse.Namespace) -> int:
    from harness.stack import PortalStack
    from harness.state_file import StateFile
    from portals.backend import DEFAULT_WORLD, Refusal, WorldRegistry, load_document_file

    token = args.control_token
    if not _is_loopback(args.host) and not token:
        token = secrets.token_urlsafe(16)
    try:
        document = load_document_file(args.seed) if args.seed else None
        registry = WorldRegistry(document)
    except Refusal as refusal:
        raise UsageError(f"--seed {args.seed}: {refusal.message()}") from None
    state = StateFile(args.state_file) if args.state_file else None
    if state is not None:
        try:
            restored = state.load_into(registry)
        except (ValueError, OSError, Refusal) as error:
            raise UsageError(f"--state-file {args.state_file}: cannot be read ({error})") from None
        print(f"restored {restored} world(s) from {args.state_file}")
    if args.error_mode:
        registry.get(DEFAULT_WORLD).set_azure_link_mode(args.error_mode)

    def port(spec: PortalSpec) -> int:
        explicit = getattr(args, _port_dest(spec), None)
        if explicit is not None:
            return explicit
        return spec.port(args.base_port) if args.base_port else 0

    specs = _serve_specs(args.portal)
    ports = {spec.key: port(spec) for spec in specs}
    stack = PortalStack("live", registry, host=args.host, ports=ports, control_token=token, specs=specs)
    try:
        stack.start()
    except OSError as error:
        raise UsageError(
            f"cannot listen on {args.host}: {error.strerror}; try --base-port 0 for free ports"
        ) from None
    if state is not None:
        _save_after_changes(stack, state)
    _print_urls(stack, token)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        stack.stop()
        if state is not None:
            state.save(registry)
        print("portal-harness: stopped", flush=True)
    return 0


def _save_after_changes(stack: Any, state: Any) -> None:
    """Every request that may change a world saves the state file before it answers."""

    def save(response: Any) -> Any:
        from flask import request

        if request.method not in ("GET", "HEAD", "OPTIONS"):
            state.save(stack.registry)
        return response

    for app in stack.apps.values():
        app.after_request(save)


def _print_urls(stack: Any, token: str | None) -> None:
    """One line naming every portal's base URL (for programs), then each portal's start page."""
    print(
        f"portal-harness {__version__} serving " + " ".join(f"{k}={u}" for k, u in stack.urls.items()),
        flush=True,
    )
    for key, url in stack.urls.items():
        spec = stack.specs[key]
        print(f"  {spec.title:24} {url}{spec.start_page}")
    print(f"  {'control API':24} {next(iter(stack.urls.values()))}/_harness/health")
    if token:
        print(f"  control token: {token} (send it as X-Harness-Token)")
    print("Press Ctrl-C to stop.", flush=True)


# --- world verbs -------------------------------------------------------------------------------------
def _control(args: argparse.Namespace) -> Any:
    from harness.control_client import ControlClient

    return ControlClient(args.url, args.token)


def _show(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False) if not isinstance(value, str) else value)


def _write_or_print(value: Any, output: str | None) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {output}")
    else:
        print(text)


def cmd_world(args: argparse.Namespace) -> int:
    from portals.backend import Refusal, load_document_file

    control = _control(args)
    verb = args.verb
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
        _show(control.set_clock(args.name, args.to))
    elif verb == "mode":
        _show(control.settings(args.name, azure_link_mode=args.mode))
    elif verb == "delay":
        _show(control.settings(args.name, activation_delay=args.delay))
    elif verb == "reset":
        _show(control.reset_world(args.name))
    elif verb == "delete":
        control.delete_world(args.name)
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


# --- run ---------------------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    from harness.runner import run

    if args.jobs < 1:
        raise UsageError("--jobs takes a number of processes, 1 or more")
    return run(args)


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
        type=int,
        default=DEFAULT_BASE_PORT,
        help=f"each portal on this port plus its offset: {offsets} "
        f"(default {DEFAULT_BASE_PORT}; 0 picks free ports)",
    )
    for spec in specs:
        serve.add_argument(
            spec.port_flag,
            type=int,
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
    serve.add_argument("--state-file", metavar="FILE", help="keep every world in FILE across restarts")
    serve.add_argument(
        "--error-mode", choices=("spurious", "diagnostic"), help="the default world's Azure link mode"
    )
    serve.add_argument(
        "--control-token", help="token the control API requires (generated when not on loopback)"
    )
    serve.set_defaults(func=cmd_serve)

    world = verbs.add_parser("world", help="control the worlds of a running 'portal-harness serve'")
    world.add_argument("--url", default=DEFAULT_URL, help=f"any portal of the server (default {DEFAULT_URL})")
    world.add_argument(
        "--token", default=os.environ.get("PORTAL_HARNESS_TOKEN"), help="control token, if any"
    )
    world_verbs = world.add_subparsers(dest="verb", metavar="VERB", required=True)
    create = world_verbs.add_parser("create", help="create a world, empty or from a seed file")
    create.add_argument("--name", help="world name (default: generated)")
    create.add_argument("--seed-file", help="seed document (YAML/JSON)")
    world_verbs.add_parser("list", help="list the worlds")
    for name, text in (
        ("show", "show a world's state"),
        ("reset", "reset a world to its seed"),
        ("delete", "delete a world"),
    ):
        world_verbs.add_parser(name, help=text).add_argument("name")
    advance = world_verbs.add_parser("advance", help="advance a world's clock, e.g. P3D")
    advance.add_argument("name")
    advance.add_argument("by", help="ISO-8601 duration such as P3D or PT12H")
    set_clock = world_verbs.add_parser("set-clock", help="set a world's clock")
    set_clock.add_argument("name")
    set_clock.add_argument("to", help="ISO-8601 time such as 2021-06-01T09:00:00Z")
    mode = world_verbs.add_parser("mode", help="set the Azure link error mode")
    mode.add_argument("name")
    mode.add_argument("mode", choices=("spurious", "diagnostic"))
    delay = world_verbs.add_parser("delay", help="set the activation delay, e.g. P3D or P0D")
    delay.add_argument("name")
    delay.add_argument("delay")
    snapshot = world_verbs.add_parser("snapshot", help="write a world's snapshot as JSON")
    snapshot.add_argument("name")
    snapshot.add_argument("-o", "--output", help="file to write (default: print)")
    restore = world_verbs.add_parser("restore", help="restore a world from a snapshot file")
    restore.add_argument("name")
    restore.add_argument("file")
    har = world_verbs.add_parser("har", help="export a world's request journal as HAR 1.2")
    har.add_argument("name")
    har.add_argument("-o", "--output", help="file to write (default: print)")
    har.add_argument(
        "--keep-secrets",
        action="store_true",
        help="keep Authorization, Cookie, Set-Cookie and X-Harness-Token values (default: redacted)",
    )
    world.set_defaults(func=cmd_world)

    run = verbs.add_parser("run", help="run the acceptance suite with a readable summary and reports")
    run.add_argument("paths", nargs="*", help="feature files or folders (default: features/)")
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
    run.add_argument("--shard", metavar="I/N", help="run only the I-th of N shards of the feature files")
    run.add_argument("--tags", help="behave tag expression, e.g. '@R-AZ-05'")
    run.add_argument(
        "--reports", default="reports", help="directory for JUnit XML, JSON and HAR (default reports)"
    )
    run.add_argument("--dry-run", action="store_true", help="check every step is defined, run nothing")
    run.add_argument(
        "--brief", action="store_true", help="list only the rules whose scenarios are not all ok"
    )
    run.set_defaults(func=cmd_run)
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
    from harness.clients import PortalError

    try:
        return args.func(args)
    except UsageError as error:
        print(f"portal-harness: {error}", file=sys.stderr)
        return 2
    except PortalError as error:
        print(f"portal-harness: the server refused: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # connection refused and the like
        print(
            f"portal-harness: cannot reach the server ({error}); is 'portal-harness serve' running?",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
