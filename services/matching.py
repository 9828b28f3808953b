"""Forgiving name matching for typed shortcuts: case, accents, typos, 'groep 5B' vs '5b'."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

from rapidfuzz import fuzz, process

GROUP_PREFIX = re.compile(r"^(groep|group|gr)\s*")
GROUP_WORD = re.compile(r"^(groep|group|gr)(?=[\s\d])\s*", re.IGNORECASE)
GROUP_WORDS = ("groep", "group")


# The names a turn matches against (a school's groups and products) are the same at every turn:
# each is folded once, not at every typed shortcut.
@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower case, accents folded, punctuation to spaces, single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9/ ]+", " ", folded.lower()).split())


def strip_group_word(text: str) -> str:
    """'Groep 5b' → '5b', also with a typo in the word ('gorep 6/7', 'grup 5b', 'grp 5');
    text without such a word stays as it is."""
    text = text.strip()
    if GROUP_WORD.match(text):
        return GROUP_WORD.sub("", text)
    head, _, rest = text.partition(" ")
    word = head.lower()
    if rest[:1].isdigit() and word.isalpha() and (
            word == "grp" or max(fuzz.ratio(word, w) for w in GROUP_WORDS) >= 75):
        return rest.strip()
    return text


@functools.lru_cache(maxsize=4096)
def group_key(name: str) -> str:
    """'Groep 5B' → '5b'; 'groep 1/2 a' → '1/2a'; 'gorep 6/7' → '6/7'."""
    text = GROUP_PREFIX.sub("", strip_group_word(normalise(name)))
    return text.replace(" ", "")


def match_names(query: str, candidates: Mapping[int, str], *, key=normalise,
                cutoff: float = 80.0) -> list[int]:
    """Ids whose name matches the query: exact key matches win; else the best fuzzy matches
    (all ids within 3 points of the best score, so a tie stays ambiguous)."""
    wanted = key(query)
    if not wanted:
        return []
    keyed = {cid: key(name) for cid, name in candidates.items()}
    exact = [cid for cid, k in keyed.items() if k == wanted]
    if exact:
        return exact
    scored = process.extract(wanted, keyed, scorer=fuzz.WRatio, score_cutoff=cutoff, limit=None)
    if not scored:
        return []
    best = scored[0][1]
    return [cid for _, score, cid in scored if score >= best - 3]


def match_groups(query: str, groups: Mapping[int, str]) -> list[int]:
    """Groups a typed name means: 'groep 5B' → Groep 5b; '6-7' → Groep 6/7; 'groep 5' → both
    Groep 5a and Groep 5b (ambiguous, the caller asks); small typos are forgiven."""
    wanted = group_key(query)
    if not wanted:
        return []
    keyed = {gid: group_key(name) for gid, name in groups.items()}
    for key in (lambda k: k, lambda k: k.replace("/", "")):
        exact = [gid for gid, k in keyed.items() if key(k) == key(wanted)]
        if exact:
            return exact
    # 'groep 5' when the school has 5a and 5b: every parallel group of that year.
    parallel = [gid for gid, k in keyed.items()
                if k.startswith(wanted) and k[len(wanted):].isalpha() and wanted[-1:].isdigit()]
    if parallel:
        return parallel
    # Group keys are short: a partial match ('4' inside '42x') already scores 90.
    return match_names(query, groups, key=group_key, cutoff=91.0)
