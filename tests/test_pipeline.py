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
