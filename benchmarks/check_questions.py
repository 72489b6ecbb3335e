"""Keep the hand-written question sets honest, without copying any article text into the repo.

Each line of ``benchmarks/questions/*.jsonl`` refers to articles by id and paragraph number only.
This script reads the articles (the bundled sample and ``../shared/evaldata/news``) and checks:

- every field is there and of the right kind (``kind``, ``split``, ``answerable`` …);
- an answerable question's gold paragraphs exist and hold its key words (``answer_any``);
- a paraphrase shares at most one content word, besides names, with its gold paragraph;
- a chat-style question is lower case and has no "?";
- a trap's ``trap_terms`` (the asked detail) appear in no article at all;
- the split is by article: no article (a question's own or one of its gold paragraphs') has
  questions in two of train, dev and test, and none is an article of the public news quiz.

    python benchmarks/check_questions.py            # all sets; exit 1 on any problem
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "benchmarks" / "questions"
NEWS = ROOT.parent / "shared" / "evaldata" / "news" / "articles.jsonl"
SEEDS = ROOT / "corpus" / "articles"

KINDS = {"why", "how", "yesno", "paraphrase", "chat", "trap", "factoid"}
SPLITS = {"train", "dev", "test"}
STOP = set(
    """a an the of to in and or for on at by with from as is are was were be been being has have
had it its this that these those but not no nor so than then there their they them he she his her him
we our you your i me my what which who whom whose when where why how do does did will would can could
should may might must shall into over under about after before up down out off again further once
all any both each few more most other some such only own same too very s t just don now get got
about many much did does""".split()
)


def paragraphs_by_article() -> dict[str, list[str]]:
    sys.path.insert(0, str(ROOT))
    from corpus.paragraphs import split_paragraphs

    found = {p.stem: split_paragraphs(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))}
    if NEWS.is_file():
        for line in NEWS.open(encoding="utf-8"):
            record = json.loads(line)
            found[record["id"]] = split_paragraphs(record["text"])
    return found


def public_articles() -> set[str]:
    """The articles of the public news quiz (``questions.jsonl`` beside the corpus): ours keep off them."""
    path = NEWS.parent / "questions.jsonl"
    if not path.is_file():
        return set()
    found: set[str] = set()
    for line in path.open(encoding="utf-8"):
        if line.strip():
            found.update(json.loads(line).get("gold_article_ids") or [])
    return found


def stem(word: str) -> str:
    return word[:5]


def content_stems(text: str, names: set[str] = frozenset()) -> set[str]:
    return {stem(t) for t in re.findall(r"[a-z0-9]+", text.lower()) if t not in STOP and t not in names}


def question_names(question: str) -> set[str]:
    """Capitalised words after the first: names, which a paraphrase may keep."""
    words = re.findall(r"[A-Za-z0-9][\w'’-]*", question)
    return {w.lower().strip("'’") for w in words[1:] if w[0].isupper() or w[0].isdigit()}


def check(path: Path, articles: dict[str, list[str]], corpus_text: str) -> list[str]:
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            q = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc.msg})")
            continue
        for key in ("id", "question", "kind", "split", "answerable", "article"):
            if key not in q:
                problems.append(f"{where}: no {key!r}")
        if q.get("kind") not in KINDS or q.get("split") not in SPLITS:
            problems.append(f"{where}: kind must be one of {sorted(KINDS)}, split one of {sorted(SPLITS)}")
        if q.get("article") not in articles:
            problems.append(f"{where}: unknown article {q.get('article')!r}")
            continue
        text = q.get("question", "")
        if q.get("kind") == "chat" and (text != text.lower() or "?" in text):
            problems.append(f"{where}: a chat-style question is lower case with no '?'")
        if not q.get("answerable"):
            if q.get("gold_any"):
                problems.append(f"{where}: an unanswerable question has no gold paragraphs")
            terms = q.get("trap_terms") or []
            if q.get("kind") == "trap" and not terms:
                problems.append(f"{where}: a trap names its missing detail in trap_terms")
            for term in terms:
                if term.lower() in corpus_text:
                    problems.append(f"{where}: trap term {term!r} does appear in the articles")
            continue
        golds = q.get("gold_any") or []
        if not golds:
            problems.append(f"{where}: an answerable question needs gold_any")
        keys = [k.lower() for k in q.get("answer_any") or []]
        if not keys:
            problems.append(f"{where}: an answerable question needs answer_any (its key words)")
        gold_texts = []
        for article, paragraph in golds:
            paragraphs = articles.get(Path(article).stem)
            if not paragraphs or not 1 <= paragraph <= len(paragraphs):
                problems.append(f"{where}: no paragraph {paragraph} in {article}")
                continue
            gold_texts.append(paragraphs[paragraph - 1])
        for key in keys:
            if gold_texts and not any(key in g.lower() for g in gold_texts):
                problems.append(f"{where}: key word {key!r} is in no gold paragraph")
        if q.get("kind") == "paraphrase" and gold_texts:
            shared = content_stems(text, question_names(text)) & content_stems(gold_texts[0])
            if len(shared) > 1:
                problems.append(f"{where}: a paraphrase shares {sorted(shared)} with its gold paragraph (≤ 1 allowed)")
    return problems


def main() -> int:
    articles = paragraphs_by_article()
    if not NEWS.is_file():
        print(f"note: {NEWS} is absent; news questions cannot be checked", file=sys.stderr)
    corpus_text = "\n".join(p.lower() for ps in articles.values() for p in ps)
    problems: list[str] = []
    split_of: dict[str, set[str]] = defaultdict(set)
    public = public_articles()
    counts: dict[tuple[str, str], int] = defaultdict(int)
    files = sorted(QUESTIONS.glob("*.jsonl"))
    for path in files:
        problems += check(path, articles, corpus_text)
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    q = json.loads(line)
                except json.JSONDecodeError:
                    continue
                for article in {q.get("article", ""), *(Path(a).stem for a, _ in q.get("gold_any") or [])}:
                    split_of[article].add(q.get("split", ""))
                    if article in public:
                        problems.append(f"{q.get('id')}: {article} is an article of the public news quiz")
                counts[(q.get("split", ""), q.get("kind", ""))] += 1
    for article, splits in split_of.items():
        if len(splits) > 1:
            problems.append(f"article {article} has questions in {' and '.join(sorted(splits))}: split by article")
    ids = [json.loads(line)["id"] for p in files for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    problems += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for problem in problems:
        print(problem)
    total = sum(counts.values())
    traps = sum(n for (_, kind), n in counts.items() if kind == "trap")
    print(f"{total} questions in {len(files)} files, {traps} traps ({traps / max(total, 1):.0%}); by split and kind:")
    for split in sorted(SPLITS):
        row = ", ".join(f"{kind} {counts[(split, kind)]}" for kind in sorted(KINDS) if counts[(split, kind)])
        print(f"  {split}: {row}")
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
