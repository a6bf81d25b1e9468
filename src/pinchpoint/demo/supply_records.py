"""The records an investigation of a boat-and-engine supply chain gathers, each naming
serial numbers, so that a serial seized on a beach can be followed back.

Each follows what public case descriptions say investigators collected:

- **purchases** (`*_purchases_YYYY.csv`): the supplier company's sales invoices, seized in
  a search of its premises (one row per item: seller with its VAT number, buyer, make,
  model, serial, price). The NCA and German police describe suppliers who "bought boats
  and engines in bulk from China and Turkey" and sold them on to the gangs (NCA, Operation
  Inglenook and the 2024 Osnabrück raids; Bundespolizei press release, 2024), with
  invoices and warranty cards naming serials (Europol, "Action day against a network
  supplying boats and engines", 2023).
- **imports** (`*_imports_YYYY.csv`): customs import declarations at the border post or
  port (Kapitan Andreevo, Burgas, Hamburg): importer with its EORI, consignee, origin and
  goods; serials only where the declarant gave them (Bulgarian Customs Agency and
  GDBOP, engines declared through Bulgaria, 2023-2024; "typically sourced from outside
  of Europe", NCA).
- **storage** (`*_storage_YYYY.csv`): the inventory of a warehouse or lorry-park search,
  with the site and who rented it ("stored across the continent", NCA; boats and engines
  in a Sofia warehouse and a lorry park near Osnabrück, Europol and Bundespolizei, 2024).
- **vehicle checks** (`*_vehicle_checks_YYYY.csv`): roadside checks of the vans moving the
  kit, with plate, driver and the serials officers noted ("driven in vans and cars to
  the French coast", NCA; PAF and Belgian federal police checks on the E40 and A16).

Serials are written as clerks write them: lower case, a dash turned into a space or
dropped, dots or spaces between groups, and now and then a digit mistyped, which no
rule can link. Not every serial is declared or noted. Each record is drawn from its own
``random.Random`` seeded with the chain id, so adding these files changes no other
file of a scenario. The truth (`truth/supply_links.csv`) lists every link the records
state: an item to each record naming its serial and to the people and companies each
of those records names.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from pinchpoint.demo.config import RATES, agency_for
from pinchpoint.demo.context import Chain, Context, shift
from pinchpoint.demo.corrupt import MAKERS, Spec
from pinchpoint.demo.names import LEDGER_EU, POLICE, render
from pinchpoint.demo.people import Person
from pinchpoint.demo.truth import Ref, Slot, slot_records
from pinchpoint.demo.writers import CsvSink, Entry, Layout, provenance

PURCHASES = ("invoice_ref", "date", "seller", "seller_vat", "seller_country", "buyer",
             "buyer_country", "item_kind", "make", "model", "serial_number", "quantity",
             "unit_price", "currency")
IMPORTS = ("declaration_ref", "date", "customs_office", "origin_country", "importer",
           "importer_eori", "consignee", "goods_description", "item_kind", "make", "model",
           "serial_number", "quantity")
STORAGE = ("search_ref", "date", "site", "site_kind", "address", "country", "rented_by",
           "item_kind", "make", "model", "serial_number", "quantity")
VEHICLE_CHECKS = ("check_ref", "date", "place", "country", "plate", "vehicle", "driver",
                  "item_kind", "make", "model", "serial_number", "quantity", "notes")


def _specs(schema: str) -> tuple[Spec, ...]:
    return (Spec("date", schema, "date", MAKERS["date"]),
            Spec("quantity", "SeizedItem", "quantity", MAKERS["quantity"]))


SUPPLY_LAYOUTS = {
    "purchases": Layout("purchases", "purchases", PURCHASES, _specs("Event")),
    "imports": Layout("imports", "imports", IMPORTS, _specs("Event")),
    "storage": Layout("storage", "storage", STORAGE, _specs("Event")),
    "vehicle_checks": Layout("vehicle_checks", "vehicle_checks", VEHICLE_CHECKS,
                             _specs("Trip")),
}
# Storage sites by country; the first is the site `supply.STORES` names (where a
# shipment seized in storage was found).
SITES = {"bg": (("warehouse, Iliyantsi industrial zone, Sofia", "warehouse"),
                ("warehouse, Kazichene, Sofia", "warehouse"),
                ("lorry park, Trakia motorway, Plovdiv", "lorry park"),
                ("garage, Harmanli", "garage"),
                ("warehouse, port zone, Burgas", "warehouse")),
         "de": (("lorry park, Fürstenauer Weg, Osnabrück", "lorry park"),
                ("warehouse, Hafen, Osnabrück", "warehouse"),
                ("lorry park, Autohof Lotte, A1", "lorry park"),
                ("storage unit, Vogelheim, Essen", "storage unit"),
                ("warehouse, Billbrook, Hamburg", "warehouse"))}
CUSTOMS = {("tr", "bg"): ("Kapitan Andreevo", "bg"), ("cn", "bg"): ("Burgas port", "bg"),
           ("cn", "de"): ("Hamburg port", "de"), ("tr", "de"): ("Kapitan Andreevo", "bg")}
# Where vans bound for the coast are checked: (place, country), by storage country.
CHECKS = {"bg": (("Kalotina border crossing", "bg"), ("E40 motorway, parking Jabbeke", "be"),
                 ("A16 near Calais", "fr"), ("A16 near Dunkirk", "fr")),
          "de": (("A1 near Osnabrück", "de"), ("E40 motorway, parking Jabbeke", "be"),
                 ("A16 near Dunkirk", "fr"), ("A16 near Calais", "fr"))}
COUNTRY_NAMES = {"tr": "Turkey", "cn": "China", "bg": "Bulgaria", "de": "Germany",
                 "fr": "France", "be": "Belgium"}
TRADES = ("Marine", "Trade", "Boats", "Import-Export", "Logistics", "Nautic")
SUFFIXES = {"bg": ("EOOD", "OOD"), "de": ("GmbH", "UG")}


@dataclass
class Kit:
    """One shipment's items as the records see them: (truth id, kind, make, model, serial)."""

    chain: Chain
    items: list[tuple[str, str, str, str, str]]
    day: date
    buyer: Person
    van: tuple[str, str, str]  # make, model, plate
    seized: str  # where the shipment was seized: "storage", "transit" or ""
    links: dict[tuple[str, str, str], list[Slot]] = field(default_factory=dict)


def written_serial(rng: random.Random, serial: str) -> str:
    """A serial as one clerk writes it (module docstring); about 2% mistyped."""
    roll = rng.random()
    if roll < 0.5:
        text = serial
    elif roll < 0.65:
        text = serial.lower()
    elif roll < 0.77:
        text = serial.replace("-", " ")
    elif roll < 0.89:
        text = serial.replace("-", "")
    else:
        body = serial.replace("-", "")
        text = " ".join(body[i:i + 4] for i in range(0, len(body), 4))
    if rng.random() < 0.02:
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        if digits:
            i = rng.choice(digits)
            text = text[:i] + str((int(text[i]) + rng.randint(1, 9)) % 10) + text[i + 1:]
    return text


def _make_as_written(rng: random.Random, make: str) -> str:
    roll = rng.random()
    return make.upper() if roll < 0.2 else f"{make} Motor" if roll < 0.25 and make != \
        "unbranded" else make


def supply_sink(ctx: Context, layout: str, agency: str, year: int, reason: str) -> CsvSink:
    """The agency's file of one supply layout for a year, made (with its manifest
    entry) on first use, as `Sources.csv` makes the other built-in layouts' files."""
    key = f"supply:{layout}:{agency}:{year}"
    sink = ctx.sources.sinks.get(key)
    if sink is not None:
        return sink
    spec = SUPPLY_LAYOUTS[layout]
    name = f"{agency.lower()}_{layout}_{year}.csv"
    rel = f"sources/{agency}/{spec.folder}/{name}"
    if name in ctx.sources.labels:
        raise ValueError(f"two source files named {name}: records would collide")
    ctx.sources.labels.add(name)
    options = provenance(random.Random(f"{ctx.seed}:provenance:{name}"), agency, name[:-4],
                         reason)
    entry = Entry(spec.kind, rel, options)
    ctx.sources.entries.append(entry)
    sink = ctx.sources.sinks[key] = CsvSink(ctx.sources, rel, spec, entry, None)
    return sink


@dataclass(frozen=True)
class Company:
    """The supplier's trading company: the seller on invoices, the importer at customs."""

    id: str
    name: str
    country: str
    vat: str


def company_of(ctx: Context, supplier: Person) -> Company:
    """One company per supplier, the same in every chain (its truth row written once)."""
    rng = random.Random(f"{ctx.seed}:supply:company:{supplier.id}")
    country = rng.choice(("bg", "de"))
    name = (f"{supplier.name.family.latin} {rng.choice(TRADES)} "
            f"{rng.choice(SUFFIXES[country])}")
    company = Company(f"K{supplier.id[1:]}", name, country,
                      f"{country.upper()}{rng.randrange(10**8, 10**9)}")
    if ctx.next_seq(f"supply:company:{supplier.id}") == 1:
        ctx.truth.obj(company.id, "company", f"{company.name} ({company.vat})", supplier.id,
                      ";".join(supplier.groups))
    return company


def _company_as_written(rng: random.Random, company: Company) -> tuple[str, str]:
    """(name, registration number) as a record writes them: sometimes upper case,
    sometimes without the legal form, the number now and then left out."""
    roll = rng.random()
    name = company.name.upper() if roll < 0.25 else company.name.rsplit(" ", 1)[0] \
        if roll < 0.4 else company.name
    return name, ("" if rng.random() < 0.15 else company.vat)


def _site(ctx: Context, kit: Kit) -> tuple[str, str, str]:
    """(site id, site, kind): the supplier's site in the storage country, or the site a
    storage seizure names."""
    country = "bg" if "Sofia" in kit.chain.storage else "de"
    rng = random.Random(f"{ctx.seed}:supply:site:{kit.chain.supplier.id}:{country}")
    index = 0 if kit.seized == "storage" else rng.randrange(len(SITES[country]))
    site, kind = SITES[country][index]
    return f"W{country.upper()}{index + 1}", site, kind


def _item_rows(rng: random.Random, kit: Kit, share: float, noted: Callable[[str], bool]
               ) -> list[tuple[str, dict[str, str]]]:
    """One row per item whose serial the record gives (with that share); the others
    counted in one row per kind and make, with no serial. (truth id or "", row)"""
    rows: list[tuple[str, dict[str, str]]] = []
    left: dict[tuple[str, str, str], int] = {}
    for ident, kind, make, model, serial in kit.items:
        if noted(kind) and rng.random() < share:
            rows.append((ident, {"item_kind": kind, "make": _make_as_written(rng, make),
                                 "model": model, "serial_number": written_serial(rng, serial),
                                 "quantity": "1"}))
        else:
            left[(kind, make, model)] = left.get((kind, make, model), 0) + 1
    for (kind, make, model), n in left.items():
        rows.append(("", {"item_kind": kind, "make": make, "model": model,
                          "serial_number": "", "quantity": str(n)}))
    return rows


def _write(ctx: Context, kit: Kit, sink: CsvSink, day: date, record: tuple[str, str],
           parties: list[Ref], head: dict[str, str],
           rows: list[tuple[str, dict[str, str]]]) -> None:
    """The record's rows; each row naming an item links it to the record and parties."""
    kind, record_id = record
    reference = next(iter(head.values()))  # the invoice, declaration, search or check
    ctx.truth.obj(record_id, kind, f"{kind} {reference}", "", kit.chain.group)
    for ident, row in rows:
        refs: list[Ref] = [(kind, record_id, "", ""), *parties]
        if ident:
            refs.append(("item", ident, "", ""))
        slot = sink.add(day.isoformat(), {**head, **row}, refs)
        if ident:
            for target in (record_id, *(p[1] for p in parties)):
                link = (ident, kind if target == record_id else "handler", target)
                kit.links.setdefault(link, []).append(slot)


def _purchase(ctx: Context, rng: random.Random, kit: Kit) -> None:
    company = company_of(ctx, kit.chain.supplier)
    day = shift(kit.day, -rng.randint(4, 12))
    sink = supply_sink(ctx, "purchases", agency_for(company.country), day.year,
                       f"Sales records seized from {company.name}")
    seller, vat = _company_as_written(rng, company)
    buyer, form = render(rng, kit.buyer.name, LEDGER_EU)
    ref = f"{company.vat[-4:]}/{day.year}/{ctx.next_seq('supply:invoice:' + company.id):04d}"
    head = {"invoice_ref": ref, "date": day.isoformat(), "seller": seller, "seller_vat": vat,
            "seller_country": company.country.upper(), "buyer": buyer,
            "buyer_country": kit.buyer.country.upper(), "currency": "EUR"}
    rows = _item_rows(rng, kit, 0.95, lambda kind: True)
    for _, row in rows:
        row["unit_price"] = str(rng.randrange(1_500, 4_500, 50) if row["item_kind"] == "boat"
                                else rng.randrange(2_000, 6_000, 50))
    rows.append(("", {"item_kind": "life jackets", "quantity": str(kit.chain.lifejackets),
                      "unit_price": str(rng.randrange(8, 20))}))
    _write(ctx, kit, sink, day, ("purchase", f"PU{kit.chain.id[1:]}"),
           [("seller", company.id, "", seller), ("buyer", kit.buyer.id, form, buyer)],
           head, rows)


def _import(ctx: Context, rng: random.Random, kit: Kit) -> None:
    company = company_of(ctx, kit.chain.supplier)
    office, country = CUSTOMS[(kit.chain.origin, "bg" if "Sofia" in kit.chain.storage
                               else "de")]
    day = shift(kit.day, -rng.randint(0, 3))
    agency = agency_for(country)
    sink = supply_sink(ctx, "imports", agency, day.year,
                       f"Customs import declarations, {office}")
    importer, eori = _company_as_written(rng, company)
    consignee_person = kit.chain.supplier if rng.random() < 0.7 else kit.buyer
    consignee, form = render(rng, consignee_person.name, LEDGER_EU)
    origin = kit.chain.origin
    ref = f"{country.upper()}{str(day.year)[2:]}IM{ctx.next_seq('supply:decl:' + office):07d}"
    head = {"declaration_ref": ref, "date": day.isoformat(), "customs_office": office,
            "origin_country": COUNTRY_NAMES[origin] if rng.random() < 0.6 else origin.upper(),
            "importer": importer, "importer_eori": eori, "consignee": consignee,
            "goods_description": rng.choice(("inflatable boats and outboard motors",
                                             "marine equipment", "rubber boats, engines"))}
    _write(ctx, kit, sink, day, ("import", f"IM{kit.chain.id[1:]}"),
           [("importer", company.id, "", importer),
            ("consignee", consignee_person.id, form, consignee)],
           head, _item_rows(rng, kit, RATES.serial_declared, lambda kind: True))


def _storage(ctx: Context, rng: random.Random, kit: Kit) -> None:
    site_id, site, kind = _site(ctx, kit)
    country = site_id[1:3].lower()
    day = shift(kit.day, rng.randint(1, 3))
    agency = agency_for(country)
    sink = supply_sink(ctx, "storage", agency, day.year, "Searches of storage sites")
    renter_person = rng.choice((kit.chain.supplier, kit.chain.supplier, kit.chain.driver,
                                kit.buyer))
    renter, form = render(rng, renter_person.name, POLICE)
    ref = f"{agency.split('-')[0]}-DS-{day.year}-{ctx.next_seq('supply:search:' + agency):04d}"
    head = {"search_ref": ref, "date": day.isoformat(), "site": site.split(",")[0] +
            f" {site_id}", "site_kind": kind, "address": site,
            "country": COUNTRY_NAMES[country] if rng.random() < 0.5 else country.upper(),
            "rented_by": renter}
    if ctx.next_seq(f"supply:site:{site_id}") == 1:
        ctx.truth.obj(site_id, "site", site)
    _write(ctx, kit, sink, day, ("storage", f"ST{kit.chain.id[1:]}"),
           [("renter", renter_person.id, form, renter)], head,
           _item_rows(rng, kit, 0.85, lambda kind: True))


def _transport(ctx: Context, rng: random.Random, kit: Kit) -> None:
    country_of_store = "bg" if "Sofia" in kit.chain.storage else "de"
    place, country = rng.choice(CHECKS[country_of_store])
    day = shift(kit.day, rng.randint(2, 3) if kit.seized else rng.randint(4, 10))
    agency = agency_for(country)
    sink = supply_sink(ctx, "vehicle_checks", agency, day.year, "Roadside vehicle checks")
    driver, form = render(rng, kit.chain.driver.name, POLICE)
    make, model, plate = kit.van
    ref = f"{agency.split('-')[0]}-VC-{day.year}-{ctx.next_seq('supply:check:' + agency):05d}"
    head = {"check_ref": ref, "date": day.isoformat(), "place": place,
            "country": COUNTRY_NAMES[country] if rng.random() < 0.5 else country.upper(),
            "plate": plate if rng.random() < 0.7 else plate.replace(" ", "").replace("-", ""),
            "vehicle": f"{make} {model}", "driver": driver,
            "notes": rng.choice(("", "load photographed", "no cargo papers", ""))}
    _write(ctx, kit, sink, day, ("transport", f"TR{kit.chain.id[1:]}"),
           [("driver", kit.chain.driver.id, form, driver)], head,
           _item_rows(rng, kit, RATES.serial_noted, lambda kind: True))


def write_records(ctx: Context, kit: Kit) -> None:
    """The records that exist for one shipment, and its true links once written."""
    rng = random.Random(f"{ctx.seed}:supply:{kit.chain.id}")
    if rng.random() < RATES.purchase_record:
        _purchase(ctx, rng, kit)
    if rng.random() < RATES.import_record:
        _import(ctx, rng, kit)
    if rng.random() < RATES.storage_record:
        _storage(ctx, rng, kit)
    if kit.seized != "storage" and rng.random() < RATES.transport_record:
        _transport(ctx, rng, kit)
    links = kit.links
    chain = kit.chain.id

    def write() -> None:
        for (item, kind, target), slots in links.items():
            ctx.truth.supply_links.writerow((item, kind, target, chain, slot_records(slots)))

    ctx.deferred.append(write)
