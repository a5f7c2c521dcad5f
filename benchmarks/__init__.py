"""Benchmarks of kil_io against the LAPACK limit and pymrio, measured side by side in one run.

Run ``python -m benchmarks`` (or ``make bench``) from the repository root; it writes
``benchmarks/RESULTS.md``. ``python -m benchmarks --smoke`` runs the same code at tiny
sizes in seconds (``make bench-smoke`` does so). See ``python -m benchmarks --help``.

Every measurement runs in a fresh worker process (:mod:`benchmarks.worker`), so that its
peak memory is its own and no cache survives from one method to the next; the three
methods of a size receive identical inputs (the same seed) and their results are
compared before any time is reported.
"""
