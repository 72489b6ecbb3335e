"""Which chat lines are questions for newsbot: realistic lines from threads and the REPL."""

from __future__ import annotations

import pytest

from bot.intent import Intent, classify, is_question

QUESTIONS = [
    "When did he say that?",
    "who expelled carter",
    "Why was Chris Carter expelled from the Labour Party",
    "did he appeal the decision",
    "what about Phil Goff?",
    "tell me about the council meeting",
    "Explain why Sharma was booted out of caucus",
    "can you tell me who Andrew Little is",
    "I'd like to know how long the meeting lasted",
    "Is Carter still an MP?",
    "and the vote?",
    "thanks! and when was he elected?",
    "hi, why was carter expelled?",  # a greeting, then the question
    "how many hours did the meeting last",
    "go on",  # more of the story just told
    "more please",
]
ACKNOWLEDGEMENTS = [
    "thanks, that helps!",
    "thanks!",
    "Thank you so much",
    "ok cool",
    "got it, makes sense",
    "great answer, thanks newsbot",
    "really?",
    "lol",
    "👍 thx",
]
ABOUT_NEWSBOT = ["help", "who r u", "What can you do?", "how do I use this", "what can i ask"]
ASKS_FOR_SOURCES = ["source?", "where did you get that", "which article says that", "show me the full paragraph"]
DOUBTS = ["are you sure?", "thats wrong", "how do you know that?"]
GREETINGS = ["hi", "hello there", "Good morning, newsbot!", "hey bot", "hiya"]
CHATTER = [
    "👍",
    "🎉🎉",
    "...",
    "<@5000000000000007> what do you think?",
    "did you see this yesterday?",
    "I think Carter deserved it",
    "haha Bob that's wild, he really did that",
    "brb getting coffee",
]


@pytest.mark.parametrize("line", QUESTIONS)
def test_questions_are_answered_even_without_a_question_mark(line: str) -> None:
    assert classify(line, addressed=False) is Intent.QUESTION
    assert is_question(line)


@pytest.mark.parametrize("line", ACKNOWLEDGEMENTS)
def test_acknowledgements_are_never_questions(line: str) -> None:
    assert classify(line, addressed=False) is Intent.ACKNOWLEDGEMENT
    assert classify(line, addressed=True) is Intent.ACKNOWLEDGEMENT  # not in the REPL either


@pytest.mark.parametrize("line", ABOUT_NEWSBOT)
def test_questions_about_newsbot_itself_get_help_when_addressed_to_it(line: str) -> None:
    assert classify(line, addressed=True) is Intent.HELP
    assert classify(line, addressed=False) is Intent.CHATTER  # in a thread, asked of a person


def test_a_question_about_the_articles_that_starts_like_help_is_a_question() -> None:
    assert classify("what can you do about carter", addressed=True) is Intent.QUESTION
    assert classify("help me find the carter story", addressed=True) is Intent.QUESTION


@pytest.mark.parametrize("line", ASKS_FOR_SOURCES)
def test_asking_for_the_source_shows_the_last_answers_evidence(line: str) -> None:
    assert classify(line, addressed=True) is Intent.SOURCES
    assert classify(line, addressed=False) is Intent.SOURCES  # in a bot thread, the answer is the bot's


@pytest.mark.parametrize("line", DOUBTS)
def test_doubting_the_answer_shows_its_evidence_only_when_said_to_the_bot(line: str) -> None:
    assert classify(line, addressed=True) is Intent.SOURCES
    assert classify(line, addressed=False) is Intent.CHATTER  # may answer a person


def test_a_question_about_a_source_in_the_news_is_a_question() -> None:
    assert classify("which article says carter was expelled") is Intent.QUESTION
    assert classify("where did he get that money") is Intent.QUESTION


@pytest.mark.parametrize("line", GREETINGS)
def test_greetings_are_greeted_not_searched(line: str) -> None:
    assert classify(line, addressed=True) is Intent.GREETING
    assert classify(line, addressed=False) is Intent.GREETING


@pytest.mark.parametrize("line", CHATTER)
def test_chatter_between_people_is_left_alone_in_a_thread(line: str) -> None:
    assert classify(line, addressed=False) is Intent.CHATTER


def test_a_phrase_addressed_to_the_bot_is_a_search_but_emoji_are_not() -> None:
    assert is_question("Chris Carter expulsion", addressed=True)
    assert not is_question("Chris Carter expulsion", addressed=False)
    assert not is_question("👍", addressed=True)
