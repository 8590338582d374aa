"""How well and how fast the polite-language check works (R-RUL-3).

    .venv/bin/python bench/moderation.py [--research DIR] [--repeat N] [--show-misses]

The labelled set:
- ordinary: bench/data/moderation_ordinary.txt (ours: alerts, bins, lost cats, parties,
  illnesses, nationalities, suspect descriptions that meet the profiling guard);
- abusive: bench/data/moderation_abusive.txt (ours), plus, when the research data is there
  (default ../shared/data/language next to the checkout, or --research), the hateful cases of
  HateCheck-NL, read at run time and never copied into the product or the repository.

Printed: precision, recall, false-positive rate per source, messages per second on one core
(the check alone, single process) and the p99 time per message.
"""

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from buurtwacht.moderation.language import check  # noqa: E402

DATA = ROOT / "bench" / "data"


def _lines(path: Path) -> list[str]:
    return [
        line.rstrip("\n")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def ordinary() -> list[str]:
    return _lines(DATA / "moderation_ordinary.txt")


def abusive_ours() -> list[tuple[str, str]]:
    return [tuple(line.split("\t", 1)) for line in _lines(DATA / "moderation_abusive.txt")]  # type: ignore[misc]


def hatecheck(research: Path) -> tuple[list[str], dict[str, list[str]]]:
    """(hateful cases, non-hateful cases by functionality)."""
    path = research / "hatecheck_nl.csv"
    if not path.exists():
        return [], {}
    hateful: list[str] = []
    other: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["label_gold"] == "hateful":
                hateful.append(row["test_case"])
            else:
                other.setdefault(row["functionality"], []).append(row["test_case"])
    return hateful, other


def flagged(texts: list[str]) -> list[bool]:
    return [not check(t).ok for t in texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--research", type=Path, default=ROOT.parent / "shared/data/language")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the set for speed")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument(
        "--dictionary",
        type=Path,
        default=Path("/usr/share/hunspell/nl.dic"),
        help="a hunspell word list (Debian's hunspell-nl): how many single words are flagged",
    )
    args = parser.parse_args()

    ok_texts = ordinary()
    ours = abusive_ours()
    hate, hate_other = hatecheck(args.research)
    sources = {"ours": [t for _, t in ours]}
    if hate:
        sources["hatecheck-nl hateful"] = hate
    else:
        print(f"(no research data at {args.research}: our own abusive set only)")

    fp = flagged(ok_texts)
    print(f"ordinary messages: {len(ok_texts)}, flagged {sum(fp)} = {sum(fp) / len(ok_texts):.2%}")
    if args.show_misses:
        for t, f in zip(ok_texts, fp, strict=True):
            if f:
                print("   FP", check(t), t)
    total_tp = 0
    total_ab = 0
    for name, texts in sources.items():
        got = flagged(texts)
        tp = sum(got)
        total_tp += tp
        total_ab += len(texts)
        print(f"abusive ({name}): {len(texts)}, recall {tp / len(texts):.3f}")
        if args.show_misses:
            for t, g in zip(texts, got, strict=True):
                if not g:
                    print("   FN", t)
    right = sum(1 for label, t in ours if check(t).outcome == label)
    print(f"ours: outcome exactly right (warn vs block) {right}/{len(ours)}")
    fps = sum(fp)
    precision = total_tp / (total_tp + fps) if total_tp + fps else 0.0
    print(
        f"ALL: precision {precision:.3f}  recall {total_tp / total_ab:.3f}  "
        f"false-positive rate {fps / len(ok_texts):.3%}"
    )
    for func, texts in sorted(hate_other.items()):
        got = flagged(texts)
        print(f"  hatecheck non-hateful {func}: {len(texts)}, flagged {sum(got) / len(texts):.0%}")

    if args.dictionary.exists():
        words = {
            line.split("/")[0].strip().lower()
            for line in args.dictionary.read_text(encoding="utf-8", errors="ignore").splitlines()
        }
        words = {w for w in words if w.isalpha()}
        hit = sorted(w for w in words if not check(w).ok)
        print(
            f"dictionary words flagged on their own: {len(hit)} of {len(words):,} "
            f"({len(hit) / len(words):.3%}; mostly real curse and insult words)"
        )
        if args.show_misses:
            print("   ", " ".join(hit))

    # Speed: every message once per pass, cold caches are part of the first pass.
    corpus = ok_texts + [t for texts in sources.values() for t in texts]
    # Wall time includes being pre-empted on a shared machine; CPU time is this thread's own.
    times, cpu_times = [], []
    start, cpu_start = time.perf_counter(), time.thread_time()
    for _ in range(args.repeat):
        for t in corpus:
            t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
            check(t)
            cpu_times.append(time.thread_time_ns() - c0)
            times.append(time.perf_counter_ns() - t0)
    wall, cpu = time.perf_counter() - start, time.thread_time() - cpu_start
    p99 = statistics.quantiles(times, n=100)[98] / 1000
    cpu_p99 = statistics.quantiles(cpu_times, n=100)[98] / 1000
    print(
        f"speed: {len(times) / wall:,.0f} messages/s wall, {len(times) / cpu:,.0f} messages/s "
        f"of CPU on one core; p99 per message {p99:.0f} µs wall, {cpu_p99:.0f} µs CPU "
        f"({len(times)} checks, the timers included)"
    )


if __name__ == "__main__":
    main()
