"""How alike two name parts are, and on what evidence.

Each comparison returns a similarity in 0..1 *and* a level saying which evidence decided
it, so an analyst reads "Hasan ~ حسن (transliteration, 0.94)" rather than a bare number.
Evidence, strongest first:

==========  ================================================================
exact       the same spelling (after case and accent folding)
variant     a known spelling variant from the shipped table (Gamal/Jamal)
translit    the same name across scripts (Latin vs Arabic script, Cyrillic)
symbol      rigour's Wikidata name symbols say the same name (Barack/贝拉克)
nickname    a known short form (Bill/William): a weak alias
initial     an initial standing for the full part (V./Vladimir)
phonetic    same consonant skeleton, vowels differ (Mahmood/Mahmoud)
fuzzy       close spelling (typos, transliteration noise)
different   both parts are known names from different groups (Hassan/Hussein)
mismatch    nothing ties them
==========  ================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rigour.names import NameTypeTag, analyze_names
from rigour.text.distance import levenshtein

from pinchpoint.resolve.names.config import DEFAULT_CONFIG, MatchConfig
from pinchpoint.resolve.names.parts import Part, Role
from pinchpoint.resolve.names.skeleton import has_edit_block, phone_similarity, skeleton

EXACT = "exact"
VARIANT = "variant"
TRANSLIT = "translit"
SYMBOL = "symbol"
NICKNAME = "nickname"
INITIAL = "initial"
ACRONYM = "acronym"
JOINED = "joined"
PHONETIC = "phonetic"
FUZZY = "fuzzy"
DIFFERENT = "different"
MISMATCH = "mismatch"

#: Levels from strongest to weakest evidence (Splink comparison levels, best first).
LEVELS: tuple[str, ...] = (
    EXACT, VARIANT, TRANSLIT, SYMBOL, JOINED, ACRONYM, NICKNAME, INITIAL, PHONETIC,
    FUZZY, DIFFERENT, MISMATCH,
)

SIM_VARIANT = 0.96
SIM_SYMBOL = 0.9
SIM_NICKNAME = 0.82
SIM_INITIAL = 0.9
SIM_PHONETIC = 0.88
CAP_DIFFERENT = 0.5


@dataclass(frozen=True, slots=True)
class PartSimilarity:
    """The similarity of two parts and the evidence level that produced it."""

    score: float
    level: str


#: Scripts our transliteration reads well; between these, phones decide, not symbols.
_READABLE = frozenset({"Latin", "Arabic", "Cyrillic", "Greek", "Armenian", "Georgian"})


@lru_cache(maxsize=16384)
def word_symbols(word: str) -> frozenset[str]:
    """rigour's Wikidata name ids for one word (``Barack``, ``贝拉克``, ``バラク``).

    Loading rigour's name database takes seconds, so this is only called for pairs our
    transliteration cannot read (Han, kana, Thai, ...), never for Latin against Arabic.
    """
    found: set[str] = set()
    for name in analyze_names(NameTypeTag.PER, [word]):
        for span in name.spans:
            if str(span.symbol.category).endswith("NAME") and len(span.parts) == 1:
                found.add(str(span.symbol.id))
    return frozenset(found)


def _symbols_agree(a: Part, b: Part) -> bool:
    if a.script == b.script or (a.script in _READABLE and b.script in _READABLE):
        return False
    if " " in a.text or " " in b.text:
        return False
    return bool(word_symbols(a.text.casefold()) & word_symbols(b.text.casefold()))


def _dense_similarity(a: str, b: str) -> float:
    """Han/Hangul/kana: each differing character is a different name element."""
    if a == b:
        return 1.0
    distance = levenshtein(a, b)
    return max(0.0, 1.0 - 2.0 * distance / max(len(a), len(b)))


def _phones(a: Part, b: Part) -> tuple[float, str, str]:
    """The best phone similarity of two parts, and the two readings that gave it."""
    abjad = a.abjad or b.abjad
    if a.affix and a.affix == b.affix and a.core_phones and b.core_phones:
        # Two compounds of one kind (Abdul X / Abdul Y, X-ullah / Y-ullah): compare the
        # distinctive elements, or the shared affix hides the difference.
        return (phone_similarity(a.core_phones, b.core_phones, abjad), a.phones, b.phones)
    best = (phone_similarity(a.phones, b.phones, abjad), a.phones, b.phones)
    for left, right in ((a.alt_phones, b.phones), (a.phones, b.alt_phones)):
        if left and right:
            score = phone_similarity(left, right, abjad)
            if score > best[0]:
                best = (score, left, right)
    return best


def _legal_form(a: Part, b: Part) -> PartSimilarity:
    if a.ascii == b.ascii:
        return PartSimilarity(1.0, EXACT)
    if a.groups & b.groups:
        return PartSimilarity(SIM_VARIANT, VARIANT)
    return PartSimilarity(0.0, MISMATCH)


def _known_different(a: Part, b: Part) -> bool:
    """Both parts are known to be different names (Hassan vs Hussein).

    An Abd- compound is a name of its own: ``Abdul Mohammad`` is not ``Mohammad``, and
    ``Abdul Khudai`` is not ``Khudai`` even when neither is listed.
    """
    if (a.affix == "abd") != (b.affix == "abd"):
        return True
    return bool(a.groups and b.groups and not a.groups & b.groups)


def _swapped_syllable(a: Part, b: Part, left: str, right: str) -> bool:
    """Two adjacent sounds differ, read both as phones and as letters (see
    ``skeleton.has_edit_block``): by phones alone ``Steinbaum``/``Sheinbaum`` would count
    (st vs sh), by letters alone ``Ahmadinejad``/``Ahmadinezhad`` would. ``left`` and
    ``right`` are the readings the phone similarity came from (``Tse-tung`` read in
    Pinyin, ``zetong``, against ``Zedong``); another reading's letters are not its
    spelling, so only its phones are checked."""
    if (left, right) != (a.phones, b.phones):
        return has_edit_block(left, right)
    return has_edit_block(a.phones, b.phones) and has_edit_block(a.ascii, b.ascii)


@dataclass(frozen=True, slots=True)
class PendingSimilarity:
    """A similarity whose last check, for two adjacent sounds that both differ, has not
    run yet: ``upper`` is the outcome without that penalty, ``lower`` the one with it.

    The check is the slowest step of a comparison and most part pairs of two names are
    never aligned, so the aligner runs it only for pairs whose exact value it needs
    (``resolve``); ``compare_parts`` runs it at once.
    """

    upper: PartSimilarity
    lower: PartSimilarity
    a: Part
    b: Part
    left: str
    right: str

    def resolve(self) -> PartSimilarity:
        """The exact similarity (what ``compare_parts`` returns)."""
        return self.lower if _swapped_syllable(self.a, self.b, self.left,
                                               self.right) else self.upper


def compare_parts(a: Part, b: Part, config: MatchConfig = DEFAULT_CONFIG) -> PartSimilarity:
    """Similarity of two parts under ``config`` (which can switch off the tables)."""
    found = prepare_parts(a, b, config)
    return found.resolve() if isinstance(found, PendingSimilarity) else found


def prepare_parts(a: Part, b: Part, config: MatchConfig = DEFAULT_CONFIG
                  ) -> PartSimilarity | PendingSimilarity:
    """``compare_parts`` up to the adjacent-sounds check, which is left pending when its
    answer could change the outcome."""
    use_variants, use_symbols = config.use_variants, config.use_symbols
    if Role.LEGAL_FORM in (a.role, b.role):
        if a.role != b.role:
            return PartSimilarity(0.0, MISMATCH)
        return _legal_form(a, b)
    if Role.NUMBER in (a.role, b.role):
        same = a.role == b.role and a.ascii == b.ascii
        return PartSimilarity(1.0 if same else 0.0, EXACT if same else MISMATCH)
    if a.dense and b.dense and a.script == b.script:
        score = _dense_similarity(a.text, b.text)
        return PartSimilarity(score, EXACT if score == 1.0 else FUZZY)
    same_script = a.script == b.script
    if a.ascii == b.ascii and a.ascii:
        if same_script or a.text.casefold() == b.text.casefold():
            return PartSimilarity(1.0, EXACT)
        return PartSimilarity(0.97, TRANSLIT)
    if a.role == Role.INITIAL or b.role == Role.INITIAL:
        short, full = (a, b) if a.role == Role.INITIAL else (b, a)
        if full.ascii.startswith(short.ascii):
            return PartSimilarity(SIM_INITIAL, INITIAL)
        return PartSimilarity(0.0, MISMATCH)
    if use_variants and a.groups and b.groups and a.groups & b.groups:
        return PartSimilarity(SIM_VARIANT, VARIANT)
    if use_symbols and _symbols_agree(a, b):
        return PartSimilarity(SIM_SYMBOL, SYMBOL)
    if use_variants and a.nicks & b.nicks:
        return PartSimilarity(SIM_NICKNAME, NICKNAME)
    score, left, right = _phones(a, b)
    level = TRANSLIT if (a.abjad != b.abjad or not same_script) else FUZZY
    upper = _finish(a, b, score, level, use_variants)
    if level != FUZZY or score >= 1.0:
        return upper
    lower = _finish(a, b, max(0.0, score - config.block_penalty), level, use_variants)
    if lower == upper:
        return upper  # the penalty cannot change the outcome: no need to look
    return PendingSimilarity(upper, lower, a, b, left, right)


def _finish(a: Part, b: Part, score: float, level: str, use_variants: bool
            ) -> PartSimilarity:
    """The rules after the phone comparison: one consonant frame, known different names."""
    if level == FUZZY and score < SIM_PHONETIC and a.affix == b.affix:
        skel = skeleton(a.core_phones or a.phones)
        if len(skel) >= 3 and skel == skeleton(b.core_phones or b.phones):
            score, level = SIM_PHONETIC, PHONETIC
    if use_variants and score > CAP_DIFFERENT and _known_different(a, b):
        score, level = CAP_DIFFERENT, DIFFERENT
    return PartSimilarity(score, level)
