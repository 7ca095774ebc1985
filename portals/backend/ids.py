"""Deterministic identifiers: the same world seed gives the same Access IDs, Contract IDs and
request numbers in every run, so scenarios and bug reports can quote them.

Each identifier is a hash of (seed, kind, counter); the counters live in the world's state, so a
snapshot carries them and a restored world goes on with the same sequence.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime

from portals.backend.model import WorldState

#: The ID counters a world's state keeps (``WorldState.counters``), one per kind of ID.
COUNTERS = ("access_id", "contract_id", "request")

#: An Access ID's form (D1): a GUID, 8-4-4-4-12 hexadecimal digits in either case, no braces.
_ACCESS_ID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def is_access_id(text: str) -> bool:
    """Whether ``text`` has an Access ID's GUID form (D1), as ``next_access_id`` makes them."""
    return _ACCESS_ID.fullmatch(text) is not None


def _digest(state: WorldState, kind: str) -> bytes:
    n = state.counters.get(kind, 0) + 1
    state.counters[kind] = n
    return hashlib.blake2b(f"{state.seed}:{kind}:{n}".encode(), digest_size=16).digest()


def next_access_id(state: WorldState) -> str:
    """A GUID-form Access ID (D1), unique within the world (a snapshot's counters are checked, so
    one in use is skipped only if a state came some other way)."""
    used = {c.access_id.lower() for c in state.contracts.values() if c.access_id is not None}
    while True:
        candidate = str(uuid.UUID(bytes=_digest(state, "access_id"), version=4))
        if candidate not in used:
            return candidate


def next_contract_id(state: WorldState) -> str:
    """A ten-digit Contract ID, unique within the world (D1)."""
    while True:
        candidate = f"{int.from_bytes(_digest(state, 'contract_id'), 'big') % 10**10:010d}"
        if candidate[0] != "0" and candidate not in state.contracts:
            return candidate


def next_request_id(state: WorldState, now: datetime) -> str:
    """A sixteen-digit support request number: the simulated date, then a per-world sequence; one
    in use is skipped."""
    while True:
        n = state.counters.get("request", 0) + 1
        state.counters["request"] = n
        candidate = f"{now:%y%m%d}{n:010d}"
        if candidate not in state.requests:
            return candidate
