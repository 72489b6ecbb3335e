"""A story asked for, not a detail: "tell me about the carter expulsion" wants the story told.

Read as a question, a topic request has no question word and no asked detail, so the answer model
chose the sentence that repeats most of its words: "tell me about the carter expulsion" quoted
Carter's own reaction ("…his expulsion was an overreaction…"), because that sentence holds the word
"expulsion"; the story's first paragraph says what happened ("The Labour Party expelled MP Chris
Carter late last night…"). A news story's lead is written to be its summary, so a topic request is
answered with the lead of the story that best matches the topic: the article of the best retrieved
paragraph whose retrieved text holds the topic's names and most of its words, and in it the first
paragraph that reads as a sentence and names what was asked about (for "tell me about Phil Goff",
the first paragraph naming Goff, not a lead about Carter). "What happened to Chris Carter?" asks for the
same story. When no story matches, the reply is "The
articles don't say": read as a question, "tell me about this date in baseball" asked of the sample
articles quoted "Mr Carter was told of the decision late last night", for the word "date".
"""

from __future__ import annotations

import re

__all__ = ["LIGHT_VERBS", "asks_for_more", "topic_of"]

# Stems of verbs that name no topic ("do", "say" are stop words already): "tell me about what happened"
# asks for nothing a story is about.
LIGHT_VERBS = frozenset("get got done make made go went happen see want know take come think".split())

_TOPIC = re.compile(
    r"^(?:(?:can|could|would|will) you (?:please )?|please )?(?:"
    r"tell me (?:more |something |a bit |a little |everything |anything )?about|"
    r"(?:give me |i want |i'?d like )?(?:a |an |the )?(?:quick |short |brief )?(?:summary|rundown|recap|overview|"
    r"run-down|background|update) (?:of|on|about)|"
    r"summari[sz]e|explain|brief me on|catch me up on|fill me in on|update me on|"
    r"what do (?:you|we) know about|what have you got on|"
    r"what(?:'s| is) (?:the )?(?:latest |story |news |deal |situation )(?:on|about|with)|"
    r"what(?:'s| is) (?:going on|happening|new|up) (?:with|in)|"
    r"any (?:news|updates?) (?:on|about)|anything (?:new )?(?:on|about)|news (?:on|about)|"
    # What is left of "Can you tell me about …" once the courtesy is dropped (bot/service.py).
    r"about(?!\s+(?:\d|(?:who|whom|whose|what|when|where|why|how|which)\b))"
    r")\s+(?P<topic>.*?\w)"
    r"(?:\s+(?:for me|please))?[\s?.!]*$",
    re.IGNORECASE,
)

# What people call a story, which the story itself never says: "the sharma saga" is "sharma".
_STORY_WORDS = re.compile(
    r"(?:\s+(?:saga|story|stories|situation|thing|things|stuff|drama|affair|controversy|news|mess|issue|whole))+$",
    re.IGNORECASE,
)


# A few words typed as into a search box ("carter", "Chris Carter expulsion", "te atatu"): a story asked
# for. Read as a question, "carter" named no asked detail and got "The articles don't say", and "Chris
# Carter expulsion" quoted Carter's reaction for the word "expulsion". Not with a question word or an
# auxiliary in it, or an instruction first ("Name a common autoimmune disease."). In a conversation a
# bare name leans on the last question first ("carter" after "why was sharma expelled").
SEARCH_WORDS = 4
_ASKING_WORDS = frozenset(
    "who whom whose what whats when where why how which is are was were am do does did can could will would "
    "should shall has have had may might must isnt wasnt didnt doesnt cant wont".split()
)
# An instruction, or "about" (whose story requests are read above: "about 300 people died" is none).
_INSTRUCTIONS = frozenset("name list give describe explain define identify compare show find tell say about".split())


def _searched_for(question: str) -> str | None:
    text = question.strip().rstrip(".!?")  # the service ends every question in "?" (service.as_asked)
    words = re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text.lower())
    if not words or len(words) > SEARCH_WORDS or words[0] in _INSTRUCTIONS:
        return None
    if any(w.replace("’", "'").replace("'", "") in _ASKING_WORDS for w in words):
        return None
    return text


# "what happened to chris carter": the story of someone or something named in a few words, told by its lead.
# Read as a question, no sentence held more than "Chris Carter" of it and the answer check turned them all
# down (stop 74). A longer subject asks a detail ("What happened to the mayor's former chief of staff…?"),
# and a pronoun leans on the conversation, which rewrites it first.
_WHAT_HAPPENED = re.compile(
    r"^what(?:'s|\s+has|\s+ever)?\s+happened\s+(?:to|with)\s+"
    r"(?!(?:him|her|them|it|that|this|these|those|they|he|she|you|me|us)\b)"
    r"(?P<topic>[^\W_][\w'’.-]*(?:\s+[^\W_][\w'’.-]*){0,2})[\s?.!]*$",
    re.IGNORECASE,
)


def topic_of(question: str) -> str | None:
    """The topic a request for a story asks about ("tell me about the carter expulsion" → "the
    carter expulsion"; a few words typed as a search, "Chris Carter expulsion", are one), or None
    when ``question`` asks something else."""
    found = _TOPIC.match(question.strip()) or _WHAT_HAPPENED.match(question.strip())
    if found is None:
        return _searched_for(question)
    topic = _STORY_WORDS.sub("", found.group("topic"))
    return topic if any(ch.isalnum() for ch in topic) else found.group("topic")


# "Tell me more" and the like: the rest of the story just cited (bot/answering/continuation.py).
_MORE = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|alright|right|great|thanks|cool)\b[\s,.!]*)*"
    r"(?:(?:can|could|would) you (?:please )?|please )?(?:tell me more|what else happened|more|go on|carry on|"
    r"continue|keep going|what else|anything else|and then what|what happened next|what next|more details?|"
    r"more info(?:rmation)?|elaborate|say more|expand on (?:that|it)|more please|go on then)(?: please)?[\s?.!…]*$",
    re.IGNORECASE,
)


def asks_for_more(question: str) -> bool:
    """Whether ``question`` asks to go on with the last answer's story ("tell me more", "go on")."""
    return bool(_MORE.match(question.strip()))
