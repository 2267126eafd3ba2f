"""The pipeline's own helpers (the stages have their own test modules)."""

from __future__ import annotations

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
