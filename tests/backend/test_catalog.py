"""The on-premises catalog (D7 revised, R-SFB-01, R-SFB-08): product families with the start dates of
Microsoft's lifecycle pages, and the n-1 policy computed from the world's date.

Expected dates are the "Start Date" of each version's page under
https://learn.microsoft.com/lifecycle/products/; expected covered / older lists follow from the
rulebook's D7: the newest released version of a family and the one before it are covered. The pages
give each start in Pacific time as 00:00 at UTC-8 (``2007-01-27T00:00:00.000-08:00``), so a version is
released from 08:00 UTC of its start date.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from cast import activate, cast_world, refused

from portals.backend import Portal
from portals.backend.lifecycle import FAMILIES, VERSIONS

rule = pytest.mark.rule
DETAILS = {"title": "Setup fails", "description": "Fictitious details"}

#: Start dates as the lifecycle pages give them.
LIFECYCLE_START = {
    "windows-xp": "2001-12-31",
    "windows-vista": "2007-01-25",
    "windows-7": "2009-10-22",
    "windows-8": "2012-10-30",
    "windows-8.1": "2013-11-13",
    "windows-10": "2015-07-29",
    "windows-11": "2021-10-04",
    "windows-server-2003": "2003-05-28",
    "windows-server-2008": "2008-05-06",
    "windows-server-2008-r2": "2009-10-22",
    "windows-server-2012": "2012-10-30",
    "windows-server-2012-r2": "2013-11-25",
    "windows-server-2016": "2016-10-15",
    "windows-server-2019": "2018-11-13",
    "windows-server-2022": "2021-08-18",
    "windows-server-2025": "2024-11-01",
    "sql-server-2005": "2006-01-14",
    "sql-server-2008": "2008-11-06",
    "sql-server-2008-r2": "2010-07-20",
    "sql-server-2012": "2012-05-20",
    "sql-server-2014": "2014-06-05",
    "sql-server-2016": "2016-06-01",
    "sql-server-2017": "2017-09-29",
    "sql-server-2019": "2019-11-04",
    "sql-server-2022": "2022-11-16",
    "sql-server-2025": "2025-11-18",
    "exchange-server-2007": "2007-03-08",
    "exchange-server-2010": "2009-11-09",
    "exchange-server-2013": "2013-01-09",
    "exchange-server-2016": "2015-10-01",
    "exchange-server-2019": "2018-10-22",
    "exchange-server-subscription-edition": "2025-07-01",
    "office-sharepoint-server-2007": "2007-01-27",
    "sharepoint-server-2010": "2010-07-15",
    "sharepoint-server-2013": "2013-01-09",
    "sharepoint-server-2016": "2016-05-01",
    "sharepoint-server-2019": "2018-10-22",
    "sharepoint-server-subscription-edition": "2021-11-02",
}

#: The lifecycle pages of the versions before 2008 and of SQL Server 2025, as Microsoft names them
#: (Windows Server 2003's page ends in "-").
LIFECYCLE_PAGES = {
    "windows-xp": "https://learn.microsoft.com/lifecycle/products/windows-xp",
    "windows-vista": "https://learn.microsoft.com/lifecycle/products/windows-vista",
    "windows-server-2003": "https://learn.microsoft.com/lifecycle/products/windows-server-2003-",
    "sql-server-2005": "https://learn.microsoft.com/lifecycle/products/microsoft-sql-server-2005",
    "sql-server-2025": "https://learn.microsoft.com/lifecycle/products/sql-server-2025",
    "exchange-server-2007": "https://learn.microsoft.com/lifecycle/products/exchange-server-2007",
    "office-sharepoint-server-2007": (
        "https://learn.microsoft.com/lifecycle/products/microsoft-office-sharepoint-server-2007"
    ),
}

#: At the seeds' date, 2021-03-04 (the default start of a world).
COVERED_AT_START = [
    "windows-10",
    "windows-8.1",
    "windows-server-2019",
    "windows-server-2016",
    "sql-server-2019",
    "sql-server-2017",
    "exchange-server-2019",
    "exchange-server-2016",
    "sharepoint-server-2019",
    "sharepoint-server-2016",
]
OLDER_AT_START = [
    "windows-8",
    "windows-7",
    "windows-vista",
    "windows-xp",
    "windows-server-2012-r2",
    "windows-server-2012",
    "windows-server-2008-r2",
    "windows-server-2008",
    "windows-server-2003",
    "sql-server-2016",
    "sql-server-2014",
    "sql-server-2012",
    "sql-server-2008-r2",
    "sql-server-2008",
    "sql-server-2005",
    "exchange-server-2013",
    "exchange-server-2010",
    "exchange-server-2007",
    "sharepoint-server-2013",
    "sharepoint-server-2010",
    "office-sharepoint-server-2007",
]
NOT_RELEASED_AT_START = [
    "windows-11",
    "windows-server-2022",
    "windows-server-2025",
    "sql-server-2022",
    "sql-server-2025",
    "exchange-server-subscription-edition",
    "sharepoint-server-subscription-edition",
]

#: Each release after the seeds' date: (product, release day, the family's covered pair from that day,
#: the version that drops to older than n-1 that day).
RELEASES = [
    ("windows-11", "2021-10-04", ["windows-11", "windows-10"], "windows-8.1"),
    (
        "windows-server-2022",
        "2021-08-18",
        ["windows-server-2022", "windows-server-2019"],
        "windows-server-2016",
    ),
    (
        "sharepoint-server-subscription-edition",
        "2021-11-02",
        ["sharepoint-server-subscription-edition", "sharepoint-server-2019"],
        "sharepoint-server-2016",
    ),
    ("sql-server-2022", "2022-11-16", ["sql-server-2022", "sql-server-2019"], "sql-server-2017"),
    (
        "windows-server-2025",
        "2024-11-01",
        ["windows-server-2025", "windows-server-2022"],
        "windows-server-2019",
    ),
    (
        "exchange-server-subscription-edition",
        "2025-07-01",
        ["exchange-server-subscription-edition", "exchange-server-2019"],
        "exchange-server-2016",
    ),
    ("sql-server-2025", "2025-11-18", ["sql-server-2025", "sql-server-2022"], "sql-server-2019"),
]


def groups(world) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """(covered, older than n-1) product IDs in the order Support for Business lists them."""
    catalog = world.on_premises_catalog()
    return [p.id for p in catalog if p.covered], [p.id for p in catalog if not p.covered]


def family_of(product: str) -> str:
    return VERSIONS[product].family


# --- the data ----------------------------------------------------------------------------------------
@rule("D7")
def test_every_version_has_its_lifecycle_start_date_and_page() -> None:
    assert {v.id: v.released.isoformat() for v in VERSIONS.values()} == LIFECYCLE_START
    for version in VERSIONS.values():
        assert version.source.startswith("https://learn.microsoft.com/lifecycle/products/"), version
        assert len(version.source) > len("https://learn.microsoft.com/lifecycle/products/"), version
    assert {v: VERSIONS[v].source for v in LIFECYCLE_PAGES} == LIFECYCLE_PAGES
    assert VERSIONS["office-sharepoint-server-2007"].name == "Office SharePoint Server 2007"


@rule("D7")
def test_families_list_their_versions_in_release_order() -> None:
    assert [f.id for f in FAMILIES] == [
        "windows-client",
        "windows-server",
        "sql-server",
        "exchange-server",
        "sharepoint-server",
    ]
    for family in FAMILIES:
        days = [v.released for v in family.versions]
        assert days == sorted(days) and len(set(days)) == len(days), family.id
        assert all(v.family == family.id for v in family.versions), family.id
    assert VERSIONS["windows-server-2012-r2"].source == (
        "https://learn.microsoft.com/lifecycle/products/windows-server-2012-r2"
    )
    assert VERSIONS["windows-8.1"].source == "https://learn.microsoft.com/lifecycle/products/windows-81"


# --- the catalog at a world's date --------------------------------------------------------------------
@rule("R-SFB-01", "D7")
def test_at_the_seeds_date_the_two_newest_released_versions_of_each_family_are_covered() -> None:
    world = cast_world()
    covered, older = groups(world)
    assert covered == COVERED_AT_START, covered
    assert older == OLDER_AT_START, older
    offered = {p.id for p in world.on_premises_catalog()}
    assert offered.isdisjoint(NOT_RELEASED_AT_START), offered & set(NOT_RELEASED_AT_START)
    windows = [p for p in world.on_premises_catalog() if p.family == "windows-client"]
    assert [(p.name, p.version, p.released, p.covered) for p in windows] == [
        ("Windows 10", "10", date(2015, 7, 29), True),
        ("Windows 8.1", "8.1", date(2013, 11, 13), True),
        ("Windows 8", "8", date(2012, 10, 30), False),
        ("Windows 7", "7", date(2009, 10, 22), False),
        ("Windows Vista", "Vista", date(2007, 1, 25), False),
        ("Windows XP", "XP", date(2001, 12, 31), False),
    ]
    assert windows[1].source == "https://learn.microsoft.com/lifecycle/products/windows-81"
    assert windows[0].family_name == "Windows client"


@rule("R-SFB-01", "D7", "D10")
@pytest.mark.parametrize(("product", "day", "covered", "dropped"), RELEASES)
def test_a_release_changes_what_is_offered_and_covered(
    product: str, day: str, covered: list[str], dropped: str
) -> None:
    # 00:00 Pacific time of the start date, as the lifecycle pages give it (UTC-8), is 08:00 UTC
    world = cast_world(start=f"{day}T07:59:59Z")  # the last second before the release
    family = family_of(product)
    offered_before = {p.id: p.covered for p in world.on_premises_catalog() if p.family == family}
    assert product not in offered_before, offered_before
    assert offered_before[dropped] is True, offered_before
    world.advance_clock("PT1S")  # 08:00:00 UTC of the release day
    offered_after = [(p.id, p.covered) for p in world.on_premises_catalog() if p.family == family]
    assert [pid for pid, is_covered in offered_after if is_covered] == covered, offered_after
    assert dict(offered_after)[dropped] is False, offered_after


def by_family(world) -> dict[str, list[tuple[str, bool]]]:  # type: ignore[no-untyped-def]
    """Each family's offered versions, newest first, with whether the n-1 policy covers them."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for product in world.on_premises_catalog():
        found.setdefault(product.family, []).append((product.id, product.covered))
    return found


@rule("R-SFB-01", "D7")
@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (  # Windows Server 2003 is out; XP is the one Windows client version
            "2003-06-01T09:00:00Z",
            {"windows-client": [("windows-xp", True)], "windows-server": [("windows-server-2003", True)]},
        ),
        (  # Vista, SQL Server 2005, Exchange 2007 and Office SharePoint Server 2007 are out
            "2007-06-01T09:00:00Z",
            {
                "windows-client": [("windows-vista", True), ("windows-xp", True)],
                "windows-server": [("windows-server-2003", True)],
                "sql-server": [("sql-server-2005", True)],
                "exchange-server": [("exchange-server-2007", True)],
                "sharepoint-server": [("office-sharepoint-server-2007", True)],
            },
        ),
        (  # Windows Server 2008 and SQL Server 2008 make two versions in those families too
            "2008-12-01T09:00:00Z",
            {
                "windows-client": [("windows-vista", True), ("windows-xp", True)],
                "windows-server": [("windows-server-2008", True), ("windows-server-2003", True)],
                "sql-server": [("sql-server-2008", True), ("sql-server-2005", True)],
                "exchange-server": [("exchange-server-2007", True)],
                "sharepoint-server": [("office-sharepoint-server-2007", True)],
            },
        ),
        (  # Windows 7 and Windows Server 2008 R2 (both 2009-10-22) push XP and 2003 out of cover
            "2009-10-22T08:00:00Z",
            {
                "windows-client": [("windows-7", True), ("windows-vista", True), ("windows-xp", False)],
                "windows-server": [
                    ("windows-server-2008-r2", True),
                    ("windows-server-2008", True),
                    ("windows-server-2003", False),
                ],
                "sql-server": [("sql-server-2008", True), ("sql-server-2005", True)],
                "exchange-server": [("exchange-server-2007", True)],
                "sharepoint-server": [("office-sharepoint-server-2007", True)],
            },
        ),
    ],
)
def test_worlds_set_in_2003_to_2009_offer_the_versions_released_by_then(
    start: str, expected: dict[str, list[tuple[str, bool]]]
) -> None:
    assert by_family(cast_world(start=start)) == expected


@rule("R-SFB-01", "D7", "D10")
def test_before_windows_xp_nothing_is_offered_and_every_version_is_not_released_yet() -> None:
    world = cast_world(start="2001-12-31T07:59:59Z")  # the catalog's first start, 08:00 UTC
    assert world.on_premises_catalog() == ()
    with refused("ProductNotReleased") as no:
        world.support_plans_for("user@contoso.com", "windows-xp")
    assert no.error is not None
    assert no.error.params == {"product": "Windows XP", "released": date(2001, 12, 31)}
    world.advance_clock("PT1S")
    assert by_family(world) == {"windows-client": [("windows-xp", True)]}


@rule("R-SFB-01", "D7")
def test_end_of_support_takes_no_version_out_of_the_catalog() -> None:
    """n-1 is the newest released version of a family and the one before it; a lifecycle page's end
    dates play no part (Windows XP's extended support ended on 2014-04-08)."""
    world = cast_world(start="2026-01-01T09:00:00Z")
    families = by_family(world)
    assert families["sql-server"][:3] == [
        ("sql-server-2025", True),
        ("sql-server-2022", True),
        ("sql-server-2019", False),
    ]
    assert families["windows-client"][-1] == ("windows-xp", False)
    assert families["sql-server"][-1] == ("sql-server-2005", False)
    assert len(world.on_premises_catalog()) == len(VERSIONS) == 38
    late = world.on_premises_catalog()[0].released + timedelta(days=365 * 50)
    world.set_clock(f"{late.isoformat()}T09:00:00Z")  # no later version is known: the same catalog
    assert by_family(world) == families


@rule("R-SFB-01", "D7", "D10")
def test_advancing_past_windows_11_offers_it_and_drops_windows_8_1() -> None:
    world = cast_world()
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    with refused("ProductNotReleased") as not_yet:
        world.support_plans_for("user@contoso.com", "windows-11")
    assert not_yet.error is not None
    assert not_yet.error.params == {"product": "Windows 11", "released": date(2021, 10, 4)}
    assert "2021-10-04" in not_yet.error.message("en-US") and "Windows 11" in not_yet.error.message("it-IT")
    world.set_clock("2021-10-04T09:00:00Z")
    covered, older = groups(world)
    assert covered[:2] == ["windows-11", "windows-10"], covered
    assert older[:3] == ["windows-8.1", "windows-8", "windows-7"], older
    plans = world.support_plans_for("user@contoso.com", "windows-11")
    assert [p.contract_id for p in plans.available] == [ids[1]]
    plans = world.support_plans_for("user@contoso.com", "windows-8.1")
    assert plans.available == ()
    assert [(p.contract_id, p.unavailable_reason) for p in plans.unavailable] == [
        (ids[1], "ProductNotCovered")
    ]


@rule("R-SFB-01", "D7")
def test_a_request_for_a_product_not_yet_released_is_refused_and_changes_nothing() -> None:
    world = cast_world()
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    before = world.snapshot()
    for product, name, released in (
        ("windows-11", "Windows 11", date(2021, 10, 4)),
        ("SQL Server 2022", "SQL Server 2022", date(2022, 11, 16)),
        ("windows-server-2022", "Windows Server 2022", date(2021, 8, 18)),
    ):
        with refused("ProductNotReleased") as no:
            world.create_support_request(
                "user@contoso.com", Portal.SUPPORT_FOR_BUSINESS, product=product, **DETAILS
            )
        assert no.error is not None and no.error.params == {"product": name, "released": released}
        assert no.error.to_dict()["params"]["released"] == released.isoformat()
    assert world.snapshot() == before
    with refused("ProductNotFound"):
        world.support_plans_for("user@contoso.com", "windows-12")


@rule("R-SFB-01", "R-SFB-04", "D7")
@pytest.mark.parametrize("product", COVERED_AT_START)
def test_a_covered_product_uses_one_on_premises_incident(product: str) -> None:
    world = cast_world()
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    created = world.create_support_request(
        "user@contoso.com", Portal.SUPPORT_FOR_BUSINESS, product=product, **DETAILS
    )
    assert (created.product, created.contract_id) == (product, ids[1])
    assert world.remaining_incidents("user@contoso.com") == {ids[1]: 19}


@rule("R-SFB-01", "R-SFB-08", "D7")
def test_after_windows_11_a_request_for_windows_8_1_is_refused_naming_the_covered_versions() -> None:
    world = cast_world(start="2021-10-04T09:00:00Z")
    ids = activate(world)
    world.add_contract("user@contoso.com", *ids)
    with refused("ProductNotCovered") as no:
        world.create_support_request("user@contoso.com", "sfb", product="windows-8.1", **DETAILS)
    assert no.error is not None
    assert no.error.params == {"product": "Windows 8.1", "covered": ["Windows 11", "Windows 10"]}
    assert no.error.message("en-US") == (
        "Windows 8.1 is older than n-1, not covered: Microsoft product support covers the current and the "
        "previous version of a product only (n-1 policy: Windows 11, Windows 10)"
    )
    assert world.remaining_incidents("user@contoso.com") == {ids[1]: 20}


# --- unavailable plans with the partner's Signature information (R-SFB-08) ---------------------------------
@rule("R-SFB-08", "R-EN-02", "R-AZ-03")
@pytest.mark.parametrize(
    ("admin", "membership", "signature", "pack", "remaining"),
    [
        ("admin@contoso.com", "gold", "unlimited", None, None),  # Gold with a cloud competency
        ("admin@fabrikam.com", "gold", "pack", 10, 10),  # Gold, other competencies: 10-pack
        ("admin@northwind.com", "silver", "pack", 5, 5),  # Silver, other competencies: 5-pack
        ("admin@tailspin.com", "action_pack", "not_included", None, None),  # no Signature Cloud Support
    ],
)
def test_an_older_product_shows_the_contract_as_unavailable_with_the_signature_information(
    admin: str, membership: str, signature: str, pack: int | None, remaining: int | None
) -> None:
    world = cast_world()
    ids = activate(world, admin)
    world.add_contract("engineer@outlook.com", *ids)
    assert world.support_plans_for("engineer@outlook.com", "windows-10").available[0].signature is None
    plans = world.support_plans_for("engineer@outlook.com", "windows-7")
    assert plans.available == ()
    [plan] = plans.unavailable
    assert (plan.contract_id, plan.unavailable_reason) == (ids[1], "ProductNotCovered")
    assert plan.signature is not None
    assert plan.signature.to_dict() == {
        "membership": membership,
        "signature_cloud_support": signature,
        "pack_size": pack,
        "remaining_incidents": remaining,
        "expired_on": None,
    }


@rule("R-SFB-08", "R-SFB-05")
def test_the_signature_information_counts_the_cloud_incidents_used_in_azure() -> None:
    world = cast_world()
    ids = activate(world, "admin@fabrikam.com")
    world.link_support_benefits("admin@fabrikam.com", *ids)
    for _ in range(3):
        world.create_support_request("admin@fabrikam.com", "azure", product="app-service", **DETAILS)
    plans = world.support_plans_for("admin@fabrikam.com", "exchange-server-2010")
    [plan] = plans.unavailable
    assert plan.signature is not None
    assert (plan.signature.pack_size, plan.signature.remaining_incidents) == (10, 7)
    assert plan.remaining_incidents == 20  # the on-premises pool is untouched


@rule("R-SFB-08", "R-AZ-07", "D3")
def test_the_signature_information_of_an_expired_contract_counts_no_usable_incident() -> None:
    world = cast_world()
    ids = activate(world, "admin@fabrikam.com")  # activated 2021-03-04 09:00, ends 365 days later (D1)
    world.link_support_benefits("admin@fabrikam.com", *ids)
    for _ in range(3):
        world.create_support_request("admin@fabrikam.com", "azure", product="app-service", **DETAILS)
    world.set_clock("2022-03-04T08:59:59Z")
    [live] = world.support_plans_for("admin@fabrikam.com", "exchange-server-2010").unavailable
    assert live.signature is not None and live.signature.remaining_incidents == 7
    world.set_clock("2022-03-04T09:00:00Z")
    [plan] = world.support_plans_for("admin@fabrikam.com").unavailable
    assert (plan.contract_id, plan.unavailable_reason) == (ids[1], "ContractExpired")
    assert plan.signature is not None
    assert plan.signature.to_dict() == {
        "membership": "gold",
        "signature_cloud_support": "pack",
        "pack_size": 10,
        "remaining_incidents": None,
        "expired_on": "2022-03-04",
    }


@rule("R-SFB-08", "D9")
def test_a_bought_plan_under_unavailable_plans_has_no_signature_information() -> None:
    world = cast_world()
    bought = world.purchase_support_plan("admin@contoso.com", "premier")
    world.advance_clock("P365D")  # D9: a bought plan's term is 365 days
    plans = world.support_plans_for("admin@contoso.com", "sql-server-2012")
    assert [(p.contract_id, p.unavailable_reason, p.signature) for p in plans.unavailable] == [
        (bought.contract_id, "ContractExpired", None)
    ]
