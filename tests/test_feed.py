"""The RSS and JSON feeds of the topic pages, read back with a real XML parser."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
import yaml

from generator.pipeline import build
from generator.render import build_date, feed_description, render_pages
from tests.conftest import CONFIG, MKDOCS_YML, SEEDS

EPOCH = 1735689600  # 2025-01-01 00:00:00 UTC
SITE_URL = "https://briefing.example/sub/"
TOPICS = ["energy", "finance-de-dollarization", "defense", "north-south-corridor", "western-reactions"]


@pytest.fixture(scope="module")
def feed_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("feed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        patch.setenv("SITE_URL", SITE_URL)
        result = build(SEEDS, out / "docs", CONFIG, site=out / "site", mkdocs_yml=MKDOCS_YML)
    return out, result


def rfc822(text: str | None) -> datetime:
    """An RFC 822 date as an aware datetime; "-0000" (UTC, as the channel's dates are written) reads as naive."""
    when = parsedate_to_datetime(text or "")
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def test_rss_feed_is_valid_rss_2(feed_build):
    out, _ = feed_build
    root = ET.parse(out / "site" / "feed_rss_created.xml").getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channels = root.findall("channel")
    assert len(channels) == 1
    channel = channels[0]
    # Required channel elements (RSS 2.0): title, link, description.
    assert channel.findtext("title") and channel.findtext("description")
    assert channel.findtext("link") == SITE_URL
    for element in ("pubDate", "lastBuildDate"):
        assert rfc822(channel.findtext(element)) == datetime.fromtimestamp(EPOCH, UTC)
    # An <image> needs a loadable URL and the channel's own title and link.
    image = channel.find("image")
    if image is not None:
        assert absolute(image.findtext("url")) and image.findtext("url", "").startswith(SITE_URL), image.findtext("url")
        assert image.findtext("title") == channel.findtext("title")
        assert image.findtext("link") == channel.findtext("link")
    items = channel.findall("item")
    assert len(items) == len(TOPICS)
    for item in items:
        # An item needs a title or a description; these have both, a permalink guid and a date.
        assert item.findtext("title") and item.findtext("description")
        assert absolute(item.findtext("link")) and item.findtext("link", "").startswith(SITE_URL + "topics/")
        guid = item.find("guid")
        assert guid is not None and guid.get("isPermaLink") == "true" and guid.text == item.findtext("link")
        assert rfc822(item.findtext("pubDate")) == datetime.fromtimestamp(EPOCH, UTC)


def test_feed_items_carry_each_topics_lead_as_plain_text(feed_build):
    out, result = feed_build
    leads = {t.title: " ".join(p.text for p in t.lead) for t in result.briefing.topics}
    root = ET.parse(out / "site" / "feed_rss_created.xml").getroot()
    for item in root.iter("item"):
        description = item.findtext("description") or ""
        # The description is HTML (entity-encoded in the XML): the lead, with nothing to render but text.
        assert html.unescape(description) == " ".join(leads[item.findtext("title")].split())
        assert "<" not in description and "!!!" not in description and "In brief" not in description


def test_json_feed_has_the_same_items_dated_by_source_date_epoch(feed_build):
    out, _ = feed_build
    feed = json.loads((out / "site" / "feed_json_created.json").read_text(encoding="utf-8"))
    assert [urlsplit(item["url"]).path.split("/")[-2] for item in feed["items"]] == sorted(TOPICS)
    for item in feed["items"]:
        assert datetime.fromisoformat(item["date_published"]) == datetime.fromtimestamp(EPOCH, UTC)
        assert "<" not in item["content_html"]


def test_feed_is_the_same_in_two_builds(tmp_path, feed_build):
    out, _ = feed_build
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        patch.setenv("SITE_URL", SITE_URL)
        build(SEEDS, tmp_path / "docs", CONFIG, site=tmp_path / "site", mkdocs_yml=MKDOCS_YML)
    for name in ("feed_rss_created.xml", "feed_rss_updated.xml", "feed_json_created.json"):
        assert (tmp_path / "site" / name).read_bytes() == (out / "site" / name).read_bytes(), name


def test_topic_pages_carry_the_build_date_only_from_source_date_epoch(seeds_briefing, config, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    front = yaml.safe_load(render_pages(seeds_briefing, config)["topics/energy.md"].split("---\n")[1])
    assert front["date"] == datetime.fromtimestamp(EPOCH, UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    front = yaml.safe_load(render_pages(seeds_briefing, config)["topics/energy.md"].split("---\n")[1])
    assert "date" not in front
    assert front["description"] == feed_description(seeds_briefing.topics[0])


@pytest.mark.parametrize(("value", "expected"), [
    ("1735689600", "2025-01-01T00:00:00Z"), ("0", "1970-01-01T00:00:00Z"), ("", None), ("soon", None),
    ("-5", None), ("1.5", None),
])
def test_build_date_reads_only_a_whole_source_date_epoch(value, expected):
    assert build_date({"SOURCE_DATE_EPOCH": value}) == expected
    assert build_date({}) is None


def test_feed_description_is_html_escaped_plain_text(seeds_briefing):
    topic = seeds_briefing.topics[0]
    lead = (dataclasses.replace(topic.lead[0], text='He said "<b>no</b>" & left.\n  Then'),)
    expected = "He said &quot;&lt;b&gt;no&lt;/b&gt;&quot; &amp; left. Then"
    assert feed_description(dataclasses.replace(topic, lead=lead)) == expected
    assert feed_description(dataclasses.replace(topic, lead=())) == html.escape(topic.description)


def test_topic_pages_describe_themselves_with_their_lead(feed_build):
    out, result = feed_build
    for topic in result.briefing.topics:
        page = (out / "site" / "topics" / topic.id / "index.html").read_text(encoding="utf-8")
        found = re.findall(r'<meta name="description" content="([^"<>]*)">', page)
        assert found == [feed_description(topic)], topic.id
