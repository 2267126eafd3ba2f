"""What happened: the overview's fact sheet, taken from the sources' opening sentences.

News writing puts the event first: who did what, when and where is in an article's first
sentences. The sentence that most independent sources open with (in their own words) is the
event; its date, place and parties are read from the opening sentences, its length and size from
the corpus's figures. Nothing is composed: every entry is a source's words or a figure as written,
with the sentences that say it, so the fact sheet is as verifiable as a key point.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .model import Briefing, Citation, Fact, FactEntry, Figure, FigureGroup, Player, Sentence, Source, TimelineEvent
from .rank import tokens

OPENING_SENTENCES = 3  # an article's first sentences: where news writing says what happened
MAX_SOURCES_READ = 300  # at 10,000 sources the opening of the first few hundred is plenty (and loads no more text)
MIN_WORDS, MAX_WORDS = 8, 70
SAME_EVENT = 2.0  # things two openings share to tell the same event (see `the_event`)
UBIQUITOUS = 0.6  # named in more than this share of the sources' openings: the story's own cast
STEM = 4  # letters: "Iran"/"Iranian", "signed"/"signing" meet; a crude stem, but only counts overlap
MAX_WHO, MAX_WHERE, MAX_HOW_MUCH = 4, 2, 2


@dataclass(frozen=True)
class Opening:
    source: Source
    sentence: Sentence
    stems: frozenset[str]

    @property
    def citation(self) -> Citation:
        return Citation(self.source.id, self.sentence.id)


def stems(text: str) -> frozenset[str]:
    return frozenset(word[:STEM] for word in tokens(text) if not word.isdigit())


def openings(sources: Iterable[Source], copied: set[str]) -> list[Opening]:
    """Each source's first sentences long enough to state an event; copies of another source say
    nothing of their own, so they are left out."""
    found = []
    read = 0
    for source in sources:
        if source.id in copied:
            continue
        read += 1
        if read > MAX_SOURCES_READ:
            break
        for sentence in source.sentences[:OPENING_SENTENCES]:
            words = len(sentence.text.split())
            text = sentence.text.strip()
            # A question, a heading or a lead-in ("… comprises two agreements:") states no event.
            if MIN_WORDS <= words <= MAX_WORDS and not text.endswith(("?", ":")) and not text.startswith("#"):
                found.append(Opening(source, sentence, stems(sentence.text)))
    return found


def mentions(found: Sequence[Opening], players: Sequence[Player]) -> dict[Citation, frozenset[str]]:
    """The players each opening sentence names."""
    return {o.citation: frozenset(p.name for p in players if named_in(p, o.sentence.text)) for o in found}


# Words an opening must share with another source's opening to echo it: what several sources open
# with is the event, not the opening that names the most players (a follow-up's "Boeing restarted
# production at Renton, Washington, after the strike" against four openings on the strike's end).
ECHO_STEMS = 4


def the_event(found: Sequence[Opening], named: dict[Citation, frozenset[str]], date: FactEntry | None,
              title: frozenset[str]) -> tuple[Opening, list[Opening]] | None:
    """The opening sentence that gives the openings' date if two sources give it (an event
    happens on a day), that the most other sources' openings echo (ECHO_STEMS shared words),
    and that states most of what they agree on: the players they name
    (each worth the number of sources naming it there) and that date; ties go to the sentence
    nearest the briefing's title, then the earliest. A clean source's comes before a spun
    one's. Another source corroborates it when one of its openings shares two of those things
    with it, a player most openings name (the story's own countries) counting half."""
    sources_naming: dict[str, set[str]] = {}
    for opening in found:
        for name in named[opening.citation]:
            sources_naming.setdefault(name, set()).add(opening.source.id)
    dated = set(date.citations) if date else set()
    # A day two sources give leads the choice; one source's date may be an aside ("his January
    # 20 address"), and then the sentence naming most of what the openings name wins.
    agreed_day = dated if date and date.source_count >= 2 else set()
    # Only a date placed on the calendar corroborates: "on Friday" in two undated articles may be two Fridays.
    same_day = dated if date and not date.as_written else set()
    everywhere = len({o.source.id for o in found}) * UBIQUITOUS

    def things(opening: Opening) -> dict[str, float]:
        weights = {name: 0.5 if len(sources_naming[name]) > everywhere else 1.0 for name in named[opening.citation]}
        if opening.citation in same_day:
            weights["\0date"] = SAME_EVENT  # two openings dating something to the same day tell one event
        return weights

    best: tuple[tuple, Opening] | None = None
    for candidate in found:
        worth = sum(len(sources_naming[name]) for name in named[candidate.citation])
        worth += len({c.source_id for c in dated}) if candidate.citation in dated else 0
        echoed = len({o.source.id for o in found if o.source.id != candidate.source.id
                      and len(o.stems & candidate.stems) >= ECHO_STEMS})
        key = (not candidate.source.is_spun, candidate.citation in agreed_day, echoed, worth,
               len(candidate.stems & title), -candidate.sentence.index,
               _reversed(candidate.source.id))
        if best is None or key > best[0]:
            best = (key, candidate)
    if best is None:
        return None
    event = best[1]
    stated = things(event)
    agreeing: dict[str, Opening] = {}
    for other in found:
        if other.source.id != event.source.id and other.source.id not in agreeing:
            shared = things(other).keys() & stated.keys()
            if sum(stated[k] for k in shared) >= SAME_EVENT:
                agreeing[other.source.id] = other
    return event, [agreeing[k] for k in sorted(agreeing)]


def _reversed(text: str) -> tuple[int, ...]:
    """Sorts a larger key first for the smaller id: ties go to the first source."""
    return tuple(-ord(c) for c in text)


def named_in(player: Player, text: str) -> bool:
    return any(re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text) for v in (*player.variants, player.name))


# Where something was felt or seen from is not where it happened ("felt in Thailand"), nor where
# a thing was made or a firm is based ("duties on cars made in China", "a firm based in Oslo").
REACH = re.compile(r"\b(?:felt|heard|seen|reported)\s+(?:\w+\s+){0,2}$|\bas\s+far\s+(?:away\s+)?as\s+$"
                   r"|\b(?:and|or)\s+$"
                   r"|\b(?:made|built|produced|manufactured|assembled|grown|based|headquartered|registered|listed|born)"
                   r"\s+$", re.IGNORECASE)


def located_in(player: Player, text: str) -> bool:
    """A place after "in", "at" or "near"; a building or body only after "at" ("at the Kremlin"),
    since "shares in CK Hutchison" is no place; never a place something was felt in or seen from."""
    before = r"(?:in|at|near)" if player.kind == "place" else "at"
    for v in (*player.variants, player.name):
        for m in re.finditer(rf"\b{before}\s+(?:the\s+)?{re.escape(v)}(?![\w-])", text):
            if not REACH.search(text[max(0, m.start() - 40):m.start()]):
                return True
    return False


def corroborated(entries: Iterable[FactEntry], event: set[Citation]) -> list[FactEntry]:
    """Entries at least two sources give, or that the event's own sentences give: one article's
    aside ("bound for Port Said in Egypt") is not what happened."""
    return [e for e in entries if e.source_count >= 2 or event & set(e.citations)]


def entries_by_source(found: Sequence[Opening], test: Callable[[Player, str], bool],
                      players: Iterable[Player]) -> list[FactEntry]:
    """Each player the opening sentences name (in the way `test` asks), with the sentences naming it."""
    entries = []
    for player in players:
        cited: dict[str, Citation] = {}
        for opening in found:
            if opening.source.id not in cited and test(player, opening.sentence.text):
                cited[opening.source.id] = opening.citation
        if cited:
            entries.append(FactEntry(player.name, tuple(cited[k] for k in sorted(cited)), len(cited)))
    entries.sort(key=lambda e: (-e.source_count, e.text))
    return entries


def when(events: Iterable[TimelineEvent], near: set[Citation], latest: tuple[int, int, int] | None = None,
         ) -> FactEntry | None:
    """The date the sources' openings give: one that has passed by the last article's date
    (`latest`; "the meeting on May 22" is to come, not what happened), most sources first, then
    the earliest; a relative date ("on Friday") only where
    no article date placed it, and then said as written."""
    groups: dict[str, list[TimelineEvent]] = {}
    for event in events:
        cited = (event.citation, *event.corroborated_by)
        if any(c in near for c in cited) and not re.search(r"\d0s\b", event.when):  # "the 2000s" is no date
            groups.setdefault(event.when, []).append(event)
    if not groups:
        return None

    def weight(item: tuple[str, list[TimelineEvent]]) -> tuple:
        _, group = item
        cites = {c for e in group for c in (e.citation, *e.corroborated_by)}
        coming = latest is not None and group[0].resolved and group[0].sort_key > latest  # a meeting yet to come
        return (coming, -len({c.source_id for c in cites}), not group[0].resolved, group[0].sort_key, item[0])

    written, group = min(groups.items(), key=weight)
    cites = sorted({c for e in group for c in (e.citation, *e.corroborated_by) if c in near},
                   key=lambda c: (c.source_id, c.sentence_id))
    return FactEntry(written, tuple(cites), len({c.source_id for c in cites}), as_written=not group[0].resolved)


KIND_ORDER = {"duration": 0, "amount": 0, "count": 1, "share": 2}  # "how much" is money first, a stake last


def figure_entries(groups: Iterable[FigureGroup], about: frozenset[str], kinds: set[str],
                   published: dict[str, str] | None = None) -> list[FactEntry]:
    """Figures whose subject the event or the title names ("20-year" of a "treaty"), money before
    counts before shares, most sources first; a figure with no subject could be of anything, so
    it is left out."""
    entries: list[tuple[int, FactEntry]] = []
    for group in groups:
        subject = group.measure.rpartition(" · ")[2] if " · " in group.measure else ""
        if group.figures[0].kind not in kinds or not subject or not (stems(subject) & about):
            continue
        # Where sources disagree, the value most of them give (the first on a tie); where it changed
        # between reports, the latest; citing only the sentences that give it: a citation never
        # points at a sentence saying another value.
        by_value: dict[float | None, list[Figure]] = {}
        for f in group.figures:
            by_value.setdefault(f.value, []).append(f)
        if group.changed and published:  # an update: the latest reports' value
            same = max(by_value.values(), key=lambda fs: max(published.get(f.citation.source_id, "") for f in fs))
        else:
            same = max(by_value.values(), key=lambda fs: len({f.citation.source_id for f in fs}))
        figure = same[0]
        cites = tuple(sorted({f.citation for f in same}, key=lambda c: (c.source_id, c.sentence_id)))
        differ = group.disagreement or group.changed
        # The sources giving this value: the group's count only where all give one value (some
        # may be past the figures shown); a salary and an hourly wage of one measure are two things.
        count = group.source_count if group.agreement else len({c.source_id for c in cites})
        entries.append((KIND_ORDER.get(figure.kind, len(KIND_ORDER)), FactEntry(figure.text, cites, count,
                                                                                disputed=differ)))
    entries.sort(key=lambda e: (e[0], -e[1].source_count, e[1].text))
    return [entry for _, entry in entries]


def what_happened(briefing: Briefing) -> tuple[Fact, ...]:
    """The fact sheet: what, who, when, where, how long and how much, each entry cited."""
    copied = {c.source_id for c in briefing.copies}
    found = openings(briefing.sources, copied)
    named = mentions(found, briefing.players)
    published = max((dt.date.fromisoformat(s.meta.published) for s in briefing.sources if s.meta.published),
                    default=None)
    latest = (published.year, published.month, published.day) if published else None
    date = when(briefing.timeline + briefing.undated, {o.citation for o in found}, latest)
    chosen = the_event(found, named, date, stems(briefing.title))
    if chosen is None:
        return ()
    event, agreeing = chosen
    event_cites = (event.citation, *(o.citation for o in agreeing))
    facts = [Fact("What", (FactEntry(event.sentence.text, event_cites, len(event_cites)),))]
    event_set = set(event_cites)
    people = [p for p in briefing.players if p.kind in ("person", "organisation")]
    who = corroborated(entries_by_source(found, named_in, people), event_set)[:MAX_WHO]
    if who:
        facts.append(Fact("Who", tuple(who)))
    if date and corroborated([date], event_set):
        facts.append(Fact("When", (date,)))
    where = corroborated(entries_by_source(found, located_in, briefing.players), event_set)[:MAX_WHERE]
    if where:
        facts.append(Fact("Where", tuple(where)))
    about = stems(briefing.title) | frozenset().union(*(o.stems for o in [event, *agreeing]))
    dates = {s.id: s.meta.published for s in briefing.sources if s.meta.published}
    how_long = corroborated(figure_entries(briefing.figures, about, {"duration"}, dates), event_set)
    if how_long:
        facts.append(Fact("How long", (how_long[0],)))
    how_much = corroborated(figure_entries(briefing.figures, about, {"amount", "count", "share"}, dates), event_set)
    if how_much:
        facts.append(Fact("How much", tuple(how_much[:MAX_HOW_MUCH])))
    return tuple(facts)
