"""umusocial.bench.report: the table compares each page's median between the sizes, plainly and
against the login page beside it."""

from __future__ import annotations

from umusocial.bench.report import table


def test_the_table_compares_the_sizes_plainly_and_against_the_floor():
    results = {
        10_000: {"queue": {"p50": 20.0, "floor": 4.0, "status": 200}},
        100_000: {"queue": {"p50": 30.0, "floor": 5.0, "status": 429}},
    }

    head, _rule, floor, queue = table(results)

    assert head.startswith("| page | p50 ms at 10k | ÷ floor at 10k | p50 ms at 100k |")
    assert floor == "| login page (the floor) | 4.0 | 1.0 | 5.0 | 1.0 | 1.25 | 1.00 |"
    # 30 ÷ 20 = 1.50 as measured; (30/5) ÷ (20/4) = 1.20 against the floor.
    assert queue == "| queue | 20.0 | 5.0 | 30.0 (HTTP 429) | 6.0 | 1.50 | 1.20 |"
