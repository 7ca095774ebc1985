"""D7 (revised): the on-premises catalog of Support for Business as product families of versions, each
with its general-availability date, and the n-1 policy (R-SFB-01) computed from a moment.

Every date is the "Start Date" of the version's page under https://learn.microsoft.com/lifecycle/products/
(Microsoft's public lifecycle pages), and each version carries that page's URL as its ``source``. The
pages give dates in Pacific time, and their data writes every start as 00:00 at UTC-8
(``2007-01-27T00:00:00.000-08:00``, in summer too): a version is released from 08:00 UTC of its start
date (``RELEASE_HOUR_UTC``).

The table runs from Windows XP (2001-12-31) to SQL Server 2025 (2025-11-18): before Windows XP's start
nothing is offered; after the newest start the catalog stays as it is (no later version is known).
End of support is not part of D7: n-1 is the newest released version of a family and the one before
it, whatever the lifecycle pages say about their end dates; older versions stay listed as "older than
n-1, not covered".

Nothing here is stored per world: ``catalog_at(moment)`` answers what a world offers at that moment,
and ``World.on_premises_catalog()`` asks it with the world's clock (D10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

#: Where every ``source`` points: Microsoft's lifecycle page of one product.
LIFECYCLE_PAGES = "https://learn.microsoft.com/lifecycle/products/"
#: 00:00 Pacific time at UTC-8, as the lifecycle data writes every start date, is 08:00 UTC.
RELEASE_HOUR_UTC = 8


@dataclass(frozen=True)
class Version:
    """One version of a product family, as its lifecycle page lists it."""

    id: str  # a stable slug ("windows-8.1"): scenarios, APIs and snapshots name products by it
    name: str  # "Windows 8.1"
    family: str  # the family's id ("windows-client")
    version: str  # "8.1"
    released: date  # the lifecycle page's "Start Date"
    source: str  # the lifecycle page's URL

    @property
    def released_at(self) -> datetime:
        """The moment the version is released: 08:00 UTC (00:00 at UTC-8) of its start date."""
        return datetime.combine(self.released, time(RELEASE_HOUR_UTC), tzinfo=UTC)


@dataclass(frozen=True)
class Family:
    """A product family; its versions in release order, oldest first."""

    id: str
    name: str
    versions: tuple[Version, ...]


def product_id(name: str) -> str:
    """A product's stable slug from its name: ``Windows 8.1`` -> ``windows-8.1``."""
    return name.lower().replace(" ", "-")


def _family(family_id: str, name: str, rows: tuple[tuple[str, str, str, str], ...]) -> Family:
    """A family from rows of (name, version, lifecycle start date, lifecycle page slug)."""
    versions = tuple(
        Version(
            product_id(title), title, family_id, number, date.fromisoformat(start), LIFECYCLE_PAGES + page
        )
        for title, number, start, page in rows
    )
    return Family(family_id, name, versions)


#: The families in the order Support for Business lists them; each version's start date and page.
FAMILIES: tuple[Family, ...] = (
    _family(
        "windows-client",
        "Windows client",
        (
            ("Windows XP", "XP", "2001-12-31", "windows-xp"),
            ("Windows Vista", "Vista", "2007-01-25", "windows-vista"),
            ("Windows 7", "7", "2009-10-22", "windows-7"),
            ("Windows 8", "8", "2012-10-30", "windows-8"),
            ("Windows 8.1", "8.1", "2013-11-13", "windows-81"),
            ("Windows 10", "10", "2015-07-29", "windows-10-home-and-pro"),
            ("Windows 11", "11", "2021-10-04", "windows-11-home-and-pro"),
        ),
    ),
    _family(
        "windows-server",
        "Windows Server",
        (
            ("Windows Server 2003", "2003", "2003-05-28", "windows-server-2003-"),
            ("Windows Server 2008", "2008", "2008-05-06", "windows-server-2008"),
            ("Windows Server 2008 R2", "2008 R2", "2009-10-22", "windows-server-2008-r2"),
            ("Windows Server 2012", "2012", "2012-10-30", "windows-server-2012"),
            ("Windows Server 2012 R2", "2012 R2", "2013-11-25", "windows-server-2012-r2"),
            ("Windows Server 2016", "2016", "2016-10-15", "windows-server-2016"),
            ("Windows Server 2019", "2019", "2018-11-13", "windows-server-2019"),
            ("Windows Server 2022", "2022", "2021-08-18", "windows-server-2022"),
            ("Windows Server 2025", "2025", "2024-11-01", "windows-server-2025"),
        ),
    ),
    _family(
        "sql-server",
        "SQL Server",
        (
            ("SQL Server 2005", "2005", "2006-01-14", "microsoft-sql-server-2005"),
            ("SQL Server 2008", "2008", "2008-11-06", "microsoft-sql-server-2008"),
            ("SQL Server 2008 R2", "2008 R2", "2010-07-20", "microsoft-sql-server-2008-r2"),
            ("SQL Server 2012", "2012", "2012-05-20", "microsoft-sql-server-2012"),
            ("SQL Server 2014", "2014", "2014-06-05", "sql-server-2014"),
            ("SQL Server 2016", "2016", "2016-06-01", "sql-server-2016"),
            ("SQL Server 2017", "2017", "2017-09-29", "sql-server-2017"),
            ("SQL Server 2019", "2019", "2019-11-04", "sql-server-2019"),
            ("SQL Server 2022", "2022", "2022-11-16", "sql-server-2022"),
            ("SQL Server 2025", "2025", "2025-11-18", "sql-server-2025"),
        ),
    ),
    _family(
        "exchange-server",
        "Exchange Server",
        (
            ("Exchange Server 2007", "2007", "2007-03-08", "exchange-server-2007"),
            ("Exchange Server 2010", "2010", "2009-11-09", "exchange-server-2010"),
            ("Exchange Server 2013", "2013", "2013-01-09", "exchange-server-2013"),
            ("Exchange Server 2016", "2016", "2015-10-01", "exchange-server-2016"),
            ("Exchange Server 2019", "2019", "2018-10-22", "exchange-server-2019"),
            (
                "Exchange Server Subscription Edition",
                "Subscription Edition",
                "2025-07-01",
                "exchange-server-subscription-edition",
            ),
        ),
    ),
    _family(
        "sharepoint-server",
        "SharePoint Server",
        (
            (
                "Office SharePoint Server 2007",
                "2007",
                "2007-01-27",
                "microsoft-office-sharepoint-server-2007",
            ),
            ("SharePoint Server 2010", "2010", "2010-07-15", "microsoft-sharepoint-server-2010"),
            ("SharePoint Server 2013", "2013", "2013-01-09", "sharepoint-server-2013"),
            ("SharePoint Server 2016", "2016", "2016-05-01", "sharepoint-server-2016"),
            ("SharePoint Server 2019", "2019", "2018-10-22", "sharepoint-server-2019"),
            (
                "SharePoint Server Subscription Edition",
                "Subscription Edition",
                "2021-11-02",
                "sharepoint-server-subscription-edition",
            ),
        ),
    ),
)

#: Every version of every family, by id.
VERSIONS: dict[str, Version] = {v.id: v for family in FAMILIES for v in family.versions}
#: The first version the catalog knows (Windows XP, 2001-12-31): before it nothing is offered.
FIRST_VERSION: Version = min(VERSIONS.values(), key=lambda v: v.released)


def family_key(family_id: str) -> str:
    """The message key of a family's name: ``windows-client`` -> ``family_windows_client``."""
    return "family_" + family_id.replace("-", "_")


#: How many of a family's newest released versions the n-1 policy covers: the current one and the
#: one before it (R-SFB-01, aka.ms/n-1).
COVERED_PER_FAMILY = 2


@dataclass(frozen=True)
class Offered:
    """A version Support for Business offers at a given moment, and whether the n-1 policy covers it."""

    version: Version
    family: Family
    covered: bool  # False: older than n-1, not covered (R-SFB-08 puts the contract under unavailable)


def catalog_at(moment: datetime) -> tuple[Offered, ...]:
    """What Support for Business offers at ``moment`` (D7): the released versions of every family,
    families in ``FAMILIES`` order, newest version first; in each family the two newest released
    versions are covered, older ones are not. A version is released from its ``released_at`` (08:00
    UTC of its start date); later ones are left out. Empty before Windows XP's start (2001-12-31)."""
    offered: list[Offered] = []
    for family in FAMILIES:
        released = [v for v in family.versions if v.released_at <= moment]
        released.sort(key=lambda v: v.released, reverse=True)
        offered.extend(
            Offered(version, family, index < COVERED_PER_FAMILY) for index, version in enumerate(released)
        )
    return tuple(offered)
