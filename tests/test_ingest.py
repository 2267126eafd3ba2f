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


def test_files_a_story_keeps_beside_its_articles_are_not_articles(corpus):
    """A story's briefing.yml, gold labels or README may lie in the seeds folder: never published."""
    seeds = corpus({"a.txt": BODY, "briefing.yml": "title: T\n", "LABELS.yml": "x: 1\n", "gold.yaml": "x: 1\n",
                    "README.md": "# How to add articles\n", "readme.txt": "notes\n", ".notes.md": "hidden\n",
                    "sources.yml": "a.txt:\n  publisher: Daily\n"})
    result = ingest(seeds)
    assert [a.filename for a in result.articles] == ["a.txt"]
    assert result.articles[0].meta.publisher == "Daily"
    assert result.warnings == ()


def test_briefingignore_leaves_out_what_it_names_in_gitignore_syntax(corpus):
    seeds = corpus({"a.txt": BODY, "draft-1.txt": BODY, "drafts.md": BODY, "keep.md": BODY,
                    ".briefingignore": "# not for publication\ndraft-*.txt\ndrafts.md\n*.md\n!keep.md\n"})
    assert [a.filename for a in ingest(seeds).articles] == ["a.txt", "keep.md"]


@pytest.mark.parametrize(("front", "key"), [
    ("published: 2025-17-03", "published"), ("published: 2025-02-30", "published"), ("title: [a, b]", "title"),
    ("language: {x: 1}", "language"), ("published: 12", "published")])
def test_a_malformed_front_matter_value_is_a_warning_naming_file_and_key(corpus, front, key):
    seeds = corpus({"a.md": f"---\n{front}\npublisher: Daily\n---\n" + BODY})
    result = ingest(seeds)
    (article,) = result.articles
    assert article.meta.publisher == "Daily"
    assert [w.filename for w in result.warnings] == ["a.md"]
    assert result.warnings[0].reason.startswith(f"front matter: {key}:")


def test_a_bad_date_in_sources_yml_is_an_error_naming_the_entry(corpus):
    seeds = corpus({"a.txt": BODY, "sources.yml": "a.txt:\n  published: 2025-17-03\n"})
    with pytest.raises(ConfigError) as err:
        ingest(seeds)
    assert "a.txt.published: '2025-17-03' is not a date" in str(err.value)


def test_a_seeds_folder_without_articles_is_fatal(corpus):
    seeds = corpus({"README.md": "# nothing yet\n", "notes.csv": "a,b\n"})
    with pytest.raises(SeedsError, match="no articles"):
        ingest(seeds)


def test_ids_are_slugs_unique_and_cannot_escape(tmp_path):
    names = ["A b.txt", "a-b.md", "../../etc.txt", "index.txt", "ÄÖ.txt", "...txt"]
    paths = [tmp_path / n for n in names]
    ids = assign_ids(sorted(paths, key=lambda p: p.name))
    assert len(set(ids.values())) == len(names)
    for value in ids.values():
        assert value and value != "index" and all(c.isalnum() or c == "-" for c in value)
    assert slugify("ÄÖ") == "ao"


def stream_names(stream):
    """Each item of a stream as (file name, whether it was read this time)."""
    from generator.model import Article

    return [(a.filename, isinstance(a, Article)) for a in stream]


def test_files_unchanged_since_they_were_read_are_not_read_again(corpus, monkeypatch):
    import os

    from generator import ingest as ingest_module
    from generator.ingest import ArticleStream

    seeds = corpus({"a.txt": BODY, "b.md": "---\ntitle: [unclosed\n---\n" + BODY, "c.txt": "  \n"})
    first = ArticleStream(seeds)
    assert stream_names(first) == [("a.txt", True), ("b.md", True)]
    keys = {"a": "key-a", "b": "key-b"}
    assert first.records(keys) == {}  # just written: a rewrite in the same clock tick could keep the stamp

    monkeypatch.setattr(ingest_module, "SETTLED_NS", 0)  # as if written long before the build
    settled = ArticleStream(seeds)
    list(settled)
    records = settled.records(keys)
    assert sorted(records) == ["a.txt", "b.md"]  # c.txt is empty: skipped, so not keyed
    again = ArticleStream(seeds, records)
    assert stream_names(again) == [("a.txt", False), ("b.md", False)]
    assert [a.content_key for a in ArticleStream(seeds, records)] == ["key-a", "key-b"]
    assert again.warnings == settled.warnings and any("front matter" in w.reason for w in again.warnings)
    assert again.reread(next(iter(ArticleStream(seeds, records)))).text == BODY

    # Rewritten with the same size and its modification time put back: the change time still differs.
    before = (seeds / "a.txt").stat()
    (seeds / "a.txt").write_text(BODY.replace("Moscow", "Tehran"))
    os.utime(seeds / "a.txt", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert stream_names(ArticleStream(seeds, records)) == [("a.txt", True), ("b.md", False)]
    # Metadata from sources.yml is part of what a file is; a record whose key is not the one the
    # cache gave the article this time is dropped.
    (seeds / "sources.yml").write_text("b.md:\n  title: Named\n")
    changed = ArticleStream(seeds, records)
    assert stream_names(changed) == [("a.txt", True), ("b.md", True)]
    (seeds / "sources.yml").unlink()
    unchanged = ArticleStream(seeds, records)
    assert stream_names(unchanged) == [("a.txt", True), ("b.md", False)]
    assert sorted(unchanged.records({"a": "key-a2", "b": "other"})) == ["a.txt"]


def test_a_date_key_as_static_site_generators_write_it_is_the_published_date(corpus):
    """Articles exported from Hugo or Jekyll carry `date:` (often with a time): it is the article's
    date, not an unknown key; where `published` is given too, that one is used and the clash named."""
    seeds = corpus({"a.md": "---\ndate: 2024-10-01T07:42:00-04:00\n---\n" + BODY,
                    "b.md": "---\ndate: 2024-10-02\npublished: 2024-10-03\n---\n" + BODY})
    result = ingest(seeds)
    published = {a.filename: a.meta.published for a in result.articles}
    assert published == {"a.md": "2024-10-01", "b.md": "2024-10-03"}
    assert [(w.filename, "date" in w.reason and "published" in w.reason) for w in result.warnings] == [("b.md", True)]
