"""Words news stories use for what people ask in other words, so that "who beat luria" finds "Jen
Kiggans' defeat of Elaine Luria" and "any firefighters hurt" finds "no firefighter injuries".

People ask with the plain word ("beat", "hurt", "quit", "kid") and stories write the formal one
("defeated", "injuries", "resigned", "child"). Each group below is words that mean the same in a news
question; a question term is searched with the other members of its group at a lower weight (query
side only, like :mod:`retrieval.irregular`: the index stays as it is). Words with a common second
meaning are left out ("fire" for dismiss, "stay" for shelter, "work" for effective).
"""

from __future__ import annotations

from functools import cache

SYNONYM_WEIGHT = 0.5  # of the question's word's weight (or the synonym's own, if lower)

_GROUPS = """
beat defeat; win victory; hurt injure injury wound; die death dead kill; quit resign; expel oust;
pledge promise vow; ban prohibit outlaw; buy purchase; kid child children; mom mother; dad father;
tory conservative; cop police; jail prison; sue lawsuit; vaccine jab; trial study; lawmaker legislator;
epicenter center; strike walkout; salary pay wage; car vehicle; sick ill; doctor physician; threat threaten
"""


@cache
def _groups() -> dict[str, tuple[str, ...]]:
    """Each member's stem → the stems of its group's other members (computed on first use)."""
    from retrieval.text import related_stems

    return related_stems(_GROUPS)


def synonyms(term: str) -> tuple[str, ...]:
    """The stems of words meaning what ``term`` (a stem) means in a news question ("beat" → ("defeat",))."""
    return _groups().get(term, ())
