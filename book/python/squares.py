"""The Python article's experiment, made to run and to check itself.

The article squares the numbers 0..n four ways and compares their times. Its
listing does not run as printed: the serial loop never appends its results,
and `%timeit` only exists inside IPython. This script keeps the article's
approach — a serial loop, `ThreadPoolExecutor().map`, and, as the article's
closing advice suggests, a process pool — adds the idiomatic list
comprehension, checks that every approach returns the same list, and prints
the timings.

    python3 book/python/squares.py --n 1000000
    python3 book/python/squares.py --n 100000 --tsv

`cargo xtask compare --python` runs it with `--tsv` next to the Rust
strategies on the same n.
"""

import argparse
import concurrent.futures
import os
import platform
import statistics
import sys
import time


def square(n):
    return n * n


def serial_loop(numbers):
    results = []
    for num in numbers:
        results.append(square(num))
    return results


def thread_pool(numbers):
    with concurrent.futures.ThreadPoolExecutor() as executor:
        return list(executor.map(square, numbers))


def process_pool(numbers, chunksize):
    with concurrent.futures.ProcessPoolExecutor() as executor:
        return list(executor.map(square, numbers, chunksize=chunksize))


def list_comprehension(numbers):
    return [n * n for n in numbers]


def timed(function, runs, budget_s):
    """Runs `function` `runs` times, or once if a single run exceeds the
    budget; returns the result of the last run and every duration."""
    durations = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
        if sum(durations) > budget_s:
            break
    return result, durations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="how many numbers to square")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per approach (fewer if slow)")
    parser.add_argument("--chunksize", type=int, default=10_000, help="the process pool's chunksize")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per approach before stopping early")
    parser.add_argument("--tsv", action="store_true",
                        help="print tab-separated lines for a program to read instead of a table")
    args = parser.parse_args()
    if args.n < 1 or args.runs < 1 or args.chunksize < 1:
        parser.error("--n, --runs and --chunksize must be at least 1")

    numbers = list(range(args.n))
    expected = list_comprehension(numbers)
    approaches = [
        ("serial loop", lambda: serial_loop(numbers)),
        ("ThreadPoolExecutor().map", lambda: thread_pool(numbers)),
        (f"ProcessPoolExecutor().map, chunksize {args.chunksize}",
         lambda: process_pool(numbers, args.chunksize)),
        ("list comprehension", lambda: list_comprehension(numbers)),
    ]
    rows = []
    for name, function in approaches:
        result, durations = timed(function, args.runs, args.budget)
        if result != expected:
            print(f"error: {name} returned a different list", file=sys.stderr)
            return 1
        rows.append({
            "name": name,
            "verified": True,
            "runs": len(durations),
            "median_s": statistics.median(durations),
            "min_s": min(durations),
            "max_s": max(durations),
        })

    if args.tsv:
        print(f"python\t{platform.python_implementation()} {platform.python_version()}")
        for row in rows:
            print("\t".join(str(row[key]) for key in ("name", "runs", "median_s", "min_s", "max_s")))
    else:
        serial = rows[0]["median_s"]
        print(f"{platform.python_implementation()} {platform.python_version()}, "
              f"{os.cpu_count()} CPUs, n = {args.n}; every result checked")
        for row in rows:
            print(f"{row['name']:<45} {row['median_s']:>10.4f} s  "
                  f"({serial / row['median_s']:.3f}x the serial loop, {row['runs']} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
