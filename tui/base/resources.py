"""Where the bundled seeds and keymaps are (inside the installed package, or in a checkout),
and which version is installed."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE / name  # wheels carry them inside the package
    return installed if installed.is_dir() else _PACKAGE.parent / name  # a source checkout


def seeds_dir() -> Path:
    return _bundled("seeds")


def keymaps_dir() -> Path:
    return _bundled("keymaps")


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version("broadsheet")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"
