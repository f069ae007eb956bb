"""The core and the scripting commands must run without the UI toolkit."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_core_modules_do_not_import_textual():
    modules = sorted(p.stem for p in (ROOT / "tui" / "core").glob("*.py") if p.stem != "__init__")
    code = (
        "import sys, importlib\n"
        f"for name in {modules!r}: importlib.import_module('tui.core.' + name)\n"
        "import tui.cli\n"
        "tui.cli.main(['articles', '--json'])\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
