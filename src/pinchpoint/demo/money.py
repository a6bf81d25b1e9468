"""Money: hawala transfers as seized ledgers record them, and the typologies they form.

A transfer is written only into the ledger of the outlet that handled it, and only if
an agency holds that ledger; the truth's money.csv lists every typology instance with
whichever of its rows ended up in a seized ledger. Typologies, as FATF and Europol
describe smuggling finance:

- ``escrow_fee``: a migrant (or a relative) leaves the fee with a hawaladar under a
  code; it is released to the smugglers when the migrant arrives;
- ``settlement``: hawaladars square their books with each other in one large transfer;
- ``structuring``: cash paid in at several outlets in amounts just below the 1,000
  threshold above which identity must be checked;
- ``supplier_payment`` and ``driver_payment``: paying for boats, engines and driving;
- ``profit``: each month, whoever collected released fees (a lieutenant or recruiter)
  sends the boss's share, 60-80 %, on to the kingpin through hawala, in the books of
  the outlet where it is paid in and of the one near the kingpin where it is paid out.
  Europol's and the NCA's public accounts of smuggling finance describe exactly this:
  fees collected along the route move back through hawala to organisers who live
  abroad and never touch a migrant ("the Mr Bigs ... count the grubby blood money");
- ``salary``: the kingpin then pays each lieutenant a cut of the month's takings, 4-8 %,
  as case files describe organisers paying their deputies per crossing or per month.
"""

from __future__ import annotations

import random
from datetime import date

from pinchpoint.demo.config import RATES, agency_for
from pinchpoint.demo.context import Context, amount_text, day_in, poisson, shift
from pinchpoint.demo.names import LEDGER_EU, LEDGER_KRG, render
from pinchpoint.demo.network import Group, Outlet
from pinchpoint.demo.people import Person
from pinchpoint.demo.truth import Slot, slot_records
from pinchpoint.demo.writers import CsvSink

HOME_OUTLETS = frozenset({"iq", "af", "al", "vn", "tr"})
IQD_PER_USD = 1_310
THRESHOLD = 1_000
PROFIT_SHARE = (0.6, 0.8)  # of the fees a collector took, sent on to the kingpin
CUT = (0.04, 0.08)  # of the month's profits, paid by the kingpin to each lieutenant


def ledger_key(outlet: Outlet) -> str:
    return f"ledger:{outlet.id}"


def _sink_for(ctx: Context, outlet: Outlet) -> CsvSink:
    agency = agency_for(outlet.country)
    city = outlet.city.lower().replace(" ", "-").replace("ë", "e").replace("à", "a")
    exhibit = ctx.next_seq("exhibit:" + agency)
    name = f"{agency.lower()}_ledger_{city}_ex{exhibit:03d}.csv"
    region = "gb" if agency == "NCA" else None
    return ctx.sources.csv(ledger_key(outlet), agency, "ledger", name, source=name[:-4],
                           reason=f"Ledger seized at {outlet.name}, {outlet.city}",
                           region=region)


def transfer(ctx: Context, rng: random.Random, outlet: Outlet, day: date, sender: Person,
             receiver: Person, amount: int, currency: str, payment: str, notes: str,
             slots: list[Slot]) -> None:
    """One transfer through an outlet: a ledger row if the outlet's ledger was seized."""
    if outlet.ledger is None:
        return
    sink = ctx.sources.sinks.get(outlet.ledger) or _sink_for(ctx, outlet)
    style = LEDGER_KRG if outlet.country in HOME_OUTLETS else LEDGER_EU
    sender_name, sender_form = render(rng, sender.name, style)
    receiver_name, receiver_form = render(rng, receiver.name, style)
    if currency == "USD" and outlet.country == "iq" and rng.random() < 0.3:
        amount, currency = amount * IQD_PER_USD, "IQD"
    reference = f"{outlet.name[:2].upper()}-{ctx.next_seq('ref:' + outlet.id):06d}"
    row = {"date": day.isoformat(), "sender": sender_name,
           "sender_phone": sink.number(sender.phone(rng), rng),
           "receiver": receiver_name, "receiver_phone": sink.number(receiver.phone(rng), rng),
           "amount": amount_text(amount, rng), "currency": currency, "agent": outlet.name,
           "city": outlet.city, "reference": reference,
           "country": outlet.country.upper() if rng.random() < 0.5 else "", "notes": notes}
    refs = [("sender", sender.id, sender_form, sender_name),
            ("receiver", receiver.id, receiver_form, receiver_name),
            ("outlet", outlet.id, "", ""), ("payment", payment, "", "")]
    slots.append(sink.add(day.isoformat(), row, refs))


def instance(ctx: Context, typology: str, groups: list[str], day: date, amount: int,
             currency: str, persons: list[Person], payments: list[str],
             slots: list[Slot]) -> None:
    """A typology instance, written to money.csv once its rows have locators."""
    ident = payments[0].split("-")[0] if payments else ctx.ids.next("M")

    def write() -> None:
        ctx.truth.money.writerow((
            ident, typology, ";".join(groups), day.isoformat(), amount, currency,
            ";".join(dict.fromkeys(p.id for p in persons)), ";".join(payments),
            slot_records(slots)))
    ctx.deferred.append(write)


def payment_ids(ctx: Context, n: int) -> list[str]:
    """Ids for the n payments of one instance: M00000001-1, M00000001-2, ..."""
    base = ctx.ids.next("M")
    return [f"{base}-{k}" for k in range(1, n + 1)]


def pay(ctx: Context, rng: random.Random, group: Group, typology: str, day: date,
        payer: Person, payee: Person, amount: int, currency: str, notes: str) -> list[Slot]:
    """A single payment (to a supplier or driver) through an outlet near the payee."""
    outlet = _near(rng, group, payee) or _one(rng, group.outlets)
    slots: list[Slot] = []
    ids = payment_ids(ctx, 1)
    transfer(ctx, rng, outlet, day, payer, payee, amount, currency, ids[0], notes, slots)
    instance(ctx, typology, [group.id], day, amount, currency, [payer, payee, outlet.operator],
             ids, slots)
    ctx.world.tie(payer, payee, "payment")
    return slots


def month(ctx: Context, group: Group, rng: random.Random) -> None:
    """Settlement between the group's hawaladars and cash structuring."""
    year, mon = ctx.ym
    hawaladars = [o for o in group.outlets if o.operator.groups[0] == group.id]
    if len(hawaladars) > 1 and rng.random() < 0.6 * ctx.rate:
        _settle(ctx, rng, group, hawaladars, day_in(rng, year, mon, 20))
    for _ in range(poisson(rng, RATES.structuring * ctx.rate)):
        _structure(ctx, rng, group, day_in(rng, year, mon, 1, 24))
    _profits(ctx, rng, group, day_in(rng, year, mon, 25, 28))


def _profits(ctx: Context, rng: random.Random, group: Group, day: date) -> None:
    """The month's takings sent up to the kingpin, and his lieutenants' cut."""
    kingpin = group.kingpin
    sent: dict[str, int] = {}
    for (who, currency), taken in sorted(group.takings.items()):
        amount = int(round(taken * rng.uniform(*PROFIT_SHARE), -2))
        if who == kingpin.id or amount < 100:
            continue
        note = rng.choice(("", "", "family", "for the house", "brother"))
        _both_books(ctx, rng, group, "profit", day, ctx.world.people[who], kingpin, amount,
                    currency, note)
        sent[currency] = sent.get(currency, 0) + amount
    group.takings.clear()
    for lieutenant in group.role("lieutenant"):
        for currency, total in sorted(sent.items()):
            cut = int(round(total * rng.uniform(*CUT), -2))
            if cut >= 100:
                _both_books(ctx, rng, group, "salary", shift(day, rng.randint(1, 3)),
                            kingpin, lieutenant, cut, currency, rng.choice(("", "gift")))


def _both_books(ctx: Context, rng: random.Random, group: Group, typology: str, day: date,
                payer: Person, payee: Person, amount: int, currency: str, notes: str) -> None:
    """One hawala transfer, in the book of an outlet near the payer (paid in) and of one
    near the payee (paid out): the same payment in both, as in a settlement."""
    ends = [_near(rng, group, payer), _near(rng, group, payee)]
    outlets = [o for k, o in enumerate(ends)
               if o is not None and all(o is not e for e in ends[:k])]
    if not outlets:
        return
    ids = payment_ids(ctx, 1)
    slots: list[Slot] = []
    for outlet in outlets:
        transfer(ctx, rng, outlet, day, payer, payee, amount, currency, ids[0], notes, slots)
    instance(ctx, typology, [group.id], day, amount, currency,
             [payer, payee, *(o.operator for o in outlets)], ids, slots)
    ctx.world.tie(payer, payee, "payment")


def _near(rng: random.Random, group: Group, person: Person) -> Outlet | None:
    """One of the group's outlets in the person's country (None where it has none)."""
    near = [o for o in group.outlets if o.country == person.country]
    return _one(rng, near) if near else None


def _one(rng: random.Random, outlets: list[Outlet]) -> Outlet:
    """One of the outlets (the only one without drawing)."""
    return outlets[0] if len(outlets) == 1 else rng.choice(outlets)


def _settle(ctx: Context, rng: random.Random, group: Group, outlets: list[Outlet],
            day: date) -> None:
    home = next((o for o in outlets if o.country in HOME_OUTLETS), outlets[0])
    away = next(o for o in outlets if o is not home)
    amount = rng.randrange(20_000, 150_000, 500)
    ids = payment_ids(ctx, 1)
    slots: list[Slot] = []
    note = f"hisab {day.strftime('%B')}" if rng.random() < 0.5 else "settlement"
    # The same transfer in both books: the two ledgers corroborate each other.
    transfer(ctx, rng, away, day, away.operator, home.operator, amount, "USD", ids[0], note,
             slots)
    transfer(ctx, rng, home, day, away.operator, home.operator, amount, "USD", ids[0], note,
             slots)
    instance(ctx, "settlement", [group.id], day, amount, "USD",
             [away.operator, home.operator], ids, slots)
    ctx.world.tie(away.operator, home.operator, "settlement")


def _structure(ctx: Context, rng: random.Random, group: Group, day: date) -> None:
    depositor = next((p for p in group.role("facilitator") if p.country == "gb"),
                     group.pick(rng, "lieutenant"))
    outlets = [o for o in ctx.world.outlets if o.country == depositor.country]
    if not outlets:
        return
    beneficiary = group.kingpin
    currency = "GBP" if depositor.country == "gb" else "EUR"
    n = rng.randint(3, 6)
    ids = payment_ids(ctx, n)
    slots: list[Slot] = []
    total = 0
    for k in range(n):
        amount = rng.randrange(THRESHOLD - 120, THRESHOLD - 5, 5)
        total += amount
        outlet = rng.choice(outlets)
        transfer(ctx, rng, outlet, shift(day, rng.randint(0, 4)), depositor, beneficiary,
                 amount, currency, ids[k], "cash" if rng.random() < 0.5 else "", slots)
    instance(ctx, "structuring", [group.id], day, total, currency, [depositor, beneficiary],
             ids, slots)
    ctx.world.tie(depositor, beneficiary, "payment", n)
