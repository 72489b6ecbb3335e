"""Follow-up questions: turn "when was he elected?" into a question that stands on its own.

Offline, the rewrite puts the newest fitting name of the conversation (questions and answers)
where the follow-up has a pronoun, or adds it when the follow-up names nobody; retrieval also
prefers the articles the previous answers cited. With an LLM configured, the chain uses the
usual condense-question prompt instead (:mod:`bot.answering.llm`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
_NAME = re.compile(r"\b(?:[A-Z][\w'’-]+)(?:\s+(?:[A-Z][\w'’-]+|of|de|van|von|al))*")


_NOT_NAMES = set(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday i".split()
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
        while words and (words[0].lower() in _QUESTION_WORDS or words[0].isupper()):
            words = words[1:]
        while words and words[-1].lower() in {"of", "de", "van", "von", "al"}:
            words = words[:-1]
        name = re.sub(r"['’]s$", "", " ".join(words))
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


def rewrite_follow_up(question: str, previous: Sequence[str]) -> str:
    """A standalone version of ``question`` given earlier texts of the conversation (newest last).

    The subject is the newest name in ``previous`` that the follow-up does not name itself: "What
    did he say about Carter's actions?" cannot mean Carter. "he", "she", "him", "his" and "her"
    take only people, so after "Who is the Labour Party president?" answered with "Andrew Little
    said…", "he" is Andrew Little, not the Labour Party.
    """
    tokens = re.split(r"(\W+)", question)
    pronoun = next((i for i, token in enumerate(tokens) if token.lower() in _PRONOUNS), None)
    wants_person = pronoun is not None and tokens[pronoun].lower() in {"he", "she", "him", "his", "her", "hers"}
    own = {word.lower() for name in names_in(question) for word in name.split()}
    subject = None
    for text in reversed(previous):
        for name in names_in(text):
            if own & {word.lower() for word in name.split()}:
                continue
            if wants_person and not is_person(name):
                continue
            subject = name
            break
        if subject:
            break
    if not subject:
        return question
    if pronoun is not None:
        tokens[pronoun] = _PRONOUNS[tokens[pronoun].lower()].format(subject)
        return "".join(tokens)
    if main_name(question) is None and len(question.split()) <= 8:
        return f"{question.rstrip('?. ')} ({subject})?"
    return question
