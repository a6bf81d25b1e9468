"""What a scenario is made of, as data: sizes, group kinds, roles, agencies, rates.

Everything the tests check against ("role and group counts as configured", "about 5,000
records") is read from here, so changing a number here changes the scenario and the
test's expectation together. The rates are per group and per month of the scenario
period; a size is a number of groups and an intensity that multiplies every rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The scenario's period: the years the official small-boat figures cover in full or in
# part, so the per-boat passenger counts can follow them.
PERIOD_START = date(2024, 1, 1)
PERIOD_MONTHS = 30  # January 2024 to June 2026


@dataclass(frozen=True)
class Size:
    """A preset: how many groups, how busy each is, and the records that should result."""

    name: str
    groups: int
    intensity: float  # multiplies every per-group monthly rate
    brokers: int  # persons who link groups without belonging to one
    dual_members: int  # members who belong to a second group as well
    target_records: int  # what the preset is calibrated to produce (within about 20%)


SIZES: dict[str, Size] = {
    "small": Size("small", groups=5, intensity=0.22, brokers=2, dual_members=2,
                  target_records=5_000),
    "medium": Size("medium", groups=40, intensity=1.0, brokers=16, dual_members=20,
                   target_records=200_000),
    "large": Size("large", groups=1_000, intensity=1.0, brokers=400, dual_members=500,
                  target_records=5_000_000),
    # The national-scale run of issue 16 (10M source records end to end on one machine):
    # large's groups and rates, 2.1 times as many groups.
    "xlarge": Size("xlarge", groups=2_100, intensity=1.0, brokers=840, dual_members=1_050,
                   target_records=10_500_000),
}

# Roles of network members. Pilots are not members: they are migrants made to steer
# (victims in the truth), so they never appear here.
ROLES = ("kingpin", "lieutenant", "recruiter", "hawaladar", "middleman", "driver",
         "safe_house_keeper", "supplier", "facilitator", "skipper")
# Facilitators, one per country where the networks keep people on the ground.
FACILITATOR_COUNTRIES = ("gb", "be", "fr", "de")


@dataclass(frozen=True)
class GroupKind:
    """A kind of organised crime group, as public case files describe them."""

    name: str
    origin: str  # name pool of the members (names.py)
    bases: tuple[tuple[str, str], ...]  # where the kingpin lives: (city, country)
    migrant_origins: tuple[tuple[str, int], ...]  # name pools of the people moved, weighted
    languages: tuple[str, ...]  # languages of its adverts (ISO 639)
    corridors: tuple[str, ...]  # corridor names (CORRIDORS)
    roles: tuple[tuple[str, int], ...]  # members per role
    outlet_cities: tuple[tuple[str, str], ...]  # hawala / money-service outlets it uses
    fee: tuple[int, int, str]  # Channel crossing fee range and currency


_BASE_ROLES = (("kingpin", 1), ("lieutenant", 2), ("recruiter", 3), ("hawaladar", 2),
               ("middleman", 3), ("driver", 4), ("safe_house_keeper", 2), ("supplier", 1),
               ("facilitator", 4))

GROUP_KINDS: dict[str, GroupKind] = {
    "kurdish": GroupKind(
        "kurdish", origin="kurdish",
        bases=(("Sulaymaniyah", "iq"), ("Ranya", "iq"), ("Erbil", "iq"), ("Qaladiza", "iq")),
        migrant_origins=(("kurdish", 55), ("arabic", 20), ("iranian_kurdish", 10),
                         ("eritrean", 8), ("sudanese", 7)),
        languages=("ckb", "ar", "en"),
        corridors=("kurdistan_yacht", "channel"),
        roles=(*_BASE_ROLES, ("skipper", 2)),
        outlet_cities=(("Ranya", "iq"), ("Sulaymaniyah", "iq"), ("Istanbul", "tr"),
                       ("London", "gb"), ("Birmingham", "gb")),
        fee=(1_500, 3_000, "GBP"),
    ),
    "afghan": GroupKind(
        "afghan", origin="afghan",
        bases=(("Kabul", "af"), ("Jalalabad", "af"), ("Herat", "af")),
        migrant_origins=(("afghan", 75), ("iranian_kurdish", 5), ("arabic", 10),
                         ("sudanese", 10)),
        languages=("ps", "prs", "en"),
        corridors=("balkans", "channel"),
        roles=_BASE_ROLES,
        outlet_cities=(("Kabul", "af"), ("Istanbul", "tr"), ("Brussels", "be"),
                       ("London", "gb")),
        fee=(1_200, 2_500, "EUR"),
    ),
    "albanian": GroupKind(
        "albanian", origin="albanian",
        bases=(("Tirana", "al"), ("Durrës", "al"), ("Elbasan", "al")),
        migrant_origins=(("albanian", 70), ("kurdish", 15), ("arabic", 15)),
        languages=("sq", "en"),
        corridors=("channel",),
        roles=_BASE_ROLES,
        outlet_cities=(("Tirana", "al"), ("Brussels", "be"), ("London", "gb")),
        fee=(2_500, 4_000, "GBP"),
    ),
    "vietnamese": GroupKind(
        "vietnamese", origin="vietnamese",
        bases=(("Vinh", "vn"), ("Hanoi", "vn"), ("Hà Tĩnh", "vn")),
        migrant_origins=(("vietnamese", 90), ("kurdish", 10)),
        languages=("vi", "en"),
        corridors=("channel",),
        roles=_BASE_ROLES,
        outlet_cities=(("Hanoi", "vn"), ("Berlin", "de"), ("London", "gb")),
        fee=(2_000, 3_500, "GBP"),
    ),
}
# The order groups are created in: Kurdish networks dominate the Channel route.
GROUP_SEQUENCE = ("kurdish", "afghan", "kurdish", "albanian", "vietnamese", "kurdish",
                  "afghan", "kurdish")


@dataclass(frozen=True)
class Corridor:
    """A route as a list of legs: (country, place) where people are held or moved on."""

    name: str
    legs: tuple[tuple[str, str], ...]


CORRIDORS: dict[str, Corridor] = {
    "balkans": Corridor("balkans", (
        ("af", "Kabul"), ("ir", "Tehran"), ("ir", "Urmia"), ("tr", "Van"), ("tr", "Istanbul"),
        ("bg", "Sofia"), ("rs", "Belgrade"), ("ba", "Bihać"), ("hr", "Zagreb"),
        ("at", "Vienna"), ("de", "Munich"), ("be", "Brussels"), ("fr", "Dunkirk"))),
    "kurdistan_yacht": Corridor("kurdistan_yacht", (
        ("iq", "Ranya"), ("iq", "Erbil"), ("tr", "Istanbul"), ("tr", "Izmir"),
        ("tr", "Bodrum"), ("it", "Crotone"), ("it", "Milan"), ("de", "Frankfurt"))),
    "channel": Corridor("channel", (
        ("de", "Essen"), ("be", "Brussels"), ("fr", "Paris"), ("fr", "Loon-Plage"),
        ("fr", "Calais"))),
}

# Launch and landing points of the Channel and yacht routes.
CHANNEL_LAUNCHES = ("Gravelines beach", "Loon-Plage", "Dunkirk canal", "Wimereux",
                    "Équihen-Plage", "Hardelot beach", "Le Portel", "Berck-sur-Mer",
                    "Sangatte", "Wissant", "Ambleteuse", "Slack estuary", "Canche estuary")
CHANNEL_LANDINGS = ("Dover (Western Jet Foil)", "Dungeness", "Folkestone", "Deal", "Hythe",
                    "Lydd", "Camber Sands")
YACHT_LAUNCHES = ("Bodrum", "Didim", "Çeşme", "Kaş", "Marmaris")
YACHT_LANDINGS = ("Crotone", "Roccella Ionica", "Santa Maria di Leuca", "Siderno",
                  "Gallipoli")
YACHT_PASSENGERS = (60, 70)  # people per sailing yacht on the Turkey-Italy route

# Fallback for the dinghy passenger band when ../shared/data/small_boats is absent:
# the official yearly means for 2024-2026 (53, 62, 68) give the band 45-70.
FALLBACK_YEARLY_MEANS = {2024: 52.97, 2025: 61.71, 2026: 67.94}


@dataclass(frozen=True)
class Rates:
    """Per group and month, before the size's intensity multiplies them."""

    dinghy_crossings: float = 4.5
    yacht_voyages: float = 0.4  # groups with the yacht corridor only
    named_share: float = 0.35  # passengers who appear by name in some record
    escrow_share: float = 0.55  # of named passengers, who pay through the group's outlets
    relative_pays: float = 0.3  # of those, whose fee a relative pays in
    migrant_phone_seized: float = 0.15  # per crossing, a passenger's phone is extracted
    witnesses: float = 0.35  # per crossing, interviewed passengers (mean)
    posts_per_account: float = 3.0
    iru_referral: float = 0.2  # share of posts Europol's IRU also reports
    shipments: float = 0.45  # boat and engine shipments
    shipment_seized: float = 0.3
    beach_seizure: float = 0.15  # per crossing, a launch prevented and kit seized
    structuring: float = 0.35  # a cash-structuring episode
    operations: float = 0.3  # police operations against the group
    suspect_phone_seized: float = 0.85  # per arrest
    report_per_operation: float = 0.9
    ledger_seized: float = 0.6  # share of outlets whose ledger an agency holds
    # Per shipment, the supply records an investigation holds (demo/supply_records.py),
    # and the share of serials a customs declaration or a roadside check gives.
    purchase_record: float = 0.75
    import_record: float = 0.8
    storage_record: float = 0.6
    transport_record: float = 0.55
    serial_declared: float = 0.75
    serial_noted: float = 0.7


RATES = Rates()
# A small share of values is corrupted on purpose so the quarantine is exercised; every
# one is listed in truth/corruptions.csv.
CORRUPTION_RATE = 0.004


@dataclass(frozen=True)
class Agency:
    """An owning agency: how it grades and marks what it contributes."""

    code: str
    name: str
    country: str
    grading: str  # uk | nato | europol
    grades: tuple[tuple[str, str], ...]  # (source, information) grades it uses
    handling: tuple[str, ...]  # handling codes it uses
    conditions: str | None = None  # for C and H3
    classification: str = "OFFICIAL"
    phone_region: str | None = None  # it writes local numbers without a country code
    kinds: tuple[str, ...] = field(default_factory=tuple)  # what it contributes


AGENCIES: dict[str, Agency] = {a.code: a for a in (
    Agency("NCA", "National Crime Agency", "gb", "uk", (("1", "B"), ("2", "B"), ("2", "C")),
           ("P", "C"), conditions="Not for onward disclosure outside UK law enforcement",
           classification="OFFICIAL-SENSITIVE", phone_region="gb",
           kinds=("ledger", "phone", "document", "arrests", "posts")),
    Agency("BORDER-FORCE", "Border Force", "gb", "uk", (("1", "A"), ("1", "B")), ("P",),
           kinds=("crossings", "phone", "arrests")),
    Agency("PAF-FR", "Police aux Frontières", "fr", "nato", (("B", "2"), ("B", "3"), ("C", "2")),
           ("C",), conditions="Pas de diffusion à des pays tiers sans accord de la PAF",
           phone_region="fr",
           kinds=("seizures", "crossings", "arrests", "phone", "document")),
    Agency("POLICE-BE", "Police fédérale", "be", "nato", (("B", "2"), ("C", "3")), ("C",),
           conditions="Niet verder verspreiden zonder toestemming van de Federale Politie",
           kinds=("ledger", "arrests", "phone", "seizures", "document")),
    Agency("BKA-DE", "Bundeskriminalamt", "de", "nato", (("A", "2"), ("B", "2")), ("C",),
           conditions="Weitergabe an Drittstaaten nur mit Zustimmung des BKA",
           kinds=("seizures", "arrests", "phone", "ledger")),
    Agency("ASAYISH-KRG", "Asayish, Kurdistan Region", "iq", "nato", (("C", "3"), ("D", "3")),
           ("C",), conditions="Source protection: not for judicial use without consent",
           kinds=("ledger",)),
    Agency("EUROPOL", "Europol", "eu", "europol", (("B", "2"), ("B", "3"), ("A", "2")),
           ("H0", "H2", "H3"), conditions="Not for use in judicial proceedings; "
           "contributor's consent required", kinds=("ftm", "posts", "ledger", "seizures")),
)}
# Which agency holds a record made in a country (arrests, seized ledgers, seizures).
AGENCY_BY_COUNTRY = {"gb": "NCA", "fr": "PAF-FR", "be": "POLICE-BE", "de": "BKA-DE",
                     "iq": "ASAYISH-KRG"}


def agency_for(country: str) -> str:
    """The agency that records events in a country; Europol for the rest (partners)."""
    return AGENCY_BY_COUNTRY.get(country, "EUROPOL")


def role_counts(size: Size) -> dict[str, int]:
    """Members per role over all groups of a size, as the generator must produce them."""
    counts = dict.fromkeys(ROLES, 0)
    for index in range(size.groups):
        kind = GROUP_KINDS[GROUP_SEQUENCE[index % len(GROUP_SEQUENCE)]]
        for role, n in kind.roles:
            counts[role] += n
    return counts
