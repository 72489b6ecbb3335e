"""Fusing rankings: the article match and the article's date move paragraphs a reader would expect."""

from __future__ import annotations

import datetime as dt

from retrieval.ranking import FusionWeights, age_in_days, fuse_rankings

PUBLISHED = {"old": "2022-01-03", "new": "2022-06-01", "undated": ""}


def fuse(dense: list[str], keyword: list[str], articles: list[str] = (), **kwargs) -> list[str]:
    return fuse_rankings(
        dense,
        keyword,
        list(articles),
        article_of=lambda pid: pid.split("#")[0],
        published_of=PUBLISHED.get,
        **kwargs,
    )


def test_a_paragraph_found_by_both_rankings_comes_first() -> None:
    assert fuse(["old#1", "new#1"], ["new#1", "old#2"], weights=FusionWeights())[0] == "new#1"


def test_the_article_that_matches_the_whole_question_lifts_its_paragraph() -> None:
    tied = (["old#1", "new#1"], ["new#1", "old#1"])
    assert fuse(*tied, ["new"], weights=FusionWeights(article=1.0))[0] == "new#1"
    assert fuse(*tied, ["old"], weights=FusionWeights(article=1.0))[0] == "old#1"


def test_the_article_ranking_never_adds_a_paragraph_that_matched_nothing() -> None:
    assert "new#5" not in fuse(["old#1"], ["old#2"], ["new"], weights=FusionWeights(article=5.0))


def test_as_of_leaves_out_later_articles_and_prefers_the_days_before() -> None:
    weights = FusionWeights(recency=3.0)
    tied = (["old#1", "new#1"], ["new#1", "old#1"])
    assert fuse(*tied, weights=weights, as_of=dt.date(2022, 6, 2))[0] == "new#1"
    assert fuse(*tied, weights=weights, as_of=dt.date(2022, 1, 4), exclude_later=True) == ["old#1"]
    assert fuse(*tied, weights=weights, as_of=dt.date(2022, 1, 4))[0] == "old#1"  # later kept, not preferred


def test_undated_articles_are_neither_dropped_nor_preferred() -> None:
    ranked = fuse(["undated#1", "old#1"], [], weights=FusionWeights(recency=0.0), as_of=dt.date(2022, 1, 4))
    assert ranked == ["undated#1", "old#1"]
    assert "undated#1" in fuse(
        ["undated#1"], [], weights=FusionWeights(recency=3.0), as_of=dt.date(2000, 1, 1), exclude_later=True
    )


def test_age_is_counted_in_days_and_bad_dates_are_ignored() -> None:
    assert age_in_days("2022-06-01", dt.date(2022, 6, 8)) == 7
    assert age_in_days("2022-06-01T10:00:00Z", dt.date(2022, 6, 1)) == 0
    assert age_in_days("June 2022", dt.date(2022, 6, 8)) is None


def test_a_question_says_it_is_about_now_in_the_words_people_use() -> None:
    from retrieval.ranking import asks_about_now

    for question in ("who is the uk prime minister now", "whats the latest on griner", "Is he still in jail?",
                     "how many home runs has judge hit this season", "current inflation rate"):
        assert asks_about_now(question), question
    for question in ("Who won the 2018 election?", "how many people did hurricane ian kill", "nowhere to go?"):
        assert not asks_about_now(question), question
