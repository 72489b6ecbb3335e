"""The answering chain as LCEL runnables: question → standalone question → paragraphs → Answer.

Input: ``{"question": str, "history": str, "previous": list[str], "as_of": date | None,
"prefer_articles": list[str]}`` (the articles earlier answers cited, preferred for a follow-up).
The standalone step rewrites follow-ups (offline rule, or the LLM's condense prompt); the
retriever is the hybrid LangChain retriever; the answer step is the extractive or LLM answerer.
"""

from __future__ import annotations

from typing import Any, Protocol

from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda, RunnablePassthrough

from bot.answering.answer import Answer
from bot.conversation import rewrite_follow_up
from retrieval.hybrid import hit_of


class Answerer(Protocol):
    def answer(self, question: str, paragraphs: Any, standalone: str = "", **kwargs: Any) -> Answer: ...


def build_chain(
    retriever: BaseRetriever, answerer: Any, condense: Any | None = None
) -> Runnable[dict[str, Any], Answer]:
    """Compose the chain; ``condense(question, history)`` replaces the offline rewrite when given."""

    def standalone(inputs: dict[str, Any]) -> str:
        if not inputs.get("previous"):
            return inputs["question"]
        if condense is not None:
            return condense(inputs["question"], inputs.get("history", ""))
        return rewrite_follow_up(inputs["question"], inputs["previous"])

    def documents(inputs: dict[str, Any], config: RunnableConfig) -> list[Any]:
        prefer = inputs.get("prefer_articles") or ()
        extra = {"prefer_articles": tuple(prefer)} if prefer else {}
        return retriever.invoke(inputs["standalone"], config, as_of=inputs.get("as_of"), **extra)

    def answer(inputs: dict[str, Any]) -> Answer:
        hits = [hit_of(d) for d in inputs["documents"]]
        extra = {"history": inputs.get("history", "")} if condense is not None else {}
        return answerer.answer(inputs["question"], hits, standalone=inputs["standalone"], **extra)

    return (
        RunnablePassthrough.assign(standalone=RunnableLambda(standalone))
        | RunnablePassthrough.assign(documents=RunnableLambda(documents))
        | RunnableLambda(answer)
    ).with_config(run_name="newsbot_answer")
