"""The pipeline's own helpers (the stages have their own test modules)."""

from __future__ import annotations

import dataclasses
import pickle
from collections import Counter


def test_an_encoded_result_decodes_to_the_result_with_its_counts(config):
    from generator.ingest import ingest
    from generator.pipeline import Analysers, EncodedResult, analyse_article
    from tests.conftest import SEEDS

    analysers = Analysers.from_config(config)
    for article in ingest(SEEDS).articles:
        result = analyse_article(article, config, analysers)
        encoded = EncodedResult.of(result)
        assert encoded.decode() == result
        assert result.phrases is not None and result.phrases.sentence_frequency  # the counts came back
        assert pickle.loads(encoded.entry).phrases.sentence_frequency == Counter()  # not kept in the entry


def test_a_decoded_result_defers_its_sources_text_until_asked_for(config):
    from generator.ingest import ingest
    from generator.pipeline import Analysers, EncodedResult, analyse_article
    from tests.conftest import SEEDS

    article = ingest(SEEDS).articles[0]
    result = analyse_article(article, config, Analysers.from_config(config))
    assert result.source is not None
    decoded = EncodedResult.of(result).decode().source
    assert decoded is not None and decoded.content.is_deferred  # still pickled
    # What a rebuild reads of every source is there without unpickling the text.
    assert decoded.sentence_count == result.source.sentence_count == len(result.source.sentences)
    assert (decoded.id, decoded.meta, decoded.flags, decoded.is_spun) == \
        (result.source.id, result.source.meta, result.source.flags, result.source.is_spun)
    assert decoded.content.is_deferred
    assert result.on_topic and {s.id for s in result.on_topic} == {sid for sid, _ in result.scores}
    # Asked for, the text is unpickled once and is the source's own.
    assert decoded.sentences == result.source.sentences and decoded.blocks == result.source.blocks
    assert not decoded.content.is_deferred and decoded == result.source
    # The frozen source itself never changed: only its text holder unpickled what it held.
    assert set(vars(decoded)) == {f.name for f in dataclasses.fields(decoded)}
    assert pickle.loads(pickle.dumps(EncodedResult.of(result).decode())) == result
    twice = EncodedResult.of(result).decode().source
    assert twice is not None and twice.deferred().deferred() == result.source  # deferring a deferred source
    for missing in ("nothing", "__setstate__"):
        assert not hasattr(decoded, missing)


def test_a_damaged_deferred_text_is_a_clear_error_naming_the_file(config):
    import pytest

    from generator.ingest import ingest
    from generator.model import DeferredTextError
    from generator.pipeline import Analysers, analyse_article
    from tests.conftest import SEEDS

    article = ingest(SEEDS).articles[0]
    source = analyse_article(article, config, Analysers.from_config(config)).source
    assert source is not None
    deferred = source.deferred()
    pickled = deferred.content.pickled()
    assert isinstance(pickled, bytes)
    damaged = deferred.with_text(pickled[:40])
    with pytest.raises(DeferredTextError, match=f"{article.filename}: its cached text cannot be read"):
        _ = damaged.sentences


def point(text: str, score: float, independent: int = 1):
    from generator.model import Citation, KeyPoint
    return KeyPoint(text, (Citation("a", f"s{score}"),), score, independent, independent)


def test_a_topic_s_lead_reads_alone_while_a_point_near_the_top_does():
    from generator.pipeline import lead_of
    pointing_back = point("He put the first phase at up to 2 billion cubic metres a year.", 3.0)
    alone = point("Gas from Russia will reach Iran through Azerbaijan from next year, the minister said.", 2.5)
    lower = point("Iran's gas minister called the deal a turning point.", 2.0)
    assert lead_of([pointing_back, alone, lower], 1) == (alone,)
    assert lead_of([pointing_back, alone, lower], 2) == (alone, lower)
    # Only points near the top may lead: with none that reads alone there, the best one leads.
    assert lead_of([pointing_back, point("They agreed on a price.", 2.9), alone], 1) == (pointing_back,)


def test_what_points_back_and_what_reads_alone():
    pointing = ["They accept that more capacity can help.", "It is unclear what caused the fault.",
                "Nothing justified holding the ship any longer, he said.",
                "Part of the reason, they said, was that the claim had been withdrawn.",
                "The sale would go ahead by the end of the year, it said.",
                "This is not the first time the ship has been held.", "That repost sent the shares down 6%.",
                "His ministry said the line would open in 2027.", "It's the third outage this year.",
                "That day, police closed the harbour.", "That year the fleet doubled.", "Those talks collapsed."]
    alone = ["This month the 27 governments blacklisted 50 more tankers.", "Thessaloniki's port reopened on Monday.",
             "Italy and Hezbollah were not named.", "Those who were stranded were rescued by 9 p.m.",
             "Theirs was the only airline still flying.", "This Friday the dockers' union will strike.",
             "This March, voters go to the polls.", "Those affected can claim compensation.",
             "Those in the north were hit hardest.", "His Majesty's Government will publish the report.",
             "Flores said he would file a complaint, and said she agreed."]
    assert [text for text in pointing if not point(text, 1.0).needs_context] == []
    assert [text for text in alone if point(text, 1.0).needs_context] == []
