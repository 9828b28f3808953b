"""Benchmarks that print a table; run with `make bench` (python -m bench)."""
