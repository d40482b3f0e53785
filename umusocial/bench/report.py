"""The benchmark's table, written into docs/benchmarks.md between two markers."""

from __future__ import annotations

from pathlib import Path

START = "<!-- make bench: start -->"
END = "<!-- make bench: end -->"


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else f"{size:,}"


def table(results: dict[int, dict[str, dict]]) -> list[str]:
    sizes = sorted(results)
    small, big = sizes[0], sizes[-1]
    head = ["page"]
    for size in sizes:
        head += [f"p50 ms at {label(size)}", f"÷ floor at {label(size)}"]
    if len(sizes) > 1:
        head += [f"p50 {label(big)} ÷ {label(small)}", f"÷ floor {label(big)} ÷ {label(small)}"]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    floor = {size: _median_floor(results[size]) for size in sizes}
    lines.append(
        "| login page (the floor) | "
        + " | ".join(f"{floor[size]:.1f} | 1.0" for size in sizes)
        + (f" | {floor[big] / floor[small]:.2f} | 1.00 |" if len(sizes) > 1 else " |")
    )
    for page in results[small]:
        cells = [page]
        ratios, p50 = {}, {}
        for size in sizes:
            row = results[size].get(page)
            if row is None:
                cells += ["–", "–"]
                continue
            ratios[size] = row["p50"] / row["floor"]
            p50[size] = row["p50"]
            status = "" if row["status"] in (200, 302) else f" (HTTP {row['status']})"
            cells += [f"{row['p50']:.1f}{status}", f"{ratios[size]:.1f}"]
        if len(sizes) > 1:
            both = small in ratios and big in ratios
            cells.append(f"{p50[big] / p50[small]:.2f}" if both else "–")
            cells.append(f"{ratios[big] / ratios[small]:.2f}" if both else "–")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _median_floor(rows: dict[str, dict]) -> float:
    floors = sorted(row["floor"] for row in rows.values())
    return floors[len(floors) // 2]


def write_report(
    path: Path, results: dict, *, machine: str, when: str, minutes: float, requests: int
) -> None:
    section = [
        START,
        f"Run {when} by `make bench` in {minutes:.0f} minutes on {machine}. Each page asked "
        f"{requests} times one request at a time, alternating with the login page; p50 is the "
        'median; "÷ floor" is that over the login page\'s median in the same alternation. The '
        "last two columns compare the sizes (1.0 is flat): the p50 at the biggest over the p50 "
        "at the smallest (the goal's measure), and the same for the ratios to the floor (which "
        "cancels a machine that is busier during one size, but adds the floor's own noise). "
        "302 counts as success (the wizard's POST redirects to the next step).",
        "",
        *table(results),
        END,
    ]
    write_section(path, section, start=START, end=END, heading="Pages")


def write_section(path: Path, section: list[str], *, start: str, end: str, heading: str) -> None:
    """Put `section` (its first line `start`, its last `end`) in place of the one between the
    same markers in the file, or at its end under `heading` the first time."""
    text = path.read_text()
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + "\n".join(section) + after
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + "\n".join(section) + "\n"
    path.write_text(text)
