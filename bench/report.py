"""The turn benchmark's report: markdown tables and two PNG charts in bench/results/."""

from __future__ import annotations

import platform
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ECHO_STOCK = "echo, stock"
ECHO_FIXED = "echo, msrest fix"

# The aims of the turn (see docs/performance.md).
AIM_RATIO_FIXED = 2.0
AIM_THROUGHPUT = 400.0
AIM_P99 = 10.0
AIM_RSS = 200.0


@dataclass
class Result:
    database: str
    dataset: str
    scenario: str
    conversations: int
    target: str
    row: dict


def _group(results: list[Result]) -> dict[tuple, dict[str, dict]]:
    table: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for r in results:
        table[(r.database, r.dataset, r.scenario, r.conversations)][r.target] = r.row
    return table


def _table(results: list[Result]) -> list[str]:
    lines = [
        "| database | data | turn | conv | beheerbot p50 / p99 ms | turns/s | "
        "echo stock p50 / p99 ms | turns/s | echo fixed p50 / p99 ms | turns/s | "
        "p50 ÷ fixed | p50 ÷ stock | turns/s ÷ fixed |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for (database, dataset, scenario, conv), rows in _group(results).items():
        bot, stock, fixed = rows["beheerbot"], rows[ECHO_STOCK], rows[ECHO_FIXED]
        errors = f" ({bot['errors']} errors)" if bot["errors"] else ""
        lines.append(
            f"| {database} | {dataset} | {scenario}{errors} | {conv} | "
            f"{bot['p50']:.1f} / {bot['p99']:.1f} | {bot['turns/s']:.0f} | "
            f"{stock['p50']:.1f} / {stock['p99']:.1f} | {stock['turns/s']:.0f} | "
            f"{fixed['p50']:.1f} / {fixed['p99']:.1f} | {fixed['turns/s']:.0f} | "
            f"{bot['p50'] / fixed['p50']:.2f} | {bot['p50'] / stock['p50']:.2f} | "
            f"{bot['turns/s'] / fixed['turns/s']:.2f} |")
    return lines


def _aims(results: list[Result], memory: dict) -> list[str]:
    """Each aim, met or missed by how much, over every database and dataset of the run."""
    lines = ["| aim | worst case in this run | met |", "|---|---|---|"]
    table = _group(results)
    one = {k: v for k, v in table.items() if k[3] == 1}
    many = {k: v for k, v in table.items() if k[3] > 1}
    cards = {k: v for k, v in one.items() if k[2] != "typed help"}
    if cards:
        key, rows = max(cards.items(),
                        key=lambda kv: kv[1]["beheerbot"]["p50"] / kv[1][ECHO_FIXED]["p50"])
        ratio = rows["beheerbot"]["p50"] / rows[ECHO_FIXED]["p50"]
        lines.append(f"| card turn p50 ≤ {AIM_RATIO_FIXED:.0f}× fixed echo, 1 conversation | "
                     f"{ratio:.2f}× ({' / '.join(map(str, key[:3]))}) | "
                     f"{'yes' if ratio <= AIM_RATIO_FIXED else 'no'} |")
        key, rows = max(cards.items(),
                        key=lambda kv: kv[1]["beheerbot"]["p50"] / kv[1][ECHO_STOCK]["p50"])
        ratio = rows["beheerbot"]["p50"] / rows[ECHO_STOCK]["p50"]
        lines.append(f"| card turn faster than the stock echo (p50) | {ratio:.2f}× "
                     f"({' / '.join(map(str, key[:3]))}) | {'yes' if ratio < 1 else 'no'} |")
    if one:
        key, rows = max(one.items(), key=lambda kv: kv[1]["beheerbot"]["p99"])
        p99 = rows["beheerbot"]["p99"]
        lines.append(f"| p99 ≤ {AIM_P99:.0f} ms at 1 conversation | {p99:.1f} ms "
                     f"({' / '.join(map(str, key[:3]))}) | {'yes' if p99 <= AIM_P99 else 'no'} |")
    if many:
        key, rows = min(many.items(), key=lambda kv: kv[1]["beheerbot"]["turns/s"])
        rate = rows["beheerbot"]["turns/s"]
        lines.append(f"| ≥ {AIM_THROUGHPUT:.0f} turns/s at {key[3]} conversations | "
                     f"{rate:.0f}/s ({' / '.join(map(str, key[:3]))}) | "
                     f"{'yes' if rate >= AIM_THROUGHPUT else 'no'} |")
    for (database, dataset), (current, peak) in memory.items():
        lines.append(f"| serve ≤ {AIM_RSS:.0f} MB resident ({database}, {dataset}) | "
                     f"{current:.0f} MB now, {peak:.0f} MB peak | "
                     f"{'yes' if peak <= AIM_RSS else 'no'} |")
    return lines


def _charts(folder: Path, results: list[Result]) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return ["(no charts: matplotlib is not installed; `pip install -e '.[bench]'`)"]
    names = []
    table = _group(results)
    for conv, metric, label, filename in ((1, "p50", "p50 latency, ms (1 conversation)",
                                           "turns-p50.png"),
                                          (None, "turns/s", "turns/s (most conversations)",
                                           "turns-throughput.png")):
        wanted = conv if conv is not None else max(k[3] for k in table)
        keys = [k for k in table if k[3] == wanted]
        if not keys:
            continue
        fig, ax = plt.subplots(figsize=(10, 0.4 * len(keys) + 1.5))
        labels = [f"{k[0]} {k[1]}: {k[2]}" for k in keys]
        positions = range(len(keys))
        height = 0.27
        for offset, target, colour in ((-height, "beheerbot", "#1f6feb"),
                                       (0, ECHO_FIXED, "#2da44e"),
                                       (height, ECHO_STOCK, "#cf222e")):
            ax.barh([p + offset for p in positions], [table[k][target][metric] for k in keys],
                    height=height, label=target, color=colour)
        ax.set_yticks(list(positions), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(label)
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(folder / filename, dpi=110)
        plt.close(fig)
        names.append(f"![{label}]({filename})")
    return names


def write_report(folder: Path, results: list[Result], memory: dict, meta: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    lines = [
        f"# Turn benchmark, {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"{meta['cpus']} CPUs ({platform.machine()}, Python {platform.python_version()}), "
        f"load average before {meta['load_before'][0]:.2f}, after "
        f"{meta['load_after'][0]:.2f}; the load generator runs on the same machine. "
        f"{meta['turns']} measured turns per cell, interleaved with both echo bots in "
        f"slices; national database at scale {meta['scale']} (seed {meta['seed']}); "
        f"{meta['minutes']:.1f} minutes in all. beheerbot runs on {meta['bot_loop']}, the echo "
        f"bots on {meta['echo_loop']}.",
        "",
        "Ratios within one row are what counts: absolute numbers move with the machine's load.",
        "",
        "## Aims",
        "",
        *_aims(results, memory),
        "",
        "## Turns",
        "",
        *_table(results),
        "",
        "## Charts",
        "",
        *_charts(folder, results),
        "",
    ]
    path = folder / "turns.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
