"""How answers look in the terminal (``newsbot ask`` and the REPL)."""

from __future__ import annotations

from bot.answering.answer import Answer, Citation
from bot.terminal import render_answer, sources_block

QUOTE = "The Labour Party expelled MP Chris Carter late last night after a meeting that lasted more than six hours."


def cite(n: int, quote: str, article_id: str, label: str) -> Citation:
    return Citation(n, article_id, label, n, quote, paragraph_text=f"{quote} More of the paragraph.")


def test_a_quote_the_answer_already_is_is_not_repeated_but_others_are() -> None:
    first = cite(1, QUOTE, "002_d45b3a8c4a730c3c", "The Labour Party expelled MP Chris Carter late last night…")
    other = cite(2, "Mr Carter was expelled during a seven-hour meeting.", "003_ac9ca953e05f51c2", "Former Labour MP…")
    answer = Answer("How long?", f"{QUOTE} [1]", (first, other), grounded=True)

    out = render_answer(answer)

    assert " ".join(out.split()).count("lasted more than six hours") == 1  # said once, in the answer
    assert "[1] The Labour Party expelled MP Chris Carter late last night…, ¶1\n[2] Former Labour MP…, ¶2" in out
    assert "“Mr Carter was expelled during a seven-hour meeting.”" in out  # not in the answer: quoted
    full = sources_block(answer, full=True)  # the REPL's :sources: file name and whole paragraph
    assert "(002_d45b3a8c4a730c3c), ¶1" in full and "More of the paragraph." in full
