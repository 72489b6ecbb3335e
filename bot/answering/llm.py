"""The optional LLM answerer, and the check that keeps its citations honest.

A model may cite paragraph numbers it was never shown, or none at all. Every ``[n]`` in its reply
must name a retrieved paragraph; unknown markers are removed, and a reply left with no valid
citation becomes the abstention (or the extractive answer, by ``llm_fallback``). Quotes shown to
users are always cut from the stored paragraph, never taken from the model's text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import SecretStr

from bot.answering.answer import Answer, Citation, abstention
from bot.answering.sentences import sentence_spans
from config.errors import LLMUnavailableError, class_names
from corpus import Paragraph
from prompts import answer_prompt, condense_prompt
from retrieval.hybrid import Hit, paragraphs_of
from retrieval.text import terms

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.prompts import ChatPromptTemplate

    from bot.answering.extractive import ExtractiveAnswerer
    from config import Settings

log = logging.getLogger("newsbot.llm")

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

    key = settings.llm_api_key or SecretStr("not-needed")
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url or None,
        api_key=key,
        temperature=0,
        timeout=settings.llm_timeout_s,
        max_retries=1,
    )


def _invoke(
    model: BaseChatModel, prompt: ChatPromptTemplate, values: dict[str, str], where: str, secrets: Sequence[str] = ()
) -> str:
    try:
        reply = (prompt | model).invoke(values)
    except Exception as exc:
        if _is_outside_failure(exc):
            # Users (and a Discord channel) see a category; the endpoint's own words can echo the key
            # and name internal hosts, so only the log gets them, with secrets redacted.
            log.warning("LLM endpoint %s failed: %s", redact(where, secrets), redact(_short(exc), secrets))
            raise LLMUnavailableError(f"The LLM endpoint {_category(exc)}.") from exc
        raise
    content = reply.content if hasattr(reply, "content") else reply
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content).strip()


_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
_KEY_LIKE = re.compile(r"\b(?:sk|pk|rk|key|tok)-[A-Za-z0-9_\-]{6,}|(?i:bearer)\s+\S+")


def redact(text: str, secrets: Sequence[str] = ()) -> str:
    """``text`` with the given secrets, ``user:key@`` in URLs and key-shaped words replaced by ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return _KEY_LIKE.sub("***", _USERINFO.sub("***@", text))


def _category(exc: BaseException) -> str:
    """What went wrong, in words that carry nothing from the endpoint's reply."""
    names = " ".join(class_names(exc))
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    if status in (401, 403) or "AuthenticationError" in names or "PermissionDenied" in names:
        return "refused the key (check NEWSBOT_LLM_API_KEY)"
    if "Timeout" in names:
        return "did not answer in time (NEWSBOT_LLM_TIMEOUT_S)"
    if "Connection" in names or "ConnectError" in names:
        return "did not answer: it could not be reached (check NEWSBOT_LLM_BASE_URL)"
    if status == 429:
        return "is limiting requests; try again later"
    if status == 404:
        return "does not know this model or path (check NEWSBOT_LLM_MODEL and NEWSBOT_LLM_BASE_URL)"
    return f"returned an error{f' (HTTP {status})' if isinstance(status, int) else ''}"


def _is_outside_failure(exc: BaseException) -> bool:
    names = " ".join(class_names(exc))
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


def numbered(paragraphs: Sequence[Paragraph]) -> str:
    return "\n\n".join(f"[{i}] ({p.label}, paragraph {p.number}) {p.text}" for i, p in enumerate(paragraphs, 1))


def best_quote(paragraph: Paragraph, claim: str) -> str:
    """The sentence of the stored paragraph that shares most words with the model's claim."""
    spans = sentence_spans(paragraph.text) or [(0, len(paragraph.text))]
    claim_terms = set(terms(claim))
    start, end = max(spans, key=lambda span: len(claim_terms & set(terms(paragraph.text[span[0] : span[1]]))))
    return paragraph.text[start:end]


def validate(question: str, reply: str, paragraphs: Sequence[Paragraph], standalone: str = "") -> Answer | None:
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

    def __init__(
        self,
        model: BaseChatModel,
        where: str,
        fallback: ExtractiveAnswerer | None = None,
        secrets: Sequence[str] = (),
    ) -> None:
        self.model = model
        self.where = where
        self.fallback = fallback
        self.secrets = tuple(secrets)  # redacted from anything logged about a failed call

    def answer(
        self, question: str, paragraphs: Sequence[Hit | Paragraph], standalone: str = "", history: str = ""
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
            self.secrets,
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
        rewritten = _invoke(
            self.model, condense_prompt(), {"history": history, "question": question}, self.where, self.secrets
        )
        rewritten = rewritten.strip().strip('"').splitlines()[0].strip() if rewritten.strip() else ""
        return rewritten or question
