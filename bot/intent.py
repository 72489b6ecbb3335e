"""Is this line a question for newsbot? One rule-based decision for the REPL and Discord.

In a Discord thread people also say "thanks, that helps!", react with an emoji or talk to each
other; in the REPL they type "thanks!". Sent to retrieval, such a line becomes a question the
articles cannot answer (or, rewritten as a follow-up, "thanks! (Labour Party)?" with an unrelated
quote). The rules are deliberately plain, so a wrong decision can be explained and a test pins it:

1. Nothing but emoji, punctuation or mentions is not a question.
2. A line made only of acknowledgement words ("thanks", "ok cool", "got it, makes sense") is an
   acknowledgement, even with a question mark ("really?"); one made only of greeting words ("hi",
   "hello there", "good morning newsbot") is a greeting. Sent to retrieval, "hi there" was a search
   the articles could not answer, and in the REPL "hi" was told "You're welcome". Addressed to the
   bot, "help", "who are you?" or "what can you do" asks about newsbot itself; "source?", "where did
   you get that?", "are you sure?" or "that's wrong" asks for the last answer's evidence.
3. A question mark, a question word at the start ("who expelled carter"), an auxiliary verb at the
   start followed by a subject ("did he appeal"), or a request ("tell me about…", "explain…",
   "can you find…") or asking for more of the story just told ("go on", "more please") makes a
   question — unless it asks the other person about themselves ("what do you think?", "did you see
   this?"), which is chatter between people.
4. Anything else is chatter when it is not addressed to the bot (a thread message without a
   mention). When it is addressed to the bot — the REPL, a mention, a direct message — a short
   phrase is a search ("Chris Carter expulsion"), so only rules 1 and 2 hold it back.
"""

from __future__ import annotations

import re
from enum import Enum

from bot.answering.topics import asks_for_more

__all__ = ["Intent", "classify", "is_question"]


class Intent(Enum):
    QUESTION = "question"
    ACKNOWLEDGEMENT = "acknowledgement"
    GREETING = "greeting"  # "hi", "hello there": answered with how to ask, not searched for
    HELP = "help"  # "help", "who are you?", "what can you do": about newsbot itself, not the articles
    SOURCES = "sources"  # "source?", "where did you get that?", "are you sure?": the last answer's evidence
    CHATTER = "chatter"  # emoji, people talking to each other, remarks


_QUESTION_WORDS = {"who", "whom", "whose", "what", "whats", "what's", "when", "where", "why", "how", "which"}
_AUXILIARIES = {
    "is", "are", "was", "were", "am", "do", "does", "did", "can", "could", "will", "would", "should",
    "shall", "may", "might", "must", "has", "have", "had", "isnt", "isn't", "wasnt", "wasn't", "didnt",
    "didn't", "doesnt", "doesn't", "arent", "aren't",
}  # fmt: skip
_REQUESTS = re.compile(
    r"^(?:please\s+)?(?:tell\s+me|explain|describe|summari[sz]e|show\s+me|give\s+me|list|find|look\s+up|"
    r"search(?:\s+for)?|remind\s+me|i(?:\s+(?:want|wanted|would\s+like)|'?d\s+like)\s+to\s+know|"
    r"i'?m\s+(?:curious|wondering)|i\s+wonder|(?:can|could|would|will)\s+you\s+(?:please\s+)?"
    r"(?:tell|explain|describe|summari[sz]e|show|give|list|find|look|check|say))\b"
)
_ABOUT_LISTENER = re.compile(r"\b(?:you|your|yours|u|ur)\b")
_ACKNOWLEDGEMENTS = {
    "thanks", "thank", "you", "thx", "ty", "tysm", "thankyou", "cheers", "ta", "much", "appreciated",
    "ok", "okay", "k", "kk", "cool", "great", "nice", "good", "awesome", "perfect", "excellent", "brilliant",
    "amazing", "neat", "lovely", "wow", "interesting", "fascinating", "helpful", "useful", "that", "thats",
    "that's", "this", "it", "helps", "helped", "makes", "sense", "got", "gotcha", "understood", "i", "see",
    "yes", "yeah", "yep", "yup", "no", "nope", "nah", "sure", "right", "alright", "all", "fine", "indeed",
    "agreed", "agree", "true", "fair", "enough", "lol", "lmao", "haha", "hahaha", "heh", "hmm", "hm", "oh",
    "ah", "aha", "really", "bot", "newsbot", "so", "very", "a", "lot", "same", "bye",
    "and", "well", "done", "noted", "will", "do", "again", "anyway", "exactly", "wonderful", "super", "is",
    "was", "what", "needed", "just", "the", "answer", "thought", "me", "too",
}  # fmt: skip
_GREETINGS = frozenset("hi hello hey heya hiya howdy yo greetings morning evening afternoon gday".split())
_GREETING_COMPANIONS = frozenset("there all everyone everybody folks guys good bot newsbot again oh".split())
# Questions about newsbot itself. Searched for, "what can you do" was "The articles don't say", and in a
# conversation "help" became the follow-up "help (why was carter expelled)?".
_ABOUT_NEWSBOT = re.compile(
    r"^(?:(?:hi|hello|hey)\s+)?(?:help(?:\s+me)?(?:\s+please)?|i\s+need\s+help|who\s+(?:are|r)\s+(?:you|u)|"
    r"what\s+(?:are|r)\s+(?:you|u)|what\s+(?:can|do)\s+(?:you|u)\s+do|what\s+(?:can|should|do)\s+i\s+ask(?:\s+(?:you|u))?|"
    r"how\s+do\s+i\s+use\s+(?:this|it|you|u|newsbot|the\s+bot)|how\s+does\s+(?:this|it|newsbot)\s+work|"
    r"how\s+do\s+(?:you|u)\s+work|what\s+are\s+(?:your\s+|the\s+)?commands|commands)(?:\s+(?:newsbot|bot))?$"
)
# Asking for the evidence of the answer just given. Searched for, "source?" became the follow-up "source (why
# was carter expelled)?" and quoted again, "which article says that" got "The articles don't say", and
# "thats wrong" quoted "…did not understand that what he had done was wrong".
_LEAD_IN = r"^(?:(?:ok|so|and|hmm|but|wait|um)\s+)*"  # "ok so source?", "wait, are you sure?"
_ASKS_FOR_SOURCES = re.compile(
    _LEAD_IN + r"(?:sources?|citations?|links?|proof|evidence|refs?|references?|"
    r"(?:where|what)(?:'s|s| is| are)?\s+(?:the|your|ur)\s+(?:sources?|proof|links?|evidence)|"
    r"where\s+(?:did|do)\s+(?:you|u)\s+(?:get|read|find|see)\s+(?:that|this|it)|"
    r"where\s+does\s+it\s+say\s+(?:that|this|so)|"
    r"(?:which|what)\s+(?:article|story|paragraph|source)\s+(?:says?|said)\s+(?:that|this|so)|"
    r"(?:show|give|send)\s+me\s+(?:the\s+)?(?:full\s+)?(?:sources?|paragraphs?|article|evidence|proof|quotes?|links?))"
    r"(?:\s+please)?$"
)
# Doubting the answer: its evidence too, but only when said to the bot (in a thread, "that's wrong" may
# answer a person).
_DOUBTS = re.compile(
    _LEAD_IN + r"(?:are\s+(?:you|u)\s+sure|how\s+do\s+(?:you|u)\s+know(?:\s+(?:that|this))?|"
    r"says\s+who|(?:that'?s|thats|this\s+is|that\s+is|it'?s|its)\s+(?:wrong|not\s+(?:right|true|correct))|wrong|"
    r"not\s+true)$"
)
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|https?://\S+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(_MENTION.sub(" ", text))]


def classify(text: str, *, addressed: bool = True) -> Intent:
    """What ``text`` is: a question for the articles, an acknowledgement, or chatter.

    ``addressed`` says whether the line was meant for the bot whatever it looks like (the REPL, a
    mention, a direct message); a message in a bot thread without a mention is not.
    """
    words = _words(text)
    if not words:
        return Intent.CHATTER
    lowered = " ".join(words)
    if _ASKS_FOR_SOURCES.match(lowered):
        return Intent.SOURCES  # in a bot thread too: the answer just given is the bot's
    if _DOUBTS.match(lowered):
        return Intent.SOURCES if addressed else Intent.CHATTER
    if _ABOUT_NEWSBOT.match(lowered):
        return Intent.HELP if addressed else Intent.CHATTER  # in a thread, "who are you?" is for a person
    if any(w in _GREETINGS for w in words) and all(w in _GREETINGS | _GREETING_COMPANIONS for w in words):
        return Intent.GREETING
    if all(w in _ACKNOWLEDGEMENTS or w in _GREETINGS for w in words) and not _asks(words):
        return Intent.ACKNOWLEDGEMENT
    looks_like_question = "?" in text or _asks(words) or bool(_REQUESTS.match(lowered)) or asks_for_more(lowered)
    if looks_like_question:
        if not addressed and _ABOUT_LISTENER.search(lowered) and not _REQUESTS.match(lowered):
            return Intent.CHATTER  # "what do you think?" is for the other person
        return Intent.QUESTION
    return Intent.QUESTION if addressed else Intent.CHATTER


def _asks(words: list[str]) -> bool:
    """A question word first, or an auxiliary verb followed by at least two more words."""
    first = words[0]
    if first in _QUESTION_WORDS:
        return len(words) >= 2 or first in {"who", "why", "when", "where"}
    return first in _AUXILIARIES and len(words) >= 3


def is_question(text: str, *, addressed: bool = True) -> bool:
    """True when ``text`` should be answered from the articles."""
    return classify(text, addressed=addressed) is Intent.QUESTION
