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
#: The dashboard: ``/_harness/`` (the worlds) and the pages and forms under this prefix.
DASHBOARD_PREFIX = "/_harness/dashboard"
#: The dashboard's cookies (``Path=/_harness``, HttpOnly): the control token accepted (a value
#: derived from it, only when the server has a token) and the session its forms' CSRF field is
#: bound to.
DASHBOARD_AUTH_COOKIE, DASHBOARD_SESSION_COOKIE = "harness_dashboard", "harness_session"
#: The shared stylesheet; never journaled or faulted.
STATIC_PREFIX = "/_static"
#: Cookies a browser keeps: the world, the language and the signed-in account.
WORLD_COOKIE, LANG_COOKIE, ACCOUNT_COOKIE = "world", "lang", "account"
#: The query parameter of a page reached by Post/Redirect/Get: what the form post did (signed).
OUTCOME_PARAM = "outcome"
#: On the 303 that answers a refused form post: the refusal's status and code (``409
#: AccessIdAlreadyAssociated``), so a journal or a client sees what the page will show.
REFUSAL_HEADER = "X-Harness-Refusal"
#: The browser icon; served, and neither journaled nor faulted.
FAVICON_PATH = "/favicon.ico"
