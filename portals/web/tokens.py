"""Bearer tokens for programs: unsigned JWTs (alg ``none``) whose ``upn`` and ``tid`` claims name an
account of the world. The emulator trusts them; the harness mints them with ``mint_token``."""

from __future__ import annotations

import base64
import functools
import json
from typing import Any

from portals.backend.errors import Refusal
from portals.web.errors import EdgeRefusal


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def mint_token(upn: str, tid: str | None = None, world: str | None = None, **claims: Any) -> str:
    """An unsigned JWT for ``upn`` (header ``{"alg":"none","typ":"JWT"}``, empty signature).
    ``world`` adds the ``harness_world`` claim: a client that cannot send ``X-Harness-World`` (an
    official SDK given only a credential) still reaches its world."""
    payload = {
        "upn": upn,
        "unique_name": upn,
        **({"tid": tid} if tid else {}),
        **({"harness_world": world} if world else {}),
        **claims,
    }
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(payload)}."


def _decode(part: str) -> dict[str, Any]:
    from portals.backend.inputs import load_json  # the portals' reading side only: clients only mint

    padded = part + "=" * (-len(part) % 4)
    try:
        value = load_json(base64.urlsafe_b64decode(padded.encode("ascii")), what="the token")
    except Refusal:
        raise ValueError("not JSON within the input limits") from None
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


def read_token(authorization: str) -> dict[str, Any]:
    """The claims of an ``Authorization: Bearer`` header; raises ``EdgeRefusal``
    AuthenticationRequired saying why not (no ``upn``; a ``harness_world`` that is not a name). A
    token read once is not decoded again (a client sends the same one on every call): the claims of
    the last 1,024 tokens of up to 4 KiB are kept, and each caller gets its own copy."""
    if len(authorization) <= CACHED_TOKEN_LENGTH:
        return dict(_cached_claims(authorization))
    return _claims(authorization)


CACHED_TOKEN_LENGTH = 4096


def _claims(authorization: str) -> dict[str, Any]:
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise EdgeRefusal(
            "AuthenticationRequired", detail="the Authorization header must be 'Bearer <token>'"
        )
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise EdgeRefusal(
            "AuthenticationRequired", detail="the token is not a JWT (header.payload.signature)"
        )
    try:
        header, claims = _decode(parts[0]), _decode(parts[1])
    except (ValueError, UnicodeError):
        raise EdgeRefusal(
            "AuthenticationRequired", detail="the token's parts are not base64url JSON"
        ) from None
    if header.get("alg") != "none":
        raise EdgeRefusal("AuthenticationRequired", detail="only unsigned tokens (alg none) are accepted")
    upn = claims.get("upn") or claims.get("unique_name") or claims.get("preferred_username")
    if not isinstance(upn, str) or not upn:
        raise EdgeRefusal("AuthenticationRequired", detail="the token has no upn claim")
    world = claims.get("harness_world")
    if world is not None and (not isinstance(world, str) or not world):
        raise EdgeRefusal(
            "AuthenticationRequired", detail="the token's harness_world claim must be a world's name (text)"
        )
    return {**claims, "upn": upn}


_cached_claims = functools.lru_cache(maxsize=1024)(_claims)
