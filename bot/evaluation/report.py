"""The evaluation's files: per-question JSONL, a summary JSON, and a Markdown report with a chart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.evaluation.metrics import KS, QuestionResult

TABLE_ROWS = (
    ("para_hit@1", "paragraph hit@1 (strict)"),
    ("para_hit@4", "paragraph hit@4 (strict)"),
    ("para_hit@10", "paragraph hit@10 (strict)"),
    ("para_MRR@10", "paragraph MRR@10"),
    ("para_lenient_hit@1", "paragraph hit@1 (lenient)"),
    ("para_lenient_hit@4", "paragraph hit@4 (lenient)"),
    ("para_lenient_hit@10", "paragraph hit@10 (lenient)"),
    ("article_Hits@4", "article Hits@4"),
    ("article_Hits@10", "article Hits@10"),
    ("article_MRR@10", "article MRR@10"),
    ("answer_contains_expected", "answers containing the expected answer"),
    ("citation_precision", "citation precision"),
    ("abstention_accuracy", "abstention accuracy (unanswerable)"),
    ("wrong_abstention_rate", "wrong abstentions (answerable)"),
    ("correct", "correct (answerable: gold paragraph cited; unanswerable: abstained)"),
    ("traps_related_story", "abstained traps offering the story's article as related"),
    ("wrong_abstentions_related_gold", "wrong abstentions offering a gold paragraph as related"),
    ("yes_no_leads_right", "yes/no answers that lead with the right Yes/No"),
    ("answer_seconds_p50", "seconds per question, p50"),
    ("answer_seconds_p95", "seconds per question, p95"),
)


def table_rows(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """The report's rows: the fixed ones, then "correct" for each kind of question in the set."""
    kinds = [(key, f"correct: {key[8:-1]} questions") for key in summary if key.startswith("correct[")]
    return [*TABLE_ROWS, *kinds]


def load_baseline(path: Path, dataset: str) -> dict[str, float]:
    """Figures of a baseline run in the evaluation data's ``results.json`` format (hybrid RRF)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    results = data.get("datasets", {}).get(dataset, {}).get("results", {})
    return dict(results.get("hybrid_rrf") or next(iter(results.values()), {}))


def write_report(
    out: Path, name: str, summary: dict[str, Any], results: list[QuestionResult], baseline: dict[str, float] | None
) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "questions.jsonl").open("w", encoding="utf-8") as fh:
        for result in results:
            fh.write(json.dumps(result.as_json(), ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps({"name": name, "summary": summary, "baseline": baseline}, indent=2))
    chart = _chart(out / "hit_at_k.png", name, summary, baseline)
    lines = [
        f"# newsbot eval: {name}",
        "",
        f"{summary['questions']} questions, "
        f"{summary['with_paragraph_gold']} with a gold paragraph, {summary['unanswerable']} unanswerable.",
        "",
    ]
    lines += ["| metric | newsbot | baseline |", "|---|---|---|"]
    for key, label in table_rows(summary):
        value = summary.get(key)
        base = (baseline or {}).get(key)
        lines.append(f"| {label} | {_fmt(value)} | {_fmt(base)} |")
    if chart:
        lines += ["", f"![hit@k]({chart.name})"]
    misses = [r for r in results if r.has_paragraph_gold and (r.strict_rank is None or r.strict_rank > 4)]
    if misses:
        lines += ["", f"## Questions without a gold paragraph in the top 4 ({len(misses)})", ""]
        lines += [f"- `{r.id}` {r.question}" for r in misses[:30]]
    report = out / "report.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report


def _fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _chart(path: Path, name: str, summary: dict[str, Any], baseline: dict[str, float] | None) -> Path | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=120)
    for key, label, style in (("para_hit", "strict", "-o"), ("para_lenient_hit", "lenient", "--o")):
        values = [float(v) for k in KS if (v := summary.get(f"{key}@{k}")) is not None]
        if len(values) == len(KS):
            ax.plot(KS, values, style, label=f"newsbot ({label})")
    if baseline:
        points = [(k, v) for k in KS if (v := baseline.get(f"para_hit@{k}")) is not None]
        if points:
            ax.plot([k for k, _ in points], [v for _, v in points], "s", color="grey", label="baseline (strict)")
    ax.set_xlabel("k (paragraphs retrieved)")
    ax.set_ylabel("paragraph hit@k")
    ax.set_ylim(0, 1)
    ax.set_xticks(KS)
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[0]:  # a set of unanswerable questions only has no curve
        ax.legend(loc="lower right")
    ax.set_title(f"newsbot eval: {name}")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
