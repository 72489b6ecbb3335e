"""Per-question outcomes and the metric definitions of the evaluation data's README.

Strict paragraph hit@k: a gold paragraph (same whitespace-free text, or same id) in the top k,
over questions that have one. Lenient: a top-k paragraph with containment ≥ 0.5 of the quiz
evidence (news) or containing the answer (others). Article Hits@k: a gold article among the first
k distinct articles of the paragraph ranking. Answer metrics: the answer contains the expected
answer; citation precision (cited paragraph is gold or contains the expected answer); abstention
on unanswerable questions, and wrong abstention on answerable ones. A "not found" reply's related
paragraphs: for a near-miss trap, whether they include the story's article; for a wrong abstention,
whether they include a gold paragraph (the reader still finds the answer one click away).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from bot.evaluation.questions import EvalQuestion, content_tokens, normalise

KS = tuple(range(1, 11))


@dataclass
class QuestionResult:
    id: str
    question: str
    retrieved: list[dict[str, Any]]
    strict_rank: int | None
    lenient_rank: int | None
    article_rank: int | None
    has_paragraph_gold: bool
    answerable: bool
    answer: str
    grounded: bool
    citations: list[dict[str, Any]]
    answer_contains: bool | None
    citations_supported: int
    seconds: float
    expected: list[str] = field(default_factory=list)
    kind: str = ""
    correct: bool | None = None  # answerable: a gold paragraph cited; unanswerable: abstained
    yes_no_lead: str = ""  # "right" / "wrong" when a yes/no answer leads with Yes or No
    related: list[str] = field(default_factory=list)  # "article#paragraph" offered with a "not found"
    related_holds_gold: bool | None = None  # trap: the story's article; answerable: a gold paragraph

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _supports(question: EvalQuestion, paragraph_id: str, text: str) -> bool:
    if paragraph_id in question.gold_ids or normalise(text) in question.gold_texts:
        return True
    lowered = text.lower()
    return any(a and a.lower() in lowered for a in question.answers)


def _lenient(question: EvalQuestion, text: str) -> bool:
    if question.evidence:
        return len(question.evidence & content_tokens(text)) / len(question.evidence) >= 0.5
    lowered = text.lower()
    return any(a and a.lower() in lowered for a in question.answers)


def score_question(question: EvalQuestion, hits: list[Any], answer: Any, seconds: float) -> QuestionResult:
    """Compare one question's ranking and answer with its gold data."""
    strict = lenient = None
    articles: list[str] = []
    for rank, hit in enumerate(hits, start=1):
        p = hit.paragraph
        if strict is None and (p.id in question.gold_ids or normalise(p.text) in question.gold_texts):
            strict = rank
        if lenient is None and _lenient(question, p.text):
            lenient = rank
        if p.article_id not in articles:
            articles.append(p.article_id)
    article_rank = next((i for i, a in enumerate(articles[:10], 1) if a in question.gold_articles), None)
    citations = [c.to_json() for c in answer.citations]
    supported = sum(_supports(question, f"{c.article_id}#{c.paragraph}", c.paragraph_text) for c in answer.citations)
    if question.answerable:
        correct = answer.grounded and any(
            f"{c.article_id}#{c.paragraph}" in question.gold_ids or normalise(c.paragraph_text) in question.gold_texts
            for c in answer.citations
        )
    else:
        correct = not answer.grounded
    lead = ""
    if question.yes_no and answer.grounded and answer.text.startswith(("Yes.", "No.")):
        lead = "right" if answer.text.lower().startswith(question.yes_no.lower()) else "wrong"
    related = [f"{c.article_id}#{c.paragraph}" for c in getattr(answer, "related", ())]
    holds_gold = None
    if not answer.grounded and question.answerable and question.has_paragraph_gold:
        holds_gold = any(r in question.gold_ids for r in related) or any(
            normalise(c.paragraph_text) in question.gold_texts for c in getattr(answer, "related", ())
        )
    elif not answer.grounded and not question.answerable and question.gold_articles:
        holds_gold = any(r.split("#")[0] in question.gold_articles for r in related)
    contains = None
    if question.answerable and question.answers:
        contains = answer.grounded and any(a.lower() in answer.text.lower() for a in question.answers if a)
    return QuestionResult(
        id=question.id,
        question=question.question,
        retrieved=[
            {
                "paragraph_id": h.paragraph.id,
                "score": round(h.score, 5),
                "dense": h.dense_similarity,
                "bm25": h.keyword_score,
            }
            for h in hits[:10]
        ],
        strict_rank=strict,
        lenient_rank=lenient,
        article_rank=article_rank,
        has_paragraph_gold=question.has_paragraph_gold,
        answerable=question.answerable,
        answer=answer.text,
        grounded=answer.grounded,
        citations=citations,
        answer_contains=contains,
        citations_supported=supported,
        seconds=round(seconds, 4),
        expected=list(question.answers),
        kind=question.kind,
        correct=bool(correct) if question.has_paragraph_gold or not question.answerable else None,
        yes_no_lead=lead,
        related=related,
        related_holds_gold=holds_gold,
    )


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summarise(results: list[QuestionResult], answered: bool = True) -> dict[str, Any]:
    """The figures of the report; None where a metric has no question to count."""
    strict_set = [r for r in results if r.has_paragraph_gold]
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    with_gold_article = [r for r in results if r.answerable]
    summary: dict[str, Any] = {
        "questions": len(results),
        "with_paragraph_gold": len(strict_set),
        "unanswerable": len(unanswerable),
    }
    for k in KS:
        summary[f"para_hit@{k}"] = _share([r.strict_rank is not None and r.strict_rank <= k for r in strict_set])
        summary[f"para_lenient_hit@{k}"] = _share(
            [r.lenient_rank is not None and r.lenient_rank <= k for r in answerable]
        )
        summary[f"article_Hits@{k}"] = _share(
            [r.article_rank is not None and r.article_rank <= k for r in with_gold_article]
        )
    summary["para_MRR@10"] = (
        round(sum(1 / r.strict_rank for r in strict_set if r.strict_rank and r.strict_rank <= 10) / len(strict_set), 4)
        if strict_set
        else None
    )
    summary["article_MRR@10"] = (
        round(sum(1 / r.article_rank for r in with_gold_article if r.article_rank) / len(with_gold_article), 4)
        if with_gold_article
        else None
    )
    if not answered:
        return summary
    scored = [r for r in answerable if r.answer_contains is not None]
    summary["answer_contains_expected"] = _share([bool(r.answer_contains) for r in scored])
    cited = sum(len(r.citations) for r in results)
    summary["citation_precision"] = round(sum(r.citations_supported for r in results) / cited, 4) if cited else None
    summary["abstention_accuracy"] = _share([not r.grounded for r in unanswerable])
    summary["wrong_abstention_rate"] = _share([not r.grounded for r in answerable])
    judged = [r for r in results if r.correct is not None]
    summary["correct"] = _share([bool(r.correct) for r in judged])
    for kind in sorted({r.kind for r in judged if r.kind}):
        summary[f"correct[{kind}]"] = _share([bool(r.correct) for r in judged if r.kind == kind])
    offered = [r for r in results if r.related_holds_gold is not None]
    summary["traps_related_story"] = _share([bool(r.related_holds_gold) for r in offered if not r.answerable])
    summary["wrong_abstentions_related_gold"] = _share([bool(r.related_holds_gold) for r in offered if r.answerable])
    leads = [r.yes_no_lead for r in results if r.yes_no_lead]
    if leads:
        summary["yes_no_leads_right"] = _share([lead == "right" for lead in leads])
    latencies = sorted(r.seconds for r in results)
    summary["answer_seconds_p50"] = round(latencies[len(latencies) // 2], 4) if latencies else None
    summary["answer_seconds_p95"] = (
        round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 4) if latencies else None
    )
    return summary
