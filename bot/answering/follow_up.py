"""Follow-up questions: turn "when was he elected?" into a question that stands on its own.

A question is a follow-up only when it leans on the conversation (:func:`refers_back`): it has
a pronoun ("when was he elected?"), starts "and …" / "what about …", or has at most one word of
its own ("why?", "how much was the fine"). Anything else stands alone, however it is typed: people
in a chat write "was sharma kicked out" in lowercase, and that is a new question, not one about
whoever the last answer named.

Offline, the rewrite puts the newest fitting name of the conversation (questions and answers)
where the follow-up has a pronoun, turns a bare "why?" into the previous question asked why, or
adds the name to a follow-up that names nobody; retrieval then prefers the articles the previous
answers cited. With an LLM configured, the chain uses the usual condense-question prompt instead
(:mod:`bot.answering.llm`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answering.cues import UPPER
from bot.answering.genders import fits_pronoun, is_first_name

_PRONOUNS = {
    "he": "{}",
    "she": "{}",
    "him": "{}",
    "her": "{}'s",
    "his": "{}'s",
    "hers": "{}'s",
    "they": "{}",
    "them": "{}",
    "their": "{}'s",
    "it": "{}",
    "its": "{}'s",
}
_QUESTION_WORDS = {
    "who",
    "what",
    "when",
    "where",
    "why",
    "how",
    "which",
    "whom",
    "whose",
    "did",
    "does",
    "do",
    "is",
    "are",
    "was",
    "were",
    "can",
    "could",
    "will",
    "would",
    "should",
    "has",
    "have",
    "had",
    "the",
    "a",
    "an",
    "in",
    "on",
    "and",
    "mr",
    "mrs",
    "ms",
    "dr",
}
# Words that say nothing of what a question is about: a question made only of these and at most
# one other word ("how much was the fine", "what happened next") needs the conversation's subject.
_EMPTY_WORDS = _QUESTION_WORDS | set(_PRONOUNS) | set(
    "about after again also any anything be been being by come did done else exactly for from get got go "
    "going happen happened happens it's much many more next not now of or out say said so still that "
    "then there this to too up what's with you".split()
)
# "when did that happen?", "why did it happen", "where did this take place", "what happened next":
# the follow-up asks about the event the previous question was about, not about a name in its answer.
_HAPPENING = {"happen", "happened", "happens", "occur", "occurred", "occurs"}
_TAKE_PLACE = re.compile(r"\b(?:take|took|taken|taking) place\b", re.IGNORECASE)


def _plain_words(question: str) -> list[str]:
    """The question's words, with "take place" read as "happen"."""
    return _words(_TAKE_PLACE.sub("happen", question))


_LEANS_BACK = re.compile(r"^\s*(?:and|but|so|what about|how about)\b", re.IGNORECASE)
_AUXILIARIES = {
    "did", "does", "do", "is", "are", "was", "were", "can", "could", "will", "would", "should", "has",
    "have", "had",
}  # fmt: skip
_WH = {"who", "what", "when", "where", "why", "how", "which"}
_NAME = re.compile(rf"\b(?:{UPPER}[\w'’-]+)(?:\s+(?:{UPPER}[\w'’-]+|of|de|van|von|al))*")


# Capitalised only because they open a sentence: "As Dr Sharma was suspended…" names Sharma.
_SENTENCE_OPENERS = set(
    "as after although at because before but by during for from if in meanwhile on since so that the "
    "then there these this those though to under until when while with yet "
    # Pronouns open sentences too: "His statements include…" names nobody called His.
    "he she it they we you his her its their our your my him them us me "
    # …and so do sentence adverbs: "However, Mr Little told NZPA…" names Little, not However.
    "however also earlier later instead indeed still now today yesterday asked speaking "
    # …and so do words that stand for nobody in particular: "Nothing was said" names nobody called Nothing.
    "nothing something anything everything nobody somebody anybody everybody none".split()
)
# A participle opening a sentence is no name: "Ordered to apologise, he…", "Speaking on Tuesday, …"
# (only alone and at a sentence's start: "Reading" inside a sentence may be the town).
_PARTICIPLE_OPENER = re.compile(r"(?:^|[.!?:;\"“”]\s*)([A-Z][a-z]{3,}(?:ed|ing))$")
_NOT_NAMES = set(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday i i've i'm i'd i'll i’ve i’m i’d i’ll".split()
)
# A title inside a run of capitalised words starts the name: "Rogue Labour MP Dr Gaurav Sharma" is
# Gaurav Sharma (and a person), not an organisation because "Labour" is in the run.
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "mp", "sir", "dame", "prof", "rev"}
# Office words before a name are no part of it: "she" after "…said Prime Minister Jacinda Ardern" is
# Jacinda Ardern, and a follow-up asked of "Prime Minister Jacinda Ardern" leans on the sentence that
# names her office rather than the one that answers.
_OFFICES = set(
    "prime minister president vice governor gov sen senator rep representative secretary speaker mayor "
    "judge justice chief coach general gen chancellor premier deputy commissioner director chairman chair "
    "ceo king queen prince princess pope officer sheriff detective sergeant captain attorney former acting "
    "interim finance foreign health defence defense education transport treasury".split()
)
# A name with one of these words is an organisation or a place, not someone "he" or "she" can be.
_NOT_PEOPLE = set(
    "party council parliament government ministry labour national committee association union company "
    "house court police gallery press caucus club league church university school department office "
    "board group news herald times post city new zealand wellington auckland australia".split()
)
def names_in(text: str) -> list[str]:
    """Capitalised names in ``text`` in order of appearance, without question words, titles
    ("Mr", "MP") or a possessive "'s"; months, weekdays and "I" are not names."""
    names = []
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        while words and (
            words[0].lower() in _QUESTION_WORDS or words[0].lower() in _SENTENCE_OPENERS or words[0].isupper()
        ):
            words = words[1:]
        while words and words[-1].lower() in {"of", "de", "van", "von", "al"}:
            words = words[:-1]
        titled = [i for i, word in enumerate(words[:-1]) if word.lower().rstrip(".") in _TITLES]
        if titled:
            words = words[titled[-1] + 1 :]
        while len(words) > 1 and words[0].lower().rstrip(".") in _OFFICES:
            words = words[1:]
        name = re.sub(r"['’]s$", "", " ".join(words))
        if " " not in name and _PARTICIPLE_OPENER.search(text[: match.start()] + name) and not is_first_name(name):
            continue
        if name and name.lower() not in _NOT_NAMES and name not in names:
            names.append(name)
    return names


def main_name(question: str) -> str | None:
    """The longest capitalised name in a question, skipping its question word."""
    names = names_in(question)
    if not names:
        return None
    return max(names, key=lambda n: (len(n.split()), len(n)))


def is_person(name: str) -> bool:
    """Whether ``name`` can be "he" or "she": no organisation or place word in it."""
    return not any(word.lower() in _NOT_PEOPLE for word in name.split())


_IMPERSONAL = {"true", "possible", "likely", "right", "correct", "fair", "legal", "over", "raining"}


def _pronoun_at(tokens: Sequence[str], i: int) -> bool:
    """Whether ``tokens[i]`` (words and the runs between them) is a pronoun that stands for someone:
    the "it" of "is it true that…" stands for nothing."""
    word = tokens[i].lower()
    if word not in _PRONOUNS:
        return False
    return not (word == "it" and i + 2 < len(tokens) and tokens[i + 2].lower() in _IMPERSONAL)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9][a-z0-9'’-]*", text.lower())


def _few_words_of_its_own(question: str) -> bool:
    """At most one word besides question words and fillers: "for how long", "which electorate"."""
    return sum(word not in _EMPTY_WORDS | _HAPPENING for word in _plain_words(question)) <= 1


# "who is sharma?": asks who someone is, whatever was asked before. With one word of its own it leaned
# back, and mid-conversation became "who is sharma (why was carter expelled)?", answered about Carter.
_WHO_IS_SOMEONE = re.compile(
    r"^\W*(?:who|whom)\s+(?:is|was|'s|’s)\s+(?P<who>[^\W\d_][\w'’.-]*)[\s?.!]*$", re.IGNORECASE
)


def refers_back(question: str) -> bool:
    """Whether ``question`` leans on the conversation: a pronoun, an opening "and …" or "what
    about …", or at most one word of its own besides question words and fillers ("who is sharma"
    names whom it asks about: it stands alone)."""
    tokens = re.split(r"(\W+)", question)
    if any(_pronoun_at(tokens, i) for i in range(len(tokens))) or _LEANS_BACK.match(question):
        return True
    someone = _WHO_IS_SOMEONE.match(question)
    if someone and someone.group("who").lower() not in _EVENT_WORDS | {"there", "that", "this"}:
        return False
    return _few_words_of_its_own(question)


def _beside(question: str, last_question: str) -> str:
    """``question`` with what the last question was about beside it, the form every follow-up that
    leans on the last question takes: "why (what happened to sharma)?"."""
    return f"{question.strip().rstrip('?.! ')} ({_event_of(last_question)})?"


# A follow-up that is only a question word with its preposition or measure ("for how long?", "until
# when?", "since when", "by whom?"): it asks the previous question again that way.
_WH_FRAGMENT = re.compile(
    r"^\W*(?:(?:for|until|till|since|from|to|by|with)\s+)?"
    r"(?:how\s+(?:long|often|far|soon|old)|when|where|whom|who|why|how|what\s+time)"
    r"(?:\s+(?:exactly|then))?[\s?.!]*$",
    re.IGNORECASE,
)


def _only_question_words(question: str) -> bool:
    """Whether ``question`` is a question word and nothing of its own: "why?", "how come", "why
    would he?"."""
    words = _words(question)
    extra = {"come", "so", "exactly", "then", "not"}
    if len(words) > 1 and words[1] in _AUXILIARIES:  # "why would he?", "how did they?"
        extra |= _AUXILIARIES | set(_PRONOUNS)
    return bool(words) and words[0] in _WH and all(w in _WH | extra for w in words)


def only_asks_back(question: str) -> bool:
    """Whether ``question`` is only a question word ("why?", "how come", "since when?"): a follow-up
    with nothing of its own, which asks nothing without an earlier question."""
    return _only_question_words(question) or bool(_WH_FRAGMENT.match(question))


def _opens_a_question(text: str) -> bool:
    """Whether ``text`` starts as a question of its own: a question word or an auxiliary first."""
    words = _words(text)
    return bool(words) and (words[0] in _WH or words[0] in _AUXILIARIES)


def _bare_question_word(question: str, last_question: str) -> str | None:
    """A bare "why?" after "When was Carter expelled?" → "why was Carter expelled?"; after a question
    not so shaped ("what happened to sharma"), "why (what happened to sharma)?". None unless the
    follow-up is only question words ("why", "how come", "when exactly") or a question word with its
    preposition or measure: "for how long?" after "Where did Carter make his case?" asks "for how long
    did Carter make his case?" (he made it "for four hours"), which retrieval and the answer step can
    read; "for how long (Where did Carter make his case)?" was answered with where."""
    if not (_WH_FRAGMENT.match(question) or _only_question_words(question)):
        return None
    asking, asked = question.strip().rstrip("?.! "), last_question.strip().rstrip("?.! ")
    head = _words(asked)[:2]
    if set(_words(asking)) & (_AUXILIARIES | {"not"}):  # "why would he?", "why not?": beside it, not spliced in
        return _beside(asking, last_question)
    if head and head[0] in _AUXILIARIES:
        return f"{asking} {asked[:1].lower()}{asked[1:]}?"  # "until when will Carter stay on?"
    if len(head) == 2 and head[0] in _WH - {"who"} and head[1] in _AUXILIARIES:  # not "why was expelled"
        return f"{asking} {asked.split(None, 1)[1]}?"
    # "why?" after "what happened to sharma": the question it leans on, not a name from its answer.
    return _beside(asking, last_question)


_EVENT_WORDS = {"that", "this", "it"}
_PEOPLE_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "they", "them", "their"}


def _asks_about_an_event(question: str) -> bool:
    """Whether ``question`` asks about an event it does not name: no words of its own, no person
    by pronoun ("when did he say that" is about him), and "happen", "take place", a question word
    with "that/this/it" ("when was that"), or only "and then?" / "what next?"."""
    words = _plain_words(question)
    if not words or any(w not in _EMPTY_WORDS | _HAPPENING for w in words) or _PEOPLE_PRONOUNS & set(words):
        return False
    said = set(words)
    what_next = said <= {"and", "so", "then", "what", "next", "after", "that"} and bool(
        {"then", "next"} & said or {"after", "that"} <= said
    )
    return bool(_HAPPENING & set(words) or (_EVENT_WORDS & set(words) and words[0] in _WH) or what_next)


def _event_of(question: str) -> str:
    """What ``question`` is about, without an earlier follow-up's wrapping: the event of "why did it
    happen (who was expelled from labour)?" and of "why (who was expelled from labour)?" is "who was
    expelled from labour"."""
    wrapped = re.fullmatch(r"(.*?) \((.*)\)\?", question.strip())
    if wrapped and (
        _asks_about_an_event(wrapped.group(1))
        or _only_question_words(wrapped.group(1))
        or _few_words_of_its_own(wrapped.group(1))  # "for how long (where did Carter make his case)?"
    ):
        return _event_of(wrapped.group(2))
    return question.strip().rstrip("?.! ")


def _about_the_last_event(question: str, last_question: str) -> str | None:
    """A follow-up about the previous question's event: "when did that happen" after "who was
    expelled from labour" → "when did that happen (who was expelled from labour)?", so that retrieval
    and the answer step see what happened; a third "where did it take place" asks about the same
    event, not about the second question. None unless :func:`_asks_about_an_event`."""
    if not _asks_about_an_event(question):
        return None
    return _beside(question, last_question)


_PREPOSITIONS = {"about", "on", "for", "with", "to", "in", "at", "from", "against", "over"}
_ASKS_THE_SAME = re.compile(r"^\s*(?:and|what about|how about)\s+(?P<about>.+?)[\s?.!]*$", re.IGNORECASE)


def _same_question_about(question: str, previous: Sequence[str], last_question: str) -> str | None:
    """The previous question asked of someone else: "and carter?" after "what happened to sharma"
    → "what happened to carter?", its subject (a name it used, or one of the earlier answers' names
    typed in lower case) swapped for the one the follow-up gives; with no subject to swap, the
    previous question with the new one beside it. None unless the follow-up is "and …", "what
    about …" or "how about …" with words of its own ("and then?" has none)."""
    match = _ASKS_THE_SAME.match(question)
    if not match or _opens_a_question(match["about"]):
        return None
    if not [w for w in _words(match["about"]) if w not in _EMPTY_WORDS]:
        return None
    about, asked = match["about"], last_question.strip().rstrip("?.! ")
    preposition = about.split(maxsplit=1)[0].lower()
    if preposition in _PREPOSITIONS:
        # "and about Carter's behaviour?" after "What did Goff say about the council's decision?"
        # swaps the phrase, not the subject: "What did Goff say about Carter's behaviour?"
        phrase = re.search(rf"\b{preposition}\b.*$", asked, re.IGNORECASE)
        return f"{asked[: phrase.start()]}{about}?" if phrase else f"{asked} ({about})?"
    spoken = {w for text in previous for name in names_in(text) for w in _words(name)}
    subjects = names_in(asked) or [w for w in re.findall(r"[\w'’-]+", asked) if w.lower() in spoken]
    # "what did goff say (why was carter expelled)": the words before the brackets are what was asked
    # last, so "and sharma?" swaps Goff, not Carter of the earlier question beside it.
    outer = asked.split(" (", 1)[0]
    asked_last = [s for s in subjects if re.search(rf"\b{re.escape(s)}\b", outer)]
    ordered = sorted(asked_last, key=len, reverse=True) + sorted(
        (s for s in subjects if s not in asked_last), key=len, reverse=True
    )
    for subject in ordered:
        swapped = re.sub(rf"\b{re.escape(subject)}\b", about, asked, count=1)
        if swapped != asked:
            return f"{swapped}?"
    return f"{asked} ({about})?"


def _a_name_alone(question: str, previous: Sequence[str]) -> str | None:
    """The name a follow-up of one word is ("Carter?", or "carter" when the conversation wrote
    "Carter"), else None: a lower-case word the conversation never capitalised may be anything."""
    words = re.findall(r"[^\W\d_][\w'’-]*", question)
    if len(words) != 1 or words[0].lower() in _EMPTY_WORDS:
        return None
    word = words[0]
    spoken = {w.lower() for text in previous for name in names_in(text) for w in _words(name)}
    return word if word[:1].isupper() or word.lower() in spoken else None


WHO_QUESTION = re.compile(r"^\s*(?:who|whom|whose)\b", re.IGNORECASE)


def _newest_first(previous: Sequence[str]) -> list[tuple[str, str]]:
    """The conversation's texts newest first, each with the who-question it answers ("" if none):
    :meth:`bot.conversation.Conversation.previous_questions` puts a who-question before its answer."""
    return [
        (text, previous[i - 1] if i > 0 and WHO_QUESTION.match(previous[i - 1]) else "")
        for i, text in reversed(list(enumerate(previous)))
    ]


def _answering_first(names: list[str], text: str, asked_who: str) -> list[str]:
    """An answer's names, the one it gives for its who-question first: "Who was the finance
    spokesman Carter mentioned?" → "Mr Carter … his letter said finance spokesman David Cunliffe…"
    answers with David Cunliffe (the name after a word of the question), not Carter (whom the
    question already named)."""
    if not asked_who:
        return names
    asked = set(_words(asked_who)) - _EMPTY_WORDS
    if asked and any(asked <= set(_words(name)) for name in names_in(asked_who)):
        # "Who is David Cunliffe?" asks about him: "he" next is David Cunliffe, whoever the answer names first.
        return sorted(names, key=lambda name: not set(_words(name)) <= set(_words(asked_who)))

    def titled(name: str) -> bool:  # "leader Phil Goff", "party president Andrew Little"
        before = _words(text[: text.find(name)])[-2:]
        return bool(asked & set(before))

    def named_by_question(name: str) -> bool:
        return set(_words(name)) <= set(_words(asked_who))

    return sorted(names, key=lambda name: (not titled(name), named_by_question(name)))


def named_as_a_place(name: str, texts: Sequence[str]) -> bool:
    """Whether ``texts`` use ``name`` as a place: "stand in Te Atatu", "the MP for Te Atatu" (not "in
    Carter's view", nor "a letter from Carter")."""
    place = re.compile(
        rf"\b(?:in|at|near|MP\s+for|member\s+for|seat\s+of|mayor\s+of)\s+{re.escape(name)}\b(?!['’]s)", re.IGNORECASE
    )
    return any(place.search(text) for text in texts)


def _subject(previous: Sequence[str], own: set[str], wants_person: bool, pronoun: str) -> str | None:
    """The newest name of the conversation that the follow-up does not name itself and that can be
    ``pronoun`` (a person for "he"/"she"; of the right gender when the conversation says)."""
    for text, asked_who in _newest_first(previous):
        for name in _answering_first(names_in(text), text, asked_who):
            if own & set(_words(name)):
                continue
            if wants_person and (not is_person(name) or named_as_a_place(name, previous)):
                continue
            if pronoun and not fits_pronoun(name, pronoun, previous):
                continue
            return name
    return None


_GROUP_NOUNS = (
    "council|party|caucus|government|police|committee|board|court|jury|panel|team|company|firm|union|"
    "ministry|department|agency|administration|parliament|congress|senate|authorities|officials|"
    "protesters|protestors|colleagues|mps|members|voters|residents|workers|staff|students|parents|doctors|"
    "players|fans|leaders|lawmakers|senators|judges|investigators|prosecutors|critics|supporters|family|"
    "organisers|organizers|scientists|researchers|regulators|journalists|reporters|media|people"
)
# "the council", "his colleagues", "Sharma's former colleagues", "the party's national council",
# "Labour MPs": the group a "they" stands for. A capitalised word may lead a plural ("Labour MPs"),
# not a verb ("did the council").
_GROUP = re.compile(
    rf"\b(?:(?:the|his|her|their|its|[\w’']+['’]s)\s+(?:[\w-]+['’]s\s+)?(?:(?!{'|'.join(_AUXILIARIES)}\b)[a-z-]+\s+)?"
    rf"|(?:(?-i:[A-Z])[\w-]+\s+))(?:{_GROUP_NOUNS})\b",
    re.IGNORECASE,
)
_PLURAL_PRONOUNS = {"they", "them", "their"}
# Words of a name that make it an organisation "they" can stand for ("Labour", "the Labour Party").
_ORGANISATION_WORDS = _NOT_PEOPLE - set("city new zealand wellington auckland australia news herald times post".split())


def group_in(question: str) -> str | None:
    """The group or organisation ``question`` names, which a following "they" stands for: "the
    council" of "y did the council expel carter", "Labour" of "Why did Labour expel Carter?"."""
    if match := _GROUP.search(question):
        words = match.group(0).split()
        if words[0].lower() in {"his", "her", "their", "its"}:  # "his colleagues": whose is not known here
            words[0] = "the"
        return " ".join(words)
    return next(
        (name for name in names_in(question) if any(w.lower() in _ORGANISATION_WORDS for w in name.split())),
        None,
    )


def rewrite_follow_up(question: str, previous: Sequence[str], last_question: str = "") -> str:
    """A standalone version of ``question`` given earlier texts of the conversation (newest last).

    The subject is the newest name in ``previous`` that the follow-up does not name itself: "What
    did he say about Carter's actions?" cannot mean Carter. "he", "she", "him", "his" and "her"
    take only people, so after "Who is the Labour Party president?" answered with "Andrew Little
    said…", "he" is Andrew Little, not the Labour Party. ``last_question`` (the previous turn's
    standalone question) is what a bare "why?" asks about. A question that does not
    :func:`refers_back` is returned as asked.
    """
    if (whole := _LEANS_BACK.sub("", question, count=1).strip()) != question.strip() and _opens_a_question(whole):
        # "and what did she say after the expulsion?" is that question, leaning back only by its pronoun.
        question = whole
    if not refers_back(question):
        return question
    if last_question and (bare := _bare_question_word(question, last_question)):
        return bare
    if last_question and (event := _about_the_last_event(question, last_question)):
        return event
    if last_question and (same := _same_question_about(question, previous, last_question)):
        return same
    if last_question and (name := _a_name_alone(question, previous)):
        # "Carter?" after "why was Sharma expelled": the last question asked of Carter, as "and Carter?"
        # is; it was "Carter (why was Sharma expelled)?", answered about Sharma.
        return _same_question_about(f"and {name}", previous, last_question) or question
    tokens = re.split(r"(\W+)", question)
    pronouns = [i for i in range(len(tokens)) if _pronoun_at(tokens, i)]
    people = [i for i in pronouns if tokens[i].lower() not in {"it", "its"}]
    if not people and last_question:
        # "which electorate?", "who abstained?" (next to no words of their own) and "why didn't it
        # work" ("it" is the thing or event last asked about) ask about what the last question
        # asked about ("When was Chris Carter first elected"), not about a name ("which electorate
        # (Chris Carter)?", "why didn't Carter work").
        return _beside(question, last_question)
    plural = [i for i in people if tokens[i].lower() in _PLURAL_PRONOUNS]
    if plural:
        # "they" is a group the last question named, "wat were they lookin for from him" after "y did
        # the council expel carter" → "the council" (Carter is "him"); with no group named, a "he"
        # or "she" beside it is the one to resolve, and "they" stays.
        group = group_in(last_question) if last_question else None
        named = set(_words(group or "")) - _EMPTY_WORDS  # "did the council hear them": not the council
        if group and not named & {re.sub(r"['’]s$", "", w) for w in _words(question)}:
            for i in plural:
                tokens[i] = _PRONOUNS[tokens[i].lower()].format(group)
            people = [i for i in people if i not in plural]
            if not people:
                return "".join(tokens)
            question = "".join(tokens)
        elif len(plural) < len(people):
            people = [i for i in people if i not in plural]
    pronoun = people[0] if people else (pronouns[0] if pronouns else None)
    wants_person = pronoun is not None and tokens[pronoun].lower() in {"he", "she", "him", "his", "her", "hers"}
    # Lowercase too: "what did carter's lawyer say" names Carter.
    own = {re.sub(r"['’]s$", "", word) for word in _words(question)}
    said = tokens[pronoun] if pronoun is not None else ""
    # A name the conversation shows to be a man is no "she" (and a woman no "he"). When every name is
    # ruled out so, the pronoun stands for someone not named yet; with no last question to lean on,
    # its gender is set aside rather than the follow-up left unresolved.
    subject = _subject(previous, own, wants_person, said)
    if not subject and said and last_question and _subject(previous, own, wants_person, ""):
        # Everyone named is of the other gender ("she" after a conversation about Andrew Little):
        # the pronoun means someone the conversation has not named; keep it, beside the last question.
        return _beside(question, last_question)
    subject = subject or _subject(previous, own, wants_person, "")
    if not subject:
        return question
    if pronoun is not None:
        tokens[pronoun] = _PRONOUNS[tokens[pronoun].lower()].format(subject)
        return "".join(tokens)
    if main_name(question) is None and len(question.split()) <= 8:
        return f"{question.rstrip('?. ')} ({subject})?"
    return question
