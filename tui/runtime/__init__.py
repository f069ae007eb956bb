"""Keeping the reader quick: the alignment helper process that aligns ahead of the reader, and
the background warm-up of the engine's imports."""
