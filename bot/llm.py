"""The optional LLM answerer, and the check that keeps its citations honest.

A model may cite paragraph numbers it was never shown, or none at all. Every ``[n]`` in its reply
must name a retrieved paragraph; unknown markers are removed, and a reply left with no valid
citation becomes the abstention (or the extractive answer, by ``llm_fallback``). Quotes shown to
users are always cut from the stored paragraph, never taken from the model's text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.answer import Answer, Citation, abstention
from bot.sentences import sentence_spans
from config.errors import LLMUnavailableError
from prompts import answer_prompt, condense_prompt
from retrieval.hybrid import Hit, paragraphs_of
from retrieval.store import StoredParagraph
from retrieval.text import terms

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.answering.extractive import ExtractiveAnswerer
    from config import Settings

_MARKER_GROUP = re.compile(r"\[(\s*\d+(?:\s*[,;]\s*\d+)*\s*)\]")
_NOT_FOUND = "NOT_FOUND"


def make_chat_model(settings: Settings) -> BaseChatModel:
    """The configured LangChain chat model (OpenAI-compatible endpoint or Ollama)."""
    if settings.answerer == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            model=settings.llm_model,
            base_url=settings.llm_base_url or None,
            temperature=0,
            client_kwargs={"timeout": settings.llm_timeout_s},
        )
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url or None,
        api_key=key,
        temperature=0,
        timeout=settings.llm_timeout_s,
        max_retries=1,
    )


def _invoke(model: BaseChatModel, prompt: Any, values: dict[str, str], where: str) -> str:
    try:
        reply = (prompt | model).invoke(values)
    except Exception as exc:
        if _is_outside_failure(exc):
            raise LLMUnavailableError(f"The LLM endpoint {where} did not answer: {_short(exc)}") from exc
        raise
    content = reply.content if hasattr(reply, "content") else reply
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content).strip()


def _is_outside_failure(exc: BaseException) -> bool:
    names = " ".join(cls.__name__ for cls in type(exc).__mro__)
    return any(
        word in names
        for word in (
            "Connection",
            "Timeout",
            "APIStatusError",
            "AuthenticationError",
            "ResponseError",
            "HTTPError",
            "APIError",
        )
    )


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:200] + "…") if len(text) > 200 else text or exc.__class__.__name__


def numbered(paragraphs: Sequence[StoredParagraph]) -> str:
    return "\n\n".join(f"[{i}] ({p.label}, paragraph {p.number}) {p.text}" for i, p in enumerate(paragraphs, 1))


def best_quote(paragraph: StoredParagraph, claim: str) -> str:
    """The sentence of the stored paragraph that shares most words with the model's claim."""
    spans = sentence_spans(paragraph.text) or [(0, len(paragraph.text))]
    claim_terms = set(terms(claim))
    start, end = max(spans, key=lambda span: len(claim_terms & set(terms(paragraph.text[span[0] : span[1]]))))
    return paragraph.text[start:end]


def validate(question: str, reply: str, paragraphs: Sequence[StoredParagraph], standalone: str = "") -> Answer | None:
    """Keep only markers that name a retrieved paragraph; None when no valid citation is left."""
    if not reply or reply.strip().upper().startswith(_NOT_FOUND):
        return None
    order: list[int] = []

    def renumber(match: re.Match[str]) -> str:
        kept = []
        for raw in re.split(r"[,;]", match.group(1)):
            n = int(raw)
            if 1 <= n <= len(paragraphs):
                if n not in order:
                    order.append(n)
                kept.append(f"[{order.index(n) + 1}]")
        return "".join(kept)

    text = _MARKER_GROUP.sub(renumber, reply)
    text = re.sub(r"\s+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    if not order:
        return None
    citations = []
    for new_n, old_n in enumerate(order, start=1):
        paragraph = paragraphs[old_n - 1]
        claim = " ".join(s for s in re.split(r"(?<=[.!?])\s+", text) if f"[{new_n}]" in s) or text
        citations.append(Citation.of(new_n, paragraph, best_quote(paragraph, claim)))
    return Answer(
        question=question,
        text=text,
        citations=tuple(citations),
        grounded=True,
        standalone_question=standalone or question,
    )


class LLMAnswerer:
    """Answers with a chat model, then validates its citations against the retrieved paragraphs."""

    def __init__(self, model: BaseChatModel, where: str, fallback: ExtractiveAnswerer | None = None) -> None:
        self.model = model
        self.where = where
        self.fallback = fallback

    def answer(
        self, question: str, paragraphs: Sequence[Hit | StoredParagraph], standalone: str = "", history: str = ""
    ) -> Answer:
        query = standalone or question
        paragraphs = paragraphs_of(paragraphs)
        if not paragraphs:
            return abstention(question, query)
        reply = _invoke(
            self.model,
            answer_prompt(),
            {"question": query, "paragraphs": numbered(paragraphs), "history": history or "(none)"},
            self.where,
        )
        checked = validate(question, reply, paragraphs, query)
        if checked is not None:
            return checked
        if self.fallback is not None:
            return self.fallback.answer(question, paragraphs, standalone=query)
        return abstention(question, query)

    def condense(self, question: str, history: str) -> str:
        if not history:
            return question
        rewritten = _invoke(self.model, condense_prompt(), {"history": history, "question": question}, self.where)
        rewritten = rewritten.strip().strip('"').splitlines()[0].strip() if rewritten.strip() else ""
        return rewritten or question
