"""The digests that make Rasa's training cache retrain our components (bot/fingerprints.py): they change
with the component's own code, the shared text code and its data, so a cached model never outlives them."""

from pathlib import Path

from bot import fingerprints, safety_model


def test_a_digest_follows_the_code_and_the_data(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.yml").write_text("x: 1", encoding="utf-8")
    first = fingerprints.of_code("safety_model.py", data=tmp_path)
    assert first == fingerprints.of_code("safety_model.py", data=tmp_path)
    assert first != fingerprints.of_code("intent_model.py", data=tmp_path)
    (tmp_path / "a.yml").write_text("x: 2", encoding="utf-8")
    assert fingerprints.of_code("safety_model.py", data=tmp_path) != first
    before = safety_model.fingerprint()
    shared = tmp_path / "bot"
    shared.mkdir()
    for name in ("safety_model.py", "intent_model.py", *fingerprints.SHARED):
        (shared / name).write_bytes((fingerprints.HERE / name).read_bytes())
    monkeypatch.setattr(fingerprints, "HERE", shared)
    assert safety_model.fingerprint() == before
    (shared / "embeddings.py").write_text("# another embedder", encoding="utf-8")
    assert safety_model.fingerprint() != before
