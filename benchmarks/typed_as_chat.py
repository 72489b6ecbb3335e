"""The same questions asked as written and as typed in a chat: what lower case, a missing "?" and
one typo cost, question by question.

    .venv/bin/python benchmarks/typed_as_chat.py --tag now
    .venv/bin/python benchmarks/typed_as_chat.py --tag now --sets test --variants written lower

Our dev sets hold chat-style questions, but every trap in them is written with capitals and a "?",
so they never show what a user who types "who did the celtics pick to take over as coach after
suspending ime udoka" gets. This script rewrites the read sets' questions that are not already
chat-style (``lower``: lower case, no "?"; ``typo``: that plus one typo, a letter dropped, doubled,
swapped or struck beside, in one word of five letters or more; the same typo every run; ``filler``:
lower case with "so" before it and "actually" after its first auxiliary; ``asked``: as written, opened
as people open a question in a chat, "Can you tell me why…", "I want to know what…"; ``whether``:
a yes/no question whose subject is a name or a pronoun reported, "I want to know if Carter appealed",
the others as written) and asks
each variant with ``newsbot eval``'s code on the answer suite's stores (built by
``benchmarks/answer_suite.py``), and the news dev questions asked of the sample articles too
(``off-topic``: none should be answered). It prints, per set, the share correct (answerable: a gold paragraph
cited; trap: abstained) of each variant, and how many answers the rewrite turned right or wrong
(traps apart). Only read sets are rewritten: the unread dev sets stay unread. Results go under
``benchmarks/.cache/answer-suite/chat/<tag>/<variant>/``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import answer_suite, common

SETS = {  # name: the answer suite's store, question files
    "dev-first": ("news", ("a", "b", "c")),
    "dev-new": ("news", ("zd", "ze", "zf")),
    "test": ("news", ("j", "k", "l", "m", "n", "o")),
    "train-unfitted": ("news", ("za", "zb", "zc", "zg", "zh", "zi", "zj")),
    # The news dev questions asked of the sample articles: none should be answered.
    "off-topic": ("sample", ("a", "b", "c", "zd", "ze", "zf")),
}
VARIANTS = ("written", "lower", "typo", "filler", "asked", "whether")
# How people open a question in a chat ("can you tell me why…", "i want to know what…"), chosen per
# question (the same every run); a question not opened by a question word gets one that ends in ":".
_OPENINGS = ("Can you tell me ", "I want to know ", "Explain ", "Any idea ", "I was wondering ")
_OPENINGS_BEFORE_A_COLON = ("I was wondering: ", "Can you tell me: ", "Quick one: ")
# A yes/no question reported as people type it ("I want to know if Carter appealed"): only those whose
# subject is a name or a pronoun, so the clause can be written back without parsing it.
_REPORTING = ("I want to know if ", "Do you know whether ", "Tell me if ", "I wonder if ", "Is it true that ")
_YES_NO = re.compile(
    r"^(?P<aux>Is|Are|Was|Were|Has|Have|Had|Will|Would|Can|Could|Should|Did|Does|Do)\s+"
    r"(?P<subject>(?:he|she|it|they|(?:[A-Z][\w.-]*)(?:\s+(?:[A-Z][\w.-]*|of|de|and))*))\s+"
    r"(?P<adverb>(?:ever|actually|already|still|really|also|even|just|officially|finally)\s+)?"
    r"(?P<verb>[a-z][\w-]*)(?<![^s]s)\b(?P<rest>.*?)\??$"
)
_WH = re.compile(r"^(?:who|whom|whose|what|when|where|why|how|which)\b", re.IGNORECASE)
_LONG_WORD = re.compile(r"[a-z]{5,}")
_QUESTION_WORDS = frozenset(
    "what which where there their these those about after before being would could should".split()
)
_AUXILIARY = re.compile(r"\b(?:did|does|do|is|was|were|are|has|have|will|can)\b")
_BESIDE = dict(zip("abcdefghijklmnopqrstuvwxyz", "svxsrghjoklknbpowtayibectx", strict=True))


def with_typo(word: str, rng: random.Random) -> str:
    """``word`` with one typo inside it (never its first or last letter)."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "double", "beside"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + _BESIDE[word[i]] + word[i + 1 :]


def past(verb: str) -> str:
    """ "appeal" → "appealed", "leave" → "left" (close enough for a question typed in a chat)."""
    from retrieval.irregular import past_forms

    if verb == "have":
        return "had"
    if verb in past_forms():
        return past_forms()[verb][0]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2:-1] not in ("a", "e", "o", "u"):
        return verb[:-1] + "ied"
    return verb + "ed"


def third_person(verb: str) -> str:
    if verb == "have":
        return "has"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in ("a", "e", "o", "u"):
        return verb[:-1] + "ies"
    return verb + "s"


def reported(question: str, rng: random.Random) -> str:
    """A yes/no question with a name or pronoun for subject, reported: "Did Carter appeal?" → "I
    want to know if Carter appealed"; any other question as written."""
    found = _YES_NO.match(question.strip())
    if found is None:
        return question
    aux, subject, verb, rest = found.group("aux", "subject", "verb", "rest")
    adverb = found.group("adverb") or ""
    if aux == "Did":
        clause = f"{subject} {adverb}{past(verb)}{rest}"
    elif aux in ("Does", "Do"):
        clause = f"{subject} {adverb}{third_person(verb) if aux == 'Does' else verb}{rest}"
    else:
        clause = f"{subject} {aux.lower()} {adverb}{verb}{rest}"
    return rng.choice(_REPORTING) + clause


def typed(question: str, variant: str, rng: random.Random) -> str:
    """``question`` as ``variant`` types it."""
    if variant == "written":
        return question
    if variant == "whether":  # "Did Carter appeal?" → "I want to know if Carter appealed"
        return reported(question, rng)
    if variant == "asked":  # "I want to know what did Goff say about Carter?", as typed in a hurry
        opening = rng.choice(_OPENINGS if _WH.match(question) else _OPENINGS_BEFORE_A_COLON)
        return opening + question[:1].lower() + question[1:]
    text = question.strip().rstrip("?").strip().lower()
    if variant == "lower":
        return text
    if variant == "filler":  # "so why is actually russia buying rockets…"
        auxiliary = _AUXILIARY.search(text)
        return "so " + (f"{text[: auxiliary.end()]} actually{text[auxiliary.end() :]}" if auxiliary else text)
    found = [m for m in _LONG_WORD.finditer(text) if m.group() not in _QUESTION_WORDS]
    if not found:
        return text
    chosen = rng.choice(found)
    return text[: chosen.start()] + with_typo(chosen.group(), rng) + text[chosen.end() :]


def rewrite(letters: tuple[str, ...], variant: str, folder: Path) -> tuple[Path, ...]:
    """The set's question files with every question but the chat-style ones typed as ``variant``."""
    written = []
    for letter in letters:
        source = answer_suite.QUESTIONS / f"news-{letter}.jsonl"
        target = folder / "questions" / variant / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        rng = random.Random(source.name)  # the same typos every run
        with source.open() as lines, target.open("w") as out:
            for line in lines:
                question = json.loads(line)
                if question["kind"] != "chat":
                    question["question"] = typed(question["question"], variant, rng)
                    out.write(json.dumps(question) + "\n")
        written.append(target)
    return tuple(written)


def moves(written: dict[str, dict[str, Any]], other: dict[str, dict[str, Any]]) -> str:
    """How many answers the rewrite turned right or wrong, traps apart."""
    counts: Counter[str] = Counter()
    for qid, row in written.items():
        now = other.get(qid)
        if now is None or bool(row["correct"]) == bool(now["correct"]):
            continue
        side = "trap" if not row["answerable"] else "answerable"
        counts[f"{side} {'lost' if row['correct'] else 'gained'}"] += 1
    return ", ".join(f"{key} {n}" for key, n in sorted(counts.items())) or "no change"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--tag", required=True, help="name of this run (its folder under chat/)")
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=sorted(SETS), help="only these sets")
    parser.add_argument(
        "--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS), help="only these ways of typing"
    )
    args = parser.parse_args(argv)
    if not (common.NEWS / "articles.jsonl").exists():
        parser.exit(2, f"typed_as_chat: needs the news archive at {common.NEWS} (../shared beside the repository)\n")
    folder = answer_suite.SUITE / "chat" / args.tag
    services = {store: answer_suite.service_for(store, answer_suite.SUITE) for store in {SETS[n][0] for n in args.sets}}
    known = {s.name: s for s in answer_suite.SETS}
    figures: dict[tuple[str, str], float] = {}
    for variant in args.variants:
        for name in args.sets:
            store, letters = SETS[name]
            files = rewrite(letters, variant, folder)
            question_set = dataclasses.replace(known[name], files=files)
            service = services[store]
            common.log(f"asking {name} typed as {variant}")
            figures[(variant, name)] = answer_suite.run_set(question_set, service, folder / variant, None)["correct"]
    print(f"| set | {' | '.join(args.variants)} | {' | '.join(f'{v}: against written' for v in args.variants[1:])} |")
    print("|---" * (2 * len(args.variants)) + "|")
    for name in args.sets:
        shares = " | ".join(f"{figures[(v, name)]:.3f}" for v in args.variants)
        rows = {v: answer_suite.rows_of(folder / v, name) for v in args.variants}
        changed = " | ".join(moves(rows[args.variants[0]], rows[v]) for v in args.variants[1:])
        print(f"| {name} | {shares} | {changed} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
