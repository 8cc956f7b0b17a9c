"""What a trained component depends on, as a short digest for its config: Rasa's training cache retrains a
component only when its config or its inputs change, not when the code it trains with does."""

from __future__ import annotations

import hashlib
from pathlib import Path

HERE = Path(__file__).parent
# The code every text model here trains with: the normalisation and the sentence embedder.
SHARED = ("text.py", "embeddings.py")


def of_code(*modules: str, data: Path | None = None) -> str:
    """A digest of these modules of `bot/` (and the shared ones), and of the YAML files in `data`."""
    digest = hashlib.sha256()
    for name in (*modules, *SHARED):
        digest.update(name.encode() + b"\0" + (HERE / name).read_bytes())
    for path in sorted(data.glob("*.yml")) if data else ():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
