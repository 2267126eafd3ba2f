from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.clean import HAS_DIGIT, TERMINAL, ends_with_a_stop, has_digit, may_hold_any
from generator.model import Article, Block, CleanArticle, SourceMeta
from generator.segment import segment, to_source
from generator.timeline import (
    ABSOLUTE,
    ABSOLUTE_NEEDS,
    MONTHS,
    RELATIVE,
    RELATIVE_CUES,
    _cues_held,
    events_of,
    timeline,
    timeline_page,
)


def source(text: str, published: str | None = None, sid: str = "a"):
    cleaned = CleanArticle(article=Article(sid, f"{sid}.txt", text, SourceMeta(published=published)),
                           blocks=(Block(text),))
    return to_source(cleaned, segment(cleaned))


@pytest.mark.parametrize(
    ("sentence", "when", "key"),
    [
        ("The treaty was signed on January 17, 2025 in Moscow by both leaders.", "17 January 2025", (2025, 1, 17)),
        ("The treaty was signed on 17 January 2025 in Moscow by both leaders.", "17 January 2025", (2025, 1, 17)),
        ("Raisi visited Moscow in January 2022 to discuss a long-term deal.", "January 2022", (2022, 1, 0)),
        ("The new agreement replaces a 2001 framework that was periodically renewed.", "2001", (2001, 0, 0)),
        # Months as news agencies abbreviate them (AP: "Sept. 25"; British: "25 Sept 2024").
        ("The vote had been planned for Sept. 25, 2024 but was put off by the ministers.", "25 September 2024",
         (2024, 9, 25)),
        ("The duties must be imposed by 30 Oct 2024 under the rules of the bloc.", "30 October 2024", (2024, 10, 30)),
        ("The strike was suspended until Jan. 15, 2025 while both sides keep talking.", "15 January 2025",
         (2025, 1, 15)),
        ("The plant closed in Dec. 2023 after a long run of losses at the site.", "December 2023", (2023, 12, 0)),
    ],
)
def test_absolute_dates(sentence, when, key):
    dated, undated = events_of(source(sentence))
    assert [(e.when, e.sort_key) for e in dated] == [(when, key)]
    assert undated == []


@pytest.mark.parametrize("sentence", [
    "Trade amounted to a mere $4.5 billion in total, up from 2020s lows of 1500 units.",
    "The pact runs for a 20-year term and covers 2025 km of pipeline in the region.",
    "The treaty has 47 articles and a budget of 2,024 million for joint projects.",
    "By 9:30 p.m. local time (2030 GMT) two million customers had power again.",
    "The vote closed at 1900 hours and the count began at 2015 local time.",
    "Talks resumed at 2000 CET and again at 2045 UTC without result.",
])
def test_numbers_that_are_not_dates_are_ignored(sentence):
    dated, undated = events_of(source(sentence))
    assert dated == [] and undated == []
    # The same sentence with a date in it: only the date is taken, so the numbers were read and left.
    dated, _ = events_of(source(sentence[:-1] + " since the treaty of 17 January 2025."))
    assert [e.when for e in dated] == ["17 January 2025"]


def test_a_year_before_a_capitalised_word_is_still_a_year():
    for sentence in ("Sales fell in 2024 AT&T said on its results day.", "Budgets shrank in 2024 ESA reported today."):
        dated, _ = events_of(source(sentence))
        assert [e.when for e in dated] == ["2024"]


def test_a_decade_is_no_date_and_its_year_is_not_taken_either():
    dated, undated = events_of(source("Ties grew closer from the 2000s onwards against American policy."))
    assert dated == [] and undated == []


def test_a_day_and_month_without_a_year_is_placed_in_the_article_s_year():
    text = ("The power cable between Finland and Estonia failed on December 25 in the afternoon. "
            "The anchor was raised from the seabed on 7 January by the navy. "
            "The police said so on Tuesday in a statement in Helsinki.")
    dated, undated = events_of(source(text, published="2025-01-08"))
    assert {(e.as_written, e.when) for e in dated} == {
        ("December 25", "25 December 2024"), ("7 January", "7 January 2025"), ("on Tuesday", "7 January 2025")}
    assert undated == []
    dated, undated = events_of(source(text))
    assert dated == [] and {e.as_written for e in undated} == {"December 25", "7 January", "on Tuesday"}


def test_an_abbreviated_month_with_a_day_is_placed_and_a_name_is_no_month():
    dated, _ = events_of(source("The vote had been planned for Sept. 25 but was put off by the ministers.",
                                published="2024-10-04"))
    assert [(e.as_written, e.when) for e in dated] == [("Sept. 25", "25 September 2024")]
    dated, undated = events_of(source("Janet 15 and Octavia 3 were the names of the two ships in the port.",
                                      published="2024-10-04"))
    assert dated == [] and undated == []


def test_a_sentence_is_about_its_date_not_the_deadline_it_names():
    # A port-strike story's "agreed on Thursday to suspend its strike until Jan. 15" was placed
    # under 15 January once abbreviated months were read (#26, an untuned story).
    dated, _ = events_of(source("The union agreed on Thursday to suspend its strike until Jan. 15 after talks.",
                                published="2024-10-04"))
    assert [e.when for e in dated] == ["3 October 2024"]
    dated, _ = events_of(source("The two sides extended the master contract until January 15, 2025 at the port.",
                                published="2024-10-04"))
    assert [e.when for e in dated] == ["15 January 2025"]  # no other date: the deadline is the entry


def test_a_coming_day_is_placed_in_the_article_s_year():
    dated, _ = events_of(source("Shareholders can question the directors at the meeting on May 22 in Hong Kong.",
                                published="2025-03-20"))
    assert [e.when for e in dated] == ["22 May 2025"]


def test_a_weekday_before_its_date_is_one_event():
    text = "In a statement on Sunday, March 2, the authorities said they had released the tanker."
    dated, _ = events_of(source(text, published="2025-03-03"))
    assert [(e.as_written, e.when) for e in dated] == [("March 2", "2 March 2025")]


def test_a_sentence_with_two_dates_is_one_entry_under_the_later():
    dated, _ = events_of(source("The pact, first proposed in 2001 by both sides, was finally signed in 2025."))
    assert [e.when for e in dated] == ["2025"]


def test_events_of_one_day_are_one_entry_citing_every_source():
    a = source("The cable between Finland and Estonia failed on 25 December 2024 after noon.", sid="a")
    b = source("Four telecom lines were damaged on December 25 along with the power cable.",
               published="2025-01-02", sid="b")
    dated, _, _ = timeline([events_of(a), events_of(b)])
    assert len(dated) == 1
    assert {dated[0].citation.source_id} | {c.source_id for c in dated[0].corroborated_by} == {"a", "b"}


def test_a_sentence_cut_off_by_the_page_gives_no_event():
    dated, _ = events_of(source("The quake struck on 28 March 2025 and toppled the control tower. In Bangkok on "
                                "29 March 2025 crews searched the collapse of a 30-storey unde"))
    assert [e.when for e in dated] == ["28 March 2025"]


def test_relative_dates_are_shown_as_written_without_the_article_date():
    dated, undated = events_of(source("Iran and Russia signed the treaty on Friday at the Kremlin in Moscow."))
    assert dated == [] and [e.as_written for e in undated] == ["on Friday"]


def test_an_undated_weekday_is_shown_beside_the_event_of_that_weekday_it_shares_most_words_with():
    dated_a = source("Iran and Russia signed the partnership treaty at the Kremlin on 17 January 2025.",
                     sid="a")
    other_friday = source("Oil prices fell sharply on world markets on 10 January 2025, traders said.", sid="c")
    undated_b = source("Iran and Russia signed the partnership treaty on Friday, at the Kremlin.", sid="b")
    unrelated = source("Fishermen in the north went on strike on Friday over quotas and fuel.", sid="d")
    wrong_day = source("Iran and Russia signed the partnership treaty on Monday, at the Kremlin.", sid="e")
    dated, undated, _ = timeline([events_of(x) for x in (dated_a, other_friday, undated_b, unrelated, wrong_day)])
    page = timeline_page(dated, undated, ["2025-01-17"])
    beside = {e.when: [u.citation.source_id for u in near] for e, near in zip(page.own, page.beside, strict=True)}
    assert beside == {"10 January 2025": [], "17 January 2025": ["b"]}  # a Friday
    assert {e.citation.source_id for e in page.own_unplaced} == {"d", "e"}  # no Monday event; no shared words


def test_an_undated_day_and_month_needs_only_one_shared_word_to_sit_beside_its_event():
    dated = source("The power cable between Finland and Estonia failed on 25 December 2024 at noon.", sid="a")
    undated = source("Police say the ship trailed its anchor over the cable at noon on December 25.", sid="b")
    elsewhere = source("Markets in the region were closed for the holiday on December 25 as usual.", sid="c")
    events, unplaced, _ = timeline([events_of(x) for x in (dated, undated, elsewhere)])
    page = timeline_page(events, unplaced, ["2025-01-02"])
    assert [[u.citation.source_id for u in near] for near in page.beside] == [["b"]]
    assert [e.citation.source_id for e in page.own_unplaced] == ["c"]


def test_relative_dates_are_resolved_with_the_article_date():
    text = ("Iran and Russia signed the treaty on Friday at the Kremlin in Moscow. "
            "Last year, Trump issued a stark warning about Iran and its plans. "
            "The war began nearly three years ago in the east of Ukraine.")
    dated, undated = events_of(source(text, published="2025-01-18"))  # a Saturday
    assert {(e.as_written, e.when) for e in dated} == {
        ("on Friday", "17 January 2025"), ("Last year", "2024"), ("three years ago", "about 2022")}
    assert undated == []


def test_a_month_alone_is_placed_by_the_article_s_date_and_its_tense():
    # "in July" in an article of 30 August was left undated beside the article's dated events
    # (#26: an untuned story's timeline listed it under "articles do not say when").
    text = ("The airline's systems failed in July after a faulty update, the committee said. "
            "The committee will hold its hearing in September with the chief executive present. "
            "The insurer paid out in December for the losses the outage had caused.")
    dated, undated = events_of(source(text, published="2024-08-30"))
    assert sorted((e.as_written, e.when, e.sort_key) for e in dated) == [
        ("in December", "December 2023", (2023, 12, 0)), ("in July", "July 2024", (2024, 7, 0)),
        ("in September", "September 2024", (2024, 9, 0))]
    assert undated == []
    _, undated = events_of(source(text))  # no article date: as written
    assert [e.as_written for e in undated] == ["in July", "in September", "in December"]


def test_today_yesterday_and_tomorrow_are_the_article_s_own_days():
    text = ("The lower house of parliament ratified the partnership treaty today by a wide margin. "
            "The foreign minister arrived in the capital yesterday for two days of talks. "
            "The upper house is expected to vote on the treaty tomorrow, officials said.")
    dated, undated = events_of(source(text, published="2025-04-08"))
    assert [(e.as_written, e.when, e.sort_key) for e in sorted(dated, key=lambda e: e.sort_key)] == [
        ("yesterday", "7 April 2025", (2025, 4, 7)), ("today", "8 April 2025", (2025, 4, 8)),
        ("tomorrow", "9 April 2025", (2025, 4, 9))]
    assert undated == []
    # With no date on the article, "today" names no day and is left out rather than listed.
    assert events_of(source(text)) == ([], [])


def test_a_day_word_gives_way_to_the_sentence_s_own_date_and_a_name_is_no_day():
    text = ("The partnership treaty, first signed in 2001, is still in force today across the region. "
            "“Today I can announce that the patrols are starting,” the admiral told reporters. "
            "Harbour Today reported that the tanker had left the port overnight.")
    dated, _ = events_of(source(text, published="2025-04-08"))
    # A quotation's "Today" is the day its speaker spoke, which the article may report days later.
    assert [(e.as_written, e.when) for e in dated] == [("2001", "2001")]


def test_a_day_word_inside_a_quotation_is_the_speaker_s_day_not_the_article_s():
    """#26: a bank-collapse page put a founder's "Expect mass layoffs later today" under the day
    the article was published, two days after he said it; a ports article a president's "Just
    today, a large American company announced ..." under the day after his speech."""
    text = ("Ferry operators said they would cancel crossings today as the strike widened. "
            "“Expect every crossing to be cancelled later today,” the union leader told members. "
            "Harbour staff were \"told to stay home today\" by the union, a spokesman said.")
    dated, _ = events_of(source(text, published="2025-04-08"))
    assert [(e.as_written, e.text[:16]) for e in dated] == [("today", "Ferry operators ")]


@pytest.mark.parametrize("sentence", [
    "Harbour Bank held deposits of $89 billion as of March 8, the filing showed.",
    "The fund had 4,200 members as at 31 December 2024, its report says.",
    "It was the largest bank failure since the 2008 financial crisis, regulators said.",
    "The strike is the first since 2011 to close every ferry crossing on the coast.",
])
def test_a_date_a_figure_stands_at_or_a_record_is_measured_from_is_no_event(sentence):
    dated, undated = events_of(source(sentence, published="2025-04-08"))
    assert dated == [] and undated == []


@pytest.mark.parametrize("text", [
    "Ferries have not sailed since March 8, when the strike began.",
    "Most ferries have been held in port since March 8, the operator said.",
    "The only bridge to the island has been shut since March 8 for repairs.",
    "It was the worst storm in years, and crews have worked since March 8 to clear the roads.",
])
def test_a_date_after_since_that_starts_a_story_s_run_is_still_an_event(text):
    dated, _ = events_of(source(text, published="2025-04-08"))
    assert [e.when for e in dated] == ["8 March 2025"]


@pytest.mark.parametrize("sentence", [
    "Few ports in Europe today handle as much Russian oil as this one does, officials say.",
    "The tanker fleet is larger today than at any point since the sanctions began.",
    "The pipeline remains the largest of its kind in the region to this day and until today.",
    "Analysts say today's energy market looks nothing like the market of the last decade.",
    "As of today, the strait remains closed to commercial shipping, the agency said.",
    # a figure's value now, beside another's (a port-strike story's "from $39 today to $63")
    "The deal lifted hourly pay from $39 today to just over $63 by the end of the contract.",
    "Inflation, at 4.5% today, was expected to ease by the summer, the bank said.",
])
def test_today_that_says_how_things_stand_is_no_event(sentence):
    dated, undated = events_of(source(sentence, published="2025-04-08"))
    assert dated == [] and undated == []


def test_timeline_is_ordered_and_every_entry_is_cited():
    a = source("The 2001 treaty was replaced by the new agreement signed in Moscow.", sid="a")
    b = source("In 2020, the idea of a new comprehensive agreement first emerged in Tehran.", sid="b")
    dated, _, hidden = timeline([events_of(b), events_of(a)])
    assert hidden == ()
    assert [e.when for e in dated] == ["2001", "2020"]
    assert [e.citation.source_id for e in dated] == ["a", "b"]


def test_repeated_events_merge_and_crowded_years_are_capped():
    same = "The 2001 treaty was replaced by the new agreement signed in Moscow."
    sources = [source(same, sid=f"s{i}") for i in range(3)]
    sources += [source(f"In 2020, officials held meeting number {i} about the new agreement.", sid=f"m{i:02d}")
                for i in range(30)]
    dated, _, hidden = timeline([events_of(s) for s in sources])
    treaty = [e for e in dated if e.when == "2001"]
    assert len(treaty) == 1 and len(treaty[0].corroborated_by) == 2
    assert len([e for e in dated if e.when == "2020"]) == 25 and hidden == ((2020, 5),)


# Words of relative dates in any case, with the characters that case-insensitive matching folds
# to ASCII letters (ſ for s, K for k, ı and İ for i) put in their place.
DATE_WORDS = st.sampled_from(["on", "last", "this", "next", "year", "years", "ago", "months", "three", "half a", "in",
                              "Friday", "TUESDAY", "tueſday", "Sunday", "March", "marcH", "June", "january",
                              "agO", "Kelvin", "yeaR", "frıday", "FRİDAY", "2", "12", ",", "the", "deal",
                              "today", "ToDay", "yeſterday", "TOMORROW", "of", "until"])
SEPARATORS = st.sampled_from([" ", "  ", "\n", "\u00a0", ""])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(DATE_WORDS, SEPARATORS), max_size=8))
def test_the_cheap_cue_check_never_hides_a_relative_date(words):
    text = "".join(word + sep for word, sep in words)
    if not may_hold_any(text, RELATIVE_CUES):
        assert RELATIVE.search(text) is None


def test_an_article_dated_only_by_its_time_stamp_places_its_weekdays():
    from generator.clean import clean
    text = ("Europe desk | 29 April 2025\n\n"
            "Spanish emergency workers said they had rescued about 35,000 people on Monday from trains and tunnels.\n")
    cleaned = clean(Article("a", "a.txt", text, SourceMeta()))
    dated, undated = events_of(to_source(cleaned, segment(cleaned)))
    assert [(e.as_written, e.when) for e in dated] == [("on Monday", "28 April 2025")] and undated == []


ENDINGS = st.text(st.sampled_from(["a", "7", "٣", " ", ".", "!", "?", "…", '"', "”", "’", "'", ")", "]", "\n", "("]),
                  max_size=8)


@given(st.tuples(DATE_WORDS, ENDINGS).map("".join))
def test_the_cheap_tests_of_a_sentence_answer_as_the_patterns(text):
    assert ends_with_a_stop(text) == (TERMINAL.search(text) is not None)
    assert has_digit(text) == (HAS_DIGIT.search(text) is not None)
    for words in range(8):  # a sentence's words are counted from a split that stops at enough
        assert (len(text.split(maxsplit=words - 1)) >= words) == (len(text.split()) >= words)


ABSOLUTE_WORDS = st.sampled_from(["March", "May", "december", "1999", "2025", "2030", "19", "20", "25", "7th", "2000s",
                                  ",", "GMT", "in", "on", "the", "-", "$", "٣", "years"])


@settings(max_examples=500)
@given(st.lists(st.tuples(ABSOLUTE_WORDS, SEPARATORS), max_size=8))
def test_an_absolute_date_pattern_is_skipped_only_where_it_cannot_match(words):
    text = "".join(word + sep for word, sep in words)
    for pattern, (needs_month, needs_year) in zip(ABSOLUTE, ABSOLUTE_NEEDS, strict=True):
        if pattern.search(text):
            assert not needs_month or any(month in text for month in MONTHS)
            assert not needs_year or "19" in text or "20" in text


@given(st.lists(st.lists(st.tuples(DATE_WORDS, SEPARATORS), max_size=6).map(lambda ws: "".join(w + s for w, s in ws)),
                max_size=4))
def test_the_cues_of_a_source_serve_each_of_its_sentences(texts):
    cues = _cues_held(texts)
    for text in texts:
        assert may_hold_any(text, cues) == may_hold_any(text, RELATIVE_CUES)
