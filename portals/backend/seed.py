"""Seed documents: a world described in YAML or JSON (schema in the README).

A document is validated whole before anything is built, so a bad one is refused with a message
naming the offending field path and why, and no world is ever half-created.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from portals.backend.catalog import is_cloud_competency
from portals.backend.clock import parse_duration, parse_instant
from portals.backend.errors import Refusal
from portals.backend.model import (
    Account,
    AccountKind,
    AzureLinkMode,
    Competency,
    Customer,
    Membership,
    Organisation,
    Program,
    Role,
)
from portals.backend.world import World

MAX_DOCUMENT_BYTES = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False)


def _duration(value: Any) -> timedelta:
    if isinstance(value, bool):
        raise ValueError("must be an ISO-8601 duration such as P3D, or a number of days")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError("must be zero or more")
        return timedelta(days=value)
    if isinstance(value, str):
        try:
            delta = parse_duration(value)
        except Refusal:
            raise ValueError("must be an ISO-8601 duration such as P3D, or a number of days") from None
        if delta < timedelta(0):
            raise ValueError("must be zero or more")
        return delta
    raise ValueError("must be an ISO-8601 duration such as P3D, or a number of days")


def _instant(value: Any) -> datetime:
    if isinstance(value, (datetime, date, str)) and not isinstance(value, bool):
        try:
            return parse_instant(value)
        except Refusal:
            pass
    raise ValueError("must be an ISO-8601 date or time such as 2021-03-04")


class WorldSettings(_Strict):
    seed: str | int | None = None
    start: datetime | None = None
    activation_delay: timedelta | None = None
    azure_link_mode: AzureLinkMode = AzureLinkMode.SPURIOUS

    _start = field_validator("start", mode="before")(lambda v: None if v is None else _instant(v))
    _delay = field_validator("activation_delay", mode="before")(lambda v: None if v is None else _duration(v))


class CompetencySeed(_Strict):
    name: str = Field(min_length=1)
    level: Literal["silver", "gold"]


class CustomerSeed(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    tenant: str | None = None


class OrganisationSeed(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str | None = None
    tenant: str | None = None
    programs: list[Program] = Field(default_factory=lambda: [Program.MPN])
    membership: Membership | None = None
    membership_end: datetime | None = None
    competencies: list[CompetencySeed] = Field(default_factory=list)
    customers: list[CustomerSeed] = Field(default_factory=list)
    activated: bool = False

    _end = field_validator("membership_end", mode="before")(lambda v: None if v is None else _instant(v))

    @model_validator(mode="after")
    def _activation_needs_membership(self) -> OrganisationSeed:
        if self.activated and (self.membership is None or Program.MPN not in self.programs):
            raise ValueError("activated: needs an MPN organisation with a membership")
        return self


class AccountSeed(_Strict):
    upn: str = Field(min_length=3, pattern=r"^[^@\s]+@[^@\s]+$")
    kind: AccountKind = AccountKind.AAD
    display_name: str | None = None
    organisation: str | None = None
    tenant: str | None = None
    roles: list[Role] = Field(default_factory=list)

    @model_validator(mode="after")
    def _kind_rules(self) -> AccountSeed:
        if self.kind is AccountKind.MSA and (self.organisation or self.tenant or self.roles):
            raise ValueError("a personal (msa) account has no organisation, tenant or roles (D8)")
        return self


class SeedDocument(_Strict):
    world: WorldSettings = Field(default_factory=WorldSettings)
    organisations: list[OrganisationSeed] = Field(default_factory=list)
    accounts: list[AccountSeed] = Field(default_factory=list)


def _path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(part, str) and not part.startswith("function-"):
            text += f".{part}" if text else part
    return text or "(document)"


def _why(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "enum" or kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",") if o.strip(" '")]
        return f"must be one of {', '.join(options)}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")[:1].lower() + message.removeprefix("Value error, ")[1:]


def parse_document(text: str | bytes) -> dict[str, Any]:
    """YAML or JSON text to a mapping (JSON is YAML, but its errors read better from json)."""
    if len(text) > MAX_DOCUMENT_BYTES:
        raise Refusal("InvalidSeed", detail=f"the document is over {MAX_DOCUMENT_BYTES} bytes")
    raw = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    try:
        data = json.loads(raw) if raw.lstrip().startswith("{") else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise Refusal(
            "InvalidSeed", detail=f"not valid YAML or JSON ({str(error).splitlines()[0]})"
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Refusal(
            "InvalidSeed", detail="the document must be a mapping with world, organisations, accounts"
        )
    return data


def load_document_file(path: str | Path) -> dict[str, Any]:
    try:
        return parse_document(Path(path).read_bytes())
    except OSError as error:
        raise Refusal("InvalidSeed", detail=f"cannot read {path}: {error.strerror}") from None


def validate_document(data: Any) -> SeedDocument:
    """Validate a document and its cross-references; raise one InvalidSeed naming the field path."""
    if not isinstance(data, dict):
        raise Refusal(
            "InvalidSeed", detail="the document must be a mapping with world, organisations, accounts"
        )
    try:
        document = SeedDocument.model_validate(data)
    except ValidationError as error:
        problems = [f"{_path(e['loc'])}: {_why(e)}" for e in error.errors()]
        raise Refusal("InvalidSeed", detail="; ".join(problems)) from None
    _check_references(document)
    return document


def _check_references(document: SeedDocument) -> None:
    seen: dict[str, int] = {}
    for index, org in enumerate(document.organisations):
        if org.id in seen:
            raise Refusal("InvalidSeed", detail=f"organisations[{index}].id: {org.id!r} is used twice")
        seen[org.id] = index
        customer_ids: set[str] = set()
        for c_index, customer in enumerate(org.customers):
            if customer.id in customer_ids:
                raise Refusal(
                    "InvalidSeed",
                    detail=f"organisations[{index}].customers[{c_index}].id: {customer.id!r} is used twice",
                )
            customer_ids.add(customer.id)
    upns: set[str] = set()
    for index, account in enumerate(document.accounts):
        if account.upn.lower() in upns:
            raise Refusal("InvalidSeed", detail=f"accounts[{index}].upn: {account.upn!r} is used twice")
        upns.add(account.upn.lower())
        if account.organisation is not None and account.organisation not in seen:
            raise Refusal(
                "InvalidSeed",
                detail=f"accounts[{index}].organisation: no organisation {account.organisation!r} "
                f"(known: {', '.join(seen) or 'none'})",
            )


def _organisation(seed: OrganisationSeed) -> Organisation:
    tenant = seed.tenant or f"{seed.id.lower()}.onmicrosoft.com"
    return Organisation(
        id=seed.id,
        name=seed.name or seed.id,
        tenant=tenant,
        programs=list(dict.fromkeys(seed.programs)),
        membership=seed.membership,
        membership_end=seed.membership_end,
        competencies=[Competency(c.name, c.level) for c in seed.competencies],
        customers=[
            Customer(c.id, c.name, c.tenant or f"{c.id.lower()}.onmicrosoft.com") for c in seed.customers
        ],
    )


def build_world(name: str, data: dict[str, Any], seed: str | None = None) -> World:
    """A new world from a seed document (validated whole first)."""
    document = validate_document(data)
    settings = document.world
    world_seed = seed if seed is not None else (str(settings.seed) if settings.seed is not None else name)
    world = World(name, seed=world_seed, start=settings.start)
    if settings.activation_delay is not None:
        world.state.settings.activation_delay = settings.activation_delay
    world.state.settings.azure_link_mode = settings.azure_link_mode
    orgs: dict[str, Organisation] = {}
    for org_seed in document.organisations:
        orgs[org_seed.id] = world.add_organisation(_organisation(org_seed), activated=org_seed.activated)
    for acc in document.accounts:
        org = orgs.get(acc.organisation) if acc.organisation else None
        world.add_account(
            Account(
                upn=acc.upn,
                kind=acc.kind,
                display_name=acc.display_name or acc.upn.split("@")[0],
                tenant=org.tenant if org else (acc.tenant if acc.kind is AccountKind.AAD else None),
                organisation=org.id if org else None,
                roles=list(dict.fromkeys(acc.roles)) or [Role.USER],
            )
        )
    world.document = data
    return world


__all__ = ["SeedDocument", "build_world", "is_cloud_competency", "load_document_file", "parse_document"]
