"""After the schema fuzzer (test_fuzz_openapi.py, which runs first): every operation got at least one
answer that is not 401 or 403, so its handler ran with the credential it needs, not only the guard."""

import pytest
from test_fuzz_openapi import SEEN, schema


def test_every_operation_was_reached_past_its_guard() -> None:
    if not SEEN:
        pytest.skip("the fuzzer did not run in this session (run tests/api/ whole)")
    operations = [f"{op.method.upper()} {op.path}" for op in (r.ok() for r in schema.get_all_operations())]
    guarded_only = {op: sorted(SEEN.get(op, ())) for op in operations if not SEEN.get(op, set()) - {401, 403}}
    assert not guarded_only, f"only ever 401/403 (or never called): {guarded_only}"
