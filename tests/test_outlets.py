"""Outlet names from web addresses, and the short labels citations show."""

from __future__ import annotations

import pytest

from generator.outlets import outlet_from_url, short_name, source_labels


@pytest.mark.parametrize(("url", "name"), [
    ("https://www.tehrantimes.com/news/509874/x", "Tehran Times"),
    ("https://meridian-wire.test/business/2025/03/04/x", "Meridian Wire"),
    ("https://news.bbc.co.uk/2/hi/x.stm", "BBC"),
    ("https://www.channelnewsasia.com/east-asia/x", "CNA"),
    ("https://harbourfinancialdaily.test/a", "Harbour Financial Daily"),
    ("https://stratheia.com/x", "Stratheia"),
    ("http://127.0.0.1/x", None),
    ("not a url", None),
    (None, None),
])
def test_outlet_from_url(url, name):
    assert outlet_from_url(url) == name


def test_short_names_and_labels():
    assert short_name("The Tehran Times") == "Tehran Times"
    assert short_name("The South China Morning Post Weekend Edition") == "South China Morning…"
    assert source_labels(["Tehran Times", None, "The Tehran Times", " "]) == \
        ["Tehran Times", "Source 2", "Tehran Times 2", "Source 4"]


def test_cleaning_names_the_publisher_from_the_url_unless_the_metadata_does():
    from generator.clean import clean
    from generator.model import Article, SourceMeta

    body = "Treaty signed in Moscow\n\nIran and Russia signed a treaty on Friday at the Kremlin in Moscow.\n"
    found = clean(Article("a", "a.txt", body, SourceMeta(url="https://www.tehrantimes.com/news/1"))).article.meta
    assert (found.publisher, found.publisher_from) == ("Tehran Times", "url")
    assert (found.title, found.title_inferred) == ("Treaty signed in Moscow", False)
    given = clean(Article("a", "a.txt", body, SourceMeta(publisher="Daily", url="https://x.example/a"))).article.meta
    assert (given.publisher, given.publisher_from) == ("Daily", None)
