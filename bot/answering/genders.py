"""Whether a name in the conversation can be "she" or "he", from what the conversation itself says.

A follow-up's pronoun stands for the newest fitting name (:mod:`bot.answering.follow_up`). After
"What did Carmel Sepuloni say about Sharma?", "and what did he say after the meeting?" asks about
Sharma: "he" cannot be Carmel Sepuloni. Two kinds of evidence, both read from the conversation's
own texts (the questions and the quoted answers), nothing from outside:

- a title before the surname: "Ms Sepuloni", "Mrs Thatcher" are women, "Mr Carter's" a man (news style
  names people this way on second mention);
- a common first name: "Carmel Sepuloni", "Gaurav Sharma". The lists below are first names common
  in English-language news (English, and a few from other languages frequent in it), without those
  given to both or read otherwise elsewhere ("Kim" is a Korean surname, "Andrea" an Italian man's
  name, "Jean" a French man's); a name in neither list says nothing.

When nothing says, the name fits either pronoun, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

Gender = Literal["female", "male"]

_FEMALE_TITLES = {"mrs", "ms", "miss", "dame", "lady", "madam", "queen", "princess", "duchess", "sister", "mother"}
_MALE_TITLES = {"mr", "sir", "lord", "king", "prince", "duke", "father", "brother"}

FEMALE_NAMES = frozenset(
    """
abigail ada adele adriana agnes aisha alana alexandra alexis alice alicia alison amanda amber amelia
amy ana angela angelina anita ann anna anne annie april ariana audrey ava barbara beatrice becky
belinda beth bethany betty beverly bonnie brenda brianna bridget brittany brooke camila carla carly
carmel carmen carol caroline carolyn carrie cassandra catherine cathy charlotte chelsea cheryl chloe
christina christine cindy claire clara claudia colleen courtney crystal cynthia daisy danielle
daphne dawn debbie deborah debra denise diana diane donna doris dorothy edith eileen elaine eleanor
elena elizabeth ella ellen elise eliza emily emma erica erin esther eva evelyn faith fiona florence
frances gabriela gabrielle gail gemma georgia gillian gina gloria grace greta gwen hailey hannah
harriet hazel heather heidi helen hillary holly ilhan imogen irene iris isabel isabella ivana
jacinda jacqueline jade jane janet janice jasmine jeanne jennifer jenny jessica jill joan joanna
jocelyn josephine joy joyce judith judy julia julie justine karen kate katherine kathleen kathryn
kathy katie kayla keira kamala kimberly kirsten kristen kristin kylie laura lauren leah leila lily
linda lisa liz lorraine louise lucy lydia madeleine madison maggie malala mandy margaret maria
marian marie marilyn marina marion marjorie martha mary maya megan melania melanie melinda melissa
meredith mia michelle mildred miranda molly monica nadia nancy naomi natalie natasha nicole nikki
nina nora olivia pamela paula pauline penny phoebe phyllis priya priyanka rachel rebecca regina
renee rita roberta rosa rosalind rose rosemary ruth sabrina samantha sandra sara sarah serena sharon
sheila shirley sienna simone sonia sophia sophie stacey stephanie sue susan suzanne sylvia tamara
tammy tanya tara teresa theresa tiffany tina ursula valerie vanessa vera veronica victoria virginia
wanda wendy whitney yolanda yvonne zoe
""".split()
)

MALE_NAMES = frozenset(
    """
aaron abdul abraham adam adrian ahmed alan albert alec alexander alfred ali alistair allan amit
andre andrew andy angus anthony antonio arjun arnold arthur ashok barack barry ben benjamin bernard
bernie bill billy bob bobby boris brad bradley brandon brendan brett brian bruce bryan caleb calvin
carl carlos cedric charles charlie christopher chuck clarence clayton clifford clint colin connor
craig curtis dale damien dan daniel darren dave david dean dennis derek devin dmitry dominic don
donald doug douglas duncan dustin dwayne dylan earl ed eddie edgar edward elijah elon emmanuel eric
ernest ethan eugene evan felix fernando francis frank franklin fred frederick gabriel gareth garry
gary gaurav gavin geoffrey george gerald gordon graham grant greg gregory guy harold harry harvey
hector henry herbert howard hugh hunter ian isaac ivan jack jackson jacob jake james jared jason
javier jeff jeffrey jeremy jerome jerry jesse jim jimmy joe joel john johnny jon jonathan jorge jose
joseph josh joshua juan julian justin karl keith kenneth kenny kevin kieran kyle lance larry
lawrence leo leon leonard lewis liam lloyd louis lucas luis luke malcolm marco marcus mario mark
martin matt matthew maurice max michael miguel mike mitch mitchell mohammed muhammad narendra nathan
neil nelson nicholas nick nigel noah norman oliver omar oscar owen patrick paul pedro pete peter
phil philip pierre rahul raj rajesh ralph ramon randy ray raymond reginald ricardo richard rick
rishi rob robert rodney roger roland ron ronald ross roy russell ryan samuel scott sean sergei seth
shane shaun simon stanley stephen steve steven stuart ted terry theodore thomas tim timothy toby
todd tom tommy tony travis trevor troy tyler vic victor vincent vladimir volodymyr walter warren
wayne wesley william willie winston xavier zach zachary
""".split()
)

_PRONOUN_GENDERS: dict[str, Gender] = {
    "she": "female", "her": "female", "hers": "female", "he": "male", "him": "male", "his": "male"
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z][\w'’.-]*")


def gender_of(name: str, texts: Iterable[str]) -> Gender | None:
    """"female" or "male" when the conversation says so of ``name`` (a title before its surname, or
    a first name in one list only, in ``name`` itself or in ``texts``), else None."""
    words = name.split()
    if not words:
        return None
    surname = words[-1]
    said: set[Gender] = set()
    if len(words) > 1:
        said |= _by_first_name(words[0])
    for text in texts:
        # "Mr Carter's" names Carter, and so does "…said Prime Minister Jacinda Ardern." (a full stop after).
        tokens = [re.sub(r"['’]s$", "", token.rstrip(".")) for token in _WORD.findall(text)]
        for i, token in enumerate(tokens):
            if token != surname or i == 0:
                continue
            before = tokens[i - 1].lower().rstrip(".")
            if before in _FEMALE_TITLES:
                said.add("female")
            elif before in _MALE_TITLES:
                said.add("male")
            else:
                said |= _by_first_name(tokens[i - 1])
    return said.pop() if len(said) == 1 else None


def is_first_name(word: str) -> bool:
    """Whether ``word`` is in either list of first names ("Mohammed", not "Ordered")."""
    return word.lower() in FEMALE_NAMES or word.lower() in MALE_NAMES


def _by_first_name(word: str) -> set[Gender]:
    lowered = word.lower()
    if lowered in FEMALE_NAMES and lowered not in MALE_NAMES:
        return {"female"}
    if lowered in MALE_NAMES and lowered not in FEMALE_NAMES:
        return {"male"}
    return set()


def fits_pronoun(name: str, pronoun: str, texts: Iterable[str]) -> bool:
    """Whether ``name`` can be ``pronoun``: "she"/"her"/"hers" not a man, "he"/"him"/"his" not a
    woman (as far as :func:`gender_of` can tell); any other pronoun fits anyone."""
    wanted = _PRONOUN_GENDERS.get(pronoun.lower())
    if wanted is None:
        return True
    found = gender_of(name, texts)
    return found is None or found == wanted
