"""``make bench``: the collection measured against the twin's cost model (docs/performance.md)."""
