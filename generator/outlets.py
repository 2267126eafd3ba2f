"""Readable outlet names: from an article's URL when its metadata names no publisher, and the
short label a citation shows ("Tehran Times · 12" tells a reader who said it; "S3:85" did not).

Only the URL's host is read, never the article's text: a name made here is the host's words,
split and capitalised, and the source page says it came from the address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

# Hosts whose name is not their words: well-known outlets by their registrable name.
KNOWN = {
    "apnews": "AP News", "aljazeera": "Al Jazeera", "bbc": "BBC", "cnbc": "CNBC", "cnn": "CNN",
    "nytimes": "The New York Times", "washingtonpost": "The Washington Post", "wsj": "The Wall Street Journal",
    "ft": "Financial Times", "theguardian": "The Guardian", "reuters": "Reuters", "tass": "TASS",
    "ria": "RIA Novosti", "rt": "RT", "scmp": "South China Morning Post", "dw": "DW", "france24": "France 24",
    "channelnewsasia": "CNA", "irna": "IRNA", "presstv": "Press TV", "tasnimnews": "Tasnim News",
    "timesofisrael": "The Times of Israel", "themoscowtimes": "The Moscow Times", "npr": "NPR",
    "economist": "The Economist", "bloomberg": "Bloomberg", "politico": "Politico", "axios": "Axios",
    "newsweek": "Newsweek",
}
# Words outlet hosts run together ("tehrantimes"): split off from either end, longest first.
WORDS = sorted(set("""
times news post daily wire herald tribune journal monitor today online express gazette review
observer guardian report reports insider weekly telegraph mail star sun chronicle press agency
network media world global international info watch voice focus standard independent economist
financial business morning evening sunday national public radio tv live digest dispatch bulletin
record courier sentinel examiner inquirer register ledger mirror nation asia africa europe middle east
eurasia pacific atlantic arab iran tehran moscow russia china india pakistan turkey israel
gulf caspian new the of and geo politics policy foreign affairs eye line hub desk intelligence
""".split()), key=len, reverse=True)  # noqa: SIM905
TWO_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "gob"}
MAX_SHORT = 22


def outlet_from_url(url: str | None) -> str | None:
    """A readable outlet name from a URL's host ("https://www.tehrantimes.com/x" → "Tehran Times"),
    or None when the URL has no usable host."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    labels = [part for part in host.split(".") if part]
    if len(labels) < 2 or all(part.isdigit() for part in labels):
        return None
    # The registrable name: the label before the public suffix ("bbc" of news.bbc.co.uk).
    name = labels[-3] if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in TWO_LEVEL else labels[-2]
    if name.startswith("xn--"):
        try:
            name = name.encode("ascii").decode("idna")
        except UnicodeError:
            return None
    if name in KNOWN:
        return KNOWN[name]
    words = [w for w in re.split(r"[-_]+", name) if w]
    if not words:
        return None
    split = [piece for word in words for piece in _split_run(word)]
    return " ".join(piece.upper() if len(piece) <= 3 and len(split) == 1 else piece.capitalize()
                    for piece in split)


def _split_run(word: str) -> list[str]:
    """A run of words without spaces split where known words start or end ("tehrantimes")."""
    if word.isdigit() or len(word) <= 4:
        return [word]
    for known in WORDS:
        if len(known) >= len(word) - 1:
            continue
        if word.endswith(known):
            return [*_split_run(word[:-len(known)]), known]
        if word.startswith(known) and len(known) >= 3:
            return [known, *_split_run(word[len(known):])]
    return [word]


def short_name(publisher: str) -> str:
    """An outlet's name short enough for a citation: without a leading "The", cut at a word."""
    name = " ".join(publisher.split())
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE) or name
    if len(name) <= MAX_SHORT:
        return name
    cut = name[:MAX_SHORT].rsplit(" ", 1)[0] if " " in name[:MAX_SHORT] else name[:MAX_SHORT]
    return cut.rstrip(" ,;:-–—") + "…"


def source_labels(publishers: Sequence[str | None]) -> list[str]:
    """Each source's label, in order: its outlet's short name (numbered from the outlet's second
    source on, so two sources never share one), else "Source N" by its place in the corpus."""
    seen: dict[str, int] = {}
    labels = []
    for number, publisher in enumerate(publishers, start=1):
        if not publisher or not publisher.strip():
            labels.append(f"Source {number}")
            continue
        short = short_name(publisher)
        seen[short] = seen.get(short, 0) + 1
        labels.append(short if seen[short] == 1 else f"{short} {seen[short]}")
    return labels
