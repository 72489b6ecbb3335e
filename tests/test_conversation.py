"""Offline follow-up rewriting: which name a pronoun stands for."""

from __future__ import annotations

from bot.answering.answer import Answer, Citation
from bot.answering.follow_up import names_in, refers_back, rewrite_follow_up
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


def test_a_question_typed_in_lowercase_is_new_unless_it_leans_back() -> None:
    # As Conversation.previous_questions gives them: the answer, then the question (which wins).
    previous = ["Mr Little said the party was reluctant to expel Mr Carter.", "Why was Chris Carter expelled?"]
    # A new subject typed as people type in a chat is not about whoever the last answer named…
    assert rewrite_follow_up("was sharma kicked out", previous) == "was sharma kicked out"
    assert not refers_back("was sharma kicked out")
    # …nor is "it" in "is it true that…" anyone…
    assert rewrite_follow_up("is it true that labour expelled carter", previous) == (
        "is it true that labour expelled carter"
    )
    # …but a question with a pronoun, or next to no words of its own, is a follow-up.
    assert refers_back("how much was the fine") and refers_back("what about goff") and refers_back("why?")
    assert rewrite_follow_up("did he appeal", previous) == "did Chris Carter appeal"


def test_a_bare_why_asks_the_previous_question_why() -> None:
    said = ["Mr Little said there was reluctance to expel Mr Carter."]
    assert rewrite_follow_up("why", said, "did anyone get expelled from labour") == (
        "why did anyone get expelled from labour?"
    )
    assert rewrite_follow_up("Why?", said, "When was Chris Carter expelled?") == "Why was Chris Carter expelled?"
    # Not "why (Little)?": the answer's first name is not what the asker wants explained.
    assert "Little" not in rewrite_follow_up("how come", said, "was Carter expelled")


def test_a_sentence_opener_is_not_part_of_a_name() -> None:
    assert names_in("As Dr Sharma was suspended, he waited. After Mr Goff spoke") == ["Sharma", "Goff"]


def test_when_did_that_happen_asks_about_the_previous_questions_event() -> None:
    said = ["The Labour Party expelled MP Chris Carter late last night."]
    # Not "(Labour Party)", the first name in the answer: the event is what the last question asked about.
    first = rewrite_follow_up("when did that happen", said, "who was expelled from labour")
    assert first == "when did that happen (who was expelled from labour)?"
    # A chain of such follow-ups stays about the same event, not nested ever deeper.
    assert rewrite_follow_up("where did it take place", said, first) == (
        "where did it take place (who was expelled from labour)?"
    )
    # "that" with a person's pronoun is about the person; a question with words of its own is new.
    assert rewrite_follow_up("when did he say that", said, "who was expelled") == "when did Chris Carter say that"
    assert rewrite_follow_up("who took the place of goff", said, "who was expelled") == "who took the place of goff"


def test_and_someone_else_asks_the_previous_question_about_them() -> None:
    said = ["As Dr Sharma was suspended, he had to wait outside."]
    # "sharma", typed in lower case, is a name the last answer used: it is the subject swapped out.
    assert rewrite_follow_up("and carter?", said, "what happened to sharma") == "what happened to carter?"
    assert rewrite_follow_up("what about sharma", ["Mr Carter left."], "Why was Chris Carter expelled?") == (
        "Why was sharma expelled?"
    )
    # The words before the brackets were asked last: "and sharma?" swaps Goff, not the Carter beside it
    # (it was "what did goff say (why was sharma expelled)?", answered with Goff on Carter).
    after_goff = ["Mr Goff said he was pleased with the decision.", "Mr Carter was expelled."]
    assert rewrite_follow_up("and sharma?", after_goff, "what did goff say (why was carter expelled)") == (
        "what did sharma say (why was carter expelled)?"
    )
    # Not "(Sharma)", a name from the answer: a bare "why" leans on the question, and so does what follows it.
    why = rewrite_follow_up("why", said, "what happened to sharma")
    assert why == "why (what happened to sharma)?"
    assert rewrite_follow_up("what happened next", said, why) == "what happened next (what happened to sharma)?"


def test_and_then_and_when_exactly_after_a_who_question_keep_its_event() -> None:
    said = ["The Labour Party expelled MP Chris Carter late last night."]
    assert rewrite_follow_up("and then?", said, "who was expelled from labour") == (
        "and then (who was expelled from labour)?"  # not "(Chris Carter)", nor "(Labour Party)"
    )
    # Not "when exactly was expelled from labour?": a "who" question cannot lend its verb alone.
    assert rewrite_follow_up("when exactly", said, "who was expelled from labour") == (
        "when exactly (who was expelled from labour)?"
    )


def test_he_after_a_who_question_is_the_name_the_answer_gives_for_it() -> None:
    conversation = Conversation()
    said = "Mr Carter's letter said finance spokesman David Cunliffe has a big smile on his face."
    conversation.add(turn("Who was the finance spokesman Carter mentioned?", said, "000"))
    # Not Carter, whom the question already named: the name after a word of the question.
    assert rewrite_follow_up("does he support goff", conversation.previous_questions(), "x") == (
        "does David Cunliffe support goff"
    )
    # A pronoun opening a sentence ("His statements…") is nobody's name.
    assert names_in("His statements accuse Kieran McAnulty. He denies it.") == ["Kieran McAnulty"]


def test_it_and_one_word_follow_ups_ask_about_the_last_question_not_a_name() -> None:
    said = ["Mr Carter threatened to disclose private information about Labour MPs."]
    assert rewrite_follow_up("why didn't it work", said, "what did carter threaten to do") == (
        "why didn't it work (what did carter threaten to do)?"  # not "why didn't Carter work"
    )
    assert rewrite_follow_up("which electorate?", said, "When was Chris Carter first elected?") == (
        "which electorate (When was Chris Carter first elected)?"
    )


def test_and_followed_by_a_whole_question_is_that_question() -> None:
    said = ["Prime Minister Jacinda Ardern said his statements were blatantly incorrect."]
    asked = "What did Jacinda Ardern say about Sharma's statements?"
    assert rewrite_follow_up("and what did she say after the expulsion?", said, asked) == (
        "what did Jacinda Ardern say after the expulsion?"
    )


def test_a_name_alone_asks_the_last_question_of_that_name() -> None:
    said = ["As Dr Sharma was suspended, he had to wait outside."]
    # Was "Carter (why was Sharma expelled)?", answered about Sharma.
    assert rewrite_follow_up("Carter?", said, "why was Sharma expelled?") == "why was Carter expelled?"
    # In lower case, only a name the conversation wrote: another word may be anything.
    assert rewrite_follow_up("sharma", said, "why was Carter expelled?") == "why was sharma expelled?"
    assert rewrite_follow_up("expulsion", said, "why was Carter expelled?") == "expulsion (why was Carter expelled)?"


def test_rewrites_the_second_conversation_set_showed_wrong() -> None:
    # "However, Mr Little told NZPA…": a sentence adverb is nobody's name.
    assert names_in("However, Mr Little told NZPA that Mr Carter was wrong.") == ["Little", "Carter"]
    # "and about X" swaps the previous question's phrase, not its subject.
    asked = "What did Goff say about the council's decision?"
    swapped = rewrite_follow_up("and about Carter's behaviour?", ["x"], asked)
    assert swapped == "What did Goff say about Carter's behaviour?"
    # "why would he?" asks the previous question why, beside it rather than spliced into it.
    asked = "Is Carter going to resign from his seat?"
    assert rewrite_follow_up("why would he?", ["Mr Carter may resign."], asked) == f"why would he ({asked[:-1]})?"


def test_rewrites_the_third_conversation_set_showed_wrong() -> None:
    # "I've never bullied anybody," McAnulty responded: "I've" is nobody's name.
    answer = '"I\'m not a bully, I\'ve never bullied anybody," McAnulty responded.'
    assert names_in(answer) == ["McAnulty"]
    asked = "Who did Sharma call a bully?"
    assert rewrite_follow_up("was he the whip?", [asked, answer], asked) == "was McAnulty the whip?"
    # A title inside a run of capitals starts the name: Gaurav Sharma is a person, not "Labour".
    assert names_in("Rogue Labour MP Dr Gaurav Sharma has been booted out.") == ["Gaurav Sharma"]
    # "Who is David Cunliffe?" asks about him: "he" is Cunliffe, not the first name of the answer.
    asked = "Who is David Cunliffe?"
    answer = 'Mr Carter\'s letter said finance spokesman David Cunliffe "has a big smile on his face".'
    assert rewrite_follow_up("will he challenge Goff?", [asked, answer], asked) == "will David Cunliffe challenge Goff?"
    # A third turn leans on the first question's event, not on the second's wrapping of it.
    first = "Where did Carter make his case?"
    second = rewrite_follow_up("which room?", [first, "x"], first)
    assert second == "which room (Where did Carter make his case)?"
    third = rewrite_follow_up("and what did the council do after that?", ["x"], second)
    assert third == "what did the council do after that (Where did Carter make his case)?"
    # An office before a name is no part of it: "she" is Jacinda Ardern, so the follow-up quotes what
    # she said after the vote, not the sentence that names her office.
    said = '"He has certainly made statements which are blatantly incorrect," said Prime Minister Jacinda Ardern.'
    assert names_in(said) == ["Jacinda Ardern"]
    asked = "Who said Sharma had made blatantly incorrect statements?"
    rewritten = rewrite_follow_up("what did she say after the vote?", [asked, said], asked)
    assert rewritten == "what did Jacinda Ardern say after the vote?"


def test_she_is_no_man_and_he_no_woman_when_the_conversation_says_which() -> None:
    def after(asked: str, answer: str, follow_up: str) -> str:
        return rewrite_follow_up(follow_up, [asked, answer], asked)

    # Asked about Carmel Sepuloni and Sharma, "he" is Sharma: her first name says she is no "he".
    sepuloni = ("What did Carmel Sepuloni say about Sharma?", "Ms Sepuloni said the caucus had been patient.")
    assert after(*sepuloni, "and what did he say after the meeting?") == "what did Sharma say after the meeting?"
    # A title on second mention says it too, whichever way round.
    both = ("Did Mr Hipkins and Ms Allan talk about the bill?", "Mr Hipkins spoke first; Ms Allan said nothing.")
    assert after(*both, "what did she want?") == "what did Allan want?"
    assert after(*both, "what did he want?") == "what did Hipkins want?"
    # When every name is ruled out, "she" is someone the conversation has not named: the follow-up keeps
    # the pronoun and leans on the last question ("Mr Carter's" names a man too).
    little = ("What did Andrew Little say about Carter?", "Andrew Little said Mr Carter's actions were disloyal.")
    assert after(*little, "and what did she say") == "what did she say (What did Andrew Little say about Carter)?"
    # A full stop after the name hides nothing: "…said Prime Minister Jacinda Ardern." is a woman's name.
    ardern = ("what did ardern say about sharma", '"He has made false statements," said Prime Minister Jacinda Ardern.')
    assert after(*ardern, "is it over for him") == "is it over for him (what did ardern say about sharma)?"
    # Without a last question to lean on, the pronoun takes the newest person rather than nobody.
    assert rewrite_follow_up("what did she want?", ["Why did Mr Hipkins resign?"]) == "what did Hipkins want?"


def test_a_participle_or_nothing_opening_a_sentence_is_no_name() -> None:
    # The fourth conversation set had "How did he say sorry?" become "How did Ordered say sorry?".
    assert names_in("Ordered to apologise, Carter said sorry. Nothing more was said.") == ["Carter"]
    assert names_in("Mohammed said so. He moved to Reading.") == ["Mohammed", "Reading"]


def test_a_name_typed_in_lower_case_is_one_when_the_cited_paragraph_capitalises_it() -> None:
    quote = "The letter was meant to prompt a change of leader."

    def answered(paragraph: str) -> Answer:
        cited = (Citation(1, "000", "label", 7, quote, paragraph_text=paragraph),)
        asked = "what did carter want his letter to do"
        return Answer(asked, f"{quote} [1]", cited, grounded=True, standalone_question=asked)

    # The answer names nobody, and neither does its paragraph: "carter" is a lower-case word, no one.
    conversation = Conversation()
    conversation.add(answered(quote))
    assert rewrite_follow_up("did anyone back him", conversation.previous_questions()) == "did anyone back him"
    # The paragraph writes "Mr Carter": the question's "carter" is his name, and "him" is Carter.
    conversation = Conversation()
    conversation.add(answered(f"Mr Carter said so. {quote}"))
    assert rewrite_follow_up("did anyone back him", conversation.previous_questions()) == "did anyone back Carter"


def test_a_first_name_given_to_both_or_a_surname_elsewhere_says_nothing() -> None:
    from bot.answering.genders import gender_of

    assert gender_of("Carmel Sepuloni", []) == "female" and gender_of("Gaurav Sharma", []) == "male"
    # "Kim" opens a Korean name with the surname: Kim Jong Un must stay a "he".
    assert gender_of("Kim Jong Un", []) is None
    assert rewrite_follow_up("what did he threaten?", ["What did Kim Jong Un say about the drills?"]) == (
        "what did Kim Jong Un threaten?"
    )


def test_a_question_word_with_its_preposition_asks_the_last_question_again_that_way() -> None:
    # He made his case "for four hours": "for how long (Where did Carter make his case)?" was answered with where.
    first = "Where did Carter make his case?"
    assert rewrite_follow_up("for how long?", [first, "x"], first) == "for how long did Carter make his case?"
    assert rewrite_follow_up("until when?", ["x"], "Will Carter stay on as an MP?") == (
        "until when will Carter stay on as an MP?"
    )
    assert rewrite_follow_up("by whom?", ["x"], "Was Carter expelled?") == "by whom was Carter expelled?"
    # A count has nothing to splice into: "how many did MPs vote…" is no question.
    asked = "Did MPs vote to expel Sharma?"
    assert rewrite_follow_up("how many?", ["x"], asked) == f"how many ({asked[:-1]})?"


def test_they_is_the_group_the_last_question_named_and_he_the_person() -> None:
    asked = "y did the council expel carter"
    said = ["Mr Carter was told of the decision late last night.", asked]
    assert rewrite_follow_up("wat were they lookin for from him", said, asked) == (
        "wat were the council lookin for from Carter"
    )
    asked = "What did Labour MPs say about Sharma?"
    assert rewrite_follow_up("did they vote to expel him?", ["x", asked], asked) == (
        "did Labour MPs vote to expel Sharma?"
    )
    asked = "Why did Labour expel Carter?"
    assert rewrite_follow_up("what did they say about his letter", ["x", asked], asked) == (
        "what did Labour say about Carter's letter"
    )
    # No group named: "they" stays, and "him" is still the person.
    asked = "When was Carter expelled?"
    assert rewrite_follow_up("what did they tell him", ["Mr Carter left.", asked], asked) == "what did they tell Carter"


def test_a_place_is_no_him() -> None:
    # "wud labour put up a candidate against him" was read "…against Te Atatu".
    asked = "is Carter gonna stand in Te Atatu again"
    said = "He will be an independent MP and if he decides to contest Te Atatu he will face a Labour candidate."
    assert rewrite_follow_up("wud labour put up a candidate against him", [said, asked], asked) == (
        "wud labour put up a candidate against Carter"
    )
    asked = "is carter gonna stand in Te Atatu again"  # nobody named: "him" stays
    assert rewrite_follow_up("wud labour put up a candidate against him", [said, asked], asked) == (
        "wud labour put up a candidate against him"
    )


def test_a_name_with_an_accent_is_one_name() -> None:
    # "Stéphane Bancel" was "St" and "Bancel"; "he" now stands for the whole name.
    assert names_in("What did Stéphane Bancel say about the vaccine?") == ["Stéphane Bancel"]
    asked = "What did Stéphane Bancel say about the vaccine?"
    assert rewrite_follow_up("when did he say it?", ["x", asked], asked) == "when did Stéphane Bancel say it?"
