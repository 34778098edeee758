"""The import benchmark runs end to end on a few days of data (no timing is asserted)."""

import json

from bench import imports


def test_import_benchmark_restores_everything_it_made():
    result = imports.run(repeats=1, days=10)
    assert result["backup"]["rows"]["checkins"] == 10
    assert result["backup"]["rows"]["session_items"] == 10 * 3 * imports.ITEMS
    sqlite = result["databases"]["sqlite"]
    assert sqlite["all_written"] is True
    assert sqlite["restore_s"] and sqlite["whole_s"]
    postgresql = result["databases"]["postgresql"]
    assert "skipped" in postgresql or postgresql["all_written"] is True
    assert imports.summary(result)
    json.dumps(result)
