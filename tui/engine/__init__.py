"""What Broadsheet finds in articles: sentence alignment (align) and its results (pairs, facts),
average linkage and sparse-row helpers they share, the story finder, quotes and speakers,
fuzzy search."""
