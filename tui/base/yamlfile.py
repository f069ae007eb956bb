"""YAML from outside (front matter, cluster.yaml, keymaps): safe types, no aliases, and the
problem said as a line and column a person can find."""

from __future__ import annotations

import yaml

from .gate import strip_control


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases: a few hundred bytes of nested aliases ("billion
    laughs") expand into gigabytes for whatever walks the result, and no file of ours needs them."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed",
                                              self.peek_event().start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str):
    """YAML from outside (front matter, cluster.yaml, keymaps): through the same gate as article
    text first (PyYAML refuses a whole file for one escape character), then safe types only,
    no aliases."""
    return yaml.load(strip_control(text), Loader=_NoAliasLoader)


def yaml_problem(error: yaml.YAMLError) -> str:
    """Where and what: the line where the broken construct starts (context), else the problem's."""
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    parts = [p for p in (getattr(error, "context", None), getattr(error, "problem", None)) if p]
    problem = ": ".join(parts) or str(error).splitlines()[0]
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return problem
