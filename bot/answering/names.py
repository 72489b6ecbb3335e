"""The names a question uses, read against the names the archive holds.

A question about someone the archive never names cannot be answered from it, however close a
sentence comes ("Sean Hannity" asked of the sample articles); a question typed in lower case names
people all the same ("did liz truss resign", "why did labour expel carter"); and a typo of a name is
still that name ("balenicaga"). These rules read the question's names (cased, recased from the
retrieved paragraphs, or typed as a first name and a surname) and say whether the archive holds
them; :class:`bot.answering.extractive.ExtractiveAnswerer` abstains when it does not.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence

from bot.answering import cues, features, genders, roles
from corpus import Paragraph
from retrieval.spelling import MIN_LENGTH, correct, correct_all, english_words, max_edits, near, other_spellings
from retrieval.text import STOPWORDS, stems, terms, words

_NAME_RUN = re.compile(rf"{cues.UPPER}(?:{cues.LETTER}|\.)+(?:\s+{cues.UPPER}(?:{cues.LETTER}|\.)+)*")
_INNER_CAPITALISED = re.compile(rf"(?<=[\w,;:’'\"”)] ){cues.UPPER}{cues.LETTER}+")
_LOWER_CASE_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")
# A month or a weekday is a name whatever the retrieved paragraphs write: "during the august 2018
# earthquake" names a month as "during the August 2018 earthquake" does, though no paragraph says
# "August". Not "may" and "march", which are words too.
_CALENDAR_NAMES = frozenset(
    "january february april june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def absent_names(question: str, frequency: Mapping[str, int], paragraphs: Iterable[Paragraph]) -> list[str]:
    """The names the question uses that no paragraph of the archive holds: "Sean Hannity", "Sununu"
    asked of an archive without them. The archive cannot answer such a question, whatever sentence
    comes closest: asked of the four sample articles, 13 of 186 news questions got a confident
    answer about a New Zealand MP, through a shared "David" or "January" (2 once most names absent
    means no answer; docs/quality.md, stop 37). A name
    is not spelling-corrected into a common word ("Sean" → "seat", "Princess" → "process"): it is a
    typo only when it is a few letters from a name in the retrieved paragraphs ("Zelenskyy",
    "ARPNET")."""
    return absent_terms(features.name_terms(question), frequency, paragraphs)


def absent_terms(names: Sequence[str], frequency: Mapping[str, int], paragraphs: Iterable[Paragraph]) -> list[str]:
    """The name terms of ``names`` that no paragraph of the archive holds, nor a name a few letters
    from them in the retrieved paragraphs (:func:`absent_names`)."""
    unknown = [t for t in dict.fromkeys(names) if not frequency.get(t)]
    if not unknown:
        return []
    in_paragraphs = {t for p in paragraphs for t in features.name_terms(". " + p.text)}
    return [t for t in unknown if not near(t, in_paragraphs)]


_FIRST_NAMES = genders.FEMALE_NAMES | genders.MALE_NAMES
# "Jackson Mahomes": a first name and a surname, as a question names a person.
_FULL_NAME = re.compile(rf"\b({cues.UPPER}{cues.LETTER}+)\s+({cues.UPPER}{cues.LETTER}+)\b")


def a_namesake_only(question: str, paragraphs: Iterable[Paragraph]) -> bool:
    """Whether the question names a person ("Jackson Mahomes") whom no paragraph names, while the
    paragraphs name another person of that surname, by another first name ("Patrick Mahomes"): then
    the stories found are the namesake's. "how did jackson mahomes get in trouble" was answered by a
    pitcher's trouble in a game, from a story that mentions Patrick Mahomes (stop 79, rtqa-1489 ¶37):
    both names are in the archive, so no name counted as absent."""
    texts = [f"{p.title}. {p.text}" for p in paragraphs]
    for first, surname in _FULL_NAME.findall(question):
        if first.lower() not in _FIRST_NAMES:
            continue  # "President Biden", "Coach Reid": a title, not the name of another person
        asked = re.compile(rf"\b{re.escape(first)}\s+{re.escape(surname)}\b", re.IGNORECASE)
        if any(asked.search(text) for text in texts):
            continue
        others = re.compile(rf"\b([A-Z][a-z]+)\s+{re.escape(surname)}\b")
        if any(
            other.lower() in _FIRST_NAMES and other.lower() != first.lower()
            for text in texts
            for other in others.findall(text)
        ):
            return True
    return False


# First names that are also common lower-case words ("will", "mark", "grace") or places ("georgia": "how
# hot did it get in macon georgia durng the heat wave" lost its answer, stop 79): in a lower-case question
# they name nobody.
_FIRST_NAMES_AS_WORDS = frozenset(
    "amber april bill bob crystal daisy dawn dean don earl ed faith frank grace guy hazel heather holly "
    "hope hunter iris jack jade joy june lily mark may nick penny ray rob rose sue victor will "
    "charlotte chelsea florence georgia lorraine madison regina troy victoria virginia".split()
)
_TYPED_WORD_CASED = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def typed_surnames(question: str) -> list[str]:
    """The terms of the surnames a question typed in lower case gives after a first name: "did liz
    truss resign" names Liz Truss, though "truss" is an English word that the rule for unknown
    lower-case words (:func:`unknown_words_in_lower_case`) leaves alone; it was answered from the sample
    articles by a sentence about Carter's resigning (stop 79). The surname tells the person: a first
    name is shared ("why did david depape say…" is not about David Parker), and it is read as typed,
    as the names the archive holds are recased ("David")."""
    typed = _TYPED_WORD_CASED.findall(question)  # as typed: a held first name may have been recased
    found = [
        term
        for first, surname in itertools.pairwise(typed)
        if first.lower() in _FIRST_NAMES - _FIRST_NAMES_AS_WORDS and surname.islower() and surname not in STOPWORDS
        for term in terms(surname)
    ]
    return list(dict.fromkeys(found))


def mostly_absent(names: Sequence[str], absent: Sequence[str]) -> bool:
    """Whether most of the question's ``names`` are ``absent`` from the archive, so that it cannot be about
    the archive's stories. One absent name of two is often a typo the corrector cannot place
    ("Sentanta Sports", "Graham Twigg" where the article says only "Twigg"): on XQuAD, abstaining
    whenever any name was absent lost 18 right answers of 1,190."""
    return len(absent) * 2 > len(set(names))


def mostly_unplaced(question: str, frequency: Mapping[str, int], vocabulary: list[str]) -> bool:
    """Whether most of the question's longer words (two at least) are in no article and are no typo
    of a word that is: "why is iran cutting off the intenet during the mahsa amini protests", typed
    in lower case, names nothing the name rule can check. Over the sample articles this left 1 of
    351 news train questions answered instead of 9, and none of the sample's dev or seed questions changed;
    over the news archive, which holds nearly every word, it changed nothing (docs/quality.md,
    stop 37). One such word is not enough: "What is septicemia?" over XQuAD's "septicemic plague"."""
    words = [t for t in dict.fromkeys(terms(question)) if len(t) >= MIN_LENGTH]
    unplaced = [t for t in words if not frequency.get(t) and correct(t, frequency, vocabulary) == t]
    return len(unplaced) >= 2 and len(unplaced) * 2 > len(words)


def unknown_words_in_lower_case(
    question: str, frequency: Mapping[str, int], vocabulary: list[str], paragraphs: Iterable[Paragraph]
) -> list[str]:
    """The terms of a question typed all in lower case that no article holds, that are no typo of a
    word one does (however rare, if the retrieved paragraphs write it: "ableine" for Abilene) and no
    English word: the names the archive lacks, as :func:`absent_names` finds them in a cased
    question. "why was rushdie attacked" named nothing the name rule could check and quoted an attack
    on Paul Pelosi, where "Why was Rushdie attacked?" was not answered (stop 56)."""
    if question != question.lower():
        return []
    typed = [w for w in dict.fromkeys(words(question)) if len(w) >= MIN_LENGTH and w.isalpha()]
    known = english_words()
    found = [t for w, t in zip(typed, stems(typed), strict=True) if w not in known and t not in STOPWORDS]
    unknown = [t for t in dict.fromkeys(found) if not frequency.get(t) and correct(t, frequency, vocabulary) == t]
    if not unknown:
        return []
    written = {t for p in paragraphs for t in terms(p.text)}
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    return [
        t for t in unknown if process.extractOne(t, written, scorer=OSA.distance, score_cutoff=max_edits(t) + 1) is None
    ]


def held_names_in_lower_case(question: str, paragraphs: Iterable[Paragraph]) -> list[str]:
    """The question's words that are names in the retrieved paragraphs, however the question types
    them: "carter" in "whats the reason carter got kicked out". A word the paragraphs also use in
    lower case is a common word inside a name ("university"), and so is a name's first word ("new" of
    "New Zealand"): over the sample articles, counting those answered 2 more of 351 questions about
    other stories."""
    texts = [p.text for p in paragraphs]
    # A name's last word, as people shorten it ("carter" for Chris Carter); not "new" of New Mexico.
    named = {t for text in texts for run in _NAME_RUN.findall(text) for t in terms(run.split()[-1])}
    common = set(terms(" ".join(w for text in texts for w in _LOWER_CASE_WORD.findall(text))))
    return [t for t in dict.fromkeys(terms(question)) if t in named and t not in common]


# A title the articles capitalise only before a name ("Prime Minister Jacinda Ardern") is no name a
# question asks about: "what did the prime minister say about carter", recased, named the prime
# minister, and Ardern's words about Sharma were its answer from a story that never names Carter.
_TITLE_WORDS = frozenset(roles.ROLE_WORDS.split("|")) | {"prime", "deputy"}


def archive_names(paragraphs: Sequence[Paragraph]) -> frozenset[str]:
    """The words ``paragraphs`` use as names, in lower case: capitalised after a sentence's first word
    and never written in lower case."""
    texts = [p.text for p in paragraphs]
    capitalised = {w.lower() for text in texts for w in _INNER_CAPITALISED.findall(text)}
    common = {w.lower() for text in texts for w in _LOWER_CASE_WORD.findall(text)}
    return frozenset(capitalised - common)


_FIRST_WORD = re.compile(r"^\W*([^\W\d_][\w-]*)")


def first_word_is_a_name(question: str, paragraphs: Sequence[Paragraph]) -> bool:
    """Whether the question's first word is a name by the paragraphs' use of it, as a word after the
    first is by its capital. Chats put the story first: "buchanan county flood shelter how many people
    are staying there now", recased "Buchanan county…", named nothing and was answered from a shelter
    in Florida. The capital alone does not tell ("Construction takes place on location for who?")."""
    first = _FIRST_WORD.match(question)
    if first is None or not first.group(1)[0].isupper():
        return False
    word = first.group(1).lower()
    return word not in features.OPENERS and word in archive_names(paragraphs)


def recase_names(question: str, paragraphs: Sequence[Paragraph]) -> str:
    """A question typed all in lower case with the retrieved paragraphs' names capitalised: "why did
    labour expel carter" → "why did Labour expel Carter" ("sharmas job", a possessive typed without its
    apostrophe, → "Sharma's job"; not "news", an English word, where "New" is a name), so that the
    answer step's name features (the names a sentence's paragraph and article must hold) read it as
    they read a cased question.
    A name here is a word the paragraphs capitalise after a sentence's first word and never write in
    lower case."""
    if not question or question != question.lower():
        return question
    names = (archive_names(paragraphs) | _CALENDAR_NAMES) - _TITLE_WORDS

    def cased(match: re.Match[str]) -> str:
        word = match.group(0)
        if word not in names and word.endswith("s") and word[:-1] in names and word not in english_words():
            return f"{word[:1].upper()}{word[1:-1]}'s"
        return word[:1].upper() + word[1:] if word in names else word

    return _LOWER_CASE_WORD.sub(cased, question)


_TYPED_WORD = re.compile(r"(?<![\w'’-])[a-z]{4,}(?![\w-])")


def respell(question: str, paragraphs: Sequence[Paragraph], frequency: Mapping[str, int], vocabulary: list[str]) -> str:
    """The question with each lower-case word the archive never uses written as the retrieved
    paragraphs write the word the spelling corrector takes it for: "why did balenicaga cut ties with
    kanye west" → "…balenciaga…", "how much do wrndy's french toast sticks cost" → "…wendy's…". The
    keyword search already reads typos so; the answer step's readers and name features did not, and one
    typo cost answers the same question typed without it got (docs/quality.md, stop 49). Only words the
    paragraphs at hand hold are written in: a correction none of them uses changes nothing; and an
    English word is left as typed, though the archive may never use it ("in response" is not "in
    responded" over the sample articles)."""
    surfaces: dict[str, set[str]] = {}

    def respelt(match: re.Match[str]) -> str:
        typed = match.group(0)
        found = terms(typed)
        if not found:
            return typed
        if found[0] not in frequency:
            # "did carter apologize" of articles that write "apologise": the archive's spelling of the word,
            # however few paragraphs use it (it is the same word, not a guess at a typo).
            for other in other_spellings(typed):
                if frequency.get(next(iter(terms(other)), "")):
                    return other
        if found[0] in frequency or typed in english_words():
            return typed
        meant = correct(found[0], frequency, vocabulary)
        if meant == found[0]:
            return typed
        if not surfaces:
            for paragraph in paragraphs:
                written = words(paragraph.text)
                for word, stem in zip(written, stems(written), strict=True):
                    surfaces.setdefault(stem, set()).add(word)
        from rapidfuzz.distance import OSA

        options = sorted(surfaces.get(meant, ()), key=lambda w: (OSA.distance(typed, w), w))
        return options[0] if options and OSA.distance(typed, options[0]) <= max_edits(typed) + 1 else typed

    return _TYPED_WORD.sub(respelt, question)


def not_in_the_archive(
    question: str, paragraphs: Sequence[Paragraph], frequency: Mapping[str, int], vocabulary: list[str]
) -> bool:
    """Whether the question is about something no article holds, by its names (see
    :func:`mostly_absent`, :func:`a_namesake_only`, :func:`typed_surnames`) or, when it names nothing
    the archive holds, by its words (see :func:`mostly_unplaced`); ``paragraphs`` are the retrieved ones,
    ``frequency`` and ``vocabulary`` the archive's terms."""
    names = features.name_terms(question)
    if mostly_absent(names, absent_names(question, frequency, paragraphs)):
        return True
    if a_namesake_only(question, paragraphs):
        return True
    # A function word's typo ("durng") is no surname.
    if absent_terms(correct_all(typed_surnames(question), frequency, vocabulary), frequency, paragraphs):
        return True
    if any(frequency.get(t) for t in names):
        return False
    # A name typed in lower case ("whats the reason carter got kicked out") is still a name the
    # archive holds: the paraphrase's other words ("reason", "kicked") may be in no article.
    held = held_names_in_lower_case(question, paragraphs)
    unknown = unknown_words_in_lower_case(question, frequency, vocabulary, paragraphs)
    if unknown and mostly_absent([*held, *unknown], unknown):
        return True
    if held:
        return False
    return mostly_unplaced(question, frequency, vocabulary)
