"""YAML from outside (front matter, cluster.yaml, keymaps): safe types, no aliases, a bounded
depth, values that cannot be built kept as written, and the problem said as a line and column
a person can find."""

from __future__ import annotations

import yaml

from .gate import strip_control

MAX_DEPTH = 64  # sequences and mappings inside each other; no file of ours needs a tenth of it


class _SafeLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases and deep nesting. Aliases: a few hundred bytes of
    nested aliases ("billion laughs") expand into gigabytes for whatever walks the result, and
    no file of ours needs them. Depth: PyYAML builds nested collections by recursion, so ten
    thousand '[' end in a RecursionError instead of a message."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", self.peek_event().start_mark
            )
        return super().compose_node(parent, index)

    def compose_sequence_node(self, anchor):
        self._enter()
        try:
            return super().compose_sequence_node(anchor)
        finally:
            self._depth -= 1

    def compose_mapping_node(self, anchor):
        self._enter()
        try:
            return super().compose_mapping_node(anchor)
        finally:
            self._depth -= 1

    def _enter(self) -> None:
        if self._depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark
            )
        self._depth += 1


def _as_written_when_impossible(construct):
    """A scalar that looks like a date or a number but cannot be one (2019-02-30, month 13, year
    0, an offset of 99 hours, an integer of 5000 digits, `!!bool maybe`) stays the text it was:
    one odd value must not cost the whole file."""

    def lenient(loader: yaml.SafeLoader, node: yaml.Node):
        try:
            return construct(loader, node)
        except (ValueError, OverflowError, KeyError, AttributeError):
            return loader.construct_scalar(node)  # type: ignore[arg-type]  # a scalar tag's node

    return lenient


for _kind in ("timestamp", "int", "float", "bool"):
    _tag = f"tag:yaml.org,2002:{_kind}"
    _SafeLoader.add_constructor(_tag, _as_written_when_impossible(yaml.SafeLoader.yaml_constructors[_tag]))


def load_yaml(text: str):
    """YAML from outside (front matter, cluster.yaml, keymaps): through the same gate as article
    text first (PyYAML refuses a whole file for one escape character), then safe types only,
    no aliases, at most MAX_DEPTH levels."""
    return yaml.load(strip_control(text), Loader=_SafeLoader)


def yaml_problem(error: yaml.YAMLError) -> str:
    """Where and what: the line where the broken construct starts (context), else the problem's."""
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    parts = [p for p in (getattr(error, "context", None), getattr(error, "problem", None)) if p]
    problem = ": ".join(parts) or str(error).splitlines()[0]
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return problem
