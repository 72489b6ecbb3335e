"""Golden questions over the bundled articles, with the real model and a real Chroma store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.conversation import Conversation
from bot.service import NewsbotService


def _gold_ids(question: dict) -> set[str]:
    return {f"{name.rsplit('.', 1)[0]}#{number}" for name, number in question["gold_any"]}


def test_every_answerable_seed_question_has_a_gold_paragraph_in_the_top_4(seed_service, seed_questions) -> None:
    misses = []
    for q in seed_questions:
        if not q["answerable"]:
            continue
        top = [hit.paragraph.id for hit in seed_service.searcher.search(q["question"], 4)]
        if not _gold_ids(q) & set(top):
            misses.append((q["id"], top))
    assert misses == []


def _answerable(seed_questions: list[dict]) -> list[dict]:
    return [q for q in seed_questions if q["answerable"]]


@pytest.mark.parametrize("index", range(11))
def test_answer_contains_the_expected_words_and_cites_a_gold_paragraph(seed_service, seed_questions, index) -> None:
    q = _answerable(seed_questions)[index]
    answer = seed_service.ask(q["question"])
    assert answer.grounded, answer.text
    assert any(expected.lower() in answer.text.lower() for expected in q["answer_any"]), answer.text
    cited = {f"{c.article_id}#{c.paragraph}" for c in answer.citations}
    assert cited & _gold_ids(q), (cited, answer.text)
    for citation in answer.citations:
        assert citation.quote in citation.paragraph_text
        assert f"[{citation.n}]" in answer.text


@pytest.mark.parametrize("index", range(2))
def test_unanswerable_seed_questions_abstain(seed_service, seed_questions, index: int) -> None:
    q = [q for q in seed_questions if not q["answerable"]][index]
    answer = seed_service.ask(q["question"])
    assert not answer.grounded, (q["question"], answer.text)
    assert answer.citations == ()
    assert answer.text.startswith("The articles don't say")


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",
        "How many goals did Messi score in the World Cup final?",
        "What is the boiling point of water?",
    ],
)
def test_questions_about_absent_things_abstain(seed_service, question: str) -> None:
    assert not seed_service.ask(question).grounded


def test_the_design_cards_why_question_is_answered_with_the_reason_cited(seed_service) -> None:
    answer = seed_service.ask("Why was Chris Carter expelled from the Labour Party?")
    assert answer.grounded
    assert "expelled" in answer.text
    assert all(c.article_id[:3] in {"000", "002", "003"} for c in answer.citations)
    # The lead says what happened ("after a meeting that lasted more than six hours"); the reason is
    # in the paragraph after it, and that paragraph is cited.
    assert "foment internal discontent" in answer.text
    assert ("002", 2) in {(c.article_id[:3], c.paragraph) for c in answer.citations}


@pytest.mark.parametrize(
    "question",
    [
        "Why did Labour expel Chris Carter?",
        "why did the party expel carter",
        "y did the council expel carter",
        "why did labour kick carter out",
    ],
)
def test_the_why_question_asked_other_ways_gets_the_reason_not_the_reluctance(seed_service, question: str) -> None:
    # Each quoted "…there was reluctance to expel Mr Carter because of his history with the Labour
    # Party" (003 ¶16): a cause, but of holding back, not of the expulsion.
    answer = seed_service.ask(question)
    assert "reluctance" not in answer.text, answer.text
    reasons = {("002", 2), ("003", 3)}
    assert reasons & {(c.article_id[:3], c.paragraph) for c in answer.citations}, answer.text


def test_a_why_question_about_the_reluctance_itself_gets_it(seed_service) -> None:
    # The reluctance sentence is left out of why answers about the expulsion (above), not of this one.
    answer = seed_service.ask("Why was there reluctance to expel Carter?")
    assert ("003", 16) in {(c.article_id[:3], c.paragraph) for c in answer.citations}, answer.text
    assert "because of his history" in answer.text


def test_yes_or_no_is_said_only_of_a_sentence_holding_more_than_the_asked_names(seed_service) -> None:
    # "say" and "again" are too common to count: only "Carter" was left, and "Mr Carter was told of the
    # decision late last night" held all of it, so it was answered "Yes." (he said he would not).
    answer = seed_service.ask("Did Carter say he would do it again?")
    assert not answer.text.startswith(("Yes", "No")), answer.text
    answer = seed_service.ask("Was Carter New Zealand's first openly gay Cabinet minister?")
    assert answer.text.startswith("Yes. "), answer.text


def test_an_accusation_is_no_yes(seed_service) -> None:
    # Was "Yes. His statements include accusations that former whip Kieran McAnulty is a bully."
    answer = seed_service.ask("is mcanulty a bully")
    assert not answer.text.startswith(("Yes", "No")) and "accusations" in answer.text, answer.text


def test_what_could_not_be_is_no_no_to_what_was(seed_service) -> None:
    # Was "No. …claiming … that Labour couldn't win next year's election with Mr Goff at the helm.":
    # a claim about what cannot be, not a result.
    answer = seed_service.ask("did labour win the election")
    assert not answer.text.startswith(("Yes", "No")), answer.text


@pytest.mark.parametrize(
    ("question", "cited", "words"),
    [
        # Quoted Carter ("Nothing I put in my letter was incorrect…", his paragraph opens "Mr Carter said").
        pytest.param(
            "wat did goff think of carters letter",
            ("000", 8),
            "stupid and disloyal",
            # Goff's two reactions tie (0.0149 and 0.0165 of the model's probability): since stop 83 embeds
            # each sentence alone, "…pleased with the decision…" (002 ¶14) wins by a hair. Both are Goff's
            # words; the next refit of the answer model, on these vectors, decides (docs/quality.md, stop 83).
            marks=pytest.mark.xfail(reason="a near tie the alone-embedded vectors tip the other way", strict=True),
        ),
        # Quoted Little on the party's reluctance.
        ("How did Carter react to being expelled?", ("003", 5), "overreaction"),
        # Quoted Carter's "…a ridiculous over reaction to make Phil Goff look strong": about Goff, not by him.
        ("What did Phil Goff say about Carter?", ("000", 8), "stupid and disloyal"),
        # Quoted Goff on Carter ("Mr Goff described Mr Carter's actions…"): words of another named speaker.
        ("What did Carter say about Goff?", ("000", 6), "snowball"),
    ],
)
def test_what_someone_said_is_answered_with_their_words(seed_service, question: str, cited, words: str) -> None:
    answer = seed_service.ask(question)
    assert cited in {(c.article_id[:3], c.paragraph) for c in answer.citations}, answer.text
    assert words in answer.text


def test_words_a_group_said_as_they_are_quoted_after_the_sentence_naming_them(seed_service) -> None:
    # Quoted only "…Dr Sharma was greeted with a couple of pats on the back from protesters…", not what they said.
    answer = seed_service.ask("what did protesters tell sharma")
    assert ("001", 3) in {(c.article_id[:3], c.paragraph) for c in answer.citations}, answer.text
    assert "My man, my man" in answer.text and answer.text.index("protesters") < answer.text.index("My man")
    # …while "he" after a sentence naming Goff is not Goff ("I wanted it to be a snowball…" is Carter's).
    answer = seed_service.ask("what did goff say")
    assert "stupid and disloyal" in answer.text and "snowball" not in answer.text, answer.text


@pytest.mark.parametrize("question", ["what did sharma's lawyer say", "What did Carter's husband say?"])
def test_what_someone_no_article_mentions_said_is_not_answered(seed_service, question: str) -> None:
    # Quoted "As Dr Sharma was suspended, he had to wait outside for his expulsion matter to be called.":
    # no story mentions a lawyer (or a husband), so nobody so described is quoted.
    answer = seed_service.ask(question)
    assert not answer.grounded and answer.text.startswith("The articles don't say"), answer.text
    # The speaker written otherwise still counts: "the prime minister" is "Prime Minister Jacinda Ardern".
    answer = seed_service.ask("what did the prime minister say about sharma")
    assert "blatantly incorrect" in answer.text, answer.text


def test_what_a_prime_minister_said_is_not_answered_by_any_minister(seed_service) -> None:
    # Ardern said nothing about Carter: this quoted her words about Sharma (from a story that never
    # names Carter), then Little's "…an outstanding minister for Labour…" (002 ¶10), no prime minister.
    answer = seed_service.ask("what did the prime minister say about carter")
    assert not answer.grounded and not answer.citations, answer.text
    assert "blatantly incorrect" not in answer.text and "outstanding minister" not in answer.text, answer.text


def test_a_length_of_time_without_a_number_answers_how_long(seed_service) -> None:
    # "an hour later" holds no number, so the answer-type filter left it out for "13 days" of leaking.
    answer = seed_service.ask("how long did sharma wait before the verdict")
    assert "an hour later" in answer.text and "13 days" not in answer.text, answer.text
    assert ("001", 14) in {(c.article_id[:3], c.paragraph) for c in answer.citations}


@pytest.mark.parametrize("question", ["How long has Carter been an MP?", "how long was carter an mp"])
def test_how_long_someone_has_been_something_is_answered_by_when_it_began(seed_service, question: str) -> None:
    # Was answered with the meeting that "lasted more than six hours", which is no time in office.
    answer = seed_service.ask(question)
    assert ("002", 15) in {(c.article_id[:3], c.paragraph) for c in answer.citations}, answer.text
    assert "in 1993" in answer.text and "hours" not in answer.text


def test_an_irregular_verb_finds_its_other_forms(seed_service) -> None:
    from retrieval.irregular import other_forms

    assert other_forms("leav") == ("left",) and other_forms("left") == ("leav",)
    # "leave" stems to "leav", "left" to "left": 002 ¶6 was never retrieved for this question.
    answer = seed_service.ask("what time did carter leave")
    assert ("002", 6) in {(c.article_id[:3], c.paragraph) for c in answer.citations}, answer.text
    assert "9.30pm" in answer.text


def test_how_many_people_is_not_answered_with_how_many_hours(seed_service) -> None:
    # "…made his case to the party's council for four hours…" counts hours, not council members.
    answer = seed_service.ask("How many people were on the party council?")
    assert not answer.grounded, answer.text


def test_disagreeing_articles_are_both_shown_and_cited(seed_service) -> None:
    answer = seed_service.ask("How long did the meeting last?")
    assert answer.conflict
    assert "six hours" in answer.text and "seven-hour" in answer.text
    sources = {(c.article_id[:3], c.paragraph) for c in answer.citations}
    assert {("002", 1), ("003", 2)} <= sources
    labels = {c.article_id[:3]: c.label for c in answer.citations}  # read back from the store
    assert labels["002"] == "The Labour Party expelled MP Chris Carter late last night…"
    assert labels["003"] == "Former Labour MP Chris Carter threatened to disclose the…"


def test_how_long_typed_casually_is_answered_with_a_length_of_time(seed_service) -> None:
    # "I think it was 61 to one …" (another meeting, a vote) holds a number but no length of time;
    # it was the answer to this wording before "how long" wanted one. The other article's
    # "seven-hour meeting" is the same measure told differently: both are shown, as for the
    # question's tidy wording (test_disagreeing_articles_are_both_shown_and_cited).
    answer = seed_service.ask("how long was the meeting")
    assert "six hours" in answer.text and "61 to one" not in answer.text, answer.text
    assert answer.conflict and "seven-hour" in answer.text, answer.text
    assert {("002", 1), ("003", 2)} <= {(c.article_id[:3], c.paragraph) for c in answer.citations}


def test_the_length_of_the_asked_thing_is_told_not_another_length(seed_service) -> None:
    from bot.answering import cues

    # Was "The articles disagree: …made his case to the party's council for four hours…", his case, not the meeting.
    answer = seed_service.ask("How long did the council meeting on Carter go for?")
    assert answer.conflict and "four hours" not in answer.text, answer.text
    assert {(c.article_id[:3], c.paragraph) for c in answer.citations} == {("002", 1), ("003", 2)}
    asked = "How long did the council meeting on Carter go for?"
    assert cues.measures_the_asked_thing("It came after a meeting that lasted more than six hours.", asked)
    assert not cues.measures_the_asked_thing("He made his case to the party's council for four hours.", asked)


def test_lengths_of_time_are_no_dispute_about_an_age(seed_service) -> None:
    # No article gives Carter's age: "four hours" against "a seven-hour meeting" is no disagreement
    # about it, and "Four hours" is no lead for it.
    answer = seed_service.ask("how old is carter")
    assert not answer.conflict and not answer.text.startswith("Four hours"), answer.text


def test_a_count_of_what_was_asked_shows_the_dispute_however_unlikely_the_model_finds_it(seed_service) -> None:
    # "seven-hour meeting" counts hours too: the model gives it under 0.01 against "more than six
    # hours", yet it is the same fact told differently, which the reader must see.
    answer = seed_service.ask("how many hours did the labour meeting last")
    assert answer.conflict and "six hours" in answer.text and "seven-hour" in answer.text, answer.text
    # Another fact counted in hours ("made his case … for four hours") is no dispute with the meeting.
    other = seed_service.ask("how many hours did carter make his case for")
    assert not other.conflict and "four hours" in other.text, other.text


def test_a_follow_up_is_understood_from_the_previous_question(seed_service) -> None:
    conversation = Conversation()
    seed_service.ask("Why was Chris Carter expelled from the Labour Party?", conversation)
    follow_up = seed_service.ask("When was he elected?", conversation)
    assert "Chris Carter" in follow_up.standalone_question
    assert "1993" in follow_up.text
    assert {(c.article_id[:3], c.paragraph) for c in follow_up.citations} >= {("002", 15)}


def test_tell_me_more_goes_on_with_the_story_just_cited(seed_service) -> None:
    conversation = Conversation()
    first = seed_service.ask("Why was Chris Carter expelled from the Labour Party?", conversation)
    story, last = first.citations[0].article_id, max(c.paragraph for c in first.citations)
    # Before: "The articles don't say" (a question with no words to look for).
    more = seed_service.ask("tell me more", conversation)
    assert more.grounded and more.citations[0].article_id == story, more.text
    assert more.citations[0].paragraph > last and more.citations[0].quote in more.text
    again = seed_service.ask("go on", conversation)
    assert again.citations[0].article_id == story and again.citations[0].paragraph > more.citations[0].paragraph
    # With nothing cited before, there is no story to go on with, and newsbot says so.
    for conversation in (Conversation(), None):
        alone = seed_service.ask("tell me more", conversation)
        assert not alone.grounded and alone.text.startswith("There is no story to go on with yet"), alone.text


def test_tell_me_more_at_the_end_of_a_story_says_so() -> None:
    from bot.answering.answer import Answer, Citation
    from bot.answering.continuation import continuation
    from corpus import Paragraph

    last = Answer("q", "It ended. [1]", (Citation(1, "a", "The story", 2, "It ended."),), grounded=True)
    story = {1: Paragraph("a", 1, "It began in the morning, as planned."), 2: Paragraph("a", 2, "It ended.")}
    ended = continuation("go on", last, [("a", 2)], lambda article, number: story.get(number))
    assert ended is not None and not ended.grounded and not ended.citations
    assert ended.text.startswith("That is all “The story” says"), ended.text


def test_whats_new_tells_the_latest_stories_from_their_leads(seed_service) -> None:
    conversation = Conversation()
    latest = seed_service.ask("what's new?", conversation)
    # Before: a quote about "Radio New Zealand" (for "new"); "list the articles" got "The articles don't say".
    assert latest.grounded and latest.text.startswith("The archive holds 4 articles; the latest:"), latest.text
    assert len(latest.citations) == 3 and len({c.article_id for c in latest.citations}) == 3
    assert all(c.paragraph == 1 and f"{c.quote}" in latest.text for c in latest.citations)
    assert seed_service.ask("list the articles").citations == latest.citations
    more = seed_service.ask("tell me more", conversation)  # goes on with the first of them
    assert more.citations[0].article_id == latest.citations[0].article_id and more.citations[0].paragraph == 2
    # A topic makes it a question about that topic, as before.
    assert not seed_service.ask("what is new with carter").text.startswith("The archive holds")


def test_the_latest_stories_are_the_newest_published_by_the_day_asked() -> None:
    import datetime as dt

    from bot.answering.overview import overview
    from corpus import Paragraph

    published = [("a", "2022-01-01"), ("b", "2022-03-01T10:00:00"), ("c", ""), ("d", "2022-02-01")]
    lead = {a: Paragraph(a, 1, f"Story {a} happened on the day.", published=day) for a, day in published}
    stored = lambda article, number: lead[article] if number == 1 else None  # noqa: E731
    found = overview("what's new", published, stored, as_of=dt.date(2022, 2, 15))
    # "b" was published after the day asked; the undated "c" comes after every dated one.
    assert [c.article_id for c in found.citations] == ["d", "a", "c"]
    assert found.text.splitlines()[0] == "The archive holds 3 articles:"
    assert "Story d happened on the day. (2022-02-01) [1]" in found.text


def test_a_question_in_another_language_that_finds_nothing_says_to_ask_in_english(seed_service) -> None:
    spanish = seed_service.ask("¿Por qué expulsaron a Carter del Partido Laborista?")
    # Before: only "The articles don't say", which reads as the articles' silence.
    assert not spanish.grounded and spanish.notes[-1].startswith("newsbot reads questions in English")
    short = seed_service.ask("¿Por qué expulsaron a Carter?")  # "a" is Spanish too
    assert short.notes[-1].startswith("newsbot reads questions in English")
    english = seed_service.ask("Why is the sky green on Mars?")
    assert not english.grounded and not english.notes  # an English question the articles don't answer


def test_who_is_someone_mid_conversation_asks_about_them_not_the_last_question(seed_service) -> None:
    conversation = Conversation()
    seed_service.ask("why was carter expelled", conversation)
    # Was "who is sharma (why was carter expelled)?", answered with Carter's expulsion.
    who = seed_service.ask("who is sharma", conversation)
    assert who.standalone_question == "who is sharma?" and "Gaurav Sharma" in who.text, who.text
    # A story told ("tell me more") is no question to lean on: the one before it is.
    seed_service.ask("tell me more", conversation)
    assert conversation.last_question() == "who is sharma?"


def test_a_few_words_typed_as_a_search_tell_the_story(seed_service) -> None:
    from bot.answering.topics import topic_of

    # "carter" got "The articles don't say"; "Chris Carter expulsion" quoted Carter's reaction.
    for typed in ("carter", "Chris Carter expulsion"):
        story = seed_service.ask(typed)
        assert story.grounded and story.citations[0].paragraph == 1 and "Carter" in story.text, story.text
    assert not seed_service.ask("the moon landing").grounded  # no story holds it
    assert topic_of("Name a common autoimmune disease.") is None  # an instruction, asked as before
    assert topic_of("carter expelled why?") is None


def test_what_happened_to_someone_tells_their_story(seed_service) -> None:
    from bot.answering.topics import topic_of

    # Read as a question, no sentence held more of it than the name, and the check turned them all down.
    story = seed_service.ask("what happened to chris carter")
    assert story.grounded and story.citations[0].paragraph == 1 and "Carter" in story.text, story.text
    sharma = seed_service.ask("What happened to Sharma?")
    assert sharma.citations[0].article_id.startswith("001") and "booted out of caucus" in sharma.text
    assert not seed_service.ask("what happened to boris johnson").grounded  # no story holds him
    # A longer subject asks a detail, and a pronoun is the conversation's to rewrite.
    assert topic_of("What happened to the mayor's former chief of staff Dana Reyes?") is None
    assert topic_of("what happened to him") is None


def test_a_bare_why_with_nothing_before_it_asks_for_a_whole_question(seed_service) -> None:
    alone = seed_service.ask("why?")
    # Before: "The articles don't say", as if the articles had been asked something.
    assert not alone.grounded and alone.text.startswith("Ask a whole question"), alone.text
    conversation = Conversation()
    seed_service.ask("why was carter expelled", conversation)
    assert seed_service.ask("why?", conversation).grounded  # after a question, it follows it up


def test_when_did_that_happen_is_answered_about_the_event_just_asked(seed_service) -> None:
    conversation = Conversation()
    seed_service.ask("who was expelled from labour", conversation)
    follow_up = seed_service.ask("when did that happen", conversation)
    assert "expelled" in follow_up.standalone_question  # before: "when did that happen (Labour Party)?"
    assert follow_up.grounded and "last night" in follow_up.text, follow_up.text


def test_and_someone_else_is_the_previous_question_about_them(seed_service) -> None:
    conversation = Conversation()
    first = seed_service.ask("what happened to sharma", conversation)
    assert {c.article_id[:3] for c in first.citations} == {"001"}, first.text
    follow_up = seed_service.ask("and carter?", conversation)
    assert follow_up.standalone_question == "what happened to carter?"  # before: "and carter (Sharma)?"
    assert follow_up.grounded and "Carter" in follow_up.text, follow_up.text
    assert {c.article_id[:3] for c in follow_up.citations} <= {"000", "002", "003"}


def test_he_after_a_who_question_is_the_person_the_answer_named(seed_service) -> None:
    conversation = Conversation()
    first = seed_service.ask("Who is the party president?", conversation)
    assert "Andrew Little" in first.text
    follow_up = seed_service.ask("When did he say that?", conversation)
    assert follow_up.standalone_question == "When did Andrew Little say that?"  # not "the Labour Party"
    assert "Andrew Little said" in follow_up.text


def test_a_near_miss_is_not_answered_but_its_story_is_offered(seed_service) -> None:
    # The story is in the archive, the asked detail (his electorate) is not. The answer model's best
    # sentence is about Sharma's expulsion; the answer check (a reader trained on such traps) rejects it.
    asked = "Which electorate was Gaurav Sharma representing when Labour threw him out of its caucus?"
    answer = seed_service.ask(asked)
    assert not answer.grounded and answer.citations == ()
    assert answer.text.startswith("The articles don't say")
    assert answer.related and answer.related[0].article_id.startswith("001")


def test_a_near_miss_the_model_is_sure_of_is_still_checked(seed_service) -> None:
    # No article names Sharma's lawyer. The answer model was sure enough of a sentence in which Sharma
    # speaks (0.44) that the check was not asked, and it quoted it (until stop 74). For "what"/"which"
    # and "who" questions the check now reads such answers too (benchmarks/fit_check_sure.py).
    answer = seed_service.ask("What was the name of Sharma's lawyer?")
    assert not answer.grounded and answer.citations == ()
    assert answer.text.startswith("The articles don't say")
    assert answer.related and answer.related[0].article_id.startswith("001")


def test_a_story_the_answer_type_filter_leaves_out_is_still_offered(seed_service) -> None:
    # "How far" keeps only sentences with a length, and none has one (it quoted "…a one-way ticket to
    # political Siberia" until stop 57); the paragraph of his flight into Wellington is the related reading.
    answer = seed_service.ask("how far is wellington airport from parliament")
    assert not answer.grounded and answer.citations == ()
    first = answer.related[0]
    assert (first.article_id[:3], first.paragraph) == ("001", 2)
    assert not seed_service.ask("how far did sharma travel to get to parliament").grounded
    # A question naming nothing is offered nothing from the paragraphs alone.
    assert seed_service.ask("how hot did it get in macon georgia durng the heat wave").related == ()


# With the reader (stop 20) the best sentence, which names Andrew Little as the one who "says", scored
# under the threshold, and from stop 24 a sentence about Carter came first: "The articles don't say"
# (an expected failure until stop 45). A sentence that gives the asked role to a name now answers it.
@pytest.mark.parametrize(
    "question", ["Who is the Labour Party president?", "Who is the president of the Labour Party?"]
)
def test_who_is_the_labour_party_president(seed_service, question: str) -> None:
    answer = seed_service.ask(question)
    assert answer.text.startswith("Andrew Little: "), answer.text
    assert "party president andrew little" in answer.text.lower(), answer.text


def test_an_answer_does_not_depend_on_the_questions_asked_before_it(seed_service) -> None:
    # A long-running bot answers many people: what it says to one must not depend on what others
    # asked first. The evidence weighed (every candidate's probability) must be the same, exactly.
    question = "Why was Chris Carter expelled from the Labour Party?"

    def weighed() -> tuple[str, list[tuple[str, float]]]:
        hits = seed_service.searcher.search(question, seed_service.settings.top_k)
        candidates = seed_service.extractive.candidates(question, hits)
        return seed_service.ask(question).text, [(c.text, c.probability) for c in candidates]

    seed_service.embedder.clear_cache()
    asked_first = weighed()
    seed_service.embedder.clear_cache()
    for other in ("How long did the meeting last?", "What did Carter do on July 29?", "Who is Phil Goff?"):
        seed_service.ask(other)
    assert weighed() == asked_first


def test_a_follow_up_leans_on_the_articles_already_cited(seed_service) -> None:
    conversation = Conversation()
    first = seed_service.ask("Why was Chris Carter expelled from the Labour Party?", conversation)
    follow_up = seed_service.ask("What did he say about Carter's actions?", conversation)
    # "he" cannot be Carter (the question names him) and is not a party: the question stays as asked…
    assert "Labour Party say" not in follow_up.standalone_question
    # …and retrieval, preferring the articles about Carter, finds what was said about his actions.
    assert follow_up.grounded and "Carter's actions" in follow_up.text
    assert all(c.article_id[:3] in {"000", "002", "003"} for c in first.citations + follow_up.citations)


def test_a_new_subject_typed_in_lowercase_is_not_taken_as_a_follow_up(seed_service) -> None:
    conversation = Conversation()
    seed_service.ask("did anyone get expelled from labour", conversation)
    # Lowercase, no "?", no capitalised name: still a new question about Sharma, not one about
    # whoever the last answer named, and not confined to the articles it cited.
    answer = seed_service.ask("was sharma kicked out", conversation)
    assert answer.standalone_question == "was sharma expelled?"  # "kicked out" read as the articles say it
    assert answer.grounded and "Sharma" in answer.text
    assert {c.article_id[:3] for c in answer.citations} == {"001"}


def test_a_new_conversation_forgets_the_previous_subject(seed_service) -> None:
    conversation = Conversation()
    seed_service.ask("Why was Chris Carter expelled from the Labour Party?", conversation)
    conversation.clear()
    answer = seed_service.ask("When was he elected?", conversation)
    assert answer.standalone_question == "When was he elected?"


@pytest.mark.parametrize("question", ["", "   ", "?!?...", "\x00\x07\x1b"])
def test_questions_without_words_get_a_clear_error(seed_service, question: str) -> None:
    from config.errors import QuestionError

    with pytest.raises(QuestionError, match="Please ask a question"):
        seed_service.ask(question)


def test_very_long_and_foreign_script_questions_do_not_crash(seed_service) -> None:
    assert seed_service.ask("Carter " * 5000).question
    assert not seed_service.ask("東京の人口は何人ですか？").grounded


def test_politeness_does_not_turn_an_answer_into_an_abstention(seed_service) -> None:
    for wrapped in (
        "What words did Phil Goff use to describe what Carter did? Thanks.",
        "Quick question: what words did Phil Goff use to describe what Carter did?",
    ):
        answer = seed_service.ask(wrapped)
        assert answer.grounded and "stupid and disloyal" in answer.text, wrapped


def test_a_message_is_split_into_the_questions_it_asks() -> None:
    from bot.service import split_questions

    assert split_questions("What did Goff say? And how long was the meeting?") == [
        "What did Goff say?",
        "And how long was the meeting?",
    ]
    assert split_questions("carter??? expelled?!? why") == ["carter??? expelled?!? why"]  # one, typed loudly
    assert split_questions("Really? Why was Carter expelled?") == ["Really? Why was Carter expelled?"]
    assert split_questions("Why was Carter expelled? why") == ["Why was Carter expelled? why"]
    assert split_questions("Was it a 'yes?' vote") == ["Was it a 'yes?' vote"]


def test_two_questions_in_one_message_are_both_answered_each_cited(seed_service) -> None:
    conversation = Conversation()
    answer = seed_service.ask("What did Goff say? And how long was the meeting?", conversation)
    first, second = answer.text.split("\n\n")
    assert first.startswith("What did Goff say?\n") and "stupid and disloyal" in first
    assert "six hours" in second or "seven-hour" in second, second  # the follow-up read as a question of its own
    assert answer.grounded and [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}  # every marker has its source, numbered on from the first part
    assert len(conversation.turns) == 2  # a follow-up after it follows on from the last question


def test_more_than_three_questions_in_one_message_are_named_not_dropped(seed_service) -> None:
    answer = seed_service.ask(
        "Why was Carter expelled? What did Goff say? Who is the party president? How long was the meeting?"
    )
    assert answer.text.count("\n\n") == 2
    assert answer.notes and "How long was the meeting?" in answer.notes[-1]


def test_words_leaned_on_in_a_chat_are_not_read_as_asked(seed_service) -> None:
    from bot.service import clean_question

    assert clean_question("so who actually won the record powerball jackpot") == "who won the record powerball jackpot"
    assert clean_question("Okay so, how much did it really cost?") == "how much did it cost?"
    assert clean_question("so whats the reason") == "what is the reason"
    # Not when "so" begins what is asked, nor "and", which begins a follow-up.
    assert clean_question("So far how many died") == "So far how many died"
    assert clean_question("and what did she say after") == "and what did she say after"
    # Words clipped in a chat, spelt out as the articles write them (a shouted one is no name).
    assert clean_question("which street is labour hq on") == "which street is labour headquarters on"
    assert clean_question("how many hrs was the Labour HQ meeting") == (
        "how many hours was the Labour headquarters meeting"
    )
    assert clean_question("Whats new") == "What is new"
    assert clean_question("how much did the batman make on its opening wknd") == (
        "how much did the batman make on its opening weekend"
    )
    assert clean_question("why did it cost $2 bn bc of the delays") == (
        "why did it cost $2 billion because of the delays"
    )
    assert clean_question("why did carter get booted") == "why was carter expelled"
    # The story first, then what is asked, as in a chat: the asking part is read first.
    assert clean_question("carter expulsion why") == "why carter expulsion"
    assert clean_question("Costco chicken: why so cheap?") == "Why so cheap Costco chicken?"
    assert clean_question("In what year did it happen, and why") == "In what year did it happen, and why"
    assert clean_question("the man who shot him, when was he arrested") == "the man who shot him, when was he arrested"
    assert clean_question("By how much did reserves drop?") == "By how much did reserves drop?"
    assert clean_question("Roughly when did it start") == "Roughly when did it start"
    assert clean_question("Many residents who are still recovering were hit") == (
        "Many residents who are still recovering were hit"
    )
    assert clean_question("meeting at 3 pm") == "meeting at 3 pm"
    assert clean_question("why r they leaving, did u see the u.s. report") == (
        "why are they leaving, did you see the u.s. report"
    )


def test_who_holds_a_role_asked_without_the_is_answered_by_its_holder(seed_service) -> None:
    # Was not found: "pm" after "was" was left as typed, and "who was prime minister" (no "the") not
    # read as asking who holds the role.
    answer = seed_service.ask("who was pm when sharma got booted")
    assert answer.grounded and answer.text.startswith("Jacinda Ardern"), answer.text


def test_someones_reaction_typed_as_a_topic_is_what_they_said(seed_service) -> None:
    from bot.service import clean_question

    assert clean_question("biden's response to putin") == "what did biden say about putin"
    assert clean_question("In response to the verdict, what did he do") == "In response to the verdict, what did he do"
    # Was "The articles don't say": no question word, and "reaction" in no article.
    answer = seed_service.ask("goff reaction to carter")
    assert answer.grounded and "stupid and disloyal" in answer.text, answer.text


def test_a_story_typed_first_with_no_question_is_related_not_lost(seed_service) -> None:
    # Was "I found no paragraph that answers this question": "sharma", recased as the first word, was no name.
    answer = seed_service.ask("ardern sharma comments")
    assert not answer.grounded and [(r.article_id[:3], r.paragraph) for r in answer.related] == [("001", 20)]
    # With "so … actually" read as asked words, this quoted Andrew Little on Carter's attacks.
    answer = seed_service.ask("ok so what did goff actually say about carter")
    assert answer.grounded and "stupid and disloyal" in answer.text, answer.text


def test_a_question_opened_as_in_a_chat_is_read_from_its_question_word(seed_service) -> None:
    from bot.service import clean_question

    assert clean_question("I want to know what Goff said about Carter") == "what Goff said about Carter"
    assert clean_question("Explain why was Carter expelled?") == "why was Carter expelled?"
    assert clean_question("I was wondering: did Sharma leak recordings?") == "did Sharma leak recordings?"
    assert clean_question("tell me about the carter expulsion") == "tell me about the carter expulsion"  # a topic
    # Left in, "I want to know" hid the question word, and Carter's own words were quoted.
    answer = seed_service.ask("I want to know what Goff said about Carter")
    assert answer.grounded and "stupid and disloyal" in answer.text, answer.text


def test_an_emoji_is_not_carried_into_the_follow_up(seed_service) -> None:
    from bot.conversation import Conversation

    conversation = Conversation()
    first = seed_service.ask("why was carter expelled 🤔", conversation)
    assert first.grounded and "breached rules" in first.text, first.text
    follow_up = seed_service.ask("and goff?", conversation)
    assert follow_up.standalone_question == "why was goff expelled?"  # was "why was goff expelled 🤔?"


def test_about_before_a_question_word_is_part_of_the_opening(seed_service) -> None:
    from bot.service import clean_question

    assert clean_question("can you tell me about why carter was expelled") == "why carter was expelled"
    assert clean_question("tell me about how the meeting went") == "how the meeting went"
    assert clean_question("about 300 people died") == "about 300 people died"  # no question word after it
    # "About how often…?" asks roughly how often: left so, it is answered as before (a test question was
    # abstained on when "About" went and "how often" asked for a frequency).
    assert clean_question("About how often did Fox mention Clinton?") == "About how often did Fox mention Clinton?"
    # With "about" first, it was no why question: a sentence on the party's reluctance was quoted.
    answer = seed_service.ask("can you tell me about why carter was expelled")
    assert answer.grounded and "breached rules" in answer.text, answer.text


def test_a_yes_no_question_typed_as_reported_is_asked_as_one(seed_service) -> None:
    from bot.service import clean_question

    assert clean_question("I want to know if Carter appealed") == "Did Carter appeal?"
    assert clean_question("do you know whether sharma is still in labour") == "is sharma still in labour?"
    assert clean_question("Is it true that the meeting lasted seven hours?") == "Did the meeting last seven hours?"
    assert clean_question("tell me if Goff has to resign") == "does Goff have to resign?"
    # A condition before the question is no reported question; nor is a clause it cannot turn round.
    assert clean_question("If Carter appeals, who decides?") == "If Carter appeals, who decides?"
    assert clean_question("I wonder if the man who was arrested appealed") == (
        "I wonder if the man who was arrested appealed"
    )
    # Read as typed, "if …" was an open question: the expulsion was quoted without the "Yes" it states.
    answer = seed_service.ask("I want to know if Carter was expelled from the Labour Party")
    assert answer.grounded and answer.text.startswith("Yes. "), answer.text


@pytest.mark.parametrize(
    ("past", "bare"),
    [
        ("appealed", "appeal"), ("closed", "close"), ("stopped", "stop"), ("expelled", "expel"),
        ("killed", "kill"), ("died", "die"), ("denied", "deny"), ("agreed", "agree"), ("left", "leave"),
        ("announced", "announce"), ("developed", "develop"), ("injured", "injure"), ("needed", "need"),
        ("need", None), ("hundred", None),
    ],
)  # fmt: skip
def test_a_reported_verb_is_asked_in_its_bare_form(past: str, bare: str | None) -> None:
    from bot.answering.whether import bare_form

    assert bare_form(past) == bare


def test_a_story_asked_for_is_told_from_its_lead(seed_service) -> None:
    from bot.answering.topics import topic_of

    assert topic_of("tell me about the carter expulsion") == "the carter expulsion"
    assert topic_of("Can you give me a quick summary of the sharma saga?") == "the sharma"
    assert topic_of("Why was Carter expelled?") is None
    # What is left of "Can you tell me about Carter?" once its courtesy is dropped, and other ways of asking.
    assert topic_of("about Carter?") == "Carter" and topic_of("about 300 people died?") is None
    assert topic_of("About how often did Goff speak?") is None  # a question (the suite's test set has one)
    assert topic_of("what is new with sharma") == "sharma"
    assert topic_of("Could you summarise the Carter expulsion for me?") == "the Carter expulsion"
    # Read as a question, this quoted Carter's reaction ("…his expulsion was an overreaction…"), the
    # sentence that repeats "expulsion", instead of saying what happened.
    answer = seed_service.ask("tell me about the carter expulsion")
    assert answer.grounded and answer.citations[0].paragraph == 1, answer.text
    assert "expel" in answer.text and "overreaction" not in answer.text, answer.text
    # About someone the stories mention: the first paragraph that names him.
    answer = seed_service.ask("tell me about phil goff")
    assert answer.grounded and "Goff" in answer.citations[0].paragraph_text, answer.text
    # A story no article tells gets no sentence that merely shares a word ("date") with it.
    answer = seed_service.ask("tell me about this date in baseball")
    assert not answer.grounded and not answer.citations, answer.text


def test_chat_shorthand_is_read_as_the_words_it_stands_for(seed_service) -> None:
    from bot.service import clean_question

    assert clean_question("whats the reason carter got kicked out") == "what is the reason carter got expelled"
    assert clean_question("Who’s the party president") == "Who is the party president"
    assert clean_question("R&D at U.S. firms") == "R&D at U.S. firms"  # letters are not shorthand
    # Before a pronoun and a verb's bare form, "whats" is "what does": "what is he want" read as nothing.
    assert clean_question("whats he want now") == "what does he want now"
    assert clean_question("whats he doing now") == "what is he doing now"
    assert clean_question("what is it like") == "what is it like"  # typed in full: left as typed
    # "y" opening a question before a verb is "why"; "wen", "ur" only in lower case ("Wen Jiabao" is a name).
    assert clean_question("y did ppl leave b4 the vote") == "why did people leave before the vote"
    assert clean_question("whts the exact date of the meeting") == "what is the exact date of the meeting"
    assert clean_question("how old was godard wen he died") == "how old was godard when he died"
    assert clean_question("Wen Jiabao met y-chromosome experts") == "Wen Jiabao met y-chromosome experts"
    # Kicked out of a party is expelled, as the articles say; a vote "thrown out" is not.
    assert clean_question("why was carter kicked out of labour") == "why was carter expelled from labour"
    assert clean_question("Why was the vote thrown out?") == "Why was the vote thrown out?"
    # Someone thrown out is expelled; a case thrown out of court is not (stop 46).
    assert clean_question("why did labour throw carter out") == "why did labour expel carter"
    assert clean_question("why was he thrown out of the party") == "why was he expelled from the party"
    assert clean_question("was the lawsuit thrown out of court") == "was the lawsuit thrown out of court"
    assert clean_question("the judge threw the case out") == "the judge threw the case out"
    # "did X get <done>" is "was X <done>": "get" counted as an asked word no article holds (stop 47).
    assert clean_question("did carter get kicked out of labour") == "was carter expelled from labour"
    assert clean_question("Did Sharma get suspended?") == "Was Sharma suspended?"
    assert clean_question("do they get paid") == "are they paid"
    assert clean_question("does he get a lawyer") == "does he get a lawyer"
    assert clean_question("did the workers get ten days") == "did the workers get ten days"
    # "the pm" is the prime minister; "3 pm" a time.
    assert clean_question("who is the pm") == "who is the prime minister"
    assert clean_question("the meeting ends at 3 pm") == "the meeting ends at 3 pm"
    # As "what is the reason…" it is a why question, and the answer gives the reason: before, "whats"
    # read as a word no sentence holds and the answer was the party's "reluctance to expel Mr Carter".
    # (Read as "…got expelled" since stop 45, it quotes the council's finding, 003 ¶3.)
    answer = seed_service.ask("whats the reason carter got kicked out")
    assert answer.grounded and ("anonymous letter" in answer.text or "breached rules" in answer.text), answer.text
    assert "reluctance" not in answer.text, answer.text


@pytest.mark.parametrize("question", ["Did Labour expel Carter?", "did carter get kicked out of labour"])
def test_a_yes_no_question_about_a_deed_is_answered_by_the_deed_not_the_reluctance(seed_service, question) -> None:
    # "Did Labour expel Carter?" quoted "…there was reluctance to expel Mr Carter…" (003 ¶16) with no Yes or
    # No; "did carter get kicked out" quoted the lead with no "Yes" ("get" was an asked word no article holds).
    answer = seed_service.ask(question)
    assert answer.text.startswith("Yes. ") and "reluctance" not in answer.text, answer.text
    assert ("002", 1) in {(c.article_id[:3], c.paragraph) for c in answer.citations}, answer.text


def test_a_sentence_that_repeats_the_question_is_not_quoted_as_its_answer(seed_service) -> None:
    from corpus import Paragraph

    def paragraph(number: int, text: str) -> Paragraph:
        return Paragraph("quiz", number, text, title="Weekly news quiz")

    question = "Which pop star will perform at the Super Bowl halftime show?"
    paragraphs = [
        paragraph(1, "Which pop star will perform at the Super Bowl halftime show?"),
        paragraph(2, "Rihanna will perform at the Super Bowl halftime show in February, the NFL announced."),
    ]
    assert [c.paragraph.number for c in seed_service.extractive.candidates(question, paragraphs)] == [2]
    answer = seed_service.extractive.answer(question, paragraphs)
    # Answered or offered as related reading (a lone candidate's probability sits near the threshold
    # on this four-article store), it is the Rihanna paragraph, never the quiz repeating the question.
    shown = answer.citations if answer.grounded else answer.related
    assert [c.paragraph for c in shown] == [2] and "Rihanna" in shown[0].quote


def test_only_the_sentences_the_first_stage_ranks_best_are_embedded_and_read(seed_service) -> None:
    # Embedding every candidate sentence twice (MiniLM, then the reader) was most of an answer's
    # time; the fitted first stage lets on only the best few by their words and retrieval rank.
    import dataclasses

    from bot.answering.extractive import ExtractiveAnswerer
    from bot.answering.model import default_model
    from bot.answering.reader import SentenceReader

    read: list[int] = []

    class CountingReader(SentenceReader):
        def similarities(self, question, sentences, kept=None):  # type: ignore[no-untyped-def]
            read.append(len(sentences))
            return super().similarities(question, sentences, kept)

    shipped = seed_service.extractive
    model = default_model()
    assert model.candidates_at_most is not None and model.first_stage is not None
    question = "What did Carter say about the media?"
    hits = seed_service.searcher.search(question, seed_service.settings.top_k)

    def answerer(model):  # type: ignore[no-untyped-def]
        return ExtractiveAnswerer(
            shipped.embedder,
            shipped.document_frequency,
            neighbour=shipped.neighbour,
            model=model,
            reader=CountingReader(),
            closest_in_articles=shipped.closest_in_articles,
        )

    every = answerer(dataclasses.replace(model, first_stage=None, candidates_at_most=None)).candidates(question, hits)
    best = answerer(model).candidates(question, hits)
    assert len(every) > model.candidates_at_most  # the question has more candidates than are let on
    assert read == [len(every), model.candidates_at_most] and len(best) == model.candidates_at_most
    assert best[0].text == every[0].text  # and the answer stays the one every sentence would give


def service_over(tmp_path: Path, articles: dict[str, str]) -> NewsbotService:
    """A real service over ``articles`` (file name → text), ingested into ``tmp_path``."""
    from tests_support import make_service

    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    service = make_service(tmp_path / "data")
    service.ingest(service.load([folder]))
    return service


def test_a_name_with_one_letter_before_its_apostrophe_is_searched_whole(tmp_path) -> None:
    # "O'Brien" was the term "o", as is "O’Connor": "what symptoms did o'brien have" quoted the
    # symptoms of another story's president, whose doctor is an O’Connor (stop 58).
    adviser = (
        "Adviser tests positive\n\n"
        "Robert O'Brien, the national security adviser, has tested positive for the virus, officials said.\n\n"
        'O\'Brien "has mild symptoms and has been working from a secure location," the White House said.\n'
    )
    president = (
        "President tests positive\n\n"
        "The President's symptoms include a runny nose and fatigue, with an occasional dry cough, "
        "according to a letter from his physician, Dr. Kevin O’Connor.\n\n"
        "The President is working from the residence, his office said.\n"
    )
    service = service_over(tmp_path, {"adviser.txt": adviser, "president.txt": president})
    for question in ("what symptoms did o'brien have", "what symptoms did obrien have"):
        answer = service.ask(question)
        assert answer.grounded and "mild symptoms" in answer.text, (question, answer.text)
        assert {c.article_id for c in answer.citations} == {"adviser"}
    # A possessive or a contraction after one letter stays dropped: "M&M's" is M&M, "I'm" is "I".
    from retrieval.text import words

    assert words("M&M's AT&T's I'm") == ["m", "m", "at", "t", "i"]


def test_a_plain_word_finds_the_word_a_story_uses_for_it(tmp_path) -> None:
    # "how much were the tories fined over the flat donations" found no paragraph: the story says "the
    # Conservative Party was fined" (stop 59, retrieval/synonyms.py).
    party = (
        "The party's gifts\n\n"
        "The refurbishment of the leader's flat cost around £90,000, paid for by a donor.\n\n"
        "The gifts were not declared, and the Conservative Party was fined £12,500 by the regulator last year.\n\n"
        "The leader's ethics adviser resigned over the matter.\n"
    )
    fines = "Speeding fines rise\n\nCharities were fined £500 each, the regulator said.\n"
    service = service_over(tmp_path, {"party.txt": party, "fines.txt": fines})
    index = service.searcher.keyword_index()
    position, _ = index.search("how much were the tories fined", 1)[0]
    assert "Conservative Party was fined" in index.paragraphs[position].text
    # …and the answer step counts it as the question's word.
    from bot.answering.features import matches

    assert matches("tori", {"conserv", "parti", "fine"}) and matches("beat", {"defeat"})


def test_why_someone_thinks_something_is_answered_in_their_words(seed_service) -> None:
    # Was the council's reason ("The council found he had breached rules…"), not Carter's.
    answer = seed_service.ask("Why does Carter think the party really expelled him?")
    assert answer.grounded and "make Phil Goff look strong" in answer.text, answer.text


def test_a_named_thing_asked_what_it_is_is_answered_by_the_kind_of_thing_it_is(tmp_path) -> None:
    # "what is ftx" was not answered: the check read the sentence calling it a crypto exchange between
    # commas as too far from the question (stop 78). The story and its names here are invented.
    exchange = (
        "Investors count their losses\n\n"
        "After Dana Reyes's crypto exchange, Quorbit, collapsed this week, investors said they had lost billions.\n\n"
        "Reyes said she was sorry and would cooperate with regulators.\n"
    )
    weather = "Storm nears the coast\n\nThe storm is expected to make landfall on Friday, forecasters said.\n"
    service = service_over(tmp_path, {"exchange.txt": exchange, "weather.txt": weather})
    for question in ("what is quorbit", "What is Quorbit?"):
        answer = service.ask(question)
        assert answer.grounded and "crypto exchange, Quorbit," in answer.citations[0].quote, (question, answer.text)
    # A deed done to the name says nothing of what it is.
    from bot.answering.extractive import describes_the_thing

    assert not describes_the_thing("The reason most towns join Qorvel is its grants.", "Qorvel")
    assert describes_the_thing("Reyes's social media platform Tellwave was hacked.", "Tellwave")
    assert describes_the_thing("Quorbit, a crypto exchange, collapsed.", "Quorbit")


def test_a_digests_other_story_does_not_answer_for_the_place_asked_about(tmp_path) -> None:
    # "how many people died in the uvalde shooting" was answered by the count of a digest's other item, in
    # another state: the digest's title names Uvalde, so the paragraph seemed to be about it (stop 78).
    # The stories here are invented.
    digest = (
        "5 things to know for May 9: Millbrook, Mall shooting, Heat\n\n"
        "1. Millbrook\n\n"
        "A report released Sunday found that a gunman killed nine people at an elementary school in "
        "Millbrook, Texas.\n\n"
        "2. Mall shooting\n\n"
        "As the country mourns, three more people were shot dead after a gunman opened fire at an Ohio "
        "shopping mall on Sunday.\n\n"
        "3. Heat\n\n"
        "Temperatures will top 100 degrees across the plains this week.\n"
    )
    service = service_over(tmp_path, {"digest.txt": digest})
    answer = service.ask("how many people died in the millbrook shooting")
    assert "Ohio" not in answer.text, answer.text
    assert answer.grounded and "nine people" in answer.text, answer.text
    from bot.answering import cues
    from bot.answering.extractive import Candidate, Source, in_the_asked_place

    assert cues.places_told("…opened fire in a food court at an Ohio shopping mall") == ["Ohio"]
    # The rule itself, on the digest's mall paragraph: read with its title it seemed to be about Millbrook.
    import numpy as np

    from corpus import Paragraph

    mall = "Three more people were shot dead at an Ohio shopping mall on Sunday."
    item = Paragraph("digest", 5, mall, title="5 things to know for May 9: Millbrook, Mall shooting, Heat")
    candidate = Candidate(Source(item, 0, 1.0, 0.5, False), 0, len(mall), 0, np.zeros(3), np.zeros(3))
    assert in_the_asked_place("how many people died in the Millbrook shooting?", [candidate]) == []


def test_years_and_months_are_one_length_of_time_for_a_dispute() -> None:
    # "nine years and six months" against "9.5 years" was shown as two articles disagreeing (stop 78).
    from bot.answering.conflicts import disagree, quantities

    compound = quantities("The court jailed the smuggler for four years and six months.")
    plain = quantities("He will serve 4.5 years, his lawyer said.")
    assert not disagree(compound, plain, {"*"})
    assert disagree(quantities("He was sentenced to nine years."), quantities("He got 12 years."), {"*"})


def test_a_how_many_answer_is_led_by_the_quoted_sentence_that_counts_what_was_asked() -> None:
    # "how many kids died in the uvalde shooting" was led by a count of rooms: the best sentence counts
    # rooms, the one quoted before it the children (stop 78). The story here is invented; the answer
    # model's choice of the best sentence is given, as the news archive's retrieval made it.
    import numpy as np

    from bot.answering.extractive import Candidate, Source, compose
    from corpus import Paragraph

    text = (
        "The council closed the old pier on Monday, a year after its collapse killed 19 children and two "
        "adults in Brenford. During the collapse, rescuers worked from two boats for more than an hour."
    )
    paragraph = Paragraph("pier", 2, text, title="Council closes the old pier")
    source = Source(paragraph, 1, 1.0, 0.6, False)
    split = text.index("During")
    killed = Candidate(source, 0, split - 1, 0, np.zeros(3), np.zeros(3), probability=0.2)
    attack = Candidate(source, split, len(text), 1, np.zeros(3), np.zeros(3), probability=0.3)
    question = "how many kids died in the Brenford pier collapse?"
    answer = compose(question, question, "number", [attack, killed], False)
    assert answer.text.startswith("19 children: "), answer.text
    # A best sentence that counts what was asked leads with its own count.
    answer = compose(question, question, "number", [killed, attack], False)
    assert answer.text.startswith("19 children: "), answer.text


def test_he_or_she_after_another_persons_name_is_not_the_asked_person() -> None:
    # "why did boris johnson resign" was answered by another minister withdrawing from a race, told as "he"
    # after a sentence opening on that minister (stop 78). The sentences here are invented.
    from bot.answering.extractive import about_another_person

    asked = "why did Alan Brody resign?"
    withdrew = "He ran for the leadership himself and dropped out after a week."
    assert about_another_person(asked, withdrew, "Corwin ran the treasury under Alan Brody.")
    assert about_another_person(asked, "He withdrew.", "Corwin, 55, said Brody had to go.")
    # …but not when the sentence before names nobody asked: the question may describe the person it asks
    # about ("What did the former prisoner… earn?"), whom that sentence names.
    assert not about_another_person(asked, "She was paid $16 a month.", "Valda, 33, served two years.")
    prisoner = "What did the former prisoner locked up in Siberia earn every month?"
    jailed = "Valda, 34, served years in a Siberian jail."
    assert not about_another_person(prisoner, "She was paid $16 a month.", jailed)
    # The asked person, a pronoun or a word that opens on nobody before it: "he" may well be the asked one.
    assert not about_another_person(asked, withdrew, "Brody ran the treasury for a year.")
    assert not about_another_person(asked, withdrew, "He had already been thrown out of the party.")
    assert not about_another_person(asked, withdrew, "Although he says he will stay, that is not the way.")
    assert not about_another_person(asked, "He quit after Brody named him.", "Corwin served as secretary.")


def test_a_word_typed_in_american_spelling_finds_the_british_one(seed_service) -> None:
    # "did carter apologize" quoted the letters sentence while "did carter apologise" quoted his apology:
    # the stemmer gives "apologize" and "apologise" different terms (stop 78).
    answer = seed_service.ask("did carter apologize")
    assert answer.grounded and "sorry" in answer.citations[0].quote, answer.text
    from retrieval.spelling import other_spellings

    assert other_spellings("apologize") == ["apologise"] and other_spellings("labour") == ["labor"]
    assert other_spellings("centre") == ["center"] and other_spellings("traveled") == ["travelled"]
    assert other_spellings("meeting") == []


@pytest.mark.parametrize("question", ["how long was the labour meeting", "How long did the meeting last?"])
def test_a_measure_of_the_asked_thing_in_another_story_is_shown_as_a_dispute(seed_service, question: str) -> None:
    # "how long was the labour meeting" met only 002's "more than six hours": 003's "seven-hour meeting"
    # ranked fifth of its own story's paragraphs by meaning (stop 78).
    answer = seed_service.ask(question)
    assert answer.text.startswith("The articles disagree"), answer.text
    quoted = " ".join(c.quote for c in answer.citations)
    assert "more than six hours" in quoted and "seven-hour meeting" in quoted, answer.text


def test_the_day_of_another_event_does_not_dispute_a_length(tmp_path) -> None:
    # "how long was griner sentenced to" showed "The articles disagree": a later report gave the day of
    # her arrest, the first the day of her sentence, and two days of a month were read as two answers
    # (stop 80, rtqa-0739 ¶3 against rtqa-1565 ¶3). The stories here are invented.
    first = {
        "id": "lind-1", "title": "Singer Mara Lind jailed in Varnia", "published": "2022-08-05",
        "text": "A Varnian court sentenced the singer Mara Lind to nine years in jail on Aug. 4 for forged visas.",
    }
    later = {
        "id": "lind-2", "title": "Court recounts Mara Lind's prison term", "published": "2022-10-25",
        "text": "Lind, detained at a border post on February 17, will have each day she has spent in custody "
        "counted as two days of her sentence, her lawyers said.",
    }
    rows = "".join(json.dumps(article) + "\n" for article in (first, later))
    service = service_over(tmp_path, {"lind.jsonl": rows})
    answer = service.ask("how long was mara lind sentenced to")
    assert answer.grounded and not answer.conflict, answer.text
    assert "nine years" in answer.citations[0].quote, answer.text


def test_a_toll_of_another_kind_of_disaster_does_not_answer_for_the_one_asked(tmp_path) -> None:
    # "how many people died in the pakistan floods" was answered by an earthquake's toll in Pakistan: the
    # archive holds no flood toll, and every name and word of the question but "floods" was there (stop 79).
    # The stories here are invented.
    quake = (
        "# Quake rocks Korvania; at least 240 dead\n\n"
        "A magnitude-7.1 earthquake shook the north of Korvania on Monday, officials said.\n\n"
        "In Korvania, 240 people were killed and more than 900 were injured, according to the health ministry.\n"
    )
    service = service_over(tmp_path, {"quake.md": quake})
    floods = service.ask("how many people died in the korvania floods")
    assert not floods.grounded and not floods.citations, floods.text
    asked_right = service.ask("how many people died in the korvania earthquake")
    assert asked_right.grounded and "240" in asked_right.text, asked_right.text
    from bot.answering import events

    # A paragraph naming no event at all is left to the other checks; one naming the asked kind answers.
    asked = "how many died in the floods"
    assert events.another_event("Quake rocks Korvania. In Korvania, 240 people were killed.", asked)
    assert not events.another_event("In Korvania, 240 people were killed.", asked)
    assert not events.another_event("Flooding after the storm killed 12.", "how many died in the hurricane")
    # Kinds told together are one family: a heat wave's story goes on to its storms.
    assert not events.another_event("Macon hit 105 degrees; storms will follow.", "how hot was the heat wave")


def test_a_digests_item_answers_only_for_the_name_its_heading_gives(tmp_path) -> None:
    # "why did the gunman shoot abe" quoted the gunman of a digest's next item, a parade shooting: the
    # digest's title lists both items, so the parade paragraph seemed to be about the asked name (stop 79,
    # rtqa-0377 ¶8).
    # The stories here are invented.
    digest = (
        "# 5 things to know for July 8: Haruto Sato, Parade shooting, Heat\n\n"
        "1. Haruto Sato\n\n"
        "Haruto Sato, a former premier, was stabbed while campaigning in Okuma and died in hospital.\n\n"
        "2. Parade shooting\n\n"
        "The parade gunman fired from a roof because he wanted to be remembered, police said.\n\n"
        "3. Heat\n\n"
        "Temperatures will top 100 degrees across the plains this week.\n"
    )
    service = service_over(tmp_path, {"digest.md": digest})
    answer = service.ask("why did the gunman shoot sato")
    assert "roof" not in answer.text, answer.text
    parade = service.ask("why did the parade gunman shoot at the crowd")
    assert parade.grounded and "remembered" in parade.citations[0].quote, parade.text


def test_a_lone_capital_names_nobody_for_who() -> None:
    # "who was the uvalde shooter" was answered by a sentence naming nobody but a "K-12 school": the "K"
    # counted as the name a "who" asks for (stop 79, rtqa-0413 ¶6). The sentences are invented.
    from bot.answering import cues

    gunman = "The shooter entered the building and killed nine pupils at a K-12 campus."
    assert not cues.holds_a_new_name(gunman, "who was the Dunmore shooter", places=False)
    assert cues.holds_a_new_name("The shooter, Dale Korr, entered the building.", "who was the Dunmore shooter")


def test_a_sentence_asked_for_is_not_the_sentence_given(tmp_path) -> None:
    # "how long was griner sentenced to" was answered by the prosecutors' request, in years and months,
    # though sentences giving the nine years she got were candidates (stop 79, rtqa-1566 ¶9). Invented story.
    trial = (
        "# Court jails Dana Voss\n\n"
        "Prosecutors had asked the court to sentence Dana Voss to eleven years and six months for the fraud.\n\n"
        "On Friday the court found Voss guilty and gave her eight years behind bars.\n"
    )
    service = service_over(tmp_path, {"trial.md": trial})
    answer = service.ask("how long was dana voss sentenced to")
    assert answer.grounded and "eight years" in answer.citations[0].quote, answer.text
    from bot.answering.asked_for import only_asked_for

    request = "Prosecutors had asked that she serve eleven years and six months."
    assert only_asked_for(request, "how long was voss sentenced to")
    assert only_asked_for("A fraud conviction could mean 12 years in jail.", "how many years did voss get")
    both = "Prosecutors asked for 11 years, and she was sentenced to eight years."
    assert not only_asked_for(both, "how long was voss sentenced to")
    # Asked about the request itself, the request answers.
    assert not only_asked_for(request, "how long did the prosecutor ask for")


def test_a_person_whose_namesake_alone_is_in_the_stories_is_not_answered_for(tmp_path) -> None:
    # "how did jackson mahomes get in trouble" was answered by a pitcher's trouble in a game, from a story
    # naming Patrick Mahomes: both names were in the archive, so neither counted as absent (stop 79,
    # rtqa-1489 ¶37). The story here is invented.
    game = (
        "# Home side edges past the visitors\n\n"
        "Closer Tom Barrow ran into trouble in the eighth before he saved the home side's narrow win.\n\n"
        "Chiefs quarterback Patrick Mahomes watched from the stands with Abe Jackson.\n"
    )
    service = service_over(tmp_path, {"game.md": game})
    answer = service.ask("how did jackson mahomes get in trouble")
    assert not answer.grounded and not answer.citations, answer.text
    seen = service.ask("who watched the game with patrick mahomes")
    assert seen.grounded and "Abe Jackson" in seen.citations[0].quote, seen.text


def test_a_person_typed_in_lower_case_whose_surname_is_a_word_is_still_a_name(seed_service) -> None:
    # "did liz truss resign", typed in lower case, was answered from the sample articles by Carter's
    # "real possibility" of resigning: "truss" is an English word, so no rule read it as a name (stop 79).
    answer = seed_service.ask("did liz truss resign")
    assert not answer.grounded, answer.text
    assert seed_service.ask("Did Liz Truss resign?").grounded is False
    held = seed_service.ask("what did phil goff say about carter")
    assert held.grounded and "Goff" in held.citations[0].quote, held.text
    # The surname tells the person: a first name the articles hold ("David" Parker) is no match.
    assert not seed_service.ask("why did david depape say he broke into the pelosis' home").grounded
    from bot.answering.names import typed_surnames

    assert typed_surnames("did liz truss resign") == ["truss"]
    assert typed_surnames("will prices rise in june") == []  # "will" names nobody here
