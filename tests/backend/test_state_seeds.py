"""D13: seed documents that describe a world's state (activations, bought plans, associations,
support requests, used incidents), built by replaying the backend's operations; refused whole, with
the field path, when the state is not one the portals can reach; reset after a restore."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from cast import refused

from portals.backend import Portal, World, WorldRegistry, build_world, parse_document

rule = pytest.mark.rule
SPURIOUS = (
    "This Access ID is already associated with an account. Please contact your Technical Account "
    "Manager to get a new Access ID."
)

#: The used-up Silver 5-pack (R-EN-02: Silver, other competencies: 5 cloud incidents; R-EN-01: 15
#: on-premises), linked in Azure, two on-premises requests filed in Support for Business.
USED_UP_5_PACK = """
world: {start: 2021-03-10}
organisations:
  - id: contoso
    membership: silver
    competencies: [{name: Data Analytics, level: silver}]
    benefits: {activated: 2021-03-05, used: {cloud: 5}}
accounts:
  - {upn: admin@contoso.com, organisation: contoso, roles: [global_admin]}
  - upn: user@contoso.com
    organisation: contoso
    contracts: [{contract: contoso, added_in: azure, at: 2021-03-06}]
requests:
  - {account: user@contoso.com, portal: support_for_business, product: windows-10, plan: contoso,
     title: Printer, description: Spooler stops, at: 2021-03-07}
  - {account: user@contoso.com, portal: support_for_business, product: windows-10, at: 2021-03-08T10:30Z}
"""


def used_up() -> dict[str, Any]:
    return parse_document(USED_UP_5_PACK)


def base(**world: Any) -> dict[str, Any]:
    """Contoso (Silver, a non-cloud competency), its Global admin, a user and an outside MSA."""
    return {
        "world": {"start": "2021-03-10", **world},
        "organisations": [
            {
                "id": "contoso",
                "membership": "silver",
                "competencies": [{"name": "Data Analytics", "level": "silver"}],
            },
            {"id": "tailspin", "membership": "action_pack"},
            {
                "id": "fabrikam",
                "membership": "gold",
                "competencies": [{"name": "Cloud Platform", "level": "gold"}],
            },
        ],
        "accounts": [
            {"upn": "admin@contoso.com", "organisation": "contoso", "roles": ["global_admin"]},
            {"upn": "user@contoso.com", "organisation": "contoso"},
            {"upn": "engineer@outlook.com", "kind": "msa"},
        ],
    }


def with_benefits(document: dict[str, Any], org: int = 0, **benefits: Any) -> dict[str, Any]:
    document["organisations"][org]["benefits"] = benefits
    return document


def contract_of(world: World, org: str = "contoso") -> Any:
    contract_id = world.state.organisations[org].benefits_contract
    assert contract_id is not None, f"{org} has no benefits contract"
    return world.state.contracts[contract_id]


# --- what a document can describe ---------------------------------------------------------------------
@rule("D13", "R-AZ-07", "R-SFB-06", "D3")
def test_the_used_up_silver_5_pack() -> None:
    world = build_world("five", used_up())
    assert world.now == datetime(2021, 3, 10, tzinfo=UTC)
    contract = contract_of(world)
    assert (contract.cloud.limit, contract.cloud.used) == (5, 5)
    assert (contract.on_premises.limit, contract.on_premises.used) == (15, 2)
    assert contract.start == datetime(2021, 3, 5, tzinfo=UTC)
    assert contract.requested_at == datetime(2021, 3, 2, tzinfo=UTC)  # activated - the 3-day delay (D2)
    # Azure hides the plan (R-AZ-07), linking again shows the spurious error (R-AZ-05)
    assert world.azure_support_plans("user@contoso.com") == []
    with refused("AccessIdAlreadyAssociated") as caught:
        world.link_support_benefits("user@contoso.com", contract.access_id, contract.contract_id)
    assert caught.error is not None and caught.error.message() == SPURIOUS
    # the association made in Azure serves Support for Business too (D3): step 2, 15 - 2 left
    assert world.remaining_incidents("user@contoso.com") == {contract.contract_id: 13}
    requests = world.support_requests("user@contoso.com", Portal.SUPPORT_FOR_BUSINESS)
    assert [(r.title, r.created_at) for r in requests] == [
        ("Printer", datetime(2021, 3, 7, tzinfo=UTC)),
        ("Support request", datetime(2021, 3, 8, 10, 30, tzinfo=UTC)),
    ]
    assert [r.id[:6] for r in requests] == ["210307", "210308"]  # numbered on the day they were filed
    [association] = world.state.associations
    assert (association.portal, association.at) == (Portal.AZURE, datetime(2021, 3, 6, tzinfo=UTC))


@rule("D13", "R-PC-07", "D2", "D10")
def test_activation_pending_since_a_date_becomes_active_when_the_clock_passes_it() -> None:
    world = build_world("pending", with_benefits(base(), requested="2021-03-09"))
    view = world.technical_benefits("user@contoso.com")
    assert (view.state, view.access_id, view.ready_at) == ("pending", None, datetime(2021, 3, 12, tzinfo=UTC))
    with refused("ActivationPending"):
        world.activate_benefits("admin@contoso.com")
    world.advance_clock("P2D")
    assert world.technical_benefits("user@contoso.com").state == "active"


@rule("D13", "D2")
def test_activation_done_on_a_date_and_the_two_dates_agree() -> None:
    world = build_world("done", with_benefits(base(activation_delay="P1D"), activated="2021-03-05T12:00:00Z"))
    contract = contract_of(world)
    assert (contract.requested_at, contract.start) == (
        datetime(2021, 3, 4, 12, tzinfo=UTC),
        datetime(2021, 3, 5, 12, tzinfo=UTC),
    )
    assert contract.end == datetime(2022, 3, 5, 12, tzinfo=UTC)  # D1: 365 days
    both = with_benefits(
        base(activation_delay="P1D"), requested="2021-03-04T12:00Z", activated="2021-03-05T12:00Z"
    )
    assert contract_of(build_world("both", both)).start == contract.start
    view = world.technical_benefits("admin@contoso.com")
    assert view.state == "active" and view.access_id == contract.access_id


@rule("D13", "R-AZ-09", "D9", "D6")
def test_a_bought_plan_its_buyer_others_and_a_request_on_it() -> None:
    document = with_benefits(base(), activated="2021-03-05")
    document["plans"] = [
        {"id": "premier-1", "offer": "premier", "bought_by": "admin@contoso.com", "at": "2021-03-08"}
    ]
    document["accounts"][2]["contracts"] = [
        {"contract": "premier-1", "added_in": "support_for_business", "at": "2021-03-09"}
    ]
    document["requests"] = [
        {"account": "admin@contoso.com", "portal": "azure", "product": "app-service", "plan": "premier-1"},
        {"account": "engineer@outlook.com", "portal": "sfb", "product": "windows-10"},
    ]
    world = build_world("premier", document)
    premier = next(c for c in world.state.contracts.values() if c.kind.value == "premier")
    assert premier.purchased_by == "admin@contoso.com" and premier.start == datetime(2021, 3, 8, tzinfo=UTC)
    assert [(a.upn, a.portal) for a in world.state.associations if a.contract_id == premier.contract_id] == [
        ("admin@contoso.com", Portal.AZURE),  # the buyer at once (D9)
        ("engineer@outlook.com", Portal.SUPPORT_FOR_BUSINESS),
    ]
    azure, sfb = world.state.requests.values()
    assert azure.plan == premier.contract_id and azure.created_at == datetime(2021, 3, 10, tzinfo=UTC)
    assert sfb.plan == premier.contract_id
    assert (premier.on_premises.limit, premier.cloud.limit) == (None, None)  # unlimited (D9)


@rule("D13", "R-CSP-01", "R-AZ-04")
def test_a_csp_customer_request_filed_by_an_admin_agent() -> None:
    document = base()
    document["organisations"][0].update(
        programs=["mpn", "csp"], customers=[{"id": "woodgrove", "name": "Woodgrove"}]
    )
    document["accounts"].append(
        {"upn": "agent@contoso.com", "organisation": "contoso", "roles": ["admin_agent"]}
    )
    document["requests"] = [
        {"account": "agent@contoso.com", "portal": "azure", "product": "app-service", "customer": "woodgrove"}
    ]
    world = build_world("csp", document)
    [request] = world.customer_requests("agent@contoso.com", "woodgrove")
    assert (request.portal, request.customer, request.product) == (Portal.AZURE, "woodgrove", "app-service")


@rule("D13")
def test_ids_come_from_the_same_counters_in_the_same_order_as_through_the_portals() -> None:
    """The same steps taken one by one on a world at the same times give the same state."""
    seeded = build_world("seeded", used_up())
    by_hand_doc = used_up()
    by_hand_doc["organisations"][0].pop("benefits")
    by_hand_doc["accounts"][1].pop("contracts")
    by_hand_doc.pop("requests")
    by_hand = build_world("seeded", by_hand_doc)
    by_hand.set_clock("2021-03-02")
    by_hand.activate_benefits("admin@contoso.com")
    by_hand.set_clock("2021-03-06")
    contract = contract_of(by_hand)
    by_hand.link_support_benefits("user@contoso.com", contract.access_id, contract.contract_id)
    by_hand.set_clock("2021-03-07")
    details = {"product": "windows-10", "description": "Spooler stops"}
    by_hand.create_support_request(
        "user@contoso.com", "sfb", title="Printer", plan=contract.contract_id, **details
    )
    by_hand.set_clock("2021-03-08T10:30Z")
    by_hand.create_support_request(
        "user@contoso.com", "sfb", product="windows-10", title="Support request", description="-"
    )
    by_hand.set_clock("2021-03-10")
    contract.cloud.used = 5  # five Azure requests of accounts outside the world
    assert seeded.snapshot()["state"] == by_hand.snapshot()["state"]


@rule("D13", "R-AZ-05")
def test_activated_true_works_as_before() -> None:
    document = base()
    document["organisations"][0]["activated"] = True
    world = build_world("legacy", document)
    contract = contract_of(world)
    assert contract.requested_at == contract.start == datetime(2021, 3, 10, tzinfo=UTC)  # no delay
    assert world.technical_benefits("user@contoso.com").state == "active"


@rule("D13", "R-SFB-02")
def test_used_defaults_to_what_the_listed_requests_used_and_may_add_to_it() -> None:
    document = with_benefits(base(), activated="2021-03-05", used={"on_premises": 4})
    document["accounts"][2]["contracts"] = [{"contract": "contoso", "added_in": "support_for_business"}]
    document["requests"] = [{"account": "engineer@outlook.com", "portal": "sfb", "product": "windows-10"}]
    assert contract_of(build_world("four", document)).on_premises.used == 4
    del document["organisations"][0]["benefits"]["used"]
    world = build_world("one", document)
    assert (contract_of(world).on_premises.used, contract_of(world).cloud.used) == (1, 0)


@rule("D13", "R-EN-02", "R-AZ-03", "R-EN-04")
@pytest.mark.parametrize(
    ("org", "benefits"),
    [
        pytest.param(2, {"activated": "2021-03-05", "used": {"cloud": 0}}, id="unlimited-cloud-pool"),
        pytest.param(1, {"activated": "2021-03-05", "used": {"cloud": 0}}, id="action-pack-no-cloud-pool"),
        pytest.param(0, {"requested": "2021-03-09", "used": {"on_premises": 0, "cloud": 0}}, id="pending"),
        pytest.param(0, {"activated": "2021-03-05", "used": {"on_premises": 0, "cloud": 0}}, id="5-pack"),
    ],
)
def test_zero_used_is_a_reachable_state_on_every_pool(org: int, benefits: dict[str, Any]) -> None:
    """No incident used is where every pool starts, so ``used: 0`` is accepted everywhere; only a
    count above 0 is refused where no incident can have been used."""
    world = build_world("zero", with_benefits(base(), org, **benefits))
    contract = contract_of(world, ["contoso", "tailspin", "fabrikam"][org])
    pools = [pool for pool in (contract.on_premises, contract.cloud) if pool is not None]
    assert [pool.used for pool in pools] == [0] * len(pools)


# --- what is refused --------------------------------------------------------------------------------
def _association(upn_index: int, contract: str, added_in: str = "azure", at: str | None = None) -> Any:
    def change(document: dict[str, Any]) -> None:
        entry = {"contract": contract, "added_in": added_in, **({"at": at} if at else {})}
        document["accounts"][upn_index].setdefault("contracts", []).append(entry)

    return change


def _requests(*requests: dict[str, Any]) -> Any:
    def change(document: dict[str, Any]) -> None:
        document.setdefault("requests", []).extend(requests)

    return change


def _benefits(**benefits: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        document["organisations"][0]["benefits"] = benefits

    return change


def _plans(*plans: dict[str, Any]) -> Any:
    def change(document: dict[str, Any]) -> None:
        document.setdefault("plans", []).extend(plans)

    return change


ACTIVE = _benefits(activated="2021-03-05")
WINDOWS = {"account": "user@contoso.com", "portal": "support_for_business", "product": "windows-10"}
CLOUD = {"account": "user@contoso.com", "portal": "azure", "product": "app-service"}
PREMIER = {"id": "premier-1", "offer": "premier", "bought_by": "admin@contoso.com", "at": "2021-03-08"}


@rule("D13", "D11")
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            [_benefits(activated="2021-03-05", used={"cloud": 6})],
            "organisations[0].benefits.used.cloud: 6 is more than the Signature Cloud pool's 5 incidents",
            id="six-used-on-a-5-pack",
        ),
        pytest.param(
            [ACTIVE, _association(1, "northwind")],
            "accounts[1].contracts[0].contract: no contract 'northwind' (an organisation with benefits "
            "or a plan id; known: contoso)",
            id="association-to-an-unknown-contract",
        ),
        pytest.param(
            [_association(1, "tailspin")],
            "accounts[1].contracts[0].contract: organisation 'tailspin' has no benefits contract",
            id="association-to-an-organisation-without-benefits",
        ),
        pytest.param(
            [ACTIVE, _plans(PREMIER), _association(1, "contoso"), _requests({**CLOUD, "plan": "premier-1"})],
            "requests[0].plan: 'user@contoso.com' has no plan 'premier-1' (Unknown support plan ",
            id="request-on-a-plan-the-account-does-not-have",
        ),
        pytest.param(
            [
                ACTIVE,
                _plans({**PREMIER, "id": "adv", "offer": "advanced"}),
                _requests({**WINDOWS, "account": "admin@contoso.com", "plan": "adv", "at": "2021-03-09"}),
            ],
            "requests[0].plan: Advanced Support for Partners (",
            id="support-for-business-request-on-an-advanced-plan",
        ),
        pytest.param(
            [ACTIVE, _requests({**WINDOWS, "account": "ghost@contoso.com"})],
            "requests[0].account: no account 'ghost@contoso.com' in accounts",
            id="unknown-account",
        ),
        pytest.param(
            [ACTIVE, _association(1, "contoso"), _requests({**CLOUD, "product": "quantum-computer"})],
            "requests[0].product: Unknown product quantum-computer",
            id="unknown-product",
        ),
        pytest.param(
            [ACTIVE, _association(1, "contoso"), _requests({**WINDOWS, "product": "app-service"})],
            "requests[0].product: Unknown product app-service",
            id="cloud-product-in-support-for-business",
        ),
        pytest.param(
            [
                ACTIVE,
                _association(1, "contoso", "support_for_business", "2021-03-08"),
                _requests({**WINDOWS, "at": "2021-03-07"}),
            ],
            "requests[0]: No support plan of this account covers this request",
            id="request-before-the-association",
        ),
        pytest.param(
            [_benefits(requested="2021-03-09", used={"on_premises": 1})],
            "organisations[0].benefits.used.on_premises: activation is pending until 2021-03-12T00:00:00Z",
            id="pending-contract-used",
        ),
        pytest.param(
            [_benefits(requested="2021-03-09"), _association(1, "contoso")],
            "accounts[1].contracts[0]: Activation in progress",
            id="pending-contract-linked",
        ),
        pytest.param(
            [ACTIVE, _association(1, "contoso", at="2021-03-01")],
            "accounts[1].contracts[0].contract: contract 'contoso' does not exist yet at "
            "2021-03-01T00:00:00Z; it is created at 2021-03-02T00:00:00Z",
            id="association-before-the-activation",
        ),
        pytest.param(
            [ACTIVE, _association(1, "contoso"), _association(1, "contoso", "support_for_business")],
            "accounts[1].contracts[1].contract: 'contoso' is listed twice for this account",
            id="the-same-contract-twice",
        ),
        pytest.param(
            [
                ACTIVE,
                _association(1, "contoso", "support_for_business"),
                _requests(WINDOWS),
                _benefits(activated="2021-03-05", used={"on_premises": 0}),
            ],
            "organisations[0].benefits.used.on_premises: 0 is fewer than the 1 incidents the listed "
            "requests used",
            id="used-below-the-listed-requests",
        ),
        pytest.param(
            [
                lambda d: d["organisations"][2].update(
                    benefits={"activated": "2021-03-05", "used": {"cloud": 1}}
                )
            ],
            "organisations[2].benefits.used.cloud: the Signature Cloud pool is unlimited",
            id="used-on-an-unlimited-pool",
        ),
        pytest.param(
            [
                lambda d: d["organisations"][1].update(
                    benefits={"activated": "2021-03-05", "used": {"cloud": 1}}
                )
            ],
            "organisations[1].benefits.used.cloud: the contract has no Signature Cloud pool",
            id="used-on-a-pool-the-contract-lacks",
        ),
        pytest.param(
            [_benefits(activated="2021-03-11")],
            "organisations[0].benefits.activated: 2021-03-11T00:00:00Z is after the world's start "
            "2021-03-10T00:00:00Z",
            id="event-after-now",
        ),
        pytest.param(
            [lambda d: d.pop("world"), _benefits(activated="2021-03-05")],
            "organisations[0].benefits.activated: 2021-03-05T00:00:00Z is after the world's start "
            "2021-03-04T09:00:00Z (the default start; world.start sets it)",
            id="event-after-the-default-start",
        ),
        pytest.param(
            [ACTIVE, _association(1, "contoso", at="2021-03-10T00:00:01Z")],
            "accounts[1].contracts[0].at: 2021-03-10T00:00:01Z is after the world's start",
            id="association-after-now",
        ),
        pytest.param(
            [_benefits(requested="2021-03-01", activated="2021-03-05")],
            "organisations[0].benefits.activated: activation completes at requested + the activation "
            "delay (P3D): 2021-03-04T00:00:00Z",
            id="requested-and-activated-disagree",
        ),
        pytest.param(
            [_benefits(used={"cloud": 1})],
            "organisations[0].benefits: give requested (Activate pressed) or activated",
            id="benefits-without-a-date",
        ),
        pytest.param(
            [lambda d: d["organisations"][0].update(activated=True, benefits={"activated": "2021-03-05"})],
            "organisations[0]: give activated: true or benefits, not both",
            id="activated-and-benefits",
        ),
        pytest.param(
            [_plans({**PREMIER, "bought_by": "user@contoso.com"})],
            "plans[0].bought_by: ",
            id="plan-bought-by-a-user",
        ),
        pytest.param(
            [_plans({**PREMIER, "id": "contoso"})],
            "plans[0].id: 'contoso' is used twice",
            id="plan-named-like-an-organisation",
        ),
        pytest.param(
            [_plans(PREMIER), _association(0, "premier-1")],
            "accounts[0].contracts[0].contract: 'admin@contoso.com' bought 'premier-1'",
            id="the-buyer-lists-its-plan",
        ),
        pytest.param(
            [_plans({**PREMIER, "offer": "platinum"})],
            "plans[0].offer: must be one of premier, advanced",
            id="unknown-offer",
        ),
        pytest.param(
            [_requests({**WINDOWS, "customer": "woodgrove"})],
            "requests[0]: customer: the CSP flow files requests in the Azure portal",
            id="csp-request-in-support-for-business",
        ),
        pytest.param(
            [_requests({**CLOUD, "customer": "woodgrove"})],
            "requests[0].account: You are not authorized for this action",
            id="csp-request-of-a-non-csp-partner",
        ),
        pytest.param(
            [
                lambda d: d["organisations"][1].update(benefits={"activated": "2021-03-05"}),
                _association(1, "tailspin"),
            ],
            "accounts[1].contracts[0]: This contract includes no Signature Cloud Support (Action Pack)",
            id="action-pack-linked-in-azure",
        ),
        pytest.param(
            [
                ACTIVE,
                _association(1, "contoso"),
                _requests(*[{**CLOUD, "plan": "contoso"}] * 6),
            ],
            "requests[5]: No incidents remain on the support contract",
            id="six-azure-requests-on-a-5-pack",
        ),
    ],
)
def test_documents_the_portals_cannot_reach_are_refused_whole(changes: list[Any], message: str) -> None:
    document = base()
    for change in changes:
        change(document)
    registry = WorldRegistry()
    with refused("InvalidSeed") as caught:
        registry.create("seeded", json.loads(json.dumps(document)))
    assert caught.error is not None
    text = caught.error.message()
    assert text.startswith(f"Invalid seed document: {message}"), f"expected {message!r}, found {text!r}"
    assert registry.names() == ["default"]  # nothing created


# --- reset after restore ------------------------------------------------------------------------------
@rule("D13", "D10")
def test_reset_returns_to_the_seed_and_after_a_restore_to_the_snapshot() -> None:
    registry = WorldRegistry()
    world = registry.create("w", used_up())
    seeded = world.snapshot()["state"]
    world.advance_clock("P1D")
    world.create_support_request("user@contoso.com", "sfb", product="windows-10", title="t", description="d")
    assert registry.reset("w").snapshot()["state"] == seeded  # built from its seed document
    registry.get("w").advance_clock("P2D")
    snapshot = json.loads(json.dumps(registry.get("w").snapshot()))
    assert snapshot["origin"] is None  # built from a document: reset rebuilds it from the document
    registry.put(World.restore(snapshot, "w"))
    registry.get("w").advance_clock("P30D")
    after_reset = registry.reset("w").snapshot()
    assert after_reset["state"] == snapshot["state"] != seeded  # the restored snapshot, not the seed
    assert after_reset["state"]["now"] == "2021-03-12T00:00:00Z"
    assert after_reset["document"] == used_up()  # the seed document stays, for the record
    assert registry.reset("w").snapshot()["state"] == snapshot["state"]  # and again


@rule("D13")
def test_a_restarted_server_keeps_each_worlds_reset_target_without_nesting() -> None:
    """``serve --state-file`` restores every world with keep_origin: reset still goes where it went."""
    registry = WorldRegistry()
    registry.create("seeded", used_up())
    restored = World.restore(registry.get("seeded").snapshot(), "restored")
    registry.put(restored)
    for world in registry:
        world.advance_clock("P1D")
    targets = {w.name: w.rebuilt().snapshot()["state"] for w in registry}
    assert targets["restored"]["now"] == "2021-03-10T00:00:00Z"  # where the restore left it
    saved = json.loads(json.dumps([w.snapshot() for w in registry]))  # what the state file holds
    again = WorldRegistry()
    for snapshot in saved:
        again.put(World.restore(snapshot, keep_origin=True))
    assert {w.name: w.now.isoformat() for w in again} == {
        "default": "2021-03-05T09:00:00+00:00",
        "seeded": "2021-03-11T00:00:00+00:00",
        "restored": "2021-03-11T00:00:00+00:00",
    }
    for name, target in targets.items():
        assert again.reset(name).snapshot()["state"] == target, name
    # a restart from the restarted server's file holds exactly the same: snapshots do not nest
    again = WorldRegistry()
    for snapshot in saved:
        again.put(World.restore(snapshot, keep_origin=True))
    assert json.loads(json.dumps([w.snapshot() for w in again])) == saved


def test_a_snapshot_with_a_bad_origin_is_refused() -> None:
    snapshot = build_world("x", used_up()).snapshot()
    snapshot["origin"] = {"name": "x"}
    with refused("InvalidInput") as caught:
        World.restore(snapshot)
    assert caught.error is not None and "snapshot origin." in caught.error.message(), caught.error
