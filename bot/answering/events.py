"""The kind of event a question asks about, and a paragraph that tells of another kind of event only.

"How many people died in the pakistan floods?" is not answered by a count of an earthquake's dead in
Pakistan (stop 79: the archive holds no Pakistani flood toll, and the quake's count, rtqa-1427 ¶5, was
quoted as the answer). The question's names and words were all there but the disaster was another.
"""

from __future__ import annotations

import re

# The kinds of event, in families of kinds that are told together: a heat wave's story tells of its storms
# and wildfires (stop 79: "how hot did it get in macon georgia durng the heat wave" lost its answer, a digest
# item on the heat that goes on to storms, when each kind stood alone), an earthquake's of its tsunami.
# A word that also means something else in the news ("shot" a vaccine, "fire" someone, a market's "crash",
# "heat" in a sports story) is left out: such a question could not be told from one about the event.
_FAMILIES: dict[str, str] = {
    "weather": r"floods?|flooding|flooded|floodwaters?|hurricanes?|typhoons?|cyclones?|tornado(?:e?s)?|storms?|"
    r"blizzards?|heat\s*waves?|droughts?|wildfires?|bushfires?|forest\s+fires?|brush\s+fires?",
    "earthquake": r"earthquakes?|quakes?|aftershocks?|tsunamis?",
    "eruption": r"eruptions?|erupted|volcano(?:e?s)?|volcanic",
    "violence": r"shootings?|shooters?|gunm[ae]n|massacres?|bombings?|explosions?",
}
_NAMING = {family: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for family, words in _FAMILIES.items()}


def families_named(text: str) -> set[str]:
    """The families of event ``text`` names ("the floods" → {"weather"})."""
    return {family for family, naming in _NAMING.items() if naming.search(text)}


def another_event(paragraph: str, question: str) -> bool:
    """Whether ``paragraph`` (read with its title) names some kind of event but none of the family the
    question asks about: then its figures and reasons are another event's. A paragraph that names no
    event at all ("In Pakistan, 228 people were killed…" under a headline naming none either) is left
    to the other checks: most answers never repeat the event's word."""
    asked = families_named(question)
    if not asked:
        return False
    told = families_named(paragraph)
    return bool(told) and not told & asked
