# ruff: noqa: RUF001 - adverts in Sorani, Arabic and Persian digits are the point here
"""What people write: crossing adverts, chat messages, in the languages of the corridors.

The adverts follow what researchers and Europol's Internet Referral Unit describe: a
destination, "100% safe", a price, a departure day, a phone or WhatsApp number, often
"women and children welcome" and "pay after arrival" (the hawala guarantee). Texts are
single lines, so a CSV row is one physical line.
"""

from __future__ import annotations

import random

# Days of the week, Monday first, per language.
DAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ckb": ("دووشەممە", "سێشەممە", "چوارشەممە", "پێنجشەممە", "هەینی", "شەممە", "یەکشەممە"),
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "ps": ("دوشنبه", "سه شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"),
    "prs": ("دوشنبه", "سه شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"),
    "sq": ("të hënën", "të martën", "të mërkurën", "të enjten", "të premten", "të shtunën",
           "të dielën"),
    "vi": ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"),
}
_EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

ADVERTS = {
    "en": (
        "UK by boat this {day}. 100% safe, {price} {currency}, women and children welcome. "
        "WhatsApp {phone}",
        "Trips to England every week, new boat, new engine, life jackets included. "
        "{price} {currency}. Call {phone}",
        "Guaranteed crossing from {place} to UK. Pay after arrival through hawala. {phone}",
        "Places left for {day}. Taxi to the beach included, {price} {currency}. "
        "Message only {phone}",
        "Italy by yacht from Turkey, 100% safe, big yacht not small boat. {price} {currency}. "
        "{phone}",
        "Germany and Belgium to UK, full package with safe house. Serious people only {phone}",
    ),
    "ckb": (
        "گەشتی ئینگلتەرا بە بەلەم، ١٠٠٪ سەلامەت. نرخ {price} {currency}. پەیوەندی بکە {phone}",
        "بەلەمی نوێ و ماتۆڕی نوێ، ڕۆژی {day} دەڕوات. ژن و منداڵ بە خێر بێن. واتسئاپ {phone}",
        "پارە لای حەواڵەدار دەمێنێتەوە تا دەگەیتە بەریتانیا. {price} {currency} {phone}",
        "گەشتی ئیتاڵیا بە یەخت لە تورکیاوە، {price} {currency}، شوێنی کەم ماوە {phone}",
        "لە {place}ەوە بۆ ئینگلتەرا، گەرەنتی، پارە دوای گەیشتن {phone}",
    ),
    "ar": (
        "رحلات إلى بريطانيا بالقارب، آمنة ١٠٠٪. السعر {price} {currency}. واتساب {phone}",
        "قارب جديد ومحرك جديد، الانطلاق يوم {day} من {place}. النساء والأطفال مرحب بهم {phone}",
        "الدفع عن طريق الحوالة بعد الوصول فقط. {price} {currency}. للتواصل {phone}",
        "رحلة إلى إيطاليا باليخت من تركيا، أماكن محدودة. {price} {currency} {phone}",
    ),
    "ps": (
        "انګلستان ته د کښتۍ سفر، ۱۰۰٪ خوندي. بیه {price} {currency}. اړیکه {phone}",
        "نوې کښتۍ، نوی انجن، د {day} په ورځ حرکت. واټس اپ {phone}",
        "پیسې په حواله کې پاتې کیږي تر هغه چې ورسیږې. {price} {currency} {phone}",
    ),
    "prs": (
        "سفر به انگلستان با قایق، تضمینی، قیمت مناسب {price} {currency}. تماس {phone}",
        "قایق نو و ماشین نو، حرکت روز {day} از {place}. زنان و اطفال خوش آمدید {phone}",
        "پول نزد حواله دار می ماند تا به انگلستان برسید. {phone}",
        "راه ترکیه، بلغاریا، صربستان تا بلژیک، {price} {currency}، تضمینی {phone}",
    ),
    "sq": (
        "Angli me gomone {day}. 100% e sigurt, {price} {currency}. Shkruaj në WhatsApp "
        "{phone}",
        "Udhëtime çdo javë për në Londër. Gomone e re, motor i ri. Pagesa pas mbërritjes. "
        "{phone}",
        "Vende të lira për {day}, nisja nga {place}. Çmimi {price} {currency} {phone}",
    ),
    "vi": (
        "Đi Anh bằng thuyền {day} này, an toàn 100%, giá {price} {currency}. Liên hệ {phone}",
        "Nhận khách đi Anh hàng tuần, thuyền mới, máy mới, có áo phao. Zalo {phone}",
        "Bao qua Anh, trả tiền khi đến nơi. Giá {price} {currency}. Gọi {phone}",
    ),
}

# Messages between members about the logistics of a crossing.
LOGISTICS = {
    "en": ("Boat leaving {day}, be ready", "Engines arrived in {city}",
           "Send the van to {place} at 2am", "{n} people ready at the camp",
           "Money released, code {code}", "Police at the beach, wait",
           "Need {n} life jackets", "Pay the driver {amount}",
           "Hawala confirmed {amount} {currency}", "New boat in the garage, come tonight"),
    "ckb": ("بەلەم ڕۆژی {day} دەڕوات، ئامادە بن", "ماتۆڕەکان گەیشتنە {city}",
            "پۆلیس لە کەنارە، چاوەڕێ بکە", "پارەکە ئازاد کرا، کۆد {code}",
            "{n} کەس ئامادەن لە کەمپ", "ڤانەکە بنێرە بۆ {place}"),
    "ar": ("المحركات جاهزة في {city}", "القارب يوم {day}", "الشرطة على الشاطئ، انتظر",
           "تم تحرير المبلغ، الكود {code}", "{n} أشخاص جاهزون", "ادفع للسائق {amount}"),
    "ps": ("کښتۍ د {day} په ورځ ځي", "انجنونه {city} ته ورسیدل", "پولیس په ساحل کې دي، صبر وکړه"),
    "prs": ("قایق روز {day} حرکت می کند", "پولیس در ساحل است، صبر کن",
            "پول آزاد شد، کود {code}", "{n} نفر در کمپ آماده هستند"),
    "sq": ("Gomonja niset {day}", "Motorët arritën në {city}", "Policia në plazh, prit",
           "Paratë u liruan, kodi {code}", "{n} veta gati në kamp"),
    "vi": ("Thuyền đi {day}", "Máy đã về {city}", "Công an ở bãi biển, chờ đã",
           "Tiền đã chuyển, mã {code}", "{n} người sẵn sàng"),
}

# A migrant writing to the smuggler, and the smuggler's answers.
FROM_MIGRANT = {
    "en": ("Brother I paid {amount} at the hawala, code {code}", "When is the boat?",
           "I am in {city} now", "Is it safe for children?", "We arrived UK, release the money",
           "My family paid, please confirm"),
    "ckb": ("کاکە {amount}م دا بە حەواڵە، کۆد {code}", "بەلەم کەی دەڕوات؟", "ئێستا لە {city}م",
            "گەیشتینە بەریتانیا، پارەکە ئازاد بکە"),
    "ar": ("أخي دفعت {amount} في الحوالة، الكود {code}", "متى القارب؟", "أنا الآن في {city}",
           "وصلنا بريطانيا، حرر المبلغ"),
    "ps": ("ورور ما په حواله کې {amount} ورکړل، کود {code}", "کښتۍ کله ځي؟",
           "زه اوس په {city} کې یم"),
    "prs": ("برادر {amount} را در حواله دادم، کود {code}", "قایق کی حرکت می کند؟",
            "الان در {city} هستم", "رسیدیم انگلستان، پول را آزاد کن"),
    "sq": ("Vëlla i pagova {amount} te hawala, kodi {code}", "Kur niset gomonja?",
           "Jam në {city} tani", "Arritëm në Angli, liroji paratë"),
    "vi": ("Anh ơi em đã trả {amount}, mã {code}", "Khi nào thuyền đi?", "Em đang ở {city}",
           "Đến Anh rồi, chuyển tiền đi"),
}
TO_MIGRANT = {
    "en": ("Be at {place} tonight", "Boat {day}, bring life jacket", "Send me the code",
           "100% safe, don't worry", "Driver will call you, go with him"),
    "ckb": ("ئەمشەو لە {place} بە", "بەلەم ڕۆژی {day}، جلی ژیان بهێنە", "کۆدەکەم بۆ بنێرە",
            "١٠٠٪ سەلامەتە، مەترسە"),
    "ar": ("كن في {place} الليلة", "القارب يوم {day}، أحضر سترة النجاة", "أرسل لي الكود"),
    "ps": ("نن شپه په {place} کې اوسه", "کود راته واستوه"),
    "prs": ("امشب در {place} باش", "قایق روز {day}، جلیقه نجات بیاور", "کود را برایم بفرست"),
    "sq": ("Ji në {place} sonte", "Gomonja {day}, merr jelek shpëtimi", "Më dërgo kodin"),
    "vi": ("Tối nay có mặt ở {place}", "Thuyền đi {day}, mang áo phao", "Gửi mã cho anh"),
}
# Language a community writes in (the adverts and chats addressed to it).
LANGUAGE_OF = {"kurdish": "ckb", "iranian_kurdish": "ckb", "arabic": "ar", "sudanese": "ar",
               "afghan": "prs", "albanian": "sq", "vietnamese": "vi", "eritrean": "en",
               "turkish": "en", "bulgarian": "en", "ukrainian": "en", "european": "en"}


def digits(text: str, language: str, rng: random.Random) -> str:
    """Arabic-script writers often use Eastern Arabic or Persian digits."""
    if language in ("ckb", "ar") and rng.random() < 0.4:
        return text.translate(_EASTERN)
    if language in ("ps", "prs") and rng.random() < 0.4:
        return text.translate(_PERSIAN)
    return text


def fill(rng: random.Random, template: str, language: str, **values: object) -> str:
    day = DAYS.get(language, DAYS["en"])[int(str(values.pop("weekday", 3)))]
    price = values.get("price")
    if price is not None:
        values["price"] = digits(f"{price:,}" if isinstance(price, int) else str(price),
                                 language, rng)
    return " ".join(template.format(day=day, **values).split())


def advert(rng: random.Random, language: str, **values: object) -> str:
    return fill(rng, rng.choice(ADVERTS[language]), language, **values)


def chat(rng: random.Random, table: dict[str, tuple[str, ...]], language: str,
         **values: object) -> str:
    options = table.get(language) or table["en"]
    return fill(rng, rng.choice(options), language, **values)
