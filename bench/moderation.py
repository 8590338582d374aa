"""How well and how fast the polite-language check works (R-RUL-3), per category.

    .venv/bin/python bench/moderation.py [--research DIR] [--repeat N] [--show-misses]

Our own sets (bench/data/, written for this project):
- `moderation_ordinary.txt`, `moderation_abusive.txt`: what the word lists were written
  against (the intended behaviour, not an unbiased error rate);
- `moderation_heldout_1.tsv` (category<TAB>message) and `moderation_ordinary_heldout.txt`:
  written before the categories were tuned, and not tuned against;
- `moderation_heldout_2.tsv`, `moderation_ordinary_heldout_2.txt`: written after tuning,
  to see whether the tuning overfitted.
Held-out misses are never printed (`--show-misses` shows only the tuning sets'), so that
they stay held out.

Research sets (`--research DIR`, e.g. the shared data/language folder; there is no
default, and without it this part is skipped): HateCheck-NL (`hatecheck_nl.csv`, GPL-3.0)
and the HADES lexicons (`hades_*.csv`, CC BY-SA 4.0), read at run time for measuring only,
never copied into the product or this repository.

Printed: per category the recall (flagged at all, and flagged as that category) and the
ordinary messages flagged as it; HateCheck's hateful recall and its non-hateful cases
flagged; HADES words flagged on their own per category; messages per second on one core
(the check alone, single process) and the p99 time per message.
"""

import argparse
import csv
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from buurtwacht.moderation.language import Outcome, check  # noqa: E402

DATA = ROOT / "bench" / "data"
CATEGORIES = ("cursing", "insult", "slur", "generalisation", "threat", "doxxing", "profiling")


def _lines(path: Path) -> list[str]:
    return [
        line.rstrip("\n")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _labelled(path: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("\t", 1)) for line in _lines(path)]  # type: ignore[misc]


def per_category(name: str, labelled: list[tuple[str, str]], ordinary: list[str]) -> None:
    print(f"\n{name}: {len(labelled)} labelled, {len(ordinary)} ordinary")
    print(f"  {'category':<15} {'n':>4} {'flagged':>8} {'as it':>6}   ordinary flagged as it")
    ordinary_reasons = Counter(str(check(t).reason) for t in ordinary)
    for category in CATEGORIES:
        texts = [t for c, t in labelled if c == category]
        if not texts:
            continue
        verdicts = [check(t) for t in texts]
        flagged = sum(not v.ok for v in verdicts) / len(texts)
        right = sum(str(v.reason) == category for v in verdicts) / len(texts)
        fp = ordinary_reasons[category]
        print(
            f"  {category:<15} {len(texts):>4} {flagged:>8.2f} {right:>6.2f}   "
            f"{fp} ({fp / len(ordinary):.1%})"
        )
    flagged_ordinary = len(ordinary) - ordinary_reasons["clean"]
    print(f"  ordinary flagged at all: {flagged_ordinary} ({flagged_ordinary / len(ordinary):.1%})")


def ours(show_misses: bool) -> list[str]:
    ordinary = _lines(DATA / "moderation_ordinary.txt")
    abusive = _labelled(DATA / "moderation_abusive.txt")
    fp = [t for t in ordinary if not check(t).ok]
    print(f"ours (tuning set): ordinary {len(ordinary)}, flagged {len(fp)}")
    missed = [t for _o, t in abusive if check(t).ok]
    right = sum(1 for o, t in abusive if str(check(t).outcome) == o)
    print(
        f"ours (tuning set): abusive {len(abusive)}, recall "
        f"{1 - len(missed) / len(abusive):.3f}, outcome as labelled (warn/block) "
        f"{right}/{len(abusive)}"
    )
    if show_misses:
        for t in fp:
            print("   FP", check(t), t)
        for t in missed:
            print("   FN", t)
    return ordinary + [t for _o, t in abusive]


def hatecheck(research: Path, show_misses: bool) -> list[str]:
    path = research / "hatecheck_nl.csv"
    if not path.exists():
        print(f"\n(no {path}: HateCheck-NL skipped)")
        return []
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    hateful = [r["test_case"] for r in rows if r["label_gold"] == "hateful"]
    other: dict[str, list[str]] = {}
    for r in rows:
        if r["label_gold"] != "hateful":
            other.setdefault(r["functionality"], []).append(r["test_case"])
    got = [not check(t).ok for t in hateful]
    print(f"\nHateCheck-NL hateful: {len(hateful)}, recall {sum(got) / len(hateful):.3f}")
    reasons = Counter(str(check(t).reason) for t in hateful)
    print("  as: " + ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
    by_func: dict[str, list[bool]] = {}
    for r in rows:
        if r["label_gold"] == "hateful":
            by_func.setdefault(r["functionality"], []).append(not check(r["test_case"]).ok)
    print(
        "  recall per functionality: "
        + ", ".join(f"{f} {sum(v) / len(v):.2f}" for f, v in sorted(by_func.items()))
    )
    all_nh = [t for texts in other.values() for t in texts]
    flagged = [t for t in all_nh if not check(t).ok]
    print(f"HateCheck-NL non-hateful: {len(all_nh)}, flagged {len(flagged) / len(all_nh):.1%}")
    no_profanity = [t for f, ts in other.items() if f != "profanity_nh" for t in ts]
    fp2 = sum(not check(t).ok for t in no_profanity)
    print(
        f"  without profanity_nh (cursing, which we warn about on purpose): "
        f"{len(no_profanity)}, flagged {fp2 / len(no_profanity):.1%}"
    )
    for func, texts in sorted(other.items()):
        n = sum(not check(t).ok for t in texts)
        print(f"  {func}: {len(texts)}, flagged {n / len(texts):.0%}")
    if show_misses:
        for t, g in zip(hateful, got, strict=True):
            if not g:
                print("   FN", t)
    return hateful + all_nh


def hades(research: Path) -> None:
    path = research / "hades_cleaned.csv"
    if not path.exists():
        print(f"\n(no {path}: HADES skipped)")
        return
    print("\nHADES (cleaned) words, each on its own: flagged (neutral categories should stay 0)")
    for row in csv.reader(path.open(encoding="utf-8")):
        if not row:
            continue
        category, words = row[0], [w.strip("*+") for w in row[1:] if w.strip("*+")]
        n = sum(not check(w).ok for w in words)
        print(f"  {category:<28} {len(words):>4} words, flagged {n:>3} ({n / len(words):.0%})")


def speed(corpus: list[str], repeat: int) -> None:
    # Wall time includes being pre-empted on a shared machine; CPU time is this thread's own.
    times, cpu_times = [], []
    start, cpu_start = time.perf_counter(), time.thread_time()
    for _ in range(repeat):
        for t in corpus:
            t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
            check(t)
            cpu_times.append(time.thread_time_ns() - c0)
            times.append(time.perf_counter_ns() - t0)
    wall, cpu = time.perf_counter() - start, time.thread_time() - cpu_start
    p99 = statistics.quantiles(times, n=100)[98] / 1000
    cpu_p99 = statistics.quantiles(cpu_times, n=100)[98] / 1000
    print(
        f"\nspeed: {len(times) / wall:,.0f} messages/s wall, {len(times) / cpu:,.0f} messages/s "
        f"of CPU on one core; p99 per message {p99:.0f} µs wall, {cpu_p99:.0f} µs CPU "
        f"({len(times)} checks of {len(corpus)} messages, the timers included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--research", type=Path, default=None, help="folder with HateCheck-NL")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the set for speed")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument(
        "--dictionary",
        type=Path,
        default=Path("/usr/share/hunspell/nl.dic"),
        help="a hunspell word list (Debian's hunspell-nl): how many single words are flagged",
    )
    args = parser.parse_args()

    corpus = ours(args.show_misses)
    for number, (labelled, ordinary) in enumerate(
        [
            ("moderation_heldout_1.tsv", "moderation_ordinary_heldout.txt"),
            ("moderation_heldout_2.tsv", "moderation_ordinary_heldout_2.txt"),
        ],
        start=1,
    ):
        if (DATA / labelled).exists():
            held, plain = _labelled(DATA / labelled), _lines(DATA / ordinary)
            per_category(f"held-out set {number}", held, plain)
            corpus += plain + [t for _c, t in held]
    if args.research is None:
        print("\n(no --research folder given: HateCheck-NL and HADES skipped)")
    else:
        corpus += hatecheck(args.research, args.show_misses)
        hades(args.research)

    if args.dictionary.exists():
        words = {
            line.split("/")[0].strip().lower()
            for line in args.dictionary.read_text(encoding="utf-8", errors="ignore").splitlines()
        }
        words = {w for w in words if w.isalpha()}
        hit = sorted(w for w in words if not check(w).ok)
        blocked = sum(check(w).outcome == Outcome.BLOCK for w in hit)
        print(
            f"\ndictionary words flagged on their own: {len(hit)} of {len(words):,} "
            f"({len(hit) / len(words):.3%}; {blocked} blocked)"
        )
        if args.show_misses:
            print("   ", " ".join(hit))
    speed(corpus, args.repeat)


if __name__ == "__main__":
    main()
