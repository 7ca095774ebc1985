"""Snapshots: a world's state to JSON and back, through pydantic's dataclass support (no
hand-written field lists to fall out of step with the model).

A snapshot is checked whole before a world is made of it: its shape (pydantic), then its meaning
(``check_state``): every reference resolves, counts and counters are in range, instants and
durations within the clock's bounds. So a restored world never answers a 500 for its own state.

A snapshot is ``{"format", "state", "document", "origin"}``: the state; the seed document the world
was first built from; and ``origin``, the state ``reset`` returns to when the world was last built
from a snapshot (null: ``reset`` rebuilds it from ``document``). ``origin`` is a bare state, never a
snapshot, so snapshots of restored worlds do not nest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError

from portals.backend.catalog import PRODUCTS, SEVERITIES, SUPPORT_TOPICS
from portals.backend.clock import EARLIEST, LATEST, MAX_DURATION, format_instant, within_bounds
from portals.backend.errors import Refusal
from portals.backend.ids import COUNTERS, is_access_id
from portals.backend.inputs import InputError, check_values, path_text, problems
from portals.backend.model import (
    MAX_LRO_POLLS,
    MAX_LRO_RETRY_AFTER,
    AccountKind,
    ContractKind,
    Pool,
    Portal,
    RequestStatus,
    WorldState,
    personal_account_extras,
)

FORMAT = "portal-harness/world-snapshot@1"


@cache
def _adapter() -> TypeAdapter[WorldState]:
    return TypeAdapter(WorldState)


def dump_state(
    state: WorldState, document: dict[str, Any] | None, origin: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "state": state_data(state),
        "document": document,
        "origin": origin,
    }


def state_data(state: WorldState) -> dict[str, Any]:
    """A world's state as JSON-ready data (the ``state`` of a snapshot)."""
    return _adapter().dump_python(state, mode="json")


def _state(data: Any, field: str) -> WorldState:
    try:
        check_values(data)
        # strict, as JSON: integers are integers (``used: true`` is refused), text is text; dates
        # and durations are read from their ISO-8601 text
        state = _adapter().validate_json(json.dumps(data), strict=True)
    except InputError as error:
        raise Refusal(
            "InvalidInput", detail=f"snapshot {field}.{path_text(error.path)}: {error.why}"
        ) from None
    except ValidationError as error:
        found = "; ".join(f"snapshot {field}.{problem}" for problem in problems(error, "(state)")[:5])
        raise Refusal("InvalidInput", detail=found) from None
    problem = next(state_problems(state), None)
    if problem is not None:
        raise Refusal("InvalidInput", detail=f"snapshot {field}.{problem}")
    return state


#: Counters (of IDs taken) go from 0 to this.
MAX_COUNTER = 999_999_999


#: A request number: the day it was filed (``yymmdd``), then the world's request counter.
_REQUEST_NUMBER = re.compile(r"^\d{6}(\d{10})$")


def state_problems(state: WorldState) -> Iterator[str]:
    """What makes ``state`` no state a world can be in, each as ``path: why``: a reference to
    nothing (an association's contract, a contract's organisation, a request's product, plan or
    account), a count out of range (``used`` below 0 or above the pool's limit, a counter), a
    counter below what the state's IDs took (the next ID would reuse one), an ID used twice (an
    Access ID), a contract that ends before it starts or lacks what its kind has (an end, an Access
    ID), a personal account in an organisation (D8), an instant or duration outside the clock's
    bounds, a key that is not its value's ID."""
    yield from _instant_problems("now", state.now)
    settings = state.settings
    for name in ("activation_delay", "membership_term"):
        delay: timedelta = getattr(settings, name)
        if not timedelta(0) <= delay <= MAX_DURATION:
            yield f"settings.{name}: must be a duration from zero to 100 years"
    if not 0 <= settings.lro_polls <= MAX_LRO_POLLS:
        yield f"settings.lro_polls: must be from 0 to {MAX_LRO_POLLS}"
    if not 1 <= settings.lro_retry_after <= MAX_LRO_RETRY_AFTER:
        yield f"settings.lro_retry_after: must be from 1 to {MAX_LRO_RETRY_AFTER}"
    for kind, count in state.counters.items():
        if kind not in COUNTERS:
            known = f"{', '.join(COUNTERS[:-1])} and {COUNTERS[-1]}"
            yield f"counters.{kind}: no such counter; the counters are {known}"
        elif not 0 <= count <= MAX_COUNTER:
            yield f"counters.{kind}: {count} is not from 0 to {MAX_COUNTER}"
    yield from _counter_problems(state)
    orgs, accounts, contracts = state.organisations, state.accounts, state.contracts
    access_ids: dict[str, str] = {}
    for key, contract in contracts.items():
        at = f"contracts.{key}"
        if contract.contract_id != key:
            yield f"{at}.contract_id: {contract.contract_id!r} is not its key {key!r}"
        if contract.organisation not in orgs:
            yield f"{at}.organisation: no organisation {contract.organisation!r}"
        if contract.purchased_by is not None and contract.purchased_by not in accounts:
            yield f"{at}.purchased_by: no account {contract.purchased_by!r}"
        for field in ("requested_at", "start", "end"):
            moment = getattr(contract, field)
            if moment is not None:
                yield from _instant_problems(f"{at}.{field}", moment)
        yield from _contract_shape_problems(at, contract)
        if contract.access_id is not None and not is_access_id(contract.access_id):
            yield (
                f"{at}.access_id: {contract.access_id!r} is not an Access ID: a GUID, "
                "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hexadecimal digits (D1)"
            )
        elif contract.access_id is not None:
            first = access_ids.setdefault(contract.access_id.lower(), key)
            if first != key:
                yield f"{at}.access_id: {contract.access_id!r} is also contract {first!r}'s Access ID"
        for field in ("on_premises", "cloud"):
            pool: Pool | None = getattr(contract, field)
            if pool is not None:
                yield from _pool_problems(f"{at}.{field}", pool)
    for key, account in accounts.items():
        at = f"accounts.{key}"
        if key != key.lower():
            yield f"{at}: an account's key is its UPN in lower case ({key.lower()!r})"
        elif account.upn.lower() != key:
            yield f"{at}.upn: {account.upn!r} is not its key {key!r}"
        if account.organisation is not None and account.organisation not in orgs:
            yield f"{at}.organisation: no organisation {account.organisation!r}"
        if account.kind is AccountKind.MSA:
            for field in personal_account_extras(account.organisation, account.tenant, account.roles):
                what = "role but user" if field == "roles" else field
                yield f"{at}.{field}: a personal (msa) account has no {what} (D8)"
    for key, org in orgs.items():
        at = f"organisations.{key}"
        if org.id != key:
            yield f"{at}.id: {org.id!r} is not its key {key!r}"
        if org.membership_end is not None:
            yield from _instant_problems(f"{at}.membership_end", org.membership_end)
        for field, kinds in (
            ("benefits_contract", (ContractKind.PARTNER_BENEFITS,)),
            ("csp_contract", (ContractKind.CSP,)),
        ):
            named = getattr(org, field)
            if named is None:
                continue
            contract = contracts.get(named)
            if contract is None or contract.organisation != key or contract.kind not in kinds:
                yield f"{at}.{field}: no {kinds[0].value} contract {named!r} of this organisation"
        customer_ids = [customer.id for customer in org.customers]
        if len(set(customer_ids)) != len(customer_ids):
            yield f"{at}.customers: a customer id is used twice"
    pairs: dict[tuple[str, str], int] = {}
    for index, association in enumerate(state.associations):
        at = f"associations[{index}]"
        first_at = pairs.setdefault((association.upn, association.contract_id), index)
        if first_at != index:  # as a seed lists a contract once per account (D3)
            yield (
                f"{at}: account {association.upn!r} and contract {association.contract_id!r} are "
                f"associations[{first_at}] already"
            )
        if association.upn not in accounts:
            yield f"{at}.upn: no account {association.upn!r}"
        if association.contract_id not in contracts:
            yield f"{at}.contract_id: no contract {association.contract_id!r}"
        yield from _instant_problems(f"{at}.at", association.at)
    for index, link in enumerate(state.customer_associations):
        at = f"customer_associations[{index}]"
        org = orgs.get(link.organisation)
        if org is None:
            yield f"{at}.organisation: no organisation {link.organisation!r}"
        elif org.customer(link.customer) is None:
            yield f"{at}.customer: no customer {link.customer!r} of organisation {link.organisation!r}"
        if link.contract_id not in contracts:
            yield f"{at}.contract_id: no contract {link.contract_id!r}"
        if link.by.lower() not in accounts:
            yield f"{at}.by: no account {link.by!r}"
        yield from _instant_problems(f"{at}.at", link.at)
    topics = {topic.id for topic in SUPPORT_TOPICS}
    for key, request in state.requests.items():
        yield from _request_problems(f"requests.{key}", key, request, state, topics)


def _counter_problems(state: WorldState) -> Iterator[str]:
    """Each ID counter must be at least what the state's IDs took, so that the next ID is new: a
    request number carries its counter (its last ten digits); every contract took a Contract ID,
    and every contract with an Access ID took one."""
    numbers = [int(m.group(1)) for key in state.requests if (m := _REQUEST_NUMBER.match(key))]
    implied = {
        "request": (max(numbers, default=0), "the highest request number's counter"),
        "contract_id": (len(state.contracts), "the number of contracts"),
        "access_id": (
            sum(1 for c in state.contracts.values() if c.access_id is not None),
            "the number of contracts with an Access ID",
        ),
    }
    for kind, (least, what) in implied.items():
        count = state.counters.get(kind, 0)
        if count < least:
            yield f"counters.{kind}: {count} is below {least}, {what} (the next ID would reuse one)"


def _contract_shape_problems(at: str, contract: Any) -> Iterator[str]:
    """What a contract's kind requires: an end and an Access ID, except the CSP contract (D12),
    which has neither, nor a pool; a start from its request on, an end after its start."""
    csp = contract.kind is ContractKind.CSP
    if csp:
        for field in ("access_id", "end", "on_premises", "cloud"):
            if getattr(contract, field) is not None:
                yield f"{at}.{field}: a Cloud Solution Provider contract has none (D12)"
    else:
        for field in ("access_id", "end"):
            if getattr(contract, field) is None:
                yield f"{at}.{field}: is required for a {contract.kind.value} contract"
    if contract.start < contract.requested_at:
        yield f"{at}.start: {format_instant(contract.start)} is before requested_at"
    if contract.end is not None and contract.end < contract.start:
        yield f"{at}.end: {format_instant(contract.end)} is before its start {format_instant(contract.start)}"


def _request_problems(at: str, key: str, request: Any, state: WorldState, topics: set[str]) -> Iterator[str]:
    if request.id != key:
        yield f"{at}.id: {request.id!r} is not its key {key!r}"
    if request.upn not in state.accounts:
        yield f"{at}.upn: no account {request.upn!r}"
    known = topics if request.portal is Portal.PARTNER_CENTER else PRODUCTS
    if request.product not in known:
        yield f"{at}.product: no {'support topic' if known is topics else 'product'} {request.product!r}"
    if request.severity not in SEVERITIES:
        yield f"{at}.severity: must be one of {', '.join(SEVERITIES)}"
    if request.status not in {status.value for status in RequestStatus}:
        yield f"{at}.status: must be one of {', '.join(status.value for status in RequestStatus)}"
    plans = {"", "csp", *state.contracts}
    if request.plan not in plans:
        yield f"{at}.plan: no contract {request.plan!r}"
    if request.contract_id is not None and request.contract_id not in state.contracts:
        yield f"{at}.contract_id: no contract {request.contract_id!r}"
    if request.customer is not None:
        account = state.accounts.get(request.upn)
        org = state.organisations.get(account.organisation or "") if account else None
        if org is None or org.customer(request.customer) is None:
            yield f"{at}.customer: no customer {request.customer!r} of the account's organisation"
    for field in ("created_at", "updated_at"):
        moment = getattr(request, field)
        if moment is not None:
            yield from _instant_problems(f"{at}.{field}", moment)
    names = [message.name for message in request.communications]
    if len(set(names)) != len(names):
        yield f"{at}.communications: a message name is used twice"
    for index, message in enumerate(request.communications):
        yield from _instant_problems(f"{at}.communications[{index}].created_at", message.created_at)


def _pool_problems(at: str, pool: Pool) -> Iterator[str]:
    if pool.limit is not None and pool.limit < 0:
        yield f"{at}.limit: {pool.limit} is below 0"
    if pool.used < 0:
        yield f"{at}.used: {pool.used} is below 0"
    elif pool.limit is not None and pool.used > pool.limit:
        yield f"{at}.used: {pool.used} is more than the pool's limit {pool.limit}"
    elif pool.limit is None and pool.used:
        yield f"{at}.used: an unlimited pool counts no incidents (D6)"


def _instant_problems(at: str, moment: datetime) -> Iterator[str]:
    if not within_bounds(moment):
        yield f"{at}: must be from {format_instant(EARLIEST)} to {format_instant(LATEST)}, with a zone"


def load_state(data: Any) -> tuple[WorldState, dict[str, Any] | None, dict[str, Any] | None]:
    """``(state, document, origin)`` of a snapshot; raises ``InvalidInput`` naming the bad field.
    ``origin`` is checked as a state too, so that a later ``reset`` cannot fail on it."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or "state" not in data:
        raise Refusal("InvalidInput", detail=f"a snapshot is an object with format {FORMAT!r} and a state")
    state = _state(data["state"], "state")
    document = data.get("document")
    origin = data.get("origin")
    if origin is not None:
        origin = state_data(_state(origin, "origin"))
    return state, document if isinstance(document, dict) else None, origin
