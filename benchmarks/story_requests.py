"""A story asked for ("tell me about …", "what's the latest on …"), measured: is its lead cited?

    .venv/bin/python benchmarks/story_requests.py            # every request (about 440, 2-3 minutes)
    .venv/bin/python benchmarks/story_requests.py --limit 50

No question set holds such requests. This script makes one per article of the read question sets
(dev-first, dev-new, test, train-unfitted) from its headline, as someone who saw the headline would
ask ("tell me about", "can you give me a summary of", "what's the latest on", "any news on", half of
them in lower case; the same every run), and asks each with the answer suite's stores (built by
``benchmarks/answer_suite.py``): of the news archive, where its story should be told from its lead,
and of the sample articles, where none of them should be answered. It prints how many were
answered, how many cite the headline's article, and how many cite its lead (the first paragraph
that reads as a sentence, or the one after it: a lead is sometimes split in two). The headlines
are read from the news archive at run time; none is kept in the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import answer_suite, common

READ_SETS = ("a", "b", "c", "zd", "ze", "zf", "j", "k", "l", "m", "n", "o", "za", "zb", "zc", "zg", "zh", "zi", "zj")
OPENINGS = (
    "tell me about ", "Tell me about ", "can you give me a summary of ", "what's the latest on ", "any news on "
)  # fmt: skip
_SITE = re.compile(r"\s*\|.*$")
_KIND = re.compile(r"^(?:opinion|analysis|fact check|exclusive|live updates|cnn poll|weather news)\s*:\s*", re.I)
MAX_WORDS = 8


def request_for(headline: str, rng: random.Random) -> str | None:
    """A request for the story under ``headline`` ("Sanctions slam Russian economy | CNN Business"
    → "any news on sanctions slam russian economy"), or None for a headline that names no story
    ("5 things to know for Jan. 25: …")."""
    text = _KIND.sub("", _SITE.sub("", headline).replace("...", "").replace("…", "").strip())
    if len(text.split()) < 3 or re.match(r"^\d+ things", text, re.I):
        return None
    topic = " ".join(text.split()[:MAX_WORDS]).rstrip(":,;-—")
    return rng.choice(OPENINGS) + (topic.lower() if rng.random() < 0.5 else topic)


def requests(archive: Path) -> list[tuple[str, str]]:
    """(article id, request) for each article of the read sets, in the sets' order."""
    titles = {}
    with archive.open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            titles[article["id"]] = article.get("title", "")
    ids: list[str] = []
    for letter in READ_SETS:
        with (answer_suite.QUESTIONS / f"news-{letter}.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                article_id = json.loads(line)["article"]
                if article_id not in ids:
                    ids.append(article_id)
    rng = random.Random(51)
    made = [(article_id, request_for(titles.get(article_id, ""), rng)) for article_id in ids]
    return [(article_id, request) for article_id, request in made if request]


def lead_number(service: Any, article_id: str) -> int:
    from bot.answering.features import reads_as_a_sentence

    for number in range(1, 12):
        paragraph = service.searcher.paragraph(article_id, number)
        if paragraph is not None and reads_as_a_sentence(paragraph.text):
            return number
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="only the first N requests")
    parser.add_argument("--out", type=Path, default=None, help="write each request's result here (JSON Lines)")
    args = parser.parse_args(argv)
    archive = common.NEWS / "articles.jsonl"
    if not archive.exists():
        parser.exit(2, f"story_requests: needs the news archive at {common.NEWS} (../shared beside the repository)\n")
    made = requests(archive)[: args.limit]
    news = answer_suite.service_for("news", answer_suite.SUITE)
    sample = answer_suite.service_for("sample", answer_suite.SUITE)
    answered = story = lead = off = 0
    rows = []
    for article_id, request in made:
        answer = news.ask(request)
        cited = answer.citations[0] if answer.citations else None
        first = lead_number(news, article_id)
        elsewhere = sample.ask(request).grounded
        answered += answer.grounded
        story += bool(cited and cited.article_id == article_id)
        lead += bool(cited and cited.article_id == article_id and cited.paragraph <= first + 1)
        off += elsewhere
        rows.append({"article": article_id, "request": request, "grounded": answer.grounded,
                     "cited": [cited.article_id, cited.paragraph] if cited else None, "lead": first,
                     "answered_of_the_sample": elsewhere})  # fmt: skip
    if args.out is not None:
        args.out.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    print("| requests | answered | its story cited | its lead cited | asked of the sample articles: answered |")
    print("|---|---|---|---|---|")
    print(f"| {len(made)} | {answered} | {story} | {lead} | {off} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
