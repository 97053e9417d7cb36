"""Benchmarks of the read path at scale, beside Datasette; run by hand, never by the test suite."""
