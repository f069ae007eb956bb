"""Figures, not tests: each module measures one thing and prints it. Run them from the
project's root as modules, e.g. `python -m benchmarks.align_quality --split both`, so they
import `tui` and each other without editing sys.path."""
