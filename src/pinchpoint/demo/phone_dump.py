"""Phone extractions (docs/formats.md, kind `phone`) of seized suspects' and migrants' phones.

A suspect's phone holds the people the suspect truly deals with: the cell, the
hawaladar, the supplier, migrants who paid, saved under labels such as "Hawala Karwan"
or "Soran Taxi"; calls and chats follow those ties. A migrant's phone, taken on
arrival, names the smugglers: the recruiter who promised "100% safe", the middleman,
the driver, the hawala office. Every item's true parties go to truth/records.csv under
the JSON pointer Pinchpoint stores (``phone.json#/calls/4``).

Who rings whom follows the hierarchy: court records and NCA case summaries describe
organisers abroad directing their lieutenants by phone and encrypted apps, and the
lieutenants instructing the drivers, recruiters and middlemen of their cells, so a call
or an instruction between a member and someone above them in the group is started by
the one above three times in four (`ORDERS`). Between equals, and with relatives,
migrants and outsiders, either side starts it.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from pinchpoint.demo.config import AGENCIES
from pinchpoint.demo.context import Context
from pinchpoint.demo.corrupt import MAKERS, Spec, plant
from pinchpoint.demo.names import INTEL, POLICE, contact_label, render
from pinchpoint.demo.network import Group, Handset, make_handset
from pinchpoint.demo.people import Person, make_relative
from pinchpoint.demo.phones import Phone, written
from pinchpoint.demo.texts import FROM_MIGRANT, LANGUAGE_OF, LOGISTICS, TO_MIGRANT, chat
from pinchpoint.demo.truth import Ref
from pinchpoint.demo.writers import dump_json

ORDERS = 0.75  # of the contact between a superior and a subordinate, started from above
APPS = ("WhatsApp", "WhatsApp", "Telegram", "Signal", "SMS", "Viber")
TOOLS = ("UFED 7.69", "UFED 7.71", "XRY 10.9", "Magnet AXIOM 7.10")
NOTES = ("engines Istanbul", "pays cash", "2 pax + wife", "van", "Dunkirk camp", "new number",
         "ask for code", "boat")
# Corruptible fields of an extraction (what Pinchpoint cleans them as).
CONTACT_PHONE = Spec("phones", "Person", "phone", MAKERS["phone"])
CALL_TIME = Spec("timestamp", "Call", "date", MAKERS["datetime"])
OWNER_DOB = Spec("birth_date", "Person", "birthDate", MAKERS["date"])


class Extraction:
    """One extraction being assembled: the JSON document and the truth of each item."""

    def __init__(self, ctx: Context, rng: random.Random, handset: Handset, user: Person,
                 agency: str, day: date, owner: dict[str, Any]) -> None:
        self.ctx, self.rng, self.day = ctx, rng, day
        self.handset, self.user, self.agency = handset, user, agency
        self.region = AGENCIES[agency].phone_region
        self.own = {p.e164 for p in handset.numbers}
        self.refs: dict[str, list[Ref]] = {}
        self.bad: list[tuple[str, str, str, str, bool]] = []  # locator, field, raw, class, row
        exhibit = f"{agency.split('-')[0]}/{ctx.next_seq('exhibit:' + agency)}"
        self.exhibit = exhibit
        self.data: dict[str, Any] = {
            "extraction": {"seized_at": day.isoformat(), "tool": rng.choice(TOOLS),
                           "extracted_at":
                           f"{(day + timedelta(days=rng.randint(2, 20))).isoformat()}T10:00:00Z",
                           "examiner": f"DC {rng.randrange(1000, 9999)}",
                           "case_ref": f"OP-{rng.randrange(100, 999)}", "exhibit": exhibit},
            "device": {"imei": handset.imei, "imsi": handset.imsi, "make": handset.make,
                       "model": handset.model,
                       "phone_numbers": [self.number(p) for p in handset.numbers],
                       "owner": owner},
            "contacts": [], "calls": [], "messages": [], "accounts": []}
        self.refs["/device"] = [("handset", handset.id, "", ""), ("user", user.id, "", "")]
        self.book: dict[str, tuple[Person, Phone]] = {}  # person id -> (person, saved number)

    def number(self, phone: Phone) -> str:
        return written(phone, self.rng.random(), self.region)

    def _maybe(self, spec: Spec, item: dict[str, Any], key: str, locator: str,
               index: int | None = None, field: str | None = None) -> None:
        """Corrupt one field of an item now and then (listed for the truth)."""
        if self.rng.random() >= 0.004:
            return
        good = item[key][index] if index is not None else item[key]
        planted = plant(self.rng, spec, str(good), self.region)
        if planted is None:
            return
        if index is not None:
            item[key][index] = planted[0]
        else:
            item[key] = planted[0]
        self.bad.append((locator, field or spec.column, planted[0], planted[1], False))

    def contact(self, person: Person, label_role: str, city: str, phone: Phone | None = None
                ) -> None:
        choices = [p for p in person.phones if p.e164 not in self.own]
        if not choices or person.id in self.book:
            return
        phone = phone if phone in choices else self.rng.choice(choices)
        index = len(self.data["contacts"])
        locator = f"/contacts/{index}"
        if self.rng.random() < 0.7:
            name, form = contact_label(self.rng, person.name, label_role, city), "label"
        else:
            name, form = render(self.rng, person.name, INTEL)
        item: dict[str, Any] = {"id": str(index + 1), "name": name,
                                "phones": [self.number(phone)]}
        if self.rng.random() < 0.15:
            item["note"] = self.rng.choice(NOTES)
        self.data["contacts"].append(item)
        self._maybe(CONTACT_PHONE, item, "phones", locator, 0)
        self.refs[locator] = [("contact", person.id, form, name)]
        self.book[person.id] = (person, phone)

    def _when(self) -> datetime:
        back = timedelta(days=self.rng.randint(1, 90), minutes=self.rng.randrange(24 * 60))
        return datetime(self.day.year, self.day.month, self.day.day) - back

    def _their_number(self, person: Person) -> Phone | None:
        saved = self.book.get(person.id)
        if saved is not None and self.rng.random() < 0.85:
            return saved[1]
        choices = [p for p in person.phones if p.e164 not in self.own]
        return self.rng.choice(choices) if choices else None

    def call(self, other: Person) -> None:
        phone = self._their_number(other)
        if phone is None:
            return
        direction = self._direction(other)
        locator = f"/calls/{len(self.data['calls'])}"
        item: dict[str, Any] = {
            "timestamp": self._when().isoformat() + "Z", "direction": direction,
            "number": self.number(phone),
            "duration_seconds": 0 if direction == "missed" else self.rng.randint(8, 900)}
        if self.rng.random() < 0.6:
            item["app"] = self.rng.choice(APPS[:4])
        self.data["calls"].append(item)
        self._maybe(CALL_TIME, item, "timestamp", locator)
        caller, receiver = (self.user, other) if direction == "outgoing" else (other, self.user)
        self.refs[locator] = [("caller", caller.id, "", ""), ("receiver", receiver.id, "", "")]

    def _direction(self, other: Person) -> str:
        """Outgoing, incoming or missed: mostly from the superior where one is above the
        other in the group, as before (two in four outgoing) otherwise."""
        above = superior(self.user, other)
        if above is None:
            return self.rng.choice(("outgoing", "outgoing", "incoming", "missed"))
        started_here = (self.rng.random() < ORDERS) == (above is self.user)
        if started_here:
            return "outgoing"
        return "incoming" if self.rng.random() < 0.8 else "missed"

    def outgoing(self, other: Person) -> bool:
        """Whether a message to or from `other` is the user's (the superior writes)."""
        above = superior(self.user, other)
        if above is None:
            return self.rng.random() < 0.5
        return (self.rng.random() < ORDERS) == (above is self.user)

    def message(self, other: list[Person], text: str, outgoing: bool,
                chat_name: str | None = None) -> None:
        phones = [self._their_number(p) for p in other]
        people = [p for p, ph in zip(other, phones, strict=True) if ph is not None]
        numbers = [ph for ph in phones if ph is not None]
        if not people:
            return
        index = len(self.data["messages"])
        locator = f"/messages/{index}"
        app = self.rng.choice(APPS)
        item: dict[str, Any] = {
            "id": f"{app[:2].lower()}-{self.rng.randrange(10**6)}-{index}",
            "timestamp": self._when().isoformat() + "Z", "app": app,
            "direction": "outgoing" if outgoing else "incoming", "text": text}
        if outgoing:
            item["to"] = [self.number(n) for n in numbers]
            refs: list[Ref] = [("sender", self.user.id, "", ""),
                               ("recipient", people[0].id, "", "")]
            self.refs[locator] = refs
            for k, person in enumerate(people[1:], start=1):
                self.refs[f"{locator}/to/{k}"] = [("recipient", person.id, "", "")]
        else:
            item["from"] = self.number(numbers[0])
            item["to"] = [self.number(self.handset.numbers[0])]
            self.refs[locator] = [("sender", people[0].id, "", ""),
                                  ("recipient", self.user.id, "", "")]
        if chat_name:
            item["chat"] = chat_name
        if self.rng.random() < 0.002:  # a direction the export tool mislabelled
            item["direction"] = self.rng.choice(("forwarded", "draft", "unknown"))
            self.bad.append((locator, "direction", "", "bad_direction", True))
            for k in range(1, len(people)):
                self.refs.pop(f"{locator}/to/{k}", None)
        self.data["messages"].append(item)

    def account(self, service: str, username: str, display: str, user_id: str,
                truth_id: str) -> None:
        locator = f"/accounts/{len(self.data['accounts'])}"
        self.data["accounts"].append({"app": service, "username": username,
                                      "user_id": user_id, "display_name": display})
        self.refs[locator] = [("account", truth_id, "", ""), ("user", self.user.id, "", "")]

    def write(self, name: str, reason: str) -> None:
        ctx = self.ctx
        folder = "phone"
        rel, entry = ctx.sources.whole(self.agency, folder, name, "phone",
                                       dump_json(self.data), source=name[:-5], reason=reason,
                                       region=self.region)
        label = rel.rsplit("/", 1)[1]
        for locator, refs in self.refs.items():
            ctx.truth.refs(rel, f"{label}#{locator}", refs)
        entry.records = len(self.refs)
        for locator, field, raw, reason_class, row in self.bad:
            ctx.truth.corruption(rel, f"{label}#{locator}", field, raw, reason_class, row)
            entry.expect_quarantined += 1


def _rank(person: Person) -> int | None:
    return {"kingpin": 0, "lieutenant": 1}.get(person.role, 2) if person.category == \
        "suspect" and person.groups else None


def superior(a: Person, b: Person) -> Person | None:
    """The one of two members of one group who is above the other (the kingpin above
    everyone, a lieutenant above the members; a member's own lieutenant above them),
    or None: equals, or not both members of one group."""
    ra, rb = _rank(a), _rank(b)
    if ra is None or rb is None or not set(a.groups) & set(b.groups) or ra == rb:
        return None
    return a if ra < rb else b


def _owner(ex_rng: random.Random, person: Person, category: str) -> dict[str, Any]:
    name, _ = render(ex_rng, person.name, POLICE)
    owner: dict[str, Any] = {"name": name, "nationality": person.nationality,
                             "category": category}
    if ex_rng.random() < 0.7:
        owner["birth_date"] = person.birth.isoformat()
    aliases = person.name.aliases()
    if aliases and ex_rng.random() < 0.5:
        owner["aliases"] = aliases[0]
    return owner


def suspect_phone(ctx: Context, rng: random.Random, person: Person, group: Group, day: date,
                  agency: str) -> str:
    """The extraction of a phone seized from an arrested member; returns its exhibit."""
    handset = rng.choice(ctx.world.handsets[person.id])
    ex = Extraction(ctx, rng, handset, person, agency, day, _owner(rng, person, "suspect"))
    if "birth_date" in ex.data["device"]["owner"]:
        ex._maybe(OWNER_DOB, ex.data["device"]["owner"], "birth_date", "/device",
                  field="owner_birth_date")
    # The contact book: whom the member truly deals with, much of the rest of the group,
    # family and friends, and some of the migrants handled.
    ties = ctx.world.neighbours(person)[:40]
    others = [p for p in group.members if p is not person and p not in ties]
    circle = ties + [p for p in others if rng.random() < 0.3]
    for other in circle:
        ex.contact(other, other.role, other.city)
    for _ in range(rng.randint(2, 8)):
        relative = make_relative(rng, ctx.ids, ctx.phones, person)
        ctx.truth.person(relative)
        ctx.truth.link(relative.id, person.id, "family")
        ex.contact(relative, "relative", "")
    migrants = list(group.recent_migrants)
    dealing = person.role in ("recruiter", "middleman", "driver", "lieutenant",
                              "safe_house_keeper")
    clients = rng.sample(migrants, min(len(migrants), rng.randint(5, 25))) if dealing else []
    for migrant in clients[: len(clients) // 2]:
        ex.contact(migrant, "migrant", "Dunkirk")
    known = [p for p, _ in ex.book.values()]
    language = LANGUAGE_OF.get(person.name.origin, "en")
    values = _values(rng)
    for _ in range(rng.randint(25, 110)):
        if known and (rng.random() < 0.75 or not clients):
            ex.call(rng.choice(known))
        elif clients:
            ex.call(rng.choice(clients))
    members = [p for p in known if p.category == "suspect"]
    for _ in range(rng.randint(15, 80)):
        roll = rng.random()
        if members and roll < 0.5:
            other = rng.choice(members)
            lang = language if LANGUAGE_OF.get(other.name.origin) == language else "en"
            ex.message([other], chat(rng, LOGISTICS, lang, **values), ex.outgoing(other))
        elif clients and roll < 0.7:
            group_chat = rng.sample(clients, min(len(clients), rng.randint(2, 5)))
            lang = LANGUAGE_OF.get(group_chat[0].name.origin, "en")
            ex.message(group_chat, chat(rng, TO_MIGRANT, lang, **values), True,
                       rng.choice(("UK group", "Europe travel group", "Safar", "Trip")))
        elif clients:
            client = rng.choice(clients)
            lang = LANGUAGE_OF.get(client.name.origin, "en")
            ex.message([client], chat(rng, FROM_MIGRANT, lang, **values), False)
    for account in group.accounts:
        if account.owner is person:
            ex.account(account.platform, account.username, account.display, account.user_id,
                       account.id)
    label = f"{agency.lower()}_phone_{ex.exhibit.split('/')[1].zfill(5)}.json"
    ex.write(label, f"Extraction of a phone seized on arrest, exhibit {ex.exhibit}")
    return ex.exhibit


def migrant_phone(ctx: Context, rng: random.Random, group: Group, migrant: Person,
                  crew: dict[str, Person], day: date) -> None:
    """A passenger's phone taken on arrival: its contacts name the smugglers."""
    handset = make_handset(rng, ctx.ids, migrant, migrant.phones)
    ctx.truth.obj(handset.id, "handset", f"{handset.make} {handset.model} IMEI {handset.imei}",
                  migrant.id)
    category = rng.choice(("victim", "migrant", "witness"))
    ex = Extraction(ctx, rng, handset, migrant, "BORDER-FORCE", day,
                    _owner(rng, migrant, category))
    smugglers = [crew[r] for r in ("recruiter", "middleman", "driver", "lieutenant")]
    outlet = group.outlets[0].operator if group.outlets else None
    if outlet is not None:
        smugglers.append(outlet)
    for person in smugglers:
        ex.contact(person, person.role, person.city)
    relatives = [make_relative(rng, ctx.ids, ctx.phones, migrant) for _ in
                 range(rng.randint(1, 3))]
    for relative in relatives:
        ctx.truth.person(relative)
        ctx.truth.link(relative.id, migrant.id, "family")
        ex.contact(relative, "relative", "")
    fellow = [p for p in group.recent_migrants if p is not migrant][-4:]
    for person in fellow:
        ex.contact(person, "migrant", "Dunkirk")
    language = LANGUAGE_OF.get(migrant.name.origin, "en")
    values = _values(rng)
    recruiter = crew["recruiter"]
    for _ in range(rng.randint(4, 12)):
        if rng.random() < 0.5:
            ex.message([recruiter], chat(rng, FROM_MIGRANT, language, **values), True)
        else:
            ex.message([recruiter], chat(rng, TO_MIGRANT, language, **values), False)
    for _ in range(rng.randint(5, 20)):
        ex.call(rng.choice(smugglers + relatives))
    label = f"bf_migrant_phone_{ex.exhibit.split('/')[1].zfill(5)}.json"
    ex.write(label, "Phone of a small-boat arrival, examined for evidence of facilitation")


def _values(rng: random.Random) -> dict[str, object]:
    return {"weekday": rng.randrange(7), "city": rng.choice(("Istanbul", "Brussels", "Calais",
                                                             "Dunkirk", "Sofia", "Essen")),
            "place": rng.choice(("Gravelines", "Loon-Plage", "Wimereux", "the camp")),
            "n": rng.randint(10, 60), "code": rng.randrange(1000, 10000),
            "amount": rng.randrange(300, 3000, 50), "currency": rng.choice(("EUR", "GBP")),
            "price": rng.randrange(1500, 3500, 100), "phone": ""}
