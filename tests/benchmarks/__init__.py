"""On-demand benchmarks (not collected by the test run): `python -m tests.benchmarks`."""
