"""Evaluates a JSON Lines cohort with zen-engine's ESWT graph, compares its tiers and scores
with Candidacy's, and prints both throughputs and their ratio.

    python3 zen_cohort.py COHORT.jsonl CANDIDACY_TIERS CLI_RATE EVALUATE_RATE READ_EVALUATE_RATE [repeats]

CANDIDACY_TIERS has one "id tier score" line per patient (from the CLI's decisions output);
CLI_RATE is `candidacy evaluate COHORT --format decisions --therapy eswt` end to end (every
core); EVALUATE_RATE and READ_EVALUATE_RATE are Candidacy's in-process median rates on one core
from the same run, for evaluating parsed patients and for reading (the CLI's JSON Lines reader)
plus evaluating.
"""
import statistics
import sys
import time

import zen

import eswt_graph


def main():
    cohort, tiers_path = sys.argv[1], sys.argv[2]
    cli_rate, evaluate_rate, read_evaluate_rate = float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
    repeats = int(sys.argv[6]) if len(sys.argv) > 6 else 3
    with open(cohort, encoding="utf-8") as f:
        lines = f.read().splitlines()
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"eswt": eswt_graph.graph()}}})
    requests = [{"key": "eswt", "context": line} for line in lines]
    rates, results = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        results = engine.evaluate_batch(requests)
        rates.append(len(lines) / (time.perf_counter() - start))
    zen_rate = statistics.median(rates)

    expected = {}
    with open(tiers_path, encoding="utf-8") as f:
        for row in f:
            pid, tier, score = row.split()
            expected[pid] = (tier, int(score))
    disagreements = 0
    for line, result in zip(lines, results):
        pid = line[line.index('"id":"') + 6:].split('"', 1)[0]
        if not result.get("success"):
            print(f"zen-engine failed on {pid}: {result.get('error')}")
            disagreements += 1
            continue
        got = (result["data"]["result"]["tier"], int(result["data"]["result"]["score"]))
        if expected.get(pid) != got:
            disagreements += 1
            if disagreements <= 10:
                print(f"disagree on {pid}: candidacy {expected.get(pid)} zen-engine {got}")
    print(f"zen-engine {zen.__name__} 2.1.3 (evaluate_batch, JSON strings in): median {zen_rate:,.0f} patients/s over {repeats} runs")
    print(f"candidacy CLI, eswt, end to end (read, evaluate, write; every core): {cli_rate:,.0f} patients/s")
    print(f"candidacy in process, eswt, evaluate parsed patients (one core): {evaluate_rate:,.0f} patients/s")
    print(f"candidacy in process, eswt, read + evaluate (one core): {read_evaluate_rate:,.0f} patients/s")
    print(f"agreement: {len(lines) - disagreements} of {len(lines)} tiers and scores")
    print(f"ratio candidacy CLI end to end / zen-engine: {cli_rate / zen_rate:.1f}x")
    print(f"ratio candidacy / zen-engine, evaluation (one core): {evaluate_rate / zen_rate:.1f}x")
    print(f"ratio candidacy / zen-engine, read + evaluation (one core): {read_evaluate_rate / zen_rate:.1f}x")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
