"""The layering is a contract: the core runs without the UI toolkit, and its stages import
only downwards (ingest -> base <- engine -> output; desk and runtime beside them)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tui"

# Which stages each stage may import (besides itself). The UI and the CLI sit on top of all.
ALLOWED = {
    "base": set(),
    "ingest": {"base"},
    "engine": {"base"},
    "desk": {"base"},
    "output": {"base", "ingest", "engine"},
    "runtime": {"base", "engine"},
}
CORE = sorted(ALLOWED)


def core_modules() -> list[str]:
    return sorted(f"tui.{stage}.{p.stem}" for stage in CORE for p in (PACKAGE / stage).glob("*.py"))


def imported_stages(path: Path, stage: str) -> set[tuple[int, str]]:
    """(line, stage) for every import of a tui stage in this file, lazy ones included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = ["tui", stage][: 2 - (node.level - 1)] + (node.module.split(".") if node.module else [])
            else:
                parts = (node.module or "").split(".")
            if parts[0] == "tui" and len(parts) > 1:
                found.add((node.lineno, parts[1]))
            elif parts == ["tui"]:
                found.update((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "tui" and len(parts) > 1:
                    found.add((node.lineno, parts[1]))
                if parts[0] == "textual":
                    found.add((node.lineno, "textual"))
    return found


def test_stages_import_only_downwards():
    wrong = []
    for stage in CORE:
        for path in sorted((PACKAGE / stage).glob("*.py")):
            for line, target in sorted(imported_stages(path, stage)):
                if target != stage and target not in ALLOWED[stage]:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports tui.{target}")
    assert not wrong, "\n".join(wrong)


def test_every_stage_says_what_lives_there():
    for stage in CORE:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 10, stage


def test_the_contract_catches_a_wrong_import(tmp_path):
    """The check itself can fail: an engine module importing ingest is reported."""
    probe = tmp_path / "probe.py"
    probe.write_text("from ..ingest.formats import decode\nfrom ..base.model import Article\n")
    assert {target for _, target in imported_stages(probe, "engine")} == {"ingest", "base"}


def test_core_modules_do_not_import_textual():
    code = (
        "import sys, importlib\n"
        f"for name in {core_modules()!r}: importlib.import_module(name)\n"
        "import tui.cli\n"
        "tui.cli.main(['articles', '--json'])\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
