"""Find articles that copy or rewrite another.

Each sentence gets two 64-bit keys: its exact words, and its bag of content words after
undoing every known spinner substitution (so a reordered, lightly edited or spun sentence
gets the key of its original). Sources are compared through a hash join on those keys, so
the cost grows with the number of sentences, not with the number of source pairs.
A source that shares sentences with an earlier one is related to it; related sources count
as one when a key point's independent corroboration is counted.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from operator import attrgetter

from .classify import Unspinner
from .model import CopyRelation, Sentence
from .rank import tokens

WORD = re.compile(r"\w+")
# Short sentences ("The talks lasted three hours.") coincide innocently; only longer ones count.
MIN_CONTENT_WORDS = 6
MIN_SHARED = 2
MAX_ORIGINALS = 10


def _key(text: str) -> int:
    return _bytes_key(text.encode())


def _bytes_key(data: bytes) -> int:
    """64 bits of blake2b: small enough to keep one per sentence of a large corpus."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


# A byte table for ASCII text: upper case to lower, every character `\w` does not match to a space
# (only `_` and ASCII letters and digits are word characters in ASCII text).
ASCII_WORDS = bytes(c + 32 if 65 <= c <= 90 else c if c < 128 and (chr(c).isalnum() or c == 95) else 32
                    for c in range(256))


def sentence_fingerprint(text: str) -> int:
    """The sentence's words, case and punctuation aside: equal for an exact copy. Duplicate
    detection and copy detection both key sentences by it, so they share one table."""
    if text.isascii():  # most text: a byte table and a split, a quarter of the cost of the pattern
        return _bytes_key(b" ".join(text.encode().translate(ASCII_WORDS).split()))
    return _key(" ".join(WORD.findall(text.lower())))


def sentence_keys(sentences: Iterable[Sentence], unspin: Unspinner,
                  fingerprints: Iterable[int] | None = None) -> tuple[tuple[int, int], ...]:
    """(exact words, unspun bag of content words) for each sentence long enough to be telling;
    pass the sentences' `sentence_fingerprint`s if they are known already."""
    sentences = list(sentences)
    exact = list(fingerprints) if fingerprints is not None else [sentence_fingerprint(s.text) for s in sentences]
    keys = []
    for s, fingerprint in zip(sentences, exact, strict=True):
        content = sorted(set(tokens(unspin(s.text, spun=True))))
        if len(content) < MIN_CONTENT_WORDS:
            continue
        keys.append((fingerprint, _key(" ".join(content))))
    return tuple(keys)


class CopyFinder:
    """Fed sources one at a time (so a large corpus streams through it); remembers the first
    source of every sentence key and reports which earlier sources each new one shares with."""

    def __init__(self, first_exact: dict[int, str] | None = None) -> None:
        # `first_exact` may be shared with duplicate detection, which keys sentences the same way.
        self.first_exact: dict[int, str] = {} if first_exact is None else first_exact
        self.first_bag: dict[int, str] = {}

    def add(self, source_id: str, keys: tuple[tuple[int, int], ...]) -> list[CopyRelation]:
        first_exact, first_bag = self.first_exact, self.first_bag
        exact_from: list[str] = []  # the earlier source of each sentence copied word for word
        rewritten_from: list[str] = []
        for exact_key, bag_key in keys:
            owner = first_exact.get(exact_key, source_id)
            if owner != source_id:
                exact_from.append(owner)
            elif (owner := first_bag.get(bag_key, source_id)) != source_id:
                rewritten_from.append(owner)
        for exact_key, bag_key in keys:
            first_exact.setdefault(exact_key, source_id)
            first_bag.setdefault(bag_key, source_id)
        exact, rewritten = Counter(exact_from), Counter(rewritten_from)  # counted in C, not a loop
        related = [CopyRelation(source_id, other, exact[other], rewritten[other], len(keys))
                   for other in sorted(exact.keys() | rewritten.keys())
                   if exact.get(other, 0) + rewritten.get(other, 0) >= MIN_SHARED]
        # The sources it shares most with; a page cannot list hundreds, nor does one need to.
        return sorted(related, key=lambda r: (-r.shared, r.original_id))[:MAX_ORIGINALS]


def find_copies(keys_by_source: Iterable[tuple[str, tuple[tuple[int, int], ...]]]) -> tuple[CopyRelation, ...]:
    """Every (later source, earlier source) pair sharing at least MIN_SHARED sentences, in input order."""
    finder = CopyFinder()
    return tuple(r for source_id, keys in keys_by_source for r in finder.add(source_id, keys))


def source_groups(source_ids: Iterable[str], relations: Iterable[CopyRelation]) -> dict[str, str]:
    """Each source's group: sources joined by copying are one group (union-find), named by its first id.
    A large corpus has tens of thousands of relations, most within a group already: each costs
    two lookups of its root, halving the path as it goes."""
    parent = {s: s for s in source_ids}

    def root(s: str) -> str:
        while (up := parent[s]) != s:
            parent[s] = s = parent[up]
        return s

    for copier, original in map(attrgetter("source_id", "original_id"), relations):
        if copier in parent and original in parent:
            a, b = root(copier), root(original)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {s: root(s) for s in parent}
