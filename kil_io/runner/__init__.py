"""Running case studies in batch.

The case list (:mod:`~kil_io.runner.caselist`), papermill runs that never lose a result
(:mod:`~kil_io.runner.batch`) and a Dask cluster (:mod:`~kil_io.runner.distributed`).
"""
