#!/usr/bin/env bash
# Side by side with zen-engine (GoRules' Rust rules engine, through its Python binding) on one
# therapy (ESWT) and one synthetic cohort: checks that both engines agree on every tier and score
# and prints the throughput ratio, all in one run.
#
#   bash Benchmarks/peer/run.sh [PATIENTS]      (default 100000)
#
# Installs zen-engine==2.1.3 from PyPI into Benchmarks/peer/.venv (not committed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="$(dirname "$here")"
count="${1:-100000}"
export PATH="/opt/swift/usr/bin:$PATH"

if [ ! -x "$here/.venv/bin/python" ]; then python3 -m venv "$here/.venv"; fi
"$here/.venv/bin/python" -c "import zen" 2>/dev/null || "$here/.venv/bin/pip" install --quiet zen-engine==2.1.3

mkdir -p "$bench/cohorts"
cohort="$bench/cohorts/cohort-$count.jsonl"
[ -f "$cohort" ] || python3 "$bench/generate-cohort.py" --count "$count" --seed 7 -o "$cohort"

(cd "$bench" && swift build -c release --product perf-probe >/dev/null)
probe="$(cd "$bench" && swift build -c release --show-bin-path)/perf-probe"
tiers="$(mktemp)"
trap 'rm -f "$tiers"' EXIT
"$probe" cohort "$cohort" eswt 3 --tiers "$tiers" | tee "$tiers.out"
evaluate=$(sed -n 's/^evaluate .*: median \([0-9]*\) patients\/s.*$/\1/p' "$tiers.out")
both=$(sed -n 's/^read + evaluate: \([0-9]*\) patients\/s$/\1/p' "$tiers.out")
rm -f "$tiers.out"
cd "$here" && .venv/bin/python zen_cohort.py "$cohort" "$tiers" "$evaluate" "$both" 3
