"""A conversation: the recent turns a follow-up may refer to (a REPL session or a Discord thread).

What a follow-up's pronoun stands for is decided by :mod:`bot.answering.follow_up` from the texts
:meth:`Conversation.previous_questions` gives it; retrieval prefers :meth:`Conversation.cited_articles`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answering.answer import Answer
from bot.answering.continuation import MORE_OF
from bot.answering.follow_up import WHO_QUESTION
from bot.answering.names import recase_names
from bot.answering.overview import LATEST_STORIES
from corpus import Paragraph

MAX_TURNS = 6


@dataclass(frozen=True)
class Turn:
    question: str
    standalone: str
    answer: Answer


_MARKER = re.compile(r"\s*\[\d+\]")


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
            asked = _with_names_cased(turn.standalone, turn.answer) if _asked(turn.standalone) else ""
            texts = [asked, said] if WHO_QUESTION.match(asked) else [said, asked]
            previous.extend(text for text in texts if text)
        return previous

    def last_question(self) -> str:
        """The latest question as it was understood (its standalone form), or "". A story told ("tell
        me more", "what's new?") asked none: after "tell me more", "who is sharma" was rewritten "who is
        sharma (more of “Chris Carter will be a lonely MP…”)?"; the question before it is the one meant."""
        return next((t.standalone for t in reversed(self.turns) if _asked(t.standalone)), "")

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


def _asked(standalone: str) -> bool:
    """Whether a turn asked a question (not "tell me more" or "what's new?", which tell a story)."""
    return not standalone.startswith(MORE_OF) and standalone != LATEST_STORIES


def _with_names_cased(question: str, answer: Answer) -> str:
    """A question typed in lower case with the names its answer's paragraphs capitalise cased
    ("what did ardern say about sharma" → "what did Ardern say about Sharma"), so that a follow-up's
    "him" can stand for Sharma: a lower-case word is no name to the rewrite."""
    paragraphs = [
        Paragraph(c.article_id, c.paragraph, c.paragraph_text)
        for c in (*answer.citations, *answer.related)
        if c.paragraph_text
    ]
    return recase_names(question, paragraphs)
