"""Cleaning on the real seeds' furniture and on small hostile texts."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.clean import CALL_TO_ACTION, CALL_TO_ACTION_CUES, clean, clean_text, detect_spin, may_hold_any
from generator.ingest import ingest
from generator.model import Article, SourceMeta
from generator.segment import segment
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def cleaned():
    return {a.filename: clean(a) for a in ingest(SEEDS).articles}


def text_of(c) -> str:
    return "\n".join(b.text for b in c.blocks)


FURNITURE = ["Wilburn", "godfrey.conroy", "jacobs.alec@daugherty.com", "434", "Russel Islands", "Strosin",
             "Furnace Operator", "Aspernatur", "instagram", "pietro", "followers", "Socials", "Detail Author",
             "Table of Contents", "Map of Russia - Guide of the World", "comments below", "What are your thoughts",
             "Disclaimer", "className", "–>"]


@pytest.mark.parametrize("furniture", FURNITURE)
def test_no_furniture_survives_cleaning(cleaned, furniture):
    for c in cleaned.values():
        assert furniture not in text_of(c)


def test_removals_are_counted_by_kind(cleaned):
    removed = {r.kind: r.count for r in cleaned["002_333b12c0f50d67d3.txt"].removed}
    assert removed["image caption"] == 6
    assert removed["table of contents"] == 1
    assert removed["call to comment or subscribe"] == 2
    assert removed["author box"] >= 10


def test_glued_headings_are_split_and_kept_as_headings(cleaned):
    blocks = cleaned["000_8ef2ae2a9f39daab.txt"].blocks
    headings = [b.text for b in blocks if b.is_heading]
    assert "Historical Closeness Redefined by Modern Strategy" in headings
    assert "Regional Transformation and the China Factor" in headings  # printed twice, kept once
    prose = " ".join(b.text for b in blocks if not b.is_heading)
    assert "strategic partnership." in prose and "Historical Closeness" not in prose


def test_disclaimer_outlet_fills_empty_publisher(cleaned):
    assert cleaned["003_9678894b2bc6f254.txt"].article.meta.publisher == "Stratheia"


def test_leading_heading_is_the_headline_not_an_inferred_title(cleaned):
    meta = cleaned["002_333b12c0f50d67d3.txt"].article.meta
    assert meta.title == "The Russia-Iran Agreement: Reshaping Global Dynamics"
    assert not meta.title_inferred
    opening = cleaned["000_8ef2ae2a9f39daab.txt"].article.meta
    assert opening.title_inferred and opening.title.endswith("…")


def test_spun_seed_is_detected_and_others_are_not(cleaned, config):
    spun = {name for name, c in cleaned.items() if detect_spin(c.blocks, config.spin_detection)}
    assert spun == {"001_6a2f7c92fd60fd16.txt"}
    evidence = {e.phrase: e.count for e in detect_spin(cleaned["001_6a2f7c92fd60fd16.txt"].blocks,
                                                       config.spin_detection)}
    assert evidence["settlement"] >= 20 and evidence["army workouts"] == 1


def test_html_page_saved_as_text_becomes_its_visible_text():
    page = ("<!doctype html><html><head><title>x</title><script>alert(1)</script></head><body>"
            "<p>Russia and Iran signed a treaty in Moscow on Friday.</p><p onclick='x()'>Trade will grow.</p>"
            "<nav>Home | About</nav></body></html>")
    blocks, removed, _ = clean_text(page)
    text = " ".join(b.text for b in blocks)
    assert "Russia and Iran signed a treaty in Moscow on Friday." in text
    assert "alert" not in text and "onclick" not in text and "Home | About" not in text
    assert removed["html page converted to text"] == 1


def test_contact_details_inside_prose_are_removed():
    text = ("Officials met in Moscow to discuss gas exports. Write to press@example.org or call "
            "+1 (555) 123-4567 for details. The treaty runs for 20 years.")
    blocks, removed, _ = clean_text(text)
    joined = " ".join(b.text for b in blocks)
    assert "example.org" not in joined and "555" not in joined
    assert "The treaty runs for 20 years." in joined
    assert removed["contact details"] == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_cleaning_never_crashes_and_headings_never_end_the_text(text):
    article = Article(id="x", filename="x.txt", text=text, meta=SourceMeta())
    result = clean(article)
    for block in result.blocks:
        assert block.text == block.text.strip()
        assert "\n" not in block.text
    if result.blocks:
        assert not result.blocks[-1].is_heading


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "Russia and Iran signed the treaty.", "<b>bold</b>", "{\"className\":\"\"} –>", "Table of Contents",
    "  • Email : someone@example.com", "Socials", "Short Heading Here", "What does it mean?", "\n", "\n\n",
]), max_size=30))
def test_cleaning_of_furniture_mixtures_keeps_no_tags_or_emails(parts):
    blocks, _, _ = clean_text(" ".join(parts))
    for block in blocks:
        assert not re.search(r"<[a-z]", block.text)
        assert "@example.com" not in block.text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["comments", "below", "Share", "your", "thoughts", "let", "us", "KNOW", "ſubscribe",
                                 "sign", "up", "Newsletter", "follow", "leave", "a", "comment", "clıck", "here",
                                 "read", "more", "explore", "our", "other", "articles", "Related", "the", "deal"]),
                max_size=8),
       st.sampled_from([" ", "  ", "\n"]))
def test_the_call_to_action_cue_never_hides_one(words, separator):
    text = separator.join(words)
    if not may_hold_any(text, CALL_TO_ACTION_CUES):
        assert CALL_TO_ACTION.search(text) is None


@pytest.mark.parametrize("phrase", ["comments below", "Comment section", "share your views", "What are your thoughts",
                                    "let us know", "Subscribe", "sign up", "newsletter", "Follow us",
                                    "leave a comment", "click here", "Read more", "explore our other articles",
                                    "Related articles"])
def test_every_call_to_action_holds_a_cue(phrase):
    text = f"Please {phrase} today."  # no cue outside the phrase
    assert CALL_TO_ACTION.search(text) and may_hold_any(text, CALL_TO_ACTION_CUES)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="Pa1_é- .", max_size=30),
       st.lists(st.text(alphabet="Pa1_é- .", min_size=1, max_size=3), min_size=1, max_size=3),
       st.sampled_from([(r"(?<!\w)", "not_after_word"), (r"\b", "at_word_boundary")]))
@example("1a a", ["a a", "a"], (r"(?<!\w)", "not_after_word"))  # a later match inside a rejected one
def test_matches_where_finds_what_the_pattern_with_its_leading_test_finds(text, words, test):
    """Words starting with letters, digits, "_", "é", "-", a space or a period, in text of the
    same: the zero-width test must agree with re's at every start (a test on letters alone
    would miss digits, "_" or "é")."""
    from generator import clean as clean_module

    prefix, holds = test
    body = "(" + "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + r")(?!\w)"
    expected = [(m.span(), m.group(1)) for m in re.compile(prefix + body).finditer(text)]
    found = [(m.span(), m.group(1))
             for m in clean_module.matches_where(re.compile(body), text, getattr(clean_module, holds))]
    assert found == expected


DEBRIS_PIECES = [*'ab A.!?<>!-{}[]()"“:/', "<!--", "-->", "<b>", "![x](y)", '{"k": 1}', "x" * 60]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(DEBRIS_PIECES), max_size=40).map("".join))
@example("x" * 100)  # the shortest junk token
@example(" " * 120)  # blank, however long
@example("see <i>this</i> and <!-- that --> or ![a](b) and {“k”: 2} and a –> b")
@example("it ended.Then a?Glued one!Again")
@example("is it?Yes it is")
def test_debris_and_glued_sentence_checks_change_nothing(line):
    """The cheap tests before each debris pattern and the glued-sentence split never skip a match."""
    from collections import Counter

    from generator import clean as clean_module

    expected_removed: Counter = Counter()
    expected, n = clean_module.JUNK_TOKEN.subn(" ", line)
    expected_removed["junk"] += n
    for pattern, _, kind in clean_module.DEBRIS:
        expected, n = pattern.subn(" ", expected)
        expected_removed[kind] += n
    removed: Counter = Counter()
    stripped = clean_module._strip_debris(line, removed)
    assert stripped == " ".join(expected.split())
    assert +removed == +expected_removed
    assert clean_module._split_glued(line) == clean_module.GLUED_SENTENCE.sub(r"\1 ", line)


# Each pattern that is searched only when a text holds one of its cues (see may_hold_any), with a
# text for each of its alternatives: the tests below check that no cue test ever hides a match.
CUED_PATTERNS = {
    "OUTLET_NOTICE": ("OUTLET_NOTICE_CUES", [
        "Get it in your inbox", "Read our privacy policy", "The terms of service apply", "Open a free account",
        "Join the conversation", "Be the first to comment", "You are logged in", "Log in to reply",
        "Create an account", "Support our journalism", "We are reader-funded", "It is free to read",
        "Get full access", "Notify me of new posts", "Why you can trust us", "Read our standards",
        "Our Trust Principles", "It appeared in the March 3 print edition", "Sign up for it", "By signing up, you"]),
    "PHOTO_CREDIT": ("PHOTO_CREDIT_CUES", [
        "Smoke rises (Photo: Reuters)", "Smoke rises (Ap)", "Smoke rises. AFP/John Smith", "Credit: Jane Doe",
        "The harbour. Photo: Jane Doe.",
        "Smoke rises. Getty Images", "Smoke rises. File photo", "Smoke rises - AAP Image"]),
    "COMMENT_FORM": ("COMMENT_FORM_CUES", [
        "Leave a Reply", "Your email address will not be published", "Post a reply",
        "Your e-mail will never be shared", "We won't share your email", "Required fields are marked *",
        "Add a comment", "Post Comment", "Cancel reply", "Save my name", "Comments are closed",
        "Notify me of follow-up comments", "You must be logged in to post", "Comment policy",
        "500 characters left", "Post a comment:", "No comments yet", "Characters remaining", "Loading comments",
        "Fill in your details below", "You are commenting using", "Log in using one of these methods",
        "Connecting to %s"]),
    "COPYRIGHT": ("COPYRIGHT_CUES", [
        "© 2025 Outlet", "(c) 2025 Outlet", "Copyright Outlet", "All rights reserved",
        "Reproduction is prohibited", "Use of the materials needs permission"]),
    "CREDIT_ONLY": ("CREDIT_ONLY_CUES", ["(Photo by Jane Doe", "X/HANDOUT via REUTERS", "Barges [Ola Berg/Pool]"]),
    "CREDIT_AT_END": ("CREDIT_AT_END_CUES", ["Barges at dawn. File Photo by Bill Greenblatt", "At dawn. Pics/AFP"]),
    "STOCK_PHOTO": ("STOCK_PHOTO_CUES", [
        "For illustration only", "An illustrative image", "Photo used for illustrative purposes only",
        "Source: Pixabay", "Image: Adobe Stock", "Photo: Wikimedia Commons"]),
    "PAGE_NOTICE": ("PAGE_NOTICE_CUES", [
        "This copy is for your personal, non-commercial use only", "Contact our reprints desk",
        "Looking to read the full article?", "Risk Disclosure: Trading is risky"]),
    "SYNDICATION": ("SYNDICATION_CUES", [
        "It was originally published by X and is reprinted here", "Reprinted with permission",
        "This article was adapted from its source", "The above content is auto-generated"]),
}
CUE_WORDS = sorted({w for _, texts in CUED_PATTERNS.values() for t in texts for w in re.split(r"(\W)", t) if w})


@pytest.mark.parametrize(("name", "text"), [(n, t) for n, (_, texts) in CUED_PATTERNS.items() for t in texts])
def test_every_cued_pattern_s_alternative_holds_a_cue(name, text):
    from generator import clean as clean_module

    assert getattr(clean_module, name).search(text) and may_pass(name, text)


def may_pass(name: str, text: str) -> bool:
    """The test that stands before the pattern `name` in clean.py."""
    from generator import clean as clean_module

    if name == "PHOTO_CREDIT":
        return clean_module.may_be_photo_credit(text)
    return may_hold_any(text, getattr(clean_module, CUED_PATTERNS[name][0]))


def _case_and_folds(word: str, how: int) -> str:
    """A word as a page may spell it: in capitals, capitalised, or with a letter re folds to ASCII."""
    return [word, word.upper(), word.capitalize(),
            word.replace("s", "ſ").replace("i", "ı").replace("k", "\u212a").replace("I", "İ")][how % 4]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CUE_WORDS), st.integers(0, 3)), max_size=14),
       st.sampled_from(sorted(CUED_PATTERNS)))
def test_a_pattern_s_cue_test_never_hides_one_of_its_matches(words, name):
    from generator import clean as clean_module

    text = "".join(_case_and_folds(word, how) for word, how in words)
    if getattr(clean_module, name).search(text):
        assert may_pass(name, text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["comments", "below", "Share", "your", "thoughts", "let", "us", "KNOW",
                                           "subscribe", "sign", "up", "Newsletter", "follow", "leave", "a", "comment",
                                           "click", "here", "read", "more", "explore", "our", "other", "articles",
                                           "Related", "get", "the", "latest", "news", "already", "known"]),
                          st.integers(0, 3)), max_size=8),
       st.sampled_from([" ", "  ", "\n", "\t", "-"]))
def test_the_lowered_call_to_action_test_never_hides_one(words, separator):
    from generator.clean import may_call_to_action

    text = separator.join(_case_and_folds(word, how) for word, how in words)
    if CALL_TO_ACTION.search(text):
        assert may_call_to_action(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a@b.co", "@", "x", " ", "555", "123-4567", "(555)", ".", "http://a.b", "WWW.a.b",
                                 "www", "://", "Www.", "7", "Call"]), max_size=10).map("".join))
def test_the_contact_test_finds_what_the_three_patterns_find(text):
    from generator.clean import EMAIL, PHONE, URL, holds_contact

    assert holds_contact(text) == bool(EMAIL.search(text) or PHONE.search(text) or URL.search(text))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Published", "Updated", "Posted", "and last updated", ":", " ", "|", "·", ",",
                                 "Mon", "Thu,", "Mar", "March", "6", "06", "2025", "16:47", "08.04.2025",
                                 "2025-03-06", "page", "10", "4 min read", "Print edition", "Politics", "The",
                                 "said.", "He", "GMT", "am", "Reading time", "(", ")", "-"]), max_size=12)
       .map(" ".join))
def test_the_stamp_test_with_its_digit_check_finds_what_it_did(line):
    """is_stamp_line as it was, with no digit test before the date patterns, as the reference."""
    from generator import clean as c

    def reference(line: str) -> bool:
        if len(line) > 160 or c.SENTENCE_BREAK.search(c.TIME_OR_DATE.sub(" ", line)):
            return False
        if (c.STAMP_WORDS.match(line) and c.TIME_OR_DATE.search(line)) or c.READING_TIME.match(line) \
                or c.STAMP_WORDS_ALONE.match(line):
            return True
        if not c.TERMINAL.search(line) and ((c.PRINT_LABEL.match(line) and c.TIME_OR_DATE.search(line))
                                            or c.is_dated_page(line)):
            return True
        rest = c.TIME_OR_DATE.sub(" ", line)
        words = [w for w in re.split(r"[\s|•·,()]+", rest) if w and not re.fullmatch(r"[\d:.]+|am|pm|[A-Z]{2,4}", w)]
        return c.TIME_OR_DATE.search(line) is not None and len(words) <= 5 and not c.TERMINAL.search(line)

    assert c.is_stamp_line(line) == reference(line)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["MOSCOW", "Prague", "Hong Kong", "Madrid", ",", " ", "May 5", "18 June 2025",
                                 "(AP)", "(Reuters)", "[India]", "(Jharkhand)", "-", "--", "–", "—", ":", ".",
                                 "The", "said", "Spain", "Friday", "2025", "(IPN - 28th Mar, 2025)", "Oct. 24"]),
                max_size=10).map("".join))
def test_the_dateline_test_with_its_bracket_and_dash_checks_finds_what_it_did(line):
    """dateline_end as it was, trying every shape of dateline, as the reference."""
    from generator import clean as c

    def reference(line: str) -> int:
        match = c.DATELINE.match(line)
        if match is None or not (match.group("date") or match.group("agency") or match.group("dash")):
            bracketed = c.DATELINE_BRACKETED.match(line)
            if bracketed and bracketed.group("country") and bracketed.group("country") not in c.world_places():
                bracketed = None
            match = bracketed or c.DATELINE_DATED.match(line) or c.DATELINE_CITY_DATED.match(line) \
                or c.AGENCY_DASH.match(line)
            if match is None or not (c.HAS_DIGIT.search(match.group(0)) or c.DASH_END.search(match.group(0))):
                return 0
        return match.end()

    assert c.dateline_end(line) == reference(line)


FURNITURE_PAGE = ('{"@context":"https://schema.org","@type":"NewsArticle","headline":"Harbour strike ends",'
                  '"author":{"name":"Desk"},\n') + """Harbour strike ends after ten days
By Marta Oyelaran, Labour Correspondent
Updated: Mar 3, 2026 07:12 AM | First published: Mar 2, 2026 18:40
Share 96 | Post | WhatsApp | Email | Copy link
Dock workers walk back through the gates on Monday morning. (AFP/Lena Brück)
ROTTERDAM, March 3 (Harbour Wire) – Dock workers returned to work on Tuesday after the union accepted a 6 percent \
pay rise over two years.
MOST READ
Tanker queue outside the port grows to forty ships
Union leader profile: the crane driver who took on the port
3
The port authority said the backlog of containers would take about a week to clear.
Related: How the strike began
The port authority said the backlog of containers would take about a week to clear.
Business | 03.03.2026 | 09:15
Tags: strike, ports, unions
Leave a Reply
Your email address will not be published. Required fields are marked *
Comment *  Name *  Email *
Post Comment
Copyright 2026 Harbour Wire. All rights reserved. Republication without permission is prohibited.
"""


def test_page_furniture_of_any_outlet_is_removed_and_the_story_kept():
    """Furniture classes by their shape (byline, time stamp, share counters, captioned credits, widget
    teasers, comment form, copyright, tags, dateline, JSON-LD, a paragraph scraped twice), in
    words no rule was written from."""
    blocks, removed, _ = clean_text(FURNITURE_PAGE)
    text = "\n".join(b.text for b in blocks)
    for furniture in ("Oyelaran", "07:12", "Share 96", "Copy link", "Lena Brück", "ROTTERDAM", "Harbour Wire",
                      "MOST READ", "Tanker queue", "crane driver", "How the strike began", "09:15", "Tags:",
                      "Leave a Reply", "will not be published", "Post Comment", "All rights reserved", "@context",
                      "walk back through the gates"):
        assert furniture not in text, furniture
    assert text.count("The port authority said the backlog") == 1
    assert "Dock workers returned to work on Tuesday after the union accepted a 6 percent pay rise" in text
    assert blocks[0].is_heading and blocks[0].text == "Harbour strike ends after ten days"
    for kind in ("byline", "date line", "social links", "image caption", "widget", "teaser", "tags", "comment form",
                 "copyright notice", "dateline", "repeated block", "markup"):
        assert removed[kind] >= 1, kind


@pytest.mark.parametrize("line", [
    "By 2030, trade between the two countries should reach 10 billion dollars, officials said.",
    "The treaty was signed on January 17, 2025 in Moscow, the Kremlin said.",
    "Share prices rose 25% on Wednesday after the announcement.",
    "Photographs of the signing were released by the Kremlin on Friday evening.",
    "NATO, the alliance said on Friday, is watching the talks closely.",
    "In this case, the court ruled that the photograph was taken without consent.",
    "The agency distributed the footage via Reuters and AP on Friday.",
    "Advertising revenue fell by a third after the ban, the company said.",
    "Supporters were asked to follow the vote on television that evening.",
    "The regulator said the company's privacy policy broke European data law in three places.",
    "The talks ended on Friday in Moscow (Russia) without an agreement.",
    "The union said talks would resume on Friday, but gave no date for a vote...",
    "Officials described the photo by the harbour master as accurate, the court heard.",
    "Sources: the ministry and the union both confirmed the figure on Monday.",
    "The paper later reprinted the letter with a correction, the editor said on Tuesday.",
    "Our new hub in Rotterdam will open next year, the company said in a statement.",
    "Visitors were told to try the ferry again on Monday, when our crews return, the operator said.",
    # beside the notes about the story (stop 43)
    "The views expressed by the minister do not reflect government policy, a spokesman said.",
    "This article of the treaty obliges both sides to share intelligence on common threats.",
    "The report was updated in March to include the cost of the repairs, the ministry said.",
    "We have written to the minister about the closures before, the union said in a letter.",
    "Share prices fell, and the company said it would buy back stock, bonds and notes.",
])
def test_prose_that_looks_a_little_like_furniture_stays(line):
    blocks, removed, _ = clean_text(line + "\n")
    assert " ".join(b.text for b in blocks) == line, removed


MORE_FURNITURE = """Levee breach floods three villages
Jonas Aaltonen, Nordic Correspondent
6 min read · Updated 40 minutes ago
Share · Share Story via Mastodon · Print · A A
TAMPERE (Lakeland Wire) —
Water poured through a breach in the river levee overnight, flooding three villages north of the city.
Rescue crews moved about 400 residents to a school gym, the regional rescue service said on Sunday.
River Desk
(Reporting by Jonas Aaltonen; additional reporting by Mia Koski; Editing by Peter Wall)
Related reading
Flood insurance claims double in a decade
Why levees fail after a dry summer
Be the first to comment. Create a free account to join the conversation.
You must be logged in to comment.
The Lakeland Wire is reader-funded. Support our journalism.
Volunteers fill sandbags at the edge of the flooded village on Sunday (Rescue Service)
"""


def test_more_furniture_classes_are_removed_on_unseen_words():
    blocks, removed, _ = clean_text(MORE_FURNITURE)
    text = "\n".join(b.text for b in blocks)
    for furniture in ("Aaltonen", "6 min read", "Mastodon", "TAMPERE", "Lakeland Wire", "Related reading",
                      "insurance claims", "levees fail", "River Desk", "Editing by", "free account",
                      "logged in", "reader-funded", "Support our journalism", "sandbags"):
        assert furniture not in text, furniture
    assert text.count("Water poured through a breach") == 1 and "about 400 residents" in text
    for kind in ("byline", "date line", "social links", "dateline", "widget", "credits", "notice to readers",
                 "image caption"):
        assert removed[kind] >= 1, kind


def test_a_section_heading_of_capitalised_words_is_not_a_byline():
    blocks, _, _ = clean_text("Historical Context and Evolving Needs\nThe two countries were rivals for centuries.\n")
    assert blocks[0].is_heading and blocks[0].text == "Historical Context and Evolving Needs"


# Shapes seen on real pages the rules were never written from (captions with pool and agency
# credits in brackets, credit-only lines, advertisement labels, stock-photo notes, social calls,
# view counters), in words of our own.
CAPTION_PAGE = """Dam talks end in agreement
Maren Holt
Total Views: 12
The spillway of the dam seen from the east bank, Varde
The spillway of the dam seen from the east bank, Varde, on March 2, 2026. LAKELAND PRESS/HANDOUT via REUTERS
In this handout photograph, the two ministers shake hands at the dam on March 3, 2026 [Ola Berg/Pool via AFP]
Advertisement
The two governments agreed on Tuesday to share the reservoir's water under a ten-year plan.
(Photo by Ola BERG / POOL / AFP
Engineers will open the spillway gates only after both sides agree on the season's release.
River barges wait below the closed lock gates at dawn
NORTHERN RIVER AUTHORITY/HANDOUT via REUTERS
Irrigation farmers downstream had lost two harvests to the dispute, the ministry said.
Wheat fields near the river. Illustration only. Source: Pixabay
JOIN US ON SIGNAL
Follow our coverage of the region on @lakeland_wire
Total Views: 12
Lock keepers at Varde {Lakeland Wire]
The plan is to be reviewed by both parliaments before the summer.
"""


def test_captions_credits_and_page_labels_seen_on_real_pages_are_removed():
    blocks, removed, _ = clean_text(CAPTION_PAGE)
    text = "\n".join(b.text for b in blocks)
    for furniture in ("handout photograph", "Pool via AFP", "Advertisement", "Photo by", "barges wait",
                      "HANDOUT via REUTERS", "Illustration only", "Pixabay", "JOIN US", "Follow our coverage",
                      "Total Views", "Lock keepers", "Maren Holt", "seen from the east bank"):
        assert furniture not in text, furniture
    for story in ("share the reservoir's water", "spillway gates", "lost two harvests", "reviewed by both parliaments"):
        assert story in text, story
    assert removed["image caption"] >= 5 and removed["advertisement"] == 1


# Shapes seen on real pages after the corpora were labelled (a dateline of date and agency with no
# city, a time stamp with an abbreviated month, a caption closing on its credit, a credit as
# "who/agency", cut-off teasers, labelled header fields, "with inputs from"), in words of our own.
WIRE_PAGE = """Trending
Nov. 3, 2025 / 9:40 PM
Ferry crews walk out over rosters
By Lena Brandt
Ferry crews on the northern routes walked out on Monday over new rosters. Pool Photo by Ana Ruiz/AP
Nov. 3 (UPI) -- Ferry crews on the northern routes walked out on Monday over new rosters.
The union said 1,200 crew members had joined the walkout across 14 routes.
Passengers wait at the closed ticket office in the harbour. Pics/AFP
Author:Harbour Desk Source:Wire 2025-11-03 21:40:10
A Texas man is suing a cruise line, alleging he was left behind on a shore trip in May…
Port authorities have announced plans to dredge the outer channel over the next two years,…
(With inputs from agencies.)
Read Full Article
This story was originally published by Coastline Radio and is reprinted with permission.
Curious about the ferry routes? Explore Harbour Maps, our new guide to every crossing in the region.
"""


def test_writers_names_over_the_article_s_date_are_its_byline():
    blocks, removed, _ = clean_text("Harbour strike ends\nAna Ruiz and Li Wei\nPublished: 3:02pm, 5 Mar 2025\n"
                                    "Dock workers returned to work on Tuesday after the union accepted the offer.\n")
    text = "\n".join(b.text for b in blocks)
    assert "Ana Ruiz" not in text and "Dock workers returned" in text and removed["byline"] >= 1


def test_wire_page_furniture_is_removed_on_words_no_rule_names():
    blocks, removed, _ = clean_text(WIRE_PAGE)
    text = "\n".join(b.text for b in blocks)
    for furniture in ("9:40 PM", "(UPI)", "Ana Ruiz", "Pics/AFP", "ticket office", "Harbour Desk", "Texas man",
                      "dredge", "inputs from", "Read Full", "Coastline Radio", "Harbour Maps"):
        assert furniture not in text, furniture
    assert text.count("Ferry crews on the northern routes walked out on Monday over new rosters.") == 1
    assert "1,200 crew members" in text
    for kind in ("date line", "dateline", "image caption", "byline", "teaser", "credits"):
        assert removed[kind] >= 1, kind


def test_a_markdown_heading_is_a_heading_however_long_and_its_marks_never_reach_prose():
    text = ("# Harbour operator to sell its canal terminals to a fund-led group as lawmakers in the capital "
            "step up pressure\n\n"
            "The operator said on Monday it had agreed to sell the terminals for $9 billion in cash.\n\n"
            "## This is a paragraph behind heading marks. It has two sentences and ends with a full stop.")
    cleaned = clean(Article(id="x", filename="x.md", text=text, meta=SourceMeta()))
    assert cleaned.article.meta.title == ("Harbour operator to sell its canal terminals to a fund-led group as "
                                          "lawmakers in the capital step up pressure")
    assert not cleaned.article.meta.title_inferred
    later = "The board met on Friday to approve the plan and the price of the deal.\n\n" + text.replace("# ", "## ", 1)
    blocks = clean(Article(id="x", filename="x.md", text=later, meta=SourceMeta())).blocks
    assert [b.text for b in blocks if b.is_heading] == [cleaned.article.meta.title]  # a section, marks gone
    blocks = cleaned.blocks
    prose = [b.text for b in blocks if not b.is_heading]
    assert prose[0].startswith("The operator said")
    assert prose[1] == "This is a paragraph behind heading marks. It has two sentences and ends with a full stop."
    assert not any("#" in p for p in prose)


def test_a_numbered_line_over_prose_heads_a_section_but_a_list_stays_a_list():
    text = ("What does the accord contain? Here are its main parts:\n\n"
            "1. Shared grid maintenance\n\n"
            "The two operators will split the cost of repairing the link and keep spare cable in store.\n\n"
            "2. Joint patrols\n\n"
            "Coast guards of both countries will take turns watching the route of the cable at sea.\n\n"
            "Other items in the accord:\n\n"
            "1. Spare parts\n"
            "2. Training of divers\n\n"
            "Officials said the accord would be signed in the spring after a vote in both parliaments.")
    blocks = clean(Article(id="x", filename="x.md", text=text, meta=SourceMeta())).blocks
    headings = [b.text for b in blocks if b.is_heading]
    assert "1. Shared grid maintenance" in headings and "2. Joint patrols" in headings
    prose = [b.text for b in blocks if not b.is_heading]
    assert "1. Spare parts" in prose and "2. Training of divers" in prose
    sentences = [s.text for s in segment(clean(Article(id="x", filename="x.md", text=text, meta=SourceMeta())))]
    assert "1." not in sentences and "2." not in sentences


# Shapes seen on real pages of a quake, an oil embargo and a car strike (read with the search tool,
# kept outside the repository), in words of our own: a photo gallery whose cut-off teasers stand
# over their captions with a credit between, credits in capitals around a spaced slash, a credit's
# label without a colon, an agency's name alone, a gallery counter, a call to follow the outlet
# on a network, plural newsletters, a caption quoting its subject with no full stop, a name over
# its caption, and a masthead and a caption before the headline.
GALLERY_PAGE = """Skip to content
Back to top
World
Flood waters cut off three river towns as dam overflows
Rescuers and a neighbour (right) on the levee
Mara has "never seen the river so high", her neighbour Tomas says
Associated Press|
• Volunteers stack sandbags along the river wall in the old town of Vessen,...
LENA KORHOLA / RNS
Volunteers stack sandbags along the river wall in the old town of Vessen, east of the capital, March 3, 2026.
• A boat carries residents past flooded houses in the...
Photo credit Aron Pike/KMX
A boat carries residents past flooded houses in the village of Orla, March 4, 2026.
4 View gallery
• Follow Riverline on Facebook and Twitter
Dr Ilse Varga
Dr Ilse Varga, a surgeon, drove through the night to reach the field hospital at Orla
Three towns on the Lenna river were cut off on Tuesday after water poured over the Kessel dam.
Our Morning Brief and Weekend Read newsletters are written by our editors, giving you the day's main stories.
Officials said 4,000 people had left their homes and that the water would keep rising until Thursday.
Picture used for illustrative purposes only.
The dam's operator said the spillway had been opened at 6 a.m. to relieve pressure on the wall.
"""


def test_gallery_captions_credits_and_follow_calls_seen_on_real_pages_are_removed():
    cleaned = clean(Article(id="x", filename="x.txt", text=GALLERY_PAGE, meta=SourceMeta()))
    assert cleaned.article.meta.title == "Flood waters cut off three river towns as dam overflows"
    text = "\n".join(b.text for b in cleaned.blocks)
    for furniture in ("Skip to", "Back to top", "never seen the river", "Associated Press", "sandbags", "RNS",
                      "boat carries", "Aron Pike", "View gallery", "Follow Riverline", "Ilse Varga", "newsletters",
                      "illustrative purposes"):
        assert furniture not in text, furniture
    for story in ("Three towns on the Lenna river", "4,000 people had left", "spillway had been opened"):
        assert story in text, story


def test_prose_that_repeats_a_line_or_reports_what_someone_said_stays():
    text = ("Fishermen say the catch has halved...\n"
            "Fishermen say the catch has halved since the plant opened upriver, and the council agrees.\n"
            "The mayor, asked about the plan, said it would go ahead.\n"
            "Ana Ruiz\n"
            "Ana Ruiz, the mayor, said the plan would be put to a vote in May.\n")
    blocks, _, _ = clean_text(text)
    prose = "\n".join(b.text for b in blocks if not b.is_heading)
    assert "the council agrees." in prose and "said it would go ahead." in prose
    assert "put to a vote in May." in prose


# More shapes from real pages (a wildfire, a hurricane, a rate decision), in words of our own: a
# headline printed twice, a live blog's posts signed "From <outlet>'s <writer>" under a time
# stamp with "p.m. ET", a stamp's words alone, a reading time behind a bullet, a close button, a
# dateline naming a state, a caption placing people "(left)", a caption closing on a chain of
# credits, and a credit as agency/photographer.
LIVE_BLOG_PAGE = """March 3, 2026: Central bank raises rates by half a point
March 3, 2026: Central bank raises rates by half a point
Posted
and last updated
·4 min read
×
4:10 p.m. ET, March 3, 2026
From Harbour Radio's Ana Ruiz
SPRINGFIELD, Ill. — The central bank raised its main rate by half a point on Tuesday, its fourth rise in a row.
The governor (left) and her deputy at the briefing
Traders watch the screens on the exchange floor after the decision. Lena Korhola/Harbour Times/RNS
Reuters/Tomas Berg
Mortgage lenders said they would pass the rise on to borrowers within a week.
"""


def test_live_blog_stamps_signatures_and_credit_chains_seen_on_real_pages_are_removed():
    cleaned = clean(Article(id="x", filename="x.txt", text=LIVE_BLOG_PAGE, meta=SourceMeta()))
    assert cleaned.article.meta.title == "March 3, 2026: Central bank raises rates by half a point"
    text = "\n".join(b.text for b in cleaned.blocks)
    for furniture in ("Posted", "last updated", "min read", "×", "4:10", "Ana Ruiz", "SPRINGFIELD", "(left)",
                      "Traders watch", "RNS", "Tomas Berg", "Central bank raises"):
        assert furniture not in text, furniture
    assert text.startswith("The central bank raised its main rate by half a point on Tuesday")
    assert "pass the rise on to borrowers" in text


# The top of real pages (a bank failure, a derailment, a quake), in words of our own: a masthead
# or a section's label before the headline, a standfirst with no full stop after it, a writer's
# name with a dash and a role, and a reading time without "read".
def test_the_headline_is_the_first_heading_of_a_headline_s_length_and_its_standfirst_stays():
    text = ("The Harbour TimesNews You Can Trust\n"
            "FLOODED: Crisis on the Lenna\n"
            "Regulators close River Bank after a run on its deposits\n"
            "State move marks the largest bank closure in the region since the 2008 crisis\n"
            "Nick Vale - Harbour News Europe correspondent, in Riga\n"
            "12 min\n"
            "State regulators on Friday closed River Bank and put it into receivership, the agency said.\n"
            "Depositors will be able to reach their insured money by Monday morning.\n")
    cleaned = clean(Article(id="x", filename="x.txt", text=text, meta=SourceMeta()))
    assert cleaned.article.meta.title == "Regulators close River Bank after a run on its deposits"
    headings = [b.text for b in cleaned.blocks if b.is_heading]
    assert headings == ["State move marks the largest bank closure in the region since the 2008 crisis"]
    text_kept = "\n".join(b.text for b in cleaned.blocks)
    for furniture in ("Harbour Times", "FLOODED", "Nick Vale", "12 min"):
        assert furniture not in text_kept, furniture
    assert "put it into receivership" in text_kept and "by Monday morning" in text_kept


def test_a_long_first_line_is_the_headline_and_an_agency_s_name_takes_no_caption_with_it():
    # From real pages in our own words: a headline of 20 words (past MAX_HEADING_WORDS), then a
    # standfirst with no full stop over the agency that wrote the story, which takes no caption.
    text = ("'We will not go back': Dock workers block the gates of the northern terminal as the strike "
            "enters its second week\n"
            "Union leaders and port managers meet again on Monday as the number of ships waiting off the "
            "coast keeps rising\n"
            "Associated Press|\n"
            "Dock workers blocked the gates of the northern terminal on Friday, the union said.\n"
            "About 40 ships were waiting to berth, the port authority said.\n")
    cleaned = clean(Article(id="x", filename="x.txt", text=text, meta=SourceMeta()))
    assert cleaned.article.meta.title.startswith("'We will not go back'") and not cleaned.article.meta.title_inferred
    kept = "\n".join(b.text for b in cleaned.blocks)
    assert "Union leaders and port managers meet again on Monday" in kept and "Associated Press" not in kept
    prose = [b.text for b in cleaned.blocks if not b.is_heading]  # the standfirst is a sentence: it informs
    assert prose[0].startswith("Union leaders") and prose[1].startswith("Dock workers blocked the gates")
    # Later in the article, a long line without a full stop is prose the page cut off, not a heading.
    later = clean(Article(id="y", filename="y.txt", text=text + "The talks will resume after the holiday if the "
                          "union and the port agree on the terms of a new offer for night shifts\n", meta=SourceMeta()))
    assert not later.blocks[-1].is_heading


@pytest.mark.parametrize("prose", [
    "Sen. Tom Hale (R) and Rep. Ana Ruiz (D) both voted against the bill on Thursday.",
    "Daniel Frost (pictured) was charged with fraud after a two-year inquiry by the city's police.",
    "Voting ends at 8:00 p.m. Results follow on Friday, the election board said.",
])
def test_prose_shaped_a_little_like_a_caption_or_a_stamp_stays(prose):
    blocks, _, _ = clean_text("The council met on Monday to discuss the budget for next year.\n" + prose + "\n")
    assert [b.text for b in blocks if not b.is_heading][-1] == prose


@pytest.mark.parametrize(("text", "title", "first_prose"), [
    # A headline in the wire's "..., X says" shape quotes nobody: it is no caption.
    ("Oil prices will keep climbing into the winter, OPEC says\nOPEC said on Monday that supply would stay "
     "tight until spring.\n", "Oil prices will keep climbing into the winter, OPEC says", "OPEC said"),
    # A short headline keeps its place; the long line under it is a standfirst, a sentence.
    ("Pope Francis dies aged 88\nThe Argentine pontiff led the Catholic Church for 12 years and pressed for "
     "reform of its finances\nPope Francis died on Monday, the Vatican said.\n", "Pope Francis dies aged 88",
     "The Argentine pontiff"),
    # An opening line ending in a colon introduces what follows: prose, not a headline.
    ("The minister set out three demands on Tuesday, saying the government would not return to the talks "
     "unless these were met:\nWages must rise by 5 percent this year, the minister said.\n", None, "The minister"),
    # "From <place>'s <thing>" is a section heading, not a live blog's writer.
    ("Rebuilding after the quake\nFrom Gaza's Ruins\nBuilders began clearing the old market on Sunday, "
     "officials said.\n", "Rebuilding after the quake", "Builders began"),
])
def test_headlines_and_headings_that_look_a_little_like_furniture_stay(text, title, first_prose):
    cleaned = clean(Article(id="x", filename="x.txt", text=text, meta=SourceMeta()))
    if title is not None:
        assert cleaned.article.meta.title == title and not cleaned.article.meta.title_inferred
    prose = [b.text for b in cleaned.blocks if not b.is_heading]
    assert prose[0].startswith(first_prose)


# Shapes from real pages of other stories (a rate decision, a ministry's denial, a paper's ban), in
# words of our own: datelines ending in a double hyphen or a colon, with a country before the
# agency, with a date before a bracketed agency, or a place in title case and a colon opening
# the story; one widget's heading after another's teasers, a widget heading with a word between
# ("Latest Harbour News"), a language switcher, a comment form's policy and counter, "Loading",
# a syndication note, and a promotion of the outlet's latest stories.
WIRE_PAGE_PARTS = {
    "LISBON, Portugal (Harbour Wire) -- The port authority said on Monday that dredging would start in May.":
        "The port authority said on Monday",
    "OSLO, Mar 3 (NTW): The central bank raised its key rate by half a point on Thursday.":
        "The central bank raised its key rate",
    "VALLETTA -- Ferry crews walked out at dawn, the union said.": "Ferry crews walked out at dawn",
    "Tallinn, May 5 (HW) The parliament approved the budget by 55 votes to 40.": "The parliament approved",
}


@pytest.mark.parametrize(("line", "story"), sorted(WIRE_PAGE_PARTS.items()))
def test_datelines_ending_in_a_double_hyphen_or_a_colon_are_removed(line, story):
    blocks, removed, _ = clean_text(line + "\n")
    text = " ".join(b.text for b in blocks)
    assert text.startswith(story), text
    assert removed["dateline"] == 1


OTHER_STORY_PAGE = """Harbour dues to rise by a fifth next year
  • English
  • Arabic
Loading ...
BERGEN: The harbour board said on Tuesday that dues for container ships would rise by a fifth in January.
Shipping lines were told of the rise in a letter, a board member said.
Get latest articles and stories on Business at Harbour Daily. Bergen's harbour board raised its dues.
Latest Harbour News
Ferry timetable changes for the winter
Cruise season ends early after storms
Latest News
Fishing quotas cut for the third year
New bridge opens to traffic in the north
This article has been adapted from its original source.
(The above story is verified and authored by Harbour Wire staff.)
Before you post, read our comment policy.
300 characters left
Dues for ferries will stay the same, the board added.
"""


def test_widgets_switchers_comment_counters_and_syndication_notes_of_other_outlets_are_removed():
    cleaned = clean(Article(id="x", filename="x.txt", text=OTHER_STORY_PAGE, meta=SourceMeta()))
    text = "\n".join(b.text for b in cleaned.blocks)
    for furniture in ("English", "Arabic", "Loading", "BERGEN:", "Get latest", "Latest Harbour News",
                      "timetable", "Cruise season", "Latest News", "Fishing quotas", "New bridge", "adapted",
                      "above story", "comment policy", "characters left"):
        assert furniture not in text, furniture
    assert text.startswith("The harbour board said on Tuesday that dues for container ships")
    for story in ("Shipping lines were told", "Bergen's harbour board raised its dues.", "Dues for ferries"):
        assert story in text, story


@pytest.mark.parametrize("line", [
    "Note: The figures exclude ferries, the board said.",  # after the first paragraph, a label stays
    "Bergen is the first port to raise its dues, the board said.",
    "English classes for crews will start in May, the union said.",
    "The story was verified by two officials, the paper said.",
    "NATO said on Monday that the patrols would go on.",
    # ... or like a writer's bio, a teaser without a link or a comment count
    "Tomas Lindqvist is the harbour board's chairman, and he voted against the rise.",  # no byline names him
    "We reported the figures to the ministry, the board said.",
    "We reported on the talks for years, the union said on Friday.",
    "Earlier, we were told the talks had stalled. The minister denied it on Wednesday.",
    "Comments (such as the minister's) drew criticism from the union.",
    # what a review found the widened bracketed dateline taking (#26)
    "Smith, Jones (2021) – Their study of harbour silt found no trace of the dye.",
    "Apple, Inc. (AAPL) – Shares of the iPhone maker rose 3% in early trading.",
    "Oppenheimer (2023). Christopher Nolan's film won seven awards that night.",
])
def test_prose_after_the_first_paragraph_that_opens_like_a_dateline_or_a_control_stays(line):
    blocks, removed, _ = clean_text("The board met on Monday and agreed the new dues.\n" + line + "\n")
    assert " ".join(b.text for b in blocks if not b.is_heading).endswith(line), removed


# A .txt saved from an e-mail or a wire, wrapped at a fixed width (a heatwave report, in words of
# our own): the lines of a paragraph run on into one another; a headline, and sentences that end
# at a line's end, stay where they are.
WRAPPED = """Heat alert for the capital as temperatures climb
A red heat warning was in force in
Lisbon on Wednesday as temperatures climbed across the south, after a
week of record highs in the region.
The weather office said the
highs would reach 41 degrees Celsius (106 degrees Fahrenheit) in some
inland districts, including Evora, Beja,
Santarem and Setubal, until Saturday.
Hospitals were told to prepare for more patients.
"""


def test_a_hard_wrapped_paragraph_is_one_paragraph_again():
    cleaned = clean(Article(id="x", filename="x.txt", text=WRAPPED, meta=SourceMeta()))
    assert cleaned.article.meta.title == "Heat alert for the capital as temperatures climb"
    texts = [b.text for b in cleaned.blocks]
    assert texts == [
        "A red heat warning was in force in Lisbon on Wednesday as temperatures climbed across the south, after a "
        "week of record highs in the region.",
        "The weather office said the highs would reach 41 degrees Celsius (106 degrees Fahrenheit) in some inland "
        "districts, including Evora, Beja, Santarem and Setubal, until Saturday.",
        "Hospitals were told to prepare for more patients."], texts
    assert not any(b.is_heading for b in cleaned.blocks)


# A wire story in words of our own, as a mail client or a wire's .txt wraps it at a fixed width: a
# dateline, names and titles that fill a line ("Prime Minister Petteri" / "Orpo"), an initialism
# and a company's "Ltd." at a line's end, a compound split at its hyphen, a list of places.
WIRE_STORY = "\n\n".join([
    "Harbour dues rise for the first time in a decade",
    "HELSINKI, March 4 (Nordwire) – The Helsinki harbour board raised the dues for cargo ships by 9 percent on "
    "Tuesday, the first rise since 2015, and Prime Minister Petteri Orpo said the government would not step in.",
    "The board's chairman, Tomas Lindqvist, said the rise would pay for a new quay, and that the Singapore-listed "
    "operator Kestrel Port Holdings Ltd. had agreed to share the cost, while shipping lines from the U.S. Gulf Coast, "
    "Rotterdam, Antwerp, Hamburg, Gdansk and Tallinn would pay the new dues from May.",
    "Kestrel Port Holdings Ltd. said in a statement that it welcomed the decision, and Lindqvist told reporters that "
    "talks with the U.S. Maritime Administration on the new quay had gone well.",
    '"We will keep the dues where they are until 2030," he said.\n'])
# The same wire's second story, saved without its headline: the dateline's line comes first, and a
# line of names and a dash ("The buyers – Kestrel, its Harbour Infrastructure") fills a line.
WIRE_STORY_NO_HEADLINE = "\n\n".join([
    "ROTTERDAM, March 5 (Nordwire) – Dock workers at the port of Rotterdam ended a four-day strike on Wednesday "
    "after accepting a pay rise of 9 percent over two years, the FNV union said.",
    "The buyers – Kestrel, its Harbour Infrastructure Partners arm and Terminal Holdings Europe (THE), the operator "
    "controlled by Nordic Shipping Lines – will pay 4 billion euros for the terminals, the port authority said.\n"])


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=45, max_value=100), st.sampled_from([WIRE_STORY, WIRE_STORY_NO_HEADLINE]))
def test_a_story_hard_wrapped_at_any_width_reads_as_it_did_unwrapped(width, story):
    # Every line a wrapping program breaks is broken because the next word would not fit: that,
    # not how the line ends, is what joins the lines of a wrapped text again (#26: a real page
    # wrapped at 72 columns lost four sentences to headings).
    import textwrap

    def sentences(text: str) -> list[str]:
        cleaned = clean(Article(id="x", filename="x.txt", text=text, meta=SourceMeta()))
        return [s.text for s in segment(cleaned)]
    wrapped = "\n".join("\n".join(textwrap.wrap(line, width)) or line for line in story.split("\n"))
    assert sentences(wrapped) == sentences(story)
    assert sentences(story)[0].endswith(("would not step in.", "the FNV union said."))


def test_lines_that_only_look_unfinished_stay_apart():
    # Headlines of other stories ending on a particle, a share bar ending on "A", and a title-case
    # line: in a text that is not hard-wrapped, none runs on.
    text = ("The harbour board raised its dues on Tuesday, the first rise in ten years.\n"
            "Share · Share via Mastodon · Print · A A\n"
            "Gas prices in Europe edge higher as a cold snap sets in\n"
            "Ferry Crews Walk Out Over Pay in the\n"
            "Dues for ferries will stay the same, the board added.\n")
    blocks, _, _ = clean_text(text)
    assert "Dues for ferries will stay the same, the board added." in [b.text for b in blocks]
    assert not any("sets in Ferry" in b.text or "A A Gas" in b.text or "in the Dues" in b.text for b in blocks)


# The foot and head of real pages (a mine collapse, a bus crash, a nurses' strike, a cargo ship
# aground), in words of our own: headlines of other stories in a row after the story with no
# heading over them, a section's label in capitals over the headline and its date, a place alone
# on its line before the story, a dateline with the region and country in brackets, a wire's tag
# after the last paragraph, and captions closing on "FILE PHOTO" or "-AAP Image".
FOOT_AND_HEAD = """WORLD
Dock workers end strike after pay deal in Rotterdam
Oct 4, 2023, 12:22 PM
Dock workers at the port vote on a pay deal FILE PHOTO
Union members vote on the pay deal at the port gates. -AAP Image
ROTTERDAM
Dock workers at the port of Rotterdam ended a four-day strike on Wednesday after accepting a pay rise of 9 per cent.
The union said the deal would run for two years. Ships that waited at anchor began to berth on Wednesday night. (HW)
Mayor defends new bicycle lanes after complaints from shop owners
Storm warning issued for the northern coast as winds strengthen
Three arrested after break-in at a city museum, police say
"""


def test_headlines_of_other_stories_section_labels_lone_places_and_wire_tags_are_removed():
    cleaned = clean(Article(id="x", filename="x.txt", text=FOOT_AND_HEAD, meta=SourceMeta()))
    assert cleaned.article.meta.title == "Dock workers end strike after pay deal in Rotterdam"
    text = "\n".join(b.text for b in cleaned.blocks)
    for furniture in ("WORLD", "FILE PHOTO", "AAP", "ROTTERDAM\n", "(HW)", "bicycle lanes", "Storm warning",
                      "museum"):
        assert furniture not in text + "\n", furniture
    assert text.startswith("Dock workers at the port of Rotterdam ended a four-day strike")
    assert "Ships that waited at anchor began to berth on Wednesday night." in text


@pytest.mark.parametrize("text", [
    # a list of the story's own items, marked as a list
    "The treaty covers three areas, the ministry said.\n- Cooperation in countering terrorism and extremism\n"
    "- Joint naval exercises in the Caspian Sea region\n- Exchange of information between security services\n"
    "Both parliaments must ratify it.\n",
    # a caption and its credit in brackets: one sentence, a caption's shape
    "The board met on Monday.\nDock workers vote on the pay deal at the port gates on Monday (HW)\n",
])
def test_a_list_of_the_story_s_items_stays(text):
    blocks, removed, _ = clean_text(text)
    kept = "\n".join(b.text for b in blocks)
    assert "Cooperation in countering terrorism" in kept or "port gates" not in kept, removed
    if "Cooperation" in text:
        assert "Exchange of information between security services" in kept, removed


@pytest.mark.parametrize("dateline", [
    "Garhwa (Jharkhand) [India], June 25 (ANI): ",
    "Lyon, France (HW) – ",  # the country after a comma (#26)
    "Porto, May 2 (HW).- ",  # a stop after the agency, before the dash (#26)
    "Porto, May 2 (HW). ",
])
def test_a_dateline_naming_the_region_and_country_is_removed(dateline):
    blocks, removed, _ = clean_text(dateline + "At least six people were hurt.\n")
    assert [b.text for b in blocks] == ["At least six people were hurt."] and removed["dateline"] == 1


# More page shapes (a by-election, a lockdown, a blog's repost of a vote count), in words of our
# own: a "Most read" widget over the headline and its date, a long wire caption closing on
# "(Photo: ...)", a related list of headlines each over a cut-off snippet, and a blog's comment
# prompts.
WIDGET_OVER_HEADLINE = """Most Read
Most Commented
News
Turnout rises in twin by-elections in the north
Published: Mar 6, 2026 8:11 AM
Voters in two northern districts chose their representatives on Saturday after a quiet campaign.
"""

LONG_CAPTION = ("Harbour Road: The port city comes to a standstill with shops closed during a two-day strike "
                "called by dock workers, ferry crews and lorry drivers in all twelve districts of the province as "
                "their unions press for higher pay and shorter shifts, on March 24, 2026. (Photo: HW)\n"
                "Dock strike enters second day\n"
                "The strike closed the port for a second day on Wednesday, the union said.\n")

RELATED_SNIPPETS = """The count went on through the night, officials said.
Related articles
Five best ferry routes along the coast
Ferry trips are not just travelling; they are views, islands, harbours and much more. Though...
Storm closes the northern bridge: police
Harbour Road: The police said the bridge would stay closed until the winds drop and...
No comments:
Post a Comment
"""


def test_a_widget_before_the_headline_ends_where_the_story_starts():
    cleaned = clean(Article(id="x", filename="x.txt", text=WIDGET_OVER_HEADLINE, meta=SourceMeta()))
    assert cleaned.article.meta.title == "Turnout rises in twin by-elections in the north"


def test_a_long_caption_with_a_photo_credit_is_a_caption():
    cleaned = clean(Article(id="x", filename="x.txt", text=LONG_CAPTION, meta=SourceMeta()))
    assert cleaned.article.meta.title == "Dock strike enters second day"
    story = "The strike closed the port for a second day on Wednesday, the union said."
    assert [b.text for b in cleaned.blocks] == [story]


# A story's paragraph and the next one, with one line between them (see `texts_around`).
STRIKE = "The strike closed the port for a second day on Wednesday, the union said."
ANCHORED = "Ships waited at anchor outside the harbour."


def texts_around(line: str, after: str = "") -> tuple[list[str], Counter]:
    """The blocks' texts of STRIKE, then `line`, then `after` (if any), and what was removed."""
    blocks, removed, _ = clean_text(f"{STRIKE}\n{line}\n" + (f"{after}\n" if after else ""))
    return [b.text for b in blocks], removed


@pytest.mark.parametrize("caption", [
    "Rescue workers search the rubble of a collapsed school in the hill town on Saturday. — AFP pic",
    "Voters queue outside a polling station in the capital before it opens. - Bernama pic",
])
def test_a_caption_closing_on_an_agency_s_pic_is_a_caption(caption):
    # "— AFP pic", "- Bernama pic": the credit some Asian papers close a caption on (#26).
    texts, removed = texts_around(caption)
    assert texts == [STRIKE], removed


@pytest.mark.parametrize("furniture", [
    "Story continues after the advertisement",
    "Story continues below this ad",
    "We need your consent to load this Instagram content.",
    "To watch this video you must accept cookies from the provider, which may track you.",
    "Load the content",
    "Accept and show the video",
])
def test_an_advert_label_and_an_embed_s_consent_notice_are_removed(furniture):
    # What a hidden social post or video shows in its place until the reader agrees (#26).
    texts, removed = texts_around(furniture, ANCHORED)
    assert texts == [STRIKE, ANCHORED], removed


@pytest.mark.parametrize("prose", [
    "Under the new law, platforms must ask for your consent before they set cookies on your device.",
    "Regulators said this content had to carry a warning that you can accept or refuse.",
    "Show the video to your friends, the campaign urges in its posters.",
    "You agree to the terms the moment you load this page, the court found.",
])
def test_news_about_consent_and_cookies_stays(prose):
    texts, removed = texts_around(prose)
    assert texts == [STRIKE, prose], removed


def test_a_line_that_repeats_the_start_of_a_paragraph_is_a_copy_of_it():
    # A picture's caption or a summary that repeats a paragraph's first sentence, printed once or
    # twice over it: its quote was cited twice and its names counted twice (#26, an untuned
    # story's page that printed one sentence four times).
    lead = "The harbour master, Tomas Lindqvist, said two tugs and a pilot boat were lost in the storm."
    text = (f"{lead}\n\n{lead}\n\nShips waited at anchor outside the harbour on Tuesday.\n\n"
            f"{lead} A third tug was towed to safety.\n")
    blocks, removed, _ = clean_text(text)
    assert [b.text for b in blocks] == ["Ships waited at anchor outside the harbour on Tuesday.",
                                        f"{lead} A third tug was towed to safety."], removed


def test_a_headline_led_by_a_pipe_between_paragraphs_is_a_teaser_and_a_table_row_is_not():
    # "| Port strike: unions reject the new offer" links to another story (#26: an untuned page's
    # gave the figures page "2 heads"); a table's row closes on its pipe, a sentence on its stop.
    texts, removed = texts_around("| Port strike: unions reject the 2 offers made on Monday", ANCHORED)
    assert texts == [STRIKE, ANCHORED], removed
    for kept in ("| Port | Ships waiting |", "| The union said it would strike again on Friday."):
        texts, removed = texts_around(kept, ANCHORED)
        assert any(kept.strip("| .") in text for text in texts), (kept, removed)


AGGREGATOR_COPY = """Every paper you read, in one app.
Thousands of titles.
One login.
Start reading
Harbour Times
Ports
# Dock workers end strike after pay deal

Dock workers at the port ended a four-day strike on Wednesday after accepting a pay rise of 9 per cent.
"""


def test_short_lines_above_the_headline_the_metadata_names_are_the_page_s_head():
    # An aggregator's copy of an article opened with its own promotion, kept as sentences (#26,
    # a second untuned story's page).
    title = "Dock workers end strike after pay deal"
    blocks, removed, _ = clean_text(AGGREGATOR_COPY, title)
    assert [b.text for b in blocks if not b.is_heading] == [
        "Dock workers at the port ended a four-day strike on Wednesday after accepting a pay rise of 9 per cent."]
    assert removed["page head above the headline"] == 6
    # Without the title, or with a summary above the headline, nothing is taken for the page's head.
    summary = "The union said members voted by a large majority to accept the offer after a night of talks."
    for text, named in ((AGGREGATOR_COPY, None), (summary + "\n" + AGGREGATOR_COPY, title)):
        blocks, removed, _ = clean_text(text, named)
        assert removed["page head above the headline"] == 0


def test_related_headlines_with_cut_off_snippets_and_a_blog_s_comment_prompts_are_removed():
    blocks, removed, _ = clean_text(RELATED_SNIPPETS)
    assert [b.text for b in blocks] == ["The count went on through the night, officials said."], removed


# What a review of this stop's rules found them doing to ordinary prose (each failed before the mend).
@pytest.mark.parametrize(("text", "kept"), [
    # a name and its initials open a paragraph: no dateline without a date or a dash
    ("The fleet left port.\nThe United Nations (UN) Security Council voted on Tuesday to extend it.\n",
     "The United Nations (UN) Security Council voted on Tuesday to extend it."),
    # a headline over a wire's dateline, no blank line between: two blocks
    ("Apple shares fall as iPhone sales slow in China\n(Reuters) - Apple Inc shares fell 3% on Monday.\n",
     "Apple Inc shares fell 3% on Monday."),
    # a short headline in capitals is no lone place
    ("FLOODS HIT TOWN\nHeavy rain caused the river to burst its banks on Sunday.\n",
     "Heavy rain caused the river to burst its banks on Sunday."),
    # a transcript's first speaker keeps the name
    ("Stubb: We have to be prepared for every outcome, he told reporters.\nReporter: What do you say to critics?\n",
     "Stubb: We have to be prepared for every outcome, he told reporters."),
    # numbered items stay apart even when one ends on "the"
    ("The plan has three steps, officials said.\n1. Repair the line across the\n2. Train new crews for the port\n"
     "The ministry will pay for both.\n", "The ministry will pay for both."),
])
def test_rules_for_furniture_and_wrapping_leave_ordinary_prose_alone(text, kept):
    cleaned = clean(Article(id="x", filename="x.txt", text=text, meta=SourceMeta()))
    blocks = [b.text for b in cleaned.blocks]
    assert kept in blocks, blocks
    if text.startswith(("Apple", "FLOODS")):
        assert cleaned.article.meta.title == text.split("\n")[0] and not cleaned.article.meta.title_inferred
    if "1. Repair" in text:
        assert not any("across the 2." in b for b in blocks), blocks


# Close variants the review found the first rules missed (in words of our own).
@pytest.mark.parametrize(("line", "story"), [
    ("Prague, May 5 (Harbour Wire) - The central bank raised rates.", "The central bank raised rates."),
    ("ISLAMABAD, Apr 15, 2026 (NTW): The minister denied the report.", "The minister denied the report."),
    ("Bergen, March 4 (Coastwire) -- Output rose for a third month.", "Output rose for a third month."),
    ("The board met. Rescue work is still underway.(HW)", "The board met. Rescue work is still underway."),
    ("The board met. Rescue work is still underway. (Coastwire)", "The board met. Rescue work is still underway."),
])
def test_datelines_with_a_year_or_a_named_agency_and_tags_without_a_space_are_removed(line, story):
    blocks, _, _ = clean_text(line + "\n")
    assert [b.text for b in blocks] == [story]


def test_comment_counters_language_lists_and_first_published_notes_are_removed():
    text = ("The board met on Monday.\n0 comments:\nCharacters remaining: 500\nEnglish | Español | Français\n"
            "This article was first published on The Harbour Review.\nLoading comments...\nThe dues rise in May.\n")
    blocks, removed, _ = clean_text(text)
    assert [b.text for b in blocks] == ["The board met on Monday.", "The dues rise in May."], removed


# Classes of furniture found on a new batch of real pages (under /tmp, never committed), written
# here in words of our own: every case fails on the rules before them.
def article_of(text: str):
    return clean(Article(id="x", filename="x.txt", text=text, meta=SourceMeta()))


def test_reading_times_and_credits_for_the_report_are_furniture():
    text = ("Estimated reading time 3 minutes 3 Min\nReading time: 4 min\n"
            "The fund contributed to this year's growth, the bank said on Monday.\n"
            "The levy applies from May, when the new budget year starts.\n"
            "Some information for this report was provided by Harbour Wire and Coastwire.\n"
            "Amina Oduya in Lagos contributed to this report.\n")
    blocks, removed, _ = clean_text(text)
    assert [b.text for b in blocks] == ["The fund contributed to this year's growth, the bank said on Monday.",
                                        "The levy applies from May, when the new budget year starts."], removed


def test_a_call_to_the_reader_is_never_taken_for_the_headline():
    cleaned = article_of("How we read the news now: fewer subscribers, more newsletters\n\n"
                         "Paid subscriptions at regional papers fell by 8 percent last year, a survey found.\n")
    assert cleaned.article.meta.title == "How we read the news now: fewer subscribers, more newsletters"
    cleaned = article_of("Get the latest headlines as we publish them, straight to your phone\n\n"
                         "Why the newsletter boom is fading for small publishers\n\n"
                         "Readers of paid newsletters fell by a fifth last year, a survey found.\n")
    assert cleaned.article.meta.title == "Why the newsletter boom is fading for small publishers"
    assert [b.text for b in cleaned.blocks] == [
        "Readers of paid newsletters fell by a fifth last year, a survey found."]


def test_a_blogs_comment_section_ends_the_story():
    text = ("The council approved the budget on Tuesday after a six-hour debate.\n\n"
            "Leave a comment\n\n"
            "The vote was 7 to 2, with two members absent.\n\n"
            "3 thoughts on “Council approves the budget”\n\n"
            "1. Dana Kirby says:\n\nAbout time they agreed on something, frankly, after months of this.\n\n"
            "Leave a Reply\n\nFill in your details below or click an icon to log in:\n\nWordPress.com Logo\n\n"
            "You are commenting using your WordPress.com account. Log Out / Change )\n\nFacebook photo\n\n"
            "Connecting to %s\n\nThis site uses a filter to reduce spam.\n")
    blocks, removed, _ = clean_text(text)
    assert [b.text for b in blocks] == ["The council approved the budget on Tuesday after a six-hour debate.",
                                        "The vote was 7 to 2, with two members absent."], removed


def test_lines_that_only_open_like_comments_leave_the_story_whole():
    story = ["Council shuts two fire stations", "The city will lose two of its nine stations.",
             '12 comments on "the harbour plan" were received by the planning office before the deadline.',
             "The final vote is set for June."]
    blocks, _, _ = clean_text(f"{story[0]}\n\n{story[1]}\n\nLeave a reply\n\n{story[2]}\n\n{story[3]}\n")
    assert [b.text for b in blocks] == story


@pytest.mark.parametrize("line", ["Site icon harbourdaily", "HarbourDaily Logo", "hd-logo", "Twitter picture",
                                  "Google+ photo", "Gravatar", "Avatar photo", "BY", "By:",
                                  "Your browser does not support the video tag.",
                                  "Please subscribe to the Harbour Daily newsletter for more stories like this.",
                                  "To get the latest news each morning, subscribe to the free newsletter.",
                                  "Bio : Jane Doe covers health and education for the Harbour Daily",
                                  "Information from Harbour Wire was used in this report.",
                                  "Jane Doe contributed reporting from Lagos.",
                                  "Your web browser is no longer supported. To improve your experience update it here",
                                  "News Politics Local News Sports & Weather Opinion",
                                  "Home / Story Tools: Save | Print | E-mail | Most Read | Comment"])
def test_alt_texts_bylines_browser_notices_and_menus_are_furniture(line):
    first = "Fares on the island ferries rise by 8 percent from June, the operator said."
    blocks, _, _ = clean_text(f"{first}\n\n{line}\n\nThe operator blamed fuel costs.\n")
    assert [b.text for b in blocks] == [first, "The operator blamed fuel costs."]


@pytest.mark.parametrize("line", ["The company unveiled its new logo on Monday.",
                                  "Google said its browser is no longer supported on older phones.",
                                  "Local News Outlets Close Across the Region", "A National Icon", "The New Logo",
                                  "Turnout | 41.2 | 38.9 | 44.0", "No taxpayer money contributed to this report.",
                                  "Information in this report was provided by the city's finance department, which "
                                  "has since revised it.", "Why we subscribe to newsletters we never read",
                                  "By 2030 the port expects to double its traffic, the ministry said."])
def test_lines_that_only_look_like_those_stay(line):
    blocks, _, _ = clean_text(f"Fares on the island ferries rise by 8 percent from June.\n\n{line}\n\n"
                              "The operator blamed fuel costs.\n")
    assert line in [b.text for b in blocks]


def test_a_mastheads_slogan_or_a_labelled_headline_is_not_the_story():
    cleaned = article_of("the newspaper\nOf Record,\nSince 1920!\n\nCourt blocks the housing levy\n\n"
                         "Court blocks the housing levy\n\nThe High Court suspended the levy on Friday.\n")
    assert cleaned.article.meta.title == "Court blocks the housing levy"
    assert [b.text for b in cleaned.blocks] == ["The High Court suspended the levy on Friday."]
    cleaned = article_of("Kenya : Court blocks the new housing levy\n\nThe High Court suspended the levy on Friday.\n")
    assert cleaned.article.meta.title == "Kenya : Court blocks the new housing levy"
    # One short line is no masthead: it may be the story's first paragraph.
    blocks, _, _ = clean_text("Grandmaster resigns after four hours\n\nCheckmate!\n\n"
                              "The champion resigned on Sunday.\n")
    assert [b.text for b in blocks] == ["Grandmaster resigns after four hours", "Checkmate!",
                                        "The champion resigned on Sunday."]



# Furniture the blackout corpus's test half showed on no dev page, then brought onto dev pages
# (13-15) in other words; here in ours again.
FURNITURE_WITHOUT_LINKS = """By Tomas Lindqvist, Oslo correspondent

Bergen, 4 March 2026 – The harbour board raised dues for container ships by 12 percent on Tuesday.

Erik Dahl is the harbour master, and he said the board had no choice.

Previously we reported that the board had frozen dues for two years.

Popular on The Fjord Post
Ferry timetable changes from April
Salmon prices hit a record in Tromsø
Why the bridge toll went up

Share this story: LinkedIn | X | Email

"We reported the leak to the coastguard at once," the shipping line said in a statement.

The shipping line declined to comment on the new dues.

THE HARBOUR BRIEF
Enter your email address
[ Subscribe ]

Tomas Lindqvist covers shipping for The Fjord Post. He previously reported from Hamburg.

About the reporter
Ingrid Berg writes on ports and trade. She joined the paper in 2019.

Discussion (3)
Add your comment
We will never publish your email address.
"""


def test_furniture_without_links_bios_and_counted_discussions_are_removed_and_the_prose_kept():
    blocks, removed, _ = clean_text(FURNITURE_WITHOUT_LINKS)
    text = "\n".join(b.text for b in blocks)
    for furniture in ("Bergen, 4 March", "Previously we reported", "Popular on", "Ferry timetable", "Share this story",
                      "Enter your email", "Subscribe", "covers shipping", "previously reported from Hamburg",
                      "About the reporter", "writes on ports", "Discussion", "Add your comment", "never publish"):
        assert furniture not in text, (furniture, removed)
    for story in ("The harbour board raised dues for container ships by 12 percent on Tuesday.",
                  "Erik Dahl is the harbour master, and he said the board had no choice.",
                  '"We reported the leak to the coastguard at once," the shipping line said in a statement.',
                  "The shipping line declined to comment on the new dues."):
        assert story in text, (story, removed)


# What a review of the rules above found them removing (each failed before the mend).
REVIEW_BYLINE = ("By Jane Roe, Brussels correspondent\n\n"
                 "The board met on Monday and agreed the new dues for all ships.\n\n")


@pytest.mark.parametrize(("byline", "line"), [
    ("By Al Jazeera", "Al Jazeera has been banned from broadcasting in Israel since May."),
    ("By Sky News", "Sky News has been told the decision was made on Sunday night."),
    ("By The Associated Press", "The Associated Press has been unable to independently verify the figures."),
    ("By Jane Roe", "Jane Roe was in the village when the first shell struck and spent the night in a basement."),
])
def test_a_paragraph_that_opens_with_the_byline_s_name_is_a_bio_only_where_it_says_what_the_writer_does(byline, line):
    blocks, removed, _ = clean_text(f"{byline}\n\nSoldiers shelled the village on Sunday, residents said.\n\n{line}\n\n"
                                    "The shelling stopped at dawn.\n")
    assert line in [b.text for b in blocks], removed


@pytest.mark.parametrize("line", [
    "Earlier we reported that the airport was closed, but it has since reopened.",
    "Last week we reported that the mayor would resign; on Friday she did.",
    "We reported that the plant had failed two inspections, and the regulator has since opened an inquiry.",
    "We looked at how the money was spent and found that most of it went to consultants.",
    "The ministry did not post a response to the letter on its website.",
    "Residents can submit a comment on the plan until June 1, the council said.",
    "The new app will never share your email address with advertisers, the company said.",
])
def test_updates_findings_and_news_of_comments_stay(line):
    blocks, removed, _ = clean_text(REVIEW_BYLINE + line + "\n")
    assert line in [b.text for b in blocks], removed


def test_a_comment_count_under_the_headline_is_a_link_not_the_start_of_the_comments():
    page = ("EU agrees new port levy\n\nMinisters back a levy on container ships after a year of talks.\n\n"
            "By Jane Roe in Brussels\n18 June 2025\nComments (214)\n\n"
            "The European Union agreed on Tuesday to impose a levy on container ships calling at its ports.\n\n"
            "The levy will raise 2 billion euros a year, the Commission said.\n")
    blocks, removed, _ = clean_text(page)
    text = "\n".join(b.text for b in blocks)
    assert "Comments (214)" not in text and "The levy will raise 2 billion euros a year" in text, removed


def test_the_paragraph_after_a_bio_under_its_heading_stays():
    page = (REVIEW_BYLINE + "About the author\nJane Roe is the Brussels correspondent of The Courier.\n\n"
            "The European Commission is expected to publish the details on Friday.\n")
    blocks, removed, _ = clean_text(page)
    text = "\n".join(b.text for b in blocks)
    assert "Brussels correspondent of The Courier" not in text
    assert "The European Commission is expected to publish the details on Friday." in text, removed


def test_a_timeline_s_dated_entries_keep_their_dates():
    page = ("How the crisis unfolded\n\nThe government fell after a week of protests. Here is how it happened.\n\n"
            "Monday, 2 June 2025 – Protesters gather outside parliament after the budget vote.\n\n"
            "Election Day, Nov. 5, 2024 – Voters reject the plan.\n")
    blocks, removed, _ = clean_text(page)
    text = "\n".join(b.text for b in blocks)
    assert "Monday, 2 June 2025" in text and "Election Day, Nov. 5, 2024" in text, removed


@pytest.mark.parametrize("heading", ["Trending in Europe", "Popular in the polls", "Read in full",
                                     "Most viewed in 2024", "Popular at home"])
def test_subheadings_that_open_like_a_widget_stay(heading):
    blocks, removed, _ = clean_text(REVIEW_BYLINE + heading + "\n\nThe dues rise by 12 percent from April.\n")
    assert heading in [b.text for b in blocks], removed


@pytest.mark.parametrize("heading", ["Most Popular on The Sydney Morning Herald", "Trending now on The Courier",
                                     "Most read on The Fjord Post"])
def test_a_widget_named_after_its_outlet_goes_with_its_headlines(heading):
    page = (REVIEW_BYLINE + heading + "\nFerry timetable changes from April\nSalmon prices hit a record\n\n"
            "The dues rise by 12 percent from April.\n")
    blocks, removed, _ = clean_text(page)
    assert [b.text for b in blocks] == ["The board met on Monday and agreed the new dues for all ships.",
                                        "The dues rise by 12 percent from April."], removed


def test_a_comment_count_in_square_brackets_opens_the_comments_over_their_form():
    blocks, removed, _ = clean_text(REVIEW_BYLINE + "Comments [14]\nAdd your comment\nGreat piece, thanks.\n")
    assert [b.text for b in blocks] == ["The board met on Monday and agreed the new dues for all ships."], removed


# Notes about the story itself and the rest of the classes the dev halves were given in stop 43
# (corpus dev files with update notices, a correction, an opinion disclaimer, a wire's note in
# brackets, "We've written about ... before", commas in a share bar, "Baku:"); here in ours again.
NOTES_ON_THE_STORY = "\n\n".join([
    'Tromsø: The ferry operator cancelled all sailings to the outer islands on Thursday as the storm '
    'closed in.',
    'Share this story: Facebook, X, Bluesky or Email',
    'About 300 passengers were put up in hotels in Tromsø, the operator said.',
    'This story has been corrected to show that the ferry operator is owned by the county.',
    'Correction, 14 March: An earlier version of this report gave the wrong number of islands served.',
    "Editor's note: This article was first published on 13 March and has been updated throughout.",
    "We have reported on the operator's ageing fleet before.",
    "The views expressed in this column are the author's own and do not necessarily reflect those of The "
    'Fjord Post.',
    '(This report is published as received from the Nordic Wire desk and has not been edited by our '
    "staff. The agency's reporters cover every county of Norway and Sweden, and file in three languages "
    'around the clock, every day of the year.)',
    'Update, 6 p.m.: The operator said sailings would resume on Friday morning if the wind dropped.',
]) + "\n"


def test_notes_about_the_story_are_removed_and_news_updates_kept():
    blocks, removed, _ = clean_text(NOTES_ON_THE_STORY)
    text = "\n".join(b.text for b in blocks)
    for furniture in ("Tromsø:", "Share this story", "Bluesky", "has been corrected", "An earlier version",
                      "Editor's note", "ageing fleet before", "views expressed", "Nordic Wire desk",
                      "three languages"):
        assert furniture not in text, (furniture, removed)
    for story in ("The ferry operator cancelled all sailings to the outer islands on Thursday as the storm closed in.",
                  "About 300 passengers were put up in hotels in Tromsø, the operator said.",
                  "Update, 6 p.m.: The operator said sailings would resume on Friday morning if the wind dropped."):
        assert story in text, (story, removed)
    assert removed["dateline"] == 1 and removed["social links"] == 1 and removed["notice to readers"] >= 5


def between_paragraphs(line: str) -> str:
    return (f"The ministry published the figures on Monday.\n\n{line}\n\n"
            "The count will go on through the week, officials said.\n")


# News that the rules for notes, share bars, promotions, print lines and comment rules must leave,
# most of it found by reviews of those rules (each of those failed before its mend).
@pytest.mark.parametrize("line", [
    "This article was amended in 2019 to allow the president to stand again, and the opposition went to court.",
    "An earlier version of this report, seen by the Courier in March, put the number of deaths at 40.",
    "This report was changed after the minister intervened, three officials involved in drafting it said.",
    "This report has been revised twice since 2021 and now puts the cost of the line at £4.2bn, the auditor said.",
    "This story has been carried by several state media outlets, which did not name the source of the footage.",
    "The views expressed by the minister do not reflect government policy, a spokeswoman told the news agency.",
    "The views expressed in the novel are not those of the author, his lawyer told the court on Wednesday.",
    "Views in the village do not differ much: most residents told the writer they would vote for the mayor again.",
    "(The toll, which has not been edited by the health ministry since Friday, leaves out people still missing.)",
    "(Under the 1998 law, results are published as received from polling stations and checked later.)",
    "(Only available as a syndicated feed until 2019, the station's bulletins now reach 4 million listeners.)",
    "We have looked at what happens to a city when the water runs out before.",
    "Share: 41.2, 38.5 and 20.3",
    "Users can download the app from Tuesday, the ministry said.",
    "Get the full story behind the vote, the opposition leader told supporters, and judge for yourselves.",
    "Farmers who download the government's app will be paid within a week.",
    "The audit, published on Feb 4, 2025, says on page 6 that the ferry was overloaded.",
    "Posts are reviewed by moderators in Manila before they appear, the company said.",
    "Comments are moderated by a team of 40 in Dublin, according to the firm's filing.",
    "About the author of the report, little is known beyond her work at the ministry.",
    "Download speeds on the bank's app fell to near zero at midday.",
    "Install rates of its rival's app tripled the same day.",
    "Download the state emergency alerts app, the governor urged residents at a briefing.",
    "Get ready for the brief, the defence secretary told reporters.",
    "Get tough on apps that harvest data, the minister told parliament.",
    "About the journalists: both men have covered the region for a decade and hold press cards.",
    "Print edition to end on 31 March 2025 after 160 years",
    "Table: Seats won by party, 12.03.2025 (see page 2)",
    "The view from the harbour wall is that the storm will pass by Friday, fishermen said.",
    "Correction officers were sent to the island after the riot, the ministry said.",
    "Update on the ferries: the operator expects to run a full timetable on Friday.",
    "The editor of the island's weekly said readers had been asking for weeks.",
    "Kyiv will gain unrestricted access to the port under the deal, the minister said.",
    "Get unlimited access to the archive, the court told the ministry, or face a fine.",
    "The reprints desk of the weekly was closed in 2019 after sales fell, its former editor said.",
    "Licences for personal, non-commercial use of the drones will cost 40 euros, the agency said.",
    # what a review found the first paywall and rights rules removing (#26)
    "Aid agencies have demanded unrestricted access to the flooded districts.",
    "The app gives members unlimited access to gyms in 40 cities.",
    "The regulator's new risk disclosure rules take effect in May.",
    "The newspaper closed its reprints department in 2019 after sales fell.",
    "The licence covers personal non-commercial use only, the court said.",
    "\"We need unrestricted access to every site,\" the chief inspector told reporters.",
    "UN demands unrestricted access to flooded districts",
    "Will your inspectors get full access?",
    "Why did the firm change its terms of service?",
    "Why did the regulator act? Start with the bank's failure to give auditors full access to its books.",
    "Enjoy full access to the castle grounds from May, when the restoration work ends.",
    "Picture this: a harbour without ferries for a week, the mayor said.",
    "#MeToo and #TimesUp were trending in the city on Tuesday, the report said.",
    "Officials said the live stream had ended early because of the storm.",
    "Screenshots of the messages were shared with police, the court heard.",
    "Screenshot from the video shows the anchor.",
    "Main image: that is what the party hopes to project before the election, its chairman said.",
    "Top picture: Which of the two photographs won the prize? The jury chose the second one.",
    "Get unlimited access to city museums for ten pounds a year under the new pass, which goes on sale in April.",
])
def test_news_that_talks_of_versions_views_feeds_or_shares_stays(line):
    blocks, removed, _ = clean_text(between_paragraphs(line))
    assert line in [b.text for b in blocks], removed
    assert blocks[-1].text.startswith("The count will go on"), removed  # nothing after it was cut


@pytest.mark.parametrize("line", [
    "Share on Facebook", "Share via Email", "Share this: Facebook, X, Email, Print",
    "Share on: Facebook, Twitter, Email",
    "Corrections: An earlier version of this story gave the wrong date.",
    "Editor's Note — This article was updated with comment from the ministry.",
    "This version of the story corrects the spelling of the minister's name.",
    "This story originally appeared in The Harbour Review.",
    "The views expressed here are the author's own.", "Opinions expressed by contributors are their own.",
    "(Only the headline of this report may have been reworked by our staff; the rest is from a syndicated feed.)",
    "We've written before about the grid's weak points.", "We have covered this story before.",
    "Get the Fjord Courier app and be first to hear when a story breaks.",
    "Download our free app for alerts on storms and ferry cancellations.",
    "Get the Courier's evening briefing: the day's five stories, every weekday at six.",
    "Article ID: 20931 | Print | Send to a friend",
    "Story ID: 7731 · Email this article · Print",
    "About the author: The Courier's coast desk covers fishing, ferries and weather.",
    "Printed edition: Sat, Feb 8, 2025 · page 4 · By our staff in Bodø",
    "Tue, Feb 4, 2025 - page A3",
    "The view expressed here is the writer's own.",
    "Opinion expressed in this column is the author's own.",
    "Correction: We have corrected the spelling of the harbour master's name.",
    "Clarification: We have amended the third paragraph to make clear the ferry was not insured.",
    "Update: We have updated the number of passengers put up in hotels.",
    "This copy is for your personal, non-commercial use only.",
    "For copies to hand out to colleagues or clients, contact our reprints desk.",
    "Want the whole story? Unlock unlimited access to Fjord Courier analysis from NOK 49 a month.",
    "Enjoy full digital access to the Courier for your first month free.",
    "Unlimited digital access for just $2 a week? Get unlimited digital access to the Courier for $2 a week.",
    "Looking to read the full article?",
    "Cover photo: Ferry passengers queue at the harbour gates in Bodø on Monday as the storm closes in over the fjord.",
    "Image for illustration purposes", "Photo for illustrative purposes only",
    "This live stream has ended.", "The live broadcast will start soon",
    "#Ferry #Storm #Bodø #Norway", "/NTB/",
    "#Ferry #Storm #Bodø #Norway #2025", "#Ukraine #Russia #war.", "#Ferry · #Storm · #Bodø", "/ritzau/AFP",
    "Screenshot.", "Screenshot: Fjord Courier / X", "Video screengrab via YouTube",
    "Risk disclosure: trading in shares and currencies involves the risk of losing your money.",
])
def test_more_notes_share_bars_promotions_and_print_lines_are_furniture(line):
    blocks, removed, _ = clean_text(between_paragraphs(line))
    assert line not in [b.text for b in blocks] and len(blocks) == 2, removed


def test_an_agency_tag_in_brackets_does_not_make_a_paragraph_a_note():
    line = "(AP) — Results are published as received from polling stations, officials said, and checked later (CEC)."
    blocks, removed, _ = clean_text(line + "\n")
    assert blocks[0].text.startswith("Results are published as received"), removed


REST_OF_STORY = "\n\nTalks went on in Gaza, in Port-au-Prince and in Rio de Janeiro, officials said on Monday.\n"


@pytest.mark.parametrize(("first", "kept"), [
    ("Exclusive: The government said on Monday that the grid had fully recovered overnight.", True),
    ("Oslo: a city of contrasts.", True),
    ("Hamas: Israel must withdraw from the whole strip before any exchange of prisoners.", True),
    ("Zelensky: Ukraine will not give up any territory in exchange for a ceasefire.", True),
    ("Police: Three people were killed when the roof of the station fell in.", True),
    ("Sources: The government will announce the new levy on Friday morning.", True),
    ("Gaza: Israeli strikes killed at least 20 people overnight, health officials said.", False),
    ("Port-au-Prince: Gangs have blocked the main road to the airport for a third day.", False),
    ("Rio de Janeiro: Police raided two favelas on Tuesday in search of a gang leader.", False),
    ("Port-au-Prince: Haiti's transitional council named a new prime minister on Monday.", False),  # a possessive
    ("Zelensky: Ukraine's army will not give up any territory in exchange for a ceasefire.", True),
    # a place the gazetteer knows is no dateline by that alone: a speaker, a source (#26 review)
    ("Chad: The hardest part was leaving the farm behind, he told the hearing.", True),
    ("Iran: Israel must be punished for the strike on the consulate, the ministry says.", True),
])
def test_a_name_before_a_colon_is_a_dateline_only_where_the_story_puts_something_there(first, kept):
    blocks, removed, _ = clean_text("Ceasefire talks stall as winter nears\n\n" + first + REST_OF_STORY)
    assert (blocks[1].text == first) == kept, removed
    assert blocks[1].text.endswith(first.split(": ", 1)[1])


def test_a_colon_dateline_counts_only_before_the_first_paragraph():
    text = ("The operator restored power to every region by Tuesday morning, the ministry said.\n\n"
            "Madrid: The government will hold an inquiry into the cause of the outage next month.\n")
    blocks, removed, _ = clean_text(text)
    assert blocks[1].text.startswith("Madrid: The government"), removed


def test_the_rules_over_readers_comments_end_the_story():
    text = ("The ferry operator cancelled all sailings on Thursday as the storm closed in.\n\n"
            "About 300 passengers were put up in hotels, the operator said.\n\n"
            "All comments are read by a moderator before publication.\n\n"
            "Be kind to one another and stick to the subject.\n\n"
            "Insults, spam and links to other sites are taken down.\n\n"
            "Our editors decide which comments are shown.\n")
    blocks, removed, _ = clean_text(text)
    assert [b.text for b in blocks] == ["The ferry operator cancelled all sailings on Thursday as the storm closed in.",
                                        "About 300 passengers were put up in hotels, the operator said."], removed


def test_a_numbered_widget_between_paragraphs_goes_and_numbered_sections_stay():
    text = ("The ferry operator cancelled all sailings on Thursday as the storm closed in.\n\n"
            "## Most read\n\n"
            "1. Ten quiet islands for a summer walk\n2. Why cod prices doubled in a year\n"
            "3. The last lighthouse keeper retires\n\n"
            "About 300 passengers were put up in hotels, the operator said.\n\n"
            "1. What the operator said\n\n"
            "Sailings will resume on Friday morning if the wind drops, a spokesman said.\n")
    blocks, removed, _ = clean_text(text)
    texts = [b.text for b in blocks]
    assert not any("lighthouse" in t or "cod prices" in t or "quiet islands" in t for t in texts), removed
    assert "About 300 passengers were put up in hotels, the operator said." in texts
    assert any(b.is_heading and "What the operator said" in b.text for b in blocks), texts


# What a review of the rules above found them removing (each failed before the mend).
MODERATION_STORY = ("The platform tightened its rules for the election on Monday.\n\n{line}\n\n"
                    "The change follows months of pressure from the electoral commission, which had asked for faster "
                    "action against false claims about polling stations.\n\n"
                    "Civil-society groups welcomed the move but said the company had not said how many people would do "
                    "the work or in which languages.\n\n"
                    "The company will publish its first transparency report in June, a spokesman said.\n")


@pytest.mark.parametrize("line", [
    "Posts are now reviewed by local moderators before they go live.",
    "Comments will be reviewed before a final decision in December.",
    "All posts will be reviewed by a joint commission in March.",
    "Remarks are checked against the standing orders by clerks.",
    "“All comments will be moderated,” the minister wrote on X.",
])
def test_news_of_moderation_or_review_keeps_the_rest_of_the_story(line):
    blocks, removed, _ = clean_text(MODERATION_STORY.format(line=line))
    texts = [b.text for b in blocks]
    assert line in texts, removed
    assert texts[-1] == "The company will publish its first transparency report in June, a spokesman said.", removed


@pytest.mark.parametrize("heading", ["More on the budget", "Latest updates"])
def test_numbered_points_under_a_heading_that_ranks_no_stories_stay(heading):
    text = ("The chancellor set out the budget on Wednesday.\n\n" + heading + "\n\n"
            "1. Fuel duty frozen for a further year\n2. Income tax thresholds held until 2028\n"
            "3. Free childcare hours extended to two-year-olds\n\n"
            "The opposition called the package a pre-election giveaway.\n")
    blocks, removed, _ = clean_text(text)
    assert "Income tax thresholds held until 2028" in " ".join(b.text for b in blocks), removed


def test_an_article_s_numbered_heading_is_no_tool_bar():
    text = ("The treaty runs to 47 articles.\n\nArticle No. 7\n\n"
            "Neither party will let its territory be used for an attack on the other, the text says.\n")
    blocks, removed, _ = clean_text(text)
    assert "Article No. 7" in [b.text for b in blocks], removed


STORY_START = "\n\nThe ferry operator cancelled all sailings to the outer islands on Monday as the storm closed in.\n"


@pytest.mark.parametrize(("header", "published", "read_from"), [
    ("Published: 3:02pm, 5 Mar 2025\nUpdated: 6:40pm, 6 Mar 2025", "2025-03-05", "text"),
    ("Updated: 6:40pm, 6 Mar 2025\nPublished: 3:02pm, 5 Mar 2025", "2025-03-05", "text"),
    ("By Ola Berg | 18 January 2025", "2025-01-18", "text"),
    ("Coast desk | Jan 17, 2025 09:41 PM", "2025-01-17", "text"),
    ("2025-03-31 09:00 CET", "2025-03-31", "text"),
    ("Updated 8 May 2025, 07:15 CEST", "2025-05-08", "update stamp"),  # changed then: published then or earlier
    ("Ahmedabad | Updated: June 13, 2025 07:26 AM IST", "2025-06-13", "update stamp"),
    ("Filed 3 June 2025 (updated)", None, None),  # not a stamp's shape
    ("By Ola Berg | 07/01/2025", None, None),  # day or month first?
    ("Published: 31 Feb 2025", None, None),
    ("By Ola Berg", None, None),
    # what a review found taken for the publication date
    ("By Jane Doe | Updated 15 Mar 2025", "2025-03-15", "update stamp"),
    ("Jane Doe · Updated 15 Mar 2025 · Published 14 Mar 2025", "2025-03-14", "text"),
    ("By Jane Doe (born 4 May 1961)", None, None),
    ("Most read\nFerry strike ends | 2 Feb 2025\nStorm closes ferries\n"
     "Harbour master says the northern crossings stay shut until Friday\nPublished 14 Mar 2025", "2025-03-14", "text"),
    ("Applications close 31 March 2025", None, None),
    ("On 7 January 2025, the fires began", None, None), ("7 January 2025: the day the hills burned", None, None),
    ("Europe desk | 29 April 2025", "2025-04-29", "text"), ("26 April 2025 11:20", "2025-04-26", "text"),
    ("Published 30 Feb 2025\nPublished 14 Mar 2025", "2025-03-14", "text"),
    ("Storm closes ferries\nFerry operators on the northern coast suspended all crossings\n"
     "by the navy on 12 March 2025 and the harbour authority said", None, None),
])
def test_an_undated_article_is_dated_by_its_own_time_stamp(header, published, read_from):
    """A page whose only stamp says when it was updated is dated by that, and says so."""
    cleaned = clean(Article("a", "a.txt", header + STORY_START, SourceMeta()))
    assert (cleaned.article.meta.published, cleaned.article.meta.published_from) == (published, read_from)


def test_a_date_after_the_story_starts_or_given_by_the_metadata_is_not_the_stamp_s():
    second = "\nSailings will resume on Friday if the wind drops, the operator said.\n"
    late = clean(Article("a", "a.txt", "By Ola Berg" + STORY_START + second + "\nPublished: 5 Mar 2025\n",
                         SourceMeta()))
    assert late.article.meta.published is None
    # A standfirst may stand over the stamp.
    over = clean(Article("a", "a.txt", STORY_START + "\nBy Ola Berg\n29 Jul 2025\n" + second, SourceMeta()))
    assert over.article.meta.published == "2025-07-29"
    given = clean(Article("a", "a.md", "Published: 5 Mar 2025" + STORY_START, SourceMeta(published="2025-03-04")))
    assert (given.article.meta.published, given.article.meta.published_from) == ("2025-03-04", None)


@pytest.mark.parametrize(("footer", "publisher"), [
    ("© 2025 Fjord Courier. All rights reserved.", "Fjord Courier"),
    ("Copyright 2025 Nordland Press Service Ltd. All rights reserved. This material may not be published.",
     "Nordland Press Service"),
    ("© NORDWIRE 2025. Reproduction only with an active hyperlink to nordwire.test", "NORDWIRE"),
    ("Copyright © 2019-2025 The Fjord Courier, LLC. All rights reserved.", "The Fjord Courier"),
    # what a review found named as the outlet: a footer's link, a photo's credit, a photographer
    ("Copyright Policy", None), ("© 2025 Getty Images", None), ("(c) 2025 Jane Doe", None),
    ("© 2025. All rights reserved. Use of materials is permitted only with a hyperlink.", None),
    ("Copyright law in Norway protects the ferry timetables, the court said on Monday.", None),
])
def test_an_unnamed_page_is_named_by_its_copyright_line(footer, publisher):
    photo = "A ferry at the quay in Bodø. © 2025 Getty Images\n\n"  # a credit above the story never names it
    comments = "\nLeave a Reply\n\nYour email address will not be published.\n\n"
    text = photo + "By Ola Berg" + STORY_START + comments + footer + "\n"
    cleaned = clean(Article("a", "a.txt", text, SourceMeta()))
    assert cleaned.article.meta.publisher == publisher
    assert cleaned.article.meta.publisher_from == ("text" if publisher else None)
    named = clean(Article("a", "a.md", text, SourceMeta(url="https://www.harbourdaily.test/x")))
    assert named.article.meta.publisher_from == "url"  # the address comes first


@pytest.mark.parametrize(("line", "story"), [
    ("Read also: Storm closes the northern bridge for a day He said the ferries would run on Friday as planned.",
     "He said the ferries would run on Friday as planned."),
    ("See also: Ferry Strike Ends After Pay Deal The operator said sailings would resume on Friday morning.",
     "The operator said sailings would resume on Friday morning."),
    ("Also read: Port of Bodø reopens – Fjord Courier On March 3, the harbour master lifted the ban on ferries.",
     "On March 3, the harbour master lifted the ban on ferries."),
    # no teaser's cue: as before
    ("Storm closes the northern bridge for a day He said the ferries would run on Friday.", None),
    # a headline with a name that starts like a sentence: cut where the paragraph starts
    ("Read also: Court in The Hague rejects appeal by former minister He said the ruling was final.",
     "He said the ruling was final."),
])
def test_a_teaser_run_into_the_next_paragraph_is_cut_off_it(line, story):
    """#26: real pages ran "Read also: <headline>" into the paragraph after it, and the teaser then
    led a key point."""
    blocks, removed, _ = clean_text(between_paragraphs(line))
    texts = [b.text for b in blocks]
    if story is None:
        assert line in texts, removed
    else:
        assert story in texts and not any(line[:20] in t for t in texts), removed


@pytest.mark.parametrize("line", [
    "Related-party lending at the bank, which two former staff described to the Courier, rose every year until "
    "The Netherlands' regulator stepped in, the filings show.",
    "Watch-list companies tumbled on Tuesday after The Times reported that the regulator would widen its inquiry "
    "into the harbour fund and its managers.",
    "Read also: Finland seizes tanker over cable damage The United Nations envoy, who met the crew in Helsinki "
    "last week, said the inquiry would take months.",
])
def test_a_paragraph_that_only_looks_like_a_glued_teaser_is_not_cut(line):
    """What a review found the glued-teaser rule cutting mid-sentence (#26): a hyphenated word is no
    teaser's cue, and an opener before a capital ("The United Nations") may be a name's."""
    blocks, removed, _ = clean_text(between_paragraphs(line))
    assert line in [b.text for b in blocks], removed


def test_the_outlet_s_address_before_a_dash_opens_the_story_only():
    """#26: "Investing.com-- CK Hutchison shares rallied ..." led a key point with the outlet's address."""
    story = "Ferry operators cancelled all sailings on Thursday as the storm closed in."
    blocks, removed, _ = clean_text(f"Fjordcourier.no -- {story}\n\nThe storm passed on Friday.\n")
    assert blocks[0].text == story and removed["dateline"] == 1
    blocks, removed, _ = clean_text("Fjordcourier.no-- 3M shares fell 4% on Thursday as the storm closed in.\n")
    assert blocks[0].text.startswith("3M shares fell"), removed
    for news in ("Booking.com – The company said on Tuesday that bookings in the north fell by 4% in March.",
                 "Match.com – A dating site that once ruled the web – now has fewer than a million paying users."):
        blocks, removed, _ = clean_text(news + "\n")  # a company in the news (review of 4fd4d5d)
        assert blocks[0].text == news, removed
    later = "Booking.com – The company said on Tuesday that bookings in the north fell by 4% in March."
    paragraphs = "\n\n".join(f"Paragraph {n} says the ferries ran late on day {n}." for n in range(1, 8))
    blocks, removed, _ = clean_text(f"{paragraphs}\n\n{later}\n")
    assert blocks[-1].text == later, removed


def test_an_agency_s_name_after_a_caption_is_its_credit():
    line = "Ferry passengers wait at the harbour gates after the sailings were cancelled. — Reuters"
    blocks, removed, _ = clean_text(between_paragraphs(line))
    assert not any(b.text.endswith("Reuters") for b in blocks), removed


@pytest.mark.parametrize("furniture", [
    "Updates will follow as the news develops.", "This story is developing and will be updated.",
    "Check back later for updates.", "—With assistance from Ilse Brandt.", "Additional reporting by Tom Ekdahl in Oslo",
    "Contributing: Ana Ruiz", "Powered by automated translation",
    "ferry strike harbour FST0412 wire world_00012.jpg",
    "NFER NORDIC FERRIES ASA 12.40 -0.35 -2.74%", "HBR n.a. n.a. n.a. n.a.",
])
def test_notes_credits_file_names_and_ticker_rows_are_furniture(furniture):
    """#26: real pages on a bank's collapse kept an update note, a contributor credit, a video
    still's file name, a translation widget's label and a stock widget's rows as sentences."""
    texts, removed = texts_around(furniture, ANCHORED)
    assert texts == [STRIKE, ANCHORED], removed


@pytest.mark.parametrize("prose", [
    "The update will follow next week, the union said.",
    "With assistance from the navy, the ferry reached the island on Tuesday.",
    "With assistance from Qatar, the two sides agreed to a ceasefire on Sunday.",
    "Shares in Nordic Ferries fell 2.7%, 1.1% and 0.4% over three days.",
    "The harbour authority posted a photo.png of the damage on its website.",
    "The hackers posted the file as ransom_note.png.",
    "The report was updated in 2023 to include the new casualty figures.",
    "Powered by cheap Russian gas, the plant ran all winter.", "Powered by cheap Russian gas.",
    "BREAKING — FERRY STRIKE — 5 HURT",
    "The minister was defiant. Follow me on X, he told critics.",
])
def test_prose_like_those_notes_stays(prose):
    texts, removed = texts_around(prose, ANCHORED)
    assert texts == [STRIKE, prose, ANCHORED], removed


def test_a_ticker_widget_s_column_heads_go_with_its_rows():
    texts, removed = texts_around("Symbol Company Last Change %", "NFER NORDIC FERRIES ASA 12.40 -0.35 -2.74%\n"
                                  "HBR HARBOUR GROUP 3.10 +0.05 +1.64%\n" + ANCHORED)
    assert texts == [STRIKE, ANCHORED], removed


@pytest.mark.parametrize("label", ["Photo:", "Image:", "Credit:"])
def test_a_caption_over_a_credit_whose_label_stands_on_its_own_line_goes_with_it(label):
    """The caption is a sentence, and the picture's label and its credit are two lines under it."""
    texts, removed = texts_around("Stranded passengers wait on the quay at Bergen on Wednesday.",
                                  f"{label}\nLena Dahl/Nordic Photo Agency\n{ANCHORED}")
    assert texts == [STRIKE, ANCHORED], removed


@pytest.mark.parametrize(("url", "headline"), [
    ("https://reader.example/news/ferry-strike-closes-bergen-harbour-for-second-day", True),
    ("https://reader.example/news/ferry-strike-closes-bergen-harbour-for-second-day.html?ref=x", True),
    ("https://reader.example/news/ferry-strike-closes-bergen-harbour-for-second-day-a1b2c3", True),
    ("https://reader.example/news/ferry-strike-closes-bergen-harbour-for", True),  # the site cut the slug short
    ("https://reader.example/news/ferry-strike-closes-bergen-harbour", False),  # shorter: not sure enough
    ("https://reader.example/news/ferry-strike", False),  # too short to name one line
    ("https://reader.example/news/12345", False),
    (None, False),
])
def test_a_page_without_a_title_finds_its_headline_by_its_url(url, headline):
    """#26: an aggregator's copy with no title in its metadata was titled by its promotion ("Get all
    your news in one place."), and its real headline was a heading in the text."""
    text = ("Get all your news in one place.\nHundreds of titles.\nOne app.\nStart reading\nNorth Sea News\n"
            "Ola Berg\n\n## Ferry strike closes Bergen harbour for second day\n\n" + STORY_START)
    cleaned = clean(Article("a", "a.txt", text, SourceMeta(url=url)))
    texts = [b.text for b in cleaned.blocks]
    if headline:
        assert cleaned.article.meta.title == "Ferry strike closes Bergen harbour for second day"
        assert not cleaned.article.meta.title_inferred
        assert not {"Get all your news in one place.", "One app.", "Start reading"} & set(texts), texts
    else:  # the page's opening words stand in, marked so
        assert cleaned.article.meta.title_inferred and cleaned.article.meta.title.startswith("Get all your news")


@pytest.mark.parametrize("bio", [
    "Ilse Brandt is a transport correspondent for the North Sea News. Follow her on Twitter @ilsebrandt.",
    "Tom Ekdahl covers shipping for the Courier. Find him on Bluesky.",
    "Follow them on Instagram @harbourdesk",
])
def test_a_writer_s_bio_that_ends_by_asking_to_be_followed_is_furniture(bio):
    """#26: a bank-collapse page ended "… a White House Correspondent for USA TODAY. Follow her on
    Twitter @…", with no byline to name the writer."""
    texts, removed = texts_around(bio, ANCHORED)
    assert texts == [STRIKE, ANCHORED], removed


def test_a_sentence_that_reports_a_follow_request_stays():
    prose = "The mayor told residents to follow him on X for updates. He later deleted the post."
    texts, removed = texts_around(prose, ANCHORED)
    assert texts == [STRIKE, prose, ANCHORED], removed


@pytest.mark.parametrize("dateline", ["(Nordic Wire) — ", "BERGEN, Norway (NW) — ", "OSLO: "])
def test_a_standfirst_the_lead_repeats_behind_a_dateline_is_kept_once(dateline):
    """#26: a wire story's copy opened with its standfirst, then the same words as the lead after
    "(Bloomberg) —": both were kept, and its figure and date were counted twice."""
    lead = "Ferry operators cancelled 140 crossings on Monday as the strike at Bergen harbour entered a second week."
    blocks, removed, _ = clean_text(f"Ferry strike enters second week\n\n{lead}\n\n{dateline}{lead}\n\n{ANCHORED}\n")
    assert [b.text for b in blocks if not b.is_heading] == [lead, ANCHORED], removed


def test_a_story_paragraph_over_a_credit_on_its_own_line_and_a_heading_after_a_label_stay():
    """A review found a one-sentence paragraph taken for the caption of "Photo: Jeff Chiu/AP"
    under it, and a heading joined to a lone "Image:" label."""
    paragraph = "Regulators shut the bank on Friday and took control of its deposits."
    texts, removed = texts_around(paragraph, f"Photo: Jeff Chiu/AP\n{ANCHORED}")
    assert texts == [STRIKE, paragraph, ANCHORED], removed
    blocks, removed, _ = clean_text(f"{STRIKE}\n{paragraph}\nImage:\n## The aftermath\n{ANCHORED}\n")
    assert [b.text for b in blocks] == [STRIKE, paragraph, "The aftermath", ANCHORED], removed


@pytest.mark.parametrize("notice", [
    "Internet Explorer 11 is not supported",
    "For optimal viewing, we suggest the latest version of Chrome, Safari or Firefox.",
    "Chevron icon It indicates an expandable section or menu.",
    "Search icon",
    "For optimal browsing, we recommend Firefox or Safari.",
])
def test_a_browser_notice_or_an_icon_s_alt_text_is_no_headline(notice):
    """#26: a bridge collapse's pages were titled "Internet Explorer 11 is not supported" and
    "Chevron icon It indicates an expandable section or menu, ..." (pages under /tmp)."""
    cleaned = clean(Article("a", "a.txt", f"{notice}\n\nFerry strike closes Bergen harbour\n{STORY_START}",
                            SourceMeta()))
    assert cleaned.article.meta.title == "Ferry strike closes Bergen harbour"


@pytest.mark.parametrize("prose", [
    "Microsoft said Internet Explorer 11 is no longer supported on Windows 10, a change that hit banks.",
    "For the best results, users should update Chrome, Google said on Tuesday.",
    "The icon of the movement, it indicates, was the bridge itself.",
    "For a better experience, the carmaker replaced the chrome trim with matte black panels, a spokesman said.",
    "For the best experience, drivers should use Chrome on Android, the carmaker said.",
    "A fashion icon", "Remembering an icon",
])
def test_prose_about_browsers_and_icons_stays(prose):
    texts, removed = texts_around(prose, ANCHORED)
    assert texts == [STRIKE, prose, ANCHORED], removed


@pytest.mark.parametrize("head", ["Current News", "## Current News", "logo", "World\n/\nNorth Sea Wire"])
def test_a_section_label_over_an_unpunctuated_headline_is_no_title(head):
    """#26: an untuned story's page was titled "Current News", an air crash's "logo", over the
    real headline: a line with no sentence's end, which an abbreviation's full stop ("Gov.")
    kept from reading as a heading."""
    headline = "Ferry strike: northern crossings stay shut until Friday, talks stall, Gov. Berg says"
    cleaned = clean(Article("a", "a.txt", f"{head}\n\n{headline}\n{STORY_START}", SourceMeta()))
    assert (cleaned.article.meta.title, cleaned.article.meta.title_inferred) == (headline, False)


def test_a_short_heading_over_a_sentence_stays_the_title():
    """The line under a short heading ends as a sentence does: it is the story, not a headline."""
    cleaned = clean(Article("a", "a.txt", f"## Ferry strike\n{STORY_START}", SourceMeta()))
    assert cleaned.article.meta.title == "Ferry strike"


# --- fast paths of the per-article cost, each against the plain computation --------------------
HOSTILE_PIECES = ["the", "The", "THE", "of", "a", "an", "is", "it", "its", "İt", "İS", "\u212a", "tas\u212a",
                  "Σ", "ΣΑΣ", "ς", "’", "“", "”", "é", "É", "²", "_", "1", "9", " ", "  ", "\n", "\t", "\u00a0",
                  "\u2028", "\u0307", "—", "中文", "ǅ", "ﬁ", "ẞ", "ſ", "ı", "-", ".", "<b>", "&amp;", "x" * 120,
                  "\x80", "\x00", "\ud800", "🙂", "word", "WORDS"]


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(HOSTILE_PIECES), max_size=60).map("".join),
                 st.text(max_size=300)))
@example("")
@example("İt is the Kelvin \u212a and ΣΑΣ’s " * 40)
@example("\ud800the of")
def test_the_function_word_count_is_the_pattern_s(text):
    """function_word_count, in UTF-8 bytes, against the words the pattern finds in the lowered text."""
    from generator.clean import ENGLISH_FUNCTION_WORDS, function_word_count

    words = re.findall(r"[^\W\d_]+", text.lower())
    assert function_word_count(text) == (len(words), sum(w in ENGLISH_FUNCTION_WORDS for w in words))


SPIN_PIECES = ["settlement", "Settlement", "SETTLEMENT", "army workouts", "Army  workouts", "go to", "go-to", "extra",
               "extraordinary", "the 2 nations", "café", "CAFÉ", "İ", "\u212a", "kilo", "ſ", "ς", "Σ", *HOSTILE_PIECES]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(SPIN_PIECES), max_size=40).map("".join), st.booleans()),
                max_size=4),
       st.lists(st.sampled_from(["settlement", "Army Workouts", "go to", "extra", "café", "CAFÉ", "İ", "ı",
                                 "\u212a", "k", "s", "ſ", "σ", "x" * 120, "-"]), max_size=6, unique=True),
       st.integers(0, 3), st.sampled_from([0.0, 4.0, 50.0]))
def test_spin_detection_is_what_it_was_on_the_lowered_text(texts, phrases, min_distinct, threshold):
    """detect_spin, which looks for phrases in ASCII-lowered bytes first, against its plain form."""
    from generator.config import SpinDetection, SpinSignature
    from generator.model import Block, SpinEvidence

    blocks = tuple(Block(text, is_heading=heading) for text, heading in texts)
    spin = SpinDetection([SpinSignature(p, "m") for p in phrases], threshold, min_distinct)
    text = " ".join(b.text for b in blocks if not b.is_heading).lower()
    words = max(1, len(text.split()))
    evidence = []
    for signature in spin.signatures:
        count = len(re.findall(rf"(?<![\w-]){re.escape(signature.phrase.lower())}(?![\w-])", text))
        if count:
            evidence.append(SpinEvidence(signature.phrase, signature.meaning, count))
    total = sum(e.count for e in evidence)
    expected = tuple(sorted(evidence, key=lambda e: (-e.count, e.phrase))) \
        if len(evidence) >= min_distinct and total * 1000 / words >= threshold else ()
    assert detect_spin(blocks, spin) == expected


def reference_paragraph_blocks(line: str, removed: Counter) -> list:
    """_paragraph_blocks with each sentence's tests only, none on the whole line first."""
    from generator import clean as c
    from generator.model import Block

    kept: list[str] = []
    for start, end in c.sentence_spans(line):
        sentence = line[start:end]
        if ("@" in sentence and c.EMAIL.search(sentence)) or (
                c.HAS_DIGIT.search(sentence) and (c.PHONE.search(sentence) or c.STREET.search(sentence))):
            removed["contact details"] += 1
        elif (c.CALL_TO_ACTION.search(sentence) and c.is_call(sentence)) \
                or (c.APP_OR_BRIEF_PROMO.match(sentence) and not c.REPORTED.search(sentence)):
            removed["call to comment or subscribe"] += 1
        elif c.OUTLET_NOTICE.search(sentence) and c.is_notice(sentence):
            removed["notice to readers"] += 1
        elif c.URL.search(sentence):
            removed["link"] += 1
        else:
            kept.append(sentence)
    if not kept:
        return []
    trailing: str | None = None
    if len(kept) > 1 and c.looks_like_heading_line(kept[-1]) and c.is_title_like(kept[-1]):
        trailing = kept.pop()
        if c.AGENCY_ALONE.match(trailing):
            removed["image caption"] += 1
            trailing = None
    spans, cursor = [], 0
    for sentence in kept:
        spans.append((cursor, cursor + len(sentence)))
        cursor += len(sentence) + 1
    blocks = [Block(" ".join(kept), spans=tuple(spans))]
    if trailing:
        blocks.append(c._heading(trailing))
    return blocks


PARAGRAPH_SENTENCES = [
    "The port reopened on Monday.", "Write to jane@example.com for details.", "Call 555-123-4567 now.",
    "It sits at 12 Harbour Road today.", "Subscribe to our newsletter.", "Let us know in the comments below.",
    "Please get our free app for alerts.", "Download the Ledger app today.", "İnstall our app now.",
    "ıNSTALL the app.", "Readers of paid newsletters fell.", "Get it in your inbox.", "Read our privacy policy.",
    "The privacy policy changed, officials said.", "More at https://example.com/x.", "See WWW.example.org.",
    "The www of it.", "Σ ΑΣ. Σ", "It rose 5%.", "Trade Talks Resume In Geneva", "— Reuters", "Yes!", "Why?",
    "“Quoted,” he said.", "SUBSCRIBE", "ſubscribe today.", "\u212anow it.", "x" * 120, "<b>Bold</b>", "&amp;", "_",
    "٣ people came."]
SAFE_HOSTILE_PIECES = [p for p in HOSTILE_PIECES if p != "\ud800"]  # the segmenter's encoder refuses a lone surrogate


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(PARAGRAPH_SENTENCES), max_size=8).map(" ".join),
                 st.lists(st.sampled_from([*PARAGRAPH_SENTENCES, *SAFE_HOSTILE_PIECES]), max_size=12).map("".join),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=200)))
@example("Subscribe to our newsletter. Write to jane@example.com. Call 555-123-4567. See https://x.org.")
@example("The port reopened. İnstall our app now.")
def test_a_paragraph_s_sentences_are_dropped_as_each_sentence_s_tests_alone_drop_them(line):
    """The tests on the whole line that stand before each sentence's, and the first-letter test
    before APP_OR_BRIEF_PROMO, hide no match."""
    from generator.clean import _paragraph_blocks

    removed: Counter = Counter()
    expected_removed: Counter = Counter()
    assert _paragraph_blocks(line, removed) == reference_paragraph_blocks(line, expected_removed)
    assert removed == expected_removed


def test_the_promotion_s_first_letters_are_all_that_ignorecase_reads_as_its_words_first():
    """Every character re's IGNORECASE reads as p, g, d, i or r (searched over all of Unicode at
    once) is in PROMO_FIRST_LETTERS, and opens a promotion as that letter would."""
    import sys

    from generator.clean import APP_OR_BRIEF_PROMO, PROMO_FIRST_LETTERS

    every_character = "".join(map(chr, range(sys.maxunicode + 1))).encode("utf-8", "surrogatepass")
    readable = every_character.decode("utf-8", "replace")
    assert set(re.findall(r"(?i)[pgdir]", readable)) == set(PROMO_FIRST_LETTERS)
    rest = {"p": "lease get our app", "g": "et our app", "d": "ownload our app", "i": "nstall our app",
            "r": "eceive our app"}
    for char in PROMO_FIRST_LETTERS:
        letter = next(k for k in rest if re.fullmatch(f"(?i){k}", char))
        assert APP_OR_BRIEF_PROMO.match(char + rest[letter])


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(st.sampled_from([".", "!", "?", "…", '"', "”", "’", "'", ")", "]", "[", "(", "“", "\n", "\r",
                                           " ", "a", "A", "1", ",", ";", ":", "x" * 120, "é", "\u2028", "…\n"]),
                          max_size=12).map("".join),
                 st.text(max_size=100)))
@example("")
@example("\n")
@example("It ended.\n")
@example("It ended.\n\n")
@example("It ended.”)\n")
def test_the_end_test_finds_what_terminal_finds(text):
    from generator.clean import TERMINAL, ends_with_a_stop

    assert ends_with_a_stop(text) == (TERMINAL.search(text) is not None)
