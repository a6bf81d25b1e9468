# ruff: noqa: RUF001 - names in Arabic, Cyrillic and Turkish letters are the point here
"""Name pools for the scenario, as data. No real person's name is used: names are common
given and family names of each community, combined at random.

Each entry is ``latin|script|variant,variant``: the Latin spelling the truth uses, the
name in its own script (Sorani and Arabic-script Persian/Pashto use Arabic letters;
Bulgarian and Ukrainian use Cyrillic; Vietnamese keeps its diacritics) and the other
Latin spellings that passports, police systems and ledgers use for the same name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    latin: str
    script: str | None
    variants: tuple[str, ...]


def _parse(lines: str) -> tuple[Name, ...]:
    out = []
    for line in lines.split():
        latin, script, variants = [*line.replace("_", " ").split("|"), "", ""][:3]
        out.append(Name(latin, script or None, tuple(v for v in variants.split(",") if v)))
    return tuple(out)


@dataclass(frozen=True)
class Pool:
    """One community's names and how it orders them."""

    male: tuple[Name, ...]
    female: tuple[Name, ...]
    family: tuple[Name, ...]
    # given_father_family: Kurdish, Arab, Afghan (father's name in the middle);
    # family_middle_given: Vietnamese; given_father_grandfather: Eritrean; given_family.
    order: str
    honorifics: tuple[str, ...]  # prefixes used as forms of address ("Kak", "Haji")
    kunya: bool  # "Abu <son>" in use
    country: str  # nationality (ISO code)


KURDISH = Pool(
    male=_parse("""
Rebwar|ڕێبوار|Rebuar,Rebwaar Karwan|کاروان|Karwaan,Kerwan Hiwa|هیوا|Hewa Shvan|شڤان|Shivan,Shwan
Dilshad|دلشاد|Dilshat Aram|ئارام|Araam Sherko|شێرکۆ|Sherku,Shirko
Bakhtiyar|بەختیار|Bakhtiar,Baxtiyar
Goran|گۆران|Guran Hemin|هێمن|Hemn Zana|زانا| Azad|ئازاد|Azaad Soran|سۆران|Suran Dara|دارا|
Nawzad|نەوزاد|Nauzad,Nawzat Kawa|کاوە|Kawe,Kaveh Rizgar|ڕزگار|Rizgaar Hawre|هاوڕێ|Hawri,Hawrey
Barzan|بارزان| Rebin|ڕێبین|Rebeen Amanj|ئامانج|Amanc Saman|سامان| Bestun|بێستوون|Bestoon,Bistun
Rebaz|ڕێباز| Peshraw|پێشڕەو|Peshrew Sirwan|سیروان|Sirvan Hardi|هەردی|Hardy Diyar|دیار|Diar
Twana|توانا| Halo|هەڵۆ|Halow Aso|ئاسۆ| Kosrat|کۆسرەت|Kosret Shaho|شاهۆ|
"""),
    female=_parse("""
Shilan|شیلان| Nasrin|نەسرین|Nesrin Avin|ئاڤین|Aveen Berivan|بێریڤان|Berivaan Chra|چرا|Chira
Taban|تابان| Zhino|ژینۆ|Jino Dilan|دیلان| Kazhal|کەژاڵ|Kajal Shno|شنۆ|Shnow
"""),
    family=_parse("""
Ahmed|ئەحمەد|Ahmad,Ehmed Mahmood|مەحمود|Mahmoud,Mahmud Kareem|کەریم|Karim,Kerim
Rasul|ڕەسوڵ|Rasool,Resul Hama_Ali|حەمە_عەلی|Hamaali,Hama-Ali Qadir|قادر|Kadir,Qader
Aziz|عەزیز|Eziz Salih|ساڵح|Saleh,Salah Omer|عومەر|Omar,Umar Abdullah|عەبدوڵڵا|Abdulla,Ebdulla
Mustafa|مستەفا|Mistefa,Moustafa Jalal|جەلال|Celal Faraj|فەرەج|Farag,Ferec
Rashid|ڕەشید|Rasheed,Reshid
Bapir|باپیر|Bapeer Sharif|شەریف|Sherif,Sharef Hassan|حەسەن|Hasan,Hesen
Hamad_Amin|حەمەد_ئەمین|Hamadamin
Zangana|زەنگەنە|Zengene Jaff|جاف|Jaf Pshdari|پشدەری|Pishdari Raniyayi|ڕانیەیی|Raniyai
Hawrami|هەورامی|Hewrami Bakr|بەکر|Baker,Bakir Kakayi|کاکەیی|Kakai
"""),
    order="given_father_family",
    honorifics=("Kak", "Mam", "Haji"),
    kunya=True,
    country="iq",
)

ARABIC = Pool(
    male=_parse("""
Mohammed|محمد|Muhammad,Mohamed,Mohamad,Mohammad Ahmad|أحمد|Ahmed Ali|علي| Hassan|حسن|Hasan
Hussein|حسين|Husain,Hussain,Husayn Omar|عمر|Umar Khalid|خالد|Khaled Yousef|يوسف|Yusuf,Youssef
Ibrahim|إبراهيم|Ebrahim Mustafa|مصطفى|Moustafa,Mostafa Samir|سمير|Sameer Tariq|طارق|Tarek,Tareq
Waleed|وليد|Walid Haidar|حيدر|Haider,Hayder Abbas|عباس| Osman|عثمان|Othman,Uthman
Saif|سيف|Sayf Ismail|إسماعيل|Ismael,Esmail Yahya|يحيى|Yehia Musa|موسى|Moussa
Abdelrahman|عبد_الرحمن|Abdul_Rahman,Abdulrahman Adam|آدم|
"""),
    female=_parse("""
Fatima|فاطمة|Fatma Aisha|عائشة|Aysha Mariam|مريم|Maryam Layla|ليلى|Leila Noor|نور|Nour
Zainab|زينب|Zeinab
"""),
    family=_parse("""
Al-Jaburi|الجبوري|Al-Jubouri,Aljabouri Al-Obaidi|العبيدي|Al-Ubaidi Al-Dulaimi|الدليمي|Al-Dulaymi
Haddad|حداد| Khalil|خليل|Khaleel Nasser|ناصر|Nasir Saleh|صالح|Salih Hamdan|حمدان|
Al-Tamimi|التميمي| Mansour|منصور|Mansur Jassim|جاسم|Jasim Kadhim|كاظم|Kazem,Kadim
Al-Hamdani|الحمداني| Sabri|صبري|
"""),
    order="given_father_family",
    honorifics=("Haji", "Sheikh"),
    kunya=True,
    country="iq",
)

SUDANESE = Pool(
    male=ARABIC.male,
    female=ARABIC.female,
    family=_parse("""
Adam|آدم| Ishag|إسحاق|Ishaq,Ishak Abakar|أبكر|Abaker Hamid|حامد|Hamed Osman|عثمان|Othman
Yagoub|يعقوب|Yacoub,Yaqub Abdalla|عبدالله|Abdallah,Abdulla Musa|موسى|Moussa Haroun|هارون|Harun
"""),
    order="given_father_family",
    honorifics=("Haji",),
    kunya=True,
    country="sd",
)

AFGHAN = Pool(
    male=_parse("""
Gul_Agha|گل_آغا|Gulagha Wali|ولی|Vali Zabihullah|ذبیح_الله|Zabiullah,Zabihollah
Naqibullah|نقیب_الله|Naqeebullah Ahmad_Shah|احمد_شاه|Ahmadshah Mirwais|میرویس|Mir_Wais
Shafiq|شفیق|Shafeeq Hekmatullah|حکمت_الله|Hikmatullah Rahmatullah|رحمت_الله|Rahmatollah
Noorullah|نور_الله|Nurullah Jawed|جاوید|Javed,Jawid Bilal|بلال| Farid|فرید|Fareed
Najib|نجیب|Najeeb Habib|حبیب|Habeeb Ali_Reza|علی_رضا|Alireza Hussain|حسین|Hossein,Husain
Sakhi|سخی| Mohammad|محمد|Mohammed,Muhammad Jawad|جواد|Javad Mahdi|مهدی|Mehdi
Reza|رضا| Hamid|حمید|Hameed Sayed|سید|Sayyed,Said Samiullah|سمیع_الله|Samiollah Farhad|فرهاد|
"""),
    female=_parse("""
Zarghuna|زرغونه|Zarghona Malalai|ملالی|Malalay Freshta|فرشته|Fereshta Nargis|نرگس|Narges
Shirin|شیرین|Shireen Marzia|مرضیه|Marziya
"""),
    family=_parse("""
Ahmadzai|احمدزی|Ahmadzay Stanikzai|ستانکزی|Stanekzai Popal|پوپل|Popalzai Wardak|وردک|Wardag
Safi|صافی| Yusufzai|یوسفزی|Yousafzai Khan|خان| Hotak|هوتک| Durrani|درانی| Mangal|منگل|
Zadran|زدران| Rahimi|رحیمی|Rahemi Karimi|کریمی| Hashimi|هاشمی|Hashemi Sultani|سلطانی|Soltani
Noori|نوری|Nuri Ahmadi|احمدی| Mohammadi|محمدی| Rezaei|رضایی|Rezai Hussaini|حسینی|Hosseini
Jafari|جعفری|Jafary Amiri|امیری| Sadat|سادات|
"""),
    order="given_father_family",
    honorifics=("Haji", "Mullah", "Engineer", "Ustad", "Lala"),
    kunya=False,
    country="af",
)

IRANIAN_KURDISH = Pool(
    male=KURDISH.male, female=KURDISH.female,
    family=_parse("""
Moradi|مرادی|Muradi Rostami|ڕۆستەمی|Rustami Karimi|کەریمی| Azizi|عەزیزی| Mohammadi|محەممەدی|
Hosseini|حوسێنی|Husseini Ahmadi|ئەحمەدی| Rahmani|ڕەحمانی|
"""),
    order="given_family", honorifics=("Kak", "Mam"), kunya=False, country="ir",
)

ALBANIAN = Pool(
    male=_parse("""
Ardit||Arditi Arben||Arbeni Besnik||Besniku Dritan||Dritani Ervin||Erwin Gentian||Genti
Ilir||Iliri Kastriot||Kastrioti Klodian||Klodi Lulzim||Lulzimi Redon||Redoni
Xhevdet||Dzhevdet,Xhevat Fatos||Fatosi Arbër||Arber,Arberi Erion||Erjon Endrit||Endriti
Kujtim||Kujtimi Altin||Altini
"""),
    female=_parse("""
Elira||Eliran Blerta||Blerina Anila||Anilda Jonida||Ionida
"""),
    family=_parse("""
Hoxha||Hodja,Hoxhaj Krasniqi||Krasniqui,Krasnici Berisha||Berishaj Gashi||Gashaj Shehu||Sheu
Leka||Lekaj Dervishi||Dervishaj Kola||Kolaj Marku||Markaj Çela||Cela Meta||Metaj
Dushku||Dushkaj Brahimi||Brahimaj Muça||Muca Gjoka||Gjokaj
"""),
    order="given_family", honorifics=(), kunya=False, country="al",
)

VIETNAMESE = Pool(
    male=_parse("""
Minh|Minh| Tuan|Tuấn|Tuân Hung|Hùng|Hun Dung|Dũng|Zung Long|Long| Nam|Nam| Hai|Hải|
Thanh|Thành|Than Phuc|Phúc|Phuoc Cuong|Cường|Cuowng Quang|Quang| Duc|Đức|Duk
"""),
    female=_parse("""
Lan|Lan| Hoa|Hoa| Thu|Thu| Linh|Linh| Huong|Hương|Houng Mai|Mai|
"""),
    family=_parse("""
Nguyen|Nguyễn|Ngyuen,Nguyn Tran|Trần|Tranh Le|Lê|Lee Pham|Phạm|Phan Hoang|Hoàng|Huynh,Hoang
Phan|Phan| Vu|Vũ|Vo Dang|Đặng|Dhang Bui|Bùi|Buy Do|Đỗ|Doh Ngo|Ngô|
"""),
    order="family_middle_given", honorifics=("Anh", "Chú"), kunya=False, country="vn",
)
VIETNAMESE_MIDDLE = {"m": (("Van", "Văn"), ("Duc", "Đức"), ("Minh", "Minh"), ("Huu", "Hữu")),
                     "f": (("Thi", "Thị"), ("Ngoc", "Ngọc"))}

ERITREAN = Pool(
    male=_parse("""
Tesfaye||Tesfay,Tesfai Yonas||Younas Yohannes||Yohanes,Johannes Dawit||David,Dawitt
Merhawi||Mehrawi Filmon||Filimon Amanuel||Emanuel Robel||Robiel Samuel||Semere
"""),
    female=_parse("""
Senait||Senayt Helen||Hellen Semhar||Semehar Luwam||Luam
"""),
    family=_parse("""
Haile||Hayle Gebremedhin||Ghebremedhin,Gebremedin Tekle||Tecle Berhane||Berhe
Kidane||Kidanu Mehari||Mehary Woldemichael||Woldemikael,Weldemichael Tesfamariam||Tesfamaryam
Habte||Habtu Ghirmay||Girmay
"""),
    order="given_father_grandfather", honorifics=("Wedi",), kunya=False, country="er",
)

TURKISH = Pool(
    male=_parse("""
Mehmet|| Ahmet|| Emre|| Murat|| Hakan|| Serkan|| Burak|| Yusuf|| Ömer||Omer
"""),
    female=_parse("Ayşe||Ayse Elif||"),
    family=_parse("""
Yılmaz||Yilmaz Kaya|| Demir|| Çelik||Celik Şahin||Sahin Aydın||Aydin Öztürk||Ozturk
Arslan||Aslan Doğan||Dogan
"""),
    order="given_family", honorifics=("Abi",), kunya=False, country="tr",
)

BULGARIAN = Pool(
    male=_parse("""
Georgi|Георги|Georgiy Ivan|Иван| Dimitar|Димитър|Dimitur Nikolay|Николай|Nikolai
Stoyan|Стоян|Stojan Plamen|Пламен| Krasimir|Красимир|
"""),
    female=_parse("Maria|Мария| Elena|Елена|"),
    family=_parse("""
Ivanov|Иванов| Georgiev|Георгиев| Dimitrov|Димитров| Petrov|Петров| Kolev|Колев|
Todorov|Тодоров|
"""),
    order="given_family", honorifics=(), kunya=False, country="bg",
)

UKRAINIAN = Pool(
    male=_parse("""
Serhiy|Сергій|Sergei,Sergey Oleksandr|Олександр|Alexander,Aleksandr Dmytro|Дмитро|Dmitri
Andriy|Андрій|Andrei,Andrii Vasyl|Василь|Vasily
"""),
    female=_parse("Olena|Олена|Elena"),
    family=_parse("""
Kovalenko|Коваленко| Shevchenko|Шевченко| Bondarenko|Бондаренко| Melnyk|Мельник|Melnik
Tkachenko|Ткаченко|
"""),
    order="given_family", honorifics=("Captain",), kunya=False, country="ua",
)

EUROPEAN = Pool(
    male=_parse("""
James|| Daniel|| Lee|| Craig|| Olivier|| Julien|| Pieter||Peter Jens|| Andreas|| Marc||Mark
"""),
    female=_parse("Sophie|| Laura||"),
    family=_parse("""
Smith|| Taylor|| Brown|| Martin|| Dubois|| Janssens||Jansens Peeters||Peters Schmidt||Schmitt
Wagner|| Lefebvre||Lefevre
"""),
    order="given_family", honorifics=(), kunya=False, country="gb",
)

POOLS: dict[str, Pool] = {
    "kurdish": KURDISH, "arabic": ARABIC, "sudanese": SUDANESE, "afghan": AFGHAN,
    "iranian_kurdish": IRANIAN_KURDISH, "albanian": ALBANIAN, "vietnamese": VIETNAMESE,
    "eritrean": ERITREAN, "turkish": TURKISH, "bulgarian": BULGARIAN,
    "ukrainian": UKRAINIAN, "european": EUROPEAN,
}
# Scripts whose letters are not Latin: a name in one is a cross-script record.
NON_LATIN_ORIGINS = frozenset({"kurdish", "arabic", "sudanese", "afghan", "iranian_kurdish",
                               "bulgarian", "ukrainian"})

# Street names and nicknames that case files quote ("AKA Boxer Bhai").
NICKNAMES = ("Boxer", "Tiger", "Doctor", "Engineer", "Shepherd", "Kurdo", "Big Man", "Lion",
             "Kaka", "Tall", "Black", "The Accountant", "Captain", "Chef", "Professor",
             "Shofer", "Sheikh", "Baba", "Hajji", "Kobra", "Bull", "Sniper", "Kapitan",
             "Maestro", "Tony", "Lucky", "Papi", "Jimmy")
BHAI = "Bhai"  # "brother", added by Afghan and Pakistani contacts ("Boxer Bhai")
# Contact-book labels: how a smuggler's number is saved in a phone.
CONTACT_LABELS = {
    "kingpin": ("{given} Kurdistan", "Haji {given}", "Big {given}", "{nick}"),
    "lieutenant": ("{given} {city}", "Kak {given}", "{given} boss", "{nick}"),
    "recruiter": ("{given} safar", "{given} travel", "{given} UK", "{given} Europe"),
    "hawaladar": ("Hawala {given}", "{given} hawala", "Sarraf {given}", "{given} exchange"),
    "middleman": ("{given} camp", "{given} {city}", "Qachaqchi {given}", "{given} smuggler"),
    "driver": ("{given} Taxi", "Driver {given}", "{given} van", "Shofer {given}"),
    "safe_house_keeper": ("{given} house", "{given} hotel", "{given} room"),
    "supplier": ("{given} boat", "{given} engine", "Engine {city}", "{given} motor"),
    "facilitator": ("{given} {city}", "{given} UK", "{given} Belgium", "{given} papers"),
    "skipper": ("Captain {given}", "{given} yacht", "Kapitan {given}"),
    "broker": ("{given} {city}", "{nick}", "Haji {given}"),
    "migrant": ("{given}", "{given} {family}", "{given} brother", "{given} camp"),
    "relative": ("{given}", "Brother {given}", "Uncle {given}", "{given} home"),
}
