"""Irregular verbs, so that a question's "leave" finds an article's "left".

The keyword index stems words with English Snowball, which leaves irregular forms apart: "leave" is
"leav", "left" is "left"; "what time did carter leave" never reached "He then left the party's
headquarters … at 9.30pm". A question term is searched together with its other forms' stems (query
side only: the index, and the indexes users already built, stay as they are).
"""

from __future__ import annotations

from functools import cache

# base, past, past participle (the same form once)
_VERBS = """
arise arose arisen; be was were been; bear bore borne; beat beat beaten; become became; begin began begun;
bid bid; bind bound; bite bit bitten; blow blew blown; break broke broken; bring brought; build built;
burn burnt; buy bought; catch caught; choose chose chosen; come came; cost cost; creep crept; deal dealt;
dig dug; do did done; draw drew drawn; drink drank drunk; drive drove driven; eat ate eaten; fall fell fallen;
feed fed; feel felt; fight fought; find found; flee fled; fly flew flown; forbid forbade forbidden;
forget forgot forgotten; forgive forgave forgiven; freeze froze frozen; get got gotten; give gave given;
go went gone; grow grew grown; hang hung; have had; hear heard; hide hid hidden; hold held; keep kept;
know knew known; lay laid; lead led; leave left; lend lent; lose lost; make made; mean meant;
meet met; pay paid; ride rode ridden; ring rang rung; rise rose risen; run ran; say said; see saw seen;
seek sought; sell sold; send sent; shake shook shaken; shine shone; shoot shot; show showed shown;
shrink shrank shrunk; sing sang sung; sink sank sunk; sit sat; sleep slept; slide slid; speak spoke spoken;
spend spent; spin spun; stand stood; steal stole stolen; stick stuck; sting stung; strike struck;
swear swore sworn; sweep swept; swim swam swum; take took taken; teach taught; tear tore torn; tell told;
think thought; throw threw thrown; understand understood; wake woke woken; wear wore worn; weep wept;
win won; withdraw withdrew withdrawn; write wrote written
"""


@cache
def _forms() -> dict[str, tuple[str, ...]]:
    """Each form's stem → the stems of the verb's other forms (computed on first use)."""
    from retrieval.text import related_stems

    return related_stems(_VERBS)


def other_forms(term: str) -> tuple[str, ...]:
    """The stems of ``term``'s other forms when it is a stemmed irregular verb form ("leav" → ("left",))."""
    return _forms().get(term, ())


@cache
def past_forms() -> dict[str, tuple[str, ...]]:
    """Each irregular verb's bare form → its past and past participle as written ("leave" →
    ("left",), "write" → ("wrote", "written")): bot/answering/whether.py turns "if he left" into "did he leave"."""
    found: dict[str, tuple[str, ...]] = {}
    for entry in _VERBS.split(";"):
        base, *others = entry.split()
        found[base] = tuple(others)
    return found
