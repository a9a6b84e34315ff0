"""The results table of `make bench`, with its budget marks, as text and as
bench/RESULTS.md. `python -m bench.report` writes RESULTS.md again from
results.json (after a change to the report's layout)."""

import json
import statistics
import sys
from pathlib import Path

from .data import LARGE_BUSINESS, SIZES
from .targets import BUDGETS

MAIN_SIZE, OTHER_SIZE = "large", "small"
COLUMNS = (
    "target",
    "req/s",
    "p50",
    "p95",
    "p99",
    "× bare",
    "L/S",
    "queries",
    "non-2xx",
    "budget",
)


def bare_rps(result):
    """The bare view's requests/s in a size's run: the mean of its start and end."""
    return statistics.mean([result["bare_start"]["rps"], result["bare_end"]["rps"]])


def _sizes(results):
    sizes = list(results["sizes"])
    main = MAIN_SIZE if MAIN_SIZE in sizes else sizes[0]
    other = next((s for s in sizes if s != main), None)
    return main, other


def _row(name, kind, measured, bare, other=None, other_bare=None):
    ratio = measured["rps"] / bare if bare else None
    large_small = large_small_raw = None
    if other is not None and other_bare:
        other_ratio = other["rps"] / other_bare
        large_small = ratio / other_ratio if other_ratio else None
        large_small_raw = measured["rps"] / other["rps"] if other["rps"] else None
    return {
        "target": name,
        "kind": kind,
        "rps": measured["rps"],
        "p50_ms": measured["p50_ms"],
        "p95_ms": measured["p95_ms"],
        "p99_ms": measured["p99_ms"],
        "x_bare": round(ratio, 4) if ratio is not None else None,
        "large_small": round(large_small, 3) if large_small is not None else None,
        # Plain requests/s ratio, without the correction for the machine's speed in each run.
        "large_small_raw": round(large_small_raw, 3) if large_small_raw is not None else None,
        "queries": measured.get("queries"),
        "queries_other": other.get("queries") if other else None,
        "non_2xx": measured["non_2xx"],
        "statuses": measured["statuses"],
        "errors": sum(measured["errors"].values()),
        "pool_wrapped": measured.get("pool_wrapped", False),
    }


def check(row):
    """[(budget, passed)] for a row."""
    budget = BUDGETS.get(row["kind"])
    marks = [("non-2xx", row["non_2xx"] == 0 and row["errors"] == 0)]
    if budget is None:
        return marks
    if budget.min_bare is not None:
        marks.append((f"≥ {budget.min_bare:.2f} × bare", (row["x_bare"] or 0) >= budget.min_bare))
    if budget.max_p99_ms is not None:
        p99 = row["p99_ms"]
        marks.append(
            (f"p99 < {budget.max_p99_ms:.0f} ms", p99 is not None and p99 < budget.max_p99_ms)
        )
    if budget.min_large_small is not None and row["large_small"] is not None:
        marks.append(
            (f"L/S ≥ {budget.min_large_small}", row["large_small"] >= budget.min_large_small)
        )
    if budget.flat_queries and row["queries_other"] is not None and row["queries"] is not None:
        marks.append(("queries flat", row["queries"] <= row["queries_other"]))
    return marks


def build(results, targets):
    """The table rows for the main size, each with its budget marks."""
    main, other = _sizes(results)
    result = results["sizes"][main]
    other_result = results["sizes"].get(other) if other else None
    bare = bare_rps(result)
    other_bare = bare_rps(other_result) if other_result else None
    rows = []
    for label, key in (("bare Django view (start)", "bare_start"), ("… (end)", "bare_end")):
        row = _row(label, "bare", result[key], bare)
        row["queries"] = result.get("bare_queries")
        row["marks"] = check(row)
        rows.append(row)
    for target in targets:
        measured = result["targets"].get(target.name)
        if measured is None:
            continue
        other_measured = other_result["targets"].get(target.name) if other_result else None
        row = _row(target.name, target.kind, measured, bare, other_measured, other_bare)
        row["marks"] = check(row)
        rows.append(row)
    return {"size": main, "other_size": other, "bare_rps": round(bare, 1), "rows": rows}


# --- formatting --------------------------------------------------------------------------


def _rps(value):
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _ms(value):
    if value is None:
        return "—"
    if value >= 1000:
        return f"{value / 1000:.1f} s"
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def _ratio(value, digits):
    return "—" if value is None else f"{value:.{digits}f}"


def _queries(row):
    if row["queries"] is None:
        return "—"
    if row["queries_other"] is not None and row["queries_other"] != row["queries"]:
        return f"{row['queries']} ({row['queries_other']})"
    return str(row["queries"])


def _non_2xx(row):
    text = str(row["non_2xx"])
    if row["statuses"]:
        text += " (" + ", ".join(f"{s}: {n}" for s, n in sorted(row["statuses"].items())) + ")"
    if row["errors"]:
        text += f" +{row['errors']} timeouts/errors"
    return text


def _budget(row):
    failed = [label for label, passed in row["marks"] if not passed]
    if failed:
        return "✗ " + ", ".join(failed)
    return "✓" if len(row["marks"]) > 1 else "—"


def cells(row):
    name = row["target"] + (" ⟳" if row["pool_wrapped"] else "")
    return (
        name,
        _rps(row["rps"]),
        _ms(row["p50_ms"]),
        _ms(row["p95_ms"]),
        _ms(row["p99_ms"]),
        _ratio(row["x_bare"], 3),
        _ratio(row["large_small"], 2),
        _queries(row),
        _non_2xx(row),
        _budget(row),
    )


def text_table(table):
    """The table as Markdown, aligned so that it also reads well in a terminal."""
    body = [cells(row) for row in table["rows"]]
    widths = [max(len(str(c)) for c in column) for column in zip(COLUMNS, *body, strict=True)]
    right = {1, 2, 3, 4, 5, 6, 7}

    def line(values):
        padded = [
            str(v).rjust(w) if i in right else str(v).ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = [("-" * (w - 1) + ":") if i in right else "-" * w for i, w in enumerate(widths)]
    return "\n".join([line(COLUMNS), "| " + " | ".join(rule) + " |", *map(line, body)])


def _counts(scale):
    counts = LARGE_BUSINESS.scaled(scale)
    return (
        f"{counts.bookings:,} bookings, {counts.invoices:,} invoices, {counts.leads:,} leads, "
        f"{counts.events:,} inbox events, {counts.restaurants:,} restaurants, "
        f"{counts.interactions:,} interactions"
    )


def markdown(results, table):
    machine, settings = results["machine"], results["settings"]
    load = ", ".join(str(x) for x in machine["load_average"])
    lines = [
        "# Load benchmark results",
        "",
        f"`make bench`, run on {results['date']}. Machine: {machine['cpu']}, "
        f"{machine['cores']} cores, {machine['memory_gb']} GB, {machine['os']}, "
        f"Python {machine['python']}, {machine['database']}. The machine was shared with other "
        f"work (load average at the start: {load}), so the figures are noisy; the ratios to the "
        "bare view, measured in the same run, are the figures to compare.",
        "",
        f"gunicorn with {settings['gunicorn_workers']} sync workers and production settings; "
        f"wrk with {settings['connections']} connections ({settings['wrk_threads']} threads), "
        f"{settings['duration_s']} s per target after a {settings['warmup_s']} s warm-up; "
        f"requests over {settings['timeout_s']} s count as timeouts.",
        "",
        "| size | main business | other businesses | rows written | build | migrate "
        "| bare view, start / end |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, result in results["sizes"].items():
        lines.append(
            f"| {size} | {_counts(SIZES[size])} | {result['small_businesses']} "
            f"| {sum(result['rows'].values()):,} | {result['build_seconds']:.0f} s "
            f"| {result['migrate_seconds']:.0f} s "
            f"| {_rps(result['bare_start']['rps'])} / {_rps(result['bare_end']['rps'])} req/s |"
        )
    other = f" and {table['other_size']}" if table["other_size"] else ""
    lines += [
        "",
        f"## At the {table['size']} size",
        "",
        text_table(table),
        "",
        "How to read it: **req/s** is throughput with "
        f"{settings['connections']} concurrent connections; **p50/p95/p99** are latencies "
        "(they include waiting for one of the two workers); **× bare** is throughput as a share "
        "of the bare Django view's (same server and middleware, mean of the start and end "
        f"measurements); **L/S** is that share at the {table['size']} size divided by the "
        f"share at the {table['other_size'] or 'other'} size (1.0: no slower with more rows); "
        f"**queries** per request, counted in-process on the same database (at the "
        f"{table['size']}{other} size, in brackets when they differ); **non-2xx** counts "
        "responses outside 2xx by status, plus timeouts and socket errors; **budget** lists "
        "the budgets missed (✓: all met; —: none applies). Budgets: HTML pages and API lists "
        "≥ 0.10 × bare, p99 < 250 ms, L/S ≥ 0.8, queries not growing with rows; webhook "
        "ingest ≥ 0.3 × bare; cached PDF ≥ 0.5 × bare. ⟳: the target ran out of prepared "
        "distinct requests and repeated some.",
    ]
    if table["other_size"]:
        small = build(
            {**results, "sizes": {table["other_size"]: results["sizes"][table["other_size"]]}},
            _targets_in(table),
        )
        lines += ["", f"## At the {table['other_size']} size", "", text_table(small)]
    return "\n".join(lines) + "\n"


def _targets_in(table):
    from .targets import TARGETS

    names = {row["target"] for row in table["rows"]}
    return [t for t in TARGETS if t.name in names]


def main():
    here = Path(__file__).resolve().parent
    results = json.loads((here / "results.json").read_text())
    table = build(results, _targets_in(results["table"]))
    (here / "RESULTS.md").write_text(markdown(results, table))
    sys.stdout.write(text_table(table) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
