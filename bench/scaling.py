"""The same pages at several data sizes: which grow with the number of candidates, and by how much.

    .venv/bin/python bench/load_data.py --candidates 10000      # with BENCH_DATABASE_URL=…/tescforce_bench_10k
    .venv/bin/python bench/scaling.py \\
        10000=postgres://postgres@127.0.0.1:5432/tescforce_bench_10k \\
        100000=postgres://postgres@127.0.0.1:5432/tescforce_bench \\
        1000000=postgres://postgres@127.0.0.1:5432/tescforce_bench_1m --rounds 3 --runs 5

Each round runs bench/pages.py once against every database in turn (a fresh process each, so one database's
caches and connections do not help the next); the machine's drift then touches every size alike. A page's
figure at a size is the median of its rounds' medians. The queries are those of one cold render; the last
column lists the tables about candidates the page reads (FROM or JOIN; bench/pages.py's candidate_tables()
reads them from the models), the first clue to why a page grows. bench/load_data.py scales the
catalogue with the candidates (postings, companies, sessions, prospects: see its PER_CANDIDATE), so a page
that grows may grow with those: the tables say which.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_pages(url: str, runs: int, only: list[str], out: Path) -> dict:
    env = os.environ | {"BENCH_DATABASE_URL": url}
    command = [sys.executable, str(ROOT / "bench" / "pages.py"), "--runs", str(runs), "--json", str(out), *only]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)  # noqa: S603 - our own script
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs="+", metavar="SIZE=URL",
                        help="a label (the number of candidates it holds) and the database's URL")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over every database (default 3)")
    parser.add_argument("--runs", type=int, default=5, help="cold renders per page and round (default 5)")
    parser.add_argument("--only", nargs="*", default=[], help="only the pages whose key contains one of these")
    args = parser.parse_args()
    sizes = [tuple(item.split("=", 1)) for item in args.databases]

    results: dict[str, list[dict]] = {label: [] for label, _ in sizes}
    counts: dict[str, int] = {}
    loads = []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            for label, url in sizes:
                loads.append(os.getloadavg()[0])
                data = run_pages(url, args.runs, args.only, Path(tmp) / f"{label}-{round_}.json")
                counts[label] = data["candidates"]
                results[label].append({p["key"]: p for p in data["pages"]})
                print(f"round {round_ + 1}, {data['candidates']:,} candidates: done", file=sys.stderr, flush=True)
    loads.append(os.getloadavg()[0])

    labels = [label for label, _ in sizes]
    first, last = labels[0], labels[-1]
    keys = list(results[first][0])
    sizes_read = ", ".join(f"{counts[x]:,}" for x in labels)
    print(f"Candidates: {sizes_read}; {args.rounds} rounds of {args.runs} cold renders "
          f"per page and size (median of the rounds' medians); load average {min(loads):.1f} to {max(loads):.1f}.\n")
    head = " | ".join(f"{counts[x]:,}" for x in labels)
    print(f"| page | median ms: {head} | × from {counts[first]:,} to {counts[last]:,} | queries: {head} "
          f"| candidate tables read |")
    print("|---|" + "---:|" * len(labels) + "---:|" + "---:|" * len(labels) + "---|")
    for key in keys:
        rows = {x: [r[key] for r in results[x] if key in r] for x in labels}
        medians = {x: statistics.median(r["median_ms"] for r in rows[x]) for x in labels}
        queries = {x: "/".join(sorted({str(r["queries"]) for r in rows[x]})) for x in labels}
        read = sorted({t for x in labels for r in rows[x] for t in r["candidate_tables"]})
        label = rows[first][0]["label"]
        statuses = {x: "/".join(sorted({r["status"] for r in rows[x]})) for x in labels}
        if len(set(statuses.values())) > 1:  # a redirect (page 1,000 of a small list) is not the same page
            label += " (status " + ", ".join(f"{statuses[x]} at {counts[x]:,}" for x in labels) + ")"
        print(f"| {label} | " + " | ".join(f"{medians[x]:.1f}" for x in labels)
              + f" | {medians[last] / medians[first]:.2f} | " + " | ".join(queries[x] for x in labels)
              + f" | {', '.join(read) or '—'} |")


if __name__ == "__main__":
    main()
