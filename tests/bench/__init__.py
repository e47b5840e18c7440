"""Benchmarks, run by `make bench` (`python -m tests.bench`), never collected by pytest.

Each `bench_*.py` module has `run()`, which returns rows of (metric, value); the runner sets up a
fresh SQLite database, calls every module and prints one table.
"""
