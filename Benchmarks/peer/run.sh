#!/usr/bin/env bash
# Side by side with zen-engine (GoRules' Rust rules engine, through its Python binding) on one
# therapy (ESWT) and one synthetic cohort: checks that both engines agree on every tier and score
# and prints the throughput ratios, all in one run.
#
#   bash Benchmarks/peer/run.sh [PATIENTS]      (default 100000)
#
# Candidacy is measured twice: end to end, as a user runs it (`candidacy evaluate COHORT.jsonl
# --format decisions --therapy eswt`, reading, evaluating and writing on every core, median of
# 3 runs), and in process on one core (perf-probe: the CLI's JSON Lines reader, then the
# evaluator). Its tiers for the comparison are taken from the CLI's own output.
#
# Installs zen-engine==2.1.3 from PyPI into Benchmarks/peer/.venv (not committed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="$(dirname "$here")"
root="$(dirname "$bench")"
count="${1:-100000}"
export PATH="/opt/swift/usr/bin:$PATH"

if [ ! -x "$here/.venv/bin/python" ]; then python3 -m venv "$here/.venv"; fi
"$here/.venv/bin/python" -c "import zen" 2>/dev/null || "$here/.venv/bin/pip" install --quiet zen-engine==2.1.3

mkdir -p "$bench/cohorts"
cohort="$bench/cohorts/cohort-$count.jsonl"
[ -f "$cohort" ] || python3 "$bench/generate-cohort.py" --count "$count" --seed 7 -o "$cohort"

# Builds a product quietly, printing the build's output if it fails. The Benchmarks package's
# build is planned afresh (`--disable-build-manifest-caching`): its cached plan does not notice
# source files added to the main package it depends on by path, and then fails to compile them.
build() {
  local log
  log="$(mktemp)"
  if ! (cd "$1" && swift build -c release --product "$2" --disable-build-manifest-caching >"$log" 2>&1); then
    echo "peer/run.sh: building $2 failed:" >&2
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
}
build "$root" candidacy
cli="$(cd "$root" && swift build -c release --show-bin-path)/candidacy"
build "$bench" perf-probe
probe="$(cd "$bench" && swift build -c release --show-bin-path)/perf-probe"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The CLI end to end, median of 3 runs; its output gives the tiers to compare.
times=()
for _ in 1 2 3; do
  start=$(date +%s.%N)
  "$cli" evaluate "$cohort" --format decisions --therapy eswt > "$work/cli.jsonl"
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc -l)")
done
seconds=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
cli_rate=$(echo "$count / $seconds" | bc -l)
python3 - "$work/cli.jsonl" "$work/tiers" <<'PY'
import json, sys
with open(sys.argv[1]) as lines, open(sys.argv[2], "w") as out:
    for line in lines:
        record = json.loads(line)
        decision = record["therapies"][0]
        out.write(f"{record['patient']} {decision['tier']} {decision['score']}\n")
PY

"$probe" cohort "$cohort" eswt 3 | tee "$work/probe.out"
evaluate=$(sed -n 's/^evaluate .*: median \([0-9]*\) patients\/s.*$/\1/p' "$work/probe.out")
both=$(sed -n 's/^read + evaluate: \([0-9]*\) patients\/s$/\1/p' "$work/probe.out")
cd "$here" && .venv/bin/python zen_cohort.py "$cohort" "$work/tiers" "$cli_rate" "$evaluate" "$both" 3
