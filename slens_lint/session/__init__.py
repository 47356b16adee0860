"""A command run around the engine: the settings of each file, the cache, fixes, baselines and the report (`check` now, the review too)."""
