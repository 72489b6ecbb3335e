"""How answers look on Discord: the Sources block, quotes, abstentions and message splitting."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot.answering.answer import Answer, Citation
from bot.discord_bot.messages import (
    MESSAGE_LIMIT,
    abstention_text,
    answer_markdown,
    escape,
    render_answer,
    source_line,
    sources_detail,
    split_message,
    thread_name,
)
from bot.quotes import shorten

SENTENCE = "The council voted to expel Chris Carter after a long debate on Monday night [1]. "


def cite(n: int = 1, quote: str = "Carter was expelled.", **kw: object) -> Citation:
    defaults: dict[str, object] = {
        "article_id": f"a{n}",
        "label": f"Council expels Carter {n}",
        "paragraph": 4,
        "url": f"https://news.example/story-{n}",
        "paragraph_text": f"Before. {quote} After.",
    }
    defaults.update(kw)
    return Citation(n=n, quote=quote, **defaults)  # type: ignore[arg-type]


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_answer_then_compact_sources_block_with_markdown_links() -> None:
    answer = Answer(
        "Why?", "He was expelled [1]. He appealed [2].", (cite(1), cite(2, "He appealed.", url="")), grounded=True
    )

    [message] = render_answer(answer)

    assert message == (
        "He was expelled [1]. He appealed [2].\n\n"
        "**Sources**\n"
        "[1] [Council expels Carter 1](<https://news.example/story-1>), ¶4 — "
        '"Carter was expelled."\n'
        "[2] Council expels Carter 2, ¶4"  # the answer already says "He appealed." word for word
    )


def test_several_questions_are_answered_under_their_questions_with_one_sources_list() -> None:
    from bot.answering.answer import abstention, several_answers

    expelled = Answer("Why was he expelled?", "He breached the rules [1].", (cite(1, "He breached the rules."),), True)
    # Each part numbers its own sources from 1.
    second_story = dataclasses.replace(cite(2, "He appealed."), n=1)
    appealed = Answer("Did he appeal?", "Yes. He appealed [1].", (second_story,), True)
    unknown = abstention("Who voted against?", related=(cite(3, "The vote was 61 to one."),))
    answer = several_answers("Why? Appeal? Who?", [expelled, appealed, unknown])

    [message] = render_answer(answer)
    text = unescape(message)
    assert "Why was he expelled?\nHe breached the rules [1]." in text
    assert "Did he appeal?\nYes. He appealed [2]." in text  # numbered on from the first answer
    assert "Who voted against?\nThe articles don't say." in text  # said in its own words, not a citation
    assert "[2] [Council expels Carter 2]" in text and "[3]" not in text
    assert answer.grounded and [c.n for c in answer.citations] == [1, 2]


def test_notes_are_shown_above_the_answer_and_above_an_abstention() -> None:
    from bot.answering.answer import abstention

    note = "only the first 3 questions were answered; ask the next one on its own: “Who voted?”"
    answered = Answer("q", "He breached the rules [1].", (cite(1, "He breached the rules."),), True, notes=(note,))
    # The terminal showed this note; Discord showed none, so the fourth question was silently dropped.
    [message] = render_answer(answered)
    assert unescape(message).startswith(f"*({note})*\n\nHe breached the rules [1].")
    cut = dataclasses.replace(abstention("q"), notes=("your question was cut to its first 1,000 characters",))
    [message] = render_answer(cut)
    assert unescape(message).startswith("*(your question was cut to its first 1,000 characters)*\n🤷")


def test_long_quote_is_shortened_at_a_word_boundary_and_stays_verbatim() -> None:
    quote = (
        "Councillors said the decision, which followed three hours of argument behind "
        "closed doors, was unanimous and would take effect immediately for everyone involved."
    )
    shown = shorten(quote, 60)

    assert shown.endswith("…") and len(shown) <= 60
    kept = shown[:-1]
    assert quote.startswith(kept)
    assert quote[len(kept)] in " ,"  # cut between words, never inside one


def test_a_single_enormous_word_is_never_cut() -> None:
    word = "x" * 300
    assert shorten(word, 50) == word
    assert shorten(f"{word} tail", 50) == f"{word}…"


def test_quotes_are_escaped_so_markdown_in_articles_shows_verbatim() -> None:
    quote = "Profits rose *sharply* to $5_000 ~ a `record` | see [here](https://x.y)"
    line = source_line(cite(1, quote, url=""))

    shown = line.split(" — ", 1)[1].strip('"')
    assert unescape(shown).replace("<https://x.y>", "https://x.y") == quote  # the URL only loses its preview
    assert "*sharply*" not in line  # would render as italics
    assert "](" not in shown  # no masked link smuggled in by an article


def test_link_with_parentheses_stays_one_link() -> None:
    line = source_line(cite(1, url="https://en.example.org/wiki/Carter_(politician)"))
    assert "(<https://en.example.org/wiki/Carter_%28politician%29>)" in line


def test_non_http_urls_are_not_linked() -> None:
    line = source_line(cite(1, url="javascript:alert(1)"))
    assert "javascript" not in line and line.startswith("[1] Council expels Carter 1, ¶4")


def test_abstention_is_one_short_clear_message_without_sources() -> None:
    answer = Answer("Who won?", "The articles don't say. I found no paragraph that answers this.")
    messages = render_answer(answer)

    assert messages == ["🤷 The articles don't say. I found no paragraph that answers this."]
    assert "Sources" not in abstention_text(answer)


def test_conflicting_sources_are_flagged() -> None:
    answer = Answer("q", "Some say 3 [1], others 4 [2].", (cite(1), cite(2)), grounded=True, conflict=True)
    assert "sources disagree" in answer_markdown(answer)
    said = Answer("q", "The articles disagree: 3 [1]. 4 [2].", (cite(1), cite(2)), grounded=True, conflict=True)
    assert answer_markdown(said).count("disagree") == 1  # said once


def test_long_answer_is_split_under_the_limit_keeping_every_word() -> None:
    text = SENTENCE * 60  # about 5,000 characters
    answer = Answer("q", text.strip(), tuple(cite(n) for n in range(1, 7)), grounded=True)

    pieces = render_answer(answer)

    assert len(pieces) >= 3
    assert all(len(p) <= MESSAGE_LIMIT for p in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(answer_markdown(answer).split())
    assert pieces[-1].startswith("**Sources**") or "**Sources**" in pieces[-1]
    # sentence boundaries: every answer piece ends with a full sentence and its marker
    for piece in pieces[:-1]:
        if "**Sources**" not in piece:
            assert piece.endswith("[1]."), piece[-40:]


def test_paragraph_boundary_is_preferred_over_sentence_boundary() -> None:
    first = "First paragraph sentence one. Sentence two."
    second = "Second paragraph. " * 5
    pieces = split_message(f"{first}\n\n{second}", limit=80)
    assert pieces[0] == first


def test_sentence_boundary_is_preferred_over_word_boundary() -> None:
    text = "A short sentence here. " + "word " * 30
    pieces = split_message(text, limit=60)
    assert pieces[0] == "A short sentence here."


def test_markers_stay_with_their_sentence() -> None:
    text = "Carter was expelled. [3] " + "More words follow here " * 5
    pieces = split_message(text, limit=30)
    assert pieces[0] == "Carter was expelled. [3]"


def test_never_splits_inside_a_citation_marker() -> None:
    text = "x" * 45 + "[12]" + "y" * 45  # no whitespace at all: a forced cut
    pieces = split_message(text, limit=47)
    assert all(len(p) <= 47 for p in pieces)
    assert any("[12]" in p for p in pieces)
    assert "".join(pieces) == text


def test_never_splits_inside_a_link() -> None:
    link = "[Council expels Carter](<https://news.example/a-long-story-path>)"
    text = "word " * 8 + link + " and more words after it"
    pieces = split_message(text, limit=80)
    assert all(len(p) <= 80 for p in pieces)
    assert any(link in p for p in pieces)


def test_never_splits_inside_a_code_block() -> None:
    block = "```\n" + "\n".join(f"line {i} of code" for i in range(6)) + "\n```"
    text = "Intro sentence here. " * 3 + block + " Outro sentence."
    pieces = split_message(text, limit=120)
    assert all(len(p) <= 120 for p in pieces)
    assert all(p.count("```") % 2 == 0 for p in pieces)
    assert any(block in p for p in pieces)


def test_a_code_block_longer_than_a_message_becomes_several_whole_blocks() -> None:
    block = "```py\n" + "\n".join(f"value_{i} = {i} * 2" for i in range(200)) + "\n```"
    pieces = split_message(block, limit=300)
    assert len(pieces) > 1
    for piece in pieces:
        assert len(piece) <= 300
        assert piece.startswith("```py\n") and piece.endswith("\n```")
    code = [line for p in pieces for line in p.split("\n") if not line.startswith("```")]
    assert code == [f"value_{i} = {i} * 2" for i in range(200)]


def test_split_rejects_silly_limits() -> None:
    with pytest.raises(ValueError):
        split_message("text", limit=5)


def test_thread_name_fits_discord_limit() -> None:
    long_question = "Why did the council " + "really " * 30 + "expel Chris Carter?"
    name = thread_name(long_question)
    assert len(name) <= 100 and name.endswith("…")
    assert thread_name("  Why\nnow?  ") == "Why now?"
    assert len(thread_name("x" * 500)) <= 100
    assert thread_name("   ") == "Question"


def test_show_sources_detail_has_full_paragraph_with_quote_in_bold() -> None:
    paragraph = "Before it. Carter was expelled. After it."
    record = Citation.from_record(
        cite(1, "Carter was expelled.", paragraph_text=paragraph, published="2024-05-01").record()
    )
    [message] = sources_detail([record])
    assert "**[1]** [Council expels Carter 1](<https://news.example/story-1>)" in message
    assert "(¶4, 2024-05-01)" in message
    assert "> Before it. **Carter was expelled.** After it." in message


def test_show_sources_detail_splits_long_paragraphs() -> None:
    paragraph = "A sentence in a very long paragraph. " * 150
    record = cite(1, "A sentence in a very long paragraph.", paragraph_text=paragraph)
    pieces = sources_detail([record, record])
    assert len(pieces) > 2 and all(len(p) <= MESSAGE_LIMIT for p in pieces)


def test_escape_leaves_citation_markers_alone() -> None:
    assert escape("He left [1][2].") == "He left [1][2]."
    assert escape("- not a list\n# not a heading") == "\\- not a list\n\\# not a heading"


def test_article_text_is_data_links_do_not_unfurl_and_discord_tokens_show_as_text() -> None:
    quote = "Details at https://news.example/carter_story. Meet in <#123456> at <t:1700000000:R>, says <@42>."
    [message] = render_answer(Answer("Where?", f"{quote} [1]", (cite(1, quote),), grounded=True))
    # Every URL is wrapped in <> (no preview of someone else's page), its underscores untouched…
    assert "<https://news.example/carter_story>." in message
    assert not re.search(r"(?<!<)https?://", message)
    # …and channel links, timestamps and mention chips are escaped, so Discord shows the characters.
    assert "\\<#123456>" in message and "\\<t:1700000000:R>" in message and "\\<@42>" in message
    assert not re.search(r"(?<!\\)<[@#]|(?<!\\)<t:", message)
    assert escape("(see https://en.wikipedia.org/wiki/Foo_(bar))") == "(see <https://en.wikipedia.org/wiki/Foo_(bar)>)"


def test_thread_names_are_plain_text() -> None:
    assert thread_name("**Why** was __Carter__ expelled?") == "Why was Carter expelled?"
    assert thread_name("> # What did <#123> say at <t:1700000000:R>? <:party:99>") == "What did say at ? :party:"
    assert "<" not in thread_name("Who is <@42> and <@&7>?")


def test_slash_answers_are_headed_by_the_question_and_its_understood_form() -> None:
    answer = Answer(
        "When did *he* say that?", "On Monday [1].", (cite(1),), grounded=True,
        standalone_question="When did Andrew Little say that?",
    )
    [message] = render_answer(answer, header=True)
    assert message.startswith(
        "**Q:** When did \\*he\\* say that? *(understood as: When did Andrew Little say that?)*\n\nOn Monday [1]."
    )
    assert render_answer(answer)[0].startswith("On Monday [1].")  # a thread shows the question already
    abstained = Answer("Capital of France?", "The articles don't say.", standalone_question="Capital of France?")
    assert render_answer(abstained, header=True) == ["**Q:** Capital of France?\n🤷 The articles don't say."]
