"""Follow-up questions: turn "when was he elected?" into a question that stands on its own.

Offline, the rewrite puts the main name of the previous question where the follow-up has a
pronoun, or adds it when the follow-up names nobody. With an LLM configured, the service uses the
usual condense-question prompt instead. The REPL and Discord threads both keep a Conversation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.answer import Answer

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


def main_name(question: str) -> str | None:
    """The longest capitalised name in a question, skipping its question word."""
    names = []
    for match in _NAME.finditer(question):
        words = match.group(0).split()
        while words and (words[0].lower() in _QUESTION_WORDS or words[0].isupper()):
            words = words[1:]
        while words and words[-1].lower() in {"of", "de", "van", "von", "al"}:
            words = words[:-1]
        if words:
            names.append(" ".join(words))
    if not names:
        return None
    name = max(names, key=lambda n: (len(n.split()), len(n)))
    return re.sub(r"['’]s$", "", name)


def rewrite_follow_up(question: str, previous: Sequence[str]) -> str:
    """A standalone version of ``question`` given earlier standalone questions (newest last)."""
    subject = next((name for q in reversed(previous) if (name := main_name(q))), None)
    if not subject:
        return question
    tokens = re.split(r"(\W+)", question)
    for i, token in enumerate(tokens):
        template = _PRONOUNS.get(token.lower())
        if template:
            tokens[i] = template.format(subject)
            return "".join(tokens)
    if main_name(question) is None and len(question.split()) <= 8:
        return f"{question.rstrip('?. ')} ({subject})?"
    return question


@dataclass
class Conversation:
    """Recent turns of one conversation (a REPL session or a Discord thread)."""

    turns: list[Turn] = field(default_factory=list)

    def previous_questions(self) -> list[str]:
        """Earlier standalone questions, oldest first; the last answer's first sentence comes last,
        so "he" can refer to the person the last answer was about when the question named nobody."""
        previous = [t.standalone for t in self.turns[-MAX_TURNS:]]
        if self.turns and self.turns[-1].answer.grounded and not main_name(previous[-1]):
            previous.append(self.turns[-1].answer.text.split(" [")[0])
        return previous

    def history_text(self) -> str:
        return "\n".join(f"Q: {t.standalone}\nA: {t.answer.text}" for t in self.turns[-MAX_TURNS:])

    def add(self, answer: Answer) -> None:
        self.turns.append(Turn(answer.question, answer.standalone_question or answer.question, answer))
        del self.turns[:-MAX_TURNS]

    def clear(self) -> None:
        self.turns.clear()

    @property
    def last(self) -> Answer | None:
        return self.turns[-1].answer if self.turns else None
