"""Reading a request: its JSON body, its form and its query, each through one pydantic model, with
the limits of ``portals.backend.inputs`` (depth, I-JSON values, dates, durations). Everything is
checked before any backend call, so bad input is a 400 naming the field path and why, changes
nothing and is never a 500.

- ``Body``: a JSON object; unknown fields are refused (a typo should not pass silently), ``null``
  counts as absent, types are strict (``"5"`` is no integer, ``true`` no number).
- ``Form``: form fields as a browser sends them: text, trimmed; other fields are ignored (buttons,
  hidden fields of the page).
- ``Query``: query parameters; others are ignored.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from flask import request
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    model_validator,
)

from portals.backend import Refusal
from portals.backend.inputs import load_json, parse_model
from portals.web.errors import EdgeRefusal

M = TypeVar("M", bound=BaseModel)


class Body(BaseModel):
    """A JSON body: strict types, no unknown fields, ``null`` as absent."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _prepare(cls, data: Any) -> Any:
        """``null`` counts as absent (a subclass may do more, overriding this)."""
        return {k: v for k, v in data.items() if v is not None} if isinstance(data, dict) else data


class Form(BaseModel):
    """Form fields: text, trimmed; fields the model does not name are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Query(BaseModel):
    """Query parameters; those the model does not name are ignored."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


def Text(max_length: int = 4000) -> Any:
    """A string of at most ``max_length`` characters (may be empty)."""
    return Annotated[str, StringConstraints(max_length=max_length)]


def RequiredText(max_length: int = 4000) -> Any:
    """A non-blank string of at most ``max_length`` characters, trimmed."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)]


#: Control characters (C0 but tab, line feed and carriage return; DEL; C1): no text takes them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _prose(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _line(value: str) -> str:
    if "\n" in value or "\r" in value or "\t" in value:
        raise ValueError("must be one line, without control characters")
    return _prose(value)


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError("must be an e-mail address such as ana@contoso.com")
    return value


def Prose(max_length: int) -> Any:
    """A text of at most ``max_length`` characters, not blank, without control characters (line
    breaks and tabs are fine)."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_prose)]


def _line_or_empty(value: str) -> str:
    return _line(value) if value else value


def Line(max_length: int, empty: bool = False) -> Any:
    """A one-line text of at most ``max_length`` characters, not blank (unless ``empty``: then
    ``""`` is taken, as an optional field sent back empty), without control characters."""
    check = _line_or_empty if empty else _line
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(check)]


def RequiredLine(max_length: int) -> Any:
    """A form's ``Line``: as ``RequiredText`` (trimmed; empty is "is required", in the page's
    language), and one line without control characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_line),
    ]


def RequiredProse(max_length: int) -> Any:
    """A form's ``Prose``: as ``RequiredText``, without control characters (line breaks are fine)."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_prose),
    ]


#: An e-mail address (``name@domain.tld``), at most 200 characters.
Email = Annotated[str, StringConstraints(max_length=200), AfterValidator(_email)]


def Choice(*options: str) -> Any:
    """One of ``options`` in any case (as ARM's enums are read), given back in its own spelling."""

    def canonical(value: Any) -> str:
        if isinstance(value, str):
            for option in options:
                if value.lower() == option.lower():
                    return option
        raise ValueError(f"must be one of {', '.join(options)}")

    return Annotated[str, BeforeValidator(canonical)]


# --- the request ------------------------------------------------------------------------------------
_NO_DEFAULT = object()


def json_value(any_type: bool = False, empty: Any = _NO_DEFAULT) -> Any:
    """The body as JSON, read by the shared loader. Unless ``any_type``, the Content-Type must say
    JSON; an empty body is ``empty`` when given, else refused."""
    if not any_type and not request.is_json:
        raise Refusal("InvalidInput", detail="send a JSON body with Content-Type: application/json")
    raw = request.get_data(cache=True)
    if not raw.strip():
        if empty is not _NO_DEFAULT:
            return empty
        raise Refusal("InvalidInput", detail="the body is not valid JSON (it is empty)")
    return load_json(raw)


def json_body(model: type[M], any_type: bool = False, empty: Any = _NO_DEFAULT, label: str = "the body") -> M:
    """The body as ``model``; raises ``Refusal`` InvalidInput naming each bad field."""
    return parse_model(model, json_value(any_type, empty), label=label)


def form(model: type[M]) -> M:
    """The form fields as ``model``."""
    return parse_model(model, request.form.to_dict(), label="the form")


def form_or_query(model: type[M]) -> M:
    """The form fields, else the query parameters, as ``model`` (a page reachable by GET and POST)."""
    return parse_model(model, request.values.to_dict(), label="the form")


def query(model: type[M]) -> M:
    """The query parameters as ``model``."""
    return parse_model(model, request.args.to_dict(), label="the query")


def refuse_repeated_query() -> None:
    """Refuse a query parameter given more than once (names compared in any case), so no
    parameter is read first-one-wins: ``$top=2&$top=500`` is a 400 naming ``$top``. The APIs call
    it for every request, ``api-version`` included."""
    seen: set[str] = set()
    for key in request.args:
        if len(request.args.getlist(key)) > 1 or key.lower() in seen:
            raise Refusal(
                "InvalidInput", detail=f"{key}: given more than once; send each query parameter once"
            )
        seen.add(key.lower())


def refuse_empty_segment() -> None:
    """Refuse a path with an empty segment, a ``//`` anywhere, as no route (404 ``RouteNotFound``
    naming the path as sent). The APIs route with ``merge_slashes`` off, so an inner ``//`` matches
    no route; a leading one needs this check, as servers drop leading slashes before the app sees
    ``PATH_INFO`` (waitress) or before routing (werkzeug). The request target as sent is
    ``REQUEST_URI`` (waitress and the in-process bridge set it), else ``PATH_INFO``."""
    target = request.environ.get("REQUEST_URI") or request.environ.get("PATH_INFO") or ""
    sent = target.split("?", 1)[0].split("#", 1)[0]
    if not sent.startswith("/"):  # the absolute form, http://host/path
        sent = urlsplit(sent).path
    if "//" in sent:
        raise EdgeRefusal("RouteNotFound", path=sent)


# --- inputs two portals share ----------------------------------------------------------------------
class ContractIdsBody(Body):
    """Support for Business's Add contract and Azure's Link support benefits (R-SFB-07, R-AZ-02)."""

    access_id: str
    contract_id: str


class SupportRequestBody(Body):
    """A new support request in Support for Business or Azure (R-SFB-04, R-AZ-06); the backend
    checks the texts and the severity."""

    product: str
    title: Line(200)
    description: Prose(4000)
    severity: str | None = None
    plan: str | None = None


class ContractIdsForm(Form):
    access_id: RequiredText(100)
    contract_id: RequiredText(100)


class SupportRequestForm(Form):
    """The "create a support request" form, for ``World.create_support_request``."""

    product: RequiredText(200)
    title: RequiredLine(200)
    description: RequiredProse(4000)
    severity: Text(10) = "C"
    plan: Text(100) = ""

    def details(self) -> dict[str, Any]:
        return {**self.model_dump(exclude={"plan"}), "plan": self.plan or None}
