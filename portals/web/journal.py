"""The request journal, and the WSGI middleware that keeps it and applies fault rules around every
portal's app.

Journals belong to a ``World`` object (a ``WorldSideTable``), so the portal apps of a stack, which
share one registry, write one journal per world, and resetting, restoring or dropping a world (a new
``World`` object) starts it empty: nothing leaks from one scenario into the next.

The control API (``/_harness``) and the stylesheet (``/_static``) are neither journaled nor
faulted; nor are requests naming a world that does not exist (the portal answers them 404).

Entries keep what crossed the wire, credentials included; what the journal gives out has the
values of ``SECRET_HEADERS`` replaced by ``REDACTED`` unless its reader asks to keep them
(``?secrets=keep``), as browsers' HAR export leaves out cookies and authorization by default.
"""

from __future__ import annotations

import io
import itertools
import socket
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from werkzeug.datastructures import EnvironHeaders
from werkzeug.wsgi import get_current_url

from portals.backend import Refusal, World, WorldRegistry
from portals.web.context import WORLD_ENVIRON, is_untracked_path, requested_world_of, runtime
from portals.web.faults import Answer, DroppedConnection, faults_if_any
from portals.web.side_tables import WorldSideTable

#: Headers whose values are credentials: redacted in what the journal gives out, unless kept.
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-harness-token"}
)
REDACTED = "[redacted]"
JOURNAL_LIMIT = 5000  # entries kept per world by default; the oldest go first
BODY_LIMIT = 16 * 1024  # bytes of a body kept in an entry
CAPTURE_LIMIT = 1024 * 1024  # bodies over this are not read here (the portal refuses them anyway)
#: The largest body any route takes (the control API's 16 MiB): a chunked body with no
#: Content-Length is read up to one byte more than this, so that every route's own limit applies.
STREAMED_BODY_LIMIT = 16 * 1024 * 1024
EXTENSION = "portal_harness.journal"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class JournalBudget:
    """How much journal a stack keeps: at most ``per_world`` entries of each world, and across all
    its worlds at most ``entries`` entries and ``bytes`` bytes; the oldest entries go first.

    ``bytes`` counts what an entry keeps: its URL, header names and values and kept bodies, plus
    ``ENTRY_OVERHEAD`` for the rest of the entry."""

    per_world: int = JOURNAL_LIMIT
    entries: int = 20_000
    bytes: int = 64 * 1024 * 1024

    def __post_init__(self) -> None:
        for name in ("per_world", "entries", "bytes"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise ValueError(f"journal budget: {name} must be a whole number of at least 1")


ENTRY_OVERHEAD = 1024  # bytes counted for an entry beyond its URL, headers and bodies

#: The environ keys an exchange keeps (besides ``HTTP_*``): what its URL and headers are read from.
_KEPT_KEYS = frozenset(
    {
        "wsgi.url_scheme",
        "SERVER_NAME",
        "SERVER_PORT",
        "SCRIPT_NAME",
        "PATH_INFO",
        "QUERY_STRING",
        "REQUEST_URI",
        "SERVER_PROTOCOL",
        "CONTENT_TYPE",
        "CONTENT_LENGTH",
    }
)


class Exchange:
    """One request and its answer as they crossed the wire, kept raw: the request's environ (its
    strings only), the bodies' first ``BODY_LIMIT`` bytes. ``entry()`` reads it as a journal entry
    (the README's shape), when someone reads the journal; recording one costs no more than copying
    what it keeps."""

    __slots__ = (
        "body",
        "body_size",
        "duration_ms",
        "error",
        "fault",
        "id",
        "method",
        "portal",
        "request",
        "response_body",
        "response_headers",
        "response_size",
        "started",
        "status",
        "world_time",
    )

    def __init__(self, portal: str, world: World, environ: dict[str, Any], exchange_id: int) -> None:
        body, size = _take_body(environ)
        self.id = exchange_id
        self.started = time.time()
        self.world_time = world.now
        self.portal = portal
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        self.request = {
            key: value
            for key, value in environ.items()
            if (key[:5] == "HTTP_" or key in _KEPT_KEYS) and isinstance(value, str)
        }
        self.body, self.body_size = body[:BODY_LIMIT], size
        self.status = "0 "
        self.response_headers: list[tuple[str, str]] = []
        self.response_body, self.response_size = b"", 0
        self.duration_ms = 0.0
        self.fault: str | None = None
        self.error: str | None = None

    def answered(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.response_headers = status, headers
        self.response_body, self.response_size = body[:BODY_LIMIT], len(body)

    def size(self) -> int:
        """What ``JournalBudget.bytes`` counts: its URL (as it came), header names and values and
        kept bodies (bytes), plus ``ENTRY_OVERHEAD``."""
        environ = self.request
        size = ENTRY_OVERHEAD + len(environ.get("wsgi.url_scheme", "http")) + 3
        size += len(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""))
        size += len(environ.get("SCRIPT_NAME", "")) + len(environ.get("PATH_INFO", ""))
        query = environ.get("QUERY_STRING")
        size += len(query) + 1 if query else 0
        for key, value in environ.items():
            if key[:5] == "HTTP_":
                size += len(key) - 5 + len(value)  # X-Harness-World from HTTP_X_HARNESS_WORLD
            elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                size += len(key) + len(value)
        size += sum(len(name) + len(value) for name, value in self.response_headers)
        return size + len(self.body) + len(self.response_body)

    def entry(self) -> dict[str, Any]:
        """The journal entry: ``id``, ``time``, ``world_time``, ``portal``, ``method``, ``url``,
        ``request``, ``status``, ``response``, ``duration_ms``, ``fault`` (and ``error``)."""
        code, _, text = self.status.partition(" ")
        entry = {
            "id": self.id,
            "time": _iso(datetime.fromtimestamp(self.started, UTC)),
            "world_time": self.world_time.isoformat().replace("+00:00", "Z"),
            "portal": self.portal,
            "method": self.method,
            "url": get_current_url(self.request),
            "request": {
                "http_version": self.request.get("SERVER_PROTOCOL") or "HTTP/1.1",
                "headers": _pairs(EnvironHeaders(self.request).items()),
                **_body(self.body, self.body_size),
            },
            "status": int(code),
            "response": {
                "status_text": text,
                "headers": _pairs(self.response_headers),
                **_body(self.response_body, self.response_size),
            },
            "duration_ms": self.duration_ms,
            "fault": self.fault,
        }
        if self.error is not None:
            entry["error"] = self.error
        return entry


def entry_size(entry: dict[str, Any]) -> int:
    """What ``JournalBudget.bytes`` counts for one entry."""
    size = ENTRY_OVERHEAD + len(entry.get("url", ""))
    for part in (entry.get("request") or {}, entry.get("response") or {}):
        size += len(part.get("body", ""))
        size += sum(len(h["name"]) + len(h["value"]) for h in part.get("headers", ()))
    return size


class WorldJournal:
    """The journal of one world: its latest exchanges, within its store's budget. Thread-safe (the
    store's lock guards every journal of the store)."""

    def __init__(self, store: JournalStore) -> None:
        self._store = store
        self._entries: deque[tuple[Exchange | dict[str, Any], int]] = deque()
        self._sequence = itertools.count(1)
        #: Entries this journal has dropped to stay within the budget, since it began or was cleared.
        self.dropped = 0
        #: [entries, bytes] held now, shared with the store's finaliser of this journal.
        self._held = [0, 0]
        #: What the store's order of entries points at this journal with (one for all its entries).
        self.ref = weakref.ref(self)

    def next_id(self) -> int:
        with self._store.lock:
            return next(self._sequence)

    def record(self, entry: Exchange | dict[str, Any]) -> None:
        """Keep an exchange (or an entry already built, a dict), within the budget."""
        size = entry.size() if isinstance(entry, Exchange) else entry_size(entry)
        self._store.admit(self, entry, size)

    def entries(self, keep_secrets: bool = False) -> list[dict[str, Any]]:
        """In the order requests arrived (entries are stored as they finish); the values of
        ``SECRET_HEADERS`` are ``REDACTED`` unless ``keep_secrets``."""
        with self._store.lock:
            kept = [entry for entry, _ in self._entries]
        found = sorted((e.entry() if isinstance(e, Exchange) else e for e in kept), key=lambda e: e["id"])
        return found if keep_secrets else [redacted(entry) for entry in found]

    def clear(self) -> None:
        """Empty the journal: its entries and its count of dropped ones (a cleared journal has
        dropped nothing since)."""
        with self._store.lock:
            self._store.release(self._held[0], self._held[1])
            self._entries.clear()
            self._held[:] = [0, 0]
            self.dropped = 0

    # --- under the store's lock --------------------------------------------------------------------
    def _append(self, entry: Exchange | dict[str, Any], size: int) -> None:
        self._entries.append((entry, size))
        self._held[0] += 1
        self._held[1] += size

    def _head_id(self) -> int | None:
        return _id_of(self._entries[0][0]) if self._entries else None

    def _drop_oldest(self) -> int:
        _, size = self._entries.popleft()
        self._held[0] -= 1
        self._held[1] -= size
        self.dropped += 1
        return size


class JournalStore:
    """The journals of one registry's worlds (one per ``World`` object, a ``WorldSideTable``) under
    one ``JournalBudget``: when a new entry takes the store over its entries or bytes, the oldest
    entries of any world go first; each journal counts what it dropped. Thread-safe."""

    def __init__(self, budget: JournalBudget | None = None) -> None:
        self.budget = budget or JournalBudget()
        self.lock = threading.RLock()
        self._table: WorldSideTable[WorldJournal] = WorldSideTable(self._make)
        #: (journal, entry id) in the order entries were recorded, oldest first; items whose entry
        #: is gone already (dropped by its own world's cap, cleared, its world dropped) are skipped.
        self._order: deque[tuple[weakref.ref[WorldJournal], int]] = deque()
        self._released: list[list[int]] = []  # what collected journals held, to release under the lock
        self.held_entries = 0
        self.held_bytes = 0

    def __call__(self, world: World) -> WorldJournal:
        """The journal of ``world``, made now if it has none."""
        return self._table(world)

    def peek(self, world: World) -> WorldJournal | None:
        return self._table.peek(world)

    def _make(self, world: World) -> WorldJournal:
        journal = WorldJournal(self)
        weakref.finalize(journal, self._released.append, journal._held)
        return journal

    def admit(self, journal: WorldJournal, entry: Exchange | dict[str, Any], size: int) -> None:
        """Keep ``entry`` in ``journal``, then drop the oldest entries until the world's cap and the
        store's budget hold again."""
        with self.lock:
            self._settle()
            journal._append(entry, size)
            self._order.append((journal.ref, _id_of(entry)))
            self.held_entries += 1
            self.held_bytes += size
            while journal._held[0] > self.budget.per_world:
                self.release(1, journal._drop_oldest())
            while self._order and (
                self.held_entries > self.budget.entries or self.held_bytes > self.budget.bytes
            ):
                ref, entry_id = self._order.popleft()
                owner = ref()
                if owner is not None and owner._head_id() == entry_id:
                    self.release(1, owner._drop_oldest())
            if len(self._order) > 2 * self.held_entries + 1024:
                self._compact()

    def release(self, entries: int, size: int) -> None:
        self.held_entries -= entries
        self.held_bytes -= size

    def _settle(self) -> None:
        """Release what journals of dropped worlds held (noted by their finalisers)."""
        self._table.purge()
        while self._released:
            entries, size = self._released.pop()
            self.release(entries, size)

    def _compact(self) -> None:
        """Forget order items whose entry is gone, so the order stays as long as what is held."""
        live: dict[int, set[int]] = {}
        kept: deque[tuple[weakref.ref[WorldJournal], int]] = deque()
        for ref, entry_id in self._order:
            owner = ref()
            if owner is None:
                continue
            ids = live.setdefault(id(owner), {_id_of(entry) for entry, _ in owner._entries})
            if entry_id in ids:
                kept.append((ref, entry_id))
        self._order = kept

    def usage(self) -> dict[str, int]:
        """What the store holds now, and its budget (entries and bytes)."""
        with self.lock:
            self._settle()
            return {
                "entries": self.held_entries,
                "bytes": self.held_bytes,
                "max_entries": self.budget.entries,
                "max_bytes": self.budget.bytes,
                "max_entries_per_world": self.budget.per_world,
            }


def _id_of(entry: Exchange | dict[str, Any]) -> int:
    return entry.id if isinstance(entry, Exchange) else int(entry["id"])


def redacted(entry: dict[str, Any]) -> dict[str, Any]:
    """A copy of a journal entry whose request and response headers of ``SECRET_HEADERS`` say
    ``REDACTED`` instead of their values."""
    return {
        **entry,
        "request": {**entry["request"], "headers": redact_headers(entry["request"]["headers"])},
        "response": {**entry["response"], "headers": redact_headers(entry["response"].get("headers", []))},
    }


def redact_headers(headers: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{**h, "value": REDACTED} if h["name"].lower() in SECRET_HEADERS else h for h in headers]


#: One journal store per registry: the portals of a stack share their registry, so they share one
#: store and one budget; a world belongs to one registry.
_STORES: weakref.WeakKeyDictionary[WorldRegistry, JournalStore] = weakref.WeakKeyDictionary()
_STORES_LOCK = threading.Lock()


def store_for(registry: WorldRegistry, budget: JournalBudget | None = None) -> JournalStore:
    """The journal store of ``registry``'s worlds, made on first use; a ``budget`` given replaces
    the store's."""
    with _STORES_LOCK:
        store = _STORES.get(registry)
        if store is None:
            store = _STORES[registry] = JournalStore(budget)
        elif budget is not None:
            store.budget = budget
        return store


def journal_of(app: Flask, world: World) -> WorldJournal:
    """The journal of ``world``, from the store of ``app``."""
    store: JournalStore = app.extensions[EXTENSION]
    return store(world)


# --- the WSGI middleware ---------------------------------------------------------------------------
def install(app: Flask, store: JournalStore | None = None) -> None:
    """Keep the journal store in ``app.extensions`` (by default the store of the app's registry,
    under the budget ``app.config["JOURNAL_BUDGET"]`` names, a ``JournalBudget``) and wrap
    ``app.wsgi_app`` so every request is journaled per world and fault rules can answer first.
    Answers are buffered (portals answer small pages), so an entry holds the whole exchange and its
    ``duration_ms`` covers all of it."""
    if store is None:
        store = store_for(runtime(app).registry, app.config.get("JOURNAL_BUDGET"))
    app.extensions[EXTENSION] = store
    inner: WsgiApp = app.wsgi_app

    def journaled(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if "HTTP_TRANSFER_ENCODING" in environ and not environ.get("CONTENT_LENGTH"):
            measure_streamed_body(environ)
        path = environ.get("PATH_INFO") or "/"
        world = None if is_untracked_path(path) else _world_of(app, environ)
        if world is None:
            return inner(environ, start_response)
        environ[WORLD_ENVIRON] = world  # resolved once: the request context reads it from here
        status, headers, body = _serve(app, inner, world, environ)
        start_response(status, headers)
        return [body]

    app.wsgi_app = journaled  # type: ignore[method-assign]


def _world_of(app: Flask, environ: dict[str, Any]) -> World | None:
    try:
        return runtime(app).registry.get(requested_world_of(environ))
    except Refusal:
        return None


def _serve(app: Flask, inner: WsgiApp, world: World, environ: dict[str, Any]) -> Answer:
    """Run one request (fault first, then the portal), journal it, and give back the buffered answer."""
    journal = journal_of(app, world)
    portal = runtime(app).spec.key
    exchange = Exchange(portal, world, environ, journal.next_id())
    began = time.perf_counter()
    answer: Answer = ("0 ", [], b"")
    try:
        rules = faults_if_any(app, world)
        fault = rules.pick(portal, exchange.method, environ.get("PATH_INFO") or "/") if rules else None
        if fault is not None:
            exchange.fault = fault.id
            if fault.latency_ms:
                time.sleep(fault.latency_ms / 1000)
            if fault.drop_connection:
                _drop(environ, fault.id)
        answer = fault.answer() if fault is not None and fault.status else _call(inner, environ)
        return answer
    except BaseException as error:
        dropped = isinstance(error, DroppedConnection)
        exchange.error = "connection dropped by a fault rule" if dropped else repr(error)
        raise
    finally:
        exchange.duration_ms = round((time.perf_counter() - began) * 1000, 3)
        exchange.answered(*answer)
        journal.record(exchange)


def _call(inner: WsgiApp, environ: dict[str, Any]) -> Answer:
    captured: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured.update(status=status, headers=list(headers))
        return chunks.append

    result = inner(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return captured["status"], captured["headers"], b"".join(chunks)


def _drop(environ: dict[str, Any], rule_id: str) -> None:
    """Close the connection if the server lends its socket (werkzeug's does), then raise."""
    sock = environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket):
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    raise DroppedConnection(f"fault rule {rule_id} dropped the connection")


def measure_streamed_body(environ: dict[str, Any], limit: int = STREAMED_BODY_LIMIT) -> None:
    """Give a chunked request body a ``Content-Length`` (and drop ``Transfer-Encoding``), as
    waitress does once it has read it:
    servers that pass a decoded, terminated stream without one (``wsgi.input_terminated``:
    werkzeug's, gunicorn's, the in-process harness's) would otherwise let Flask read it up to the
    route's limit and stop there, so a body over the limit could be cut to a valid one. It is read
    up to ``limit`` + 1 bytes: a longer one keeps that length, over every route's own limit, so
    the route answers 413 (``PayloadTooLarge``) as for a declared length. A stream that is not
    terminated is left alone (reading it could wait for ever; Flask reads none of it)."""
    encoding = str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower()
    if "chunked" not in encoding or not environ.get("wsgi.input_terminated"):
        return
    stream, chunks, size = environ["wsgi.input"], [], 0
    while size <= limit:
        chunk = stream.read(min(64 * 1024, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    body = b"".join(chunks)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    del environ["HTTP_TRANSFER_ENCODING"]  # decoded: werkzeug ignores a length beside "chunked"


# --- entries ---------------------------------------------------------------------------------------
def _take_body(environ: dict[str, Any]) -> tuple[bytes, int]:
    """Read the request body (so the journal can keep it) and put it back for the portal."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0 or length > CAPTURE_LIMIT:
        return b"", max(length, 0)
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body, len(body)


def _body(data: bytes, size: int) -> dict[str, Any]:
    kept = data[:BODY_LIMIT].decode("utf-8", "replace")
    return {"body": kept, "body_size": size, "body_truncated": size > len(data[:BODY_LIMIT])}


def _pairs(items: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in items]


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
