"""Who someone is: "Who is Phil Goff?" is answered by the sentence that gives his role.

News names a person with their role once, in passing ("…undermining party leader Phil Goff…",
"Rogue Labour MP Dr Gaurav Sharma has been…", "Kieran McAnulty, the former whip, said…"), and
that sentence shares only the name with the question. The answer model, fitted on questions about
what people did, prefers a sentence that repeats the name in some other business ("And he's
continued the attack on Phil Goff…"). So for a question that only asks who a named person is, a
sentence that puts a role before the name, or a description after it, is the answer; and for "who
is the leader of…?", a sentence that puts that role before a name the question does not give.
"""

from __future__ import annotations

import re

from bot.answering import cues

# Words that say what a person does, as news puts them before a name ("party leader Phil Goff",
# "finance spokesman David Cunliffe") or after it ("Andrew Little, the party president").
ROLE_WORDS = (
    "leader|president|vice-president|premier|chancellor|minister|secretary|spokesman|spokeswoman|spokesperson|"
    "mp|senator|congressman|congresswoman|representative|rep|lawmaker|politician|governor|mayor|councillor|"
    "councilman|councilwoman|ambassador|envoy|diplomat|whip|chairman|chairwoman|chair|chief|ceo|cfo|founder|"
    "co-founder|owner|director|executive|head|manager|boss|commissioner|official|officer|adviser|advisor|"
    "aide|judge|justice|lawyer|attorney|prosecutor|sheriff|general|commander|admiral|colonel|captain|coach|"
    "player|striker|quarterback|pitcher|champion|star|actor|actress|singer|rapper|musician|comedian|host|"
    "presenter|anchor|journalist|reporter|editor|author|writer|novelist|director|producer|designer|artist|"
    "professor|scientist|researcher|economist|analyst|doctor|surgeon|nurse|teacher|student|activist|"
    "campaigner|candidate|challenger|king|queen|prince|princess|pope|bishop|archbishop|cardinal|monarch|"
    "billionaire|entrepreneur|investor|businessman|businesswoman|influencer|model|athlete|chef"
)
# Who a person is by kin, age or part in a story rather than by trade ("the two brothers suspected…",
# "the runner who died…").
_PERSON_WORDS = (
    "man|woman|men|women|boy|girl|person|people|brother|sister|son|daughter|mother|father|wife|husband|child|"
    "children|kid|baby|victim|suspect|gunman|shooter|driver|pilot|runner|tourist|engineer|fan|umpire|master|"
    "crew members?|member"
)
_PERSON_ASKED = re.compile(rf"\b(?:{ROLE_WORDS}|{_PERSON_WORDS})s?\b", re.IGNORECASE)
PERSON_WORDS_AFTER_NAME = 5  # "the name of the Sri Lankan envoy", "the names of the six men"


def asks_a_persons_name(question: str) -> bool:
    """Whether ``question`` asks the name of a person ("What are the names of the two brothers
    suspected…?"): a place is no answer to it, as "…two brothers suspected in a mass stabbing in
    Canada" names no brother (a near miss answered so, stop 72)."""
    found = cues.ASKS_FOR_A_NAME.search(question)
    if found is None:
        return False
    return bool(_PERSON_ASKED.search(" ".join(question[found.end() :].split()[:PERSON_WORDS_AFTER_NAME])))


_HONORIFIC = r"(?:(?:Mr|Mrs|Ms|Dr|Sir|Dame|Prof|Rev)\.?\s+)"
_NAME_WORD = rf"{cues.UPPER}{cues.LETTER}+"

# "Who is Phil Goff?", "who's andrew little", "Who was Gaurav Sharma?": nothing asked but who.
_ASKS_WHO_SOMEONE_IS = re.compile(
    rf"^\W*(?i:who(?:['’]s|\s+(?:is|was|are|were)))\s+{_HONORIFIC}?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s*\??\s*$"
)
# "Who is the leader of the Labour Party?", "who's Labour's leader": the role asked about.
# "the" may be left out in a chat: "who was pm when sharma got booted".
_ASKS_WHO_HOLDS = re.compile(
    rf"^\W*(?i:who(?:['’]s|\s+(?:is|was|are|were))\s+)(?:(?i:the|its|their)\s+|(?P<owner>{_NAME_WORD})['’]s?\s+)?"
    rf"(?i:(?:current|new|former|then|acting)\s+)?(?P<role>(?i:[a-z-]+\s+){{0,2}}?(?i:{ROLE_WORDS}))\b"
)

# "Who leads Labour?" is "Who is the leader of Labour?": asked with the verb, it abstained over "party leader
# Phil Goff" (stop 74), which the role question answers. "Who runs the labour party" (stop 82: it quoted a
# sentence about Carter standing as an independent) is its head; not "who runs for mayor" or "…the risk".
_ASKS_WHO_DOES_THE_ROLE = re.compile(
    r"^\W*(?i:who)\s+(?i:(?:currently|now)\s+)?"
    r"(?P<verb>(?i:leads|heads|chairs|coaches|manages|owns|directs|edits|captains|"
    r"runs(?!\s+(?:for|against|in|on|into|out|away|off|the\s+risk|a\s+risk)\b)))\s+(?P<rest>\S.*)$"
)
_ROLE_OF_VERB = {
    "leads": "leader",
    "heads": "head",
    "chairs": "chair",
    "coaches": "coach",
    "manages": "manager",
    "owns": "owner",
    "directs": "director",
    "edits": "editor",
    "captains": "captain",
    "runs": "head",
}


def as_role_question(question: str) -> str:
    """ "Who leads Labour?" as "who is the leader of Labour?"; any other question as it is."""
    found = _ASKS_WHO_DOES_THE_ROLE.match(question)
    if found is None:
        return question
    return f"who is the {_ROLE_OF_VERB[found.group('verb').lower()]} of {found.group('rest')}"


# "What role had Kieran McAnulty held…?", "what job does Andrew Little have": the same question.
_ASKS_ROLE_OF = re.compile(
    rf"^\W*(?i:what\s+(?:role|job|position|post|title|office|portfolio)s?\s+(?:did|does|do|had|has|have|was|is|were)\s+)"
    rf"{_HONORIFIC}?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\b"
)


# "What is Sharma's job?", "what's andrew little's role", "What does Goff do for a living?": the same again.
_ASKS_JOB_OF = re.compile(
    rf"^\W*(?i:what(?:['’]s|\s+(?:is|was|are|were))\s+){_HONORIFIC}?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
    r"['’]s?\s+(?i:job|role|profession|occupation|position|title|line\s+of\s+work)\s*\??\s*$|"
    rf"^\W*(?i:what\s+(?:does|did|do)\s+){_HONORIFIC}?(?P<doer>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})"
    r"\s+(?i:do\s+for\s+(?:a\s+living|work))\s*\??\s*$"
)


# "is phil goff the prime minister", "Was Andrew Little the party president?": whether someone holds a
# role is answered by what the articles say they are.
_ASKS_IF_THEY_HOLD = re.compile(
    rf"^\W*(?i:is|was|isn['’]t|wasn['’]t)\s+{_HONORIFIC}?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s+"
    rf"(?i:the|a|an)\s+(?P<role>(?i:[a-z-]+\s+){{0,2}}?(?i:{ROLE_WORDS}))\b"
)


def person_asked_if_they_hold_a_role(question: str) -> str | None:
    """The name in "Is <name> the <role>…?", else None."""
    found = _ASKS_IF_THEY_HOLD.match(question)
    return found.group("name") if found else None


def role_asked_if_held(question: str) -> str | None:
    """The role in "Is <name> the <role>…?", with the words before it ("author" in "was carter the author of
    the letter", "prime minister"), else None."""
    found = _ASKS_IF_THEY_HOLD.match(question)
    return " ".join(found.group("role").lower().split()) if found else None


def gives_the_role(sentence: str, role: str) -> bool:
    """Whether ``sentence`` names ``role`` ("He was quickly outed as the letter's author.")."""
    written = r"\s+".join(map(re.escape, role.split()))
    return re.search(rf"\b{written}s?\b", sentence, re.IGNORECASE) is not None


def person_asked_about(question: str) -> str | None:
    """The name in "Who is <name>?", "What role did <name> hold…?" or "What is <name>'s job?" (the
    question cased as the articles case names), else None."""
    job = _ASKS_JOB_OF.match(question)
    if job:
        return job.group("name") or job.group("doer")
    found = _ASKS_WHO_SOMEONE_IS.match(question) or _ASKS_ROLE_OF.match(question)
    if found is None or re.fullmatch(f"(?i:{ROLE_WORDS})", found.group("name").split()[-1]):
        return None  # "Who is Walmart's CEO?" asks who holds a role: it was read as a person named "CEO"
    return found.group("name")


def role_asked_about(question: str) -> str | None:
    """The role in "Who is the <role> of …?" ("leader", "prime minister", "Labour Party president"),
    as the question writes it, else None."""
    found = _ASKS_WHO_HOLDS.match(as_role_question(question))
    return found.group("role") if found else None


# "Who heads Labour?" ("who is the head of Labour") is answered by "party leader Phil Goff": a head or a
# boss is whoever leads, and articles name the post rather than call anyone "head". Not "chief": it is
# mostly half of another post ("Natalia Orlova, chief economist at Alfa Bank" answered who headed
# Russia's central bank, stop 75).
_WHOEVER_LEADS = {"head": ("leader",), "boss": ("leader", "head")}


def _role_phrases(role: str) -> list[str]:
    """How an article may write ``role``: as asked, then without the names before it ("the Labour
    Party president" is "Party president Andrew Little"; the answer's article must hold the names),
    then, for a head or a boss, as the post that leads (:data:`_WHOEVER_LEADS`)."""
    *before, last = role.split()
    kept = [w for w in before if not re.fullmatch(_NAME_WORD, w)]
    phrases = [" ".join([*before, last]).lower(), " ".join([*kept, last]).lower()]
    phrases += [" ".join([*kept, other]).lower() for other in _WHOEVER_LEADS.get(last.lower(), ())]
    return list(dict.fromkeys(phrases))


def describes(sentence: str, name: str) -> bool:
    """Whether ``sentence`` says who ``name`` is: a role just before the name, at most a first name
    and an honorific between ("party leader Phil Goff", "Labour MP Dr Gaurav Sharma"), or a
    description just after it ("Andrew Little, the party president,", "Goff is the leader")."""
    last = re.escape(name.split()[-1])
    before = re.compile(rf"\b(?i:{ROLE_WORDS})\s+{_HONORIFIC}?(?:{_NAME_WORD}\s+){{0,2}}{last}\b")
    after = re.compile(rf"\b{last}(?:\s+{_NAME_WORD})?(?:,\s+(?:the|a|an|who|whose)\b|\s+(?:is|was)\s+(?:a|an|the)\s)")
    return bool(before.search(sentence) or after.search(sentence))


def holder(sentence: str, question: str, around: str | None = None) -> str | None:
    """For "Who is the <role> of …?", the name ``sentence`` puts after that role ("Phil Goff"), else None.
    For "Who is Walmart's CEO?", a sentence that names Walmart: "Current Broncos CEO Joe Ellis", in a
    story about a Walmart heir buying the Broncos, is another company's. With ``around`` (the
    sentence's paragraph and its article's title), a role written as a title before the name must
    have the owner named there: "who is the president of Bethune-Cookman University" was answered
    "Joe Biden: President Joe Biden declared an emergency for Florida…", in a storm story that names
    the university in another paragraph."""
    question = as_role_question(question)
    found = _ASKS_WHO_HOLDS.match(question)
    if found is None:
        return None
    who = _role_holder(sentence, found.group("role"), question)
    owner = owner_of_the_role(question)
    if who is None or not owner:
        return who
    # The role may be the asked one with the owner unnamed ("party leader Phil Goff" for "who is Labour's
    # leader"), but not when another name owns it ("Broncos CEO Joe Ellis"), even with the owner named
    # elsewhere: "who is the president of uzbekistan" was answered "Xi Jinping: …Chinese President Xi
    # Jinping… at a summit in Uzbekistan" (stop 69). "Uzbek President…" is the asked owner's.
    role = r"\s+".join(map(re.escape, found.group("role").split()))
    another_owner = rf"(?<![.!?]\s)(?<!^)\b({cues.UPPER}[\w.]*)"
    owned = re.search(rf"{another_owner}\s+(?i:{role})s?\s+{_HONORIFIC}?{re.escape(who)}", sentence)
    if owned is not None:
        return who if _owns(owned.group(1), owner) else None
    if around is None or names(owner, f"{sentence} {around}"):
        return who
    # Unnamed there, a role in lower case is the story's own ("…undermining leader Phil Goff", in a
    # story naming Labour elsewhere); a title ("President Joe Biden") is the office everyone means.
    title = r"\s+".join(word[:1].upper() + word[1:] for word in found.group("role").split())
    return None if re.search(rf"\b{title}s?\s+{_HONORIFIC}?{re.escape(who)}", sentence) else who


def names(owner: str, text: str) -> bool:
    """Whether ``text`` names ``owner``: as asked, or by a word that owns it (:func:`_owns`); "who is the
    president of the green party" is not answered from stories that never name it."""
    if owner.lower() in text.lower():
        return True
    return any(_owns(word, owner) for word in re.findall(rf"{cues.UPPER}[\w.]*", text))


def owner_of_the_role(question: str) -> str | None:
    """Whose role "Who is the <role> of …?" asks about: "Walmart" in "Who is Walmart's CEO?", "the
    United States" in "who is the president of the United States"; None when no owner is named."""
    question = as_role_question(question)
    found = _ASKS_WHO_HOLDS.match(question)
    if found is None:
        return None
    if found.group("owner"):
        return re.sub(r"['’]s?$", "", found.group("owner"))
    of = _OF_OWNER.match(question, found.end()) or _OF_A_KIND.match(question, found.end())
    return of.group(1) if of else None


# "who is the president of the United States": the owner after "of".
_OF_OWNER = re.compile(rf"\s+of\s+(?:(?i:the)\s+)?({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})")
# …or one typed in lower case, known by its kind: "who is the president of the green party".
_OF_A_KIND = re.compile(
    r"\s+of\s+(?:the\s+)?((?:[a-z][\w-]*\s+){1,2}(?:party|university|college|club|team|company|union))\b"
)
# How news writes an owner before a role that shares no stem with its name.
# (Lower case, without a final full stop: "U.S." is read as "u.s".)
_OWNER_WORDS = {
    "united states": {"us", "u.s", "american", "america"},
    "united kingdom": {"uk", "u.k", "british", "britain"},
    "britain": {"british", "uk", "u.k"},
    "france": {"french"},
    "netherlands": {"dutch"},
    "america": {"us", "u.s", "american"},
}


def _owns(word: str, owner: str) -> bool:
    """Whether ``word`` before a role ("Uzbek President…") names the asked owner ("Uzbekistan"): the
    same word or one of its words ("Pride" for the Orlando Pride), a shared stem of four letters, or a
    known other name ("U.S." for the United States)."""
    w, o = word.lower().rstrip("."), owner.lower()
    first = o.split()[0]
    own_word = w in o.split() and w not in _KINDS_OF_OWNER  # "Harvard University President…" is not Bethune-Cookman's
    return own_word or w in _OWNER_WORDS.get(o, set()) or (len(w) >= 4 and len(first) >= 4 and w[:4] == first[:4])


# Words that many owners' names end in: a role after one of them alone is not the asked owner's.
_KINDS_OF_OWNER = {
    *("university", "college", "school", "bank", "party", "company", "corporation", "group", "club", "team"),
    *("city", "county", "state", "council", "board", "department", "ministry", "agency", "institute"),
}


_LEFT_THE_ROLE = re.compile(
    r"\b(?:resign(?:s|ed|ing)?|step(?:s|ped|ping)? down|stood down|ousted|deposed|quit|fled|impeached|"
    r"removed from office|left office|sacked|fired|died|was killed|assassinated|succeeded by|replaced by)\b",
    re.IGNORECASE,
)


def left_the_role(sentence: str, who: str) -> bool:
    """Whether ``sentence`` says ``who`` (the name it gives the role) no longer holds it: "Sri Lanka's
    President Gotabaya Rajapaksa, who fled…, has formally resigned" answers who the president is (it
    tells the news), but not under his name as the answer."""
    at = sentence.find(who)
    return at >= 0 and _LEFT_THE_ROLE.search(sentence, at) is not None


# A role with one of these before it is another role: "Deputy Mayor Felipe…" is not the mayor,
# "Vice-Chair Ismail El Gizouli" not the chair.
_BESIDE_THE_ROLE = "deputy|vice|assistant|associate|acting|interim|co|under|shadow"
_OTHER_ROLE = re.compile(rf"(?i:{_BESIDE_THE_ROLE}|former|ex)[\s-]+$")
# …but a role asked in the past is held by its former holder too: "who was the whip" of "…former whip
# Kieran McAnulty…" (stop 78).
_OTHER_ROLE_THEN = re.compile(rf"(?i:{_BESIDE_THE_ROLE})[\s-]+$")
_ASKED_IN_THE_PAST = re.compile(r"^\W*who\s+(?:was|were|used\s+to\s+be)\b", re.IGNORECASE)
# A holder the clause tells of losing the role holds it no longer: the sentence on the new owner firing the
# company's CEO, named after the role, does not answer "who is the ceo of twitter now" (stop 79, rtqa-1587).
_LOSING_THE_ROLE = re.compile(
    r"\b(?:fir(?:ed|es|ing)|ous(?:ted|ting|ts)|sack(?:ed|ing|s)|dismiss(?:ed|es|ing)|remov(?:ed|es|ing)|"
    r"replac(?:ed|es|ing)|depos(?:ed|ing)|toppl(?:ed|ing)|outgoing|departing)\b[^.;:!?]*$",
    re.IGNORECASE,
)


def _role_holder(sentence: str, role: str, question: str) -> str | None:
    """The first name ``sentence`` gives ``role``: "party leader Phil Goff", or "Hoesung Lee is the
    chair"; a name the question gives is not it. The role as asked is looked for first."""
    asked = question.lower()
    other_role = _OTHER_ROLE_THEN if _ASKED_IN_THE_PAST.match(question) else _OTHER_ROLE
    # Initials inside a name are part of it: "President George H.W. Bush" was read as "George".
    name = rf"{_NAME_WORD}(?:\s+(?:[A-Z]\.){{1,3}})?(?:\s+{_NAME_WORD}){{0,2}}"
    for role_phrase in _role_phrases(role):
        phrase = r"\s+".join(map(re.escape, role_phrase.split()))
        found = []
        for match in re.finditer(rf"\b(?i:{phrase}s?)\s+{_HONORIFIC}?(?P<name>{name})", sentence):
            before = sentence[: match.start()]
            lost = not _ASKED_IN_THE_PAST.match(question) and _LOSING_THE_ROLE.search(before) is not None
            if not other_role.search(before) and not lost:
                found.append((match.start(), match.group("name")))
        for match in re.finditer(
            # not "…Mahinda Rajapaksa, the current president's brother": the role of another
            rf"(?P<name>{name})(?:,|\s+(?:is|was|has\s+been|became|remains))\s+(?:the\s+)?(?:[a-z-]+\s+)?(?i:{phrase})\b(?!['’]s\b)",
            sentence,
        ):
            found.append((match.start(), match.group("name")))
        for _, who in sorted(found):
            if who.split()[-1].lower() not in asked:
                return who
    return None


# "Who is the New York health department spokesperson…?", "Which Ukrainian mayor was let go…?", "What's the
# name of the judge…": a person asked for by the part they play.
_ASKS_A_PERSON_BY_PART = re.compile(
    r"^\W*(?:who(?:['’]s)?|whom|which|what(?:['’]?s|\s+is|\s+was|\s+are|\s+were)?\s+(?:the\s+)?names?\s+of)\b",
    re.IGNORECASE,
)
# The words naming what is asked for, up to the verb or preposition after them: "hospital" in "Which Australian
# hospital were Tom Hanks and his wife taken to?", which asks for no person ("wife Rita Wilson" answered it).
_ASKED_PART = re.compile(
    r"(?:\s+(?i:is|was|are|were))?(?:\s+(?i:the|a|an))?(?P<part>(?:\s+(?!(?i:is|was|are|were|did|does|do|has|have|had|"
    r"will|would|could|can|of|in|at|to|for|on|with|from|by|about|that|who|whose|which)\b)[\w’'.-]+)+)"
)
_PART_WORDS_READ = 8  # "Which Ukrainian mayor…", "Who is the New York health department spokesperson…"
_A_NAME = rf"{_HONORIFIC}?(?P<name>{_NAME_WORD}(?:\s+(?:{cues.UPPER}\.|{_NAME_WORD}|de|van|von|bin|al-\w+))+)"


def names_the_asked_person(sentence: str, question: str) -> bool:
    """Whether ``sentence`` names someone new next to the part the question asks about: "…health board
    spokesperson <name> said…" for "Who is the … health department spokesperson quoted…?", "<name>, the
    33-year-old mayor of <town>, was freed" for "Which Ukrainian mayor was let go…?". A name written
    beside the asked part is the answer, however little the check reads into the rest of the sentence
    (it turned down both such news answers, stop 73)."""
    asked = _ASKS_A_PERSON_BY_PART.match(question)
    if asked is None or role_asked_about(question) is not None:
        return False  # "Who is the president of the green party?" is :func:`holder`'s, which reads the owner
    asked_part = _ASKED_PART.match(question, asked.end())
    words = asked_part.group("part").split()[:_PART_WORDS_READ] if asked_part else []
    parts = {m.group(0).lower() for m in _PERSON_ASKED.finditer(" ".join(words))}
    asked_words = {w.strip(".,;:?!'’\"").lower() for w in question.split()}
    for part in parts:
        part_pattern = r"\s+".join(map(re.escape, part.split()))
        after = re.finditer(rf"(?i:\b{part_pattern})\s+{_A_NAME}", sentence)
        apposed = rf"\s*,\s+(?i:(?:the|a|an|its|their|his|her)\s+)(?:[\w’'-]+\s+){{0,5}}?(?i:{part_pattern})\b"
        before = re.finditer(rf"{_A_NAME}{apposed}", sentence)
        for found in (*after, *before):
            if not {w.lower() for w in found.group("name").split()} & asked_words:
                return True
    return False
