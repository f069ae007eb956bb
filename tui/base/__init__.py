"""What every stage stands on: the article and story model (model), the one gate for untrusted
text (gate), text folding for matching (textnorm), story names (naming), safe YAML (yamlfile),
whole-or-nothing file writing (files), bundled resources, the fact hues, the GC pause."""
