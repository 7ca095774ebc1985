"""Post/Redirect/Get: what a form post did, carried through its redirect to the page that shows it.

A form post never answers with a page. It does what it does, or is refused, and answers ``303 See
Other`` to a page (a GET) whose query carries ``?outcome=<token>``: the refusal (its code and
parameters) or what was done (a kind and its values), and after a refusal the form's values, to
fill the form in again. The 303 of a refused post also names the refusal in ``X-Harness-Refusal``
(``409 AccessIdAlreadyAssociated``), so a journal, a HAR or a program sees it without the page.

The token is stateless: JSON signed with itsdangerous (HMAC over the payload and a timestamp) with
``app.config["OUTCOME_SECRET"]``, else a secret made once per process (the apps of a stack share
it), bound to one scope (the portal and the world, or the dashboard) and read for
``OUTCOME_MAX_AGE`` seconds; a token that fails any of this is ignored (the page shows no
outcome). Nothing is kept on the server. The page renders the refusal in the language of its own
request, so a reload, and a language link (which keeps the query), show it again, in the language
then chosen.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import current_app, g, redirect, request
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from portals.backend import REFUSALS, Refusal
from portals.web.context import on_this_page, runtime
from portals.web.errors import EdgeRefusal, status_of
from portals.web.wire import OUTCOME_PARAM, REFUSAL_HEADER

#: How long a page shows the outcome its URL carries (seconds): a reload or a language link within
#: this time shows it again; later the page shows no outcome.
OUTCOME_MAX_AGE = 3600
#: Tokens longer than this drop the form's values (a page keeps its URL short enough for any server).
MAX_TOKEN = 4000
#: A form value carried back is cut to this many characters.
MAX_VALUE = 4000
_PROCESS_SECRET = secrets.token_bytes(32)
_SALT = "portal-harness outcome"


@dataclass(frozen=True)
class Done:
    """What a form post did, for the page to say: ``kind`` (``linked``, ``purchased``, …) and its
    values (JSON types)."""

    kind: str
    values: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:  # templates read ``done.contract_id``
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Outcome:
    """What the current page's ``?outcome=`` carries: a refusal, or what was done, and the form's
    values (empty when there is none)."""

    error: Refusal | None = None
    done: Done | None = None
    form: dict[str, str] = field(default_factory=dict)
    #: Which part of the page the form was in (a page with many forms shows the outcome there).
    where: str | None = None

    def context(self) -> dict[str, Any]:
        """Template context: ``error``, ``done`` and ``form``."""
        return {"error": self.error, "done": self.done, "form": self.form}


def _serializer() -> URLSafeTimedSerializer:
    secret = current_app.config.get("OUTCOME_SECRET") or _PROCESS_SECRET
    return URLSafeTimedSerializer(secret, salt=_SALT)


def page_scope() -> str:
    """The scope of a portal page: this portal, in this request's world."""
    world = getattr(g, "world", None)
    return f"{runtime().spec.key}:{world.name if world is not None else ''}"


def token(
    scope: str,
    error: Refusal | None = None,
    done: Done | None = None,
    form: Mapping[str, str] | None = None,
    where: str | None = None,
) -> str:
    """The signed token of an outcome (see the module's docstring)."""
    payload: dict[str, Any] = {"s": scope}
    if where is not None:
        payload["w"] = where
    if error is not None:
        payload["e"] = [error.code, error.to_dict()["params"]]
    if done is not None:
        payload["d"] = [done.kind, done.values]
    values = {str(k): str(v)[:MAX_VALUE] for k, v in (form or {}).items()}
    signed = _serializer().dumps({**payload, "f": values} if values else payload)
    if len(signed) > MAX_TOKEN and values:
        signed = _serializer().dumps(payload)
    return str(signed)


def read(scope: str, max_age: int = OUTCOME_MAX_AGE) -> Outcome:
    """The outcome this request's ``?outcome=`` carries for ``scope``; an empty ``Outcome`` when it
    carries none, or one that is not valid (forged, expired, another scope)."""
    given = request.args.get(OUTCOME_PARAM)
    if not given or len(given) > 2 * MAX_TOKEN:
        return Outcome()
    try:
        payload = _serializer().loads(given, max_age=max_age)
    except BadData:
        return Outcome()
    if not isinstance(payload, dict) or payload.get("s") != scope:
        return Outcome()
    where = payload.get("w") if isinstance(payload.get("w"), str) else None
    return Outcome(_refusal(payload.get("e")), _done(payload.get("d")), _form(payload.get("f")), where)


def _refusal(data: Any) -> Refusal | None:
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[1], dict)):
        return None
    code, params = data
    cls = Refusal if code in REFUSALS else EdgeRefusal
    try:
        return cls(str(code), **{str(k): v for k, v in params.items()})
    except (KeyError, IndexError, ValueError):  # a code or parameters this version does not know
        return None


def _done(data: Any) -> Done | None:
    if isinstance(data, list) and len(data) == 2 and isinstance(data[0], str) and isinstance(data[1], dict):
        return Done(data[0], data[1])
    return None


def _form(data: Any) -> dict[str, str]:
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def with_outcome(target: str, outcome_token: str) -> str:
    """``target`` (a path, with or without a query) with ``outcome=<token>`` added to its query
    (any earlier ``outcome`` dropped)."""
    parts = urlsplit(target)
    kept = [p for p in parts.query.split("&") if p and not p.startswith(f"{OUTCOME_PARAM}=")]
    query = "&".join([*kept, urlencode({OUTCOME_PARAM: outcome_token})])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def see_other(
    target: str,
    scope: str,
    error: Refusal | None = None,
    done: Done | None = None,
    form: Mapping[str, str] | None = None,
    where: str | None = None,
) -> Response:
    """The answer to a form post: ``303 See Other`` to ``target`` carrying the outcome (none when
    neither ``error`` nor ``done`` is given), the form's values after a refusal; ``where`` names
    the part of the page the form was in (and becomes the URL's fragment). A refusal is named in
    ``X-Harness-Refusal``. On a portal page, ``target`` keeps the world and language of the page
    that posted (``context.on_this_page``)."""
    location = target
    if error is not None or done is not None:
        carried = token(scope, error, done, form if error is not None else None, where)
        location = with_outcome(location, carried)
    location = on_this_page(location)
    if where is not None:
        location = f"{location}#{where}"
    response = redirect(location, code=303)
    if error is not None:
        response.headers[REFUSAL_HEADER] = f"{status_of(error)} {error.code}"
    return response


def posted(names: tuple[str, ...]) -> dict[str, str]:
    """The values of the form fields ``names`` the request sent (to fill the form in again)."""
    return {name: request.form[name] for name in names if name in request.form}
