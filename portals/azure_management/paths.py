"""ARM reads provider namespaces and resource types in any case (Azure Resource Manager's resource
naming rules: "resource and resource group names are case-insensitive", and so are namespaces and
types): ``/SUBSCRIPTIONS/sub1/providers/microsoft.support/supporttickets`` is
``/subscriptions/sub1/providers/Microsoft.Support/supportTickets``. Flask's routes match exactly, so
this WSGI middleware rewrites the fixed segments of a path to the spelling the routes use before
they are matched; the names in between (subscription, ticket, message, workspace…) are left as sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def literal_segments(app: Flask) -> dict[str, str]:
    """Every fixed segment of the app's routes, by its lower case (``supporttickets`` →
    ``supportTickets``)."""
    found: dict[str, str] = {}
    for rule in app.url_map.iter_rules():
        for segment in rule.rule.split("/"):
            if segment and "<" not in segment:
                found.setdefault(segment.lower(), segment)
    return found


def canonical_path(path: str, literals: dict[str, str]) -> str:
    """``path`` with ``subscriptions``, ``providers``, the namespace and each resource type or
    action spelled as the routes spell them. After ``/providers/{namespace}``, segments alternate
    type, name, type, name…: only the types are rewritten. A path of another form is left alone."""
    segments = path.split("/")
    if len(segments) < 3 or segments[0] != "":
        return path
    at = 1
    if segments[1].lower() == "subscriptions" and len(segments) > 3:
        segments[1] = literals.get("subscriptions", segments[1])
        at = 3
    if segments[at].lower() != "providers" or len(segments) <= at + 1:
        return "/".join(segments)
    segments[at] = literals.get("providers", segments[at])
    segments[at + 1] = literals.get(segments[at + 1].lower(), segments[at + 1])
    for index in range(at + 2, len(segments), 2):
        segments[index] = literals.get(segments[index].lower(), segments[index])
    return "/".join(segments)


def install(app: Flask) -> None:
    """Wrap ``app.wsgi_app`` (outermost, after the routes are registered) so every path is matched
    in ARM's case-insensitive way."""
    literals = literal_segments(app)
    inner: WsgiApp = app.wsgi_app

    def case_insensitive(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        environ["PATH_INFO"] = canonical_path(path, literals)
        return inner(environ, start_response)

    app.wsgi_app = case_insensitive  # type: ignore[method-assign]
