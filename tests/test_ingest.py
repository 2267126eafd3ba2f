from __future__ import annotations

import pytest

from generator.config import ConfigError
from generator.ingest import SeedsError, assign_ids, decode, ingest, slugify

BODY = "Russia and Iran signed a treaty on energy cooperation in Moscow.\n"


def test_seeds_are_read_in_file_name_order(tmp_path):
    from tests.conftest import SEEDS
    result = ingest(SEEDS)
    assert [a.filename for a in result.articles] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert result.articles[0].id == "000-8ef2ae2a9f39daab"
    assert result.warnings == ()


def test_front_matter_supplies_metadata(corpus):
    seeds = corpus({"a.md": "---\ntitle: A title\npublisher: Daily\nurl: https://example.org/a\n"
                            "published: 2025-01-17\nlanguage: en\n---\n" + BODY})
    (article,) = ingest(seeds).articles
    assert article.meta.title == "A title"
    assert article.meta.publisher == "Daily"
    assert article.meta.url == "https://example.org/a"
    assert article.meta.published == "2025-01-17"
    assert article.text == BODY


def test_sources_yml_wins_over_front_matter_and_unknowns_stay_empty(corpus):
    seeds = corpus({"a.txt": "---\ntitle: From front matter\n---\n" + BODY,
                    "sources.yml": "a.txt:\n  title: From sources.yml\n"})
    (article,) = ingest(seeds).articles
    assert article.meta.title == "From sources.yml"
    assert article.meta.publisher is None and article.meta.url is None and article.meta.published is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org/a", "https://x.org/\"onmouseover=1", "not a url"])
def test_unsafe_urls_in_front_matter_are_dropped_with_a_warning(corpus, url):
    seeds = corpus({"a.txt": f"---\nurl: '{url}'\n---\n" + BODY})
    result = ingest(seeds)
    assert result.articles[0].meta.url is None
    assert any(w.filename == "a.txt" and "url" in w.reason for w in result.warnings)


def test_bad_sources_yml_is_fatal_and_names_the_key(corpus):
    seeds = corpus({"a.txt": BODY, "sources.yml": "a.txt:\n  titel: x\n  published: yesterday\n"})
    with pytest.raises(ConfigError) as err:
        ingest(seeds)
    text = str(err.value)
    assert "sources.yml" in text and "a.txt.unknown key 'titel'" in text and "yesterday" in text


def test_invalid_yaml_in_sources_yml_names_the_line(corpus):
    seeds = corpus({"a.txt": BODY, "sources.yml": "a.txt:\n  title: [unclosed\n"})
    with pytest.raises(ConfigError, match="line"):
        ingest(seeds)


def test_missing_seeds_folder_is_fatal(tmp_path):
    with pytest.raises(SeedsError, match="seeds folder not found"):
        ingest(tmp_path / "nope")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "", "empty"),
        ("blank.txt", "  \n\t\n", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_unusable_files_are_skipped_with_a_warning(corpus, name, content, reason):
    seeds = corpus({name: content, "ok.txt": BODY})
    result = ingest(seeds)
    assert [a.filename for a in result.articles] == ["ok.txt"]
    assert any(w.filename == name and reason in w.reason for w in result.warnings)


def test_encodings_are_decoded_without_mojibake():
    text = "Tehran’s “new” café — 5 €"
    assert decode(text.encode("utf-16"))[0] == text
    assert decode(b"\xef\xbb\xbf" + text.encode())[0] == text
    decoded, note = decode(text.encode("cp1252"))
    assert decoded == text and "Windows-1252" in note


def test_crlf_and_control_characters_are_normalised(corpus):
    seeds = corpus({"a.txt": b"First line.\r\nSecond\x07 line.\r\n"})
    assert ingest(seeds).articles[0].text == "First line.\nSecond line.\n"


def test_non_article_files_are_reported_not_read(corpus):
    seeds = corpus({"a.txt": BODY, "notes.docx": b"PK..."})
    result = ingest(seeds)
    assert [a.filename for a in result.articles] == ["a.txt"]
    assert any(w.filename == "notes.docx" for w in result.warnings)


def test_ids_are_slugs_unique_and_cannot_escape(tmp_path):
    names = ["A b.txt", "a-b.md", "../../etc.txt", "index.txt", "ÄÖ.txt", "...txt"]
    paths = [tmp_path / n for n in names]
    ids = assign_ids(sorted(paths, key=lambda p: p.name))
    assert len(set(ids.values())) == len(names)
    for value in ids.values():
        assert value and value != "index" and all(c.isalnum() or c == "-" for c in value)
    assert slugify("ÄÖ") == "ao"
