#!/usr/bin/env bash
# End-to-end timings of the candidacy CLI on synthetic cohorts (JSON Lines), and of one case
# from a cold start. Release build; hyperfine (Debian's package) when present, else repeated
# /usr/bin/time with the median printed.
#
#   bash Benchmarks/cohort.sh [SIZES...]        (default: 10000 100000 1000000)
#   JOBS="1 2" RUNS=5 bash Benchmarks/cohort.sh 100000
#   FORMATS="decisions" bash Benchmarks/cohort.sh 1000000
#
# Cohorts of 1,000,000 or more are run once per setting (RUNS_LARGE, default 1), with their
# peak resident memory (/usr/bin/time); smaller ones RUNS times. `--format json` writes full
# traces (about 20 KB per patient), so FORMATS defaults to "decisions json" below a million
# patients and to "decisions" from a million on (LARGE_FORMATS).
#
# Needs the batch mode of `candidacy evaluate` (JSON Lines in, `--format decisions`, `--jobs N`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
export PATH="/opt/swift/usr/bin:$PATH"
if [ $# -gt 0 ]; then sizes=("$@"); else sizes=(10000 100000 1000000); fi
jobs_list="${JOBS:-1 2}"
runs="${RUNS:-5}"
runs_large="${RUNS_LARGE:-1}"
formats="${FORMATS:-decisions json}"
large_formats="${LARGE_FORMATS:-decisions}"

(cd "$root" && swift build -c release --product candidacy >/dev/null)
cli="$(cd "$root" && swift build -c release --show-bin-path)/candidacy"
mkdir -p "$here/cohorts"

# The median wall time in seconds of `runs` runs of a command (its output discarded).
median_time() {
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

time_command() {
  local label="$1"; shift
  if command -v hyperfine > /dev/null; then
    # --shell=none: no shell start-up in the figures (a cold start is a few tens of milliseconds).
    hyperfine --style basic --shell=none --warmup 1 --runs "$runs" --export-json "$here/cohorts/last.json" \
      --command-name "$label" "$(printf '%q ' "$@")" > /dev/null
    python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(r['median'])" "$here/cohorts/last.json"
  else
    median_time "$@"
  fi
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(swift --version 2>&1 | head -1)"
for size in "${sizes[@]}"; do
  cohort="$here/cohorts/cohort-$size.jsonl"
  [ -f "$cohort" ] || python3 "$here/generate-cohort.py" --count "$size" --seed 7 -o "$cohort"
  if [ "$size" -ge 1000000 ]; then size_formats="$large_formats"; size_runs="$runs_large"; else size_formats="$formats"; size_runs="$runs"; fi
  for format in $size_formats; do
    for jobs in $jobs_list; do
      if [ "$size" -ge 1000000 ]; then
        # Once (or RUNS_LARGE times), with the peak resident memory.
        best=""
        for _ in $(seq "$size_runs"); do
          /usr/bin/time -f "%e %M" -o "$here/cohorts/time.txt" "$cli" evaluate "$cohort" --format "$format" --jobs "$jobs" > /dev/null
          read -r seconds rss < "$here/cohorts/time.txt"
          if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then best="$seconds"; best_rss="$rss"; fi
        done
        awk -v n="$size" -v s="$best" -v f="$format" -v j="$jobs" -v m="$best_rss" -v r="$size_runs" \
          'BEGIN { printf "%-9s --jobs %s  %8d patients  best of %d %7.3f s  %9.0f patients/s  peak RSS %.0f MB\n", f, j, n, r, s, n / s, m / 1024 }'
      else
        seconds=$(runs="$size_runs" time_command "$format-$jobs-$size" "$cli" evaluate "$cohort" --format "$format" --jobs "$jobs")
        awk -v n="$size" -v s="$seconds" -v f="$format" -v j="$jobs" \
          'BEGIN { printf "%-9s --jobs %s  %8d patients  median %7.3f s  %9.0f patients/s\n", f, j, n, s, n / s }'
      fi
    done
  done
done

# One case from a cold start, run from a folder without Rules/ so that the embedded pack is used,
# and from the repository (Rules/ read from disk).
case_file="$root/Fixtures/eswt-tendinopathy-after-pt.yaml"
seconds=$(cd /tmp && runs=30 time_command cold-start "$cli" evaluate "$case_file")
awk -v s="$seconds" 'BEGIN { printf "cold start, one case, embedded pack: median %.1f ms\n", s * 1000 }'
seconds=$(cd "$root" && runs=30 time_command cold-start-rules "$cli" evaluate "$case_file")
awk -v s="$seconds" 'BEGIN { printf "cold start, one case, Rules/ from disk: median %.1f ms\n", s * 1000 }'
