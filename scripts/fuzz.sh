#!/usr/bin/env bash
# Builds and runs Candidacy's libFuzzer targets (the package in Fuzz/; see docs/FUZZING.md).
#
#   scripts/fuzz.sh TARGET SECONDS      run one target for SECONDS seconds
#   scripts/fuzz.sh all SECONDS         run every target, SECONDS seconds each
#   scripts/fuzz.sh build               only build the targets
#   scripts/fuzz.sh regress             run every target once over the kept regression inputs
#
# TARGET is one of: therapy, profile, patient, cel, fixture, csv. Each run starts from the seeds
# scripts/fuzz-corpus.py generates (Fuzz/corpus/seeds/TARGET) and the corpus earlier runs grew
# (Fuzz/corpus/TARGET, kept between runs, never committed); a crash, timeout, leak or
# out-of-memory input is written to Fuzz/artifacts/TARGET/ and the script exits non-zero.
# One process (one worker) per run, so the machine stays usable. Every run appends its
# executions and coverage to Fuzz/corpus/stats.tsv.
#
# Environment: FUZZ_ARGS adds libFuzzer flags (such as -seed=1 or -only_ascii=1);
# FUZZ_CONFIG=debug builds unoptimised targets (about ten times slower, with assertions;
# release, the default, keeps ASan, bounds and overflow checks).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"

targets=(therapy profile patient cel fixture csv)
config="${FUZZ_CONFIG:-release}"

usage() {
  echo "usage: scripts/fuzz.sh {${targets[*]// /|}|all} SECONDS | build | regress" >&2
  exit 64
}

executable() {
  case "$1" in
    therapy) echo FuzzTherapy ;;
    profile) echo FuzzProfile ;;
    patient) echo FuzzPatient ;;
    cel) echo FuzzExpression ;;
    fixture) echo FuzzFixture ;;
    csv) echo FuzzCSV ;;
    *) usage ;;
  esac
}

# The longest input each target is given: a little over the largest real file of its kind.
max_len() {
  case "$1" in
    therapy) echo 32768 ;;
    profile) echo 16384 ;;
    patient | fixture) echo 8192 ;;
    csv) echo 4096 ;;
    cel) echo 2048 ;;
  esac
}

dictionary() {
  case "$1" in
    cel) echo Fuzz/cel.dict ;;
    csv) echo Fuzz/csv.dict ;;
    *) echo Fuzz/yaml.dict ;;
  esac
}

build() {
  echo "== building the fuzz targets ($config, -sanitize=fuzzer,address)"
  # An incremental build of this package after a change to the main sources can link stale
  # objects of the main library (seen: an AddressSanitizer stack-buffer-overflow in the
  # initializer of a struct that had gained a field); so the build starts clean whenever a
  # source file changed since the last one.
  local stamp
  stamp=$(find Sources Package.swift Fuzz/Sources Fuzz/Package.swift -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1)
  if [ "$(cat "Fuzz/.build/sources-$config.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "Fuzz/.build/$config" "Fuzz/.build/x86_64-unknown-linux-gnu/$config"
  fi
  swift build --package-path Fuzz -c "$config" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xcc -fsanitize=fuzzer-no-link,address >Fuzz/corpus/build.log 2>&1 \
    || { grep -v "Cannot export local symbol" Fuzz/corpus/build.log | tail -40 >&2; exit 1; }
  tail -1 Fuzz/corpus/build.log
  [ -x "Fuzz/.build/$config/FuzzTherapy" ] || { echo "the fuzz build failed" >&2; exit 1; }
  echo "$stamp" > "Fuzz/.build/sources-$config.stamp"
}

# Leaks: libFuzzer checks every input whose run allocates more than it frees. LeakSanitizer's
# own check at exit is off: it would report the shared pack the targets keep in globals (see
# Fuzz/lsan.supp), which lives until exit by design.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:leak_check_at_exit=0:allocator_may_return_null=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/Fuzz/lsan.supp:print_suppressions=0}"
export CANDIDACY_ROOT="$root"

run() {
  local target=$1 seconds=$2 binary corpus artifacts log status
  binary="Fuzz/.build/$config/$(executable "$target")"
  corpus="Fuzz/corpus/$target"
  artifacts="Fuzz/artifacts/$target"
  log="Fuzz/corpus/$target.log"
  mkdir -p "$corpus" "$artifacts"
  echo "== fuzzing $target for ${seconds}s"
  status=0
  # shellcheck disable=SC2086
  "$binary" "$corpus" "Fuzz/corpus/seeds/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
    -max_len="$(max_len "$target")" -dict="$(dictionary "$target")" \
    -artifact_prefix="$artifacts/" -print_final_stats=1 -print_pcs=0 \
    ${FUZZ_ARGS:-} >"$log" 2>&1 || status=$?
  grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)|ERROR|SUMMARY|^artifact_prefix|Test unit written" "$log" | tail -12
  local executions cov ft
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE "cov: [0-9]+" "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE "ft: [0-9]+" "$log" | tail -1 | cut -d' ' -f2)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$seconds" "${executions:-0}" \
    "${cov:-?}" "${ft:-?}" "$status" >>Fuzz/corpus/stats.tsv
  echo "$target: ${executions:-0} executions, cov ${cov:-?}, ft ${ft:-?}, exit $status (log: $log)"
  return "$status"
}

regress() {
  local failed=0 target folder
  for target in "${targets[@]}"; do
    folder="Tests/CandidacyKitTests/Data/FuzzRegressions/$target"
    [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ] || continue
    echo "== $target: $(ls "$folder" | wc -l) regression inputs"
    "Fuzz/.build/$config/$(executable "$target")" -runs=1 -timeout=10 -rss_limit_mb=2048 "$folder"/* \
      >"Fuzz/corpus/$target-regress.log" 2>&1 || { failed=1; tail -30 "Fuzz/corpus/$target-regress.log"; }
  done
  return "$failed"
}

[ $# -ge 1 ] || usage
mkdir -p Fuzz/corpus
case "$1" in
  build) build ;;
  regress) build; regress ;;
  *)
    [ $# -eq 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || usage
    if [ "$1" = all ]; then selected=("${targets[@]}"); else executable "$1" >/dev/null; selected=("$1"); fi
    build
    python3 scripts/fuzz-corpus.py Fuzz/corpus/seeds >/dev/null
    failed=()
    for target in "${selected[@]}"; do
      run "$target" "$2" || failed+=("$target")
    done
    if [ ${#failed[@]} -gt 0 ]; then
      echo "fuzzing found a problem in: ${failed[*]} (inputs in Fuzz/artifacts/)" >&2
      exit 1
    fi
    ;;
esac
