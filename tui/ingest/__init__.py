"""Getting articles in: addresses and paths, HTTP fetching and its cache, web pages and feeds,
each file format's reader, the loader that walks paths, and the cleaning of scraped text into
an article's structure (blocks, sentences with character spans)."""
