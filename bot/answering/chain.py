"""The answering chain as LCEL runnables: question → standalone question → paragraphs → Answer.

The input is a :class:`ChainInput`. The standalone step rewrites follow-ups (the offline rule of
:mod:`bot.answering.follow_up`, or the LLM's condense prompt); the retriever is the hybrid
LangChain retriever; the answer step is any :class:`Answerer` (extractive or LLM).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol, Required, TypedDict, cast

from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda, RunnablePassthrough

from bot.answering.answer import Answer
from bot.answering.follow_up import refers_back, rewrite_follow_up
from retrieval.hybrid import Hit, hit_of


class ChainInput(TypedDict, total=False):
    """One question for the chain; only ``question`` is required."""

    question: Required[str]
    history: str  # earlier turns as "Q: …\nA: …" lines (the LLM's condense and answer prompts)
    previous: list[str]  # earlier questions and answers, oldest first: the offline rewrite's names
    last_question: str  # the previous turn's standalone question: what a bare "why?" asks about
    as_of: dt.date | None  # answer as the archive stood that day
    prefer_articles: list[str]  # articles earlier answers cited, preferred for a follow-up (refers_back)


class Answerer(Protocol):
    """The answer step: retrieved hits (best first) in, a cited :class:`Answer` out.

    ``standalone`` is the question as the retriever saw it (a rewritten follow-up); ``history`` is
    the conversation so far, for answerers that can use it.
    """

    def answer(
        self, question: str, paragraphs: Sequence[Hit], /, standalone: str = "", history: str = ""
    ) -> Answer: ...


Condense = Callable[[str, str], str]
"""``condense(question, history)``: a follow-up rewritten as a question that stands alone."""


def build_chain(
    retriever: BaseRetriever, answerer: Answerer, condense: Condense | None = None
) -> Runnable[ChainInput, Answer]:
    """Compose the chain; ``condense`` replaces the offline rewrite when given."""

    def standalone(inputs: dict[str, Any]) -> str:
        question: str = inputs["question"]
        if not inputs.get("previous"):
            return question
        if condense is not None:
            return condense(question, inputs.get("history", ""))
        return rewrite_follow_up(question, inputs["previous"], inputs.get("last_question", ""))

    def documents(inputs: dict[str, Any], config: RunnableConfig) -> list[Document]:
        # Only a follow-up leans on the articles already cited: "was sharma kicked out", asked
        # after an answer about Carter, is a new question.
        prefer = (inputs.get("prefer_articles") or ()) if refers_back(inputs["question"]) else ()
        extra = {"prefer_articles": tuple(prefer)} if prefer else {}
        return retriever.invoke(inputs["standalone"], config, as_of=inputs.get("as_of"), **extra)

    def respelt(inputs: dict[str, Any], config: RunnableConfig) -> dict[str, Any]:
        # A typo the answer step reads as the retrieved paragraphs write the word ("why was cartr
        # expeled" → "why was carter expelled?") is searched again so, and shown as understood: the
        # same question typed with and without it then gets the same paragraphs.
        spell = getattr(answerer, "respelt", None)
        if spell is None:
            return inputs
        text = spell(inputs["standalone"], [hit_of(d) for d in inputs["documents"]])
        if text == inputs["standalone"]:
            return inputs
        return {**inputs, "standalone": text, "documents": documents({**inputs, "standalone": text}, config)}

    def answer(inputs: dict[str, Any]) -> Answer:
        hits = [hit_of(d) for d in inputs["documents"]]
        return answerer.answer(
            inputs["question"], hits, standalone=inputs["standalone"], history=inputs.get("history", "")
        )

    chain = (
        RunnablePassthrough.assign(standalone=RunnableLambda(standalone))
        | RunnablePassthrough.assign(documents=RunnableLambda(documents))
        | RunnableLambda(respelt)
        | RunnableLambda(answer)
    ).with_config(run_name="newsbot_answer")
    # LCEL types the steps' dicts as dict[str, Any]; the chain's input is the TypedDict above.
    return cast("Runnable[ChainInput, Answer]", chain)
