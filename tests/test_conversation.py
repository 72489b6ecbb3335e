"""Offline follow-up rewriting: which name a pronoun stands for."""

from __future__ import annotations

from bot.answering.answer import Answer, Citation
from bot.answering.follow_up import rewrite_follow_up
from bot.conversation import Conversation


def turn(question: str, text: str, article_id: str = "002") -> Answer:
    cited = (Citation(1, article_id, "label", 1, text),)
    return Answer(question, f"{text} [1]", cited, grounded=True, standalone_question=question)


def test_he_is_a_person_from_the_answer_to_a_who_question() -> None:
    conversation = Conversation()
    conversation.add(turn("Who is the Labour Party president?", "Party president Andrew Little says so."))
    previous = conversation.previous_questions()
    assert rewrite_follow_up("When did he say that?", previous) == "When did Andrew Little say that?"


def test_a_pronoun_never_stands_for_someone_the_follow_up_names() -> None:
    previous = ["Why did Andrew Little say Chris Carter was expelled?"]
    assert rewrite_follow_up("What did he say about Carter's actions?", previous) == (
        "What did Andrew Little say about Carter's actions?"
    )
    assert rewrite_follow_up("What did he say about Carter?", ["Why was Chris Carter expelled?"]) == (
        "What did he say about Carter?"  # nobody else to refer to: left as asked
    )


def test_the_question_wins_over_its_answer_unless_it_asked_who() -> None:
    conversation = Conversation()
    conversation.add(turn("Why was Chris Carter expelled?", "Phil Goff called it disloyal.", "000"))
    assert rewrite_follow_up("When was he elected?", conversation.previous_questions()) == (
        "When was Chris Carter elected?"
    )
    conversation.add(turn("Who led the party?", "Phil Goff led it.", "003"))
    assert conversation.cited_articles() == ["003", "000"]  # newest first, for retrieval
    assert rewrite_follow_up("Was he re-elected?", conversation.previous_questions()) == "Was Phil Goff re-elected?"
