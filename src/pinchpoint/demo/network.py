"""The criminal networks: groups with a hierarchy, their outlets, accounts and handsets.

Public case files describe organised immigration crime groups as small hierarchies
(a kingpin abroad, a few lieutenants, each running a cell of recruiters, middlemen,
drivers and safe-house keepers) that buy services (hawala, boats, engines) from people
who serve several groups, and that cooperate through brokers. The tie structure built
here follows that: dense cells, sparse links between them, a few members in two groups,
and brokers bridging groups, which is what makes real criminal networks sparse, modular
and dependent on a few brokers.
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from dataclasses import dataclass, field

from pinchpoint.demo.config import (
    FACILITATOR_COUNTRIES,
    GROUP_KINDS,
    GROUP_SEQUENCE,
    GroupKind,
    Size,
)
from pinchpoint.demo.people import (
    FACILITATOR_CITIES,
    ROLE_PLACES,
    Ids,
    Person,
    make_member,
)
from pinchpoint.demo.phones import Phone, PhoneBook

OUTLET_WORDS = {
    "kurdish": ("Zagros", "Nishtiman", "Hawler", "Slemani", "Qandil", "Sirwan", "Halabja",
                "Azadi", "Kurdistan", "Ranya"),
    "afghan": ("Ariana", "Kabul", "Herat", "Pamir", "Khyber", "Bamyan", "Amu"),
    "albanian": ("Shqiponja", "Adriatik", "Iliria", "Drini", "Vlora"),
    "vietnamese": ("Hoa Binh", "Sai Gon", "Hanoi", "Mekong", "Phuong Dong"),
}
OUTLET_KINDS = ("Exchange", "Money Transfer", "Hawala", "Travel & Exchange",
                "Mobile & Money", "Cargo & Transfer", "Sarafi", "Trading")
# (make, model, TAC prefix) for the handsets seized in these cases.
HANDSETS = (("Samsung", "Galaxy A12", "35693803"), ("Samsung", "Galaxy A14", "35016573"),
            ("Apple", "iPhone 11", "35391110"), ("Apple", "iPhone 13", "35467412"),
            ("Nokia", "105", "35272511"), ("Xiaomi", "Redmi Note 12", "86123406"),
            ("Huawei", "Y6", "86720304"), ("Alcatel", "1066", "35880110"),
            ("Oppo", "A17", "86451205"))
IMSI_NETWORKS = {"gb": "23415", "fr": "20801", "be": "20601", "de": "26201", "nl": "20404",
                 "iq": "41840", "af": "41201", "tr": "28601", "bg": "28401", "gr": "20201",
                 "al": "27601", "vn": "45204", "ir": "43211", "rs": "22001", "it": "22210",
                 "ua": "25501", "er": "65701", "sd": "63401", "sy": "41701"}
PLATFORMS = ("Facebook", "TikTok", "Telegram", "Instagram")
ACCOUNT_WORDS = {
    "ckb": (("kurd.travel", "Kurd Travel"), ("gashti.ewropa", "گەشتی ئەورووپا"),
            ("rega.england", "ڕێگای ئینگلتەرا"), ("safar.kurdistan", "Safar Kurdistan")),
    "ar": (("rehla.aamina", "رحلة آمنة"), ("uk.trips", "UK Trips")),
    "ps": (("safar.bekhatar", "سفر بی خطر"), ("kabul.london", "Kabul London")),
    "prs": (("rah.europa", "راه اروپا"), ("afghan.safar", "Afghan Safar")),
    "sq": (("rruga.londer", "Rruga e Londrës"), ("angli.sigurt", "Angli e Sigurt")),
    "vi": (("di.anh.an.toan", "Đi Anh An Toàn"), ("dulich.chauau", "Du lịch Châu Âu")),
    "en": (("europe_way", "Europe Way"), ("uk_trip_safe", "Safe Trip UK"),
           ("boat.uk.now", "Boat UK")),
}


@dataclass(slots=True)
class Outlet:
    """A hawala or money-service outlet (an FtM Organization in the ledgers)."""

    id: str
    name: str
    city: str
    country: str
    operator: Person
    groups: list[str] = field(default_factory=list)
    ledger: str | None = None  # the key of its seized ledger file, when an agency has one


@dataclass(slots=True)
class Account:
    """A social-media account run by a recruiter, used to advertise crossings."""

    id: str
    platform: str
    username: str
    display: str
    user_id: str
    language: str
    owner: Person
    booking: Phone  # the number the adverts give


@dataclass(slots=True)
class Handset:
    id: str
    imei: str
    imsi: str
    make: str
    model: str
    owner: Person
    numbers: list[Phone]


@dataclass
class Group:
    id: str
    name: str
    kind: GroupKind
    base: tuple[str, str]  # (city, country)
    members: list[Person] = field(default_factory=list)
    by_role: dict[str, list[Person]] = field(default_factory=dict)
    outlets: list[Outlet] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    brokers: list[Person] = field(default_factory=list)
    recent_migrants: deque[Person] = field(default_factory=lambda: deque(maxlen=60))
    # (collector id, currency) -> fees released to that collector this month, not yet
    # sent on to the kingpin (`demo.money.month` sends the boss's share up)
    takings: dict[tuple[str, str], int] = field(default_factory=dict)

    def role(self, role: str) -> list[Person]:
        return self.by_role.get(role, [])

    def pick(self, rng: random.Random, role: str) -> Person:
        people = self.by_role.get(role) or self.by_role["lieutenant"]
        return people[0] if len(people) == 1 else rng.choice(people)

    @property
    def kingpin(self) -> Person:
        return self.by_role["kingpin"][0]


@dataclass
class World:
    groups: list[Group]
    people: dict[str, Person]  # members and brokers
    handsets: dict[str, list[Handset]]  # person id -> their handsets
    outlets: list[Outlet]
    ties: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    adjacency: dict[str, list[str]] = field(default_factory=dict)

    def tie(self, a: Person, b: Person, kind: str, weight: int = 1) -> None:
        """A true relationship between two members or brokers (aggregated)."""
        if a.id == b.id:
            return
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        kinds = self.ties.setdefault(key, {})
        kinds[kind] = kinds.get(kind, 0) + weight

    def neighbours(self, person: Person) -> list[Person]:
        """Whom a member truly deals with (the static structure: cells, brokers)."""
        return [self.people[other] for other in self.adjacency.get(person.id, ())]

    def index(self) -> None:
        """Adjacency for contact books, built once the static structure is made."""
        self.adjacency = {}
        for a, b in self.ties:
            self.adjacency.setdefault(a, []).append(b)
            self.adjacency.setdefault(b, []).append(a)


def _luhn(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


def make_handset(rng: random.Random, ids: Ids, owner: Person, numbers: list[Phone]) -> Handset:
    make, model, tac = rng.choice(HANDSETS)
    imei = _luhn(tac + f"{rng.randrange(10**6):06d}")
    network = IMSI_NETWORKS.get(numbers[0].country, "23415")
    imsi = network + f"{rng.randrange(10**10):010d}"
    return Handset(ids.next("H"), imei, imsi, make, model, owner, numbers)


def _member_place(rng: random.Random, role: str, kind: GroupKind, base: tuple[str, str]
                  ) -> tuple[str, str]:
    if role == "kingpin":
        return base[1], base[0]
    if role == "hawaladar":
        city, country = rng.choice(kind.outlet_cities)
        return country, city
    country, city = rng.choice(ROLE_PLACES[role])
    return country, city


def _origin_for(rng: random.Random, role: str, country: str, kind: GroupKind) -> str:
    """Drivers in Bulgaria are often Bulgarian, yacht skippers Ukrainian or Turkish."""
    if role == "driver" and country == "bg":
        return "bulgarian"
    if role == "supplier" and country == "tr":
        return "turkish" if rng.random() < 0.6 else kind.origin
    if role == "skipper":
        return "ukrainian" if country == "ua" else "turkish"
    if role in ("driver", "facilitator") and rng.random() < 0.15:
        return "european"
    return kind.origin


def _build_group(rng: random.Random, ids: Ids, phones: PhoneBook, index: int) -> Group:
    kind = GROUP_KINDS[GROUP_SEQUENCE[index % len(GROUP_SEQUENCE)]]
    base = rng.choice(kind.bases)
    group = Group(ids.next("G"), "", kind, base)
    facilitator_at = iter(FACILITATOR_COUNTRIES * 4)
    hawala_cities = [kind.outlet_cities[0], *rng.sample(kind.outlet_cities[1:], 1)]
    for role, count in kind.roles:
        for n in range(count):
            if role == "facilitator":
                country = next(facilitator_at)
                city = FACILITATOR_CITIES[country]
            elif role == "hawaladar":
                city, country = hawala_cities[n % len(hawala_cities)]
            else:
                country, city = _member_place(rng, role, kind, base)
            if role == "lieutenant" and n == 0:  # the kingpin's deputy at home
                city, country = base
            origin = _origin_for(rng, role, country, kind)
            person = make_member(rng, ids, phones, origin, role, country, city)
            person.groups.append(group.id)
            group.members.append(person)
            group.by_role.setdefault(role, []).append(person)
    family = group.kingpin.name.family.latin
    group.name = f"{family} network ({base[0]})"
    return group


def _cells(rng: random.Random, world: World, group: Group) -> None:
    """Hierarchy ties: kingpin to lieutenants, each lieutenant to a cell of members."""
    lieutenants = group.role("lieutenant")
    for lt in lieutenants:
        world.tie(group.kingpin, lt, "hierarchy", 3)
    for a, b in itertools.pairwise(lieutenants):
        world.tie(a, b, "hierarchy", 2)
    cells: dict[str, list[Person]] = {lt.id: [] for lt in lieutenants}
    rest = [p for p in group.members if p.role not in ("kingpin", "lieutenant")]
    for i, person in enumerate(rest):
        lt = lieutenants[i % len(lieutenants)]
        person.lieutenant = lt.id
        cells[lt.id].append(person)
        world.tie(lt, person, "hierarchy", 2)
    for cell in cells.values():
        for i, a in enumerate(cell):
            for b in cell[i + 1:]:
                if rng.random() < 0.1:
                    world.tie(a, b, "works_with")
    hawaladars = group.role("hawaladar")
    for h in hawaladars:
        world.tie(group.kingpin, h, "money", 2)
    for h in hawaladars[1:]:
        world.tie(hawaladars[0], h, "money", 2)


def _outlets(rng: random.Random, ids: Ids, group: Group) -> list[Outlet]:
    words = OUTLET_WORDS.get(group.kind.origin, OUTLET_WORDS["kurdish"])
    outlets = []
    for person in group.role("hawaladar"):
        name = f"{rng.choice(words)} {rng.choice(OUTLET_KINDS)}"
        outlets.append(Outlet(ids.next("O"), name, person.city, person.country, person,
                              [group.id]))
    return outlets


def _accounts(rng: random.Random, ids: Ids, group: Group, counter: list[int]) -> None:
    for recruiter in group.role("recruiter"):
        for _ in range(1 + (rng.random() < 0.5)):
            language = rng.choice(group.kind.languages)
            base, display = rng.choice(ACCOUNT_WORDS.get(language, ACCOUNT_WORDS["en"]))
            counter[0] += 1
            platform = rng.choice(PLATFORMS)
            sep = "_" if platform == "Telegram" else "."
            username = f"{base.replace('.', sep)}{sep}{counter[0]}"
            group.accounts.append(Account(
                ids.next("A"), platform, username, display, str(10**14 + counter[0] * 7919),
                language, recruiter, recruiter.phones[0]))


def build_world(rng: random.Random, ids: Ids, phones: PhoneBook, size: Size) -> World:
    """Groups, members, outlets, accounts, handsets; dual members and brokers; ties."""
    groups = [_build_group(rng, ids, phones, i) for i in range(size.groups)]
    people = {p.id: p for g in groups for p in g.members}
    world = World(groups, people, {}, [])
    for group in groups:
        _cells(rng, world, group)
        group.outlets = _outlets(rng, ids, group)
        world.outlets.extend(group.outlets)
    counter = [0]
    for group in groups:
        _accounts(rng, ids, group, counter)
    _dual_members(rng, world, size)
    _brokers(rng, ids, phones, world, size)
    _shared_burners(rng, world)
    for person in world.people.values():
        numbers = list(person.phones)
        split = 1 if len(numbers) > 1 and rng.random() < 0.5 else len(numbers)
        handsets = [make_handset(rng, ids, person, numbers[:split])]
        if split < len(numbers):
            handsets.append(make_handset(rng, ids, person, numbers[split:]))
        world.handsets[person.id] = handsets
    world.index()
    return world


def _dual_members(rng: random.Random, world: World, size: Size) -> None:
    """Members who also work for a second group: hawala, boats and drivers are shared."""
    if len(world.groups) < 2:
        return
    shared_roles = ("hawaladar", "supplier", "driver", "safe_house_keeper", "facilitator")
    chosen: list[Person] = []
    for i in range(size.dual_members):
        group = world.groups[(i * 7) % len(world.groups)]
        candidates = [p for r in shared_roles for p in group.role(r)
                      if len(p.groups) == 1 and p not in chosen]
        if not candidates:
            continue
        person = rng.choice(candidates)
        other = rng.choice([g for g in world.groups if g.id != group.id])
        person.groups.append(other.id)
        other.members.append(person)
        world.tie(person, other.pick(rng, "lieutenant"), "hierarchy", 2)
        for outlet in group.outlets:
            if outlet.operator is person:
                outlet.groups.append(other.id)
                other.outlets.append(outlet)
        chosen.append(person)


def _brokers(rng: random.Random, ids: Ids, phones: PhoneBook, world: World,
             size: Size) -> None:
    """Brokers link two or three groups (handing migrants on, selling boats, laundering)."""
    if len(world.groups) < 2:
        return
    for _ in range(size.brokers):
        n = 2 + (rng.random() < 0.35) + (rng.random() < 0.15)
        linked = rng.sample(world.groups, min(len(world.groups), n))
        country, city = rng.choice(ROLE_PLACES["broker"])
        origin = linked[0].kind.origin if rng.random() < 0.7 else "turkish"
        broker = make_member(rng, ids, phones, origin, "broker", country, city)
        broker.groups.extend(g.id for g in linked)
        world.people[broker.id] = broker
        for group in linked:
            group.brokers.append(broker)
            world.tie(broker, group.pick(rng, "lieutenant"), "broker", 2)
            if rng.random() < 0.4:
                world.tie(broker, group.kingpin, "broker")
            for other in linked:
                if other.id != group.id and other.id not in group.partners:
                    group.partners.append(other.id)


def _shared_burners(rng: random.Random, world: World) -> None:
    """A booking line passed between recruiters, a burner handed to the next driver."""
    for group in world.groups:
        for role in ("recruiter", "driver"):
            people = group.role(role)
            if len(people) > 1 and rng.random() < 0.5:
                a, b = rng.sample(people, 2)
                b.phones.append(a.phones[0])

