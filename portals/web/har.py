"""The journal as HAR 1.2 (browsers' dev tools and HAR viewers open it). Custom fields start with
``_`` as the format asks: ``_portal``, ``_worldTime``, ``_fault``, ``_error``.

Credentials are redacted by default, as browsers' HAR export leaves out cookies and authorization:
the values of the journal's ``SECRET_HEADERS`` and of every cookie read from them say
``[redacted]``; ``keep_secrets`` keeps them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from werkzeug.http import parse_cookie

import portals
from portals.web.journal import REDACTED, redact_headers


def to_har(entries: list[dict[str, Any]], keep_secrets: bool = False, dropped: int = 0) -> dict[str, Any]:
    """Journal entries (``portals.web.journal``, as recorded) as a HAR 1.2 log: ``{"log":
    {"version", "creator", "entries"}}``; credentials redacted unless ``keep_secrets``. When the
    journal budget let ``dropped`` older entries go, the log says so in its ``comment`` and in
    ``_dropped``."""
    creator = {"name": "portal-harness", "version": portals.__version__}
    har_entries = [_har_entry(e) for e in entries]
    if not keep_secrets:
        har_entries = [_redacted(e) for e in har_entries]
    log: dict[str, Any] = {"version": "1.2", "creator": creator, "entries": har_entries}
    if dropped:
        log["comment"] = f"{dropped} older entries were dropped to keep the journal within its budget"
        log["_dropped"] = dropped
    return {"log": log}


def _redacted(har: dict[str, Any]) -> dict[str, Any]:
    request, response = har["request"], har["response"]
    return {
        **har,
        "request": {
            **request,
            "headers": redact_headers(request["headers"]),
            "cookies": [{**c, "value": REDACTED} for c in request["cookies"]],
        },
        "response": {
            **response,
            "headers": redact_headers(response["headers"]),
            "cookies": [{**c, "value": REDACTED} for c in response["cookies"]],
        },
    }


def _har_entry(entry: dict[str, Any]) -> dict[str, Any]:
    sent, got = entry["request"], entry["response"]
    request: dict[str, Any] = {
        "method": entry["method"],
        "url": entry["url"],
        "httpVersion": sent["http_version"],
        "headers": sent["headers"],
        "queryString": _pairs(parse_qsl(urlsplit(entry["url"]).query, keep_blank_values=True)),
        "cookies": _pairs(parse_cookie(_header(sent["headers"], "Cookie")).items(multi=True)),
        "headersSize": -1,
        "bodySize": sent["body_size"],
    }
    if sent["body_size"]:
        mime = _header(sent["headers"], "Content-Type") or "application/octet-stream"
        request["postData"] = {"mimeType": mime, "text": sent["body"]}
    set_cookies = [h["value"] for h in got.get("headers", []) if h["name"].lower() == "set-cookie"]
    response = {
        "status": entry["status"],
        "statusText": got.get("status_text", ""),
        "httpVersion": sent["http_version"],
        "headers": got.get("headers", []),
        "cookies": [_set_cookie(value) for value in set_cookies],
        "content": {
            "size": got.get("body_size", 0),
            "mimeType": _header(got.get("headers", []), "Content-Type") or "x-unknown",
            "text": got.get("body", ""),
        },
        "redirectURL": _header(got.get("headers", []), "Location"),
        "headersSize": -1,
        "bodySize": got.get("body_size", 0) if entry["status"] else -1,
    }
    har: dict[str, Any] = {
        "startedDateTime": entry["time"],
        "time": entry["duration_ms"],
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": entry["duration_ms"], "receive": 0},
        "_portal": entry["portal"],
        "_worldTime": entry["world_time"],
    }
    if entry["fault"]:
        har["_fault"] = entry["fault"]
    if entry.get("error"):
        har["_error"] = entry["error"]
    return har


def _header(headers: list[dict[str, str]], name: str) -> str:
    return next((h["value"] for h in headers if h["name"].lower() == name.lower()), "")


def _set_cookie(value: str) -> dict[str, str]:
    name, _, rest = value.partition(";")[0].partition("=")
    return {"name": name.strip(), "value": rest.strip()}


def _pairs(items: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in items]
