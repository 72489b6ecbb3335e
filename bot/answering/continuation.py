""""Tell me more": the story the last answer cited, carried on from where it stopped.

In a chat, "tell me more", "go on" or "what else?" after an answer asks for the rest of that story,
not for a fact. Read as a question it has no words to look for, and the reply was "The articles
don't say". Here it is answered with the next paragraph of the last answer's story that the
conversation has not shown yet (a byline or a caption is passed over), cited like any answer; asked
again, it goes on to the one after, and at the story's end it says so. With no earlier answer it is
asked as a question like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.answering.answer import Answer, Citation, neutralise_markers
from bot.answering.features import reads_as_a_sentence
from bot.answering.sentences import sentence_spans
from corpus import Paragraph

__all__ = ["MORE_OF", "continuation"]

MORE_OF = "more of “"  # how a "tell me more" turn is understood: "more of “<the story>”" (no question)
LOOK_AHEAD = 6  # paragraphs after the last shown one searched for one that reads as a sentence
MAX_SENTENCES = 3


def continuation(
    question: str,
    last: Answer,
    shown: Iterable[tuple[str, int]],
    paragraph: Callable[[str, int], Paragraph | None],
) -> Answer | None:
    """The next paragraph of the story ``last`` cited (its first citation's article, after the latest
    paragraph of it the conversation has ``shown``); "that is all" at the story's end; None when
    ``last`` cited nothing."""
    cited = last.citations or last.related
    if not cited:
        return None
    article = cited[0].article_id
    seen = {number for article_id, number in shown if article_id == article}
    number = max(seen | {cited[0].paragraph})
    for following in range(number + 1, number + 1 + LOOK_AHEAD):
        found = paragraph(article, following)
        if found is None:
            break
        if following in seen or not reads_as_a_sentence(found.text):
            continue
        sentences = [found.text[a:b] for a, b in sentence_spans(found.text)][:MAX_SENTENCES] or [found.text]
        return Answer(
            question=question,
            text=neutralise_markers(" ".join(sentences)) + " [1]",
            citations=(Citation.of(1, found, sentences[0]),),
            grounded=True,
            standalone_question=f"{MORE_OF}{found.label}”",
        )
    # The story ends here (or holds only captions and bylines further on): say so, rather than
    # asking "tell me more" as a question, which no paragraph answers.
    return Answer(
        question=question,
        text=f"That is all “{cited[0].label}” says; ask a question to go on.",
        standalone_question=f"{MORE_OF}{cited[0].label}”",
    )
