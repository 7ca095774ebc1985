"""Property-based fuzz of every route of every portal app, the control API's verbs and seed
documents: random types, deep nesting, huge and non-finite numbers, unicode and control characters,
duplicate keys, wrong content types, hostile query parameters and path segments.

Whatever is sent, the answer is never a 5xx, never carries a stack trace, and a 4xx changes
nothing (every world's snapshot and the stage world's fault rules compared). Routes come from the
apps' URL maps (``stage.routes``), so a new route is fuzzed without editing this file.

Budget: ``PORTAL_HARNESS_FUZZ_EXAMPLES`` examples per route (default 16, derandomized, so ``make
test`` runs the same examples every time in well under a minute); ``make fuzz`` runs a long,
random search (``PORTAL_HARNESS_FUZZ=long``, 500 examples per route by default).
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from stage import LEAKS, WORLD, Route, build_stage, routes, ticket_body

from portals.backend import Refusal, build_world, parse_document
from portals.backend.inputs import MAX_INTEGER
from portals.web.requests_in import Body, Form, Query
from portals.web.tokens import mint_token

LONG = os.environ.get("PORTAL_HARNESS_FUZZ") == "long"
EXAMPLES = int(os.environ.get("PORTAL_HARNESS_FUZZ_EXAMPLES", "500" if LONG else "16"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not LONG,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)

STAGE = build_stage()
ROUTES = routes(STAGE)


def _field_names() -> list[str]:
    """Every field name of every input model: random objects use them, to get past the first
    'is not a known field' into each model's own checks."""
    names: set[str] = set()
    pending: list[type] = [Body, Form, Query]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        for name, info in getattr(model, "model_fields", {}).items():
            names.add(info.validation_alias if isinstance(info.validation_alias, str) else name)
    return sorted(names | {"document", "properties", "contactDetails", "world", "organisations", "accounts"})


FIELDS = _field_names()

# --- values ---------------------------------------------------------------------------------------------
HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "<script>alert(1)</script>",
        "1\r\nSet-Cookie: pwn=1",
        "\x00",
        "\u202e\u200b",
        "P99999999999D",
        "P99999999Y",
        "-P1D",
        "PT",
        "9999-12-31T23:59:59Z",
        "0001-01-01",
        "9999-12-31T23:59:59-05:00",
        "2021-02-30",
        "^/(a+)+$",
        "^(a)\\1",
        "*",
        "../../etc/passwd",
        "%00",
        "cast",
        "default",
        "windows-10",
        "app-service",
        "csp",
        "premier",
        "spurious",
        "diagnostic",
        "keep",
        "next",
        "user@contoso.com",
        "x" * 5000,
        "é" * 300,
    ]
)
TEXT = st.one_of(
    HOSTILE_TEXT, st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
)
NUMBER = st.one_of(
    st.integers(min_value=-MAX_INTEGER, max_value=MAX_INTEGER),
    st.sampled_from([0, -1, 1, 59_999, 60_001, 10**9, 36_500, 36_501, 1e300, -1e300, 0.5, 1.5, 2**53 - 1]),
    st.floats(allow_nan=False, allow_infinity=False),
)
SCALAR = st.one_of(st.none(), st.booleans(), NUMBER, TEXT)


def _objects(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=12))
    return st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=6))


JSON = st.recursive(SCALAR, _objects, max_leaves=24)
#: JSON text no encoder writes: what a hostile client can send anyway.
RAW_JSON = st.one_of(
    st.integers(60, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(60, 3000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.sampled_from(
        [
            '{"activation_delay": NaN}',
            '{"activation_delay": Infinity}',
            '{"by": -Infinity}',
            '{"status": 1e999}',
            '{"times": ' + "9" * 5000 + "}",
            '{"title": "\\ud800", "product": "windows-10", "description": "x"}',
            '{"access_id": "a", "access_id": "b", "contract_id": "c"}',
            '{"name": "a", "name": "b"}',
            "{not json",
            "",
            "null",
            "[]",
            '"text"',
            "\xff\xfe",
        ]
    ),
)
#: YAML a seed document may be sent as: aliases, tags, cycles, bombs.
RAW_YAML = st.sampled_from(
    [
        "a: &a [*a]",
        "world: {seed: !!binary aGk=}",
        "world: {seed: !!python/object:os.system x}",
        "a: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(
            f"{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
            for p, n in zip("abcdefg", "bcdefgh", strict=True)
        ),
        "world: " + "[" * 2000 + "]" * 2000,
        "world: {activation_delay: .nan}",
        "world: {start: 9999-12-31}",
        "organisations: [{id: a, membership: gold, benefits: {activated: 0001-01-01}}]",
        "world: {}\nworld: {}",
        "1: 2",
        "- a\n- b",
        "? [a]\n: b",
    ]
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/yaml",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "",
    ]
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["json", "raw", "yaml", "form", "bytes"]))
    if kind == "json":
        return json.dumps(draw(JSON)).encode()
    if kind == "raw":
        return draw(RAW_JSON).encode("utf-8", "surrogatepass")
    if kind == "yaml":
        return draw(RAW_YAML).encode()
    if kind == "form":
        fields = draw(st.dictionaries(st.sampled_from(FIELDS), TEXT, max_size=6))
        return urlencode(fields).encode()
    return draw(st.binary(max_size=64))


QUERY_NAMES = [
    "api-version",
    "$top",
    "$skipToken",
    "$filter",
    "size",
    "seekOperation",
    "product",
    "name",
    "seed",
    "secrets",
    "world",
    "lang",
    "login_hint",
    "next",
    "created",
]
FILTERS = st.sampled_from(
    [
        "status eq 'Open'",
        "createdDate ge 0001-01-01T00:00:00Z",
        "createdDate ge 9999-12-31",
        "createdDate gt 2021-03-04",
        "status eq 'Open' and serviceId eq 'x'",
        "colour eq 'red'",
        "status eq '" + "'" * 500,
        "status eq",
    ]
)


@st.composite
def requests_for(draw: st.DrawFn, route: Route) -> dict[str, Any]:
    """One request to ``route``: its path (parameters mostly the stage's, sometimes hostile), query,
    headers and body."""
    given = {
        name: quote(draw(TEXT), safe="") or "x"
        for name in route.arguments
        if draw(st.integers(0, 4)) == 0 and name != "locale"
    }
    path = STAGE.path(route, **given)
    query: dict[str, str] = {}
    if not route.is_control and not STAGE.is_api(route):
        query.update(world=WORLD, login_hint=draw(st.sampled_from(["user@contoso.com", "admin@contoso.com"])))
    elif draw(st.integers(0, 5)):
        query["api-version"] = "2024-04-01"
    for name in draw(st.lists(st.sampled_from(QUERY_NAMES), max_size=3, unique=True)):
        query[name] = draw(FILTERS) if name == "$filter" else draw(TEXT)
    headers = {}
    auth = draw(st.sampled_from(["user", "admin", "agent", "none", "garbage", "other-world"]))
    upn = {"user": "user@contoso.com", "admin": "admin@contoso.com", "agent": "agent@wingtip.com"}.get(auth)
    if upn:
        headers.update(STAGE.headers(route, upn))
    elif auth == "garbage":
        headers["Authorization"] = draw(
            st.sampled_from(["Bearer x.y.z", "Bearer", "Basic abc", "Bearer ..."])
        )
    elif auth == "other-world":
        headers.update(
            {"Authorization": f"Bearer {mint_token('user@contoso.com')}", "X-Harness-World": "nowhere"}
        )
    if draw(st.booleans()):
        headers["Accept-Language"] = draw(st.sampled_from(["es-ES", "it-IT", "xx", "*", "en;q=nan"]))
    body = draw(bodies()) if route.method in ("POST", "PUT", "PATCH") or draw(st.integers(0, 9)) == 0 else b""
    content_type = draw(CONTENT_TYPES)
    return {
        "path": f"{path}?{urlencode(query)}" if query else path,
        "method": route.method,
        "headers": headers,
        "data": body,
        "content_type": content_type or None,
    }


#: Whether the stage may differ from its pristine state: a write was answered below 400. (A read
#: changes nothing, and a 4xx changing something fails the test that saw it.)
_changed = [True]


def _answer_is_sound(route: Route, sent: dict[str, Any]) -> None:
    if _changed[0]:
        STAGE.reset()
    before = STAGE.state()
    answer = STAGE.client(route.portal).open(**sent)
    _changed[0] = route.method != "GET" and answer.status_code < 400
    text = answer.get_data().decode("utf-8", "replace")  # the icon is not text
    assert answer.status_code < 500, f"{route}: {sent['path']} answered {answer.status_code}: {text[:500]}"
    assert not LEAKS.search(text), f"{route}: the answer leaks a trace: {text[:500]}"
    if 400 <= answer.status_code < 500:
        assert STAGE.state() == before, f"{route}: a {answer.status_code} changed the state: {text[:300]}"


@pytest.mark.parametrize("route", ROUTES, ids=str)
@FUZZ
@given(data=st.data())
def test_no_route_answers_5xx_leaks_a_trace_or_changes_state_on_a_4xx(
    route: Route, data: st.DataObject
) -> None:
    _answer_is_sound(route, data.draw(requests_for(route), label="request"))


def test_every_portal_and_the_control_api_are_fuzzed() -> None:
    assert {r.portal for r in ROUTES} == set(STAGE.apps)
    assert any(r.is_control for r in ROUTES) and len(ROUTES) >= 100, len(ROUTES)


# --- valid requests with one bad field ------------------------------------------------------------------
#: For each write route: who sends it, a request the route accepts (a page's form, an API's JSON),
#: and the path parameters that make it a new resource. One field of it is then spoiled: a refused
#: request must change nothing, however far the handler got before the bad field was read.
_REQUEST = {"product": "windows-10", "title": "Spooler", "description": "Stops at 09:00", "severity": "C"}
_CLOUD = {**_REQUEST, "product": "app-service"}
_IDS = {"access_id": STAGE.ids["access_id"], "contract_id": STAGE.ids["contract_id"]}
_CSP = {"workload": "azure", "title": "VM", "description": "Stops", "product": "app-service", "severity": "C"}
_ARM = "/subscriptions/<subscription>/providers/Microsoft.Support/supportTickets/<name>"
_NOTE_REQUEST = {
    "title": "Activate fails",
    "description": "The button answers an error",
    "supportTopicId": "32444671",
    "severity": "Minimal",
    "primaryContact": {"firstName": "Ana", "lastName": "García", "email": "ana@contoso.com"},
    "newNote": {"text": "Tried twice"},
}
VALID: dict[tuple[str, str, str], tuple[str, str, dict[str, Any], dict[str, str]]] = {
    ("support_for_business", "POST", "/supportforbusiness/contracts/add"): (
        "form",
        "admin@contoso.com",
        {**_IDS, **{k: _REQUEST[k] for k in ("product", "title", "description")}},
        {},
    ),
    ("support_for_business", "POST", "/supportforbusiness/create/submit"): (
        "form",
        "user@contoso.com",
        {**_REQUEST, "plan": STAGE.ids["contract_id"]},
        {},
    ),
    ("support_for_business", "POST", "/api/contracts"): ("json", "admin@contoso.com", _IDS, {}),
    ("support_for_business", "POST", "/api/requests"): ("json", "user@contoso.com", _REQUEST, {}),
    ("azure", "POST", "/help-support/plans/link"): ("form", "admin@contoso.com", _IDS, {}),
    ("azure", "POST", "/help-support/new"): ("form", "user@contoso.com", _CLOUD, {}),
    ("azure", "POST", "/api/supportplans/link"): ("json", "admin@contoso.com", _IDS, {}),
    ("azure", "POST", "/api/supportrequests"): ("json", "user@contoso.com", _CLOUD, {}),
    ("partner_center", "POST", "/commerce/customers/<customer_id>/servicemanagement/newrequest"): (
        "form",
        "agent@wingtip.com",
        _CSP,
        {"customer_id": "relecloud"},
    ),
    ("partner_center", "POST", "/support/partnersupport/purchase"): (
        "form",
        "admin@contoso.com",
        {"offer": "premier"},
        {},
    ),
    ("partner_center", "POST", "/api/customers/<customer_id>/servicerequests"): (
        "json",
        "agent@wingtip.com",
        _CSP,
        {"customer_id": "relecloud"},
    ),
    ("partner_center", "POST", "/api/supportplans/purchase"): (
        "json",
        "admin@contoso.com",
        {"offer": "premier"},
        {},
    ),
    ("azure_management", "PUT", _ARM): (
        "json",
        "user@contoso.com",
        ticket_body(STAGE.ids["service"]),
        {"name": "t2"},
    ),
    ("azure_management", "PATCH", _ARM): (
        "json",
        "user@contoso.com",
        {"severity": "minimal", "status": "closed", "contactDetails": {"firstName": "Ana"}},
        {},
    ),
    ("azure_management", "PUT", f"{_ARM}/communications/<message>"): (
        "json",
        "user@contoso.com",
        {"properties": {"subject": "More", "body": "Logs"}},
        {"message": "m2"},
    ),
    ("partner_center_api", "POST", "/v1/servicerequests/<locale:locale>"): (
        "json",
        "admin@contoso.com",
        _NOTE_REQUEST,
        {},
    ),
    ("partner_center_api", "PATCH", "/v1/servicerequests/<request_id>"): (
        "json",
        "admin@contoso.com",
        {"status": "closed", "severity": "Critical", "newNote": {"text": "Solved"}},
        {},
    ),
}
VALID_ROUTES = [r for r in ROUTES if (r.portal, r.method, r.rule) in VALID]
#: What a spoiled field becomes: gone, blank, too long, hostile text, or another JSON type.
SPOILED = st.one_of(
    st.just(...),
    st.sampled_from(["", " ", "x" * 5000, "0000000000", "windows-xp", "nowhere", "9999-12-31"]),
    HOSTILE_TEXT,
    st.sampled_from([None, 0, -1, True, 1e300, [], {}, ["x"], {"text": ""}]),
)


def _paths(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of every field of ``data``, nested objects' fields too."""
    found = []
    for key, value in data.items():
        found.append((*prefix, key))
        if isinstance(value, dict):
            found.extend(_paths(value, (*prefix, key)))
    return found


def _spoil(data: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    spoiled = json.loads(json.dumps(data))
    parent = spoiled
    for key in path[:-1]:
        parent = parent[key]
    if value is ...:
        parent.pop(path[-1])
    else:
        parent[path[-1]] = value
    return spoiled


def _refused(client: Any, answer: Any) -> bool:
    """Whether the request was refused: a 4xx; or, for a page's form, a 303 naming a refusal, or
    to a page of this portal that answers a 4xx (the form's own fields refused there), followed by
    the same client (its cookies name the world and the account)."""
    if 400 <= answer.status_code < 500 or answer.headers.get("X-Harness-Refusal"):
        return True
    location = answer.headers.get("Location", "")
    if answer.status_code != 303 or not location.startswith("/"):
        return False
    followed = client.get(location)
    return 400 <= followed.status_code < 500


#: Each field of each valid request is spoiled each of these ways (``...``: removed).
SPOILERS = (..., "", " ", "x" * 5000, 0, [], {"text": ""})


def _spoiled_request_is_sound(route: Route, path: tuple[str, ...], value: Any) -> None:
    """Send ``route``'s valid request with the field at ``path`` spoiled to ``value``: never a 5xx,
    and if it is refused, nothing changed."""
    kind, upn, valid, given = VALID[(route.portal, route.method, route.rule)]
    sent = _spoil(valid, path, value)
    STAGE.reset()
    _changed[0] = True
    before = STAGE.state()
    url = STAGE.path(route, **given)
    client = STAGE.client(route.portal)
    if kind == "form":
        form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in sent.items()}
        answer = client.open(f"{url}?{STAGE.page_query(upn)}", method=route.method, data=form)
    else:
        query = "?api-version=2024-04-01" if route.portal == "azure_management" else ""
        answer = client.open(
            f"{url}{query}", method=route.method, json=sent, headers=STAGE.headers(route, upn)
        )
    text = answer.get_data(as_text=True)
    assert answer.status_code < 500, (
        f"{route}: {path} = {value!r:.40} answered {answer.status_code}: {text[:300]}"
    )
    if _refused(client, answer):
        assert STAGE.state() == before, (
            f"{route}: refused with {path} = {value!r:.40}, yet changed: {text[:300]}"
        )


@pytest.mark.parametrize("route", VALID_ROUTES, ids=str)
def test_every_field_of_a_valid_request_spoiled_is_refused_changing_nothing_or_accepted(route: Route) -> None:
    """The sweep: every field of the route's valid request, each spoiled every way of ``SPOILERS``."""
    _, _, valid, _ = VALID[(route.portal, route.method, route.rule)]
    for path in _paths(valid):
        for value in SPOILERS:
            _spoiled_request_is_sound(route, path, value)


@pytest.mark.parametrize("route", VALID_ROUTES, ids=str)
@FUZZ
@given(data=st.data())
def test_a_refused_request_with_one_bad_field_among_valid_ones_changes_nothing(
    route: Route, data: st.DataObject
) -> None:
    """The random search: one field spoiled with any hostile value."""
    _, _, valid, _ = VALID[(route.portal, route.method, route.rule)]
    path = data.draw(st.sampled_from(_paths(valid)), label="field")
    _spoiled_request_is_sound(route, path, data.draw(SPOILED, label="value"))


def test_every_write_route_of_the_portals_has_a_valid_request_to_spoil() -> None:
    assert len(VALID_ROUTES) == len(VALID), sorted(
        set(VALID) - {(r.portal, r.method, r.rule) for r in ROUTES}
    )


# --- seed documents ----------------------------------------------------------------------------------------
SEED_VALUES = st.one_of(SCALAR, st.sampled_from(["P3D", "2021-03-04", "gold", "mpn", "csp", "azure", "sfb"]))


@st.composite
def seed_documents(draw: st.DrawFn) -> str:
    """A seed document as text: a real one with a field changed, or random YAML/JSON."""
    base: dict[str, Any] = json.loads(json.dumps(STAGE.world.document or {}))
    kind = draw(st.sampled_from(["mutated", "random", "raw"]))
    if kind == "raw":
        return draw(st.one_of(RAW_YAML, RAW_JSON))
    if kind == "random":
        return json.dumps(draw(JSON))
    section = draw(st.sampled_from(["world", "organisations", "accounts", "plans", "requests"]))
    target: Any = base.setdefault(section, {} if section == "world" else [])
    if isinstance(target, list):
        if not target:
            target.append({})
        target = target[draw(st.integers(0, len(target) - 1))]
    key = draw(
        st.one_of(
            st.sampled_from([*FIELDS, "benefits", "contracts", "used", "at", "start"]), st.text(max_size=8)
        )
    )
    target[key] = draw(st.one_of(SEED_VALUES, JSON))
    return json.dumps(base) if draw(st.booleans()) else _as_yaml(base)


def _as_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True)


@FUZZ
@given(text=seed_documents())
def test_seed_documents_are_built_or_refused_never_anything_else(text: str) -> None:
    try:
        build_world("fuzzed", parse_document(text))
    except Refusal as refusal:
        assert refusal.code in ("InvalidSeed", "InvalidInput"), refusal
        assert refusal.message()


# --- accepted states must work ------------------------------------------------------------------------------
#: Every page and API read, and the dashboard's pages of the world (they show all of its state).
GET_ROUTES = [r for r in ROUTES if r.method == "GET" and (not r.is_control or r.is_dashboard)]
USERS = ("user@contoso.com", "admin@contoso.com", "agent@wingtip.com")


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``data`` (objects' members and lists' items), the containers' own too."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_leaves(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_leaves(value, (*path, index)))
    return found


@st.composite
def mutated_snapshots(draw: st.DrawFn) -> dict[str, Any]:
    """The stage world's snapshot with one to three values changed: to another value the snapshot
    holds (an ID where another belongs), a number out of range, text, null, or removed."""
    snapshot: dict[str, Any] = json.loads(json.dumps(STAGE.pristine))
    state = snapshot["state"]
    pool = [value for path in _leaves(state) if not isinstance(value := _at(state, path), (dict, list))]
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _leaves(state) if p]
        path = draw(st.sampled_from(paths))
        parent = _at(state, path[:-1])
        choice = draw(st.sampled_from(["swap", "number", "text", "null", "remove"]))
        if choice == "remove":
            parent.pop(path[-1])
            continue
        parent[path[-1]] = {
            "swap": lambda: draw(st.sampled_from(pool)),
            "number": lambda: draw(st.sampled_from([-1, 0, 10**9, 10**12, 2**53 - 1, 0.5])),
            "text": lambda: draw(TEXT),
            "null": lambda: None,
        }[choice]()
    return snapshot


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _sweep() -> None:
    """Every page and API read of every portal, as each of a few accounts: none answers a 5xx."""
    for route in GET_ROUTES:
        for upn in USERS:
            client = STAGE.client(route.portal)
            if STAGE.is_api(route):
                answer = client.get(
                    f"{STAGE.path(route)}?api-version=2024-04-01", headers=STAGE.headers(route, upn)
                )
            else:
                answer = client.get(f"{STAGE.path(route)}?{STAGE.page_query(upn)}")
            text = answer.get_data().decode("utf-8", "replace")
            assert answer.status_code < 500, f"{route} as {upn} answered {answer.status_code}: {text[:300]}"


@settings(FUZZ, max_examples=max(EXAMPLES * 2, 20))
@given(snapshot=mutated_snapshots())
def test_a_snapshot_the_control_api_accepts_makes_a_world_that_never_answers_5xx(
    snapshot: dict[str, Any],
) -> None:
    STAGE.reset()
    _changed[0] = True
    control = STAGE.client("azure")
    answer = control.put(f"/_harness/worlds/{WORLD}/snapshot", json=snapshot)
    event(f"restore answered {answer.status_code}")
    assert answer.status_code < 500, answer.get_data(as_text=True)[:500]
    if answer.status_code < 300:
        _sweep()
    else:
        assert answer.json["error"]["code"] == "InvalidInput", answer.json
