"""Prompt templates for the optional LLM answerer, kept as text files beside this module."""

from __future__ import annotations

from functools import cache
from importlib import resources

from langchain_core.prompts import ChatPromptTemplate


@cache
def template_text(name: str) -> str:
    """The text of ``templates/<name>.txt``."""
    return (resources.files("prompts") / "templates" / f"{name}.txt").read_text(encoding="utf-8")


def _chat_prompt(name: str) -> ChatPromptTemplate:
    system, _, human = template_text(name).partition("\n---\n")
    return ChatPromptTemplate.from_messages([("system", system.strip()), ("human", human.strip())])


def answer_prompt() -> ChatPromptTemplate:
    """Variables: ``question``, ``paragraphs`` (numbered), ``history``."""
    return _chat_prompt("answer")


def condense_prompt() -> ChatPromptTemplate:
    """Variables: ``history``, ``question``."""
    return _chat_prompt("condense")
