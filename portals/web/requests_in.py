"""Reading input: JSON bodies and form fields, checked before any backend call so that bad input
is a 400 naming the field, and never a 500."""

from __future__ import annotations

from typing import Any

from flask import request

from portals.backend.errors import Refusal

Spec = dict[str, type | tuple[type, ...]]


def json_body(required: Spec, optional: Spec | None = None) -> dict[str, Any]:
    """The request's JSON object, with the required fields present and every field of its type.
    Unknown fields are refused too: a typo should not pass silently."""
    optional = optional or {}
    if not request.is_json:
        raise Refusal("InvalidInput", detail="send a JSON body with Content-Type: application/json")
    body = request.get_json(silent=True)
    if body is None:
        raise Refusal("InvalidInput", detail="the body is not valid JSON")
    if not isinstance(body, dict):
        raise Refusal("InvalidInput", detail="the body must be a JSON object")
    return check_fields(body, required, optional)


def check_fields(body: dict[str, Any], required: Spec, optional: Spec) -> dict[str, Any]:
    unknown = sorted(set(body) - set(required) - set(optional))
    if unknown:
        known = ", ".join([*required, *optional]) or "none"
        raise Refusal("InvalidInput", detail=f"unknown field {unknown[0]!r} (known: {known})")
    for name in required:
        if name not in body or body[name] is None:
            raise Refusal("InvalidInput", detail=f"{name}: is required")
    for name, kind in {**required, **optional}.items():
        if name in body and body[name] is not None and not _is(body[name], kind):
            raise Refusal("InvalidInput", detail=f"{name}: must be {_kind_name(kind)}")
    return {k: v for k, v in body.items() if v is not None}


def _is(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and (int in kinds or float in kinds):  # JSON true is no number
        return False
    return isinstance(value, kind)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        dict: "an object",
        list: "a list",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def form_field(name: str, required: bool = True, max_length: int = 4000) -> str:
    """A form field's text; a missing required one is a 400 naming it."""
    value = request.form.get(name, "")
    if required and not value.strip():
        raise Refusal("InvalidInput", detail=f"{name}: is required")
    if len(value) > max_length:
        raise Refusal("InvalidInput", detail=f"{name}: at most {max_length} characters")
    return value.strip()


def support_request_form() -> dict[str, Any]:
    """The fields of a "create a support request" form, for ``World.create_support_request``."""
    return {
        "product": form_field("product", max_length=200),
        "title": form_field("title", max_length=200),
        "description": form_field("description"),
        "severity": request.form.get("severity", "C"),
        "plan": request.form.get("plan") or None,
    }
