"""The dependency arrows point inward, and importing footcoach does no heavy work."""

import subprocess
import sys

from importlinter.cli import lint_imports


def test_import_linter_contracts_hold():
    assert lint_imports() == 0


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_the_domain_imports_only_the_standard_library():
    loaded = _modules_after(
        "import footcoach.domain.catalog, footcoach.domain.evidence, footcoach.domain.wording"
    )
    third_party = {m.split(".")[0] for m in loaded} & {
        "sqlalchemy",
        "pydantic",
        "typer",
        "rich",
        "fastapi",
        "starlette",
        "jinja2",
        "click",
    }
    assert third_party == set()


def test_importing_the_cli_loads_neither_pydantic_nor_the_catalog():
    loaded = _modules_after("import footcoach.cli.app")
    assert "pydantic" not in loaded
    assert "footcoach.adapters.catalog_files" not in loaded
    assert "footcoach.bootstrap" not in loaded
