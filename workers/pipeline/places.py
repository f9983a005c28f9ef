"""Stage: place mentions matched against the gazetteer, with governorate context to resolve ambiguity.

A village name is only taken where Arabic marks a place: after a preposition or a place noun
(«في»، «على»، «بلدة»، «ريف»…), with a place proclitic («بإدلب»), or coordinated with a place just
named («بلدتي الفوعة وكفريا»). Governorates, districts and named regions need no cue.
«ريف إدلب الجنوبي» and «الريف الجنوبي الشرقي لإدلب» become governorate-level places.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from ..gazetteer import SYRIA, Place, article_forms, country_names, load_gazetteer
from ..lexicon import words_of
from .cues import cue_regex
from .document import Document, Mention, overlaps_any
from .normalize import compile_ar, normalize_key

_TOKEN = compile_ar(r"\w+")
# Normalised like the text they are compared with («على» is «علي» there).
_CUES = frozenset(
    normalize_key(w)
    for w in "في على قرب محيط اطراف بلده بلدتي بلدتا بلدات قريه قريتي قرى مدينه مدينتي المدينتين حي احياء منطقه "
    "مناطق مخيم ريف ريفي محافظه محافظات داخل نحو عند الى شمال جنوب شرق غرب شمالي جنوبي شرقي غربي مطار معسكر "
    # «وهي»: «البلدات الأربع المحاصرة، وهي نبل والزهراء والفوعة وكفريا», the places a plural noun just announced
    # «مجزرة دوما», «مجازر الحولة»: a massacre is named after where it happened
    "معسكري بلدتي الواقعه الحدوديه بالقرب مدن مدينتي حيي حيا وهي مجزره مجازر "
    # «مدن وبلدات الريف الشرقي لدرعا وخاصة ناحتة والمليحة»: the places a plural noun announced, by example
    "خاصه وخاصه خصوصا وخصوصا سيما "
    # «قرى …، من بينها سوحا وجروح»: the villages among those a plural noun announced
    "بينها بينهما".split()
)
# Directions and prepositions that happen to be village names in the gazetteer («علي», «الشمالي»).
_GENERIC = frozenset(
    "علي على من الي عن في الشمالي الجنوبي الشرقي الغربي شمالي جنوبي شرقي غربي الاوسط وسط شمال جنوب شرق غرب "
    "المنطقه المدينه البلده القريه الحي الريف المحافظه".split()
)
_CITY_CUE = compile_ar(r"(?<!\w)[وبل]?(?:مدينه|مركز)\s+$")
# «قرى "بير سان وشالي والمحمودلي"», «قرى وبلدات الحارة عتمان وكفر ناسج»: a list a plural place noun opens goes on
# past a first name the gazetteer lacks.
_LISTED_AFTER_UNKNOWN = compile_ar(
    r"(?<!\w)و?(?:قري|بلدات|مدن|مناطق|قريتي|بلدتي|مدينتي)\s*[\"«(]?\s*\w+(?:\s+\w+)?\s*[،,]?\s+و$"
)
# «قرى كنسبا واستربة ودورين»: one conjunct the gazetteer lacks does not end a list of places.
_PAST_ONE_UNKNOWN = compile_ar(r"\s*[،,]?\s*و\w+(?:\s+\w+)?\s*[،,]?\s+و")
_QUARTER_NOUNS = frozenset({"حي", "حيي", "حيا", "احياء"})
_REFERENCE_POINT = compile_ar(
    r"(?<!\w)(?:ال)?(?:حدودي|محاذي|متاخم|مجاور|متصل|مطل)(?:ه|ين|تين)?\s+(?:مع\s+|على\s+|لل?)$"
    # «قرية فركيا، التابعة لناحية أريحا», «قرى تابعة لناحية عقيربات»: the unit the place belongs to
    r"|(?<!\w)(?:ال)?تابع(?:ه|ين|تين)?\s+(?:لل?|ل(?:ناحيه|بلده|مدينه|منطقه|محافظه)\s+)$"
)
_THE_TOWN_LYING = compile_ar(r"(?<!\w)[وبفل]?(?:ال|لل)(?:بلده|مدينه|قريه|بلدتين|قريتين)\s+الواقعه\s+(?:في\s+|ب)?$")
# «مركز حماة الإعلامي»: an outlet named after its town.
_OUTLET_AFTER = cue_regex(r"\s+{outlet_adjectives}(?!\w)")
_REPORTER_AT = compile_ar(r"(?<!\w)مراسل(?:ه|ها|و|ي)?(?:\s+\S+){0,3}\s+(?:من|في)\s+$")
_STRONG_CUES = frozenset("بلده بلدتي قريه قريتي مدينه مدينتي حي مخيم ناحيه منطقه".split())
_SUB_DISTRICT_NOUNS = frozenset("ناحيه وناحيه لناحيه بناحيه".split())
_NO_CUE_LEVELS = frozenset({"admin1", "admin2", "region", "foreign"})
_DIRECTIONS = r"(?:\s+(?:ال)?(?:شمالي|جنوبي|شرقي|غربي|الشمالي|الجنوبي|الشرقي|الغربي|الاوسط))*"


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    place: Place
    key: str
    candidates: tuple[Place, ...]
    vague: bool = False  # a governorate's countryside or the governorate itself


# Country names whose first letter looks like a proclitic («لبنان» is not ل + the village «بنان»).
_COUNTRIES = frozenset(
    normalize_key(c)
    for c in "لبنان العراق تركيا الأردن إسرائيل إيران روسيا مصر اليمن السعودية سوريا سورية أمريكا فلسطين الكويت "
    "قطر الإمارات ليبيا تونس الجزائر المغرب السودان البحرين عمان بريطانيا فرنسا ألمانيا".split()
)


@lru_cache(maxsize=65536)
def _strip_clitics(token: str) -> tuple[str, ...]:
    if load_gazetteer().is_whole_word(token):
        return (token,)
    return clitic_readings(token)


def clitic_readings(token: str) -> tuple[str, ...]:
    """The token and its readings without proclitics («وبحلب» -> «بحلب», «حلب»; «للزبداني» -> «الزبداني»)."""
    if token in _COUNTRIES or (token[:1] in "وف" and token[1:] in _COUNTRIES):
        return ()
    forms = [token]
    t = token
    if t[:1] in "وف" and len(t) > 3:
        t = t[1:]
        forms.append(t)
    if t.startswith("لل") and len(t) > 4:
        forms.append("ال" + t[2:])
    elif t[:1] in "بلك" and len(t) > 3:
        forms.append(t[1:])
    return tuple(forms)


@cache
def _index() -> tuple[frozenset[str], dict[str, int]]:
    """Every lookup key the gazetteer answers (with and without «ال»), and the longest name each first word starts."""
    known: set[str] = set()
    longest: dict[str, int] = {}
    for key in load_gazetteer().keys():
        for form in article_forms(key):
            known.add(form)
            words = form.split()
            longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return frozenset(known), longest


def known_names() -> frozenset[str]:
    """Every key the gazetteer answers, with and without «ال»."""
    return _index()[0]


@lru_cache(maxsize=200_000)
def _name_starts(token: str) -> tuple[tuple[str, int], ...]:
    """The forms of a token (clitics stripped) that begin a gazetteer name, with that name's longest length."""
    longest = _index()[1]
    forms = tuple((f, longest[f]) for f in _strip_clitics(token) if f in longest)
    # «وتل عفر», «وأم الخلاخيل»: a two-letter first word after «و» begins a longer name, never a name of its own.
    bare = token[1:]
    if len(token) == 3 and token[0] in "وف" and longest.get(bare, 0) > 1:
        forms += ((bare, longest[bare]),)
    return forms


def _name_start_words(norm: str) -> frozenset[str]:
    """The text's distinct words that can begin a gazetteer name: only tokens among them are looked at."""
    return frozenset(word for word in words_of(norm) if _name_starts(word))


@lru_cache(maxsize=65536)
def _lookup(key: str) -> tuple[Place, ...]:
    return load_gazetteer().lookup(key)


def _longest_match(doc: Document, tokens: list[tuple[int, int, str]], i: int) -> tuple | None:
    """The longest gazetteer name starting at token i (proclitics allowed on its first word)."""
    forms = _name_starts(tokens[i][2])
    if not forms:
        return None
    known = _index()[0]
    for n in range(min(max(m for _, m in forms), len(tokens) - i), 0, -1):
        span = tokens[i : i + n]
        if n > 1 and any(not doc.norm[a[1] : b[0]].isspace() for a, b in itertools.pairwise(span)):
            continue
        rest = " ".join(t[2] for t in span[1:])
        for first, most in forms:
            if n == 1 and len(first) == 2 and first != span[0][2]:
                continue  # «وتل» alone is no place: the two-letter word only begins a name
            key = f"{first} {rest}" if rest else first
            if n == 1 and _construct_head(doc, tokens, i, key):
                continue
            if n > 1 and _article_swallows_a_name(key):
                continue
            if most >= n and key in known and (cands := _lookup(key)):
                return span[0][0] + len(span[0][2]) - len(first), span[-1][1], key, cands, first != span[0][2]
    return None


@cache
def _written_names() -> frozenset[str]:
    """The gazetteer's names as written, without the «ال» forms `lookup` adds."""
    return frozenset(load_gazetteer().keys())


def _article_swallows_a_name(key: str) -> bool:
    """«الباب شرقي حلب» is al-Bab east of Aleppo, not Damascus's «باب شرقي» with an «ال» added: a longer name found
    only through the «ال» rule does not swallow a first word that names a place as written, unless the words after
    it are definite too, as an adjective agreeing with it is («التلول الحمر» for «تلول الحمر»)."""
    if not key.startswith("ال") or key in _written_names():
        return False
    first, rest = key.split(maxsplit=1)
    return first in _written_names() and not rest.startswith("ال")


# Words after a bare noun that leave it the end of its phrase, not the head of a construct.
_PHRASE_ENDS = frozenset(
    normalize_key(w) for w in "في على من إلى عن و بين قرب شمال جنوب شرق غرب شمالي جنوبي شرقي غربي".split()
)


def _construct_head(doc: Document, tokens: list[tuple[int, int, str]], i: int, key: str) -> bool:
    """«تل عاس», «مخيم خان الشيخ»: a bare noun followed by its complement heads a name the gazetteer lacks; it is
    not the place the gazetteer names with the article («التل», «الخان»)."""
    if key.startswith("ال") or key in _written_names() or i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    return doc.norm[tokens[i][1] : nxt[0]].isspace() and nxt[2] not in _PHRASE_ENDS


def find(doc: Document) -> Document:
    gaz = load_gazetteer()
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(doc.norm)]
    starts = _name_start_words(doc.norm)
    raw_matches: list[tuple[int, int, str, tuple[Place, ...], bool]] = []
    last_end = -10
    skipped_end = -10  # the end of the last landmark passed over
    after_last = 0  # the first token after the last place taken
    for i in (i for i, token in enumerate(tokens) if token[2] in starts):
        if i < after_last:
            continue
        hit = _longest_match(doc, tokens, i)
        if hit and not _overlaps_actor(doc, hit[0], hit[1]) and hit[2] not in _CUES and hit[2] not in _GENERIC:
            start, end, key, cands, had_clitic = hit
            prev = _previous_word(doc.norm, tokens, i)
            if prev in _SUB_DISTRICT_NOUNS:
                # «لناحية عقيربات»: the noun names a sub-district (or one abroad: «ناحية القيارة»); a village of the
                # name is a namesake («ناحية الريحانة التابعة لقضاء عنه» is Iraq's)
                cands = tuple(p for p in cands if p.level in ("admin3", "foreign"))
                if not cands:
                    continue
            # «بلدة "مراط" و"الجفرة"»: quotes around the names do not break the list.
            chained = doc.norm[last_end:start].strip(' "«»“”') in {"و", "", "،"} and start - last_end < 6
            cued = (
                prev in _CUES
                or prev in _SUB_DISTRICT_NOUNS
                or chained
                or bool(_LISTED_AFTER_UNKNOWN.search(doc.norm, max(0, start - 40), start))
                or (0 < start - last_end < 30 and bool(_PAST_ONE_UNKNOWN.fullmatch(doc.norm, last_end, start)))
            )
            if prev in _QUARTER_NOUNS and not (had_clitic and any(p.level in _ADMIN_LEVELS for p in cands)):
                # «حي المغاير في حلب»: a quarter of the city named next, not a village of that name. But «أحياء
                # بدمشق»: the city, with its preposition, that the quarters are in.
                continue
            past = i + max(1, len(_TOKEN.findall(doc.norm[start:end])))  # the first token after this name
            if _OUTLET_AFTER.match(doc.norm, end) or _REPORTER_AT.search(doc.norm, max(0, start - 50), start):
                after_last = past
                continue  # «وذكر مركز حماة الإعلامي», «مراسل الجزيرة من غازي عنتاب»: who tells, not where it happened
            if (
                _REFERENCE_POINT.search(doc.norm, max(0, start - 30), start)
                or _THE_TOWN_LYING.search(doc.norm, max(0, start - 30), start)
                or (0 <= start - skipped_end < 4 and doc.norm[skipped_end:start].strip() in {"و", "،"})
            ):
                # «ريف القنيطرة الحدودية مع الجولان المحتل»: a landmark the place borders; «في البلدة الواقعة
                # بجبل الزاوية»: where the town just told lies. Neither is where it happened (nor is a shorter
                # name inside them).
                after_last = past
                skipped_end = end  # «… المتصلة مع سهل الغاب وجسر الشغور»: the landmarks' list goes on
                continue
            # A name that is also an everyday word («جوزف», «الباب») needs a place noun right before it.
            if gaz.is_common_word(key) and prev not in _STRONG_CUES:
                continue
            if gaz.needs_cue(key) and prev not in _CUES:
                continue
            # A clitic («بإدلب») is cue enough for a district or governorate, not for a village name.
            if cued or any(p.level in _NO_CUE_LEVELS or (had_clitic and p.level == "admin3") for p in cands):
                raw_matches.append((start, end, key, cands, cued))
                last_end = end
                after_last = past
    raw_matches = _without_unknown_compounds(doc, raw_matches)
    names_syria = bool(_SYRIA.search(doc.norm))  # asked once: by the report check and by every «العاصمة»
    if not _about_syria(doc, raw_matches, names_syria):
        # A Saudi society page or an Iraqi bulletin: its everyday words are not Syrian villages.
        # A name both Syrian and foreign («الرمادي», «سنجار») is the foreign town there.
        raw_matches = [
            (*m[:3], abroad, *m[4:])
            for m in raw_matches
            if (abroad := tuple(p for p in m[3] if p.country != "Syria"))
        ]
    foreign = _foreign_sentences(doc)
    quarters = _neighbourhoods(doc, raw_matches, names_syria)
    if (told_again := _quarters_told_again(raw_matches, quarters)) != raw_matches:
        # they may be the city of others
        raw_matches, quarters = told_again, _neighbourhoods(doc, told_again, names_syria)
    matches = [m for m in raw_matches + quarters if not _namesake_abroad(doc, m, foreign)]
    return doc.with_(places=_resolve(doc, _lists_abroad(doc, sorted(matches, key=lambda m: m[0]))))


_ADMIN_LEVELS = frozenset({"admin1", "admin2"})


def _without_unknown_compounds(doc: Document, matches: list) -> list:
    """Two village names side by side with no «و» between («ساقية الكرت») are one name the gazetteer lacks, not
    two places; a governorate or district town next to a place («اعزاز حلب») stays."""
    drop: set[int] = set()
    for i, (a, b) in enumerate(itertools.pairwise(matches)):
        adjacent = doc.norm[a[1] : b[0]].isspace()
        if adjacent and not any(p.level in _ADMIN_LEVELS for p in a[3] + b[3]):
            drop |= {i, i + 1}
    return [m for i, m in enumerate(matches) if i not in drop]


_SYRIA = cue_regex(r"(?<!\w)[وف]?[بل]?{syria_cues}(?!\w)")
# Sentences about the wars next door (Yemen, Iraq, Libya, Palestine…), common in the same newspaper paragraphs.
_ABROAD = cue_regex(r"(?<!\w)[وف]?[بل]?(?:{abroad_countries}(?:ي|يه|يين|يون)?|{abroad_places})(?!\w)")


def _foreign_sentences(doc: Document) -> frozenset[int]:
    """Sentences about a war abroad that name no Syrian governorate (each sentence searched once)."""
    return frozenset(
        i
        for i, s in enumerate(doc.sentences)
        if _ABROAD.search(doc.norm, s.start, s.end) and not _SYRIA.search(doc.norm, s.start, s.end)
    )


def _namesake_abroad(doc: Document, match: tuple, foreign: frozenset[int]) -> bool:
    """A town or village name in a sentence about Yemen or Iraq that names no Syrian governorate is a namesake
    («باب المندب» is not the district of al-Bab)."""
    start, _, _, cands, _ = match
    if not foreign or any(p.level == "admin1" or p.country != "Syria" for p in cands):
        return False
    return bool(doc.sentences) and doc.sentence_index(start) in foreign


# Between the places of a list: commas, the nouns and prepositions of «وقرب الحديثة ومناطق حول الموصل», and a
# conjunct the gazetteer lacks («وتل عفر»); never more than LIST_GAP characters.
_LIST_GLUE = compile_ar(r"(?:[\s،,]+|و(?!\w)|و?(?:قرب|حول|محيط|مناطق|مدن|مدينه|بلدات|قري)(?!\w)|و\w+(?:\s+\w+)?)*")
LIST_GAP = 30
_IN_COUNTRY = compile_ar(r"(?:في\s+|ب)(\w+)")


def _lists_abroad(doc: Document, matches: list) -> list:
    """Places of a list closed by a country abroad («… وقرب الحديثة وكركوك وسنجار ومناطق حول الموصل في العراق»)
    are that country's: each keeps its candidates there, or is dropped (a Syrian namesake). One walk over the
    lists: each is read to its end once."""
    countries = country_names()
    out = []
    first = 0
    while first < len(matches):
        last = first
        while last + 1 < len(matches) and _glued(doc, matches[last], matches[last + 1]):
            last += 1
        country = _country_after(doc, matches[last], countries)
        for m in matches[first : last + 1]:
            if country is None or country == "Syria":
                out.append(m)
            elif abroad := tuple(p for p in m[3] if p.country == country):
                out.append((m[0], m[1], m[2], abroad, m[4]))
        first = last + 1
    return out


def _glued(doc: Document, a: tuple, b: tuple) -> bool:
    return a[1] <= b[0] <= a[1] + LIST_GAP and _LIST_GLUE.fullmatch(doc.norm, a[1], b[0]) is not None


def _country_after(doc: Document, last: tuple, countries: dict[str, str]) -> str | None:
    """The country named right after a list's last place («… والرمادي في العراق»), if any."""
    end = _LIST_GLUE.match(doc.norm, last[1], last[1] + LIST_GAP).end()
    named = _IN_COUNTRY.match(doc.norm, end)
    return countries.get(named.group(1)) if named else None


def _about_syria(doc: Document, matches: list, names_syria: bool) -> bool:
    """Does the report speak of Syria: its name, SOHR or a governorate; a district town after a place noun
    («في مدينة تل أبيض»); or, in a report that names no war abroad, a Syrian party («الفصائل» and «قوات
    النظام» are also said of Yemen's and Libya's wars). `names_syria`: the first, asked once by find()."""
    if names_syria:
        return True
    if _ABROAD.search(doc.norm):
        return False
    district_town = any(
        cued and any(p.level == "admin2" and p.country == "Syria" for p in cands) for *_, cands, cued in matches
    )
    return district_town or any(a.label in _SYRIAN_PARTIES for a in doc.actors)


_SYRIAN_PARTIES = frozenset({"SYRIAN_REGIME", "PRO_REGIME_MILITIA", "REBELS", "HTS_NUSRA", "KURDISH_SDF"})


def _overlaps_actor(doc: Document, start: int, end: int) -> bool:
    """Is [start, end) inside an actor mention («الدولة» of «تنظيم الدولة»)?"""
    return overlaps_any(doc.actors, start, end)


def _previous_word(norm: str, tokens: list[tuple[int, int, str]], i: int) -> str:
    if i == 0:
        return ""
    word = tokens[i - 1][2]
    if word == "من" and i > 1 and tokens[i - 2][2] in {"كل", "كلا"}:
        return "في"  # «في كل من النعيمة واليادودة»: the list's preposition, over «كل من»
    return word[1:] if word[:1] in "وبلف" and word[1:] in _CUES else word  # «لبلدة السيدة زينب»


def _resolve(doc: Document, matches: list[tuple[int, int, str, tuple[Place, ...], bool]]) -> tuple[Mention, ...]:
    gaz = load_gazetteer()
    governorates = [(s, e, p[0].admin1_pcode) for s, e, _, p, _ in matches if p[0].level == "admin1"]
    # Names whose every reading lies in one governorate tell where a sentence is («سيطروا على قرية الهول وقريتي
    # الخاتونية والبحيرة»: al-Hol is only in Hasakah); the report's is that of its unambiguous names.
    by_sentence = _sentence_governorates(doc, matches)
    report_gov = Counter(
        p.admin1_pcode for _, _, _, cands, _ in matches for p in cands if len(cands) == 1 and p.admin1_pcode
    ).most_common(1)
    out: list[Mention] = []
    ordered = sorted(matches, key=lambda m: m[0])
    starts = [m[0] for m in ordered]
    for start, end, key, cands, _ in ordered:
        hint = (
            _nearest_governorate(doc, governorates, start)
            or (by_sentence.get(doc.sentence_index(start)) if doc.sentences else None)
            or (report_gov[0][0] if report_gov else None)
        )
        if cands and cands[0].level == "neighbourhood":
            place = next((c for c in cands if c.admin1_pcode == hint), cands[0])
        else:
            if _CITY_CUE.search(doc.norm, max(0, start - 12), start):
                # «مدينة درعا» is the city, not the governorate of the same name.
                cands = tuple(c for c in cands if c.level != "admin1") or cands
            place = gaz.resolve(cands, hint, written=key)
            if place is not None and (gov := _governorate_named_after(doc, ordered, starts, end)):
                # «قرية سوق وادي بردى شمال غرب دمشق»: a direction from a city says where it lies outside it.
                if all(c.admin1_pcode != gov.admin1_pcode for c in cands) and not _AWAY_FROM.match(doc.norm, end):
                    # «بلدة الدار الكبيرة بريف إدلب الجنوبي»: the text places it; the gazetteer knows only a
                    # namesake elsewhere, so the village is placed in the governorate the text names.
                    place = _as_neighbourhood(gov, place.name_ar)
        if place is None:
            continue
        if place.level == "quarter":
            place = _as_neighbourhood(place, place.name_ar)  # a quarter is told like one the text placed in its city
        vague = place.level == "admin1"
        if vague:
            start, end = _extend_countryside(doc.norm, start, end)
        out.append(Mention(start, end, "place", PlaceMatch(place, key, cands, vague)))
    return tuple(out)


# Between a place and the places that locate it: «في», «بريف», «في محافظة», «قرب مدينة», a direction.
_LOCATING_GLUE = compile_ar(
    r"\s*(?:(?:في|قرب|بالقرب\s+من|شمال|جنوب|شرق|غرب|شمالي|جنوبي|شرقي|غربي)\s+)?"
    r"(?:ب?ريف\s*|ب?محافظه\s+|ب?مدينه\s+|ب?بلده\s+|ب){0,2}"
)
_AWAY_FROM = compile_ar(
    r"\s*(?:(?:ال)?(?:شمال|جنوب|شرق|غرب)(?:ي)?\s+)+(?:(?:ال)?(?:مدينه|العاصمه)\s+)?(?!ريف|محافظه)\w"
)
LOCATING_CHAIN = 3  # places in a chain «المزارع قرب مدينة الميادين في ريف دير الزور»


def _governorate_named_after(doc: Document, matches: list, starts: list[int], end: int) -> Place | None:
    """The governorate that locates a place: named right after it («… بريف إدلب», «… في محافظة حماة»), or
    at the end of a short chain of places whose every one lies in it («المزارع قرب مدينة الميادين في ريف دير
    الزور»), the next places of its list among them («قريتي الحريشة وسوحا شرق حماة»). `starts` are the sorted
    matches' starts."""
    chain: list[tuple[Place, ...]] = []
    i = bisect.bisect_left(starts, end)
    while i < len(matches) and len(chain) <= LOCATING_CHAIN:
        start, next_end, _, cands, _ = matches[i]
        glue = _LOCATING_GLUE.match(doc.norm, end, start)
        located = glue is not None and glue.end() == start
        # a governorate joined by «و» is one more place of the list («الحريشة وحماة»), not where the list lies
        listed = (
            not located and bool(cands) and cands[0].level != "admin1" and _LIST_JOINT.fullmatch(doc.norm, end, start)
        )
        if not cands or not (located or listed):
            return None
        if cands[0].level == "admin1":
            gov = cands[0].admin1_pcode
            return cands[0] if all(any(c.admin1_pcode == gov for c in link) for link in chain) else None
        chain.append(cands)
        end = next_end
        i += 1
    return None


def _one_governorate(cands: tuple[Place, ...]) -> str | None:
    govs = {c.admin1_pcode for c in cands}
    return next(iter(govs)) if len(govs) == 1 else None


def _sentence_governorates(doc: Document, matches: list) -> dict[int, str]:
    """Sentence index → the governorate most named by its settled places, where one is named most."""
    if not doc.sentences:
        return {}
    counts: dict[int, Counter[str]] = {}
    for start, _, _, cands, _ in matches:
        if gov := _one_governorate(cands):
            counts.setdefault(doc.sentence_index(start), Counter())[gov] += 1
    out: dict[int, str] = {}
    for sentence, counter in counts.items():
        top = counter.most_common(2)
        if len(top) == 1 or top[0][1] > top[1][1]:
            out[sentence] = top[0][0]
    return out


def _nearest_governorate(doc: Document, governorates: list[tuple[int, int, str | None]], pos: int) -> str | None:
    """The governorate named after a place in its sentence («في بلدة كفر داعل في ريف حلب»), else before it."""
    sentence = doc.sentence_at(pos)
    i = bisect.bisect_right(governorates, pos, key=lambda g: g[0])  # governorates are sorted by start
    if i < len(governorates) and (sentence is None or governorates[i][0] < sentence.end):
        return governorates[i][2]
    j = i - 1
    while j >= 0 and governorates[j][1] > pos:
        j -= 1
    if j >= 0 and (sentence is None or governorates[j][0] >= sentence.start):
        return governorates[j][2]
    return None


def _extend_countryside(norm: str, start: int, end: int) -> tuple[int, int]:
    """Widen a governorate mention to «ريف … الجنوبي» / «الريف الجنوبي الشرقي لـ…» so location_ar reads as written."""
    head = norm[max(0, start - 60) : start]
    m = _COUNTRYSIDE_BEFORE.search(head)
    if not m:
        return start, end
    tail = compile_ar(_DIRECTIONS).match(norm, end)
    # The span starts at «ريف», after any proclitic («بريف إدلب» is written «ريف إدلب» as a place name).
    return start - (len(head) - m.start("countryside")), tail.end() if tail else end


_COUNTRYSIDE_BEFORE = compile_ar(
    rf"(?:[وف]?[بل]?)(?P<countryside>ريف(?:ي)?|الريف{_DIRECTIONS}\s+(?:ل|لمحافظه\s+|لمدينه\s+)?)\s*(?:محافظه\s+)?$"
)


# «حي المغاير»، «أحياء طريق الباب والصاخور وباب الحديد»: urban neighbourhoods are rarely in the gazetteer;
# they are placed in the city named after them (or the report's governorate) at district precision.
# Also villages the gazetteer lacks («قرية الإمام في ريف مدينة الباب»): placed at the town named after them.
_NEIGHBOURHOOD = compile_ar(
    r"(?<!\w)[وب]?(?:(?P<quarter>حي|حيي|حيا|احياء)|قريه|(?P<two>قريتي|بلدتي)|بلده|(?P<hill>تله|تل))\s+"
    r"(?:(?:في|من|اطراف)\s+)?"
)
# «تلة "جورة الماء"», «على تلة «الكويسي»»: a quoted name after the place noun is the name, whatever its words.
_NEXT_CONJUNCT = compile_ar(r"\s*(?:،\s*)?و(?=\w)")  # «حي المغاير، والكلاسة»: the list goes on
_PLURAL_QUARTERS = frozenset({"احياء", "حيي"})
_LIST_GOES_ON_DEFINITE = compile_ar(r"\s*(?:،\s*)?وال\w+")
# Words after «أحياء» that say how many or what kind, not which: «أحياء عدة والريف», «أحياء سكنية».
_NOT_A_QUARTER_NAME = compile_ar(r"^(?:\w+يه|\w+ي|عده|عديده|كثيره|متفرقه|مختلفه|اخري|واسعه|كبيره|جديده|قديمه)$")
_QUOTED_NAME = compile_ar(r"[\"«“]\s*(\w+(?:\s+\w+){0,2})\s*[\"»”]")
_NAME_HEADS = frozenset(
    "طريق باب بني ابو ام عين تل جبل دير كفر بيت راس ساحه شارع جسر مساكن الشيخ الحاج سيف جب بستان كرم سوق قاضي "
    # the heads of village names in construct: «قرية رسم العبود», «بلدة مرج الضهر», «مخيم رجم الصليبي»
    "وادي رسم مرج رجم خان قصر خربه حوش نبع بير بئر معره قلعه حويجه مزرعه سهل".split()
)
_NAME_STOP = compile_ar(
    r"^(?:في|على|من|الى|عن|الشعبي|الذي|التي|الواقع|وسط|جنوب|شمال|شرق|غرب|بمدينه|مدينه|ب\w+"
    r"|المدينه|البلده|القريه|المنطقه|العاصمه|المخيم|الشرقيه|الغربيه|الشماليه|الجنوبيه"  # «أحياء المدينة»
    # «بلدة أبو حمام، واللتين يقطنهما …», «أحدهما من بلدة أبو حمام والآخر من …»: pronouns, not a next name
    r"|الذين|اللذين|اللتين|اللذان|اللتان|اللواتي|اللاتي|الاخر|الاخري|الاخرين|الاخرون)$"
)


def _city_named(word: str) -> tuple[Place, ...]:
    """The governorate capitals and district towns called `word` («درعا», «حلب»), if any."""
    # Named exactly so (not through a form with «ال» added or dropped): «باب توما» is no quarter of «الباب».
    return tuple(p for p in _lookup(word) if p.level in _ADMIN_LEVELS and normalize_key(p.name_ar) == word)


def _neighbourhoods(
    doc: Document, matches: list[tuple[int, int, str, tuple[Place, ...], bool]], names_syria: bool
) -> list:
    out = []
    told_in: dict[str, tuple] = {}  # a quarter's name → the city it was told in, when the text said which
    # The places by start, and the furthest end among the first k: each quarter looks only at the places around it.
    matches = sorted(matches, key=lambda m: m[0])
    starts = [m[0] for m in matches]
    furthest_end = list(itertools.accumulate((m[1] for m in matches), max, initial=-1))
    for m in _NEIGHBOURHOOD.finditer(doc.norm):
        pos = m.end()
        while True:
            quoted = _QUOTED_NAME.match(doc.norm, pos) if m.group("hill") is not None else None
            spans = [t.span() for t in itertools.islice(_TOKEN.finditer(doc.norm, pos, pos + 40), 2)]
            if len(spans) == 2 and not doc.norm[spans[0][1] : spans[1][0]].isspace():
                spans = spans[:1]  # «حي الوعر، و…»: the name is one word when anything but a space follows it
            words = [doc.norm[a:b] for a, b in spans]
            headed = bool(words) and words[0] in _NAME_HEADS  # «باب الحديد», not the preposition «ب…»
            # «حي درعا البلد»: a quarter named after its city lies in that city.
            own_city = _city_named(words[0]) if words and m.group("quarter") else ()
            headed = headed or bool(own_city)
            # A hill is named by any word («تلة عثمان»), a quarter by a definite one («حي المغاير»), or by any word
            # that opens a list of quarters or of two villages going on with a definite one («أحياء كنامات والعرضي
            # والجبيلة», «قريتي كفريدين والعاليا»).
            named = bool(words) and (
                m.group("hill") is not None
                or headed
                or words[0].startswith("ال")
                or (
                    (m.group("quarter") in _PLURAL_QUARTERS or m.group("two") is not None)
                    and pos == m.end()
                    and bool(_LIST_GOES_ON_DEFINITE.match(doc.norm, spans[0][1]))
                    and not _NOT_A_QUARTER_NAME.match(words[0])
                )
            )
            if quoted is None and (not words or not named or (not headed and _NAME_STOP.match(words[0]))):
                break  # neighbourhood names are definite («المغاير») or headed («باب الحديد»), not «حي شعبي»
            if quoted is not None:
                name = quoted.group(1)
                start = doc.norm.index(name, pos)
                end = start + len(name)
            else:
                start, end = spans[0][0], spans[1 if headed and len(spans) > 1 else 0][1]
                name = doc.norm[start:end]
            if m.group("hill") is not None and quoted is None and pos == m.end():
                start = m.start("hill")  # «تلة عثمان»: the noun is part of the name
                name = doc.norm[start:end]
            # no place starting before the name ends runs into it
            if furthest_end[bisect.bisect_left(starts, end)] <= start:
                after = matches[bisect.bisect_right(starts, start) : bisect.bisect_left(starts, start + 80)]
                city = (
                    (start, end, name, own_city)
                    if own_city
                    else _the_capital_after(doc, end, names_syria)
                    # the city named next, on the same line (the next line of a list names a place of its own)
                    or next((c for c in after if _same_line(doc, end, c[0])), None)
                )
                if city is not None:
                    told_in.setdefault(name, city)
                # «أحياء … التكايا … بمدينة دير الزور», then «امرأة في حي التكايا»: the city it was told in; else the
                # story's city or the city the gazetteer files the quarter under («حي الوعر»: Homs).
                city = city or told_in.get(name) or _story_or_known(doc, matches, starts, start, end, name)
                # A neighbourhood lies in the city, not in the governorate of the same name («حلب»).
                places = (tuple(p for p in city[3] if p.level != "admin1") or city[3]) if city else ()
                out.append((start, end, name, tuple(_as_neighbourhood(p, name) for p in places), True))
            nxt = _NEXT_CONJUNCT.match(doc.norm, end)
            if not nxt or m.group("hill") is not None:
                break  # «تلة عثمان وتلة …» names its next hill with its own noun
            if m.group("two") is not None and pos != m.end():
                break  # «بلدتي نبل والزهراء والمحاصرتين من قبل …»: a dual names two places
            pos = nxt.end()
    return [o for o in out if o[3]]


def _same_line(doc: Document, start: int, end: int) -> bool:
    return doc.norm.find("\n", start, end) < 0


def _quarters_told_again(matches: list, quarters: list) -> list:
    """«سقطت إحداها في حي المزرعة … كما سقطت قذيفة في المزرعة»: a name told as a city's quarter keeps that
    reading when the report names it again without «حي», over a village of that name elsewhere."""
    if not quarters:
        return matches
    first_told = {}
    for q in quarters:
        first_told.setdefault(q[2], q)
    return [
        (m[0], m[1], m[2], first_told[m[2]][3], m[4]) if m[2] in first_told and first_told[m[2]][0] < m[0] else m
        for m in matches
    ]


STORY_CITY_REACH = 600  # characters back to the city a neighbourhood named without its city belongs to
LONGEST_NAME = 100  # characters: no place's name is longer


def _story_city(doc: Document, matches: list, starts: list[int], start: int) -> tuple | None:
    """«تقدمت القوات الكردية وسيطرت على حي النشوة الغربية» with no city after it: the last city or town the
    story named before it — a city the gazetteer ranks as one, when the story named one, over a village — and
    not one of a list («مثل إدلب وحماة ودرعا واللاذقية ودمشق»: the list names places, no story's city)."""
    lo = bisect.bisect_left(starts, start - STORY_CITY_REACH - LONGEST_NAME)  # a place ending inside the reach
    before = [m for m in matches[lo : bisect.bisect_right(starts, start)] if start - STORY_CITY_REACH < m[1] <= start]
    before = [m for i, m in enumerate(before) if not _in_a_list(doc, before, i)] or before
    cities = [m for m in before if _is_city(m)]
    return (cities or before)[-1] if before else None


def _is_city(match: tuple) -> bool:
    return any(p.level in _CITY_LEVELS for p in match[3])


def _story_or_known(doc: Document, matches: list, starts: list[int], start: int, end: int, name: str) -> tuple | None:
    """Where a quarter no city was told for lies: the story's city; else, over a village the story named, the city
    the gazetteer files the quarter under (a place within a city: Syrian Archive's, quarters.csv)."""
    story = _story_city(doc, matches, starts, start)
    if (story and _is_city(story)) or _PLACED_BY_THE_TEXT.match(doc.norm, end):
        # «بحي الكرامة جنوب العريش»: the text says where it is, by a place the gazetteer lacks
        return story
    known = tuple(p for p in _lookup(name) if p.level in _WITHIN_A_CITY and p.country == SYRIA)
    return (start, end, name, known, True) if known else story


# A direction from a town, or a town noun: not «بقذائف الهاون», «في قصف للطيران» (how, not where).
_PLACED_BY_THE_TEXT = compile_ar(
    r"\s*(?:[،,]\s*)?(?:(?:ال)?(?:شمال|جنوب|شرق|غرب)(?:ي)?\s+(?:(?:مدينه|بلده)\s+)?|(?:في\s+|ب)(?:مدينه|بلده)\s+)\w"
)


_LIST_JOINT = compile_ar(r"\s*(?:[،,]\s*و?|و)\s*")


def _in_a_list(doc: Document, matches: list, i: int) -> bool:
    """Is the i-th place joined by «و» or a comma to the place before or after it?"""
    before = i > 0 and _LIST_JOINT.fullmatch(doc.norm, matches[i - 1][1], matches[i][0])
    after = i + 1 < len(matches) and _LIST_JOINT.fullmatch(doc.norm, matches[i][1], matches[i + 1][0])
    return bool(before or after)


_CITY_LEVELS = frozenset({"admin1", "admin2", "admin3", "neighbourhood", "quarter"})
_WITHIN_A_CITY = frozenset({"place", "quarter"})
# «حي الشاغور في جنوب العاصمة», «حي ركن الدين شمال العاصمة»: in a report on Syria, the capital is Damascus —
# unless another capital is named («العاصمة البريطانية», «بالعاصمة أنقرة»).
_THE_CAPITAL = compile_ar(
    r"\s*(?:[،,]\s*)?(?:(?:في|الى|من)\s+)?(?:(?:ال)?(?:شمال|جنوب|شرق|غرب|وسط)(?:ي)?\s+)?(?:ب|في\s+)?العاصمه(?!\w)"
)
_CAPITAL_NAMED = compile_ar(r"\s+(?P<word>\w+)")


def _the_capital_after(doc: Document, end: int, names_syria: bool) -> tuple | None:
    capital = _THE_CAPITAL.match(doc.norm, end)
    if capital is None or not names_syria:
        return None
    named = _CAPITAL_NAMED.match(doc.norm, capital.end())
    word = named.group("word") if named else ""
    if word not in ("دمشق", "السوريه") and (word.endswith("يه") or _is_foreign(word) or _ABROAD.fullmatch(word)):
        return None
    places = tuple(p for p in load_gazetteer().lookup("دمشق") if p.level == "admin2")
    return (end, end, "دمشق", places, True) if places else None


def _is_foreign(word: str) -> bool:
    return any(p.country != "Syria" for p in load_gazetteer().lookup(word))


def _as_neighbourhood(city: Place, name: str) -> Place:
    from dataclasses import replace

    return replace(
        city,
        name_ar=name,
        name_en="",
        level="neighbourhood",
        pcode=None,
        geo_precision=max(2, city.geo_precision),
    )
