"""The benchmark (`make bench`, docs/benchmarks.md): a bulk generator of a realistic registry
(`data.py`, run by `manage.py bench_data`) and a load generator that measures every page against
the login page on gunicorn (`run.py`, `python -m umusocial.bench.run`)."""
