"""Online advertising: recruiters' accounts post crossings for sale.

The NCA's open-source team captures the posts it finds; Europol's Internet Referral
Unit refers some of the same posts to the platforms, so one post can sit in two
agencies' records under the same platform id, which entity resolution should join.
"""

from __future__ import annotations

import random

from pinchpoint.demo.config import CHANNEL_LAUNCHES, RATES, YACHT_LAUNCHES
from pinchpoint.demo.context import Context, day_in, moment, poisson
from pinchpoint.demo.network import Account, Group
from pinchpoint.demo.phones import spaced
from pinchpoint.demo.texts import advert
from pinchpoint.demo.truth import Ref

DOMAINS = {"Facebook": "facebook.example", "TikTok": "tiktok.example",
           "Telegram": "t.me.example", "Instagram": "instagram.example"}
# How a post's language is labelled: the tool's code, or a name an analyst typed.
LANGUAGE_LABELS = {"en": ("en", "eng", "English"), "ckb": ("ckb", "Sorani"),
                   "ar": ("ar", "ara", "Arabic"), "ps": ("ps", "pus", "Pashto"),
                   "prs": ("prs", "Dari"), "sq": ("sq", "sqi", "Albanian"),
                   "vi": ("vi", "vie", "Vietnamese")}
CURRENCY_WORDS = {"GBP": ("GBP", "£", "pound"), "EUR": ("EUR", "€", "euro"),
                  "USD": ("USD", "$", "dollar")}


def month(ctx: Context, group: Group, rng: random.Random) -> None:
    year, mon = ctx.ym
    for account in group.accounts:
        for _ in range(poisson(rng, RATES.posts_per_account * ctx.rate)):
            post(ctx, group, account, rng, year, mon)


def _post_id(ctx: Context, rng: random.Random, account: Account) -> str:
    n = ctx.next_seq("post:" + account.platform)
    if account.platform == "Telegram":
        return f"{account.username}/{ctx.next_seq('tg:' + account.username)}"
    if account.platform == "TikTok":
        return str(7_300_000_000_000_000_000 + n * 7_919 + rng.randrange(7_919))
    return str(100_000_000_000_000 + n * 104_729 + rng.randrange(104_729))


def post(ctx: Context, group: Group, account: Account, rng: random.Random, year: int,
         mon: int) -> None:
    when = moment(rng, day_in(rng, year, mon))
    post_id = _post_id(ctx, rng, account)
    ident = ctx.ids.next("T")
    ctx.truth.obj(ident, "post", f"{account.platform} post {post_id}", account.owner.id,
                  group.id)
    low, high, currency = group.kind.fee
    place = rng.choice(YACHT_LAUNCHES if "kurdistan_yacht" in group.kind.corridors
                       and rng.random() < 0.2 else CHANNEL_LAUNCHES)
    booking = account.booking
    text = advert(rng, account.language, weekday=rng.randrange(7),
                  price=rng.randrange(low, high, 100),
                  currency=rng.choice(CURRENCY_WORDS[currency]), place=place,
                  phone=spaced(booking) if rng.random() < 0.5 else booking.e164)
    url = f"https://{DOMAINS[account.platform]}/{account.username}/posts/{post_id}"
    refs: list[Ref] = [("account", account.id, "", ""), ("post", ident, "", ""),
                       ("author", account.owner.id, "", "")]
    row = {"post_id": post_id, "platform": account.platform, "account": account.username,
           "account_name": account.display, "posted_at": when.isoformat(),
           "language": rng.choice(LANGUAGE_LABELS[account.language]), "text": text,
           "url": url if rng.random() < 0.9 else "", "phone": ""}
    key = when.isoformat()
    nca = ctx.sources.csv(f"posts:NCA:{year}", "NCA", "posts", f"nca_osint_posts_{year}.csv",
                          source=f"nca-osint-posts-{year}",
                          reason="Open-source monitoring of crossing adverts", region="gb")
    nca.add(key, {**row, "phone": nca.number(booking, rng)}, refs)
    if rng.random() < RATES.iru_referral:
        eu = ctx.sources.csv(f"posts:EUROPOL:{year}", "EUROPOL", "posts",
                             f"europol_iru_referrals_{year}.csv",
                             source=f"europol-iru-referrals-{year}",
                             reason="EU IRU referrals of smuggling content")
        eu.add(key, {**row, "phone": eu.number(booking, rng), "language": account.language},
               refs)
