"""The one object the CLI, the REPL and the Discord bot all talk to.

Everything heavy (the model, the store, the keyword index, the chain) is created on first use, so
building a service is free and ``newsbot --help`` stays instant.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.answering.answer import Answer, several_answers
from bot.answering.continuation import continuation
from bot.answering.extractive import ExtractiveAnswerer
from bot.answering.follow_up import only_asks_back
from bot.answering.language import ASK_IN_ENGLISH, asked_in_another_language
from bot.answering.overview import asks_for_an_overview, overview
from bot.answering.topics import asks_for_more
from bot.answering.whether import as_yes_no_question
from bot.conversation import Conversation
from bot.foreground import Foreground
from config import NewsbotError, Settings
from config.errors import QuestionError, StoreInUseError
from corpus import LoadResult, bundled_articles_dir, load_articles
from retrieval.embeddings import MODEL_NAME, ParagraphEmbedder
from retrieval.hybrid import HybridRetriever, HybridSearcher
from retrieval.indexer import Indexer, IngestSummary
from retrieval.keyword import Documents
from retrieval.question_encoder import QuestionEncoder
from retrieval.ranker import shipped_ranker
from retrieval.ranking import FusionWeights
from retrieval.second_index import MODEL_KEY as SECOND_MODEL
from retrieval.second_index import SecondIndex
from retrieval.sentence_vectors import FILE_NAME as SENTENCE_VECTORS_FILE
from retrieval.sentence_vectors import SentenceVectors
from retrieval.store import ParagraphStore

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

    from bot.answering.chain import ChainInput
    from bot.answering.llm import LLMAnswerer
    from bot.answering.warming import WarmSummary

MAX_QUESTION_CHARS = 1000
NOTHING_TO_GO_ON_WITH = (
    "There is no story to go on with yet: ask a question first, then “tell me more” goes on with the story it cites."
)

_COURTESY_PREFIX = re.compile(
    r"^(?:hi|hello|hey|quick question|i'?d like to know|i would like to know|(?:can|could) you tell me|"
    r"do you know|please)\b[\s,:;!.-]*",
    re.IGNORECASE,
)
_COURTESY_SUFFIX = re.compile(r"[\s,;-]*\b(?:thanks(?: a lot)?|thank you|thx|cheers|please)\b[\s.!]*$", re.IGNORECASE)
# Words people lean on in a chat that ask nothing: "so who actually won the powerball jackpot". Read
# as asked words, "actually" is a word no sentence holds, and a leading "so" hides the question word
# ("so why…" is not read as a why question); with both, the retyped test questions lost up to 8 points
# (docs/quality.md, stop 49). Not "and"/"but": a follow-up begins so ("and what did she say?").
_FILLER_START = re.compile(
    r"^(?:(?:ok(?:ay)?|so|well|um+|hmm+)\b[\s,]*)+(?=(?:who|whom|whose|what|when|where|why|how|which|is|are|was|"
    r"were|did|does|do|can|could|will|would|has|have|had|should)\b)",
    re.IGNORECASE,
)
_FILLER = re.compile(r"(?<=\w )(?:actually|exactly|really|basically)\b\s*", re.IGNORECASE)
# How a question is opened in a chat, before the question itself: "I want to know what Goff said about
# Carter", "Explain why Carter was expelled", "I was wondering: did Sharma leak recordings?". Left in,
# its words are asked words no sentence holds, and the question word is no longer first ("I want to
# know what Goff said…" quoted Carter's words, not Goff's). Only before a question word or an
# auxiliary: "tell me about the expulsion" asks about it. "About" before a question word goes too: "can
# you tell me about why Carter was expelled" was no why question ("about" was its first word).
_OPENING = re.compile(
    r"^(?:i (?:want|need|would like|'?d like) to know|i wanna know|(?:can|could|would) you (?:please )?(?:tell me|"
    r"explain|say)|please (?:tell me|explain)|tell me|explain(?: to me)?|any idea|does anyone know|i wonder|"
    r"i'?m wondering|i was wondering|i'?m curious|quick one|"
    # A bare "about" (what "can you tell me about why…" leaves) goes too; not in "About how often…?",
    # "About what portion…?", where it means "roughly".
    r"about(?=\s+(?:why|who|whom|when|where|how(?!\s+(?:many|much|often|long|far|old|big)\b)|"
    r"what\s+(?:did|does|do|is|was|are|were|has|have|had|happened|will|would|can|could))\b))"
    r"\b(?:\s+about\b)?[\s,:;-]*"
    r"(?=(?:who|whom|whose|what|when|where|why|how|which|is|are|was|were|did|does|do|can|could|will|would|has|"
    r"have|had|should)\b)",
    re.IGNORECASE,
)


# Chat shorthand the answer step would misread: "whats the reason…" is a why question only as
# "what is the reason…", and "whats" itself is no word to look for in the articles (it was read as
# a rare term "what" that no sentence holds). Only forms that cannot mean anything else.
_CHAT_SHORTHAND = {
    "whats": "what is", "whos": "who is", "wheres": "where is", "whens": "when is", "hows": "how is",
    "whys": "why is", "what's": "what is", "who's": "who is", "where's": "where is", "when's": "when is",
    "how's": "how is", "why's": "why is", "didnt": "did not", "doesnt": "does not", "dont": "do not",
    "isnt": "is not", "wasnt": "was not", "werent": "were not", "arent": "are not", "hasnt": "has not",
    "havent": "have not", "hadnt": "had not", "wont": "will not", "cant": "cannot", "couldnt": "could not",
    "wouldnt": "would not", "shouldnt": "should not", "wat": "what",
    "howmany": "how many", "howmuch": "how much", "ppl": "people", "abt": "about", "govt": "government",
    "thru": "through", "cuz": "because", "coz": "because", "bcuz": "because", "b4": "before", "tho": "though",
    "wht": "what", "whr": "where", "wher": "where", "whts": "what is", "wats": "what is", "wut": "what",
    # Words clipped in a chat: the articles spell them out ("which street is labour hq on" found no
    # "headquarters"; the stemmer leaves "hrs" and "hours" apart).
    "hq": "headquarters", "info": "information", "hrs": "hours", "mins": "minutes", "yrs": "years",
    "dept": "department", "approx": "approximately", "intl": "international", "mgmt": "management",
    # "how much did the batman make at the box office opening wknd" quoted another film's weekend.
    "wknd": "weekend", "wkend": "weekend", "wk": "week", "wks": "weeks", "yr": "year", "mth": "month",
    "mths": "months", "tmrw": "tomorrow", "yday": "yesterday", "pres": "president", "mln": "million",
}  # fmt: skip
# Shorthand that is a name or a word when capitalised ("Wen Jiabao", "Ur"): only typed in lower case.
_LOWER_CASE_SHORTHAND = {"wen": "when", "ur": "your", "hw": "how", "bc": "because", "bn": "billion", "mil": "million"}
_LOWER_SHORTHAND = re.compile(r"(?<![\w'’-])(" + "|".join(_LOWER_CASE_SHORTHAND) + r")(?![\w'’-])")
# "why r they leaving", "did u see": only where no initial ("U.S.", "R. Kelly") can be meant.
_R_FOR_ARE = re.compile(r"(?<![\w'’.-])r(?= (?:they|we|you|u|the|these|those|there|people|ppl|all|any|some)\b)")
_U_FOR_YOU = re.compile(r"(?<![\w'’.-])u(?![\w'’.-])")
# "y did the council expel carter": "y" is "why" only where a question starts with it and a verb follows.
_Y_FOR_WHY = re.compile(
    r"^y(?= (?:did|does|do|is|are|was|were|has|have|had|would|will|can|could|should|not|dont|didnt|doesnt|isnt)\b)",
    re.IGNORECASE,
)
# "who is the pm", "who was pm when sharma got booted": the prime minister, after a word that makes it a role
# ("the", "was", "as", "former"…); "3 pm" is a time.
_THE_PM = re.compile(
    r"(?<![\w'’-])(?:the|is|was|be|been|become|became|as|former|new|next|acting|deputy) pm(?![\w'’-]|\.\w)",
    re.IGNORECASE,
)
_SHORTHAND = re.compile(
    r"(?<![\w'’-])(" + "|".join(re.escape(k).replace("'", "['’]") for k in _CHAT_SHORTHAND) + r")(?![\w'’-])",
    re.IGNORECASE,
)


# "whats he want now" is "what does he want now", not "what is he want now" (a pronoun, then a verb's
# bare form: "whats he doing" stays "what is he doing").
_IS_THEN_BARE_VERB = re.compile(
    r"(?<![\w'’-])(what|who|where|when|why|how)['’]?s (he|she|it|they|you) "
    r"(want|think|say|mean|need|plan|do|know|expect|hope|believe|claim|feel|make|get)\b",
    re.IGNORECASE,
)


# "why did labour kick carter out": the articles say "expel", and a why question's answer is checked
# against the asked deed (a reason for reluctance to expel is no reason for the expulsion).
_KICKED_OUT = re.compile(
    r"\b(kick|boot|turf)(s|ed|ing|in)?\b((?:\s+(?!out\b)[\w'’-]+){0,3}?)\s+out\b(\s+of\b)?", re.IGNORECASE
)
_EXPEL = {None: "expel", "s": "expels", "ed": "expelled", "ing": "expelling", "in": "expelling"}
# "throw … out" only of someone ("why did labour throw carter out", "thrown out of the party"): a vote,
# a case or a lawsuit is thrown out too ("the judge threw the case out", "thrown out of court").
_THROWN_OUT = re.compile(
    r"\b(throw|throws|threw|thrown|throwing)\s+(?!(?:it|this|that|the|a|an|out|away|up|in|down|back)\b)"
    r"([\w'’-]+|[A-Z][\w'’-]+\s+[A-Z][\w'’-]+)\s+out\b(\s+of\b)?|"
    r"\b(thrown|threw)\s+out\s+of\s+(?=(?:the\s+)?(?:party|caucus|parliament|labour|(?-i:[A-Z])))",
    re.IGNORECASE,
)
# "who was pm when sharma got booted", with no "out": as "booted out" is, expelled.
_GOT_BOOTED = re.compile(
    r"\b(got|get|gets|getting|was|were|been|being|be)\s+(?:booted|turfed|kicked)\b(?!\s+(?:out|off|from|in)\b)",
    re.IGNORECASE,
)
_EXPEL_FOR_THROW = {
    "throw": "expel", "throws": "expels", "threw": "expelled", "thrown": "expelled", "throwing": "expelling"
}  # fmt: skip


# "did carter get expelled from labour" says what "was carter expelled from labour" says, with a word
# ("get") that counts as asked and no article uses: the Yes/No it earned was not said.
_GET_PASSIVE = re.compile(
    r"\b(did|does|do)\s+((?:[\w'’.-]+\s+){1,4}?)gets?\s+("
    r"[a-z][\w-]+ed|taken|given|beaten|chosen|driven|stolen|broken|forgotten|hidden|bitten|written|shaken|"
    r"thrown|frozen|sworn|born|caught|paid|hurt|hit|shot|sent|told|sold|left|kept|bought|cut|found|held|stuck|"
    r"struck|won|made)\b",
    re.IGNORECASE,
)
_PLURAL_DOERS = frozenset({"they", "we", "you"})


def passive_of_get(text: str) -> str:
    """"did carter get expelled" → "was carter expelled"; "do they get paid" → "are they paid"."""

    def passive(match: re.Match[str]) -> str:
        asked, who, done = match.groups()
        last = who.split()[-1]
        plural = last.lower() in _PLURAL_DOERS or asked.lower() == "do" or (last.islower() and last.endswith("s"))
        be = ("were" if plural else "was") if asked.lower() == "did" else ("are" if plural else "is")
        return f"{be.capitalize() if asked[:1].isupper() else be} {who}{done}"

    return _GET_PASSIVE.sub(passive, text)


def plain_deed(text: str) -> str:
    """"why did labour kick carter out" → "why did labour expel carter"; "kicked out of the party" →
    "expelled from the party"; "throwing Carter out" → "expelling Carter"."""

    def expel(match: re.Match[str]) -> str:
        ending = (match.group(2) or "").lower() or None
        return _EXPEL[ending] + match.group(3) + (" from" if match.group(4) else "")

    def expel_thrown(match: re.Match[str]) -> str:
        if match.group(4):  # "thrown out of the party"
            return _EXPEL_FOR_THROW[match.group(4).lower()] + " from "
        return _EXPEL_FOR_THROW[match.group(1).lower()] + " " + match.group(2) + (" from" if match.group(3) else "")

    text = _THROWN_OUT.sub(expel_thrown, _KICKED_OUT.sub(expel, text))
    return _GOT_BOOTED.sub(lambda match: match.group(1) + " expelled", text)


def expand_chat_shorthand(text: str) -> str:
    """"whats the reason carter got kicked out" → "what is the reason carter got kicked out";
    "whats he want now" → "what does he want now"; "y did ppl leave" → "why did people leave"."""

    def expanded(match: re.Match[str]) -> str:
        word = match.group(0)
        full = _CHAT_SHORTHAND[word.lower().replace("’", "'")]
        # "Whats" → "What is"; "HQ" → "headquarters", a word, not a name the articles must hold.
        shouted = word.isupper() and len(word) > 1 and match.start() > 0
        return full[:1].upper() + full[1:] if word[:1].isupper() and not shouted else full

    def does(match: re.Match[str]) -> str:
        asked, who, verb = match.groups()
        return f"{asked} {'do' if who.lower() in ('they', 'you') else 'does'} {who} {verb}"

    text = _Y_FOR_WHY.sub(lambda m: "Why" if m.group(0).isupper() else "why", text)
    text = _THE_PM.sub(lambda m: m.group(0)[:-2] + "prime minister", text)
    text = _LOWER_SHORTHAND.sub(lambda m: _LOWER_CASE_SHORTHAND[m.group(0)], text)
    text = _U_FOR_YOU.sub("you", _R_FOR_ARE.sub("are", text))
    return passive_of_get(plain_deed(_SHORTHAND.sub(expanded, _IS_THEN_BARE_VERB.sub(does, text))))


def _is_emoji(ch: str) -> bool:
    """An emoji or a pictograph ("why was carter expelled 🤔"), with its skin tone and presentation marks.
    Left in, it went on into every follow-up the conversation rewrote ("why was goff expelled 🤔?"). A
    degree sign, also a symbol, is kept ("20°C")."""
    return (unicodedata.category(ch) == "So" and ch != "°") or "\U0001f3fb" <= ch <= "\U0001f3ff" or ch == "\ufe0f"


# A chat puts the story first and the question word after it: "carter expulsion why", "costco chicken price why
# so cheap". A question asking why, when or where is known by its first words ("why" asks a cause), so the
# asking part is put first. Only after a short topic with no sentence end: "NASA was forced to reschedule its
# launch… Where is the launchpad?" is a quiz's lead-in; and not "how much/many/long…", read wherever they stand
# ("By how much did…", "Approximately how many…" are one phrase), nor a "who" that may be a relative pronoun
# ("Many Florida residents who are still recovering…").
_ASKED_AFTER_THE_TOPIC = re.compile(
    r"^(?P<topic>(?!(?:why|when|where|who|what|which|how|is|are|was|were|do|does|did|has|have|had|can|could|will|"
    r"would|should|tell|and|so|but)\b)(?:[^\s?.!;,]+\s+){0,7}?[^\s?.!;,]+?)"
    r":?\s+(?P<ask>(?:why|when|where|how\s+come|what\s+happened)\b[^?]*|who\W*)(?P<mark>\?*)$",
    re.IGNORECASE,
)


# "goff reaction to carter", "ardern comments on sharma": a chat's topic with no question in it, asking what
# someone said (answered by the closest sentence before, or by nothing: "goff reaction to carter" was "not found").
_SOMEONES_REACTION = re.compile(
    r"^(?P<who>(?!(?:why|when|where|who|what|which|how|is|are|was|were|do|does|did|the|a|an|in|on|at|for|from|after|"
    r"before|with|as|by|to|of|and|but|so|my|our|your|their|his|her|its)\b)[\w'’.-]+"
    r"(?:\s+[\w'’.-]+)?)(?:['’]s)?\s+(?:reaction|response|comments?|remarks?|statement|views?|take|thoughts?)\s+"
    r"(?:to|on|about|over|regarding)\s+(?P<topic>[^?]+?)\??$",
    re.IGNORECASE,
)


def as_what_someone_said(text: str) -> str:
    """Someone's reaction asked as a topic, as what they said: "goff reaction to carter" → "what did goff say
    about carter"."""
    found = _SOMEONES_REACTION.match(text)
    if found is None:
        return text
    who = re.sub(r"['’]s$", "", found["who"])
    return f"what did {who} say about {found['topic']}"


def asked_first(text: str) -> str:
    """The question word first, the story after it: "carter expulsion why" → "why carter expulsion"."""
    found = _ASKED_AFTER_THE_TOPIC.match(text)
    if found is None or _A_QUESTION_WORD.search(found["topic"]):  # "In what year…, and why" asks first already
        return text
    if _A_QUESTION_WORD.search(found["ask"], 1):
        return text  # "In the study where Burger King was fastest, why did…": "where" joins a clause there
    last = found["topic"].split()[-1].lower()
    if last in _BOUND_TO_WHAT_FOLLOWS or (last.endswith("ly") and len(last) > 5):
        return text  # "By when…", "Roughly when did it start" are one phrase; "italy why" is not
    ask, topic = found["ask"].rstrip(), found["topic"].rstrip(":,–-")
    return f"{ask[:1].upper() if text[:1].isupper() else ask[:1]}{ask[1:]} {topic}{found['mark']}"


_A_QUESTION_WORD = re.compile(r"\b(?:what|which|who|whom|whose|how|when|where|why)\b", re.IGNORECASE)
_BOUND_TO_WHAT_FOLLOWS = frozenset(
    "by about just and or so for of in on at to from with since until before after exactly".split()
)


def clean_question(question: str) -> str:
    """Drop control characters, squeeze spaces, cap the length; refuse questions with no words.

    Courtesy ("Quick question: …", "… Thanks!") is dropped: it would otherwise count as words the
    articles must contain, and turn an answerable question into an abstention.
    """
    text = "".join(" " if unicodedata.category(ch).startswith("C") or _is_emoji(ch) else ch for ch in question)
    text = " ".join(text.split())
    stripped = _COURTESY_SUFFIX.sub("", _COURTESY_PREFIX.sub("", text)).strip()
    if any(ch.isalnum() for ch in stripped):
        text = _FILLER.sub("", _FILLER_START.sub("", _OPENING.sub("", expand_chat_shorthand(stripped))))
        text = as_what_someone_said(asked_first(text))
        reported = as_yes_no_question(text)  # "I want to know if Carter appealed" → "Did Carter appeal?"
        if reported is not None:
            text = reported[:1].upper() + reported[1:] if text[:1].isupper() else reported
    if not any(ch.isalnum() for ch in text):
        raise QuestionError("Please ask a question in words, e.g. “Why was Chris Carter expelled?”")
    return text[:MAX_QUESTION_CHARS]


def as_asked(question: str) -> str:
    """The question ending in "?", however it was typed: the answer step's readers were fitted on
    questions that nearly all end in one, save the chat-style ones, which were all answerable. Typed
    without it, "who did the celtics pick to take over as coach after suspending ime udoka" read as
    likelier answered and was answered with a sentence about Udoka; asked with or without the "?", a
    question now gets the same answer (docs/quality.md, stop 49)."""
    stripped = question.rstrip()
    return stripped if not stripped or stripped.endswith("?") else stripped.rstrip(".!") + "?"


# Where one question ends and the next begins: a "?" and more words after it.
_NEXT_QUESTION = re.compile(r"(?<=\?)\s+(?=\S)")
NOTHING_TO_ASK_BACK = (
    "Ask a whole question, e.g. “Why was Chris Carter expelled?”: “why?” on its own follows up an answer."
)
MAX_QUESTIONS = 3  # asked in one message; the rest are named in a note
MIN_QUESTION_WORDS = 3  # "Really? Why…" is one question


def split_questions(question: str) -> list[str]:
    """The questions one message asks, in order: "What did Goff say? And how long was the meeting?"
    asks two. Asked as one, no sentence answered both, and the reply was "The articles don't say". A
    part of fewer than three words belongs to its neighbour ("carter??? expelled?!? why" is one)."""
    parts: list[str] = []
    for part in _NEXT_QUESTION.split(question):
        if parts and len(parts[-1].split()) < MIN_QUESTION_WORDS:
            parts[-1] = f"{parts[-1]} {part}"
        else:
            parts.append(part)
    if len(parts) > 1 and len(parts[-1].split()) < MIN_QUESTION_WORDS:
        last = parts.pop()
        parts[-1] = f"{parts[-1]} {last}"
    return parts


def question_was_cut(question: str, cleaned: str) -> bool:
    """Whether :func:`clean_question` dropped words for length (not only spaces or courtesy)."""
    return len(cleaned) == MAX_QUESTION_CHARS and len(" ".join(question.split())) > MAX_QUESTION_CHARS


class NewsbotService:
    """Ingest, ask, stats: the operations every face of newsbot offers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._df_cache: tuple[str, dict[str, int], int] | None = None
        self._lock = threading.Lock()
        # Questions and ingests under way: background warming waits for them (bot/background_warming.py).
        self.foreground = Foreground()

    # -- parts, built on first use ---------------------------------------------------------

    @cached_property
    def embedder(self) -> ParagraphEmbedder:
        return ParagraphEmbedder(
            batch_size=self.settings.embed_batch_size,
            backend=self.settings.embed_backend,
            cache_dir=self.settings.resolved_model_cache_dir,
            # The shared user cache is only a default: when it cannot be written, use the data folder.
            fallback_cache_dir=None if self.settings.model_cache_dir else self.settings.resolved_data_dir / "models",
        )

    @cached_property
    def store(self) -> ParagraphStore:
        return ParagraphStore(self.settings)

    @cached_property
    def searcher(self) -> HybridSearcher:
        return HybridSearcher(
            self.store,
            self.embedder,
            cache_dir=self.settings.resolved_data_dir / "cache",
            candidates=self.settings.candidates,
            weights=FusionWeights(
                rrf_k=self.settings.rrf_k,
                dense=self.settings.dense_weight,
                keyword=self.settings.keyword_weight,
                article=self.settings.article_weight,
                recency=self.settings.recency_weight,
                second=self.settings.second_weight if self.second_index is not None else 0.0,
            ),
            keyword_context=self.settings.keyword_context,
            question_encoder=QuestionEncoder() if self.settings.question_encoder == "tuned" else None,
            second=self.second_index,
            ranker=shipped_ranker() if self.settings.ranker == "learned" else None,
        )

    @cached_property
    def second_index(self) -> SecondIndex | None:
        """The optional second embedder's collection (``second_embedder = "e5"``), else None."""
        return SecondIndex(self.store) if self.settings.second_embedder == "e5" else None

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(searcher=self.searcher, k=self.settings.top_k)

    @cached_property
    def extractive(self) -> ExtractiveAnswerer:
        return ExtractiveAnswerer(
            self.embedder,
            self._document_frequency,
            neighbour=self.searcher.paragraph,
            closest_in_articles=self.searcher.closest_in_articles,
            sentence_vectors=self.sentence_vectors,
        )

    @cached_property
    def sentence_vectors(self) -> SentenceVectors:
        """The answer step's sentence vectors, kept in the data folder unless ``keep_sentence_vectors``
        is off (then in this process's memory only): see :mod:`retrieval.sentence_vectors`."""
        if not self.settings.keep_sentence_vectors:
            return SentenceVectors(None)
        return SentenceVectors(self.settings.resolved_data_dir / "cache" / SENTENCE_VECTORS_FILE)

    @cached_property
    def llm(self) -> LLMAnswerer | None:
        """The LLM answerer when one is configured (``answerer`` ``openai`` or ``ollama``), else None."""
        if self.settings.answerer == "extractive":
            return None
        from bot.answering.llm import LLMAnswerer, make_chat_model

        where = self.settings.llm_base_url or self.settings.answerer
        fallback = self.extractive if self.settings.llm_fallback == "extractive" else None
        secrets = [self.settings.llm_api_key.get_secret_value()] if self.settings.llm_api_key else []
        return LLMAnswerer(make_chat_model(self.settings), where, fallback, secrets=secrets)

    @cached_property
    def chain(self) -> Runnable[ChainInput, Answer]:
        """Question → standalone question → retrieved paragraphs → the configured answerer."""
        from bot.answering.chain import build_chain

        if self.llm is not None:
            return build_chain(self.retriever, self.llm, condense=self.llm.condense)
        return build_chain(self.retriever, self.extractive)

    def _document_frequency(self) -> tuple[dict[str, int], int]:
        index = self.searcher.keyword_index()
        if self._df_cache is None or self._df_cache[0] != index.version:
            # The keyword search's own mapping: the spelling corrector remembers its corrections per
            # mapping, so the search and the answer step share them.
            self._df_cache = (index.version, index.frequencies(), len(index))
        return self._df_cache[1], self._df_cache[2]

    def warm_up(self) -> None:
        """Load the models and the keyword index now (the bot calls this in ``setup_hook``), so the
        first question does not wait for them."""
        self.embedder.encode(["warm up"])
        self.searcher.search_vector("warm up")  # the question model, when it is on
        if self.second_index is not None:
            self.second_index.encoder.question("warm up")
        self.searcher.keyword_index()
        if self.llm is None:
            self.extractive.warm_up()

    # -- operations ------------------------------------------------------------------------

    def ask(self, question: str, conversation: Conversation | None = None, as_of: dt.date | None = None) -> Answer:
        """Answer a question, as a follow-up of ``conversation`` when one is given.

        ``as_of`` answers as the archive stood on that day: later articles are left out and "this
        week" means the week before it. Without it, recent articles are only slightly preferred.
        """
        cleaned = clean_question(question)
        parts = split_questions(cleaned)
        with self.foreground.running():
            if len(parts) > 1:
                answer = self._ask_several(cleaned, parts, conversation, as_of)
            else:
                answer = self._ask_one(cleaned, conversation, as_of)
        if question_was_cut(question, cleaned):
            note = f"your question was cut to its first {MAX_QUESTION_CHARS:,} characters"
            answer = dataclasses.replace(answer, notes=(*answer.notes, note))
        if not answer.grounded and asked_in_another_language(cleaned):  # not the articles' silence
            answer = dataclasses.replace(answer, notes=(*answer.notes, ASK_IN_ENGLISH))
        return answer

    def _ask_one(self, cleaned: str, conversation: Conversation | None, as_of: dt.date | None) -> Answer:
        if asks_for_more(cleaned):
            return self._go_on(cleaned, conversation)
        if only_asks_back(cleaned) and not (conversation and conversation.last_question()):
            # "why?" first in a conversation asks nothing: "The articles don't say" read as an answer.
            return Answer(question=cleaned, text=NOTHING_TO_ASK_BACK)
        if asks_for_an_overview(cleaned):  # "what's new?", "what articles do you have?"
            index = self.searcher.keyword_index()
            latest = overview(cleaned, index.published.items(), self.searcher.paragraph, as_of)
            if conversation is not None:
                conversation.add(latest)  # "tell me more" goes on with the first story
            return latest
        text = as_asked(cleaned)
        inputs: ChainInput = {
            "as_of": as_of,
            "question": text,
            "previous": conversation.previous_questions() if conversation else [],
            "last_question": conversation.last_question() if conversation else "",
            "history": conversation.history_text() if conversation else "",
            "prefer_articles": conversation.cited_articles() if conversation else [],
        }
        answer = self.chain.invoke(inputs)
        if conversation is not None:
            conversation.add(answer)
        return answer

    def _go_on(self, question: str, conversation: Conversation | None) -> Answer:
        """"Tell me more": the next paragraph of the story the conversation's last answer cited. With
        nothing cited yet, a hint: asked as a question, no paragraph answers it."""
        more = None
        if conversation is not None and conversation.last is not None:
            shown = [(c.article_id, c.paragraph) for turn in conversation.turns for c in turn.answer.citations]
            more = continuation(question, conversation.last, shown, self.searcher.paragraph)
        if more is None or conversation is None:
            return Answer(question=question, text=NOTHING_TO_GO_ON_WITH)
        conversation.add(more)
        return more

    def _ask_several(
        self, question: str, parts: list[str], conversation: Conversation | None, as_of: dt.date | None
    ) -> Answer:
        """Each question of one message answered in turn, as one conversation: "And how long was the
        meeting?" after "What did Goff say?" is a follow-up of it. The turns join the caller's
        conversation, so the next message follows on from the last of them."""
        talk = conversation if conversation is not None else Conversation()
        distinct: list[str] = []
        for part in parts:
            try:
                cleaned = clean_question(part)
            except QuestionError:
                continue
            if cleaned.casefold() not in (d.casefold() for d in distinct):
                distinct.append(cleaned)
        answers = [self._ask_one(part, talk, as_of) for part in distinct[:MAX_QUESTIONS]]
        answer = answers[0] if len(answers) == 1 else several_answers(question, answers)
        if len(distinct) > MAX_QUESTIONS:
            rest = distinct[MAX_QUESTIONS:]
            others = "the next one on its own:" if len(rest) == 1 else f"the other {len(rest)} one at a time, from"
            note = f"only the first {MAX_QUESTIONS} questions were answered; ask {others} “{rest[0][:100]}”"
            answer = dataclasses.replace(answer, notes=(*answer.notes, note))
        return answer

    def default_paths(self) -> list[Path]:
        """Configured folders (else the bundled sample), plus files uploaded through Discord."""
        paths = list(self.settings.article_dirs) or [bundled_articles_dir()]
        inbox = self.settings.resolved_data_dir / self.settings.discord_inbox
        if inbox.is_dir():
            paths.append(inbox)
        return paths

    def load(self, paths: Iterable[Path] | None = None) -> LoadResult:
        chosen = list(paths) if paths else self.default_paths()
        return load_articles(chosen, max_file_mb=self.settings.max_file_mb)

    def ingest(
        self,
        loaded: LoadResult,
        prune: bool = False,
        on_plan: Callable[[int], None] | None = None,
        progress: Callable[[float], None] | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        on_second_plan: Callable[[int], None] | None = None,
        second_progress: Callable[[float], None] | None = None,
    ) -> IngestSummary:
        """Write loaded articles to the store (embedded mode: one writer process at a time), then
        bring the second embedder's collection in line with it when that is on (``on_second_plan``
        and ``second_progress`` report that part)."""
        manifest = self.settings.resolved_data_dir / "cache" / f"ingest-manifest-{self.settings.collection}.json"
        indexer = Indexer(
            self.store,
            self.embedder,
            embed_title=self.settings.embed_title,
            manifest_path=manifest,
            title_weight=self.settings.title_weight,
            keywords=self.searcher.keyword_store,  # the ingest saves the keyword index readers load
        )
        with self._writer_lock(), self.foreground.running():
            summary = indexer.run(loaded, prune=prune, on_plan=on_plan, progress=progress, should_stop=should_stop)
            if self.second_index is not None and not summary.interrupted:
                started = time.perf_counter()
                paragraphs = self.searcher.snapshot(fresh=True).index.paragraphs
                summary.second_embedded, finished = self.second_index.sync(
                    paragraphs, on_plan=on_second_plan, progress=second_progress, should_stop=should_stop
                )
                summary.interrupted = not finished
                summary.seconds += time.perf_counter() - started
        self._remember_ingest(summary)
        return summary

    @property
    def _last_ingest_path(self) -> Path:
        return self.settings.resolved_data_dir / "cache" / f"last-ingest-{self.settings.collection}.json"

    def _remember_ingest(self, summary: IngestSummary) -> None:
        """Keep the last ingest's time and counts, so an admin can see it (``/newsbot stats``).

        Only counts and file names are kept (no folders). Failing to write this note never fails
        the ingest itself.
        """
        import json
        import os

        figures = summary.as_dict()
        figures.pop("warnings", None)
        record = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **figures,
            "failed": len(summary.failed),
            "failed_files": [Path(getattr(p, "source", str(p))).name for p in summary.failed[:5]],
        }
        path = self._last_ingest_path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp")
            partial.write_text(json.dumps(record), encoding="utf-8")
            os.replace(partial, path)
        except OSError:
            pass

    def last_ingest(self) -> dict[str, Any] | None:
        """The last ingest's time, counts and failed file names (None before the first one)."""
        import json

        try:
            record = json.loads(self._last_ingest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) else None

    def _writer_lock(self) -> AbstractContextManager[object]:
        """Held for an ingest: in embedded mode one writer process at a time (a server takes many)."""
        from contextlib import nullcontext

        from filelock import FileLock, Timeout

        if self.settings.uses_server:
            return nullcontext()
        folder = self.settings.resolved_data_dir
        folder.mkdir(parents=True, exist_ok=True)
        try:
            return FileLock(str(folder / "ingest.lock")).acquire(timeout=0)  # released on leaving `with`
        except Timeout:
            raise StoreInUseError(
                "The store is in use by another process (an ingest is running). "
                "Use a Chroma server (NEWSBOT_CHROMA_HOST) for several processes."
            ) from None

    def warm(
        self,
        on_plan: Callable[[int], None] = lambda total: None,
        progress: Callable[[int], None] = lambda n: None,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> WarmSummary:
        """Embed ahead every sentence the extractive answer may read (``newsbot warm``)."""
        from bot.answering.warming import warm

        return warm(self.extractive, self.sentence_vectors, self._paragraphs_to_warm(), on_plan, progress, should_stop)

    @property
    def warms_in_background(self) -> bool:
        """Whether the faces warm the sentence vectors while they wait (``warm_in_background``), which only
        the extractive answerer reads: an LLM answerer without the extractive fallback never does."""
        extractive = self.settings.answerer == "extractive" or self.settings.llm_fallback == "extractive"
        return self.settings.warm_in_background and extractive

    def warm_beside_questions(self, should_stop: Callable[[], bool], chunk: int) -> WarmSummary:
        """The same, as the running bot does it in the background: ``chunk`` sentences at a time, each
        chunk for every model, nothing prepared ahead (:func:`bot.answering.warming.warm_in_passing`)."""
        from bot.answering.warming import warm_in_passing

        paragraphs = self._paragraphs_to_warm().newest_first()  # an upload's paragraphs first
        return warm_in_passing(self.extractive, self.sentence_vectors, paragraphs, should_stop, chunk)

    def _paragraphs_to_warm(self) -> Documents:
        if not self.sentence_vectors.on_disk:
            where = self.settings.resolved_data_dir / "cache" / SENTENCE_VECTORS_FILE
            why = f"{where} cannot be written"
            if not self.settings.keep_sentence_vectors:
                why = "keep_sentence_vectors is off (NEWSBOT_KEEP_SENTENCE_VECTORS)"
            raise NewsbotError(f"Nothing to warm: {why}, so sentence vectors are kept in memory only.")
        # The keyword index's paragraphs, in memory already (Chroma's copy doubled a warming bot's memory).
        paragraphs = self.searcher.snapshot(fresh=True).index.paragraphs
        if not len(paragraphs):
            raise NewsbotError("The store is empty: run `newsbot ingest` first, then `newsbot warm`.")
        return paragraphs

    def stats(self) -> dict[str, Any]:
        info = self.store.info()
        articles, paragraphs = int(info.get("articles", 0)), int(info.get("paragraphs", 0))
        if not info.get("complete", True):
            # An ingest was killed before it recorded its counts: count the records instead of
            # showing the figures of the run before it (the next ingest records them again).
            seen: set[str] = set()
            paragraphs = 0
            for _, meta, _ in self.store.iter_records():
                seen.add(str(meta.get("article_id")))
                paragraphs += int(meta.get("window", 0)) == 0
            articles = len(seen)
        return {
            "articles": articles,
            "paragraphs": paragraphs,
            "records": self.store.record_count(),
            "store": self.settings.describe_store(),
            "collection": self.settings.collection,
            "model": MODEL_NAME,
            "answerer": self.settings.answerer,
            "data_dir": str(self.settings.resolved_data_dir),
            # Vectors of answer sentences kept for later questions (`newsbot warm` keeps them all).
            "sentence_vectors": self.sentence_vectors.count(),
            **({"second_embedder": self._second_stats()} if self.second_index is not None else {}),
        }

    def _second_stats(self) -> dict[str, Any]:
        """The e5 collection's paragraphs, and whether it is in step with the store (the next ingest
        finishes a sync that was interrupted)."""
        assert self.second_index is not None
        info = self.second_index.store.info()
        return {
            "model": str(info.get("embedder", SECOND_MODEL)),
            "paragraphs": int(info.get("paragraphs", 0)),
            "in_step": self.second_index.is_current(),
        }
