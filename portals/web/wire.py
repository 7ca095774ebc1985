"""The names the portals and their clients agree on: headers, cookies and path prefixes. Constants
only, importing nothing, so a client (``harness.clients``) reads them without loading Flask."""

from __future__ import annotations

#: Names the world a request belongs to (before ``?world=``, the token's claim and the cookie).
WORLD_HEADER = "X-Harness-World"
#: Carries the control API's token (or ``Authorization: Bearer <token>``).
TOKEN_HEADER = "X-Harness-Token"
#: Names the fault rule that answered (or delayed) a request.
FAULT_HEADER = "X-Harness-Fault"
#: The control API's paths; never journaled or faulted, never bound to a portal's world.
CONTROL_PREFIX = "/_harness"
#: The shared stylesheet; never journaled or faulted.
STATIC_PREFIX = "/_static"
#: Cookies a browser keeps: the world, the language and the signed-in account.
WORLD_COOKIE, LANG_COOKIE, ACCOUNT_COOKIE = "world", "lang", "account"
