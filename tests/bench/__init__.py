"""Tests of the benchmark tools (not timed: the benchmark itself lives in bench/)."""
