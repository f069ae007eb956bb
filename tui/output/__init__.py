"""What Broadsheet writes for people and scripts: the JSON documents of the scripting commands,
HTML and Markdown exports (templates), and batches over many stories."""
