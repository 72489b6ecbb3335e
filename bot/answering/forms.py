"""The shape of an extractive answer: the quoted sentence, led by what was asked when it is clear.

"How many…" answers lead with the number, "how much…" with the amount. A yes/no question is
answered "Yes"/"No" only when the cited sentence states the asked thing outright (it holds most of
the question's words), else the sentence is quoted as it is and the reader judges.

A quoted sentence is a fragment of its article, and news sentences lean on the headline: "The
company is reportedly scaling back the use of its AC" answers "Which company…?" only with the
headline that names Bed Bath & Beyond. A question that asks for a name, a place or a thing is
answered from the headline, then the sentence, when the headline names something that neither the
question nor the sentence does.

A sentence can lean on the one before it too: "The X.25 protocol suite uses this network type",
"All of this set the stage for Merit's role", "They also won the championship in 1946". The reader
needs what "this" and "they" stand for, so such an answer quotes the sentence before it as well
(same paragraph, same citation).
"""

from __future__ import annotations

import re
from functools import cache

from bot.answering import cues, features
from bot.answering.answer import printable
from retrieval import irregular
from retrieval.text import STOPWORDS, terms, words

YES_NO_COVERAGE = 0.85  # 0.6 said "Yes" to 2 dev questions whose answer was no: say it only when all is stated

_NUMBER = "|".join(cues.NUMBER_WORDS)
_NOT_COUNTED = (  # words that follow an amount without saying what it counts
    r"(?!(?:of|and|or|to|in|on|at|for|the|a|an|by|from|with|as|that|who|but|so|yet|than|then|if|when|"
    r"while|because|after|before|since|until|per|is|was|are|were|has|had|have|will|would|its|his|her|their|our|"
    r"this|thus|us)\b)"
)
_QUALIFIER = r"(?:more than|less than|fewer than|about|nearly|almost|at least|at most|over|up to|around|some|roughly)"
_QUALIFIED = re.compile(rf"\b{_QUALIFIER}\s+$", re.IGNORECASE)
_DIGITS = re.compile(r"\d(?:[\d,.]*\d)?")
_AFTER_A_SEPARATOR = re.compile(r"\d[:.]$")  # "3:" of "with 3:08 left"
_AMOUNT = re.compile(
    rf"(?:{_QUALIFIER}\s+)?"
    # A number ends with a digit: "$97,607, according to…" is "$97,607".
    r"(?:[$€£¥]\s?\d(?:[\d,.]*\d)?(?:\s*(?:million|billion|trillion|bn|m)\b)?"
    # A digit inside a name is no amount: "BA.2", "COVID-19", "F-35".
    # A range written tight is one amount: "men aged 18-60" (the lead was "18").
    r"|(?<![A-Za-z][.-])\b\d(?:[\d,.]*\d)?(?:[-–]\d(?:[\d,.]*\d)?\b(?![-–]))?"
    r"(?:%|\s*(?:million|billion|trillion|percent|per cent)\b)?"
    # "a million people", "a dozen eggs": "a" is the number's first word (the lead was "Million people").
    rf"|\b(?:a\s+(?=(?:hundred|thousand|million|billion|trillion|dozen)\b))?(?:{_NUMBER})(?:[\s-](?:{_NUMBER}))*\b)"
    # A share told as a ratio is one amount: "nine in 10", "3 out of 4", "1 in every 1,300 people".
    # Not a year: "rose 5.5% in 2021" is "5.5%".
    rf"(?:\s+(?:in|out of)(?:\s+every)?\s+(?!(?:19|20)\d\d\b)(?:\d[\d,]*|{_NUMBER})\b)?"
    # …and the word it counts: in lower case or a capitalised plural ("4.5 million children", "2,000
    # Afghans"), not any capitalised word ("4.5 million American children", "'45 Office'").
    # Not a conjunction or a verb: "The jackpot was a record $1.9 billion but grew…" is "$1.9 billion".
    rf"(?:[\s-]{_NOT_COUNTED}"
    # …with a participle before it: "four forced fumbles", not "12 died as…".
    # An area or a volume is one unit: "nearly 3,500 square miles" (the lead was "Nearly 3,500 square").
    rf"(?-i:(?:square|cubic)\s+[a-z]+|[a-z]+ed\s+{_NOT_COUNTED}[a-z]+s|[a-z]+(?:-old)?|[A-Z][a-z'’]+(?:[^aeiousy'’\s]s|es))\b)?"
    # …and what it is reckoned per: "$10,000 per borrower", "$8 per month".
    r"(?:\s+per\s+(?:(?:square|cubic)\s+)?(?-i:[a-z]+)\b)?",
    re.IGNORECASE,
)
# A unit written short counts what its name does: "how many pounds of steam…" of "5-cylinder engine … consumes
# approx. 4 kg (8.8 lb) of steam" is "8.8 lb", not "5-cylinder" (stop 73).
_UNIT_NAMES = {"lb": "pound", "lbs": "pound", "kg": "kilogram", "km": "kilometer", "oz": "ounce", "mph": "mile"}
_FOLLOWING = re.compile(r"(?:\s+[A-Za-z'’-]+){1,3}")  # the words after an amount, up to punctuation
_MONEY = re.compile(r"[$€£¥]|\b(?:dollars|euros|pounds|cents|yuan|yen)\b", re.I)  # "405 million euros" too
# "one" that counts nothing: "a surprise to no one", "one of the key parts", "this one".
_NOT_A_COUNT = re.compile(r"\b(?:no|the|this|that|every|any|each|which)\s+one\b|\bone\s+(?:of|another)\b", re.I)


_TIGHT_RANGE = re.compile(r"(\d[\d,.]*)[-–](\d[\d,.]*)")


def _no_score(value: str) -> str:
    """A tight range counts up ("18-60", "100–150"); "17-13", "6-2" are results, read as before stop 58:
    their first number."""
    found = _TIGHT_RANGE.search(value)
    if found is None:
        return value
    try:
        low, high = (float(n.replace(",", "").rstrip(".")) for n in found.groups())
    except ValueError:  # "1.2.3-4": a version or a code, no range
        return value
    return value if low < high else value[: found.start()] + found.group(1) + value[found.end() :]


# A year, or a span of years ("2021-22"), is no amount.
_A_YEAR = re.compile(r"(?:19|20)\d\d(?:[-–](?:\d\d|(?:19|20)\d\d))?(?:\s\w+)?")
# "over" after these verbs hands something over, it says no "more than": "turned over 15 boxes". Not
# after verbs where it often does mean "more than": "carries over 37 million passengers a year", "gave
# over $5 million", "signed over 100 players", "took over 15 stores".
_PARTICLE_OVER = re.compile(r"\b(?:turn|hand|fork)\w*\s+$", re.IGNORECASE)
_RANGE_START = re.compile(rf"(?:^|\s)((?:\d[\d,.]*|{_NUMBER}))\s*(?:to|-|–)\s*$", re.IGNORECASE)
_NEAR = 6  # words either side of an amount that say what it measures


# The word after "how" names the dimension asked ("how high", "how long"), not what is measured.
_HOW_WHAT = re.compile(r"\bhow\s+\w+", re.IGNORECASE)


_CLAUSE_END = re.compile(r"[,;:]$")


def _words_near(sentence: str, start: int, question: str) -> int:
    """How many of the question's words are among the few around the amount at ``start``, within its
    clause. "how high did the yellowstone river get" of "…reached 13.88 feet…, surpassing the historical
    high crest of 11.5 feet" is "13.88 feet": "high" asks for the measure. "how many students… bergen"
    of "Two thousand students will benefit from the Bergen initiative, and 4,800 students benefited from
    Hudson's" is "Two thousand students": "Bergen" is in the clause before 4,800's (stop 58)."""
    before = sentence[:start].split()[-_NEAR:]
    ends = [i for i, word in enumerate(before) if _CLAUSE_END.search(word)]
    before = before[ends[-1] + 1 :] if ends else before
    after = sentence[start:].split()[1 : _NEAR + 1]
    end = next((i for i, word in enumerate(after) if _CLAUSE_END.search(word)), None)
    after = after[: end + 1] if end is not None else after
    return len(set(terms(_HOW_WHAT.sub(" ", question))) & set(terms(" ".join(before + after))))


def amount(sentence: str, question: str) -> str | None:
    """The amount in ``sentence`` ("more than six hours", "$24.6 billion", "13 days") that the question
    does not already give: of what "how many …" counts when the sentence has one ("300 passing yards",
    not "3 touchdowns"), for "how much" a sum of money when there is one, else the first. A bare year
    is not an amount, nor the day of a date ("How many MPs voted…?" is not answered "7" from "on
    August 7 the council will…"), nor "one" that counts nothing ("no one", "one of the…")."""
    sentence = printable(sentence)  # "cost \x1b[2J40 million dollars" is shown as "cost 40 million dollars"
    asked = question.lower()
    # "How many of the 1,365 … cases were confirmed…?" is not answered "1,365 cases": a number the question gives.
    given = set(_DIGITS.findall(question))
    dates = [m.span() for m in cues.DATE.finditer(sentence)]
    found = []
    not_counting = [m.span() for m in _NOT_A_COUNT.finditer(sentence)]
    for match in _AMOUNT.finditer(sentence):
        if cues.CLOCK.match(sentence, match.start()):
            continue  # "premieres at 8 p.m." counts nothing: "How many episodes…?" is not "8 p"
        if _AFTER_A_SEPARATOR.search(sentence, 0, match.start()):
            continue  # the "08" of "with 3:08 left" is no amount of its own
        value = _as_written(match)
        if is_an_age(sentence, match.start(), value) and not cues.ASKS_AN_AGE.search(question):
            continue  # "how much have electric bills gone up" is not "55" of "said Norcross, 55, who…"
        in_a_date = any(start < match.end() and match.start() < end for start, end in dates)
        if value.lower() == "one" and any(start <= match.start() < end for start, end in not_counting):
            continue
        value = _no_score(value)
        if _PARTICLE_OVER.search(sentence[: match.start()]) and value.lower().startswith("over "):
            value = value[5:]  # "Trump turned over 15 boxes" gave 15, not "over 15"
        number = _DIGITS.search(value)
        if number is not None and number.group(0) in given:
            continue
        if value.lower() not in asked and not in_a_date and not _A_YEAR.fullmatch(value):
            found.append((value, match.start(), match.end()))
    # "how many kids…" counts "children" too (retrieval/synonyms.py).
    counted = cues.counted_or_meaning_the_same(question)
    of_what_was_asked = []
    for value, start, end in found if counted else ():
        # "How many passing yards…?" of "3 touchdowns and 300 passing yards": the amount of what was asked.
        if any(cues.is_counted(_UNIT_NAMES.get(w.lower(), w), counted) for w in value.split()[1:]):
            of_what_was_asked.append((value, start, end))
            continue
        after = _FOLLOWING.match(sentence, end)
        following = after.group(0).split() if after else []
        for n, word in enumerate(following):
            if cues.is_counted(word, counted):
                of_what_was_asked.append((" ".join([value, *following[: n + 1]]), start, end))
                break
    if of_what_was_asked:
        # Of several, the one nearest the question's other words: "how many boxes did the fbi take" of
        # "Trump… turned over 15 boxes…, and FBI agents seized another 33 boxes" is "33 boxes".
        value, start, _ = max(of_what_was_asked, key=lambda item: _words_near(sentence, item[1], question))
        return _with_none_of(sentence, _from_its_start(sentence, start, value), start)
    if _ASKS_A_SHARE.search(question):
        # "what percent of puerto rico has power back" of "495,000 customers, about 38%, have electricity":
        # the share, not the first amount (stop 59).
        shares = [item for item in found if _SHARE_IN.search(item[0])]
        if shares:
            return _nearest(shares, sentence, question)
    units = cues.asked_units(question)
    if units is not None and cues.ASKS_HOW_OFTEN.search(question):
        # "how often does the summit happen" of "The summit convenes every three to four years": the whole
        # of it ("Three:" was the lead), and "Once a month" rather than "Once".
        often = units.search(sentence)
        if often is None:
            return None
        qualified = _QUALIFIED.search(sentence[: often.start()])  # "nearly 200 times"
        return sentence[qualified.start() if qualified else often.start() : often.end()]
    if units is not None:
        # "How long might they wait?" of "…one house at a time, power may not be restored for 30
        # days": the amount in the asked units.
        spans = [m.span() for m in units.finditer(sentence)]
        in_units = [item for item in found if any(item[1] < b and a < item[2] for a, b in spans)]
        if in_units:
            # Of several ("sentenced to 17 to 40 years…, spending seven years in solitary"), the one
            # nearest the question's words; a range is given whole ("six to nine years").
            # max() keeps the first of equals: ties go to the earlier amount.
            value, start, end = max(in_units, key=lambda item: _words_near(sentence, item[1], question))
            return _from_its_start(sentence, start, _with_smaller_units(sentence, value, start, end))
        return None  # "Four hours:" does not answer "how old…?": the sentence is quoted as it is
    if "how much" in asked:
        # "How much is Brunson getting?" of "…a four-year, $104 million deal": the money, not "four-year".
        money = [item for item in found if _MONEY.search(item[0])]
        if money:
            return _nearest(money, sentence, question)
        if not _ASKS_TIME.search(question):
            # "how much damage did fiona cause" is not led by "Five years" (of "…not seen there since
            # Hurricane Maria made landfall five years ago"): a length of time is no quantity of it.
            found = [item for item in found if not cues.TIME_SPAN.search(item[0])]
    if counted:
        # "how many ppl on the council backed kickin carter out" is not answered "Four hours" (of "made
        # his case … for four hours"): a measure or a sum counts no people, a bare number may.
        found = [item for item in found if not _MONEY.search(item[0]) and not cues.MEASURE.search(item[0])]
        found = [item for item in found if not counts_something_else(sentence, item[0], item[2], counted)]
        # "how many mps voted to expel sharma" of "it was 61 to one abstention to one no" is "61": an
        # amount that names a thing it counts, not the one asked, gives way to a bare one.
        # The question's own words are no "something else": "how many rocket launches…" of "more than
        # 52 rockets this year…, its record… of 31" is "more than 52 rockets".
        mentioned = {cues.stem(w) for w in words(question) if w.lower() not in STOPWORDS}
        bare = [item for item in found if not names_what_it_counts(item[0], mentioned)]
        found = bare or found
    if not found:
        return None
    value = _nearest(found, sentence, question)
    at = next((item[1] for item in found if item[0] == value), None)  # None: a range ("between…")
    return _with_none_of(sentence, value, at)


def _with_none_of(sentence: str, value: str, at: int | None) -> str:
    """``value`` with the "none of" before it: "how many kids have had serious side effects" of "None of
    the roughly 3,500 children who received it…" asks a count that is none, and "Roughly 3,500
    children:" read as the answer."""
    none_of = _NONE_OF.search(sentence[:at]) if at is not None else None
    return f"{none_of.group(0)}{value}" if none_of else value


_LARGER_UNIT_BEFORE = re.compile(
    rf"\b((?:\d[\d,.]*|{_NUMBER})\s+(?:years?|months?|weeks?|days?|hours?|minutes?))\s+and\s+$", re.IGNORECASE
)
_ASKS_A_SHARE = re.compile(r"\bwhat\s+(?:percent(?:age)?|per\s?cent|share|proportion|fraction)\b", re.IGNORECASE)


def _with_smaller_units(sentence: str, value: str, start: int, end: int) -> str:
    """A time told in two units, whole: "11 hours and 55 minutes" (the lead was "11 hours", or "55
    minutes" when those were nearer the question's words)."""
    if not cues.TIME_SPAN.search(value):
        return value
    larger = _LARGER_UNIT_BEFORE.search(sentence[:start])
    if larger:
        return f"{larger.group(1)} and {value}"
    joined = _AND.match(sentence, end)
    smaller = _AMOUNT.match(sentence, joined.end()) if joined else None
    return f"{value} and {_as_written(smaller)}" if smaller and cues.TIME_SPAN.search(smaller.group(0)) else value


_NONE_OF = re.compile(r"\bnone of (?:the |these |those )?$", re.IGNORECASE)
_ASKS_TIME = re.compile(r"\bhow much (?:time|longer)\b", re.IGNORECASE)


_NOUNISH = re.compile(r"[a-z]+")


def names_what_it_counts(value: str, mentioned: set[str]) -> bool:
    """Whether an amount ends in a word that names what it counts, other than the ``mentioned`` stems
    ("one abstention", "3 touchdowns"), not in a verb ("12 died", "30 were hurt" is "30"; "12 injured")
    or a number alone ("61")."""
    last = value.split()[-1].lower()
    if len(value.split()) == 1 or not _NOUNISH.fullmatch(last) or last in cues.NUMBER_WORDS:
        return False
    if cues.stem(last) in mentioned:
        return False
    if last in {"million", "billion", "trillion", "percent", "cent", "dozen", "hundred", "thousand"}:
        return False
    return not (last.endswith("ed") or last in _past_forms())


@cache
def _past_forms() -> frozenset[str]:
    """Irregular past forms ("won", "fell", "rose"), which end no counted noun."""
    return frozenset(form for forms in irregular.past_forms().values() for form in forms)


_VAGUE_COUNT = frozenset("dozens hundreds thousands millions billions".split())
_OF_WHAT = re.compile(r"\s+of\s+((?:[A-Za-z'’-]+\s+){0,4}[A-Za-z'’-]+)")  # up to its first punctuation


def counts_something_else(sentence: str, value: str, end: int, counted: frozenset[str]) -> bool:
    """Whether a vague count ("hundreds") says what it counts, and that is not what was asked: "how many
    firefighters fought the oak fire" is not answered "Hundreds" of "…Mariposa Grove, home to hundreds
    of giant sequoias" (stop 56)."""
    if value.split()[-1].lower() not in _VAGUE_COUNT:
        return False
    what = _OF_WHAT.match(sentence, end)
    if what is None:
        return False
    return not any(cues.stem(w) in counted for w in what.group(1).split())


# A person's age, set off by commas after the name: "said Norcross, 55, who is disabled".
_AFTER_A_NAME = re.compile(r"\b[A-Z][\w'’.-]*,\s+$")


def is_an_age(sentence: str, start: int, value: str) -> bool:
    """Whether the amount ``value`` at ``start`` is an age told after a name ("Norcross, 55, who…")."""
    return (
        value.isdigit()
        and len(value) <= 3
        and bool(_AFTER_A_NAME.search(sentence[:start]))
        and sentence[start + len(value) : start + len(value) + 1] == ","
    )


# "…was a record $1.9 billion but grew to $2.04 billion by the time of the drawing": the amount a change
# ended at is the one that stands, unless the question asks about the change itself.
_CHANGED_TO = re.compile(
    r"\b(?:grew|grown|grow|rose|risen|rise|climbed|climb|increased|jumped|soared|swelled|surged|reached|fell|fallen|"
    r"dropped|declined|decreased|shrank|shrunk|raised|lowered|cut|revised|updated|up|down)\s+(?:again\s+)?to\s+$"
    r"|\bfrom\s+[$€£¥]?\d[\d,.]*(?:\s*(?:million|billion|trillion|percent|%))?\s+to\s+$",
    re.IGNORECASE,
)
_ASKS_A_CHANGE = re.compile(
    r"\b(?:grow|grew|grown|rise|rose|risen|increase|increased|climb|jump|fall|fell|drop|dropped|decline|change|"
    r"changed|go(?:ne)? up|went up|go(?:ne)? down|went down|more|less|cut|raise|raised|lower|from)\b",
    re.IGNORECASE,
)


def _nearest(found: list[tuple[str, int, int]], sentence: str, question: str) -> str:
    """Of several amounts, the one nearest the question's words (the first of equals): "how much student
    loan forgiveness does biden support" of "…an annual income of less than $125,000… up to $10,000 in
    federal student loans canceled" leads with "up to $10,000", not the income limit (stop 48). Over
    every suite set's answers, 26 leads changed: 9 now hold the expected answer, 1 no longer does.
    An amount a change ended at ("grew to $2.04 billion") goes before the one it started from, unless
    the question asks about the change ("how much did it grow")."""
    ended_at = [item for item in found[1:] if _CHANGED_TO.search(sentence[: item[1]])]
    if ended_at and not _ASKS_A_CHANGE.search(question):
        found = ended_at
    value, start, end = max(found, key=lambda item: _words_near(sentence, item[1], question))
    # "between about 4 and 8 inches" is one amount: the lead was "About 4".
    if _BETWEEN.search(sentence[:start]):
        joined = _AND.match(sentence, end)
        upper = _AMOUNT.match(sentence, joined.end()) if joined else None
        if upper:
            return f"between {value} and {_as_written(upper)}"
    # "a 20-foot by 44-foot court" is one size (the lead was "20-foot"); not "cut 20% by Friday".
    by = _BY.match(sentence, end)
    other = _AMOUNT.match(sentence, by.end()) if by else None
    if other and cues.MEASURE.search(other.group(0)) and (cues.MEASURE.search(value) or value.isdigit()):
        return f"{value} by {_as_written(other)}"
    # "six to nine percent" is one amount too (the lead was "Nine percent"); not "61 to one abstention".
    if _a_share_or_measure(value):
        return _from_its_start(sentence, start, value)
    to = _TO.match(sentence, end)
    upper = _AMOUNT.match(sentence, to.end()) if to and " " not in value.strip() else None
    if upper and _a_share_or_measure(upper.group(0).strip()):
        return f"{value} to {_as_written(upper)}"
    # "a $500,000 to $1 million item" is one estimate (the lead was "$500,000"); "went up $2 to $20.99" is a change.
    upper_sum = _A_SUM.match(sentence, to.end()) if to and _A_SUM.fullmatch(value) else None
    if upper_sum and not _CHANGED.search(sentence[:start]):
        return f"{value} to {upper_sum.group(0)}"
    return value


_TO = re.compile(r"\s+to\s+")
_BY = re.compile(r"\s*(?:by|x|×)\s*")
_A_SUM = re.compile(r"[$€£¥]\s?\d(?:[\d,.]*\d)?(?:\s*(?:million|billion|trillion|bn)\b)?")
# "went up $2 to $20.99", "from $5 to $10": a change, not a range.
_CHANGED = re.compile(r"\b(?:from|up|down|by|rose|fell|raised|cut|increased|decreased|jumped|dropped)\s+$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_SHARE_IN = re.compile(r"%|\bper\s?cent\b", re.IGNORECASE)
_A_SHARE = re.compile(r"(?:%|\bper\s?cent)$", re.IGNORECASE)


def _as_written(match: re.Match[str]) -> str:
    """An amount as the sentence writes it, without the punctuation after it ("$97,607," is "$97,607")."""
    return match.group(0).strip().rstrip(",.;:")


def _a_share_or_measure(value: str) -> bool:
    return bool(_A_SHARE.search(value) or cues.MEASURE.search(value))


def _from_its_start(sentence: str, start: int, value: str) -> str:
    """``value`` with the number a range starts from, when one comes before it ("six to nine years",
    "between 500,000 and 2 million people": the lead was "2 million people")."""
    low = _RANGE_START.search(sentence[:start])
    if low and not _FROM_BEFORE.search(sentence[: low.start(1)]):  # "rose from 415,000 to 587,000": a change
        return f"{low.group(1)} to {value}"
    return _from_between(sentence, start, value)


def _from_between(sentence: str, start: int, value: str) -> str:
    """``value`` as the top of "between X and ``value``", whole."""
    between = _BETWEEN_START.search(sentence[:start])
    return f"between {between.group(1)} and {value}" if between else value


_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_BETWEEN_START = re.compile(
    rf"\bbetween\s+((?:(?:about|around|roughly|nearly|some)\s+)?(?:[$€£¥]\s?)?(?:\d[\d,.]*|{_NUMBER})"
    r"(?:\s+(?:thousand|million|billion))?)\s+and\s+$",
    re.IGNORECASE,
)
_AND = re.compile(r"\s+and\s+")


# Capitalised words (a headline's first word too), acronyms and "&" names: what a headline names.
_NAMED = re.compile(rf"{cues.UPPER}(?:[^\W\d_]|['’&.-])*[^\W\d_]|\b[A-Z]{{2,}}\b")
# Capitalised in headlines without naming anything (title case, wire-service tags).
_HEADLINE_WORDS = frozenset(
    "the a an in on at of for and or to what why how who when where is are was were after with from as by "
    "full new here this that these things know live update updates latest breaking news video photos opinion "
    "analysis cnn ap reuters".split()
)
_WORD = re.compile(r"[A-Za-z'’&.-]*[A-Za-z]")
HEADLINE_KINDS = ("name", "place", "open")  # kinds whose answer a headline can hold (not a number, a reason, yes/no)


def named(text: str) -> set[str]:
    """The lower-cased capitalised words and acronyms of ``text``, headline filler left out."""
    found = {w.lower().rstrip(".") for w in _NAMED.findall(text)}
    return {w for w in found if w not in _HEADLINE_WORDS}


# A digest's title lists the day's stories ("5 things to know for Sept. 6: Mar-a-Lago, Canada stabbing,
# Britain …"), not the one its paragraph tells: over the train questions, the quiz and XQuAD, 51 answers
# led with one and none of them held the expected answer in the title alone.
_DIGEST = re.compile(r"\bthings to know\b|\blive updates?\b", re.IGNORECASE)


def is_a_digest(title: str) -> bool:
    """Whether ``title`` is a digest's, which lists the day's stories rather than saying what its
    paragraphs are about."""
    return _DIGEST.search(title) is not None


def headline(question: str, kind: str, sentence: str, title: str) -> str:
    """``From “<title>”: `` when the headline names something the question and the sentence do not
    (and the question asks for a name, a place or a thing), else "". A title-case headline's common
    words count only when neither the question nor the sentence uses them, in any case. A digest's
    title ("5 things to know for …") is never quoted."""
    if kind not in HEADLINE_KINDS or not title.strip() or _DIGEST.search(title):
        return ""
    said = {w.lower() for w in _WORD.findall(f"{question} {sentence}")}
    if not {w for w in named(title) if w not in said}:
        return ""
    return f"From “{title.strip()}”: "


def lead(question: str, kind: str, sentence: str, coverage: float) -> str:
    """What goes before the quoted sentence ("" when the sentence should speak for itself)."""
    if kind in ("number", "money", "measure"):
        value = amount(sentence, question)
        return f"{value[0].upper()}{value[1:]}: " if value else ""
    if (
        kind == "yesno"
        and coverage >= YES_NO_COVERAGE
        and not _EITHER_OR.search(question)
        and not goes_the_other_way(sentence, question)
        and not _UNDECIDED.search(sentence)
        and not hedged(sentence, question)
        and states_more_than_names(sentence, question)
        and not someone_else_does_it(sentence, question)
        and not only_a_modal_negates_it(sentence, question)
        and not leaves_out_the_asked_state(sentence, question)
        and not foretells_it(sentence, question)
        and not another_ordinal(sentence, question)
    ):
        if negates_what_was_asked(sentence, question) == cues.negated(question):
            return "Yes. "
        return "" if only_not_then(sentence, question) else "No. "
    return ""


# A question offering two answers is no yes/no question: "did jill biden speak b4 or after ecuadors
# president" was answered "Yes. …"; so was "did the state pass the bill or did the governor block it".
_EITHER_OR = re.compile(
    r"\bor\s+(?:did|do|does|is|are|was|were|will|would|can|could|should|has|have|had)\b(?!\s+(?:not|n['’]t)\b)|"
    r"\b(?:before|b4)\s+or\s+after\b|\bafter\s+or\s+before\b",
    re.IGNORECASE,
)


# A "not" bound to a time before the one asked about: "At the time the footage was posted, on Feb. 20,
# Russia had not invaded Ukraine." answered "Did Russia invade Ukraine?" with "No." (stop 55).
_NOT_THEN = re.compile(
    r"\b(?:had\s+(?:not|never)|hadn['’]t|not\s+yet|yet\s+to|at\s+the\s+time|by\s+then|until\s+then)\b", re.IGNORECASE
)
_ASKS_THEN = re.compile(r"\b(?:had|hadn['’]t|yet|ever|before|by|until|still|already)\b", re.IGNORECASE)


_ORDINAL = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th))\b", re.I
)


def another_ordinal(sentence: str, question: str) -> bool:
    """Whether the question asks "the first …" of a sentence that says another ("is truss the first female
    prime minister" of "…became Britain's third female prime minister" was answered "Yes." until stop 58)."""
    asked = {m.group(0).lower() for m in _ORDINAL.finditer(question)}
    given = {m.group(0).lower() for m in _ORDINAL.finditer(sentence)}
    return bool(asked) and not asked & given and bool(given)


def only_not_then(sentence: str, question: str) -> bool:
    """Whether the sentence's "not" holds only until some time ("had not", "not yet", "at the time") and
    the question asks about no such time: its "No." would deny what happened later."""
    return bool(_NOT_THEN.search(sentence)) and not _ASKS_THEN.search(question)


def states_more_than_names(sentence: str, question: str) -> bool:
    """Whether ``sentence`` holds one of the question's words besides its names: "Did Carter say he
    would do it again?" has no other word that counts ("say", "again" are too common), and "Mr Carter
    was told of the decision late last night", which holds all of it, was answered "Yes." (stop 46)."""
    names = set(features.name_terms(question))
    asked = [t for t in terms(question) if t not in names]
    said = set(terms(sentence))
    return any(features.matches(t, said) for t in asked)


# An active yes/no question about someone: "Did President Biden test positive…?", "Has Goff resigned?".
_ASKED_DOER = re.compile(
    r"^\W*(?i:did|does|do|has|have|had)\s+(?!been\b)"
    r"((?:[A-Z][\w'’.-]*\s+){0,3}?[A-Z][\w'’.-]*?)(?:['’]s)?\s+([a-z][a-z'’-]{2,})\b"
)
DOER_REACH = 6  # words before the asked verb where its doer is named
# A name and the relative clause that tells its deed: "Tom Hale, who resigned over a land deal".
_WHO_DID_IT = re.compile(
    r"(?P<name>[A-Z][\w'’-]+),?\s+who\s+(?:(?:had|has|have|was|were)\s+)?(?:(?:also|later|then|just)\s+)?(?P<verb>[a-z]+)"
)
_PUNCTUATION = "\"'“”‘’,.;:()[]"


def someone_else_does_it(sentence: str, question: str) -> bool:
    """Whether the sentence gives the asked deed to someone else: "Did President Biden test positive for
    Covid after his meeting with the CIA director?" of "CIA Director William Burns tested positive …
    a day after a … meeting that included President Joe Biden" (answered "Yes." until stop 46): the
    asked name comes only after the verb, another name just before it. A sentence that says "he" names
    no one else, and a passive question ("Was Carter expelled?") is not read so."""
    asked = _ASKED_DOER.match(question)
    if not asked:
        return False
    doer = asked.group(1).split()[-1].lower()
    verb = asked.group(2).lower()
    stem = verb[: max(4, len(verb) - 2)]
    # A "<Name>, who resigned" clause gives the deed to that name, wherever the asked name stands: "did
    # liz truss resign" was answered "Yes." by the sentence on her succeeding Johnson (stop 79, rtqa-0569 ¶3).
    if any(
        found.group("verb").lower().startswith(stem) and doer not in found.group("name").lower()
        for found in _WHO_DID_IT.finditer(sentence)
    ):
        return True
    said = sentence.split()
    plain = [w.strip(_PUNCTUATION).lower() for w in said]
    at = next((i for i, w in enumerate(plain) if w.startswith(stem)), None)
    if at is None or any(doer in w for w in plain[:at]) or not any(doer in w for w in plain[at:]):
        return False
    return any(
        word.strip(_PUNCTUATION)[:1].isupper() and plain[i] not in cues.HONORIFICS
        for i, word in enumerate(said[:at])
        if i > 0 and i >= at - DOER_REACH
    )


# "There is no indication as to whether the new deal includes…" says neither yes nor no.
_UNDECIDED = re.compile(r"\b(?:whether|unclear|uncertain|unknown|not (?:yet )?(?:clear|known|decided))\b", re.I)
# Negative words that affirm: "it was no surprise Mr Carter was threatening an appeal" does not say he
# won't appeal; "there is no doubt", "not only … but".
_AFFIRMING = re.compile(
    r"\b(?:no|little|small)\s+(?:surprise|doubt|wonder|secret|question|coincidence|exception)\b|"
    r"\bnot\s+(?:only|just|merely|surprising(?:ly)?)\b|\bnothing\s+but\b|\bno\s+stranger\b|\bwithout\s+(?:doubt|question)\b",
    re.IGNORECASE,
)
# "…no surprise Mr Carter was threatening an appeal" answers "Will Carter appeal?" neither way: a
# threat, a plan or a hope is not the thing done, unless the question asks about it; a possibility
# answers only a question about one ("Could Carter resign…?" of "a real possibility").
_INTENT = re.compile(
    r"\b(?:threat\w*|consider\w*|mull\w*|weigh(?:s|ed|ing)?|plans?|planned|planning|hopes?|hoped|hoping|"
    r"intends?|intended|intending|vow\w*|promis\w*|expect\w*|poised|"
    # …nor is a wish or a demand: "Is the war in Ukraine over?" of "…Zelensky … wants the war in Ukraine
    # to end by the end of 2022" was answered "Yes." (stop 55).
    r"wants?|wanted|wanting|wish\w*|seek\w*|sought|urg(?:e|es|ed|ing)|demand\w*|(?:call|push)(?:s|ed|ing)?\s+for|"
    # …nor an offer ("Did JetBlue buy Spirit?" of "…has made an unsolicited $3.6 billion offer to buy…"), nor
    # a likeness ("Is monkeypox a pandemic?" of "…compared the response to the monkeypox virus with the start
    # of the Covid-19 pandemic") (stop 55).
    r"offer(?:s|ed|ing)?|bids?|bidding|compar\w*|liken\w*|"
    # …nor is an accusation or a claim the thing shown: "Is McAnulty a bully?" of "His statements include
    # accusations that former whip Kieran McAnulty is a bully." was answered "Yes." (stop 54).
    r"accus\w*|alleg\w*|claim\w*)\b",
    re.IGNORECASE,
)
# A "not" before a readiness, whose deed comes words later: "…the Manhattan district attorney said he was
# not prepared to move forward with an indictment" answered "Was Trump indicted?" with "Yes." (stop 55).
_NOT_READY = re.compile(
    r"\b(?:not|n['’]t|never)\s+(?:yet\s+)?(?:prepared|ready|willing|able|going|planning|set|poised|allowed)\s+to\b",
    re.IGNORECASE,
)
# A date aimed at is not the thing done: "Did Artemis launch on August 29?" of "…is targeting liftoff on
# August 29" was answered "Yes." (stop 55).
_AIMED = re.compile(r"\b(?:target(?:s|ed|ing)|aim(?:s|ed|ing)|schedul\w*|slated)\b", re.IGNORECASE)
_POSSIBLE = re.compile(r"\b(?:might|may|could|possibl\w*|possibility|likely|chance)\b", re.IGNORECASE)
# How often is no yes or no: "Is monkeypox deadly?" of a sentence saying its deaths are extremely rare was
# answered "Yes." (stop 77, rtqa-0591 ¶6).
_SELDOM = re.compile(r"\b(?:rare|rarely|seldom|uncommon|infrequent(?:ly)?|occasional(?:ly)?|sometimes)\b", re.I)
# "…that Labour couldn't win next year's election with Mr Goff at the helm" says what cannot or will not
# be, not what was: "Did Labour win the election?" was answered "No." with it (stop 54). A question that
# asks with a modal or about an expectation ("Can Carter appeal?", "Is it expected to win?") is answered by one.
_MODAL_NOT = re.compile(
    r"\b(?:could|would|should|might|must|ca|wo)n['’]?t\b|\b(?:could|would|should|might|must|will|can)\s+not\b|\bcannot\b",
    re.IGNORECASE,
)
_MODAL = re.compile(
    r"\b(?:can|could|will|would|should|might|must|may|ca|wo)(?:n['’]?t)?\b|\bexpect\w*|\blikely\b|\bgoing\s+to\b",
    re.IGNORECASE,
)


# A condition is no fact: "Should I get a second booster?" of "If the person is under 50 and moderately or
# severely immunocompromised, they should also get their second booster." was answered "Yes." (stop 56).
_CONDITION = re.compile(r"^\W*(?:if|unless|only if|provided|as long as)\b", re.IGNORECASE)
_ASKS_A_CONDITION = re.compile(r"\b(?:if|unless)\b", re.IGNORECASE)


def hedged(sentence: str, question: str) -> bool:
    """Whether ``sentence`` only threatens, plans, hopes, accuses or claims what the question asks
    about (a word of intent or of allegation the question does not use), says it under a condition
    the question does not ask about, says it may happen to a
    question that does not ask whether it may, says how seldom it happens ("rare", "sometimes") to a
    question that does not ask how often, or says it through a negative that affirms ("no surprise",
    "no doubt"): its "Yes"/"No" would be a guess."""
    asked = {cues.stem(w.lower()) for w in words(question)}
    return (
        bool(_AFFIRMING.search(sentence))
        or bool(_NOT_READY.search(sentence))
        or bool(_CONDITION.search(sentence) and not _ASKS_A_CONDITION.search(question))
        or bool(_AIMED.search(sentence) and not asks_ahead(question))
        or any(cues.stem(m.group(0).lower()) not in asked for m in _INTENT.finditer(sentence))
        or bool(_POSSIBLE.search(sentence) and not _POSSIBLE.search(question))
        or bool(_SELDOM.search(sentence) and not _SELDOM.search(question))
    )


NEGATION_REACH = 3  # words before one of the question's words that a "not" there negates


def only_a_modal_negates_it(sentence: str, question: str) -> bool:
    """Whether every negation bearing on the question's words (as :func:`negates_what_was_asked` finds
    them) is a modal one ("couldn't win", "will not say"), to a question asked with no modal: "Did
    Roberts vote with the majority…?" of "Roberts did not join the majority, … he would not have
    overturned Roe" is still "No."."""
    if _MODAL.search(question):
        return False
    asked = set(terms(question))
    words = sentence.split()
    modal = plain = False
    for i, word in enumerate(words):
        before = " ".join(words[max(0, i - NEGATION_REACH) : i])
        if set(terms(word)) & asked and cues.NEGATION.search(before):
            if _MODAL_NOT.search(before):
                modal = True
            else:
                plain = True
    return modal and not plain


# What will or may be, said before an asked word: "…and on August 7 the party council will almost
# certainly expel him" does not say the council voted to expel Carter (answered "Yes." until stop 55).
_FORETOLD = re.compile(
    r"\b(?:will|would|could|might|may|shall|going to|set to|expected to|likely to|poised to|about to|"
    r"certainly|probably|almost)\s*$",
    re.IGNORECASE,
)


# A question about what is to come: "Is Putin set to meet Xi?", "is the pane bianco closing for good".
_AHEAD = re.compile(
    r"\b(?:set|due|about|poised|plan\w*|schedul\w*|slated|going)\s+to\b|^\W*(?:is|are|am)\b.*\b[a-z]{3,}ing\b",
    re.IGNORECASE,
)


def asks_ahead(question: str) -> bool:
    """Whether the question asks what will or may be: with a modal, "set to", or "is … -ing"."""
    return bool(_MODAL.search(question) or _AHEAD.search(question))


def foretells_it(sentence: str, question: str) -> bool:
    """Whether a word of the question (not a name) comes in ``sentence`` right after a "will", a
    "could" or an "expected to", to a question that does not ask ahead: a forecast is no "Yes"/"No"
    to what happened or is so."""
    if asks_ahead(question):
        return False
    names = set(features.name_terms(question))
    asked = {t for t in terms(question) if t not in names}
    said = sentence.split()
    for i, word in enumerate(said):
        found = set(terms(word))
        if found and any(features.matches(t, found) for t in asked):
            before = " ".join(w.strip(_PUNCTUATION) for w in said[max(0, i - NEGATION_REACH) : i])
            if _FORETOLD.search(before):
                return True
    return False


def negates_what_was_asked(sentence: str, question: str) -> bool:
    """Whether a negation in ``sentence`` bears on the question's words: within three words before
    one of them ("Roberts did not join the majority" for "Did Roberts vote with the majority…?"),
    not anywhere ("Sununu, whose decision not to challenge Hassan…, called Bolduc…" does call him)."""
    asked = set(terms(question))
    words = sentence.split()
    return any(
        set(terms(word)) & asked and cues.NEGATION.search(" ".join(words[max(0, i - NEGATION_REACH) : i]))
        for i, word in enumerate(words)
    )


# A yes/no question whose last word is the state asked about: "Is the matter with Sharma over?", "Is the
# deal off?", "Is the power back on yet?". That word is a stop word, so the question's other words
# ("matter", "Sharma") can all be in a sentence that says nothing of it: "As Dr Sharma was suspended, he
# had to wait outside for his expulsion matter to be called." was answered "Yes." (stop 55).
_ASKED_STATE = re.compile(
    r"^\W*(?:is|are|was|were|has|have|had|will)\b.*?\b(?P<state>over|off|on|back|out|up|down|done|through|finished)"
    r"(?:\s+(?:yet|now|already|again|for good|then|or not))?\W*$",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"\b(?:when|after|before|if|because|while|since|until|that|who|which|where)\b", re.IGNORECASE)
# Words that state each of those: the short ones whole ("out", not "outside"), the others by their stem's
# start, as the sentence's words are matched. A bare "on" is in most sentences, so only what says it is on.
_STATES = {
    "over": ("over", "end", "finish", "conclud", "resolv", "settl", "close", "done", "complet"),
    "done": ("done", "end", "finish", "conclud", "resolv", "settl", "close", "over", "complet"),
    "finished": ("finish", "end", "conclud", "over", "done", "complet"),
    "through": ("through", "pass", "approv", "end", "finish", "complet"),
    "off": ("off", "cancel", "scrap", "drop", "abandon", "suspend", "postpon", "halt"),
    "on": ("back on", "turned on", "switched on", "go ahead", "going ahead", "resum", "restor", "continu", "proceed"),
    "back": ("back", "return", "restor", "resum", "reopen"),
    "out": ("out", "releas", "free", "left", "leav", "remov", "expel", "ous", "fired", "quit", "resign"),
    "up": ("up", "ris", "rose", "increas", "climb", "higher", "open"),
    "down": ("down", "fell", "fall", "drop", "lower", "declin", "clos", "shut"),
}
_WHOLE = frozenset({"over", "done", "through", "off", "back", "out", "up", "down", "ended", "end", "left", "free"})


def leaves_out_the_asked_state(sentence: str, question: str) -> bool:
    """Whether the question asks about a state its last word names ("…over?", "…off?", "…back on?")
    and the sentence has no word that states it: its "Yes"/"No" would answer only the question's topic."""
    question = question.strip()
    asked = _ASKED_STATE.match(question)
    if asked is None or _CLAUSE.search(question[: asked.start("state")]):
        return False  # "…tested positive when it shut down?": the state is the clause's, not the question's
    said = " ".join(words(sentence))
    return not any(
        re.search(rf"\b{re.escape(start)}\b" if start in _WHOLE else rf"\b{re.escape(start)}", said)
        for start in _STATES[asked.group("state").lower()]
    )


_UP = frozenset(
    "rise rose risen rising rises increase increased increases increasing grow grew grown growing grows gain "
    "gained gains up higher climb climbed climbs climbing soar soared soaring jump jumped surge surged".split()
)
_DOWN = frozenset(
    "fall fell fallen falling falls drop dropped drops dropping decrease decreased decreases decreasing decline "
    "declined declines declining shrink shrank shrunk down lower plummet plummeted plummeting plunge plunged "
    "slump slumped sink sank tumble tumbled dip dipped".split()
)


def goes_the_other_way(sentence: str, question: str) -> bool:
    """Whether the sentence moves the other way from the question ("Did homeownership … go up?" of
    "homeownership has plummeted"): its words coverage cannot tell "Yes" from "No" then, so the
    sentence is quoted without either."""
    asked, said = set(words(question)), set(words(sentence))
    for way, other in ((_UP, _DOWN), (_DOWN, _UP)):
        if asked & way and not asked & other and said & other and not said & way:
            return True
    return False


# A sentence that opens with a pronoun or a demonstrative, or names "this/these/such <thing>" early,
# refers back. "This year", "this week" point at time, not at the previous sentence.
_OPENS_BACK = re.compile(
    r"^\W*(?:(?:however|but|and|also|still|yet|instead|meanwhile|so|thus|then|eventually|as such),?\s+)?"
    r"(?:this|these|that|those|it|its|they|their|them|such|both|the latter|the former|all of (?:this|these|them)|"
    r"he|his|she|her)\b(?!\s+(?:year|week|month|morning|afternoon|evening|weekend|season|time|summer|spring|"
    r"fall|autumn|winter|day|days|decade|century)\b)",
    re.IGNORECASE,
)
_NAMES_BACK = re.compile(
    r"^(?:\W*\S+){0,6}?\s(?:this|these|such)\s+(?!(?:year|week|month|morning|afternoon|evening|weekend|season|"
    r"time|summer|spring|fall|autumn|winter|day|days|decade|century)\b)[a-z]",
    re.IGNORECASE,
)


def leans_back(sentence: str) -> bool:
    """Whether ``sentence`` refers to the one before it ("They also won…", "…uses this network type")."""
    return bool(_OPENS_BACK.match(sentence) or _NAMES_BACK.match(sentence))
