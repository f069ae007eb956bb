"""What a newcomer meets first: the tool's own help, its version, and the reader explaining itself."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from tui.cli import COMMANDS


def broadsheet(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=ROOT, capture_output=True,
                          text=True, input=stdin, timeout=120)


def test_help_lists_every_command_with_an_example():
    result = broadsheet("--help")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    for command in COMMANDS:
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(command + " "))
        assert lines[at + 1].strip().startswith(f"e.g. broadsheet {command}")


def test_each_command_help_ends_with_an_example():
    for command in COMMANDS:
        result = broadsheet(command, "--help")
        assert result.returncode == 0
        assert result.stdout.rstrip().splitlines()[-1].startswith(f"example: broadsheet {command}")


def test_version():
    result = broadsheet("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("broadsheet ") and result.stdout.split()[1][0].isdigit()


def test_search_without_a_query_asks_for_the_query_not_a_path():
    result = broadsheet("search")
    assert result.returncode == 2
    assert "QUERY" in result.stderr and "PATH, " not in result.stderr and "required: PATH" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
