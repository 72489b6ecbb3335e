"""Follow-up questions: turn "when was he elected?" into a question that stands on its own.

Offline, the rewrite puts the newest fitting name of the conversation (questions and answers)
where the follow-up has a pronoun, or adds it when the follow-up names nobody; retrieval also
prefers the articles the previous answers cited. With an LLM configured, the service uses the
usual condense-question prompt instead. The REPL and Discord threads both keep a Conversation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.answering.answer import Answer

MAX_TURNS = 6
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


@dataclass(frozen=True)
class Turn:
    question: str
    standalone: str
    answer: Answer


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
_WHO = re.compile(r"^\s*(?:who|whom|whose)\b", re.IGNORECASE)
_MARKER = re.compile(r"\s*\[\d+\]")


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


@dataclass
class Conversation:
    """Recent turns of one conversation (a REPL session or a Discord thread)."""

    turns: list[Turn] = field(default_factory=list)

    def previous_questions(self) -> list[str]:
        """What a follow-up may refer to, oldest first: each turn's standalone question and its
        answer's words (grounded answers only).

        The question comes after its answer (so it wins), except for "who" questions: their
        answer names the person asked about, which is whom the next "he" means.
        """
        previous: list[str] = []
        for turn in self.turns[-MAX_TURNS:]:
            said = _MARKER.sub("", turn.answer.text)[:400] if turn.answer.grounded else ""
            texts = [turn.standalone, said] if _WHO.match(turn.standalone) else [said, turn.standalone]
            previous.extend(text for text in texts if text)
        return previous

    def cited_articles(self) -> list[str]:
        """Articles the recent answers cited, newest first: retrieval prefers them for follow-ups."""
        seen: list[str] = []
        for turn in reversed(self.turns[-MAX_TURNS:]):
            for citation in turn.answer.citations:
                if citation.article_id not in seen:
                    seen.append(citation.article_id)
        return seen

    def history_text(self) -> str:
        return "\n".join(f"Q: {t.standalone}\nA: {t.answer.text}" for t in self.turns[-MAX_TURNS:])

    def add(self, answer: Answer) -> None:
        self.turns.append(Turn(answer.question, answer.standalone_question or answer.question, answer))
        del self.turns[:-MAX_TURNS]

    def restore(self, answers: list[Answer]) -> None:
        """Put earlier answers (oldest first) before the current turns: a thread after a restart."""
        self.turns[:0] = [Turn(a.question, a.standalone_question or a.question, a) for a in answers]
        del self.turns[:-MAX_TURNS]

    def clear(self) -> None:
        self.turns.clear()

    @property
    def last(self) -> Answer | None:
        return self.turns[-1].answer if self.turns else None
