#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after the
# other, on corpora freshly built by build-corpus.sh. Stops at the first
# target that finds a crash, a hang or a memory blow-up, and says where the
# input is. Needs a nightly toolchain and cargo-fuzz.
#
# Usage: fuzz/run-all.sh SECONDS [TARGET...]
#
# FUZZ_SEED=N fixes libFuzzer's seed (CI does, so that its short runs
# walk the same inputs each time); unset or 0, each run picks its own.
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
secs="${1:?usage: fuzz/run-all.sh SECONDS [TARGET...]}"
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' "$fuzz/Cargo.toml" | grep -v '^voces-fuzz$')
fi

cd "$fuzz"
mkdir -p "$fuzz/artifacts"
"$fuzz/build-corpus.sh" "${targets[@]}"
# One build for all targets; no sanitizer (voces forbids unsafe code, and
# speed finds more), debug assertions on so that overflows are caught.
cargo +nightly fuzz build -s none -a
for target in "${targets[@]}"; do
    echo "== fuzz $target for ${secs}s"
    # Whole zip files need room for their central directory.
    max_len=4096
    case "$target" in docx | odt | workbook | qdpx) max_len=65536 ;; esac
    # -timeout: one input taking 10 s is a finding (quadratic behaviour);
    # -malloc_limit_mb: so is one allocation of 1 GiB from a small input.
    if ! cargo +nightly fuzz run "$target" -s none -a -- \
        -max_total_time="$secs" -max_len="$max_len" -timeout=10 \
        -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
        -seed="${FUZZ_SEED:-0}" \
        2>"$fuzz/artifacts/$target.log"; then
        tail -n 40 "$fuzz/artifacts/$target.log" >&2
        echo "fuzz target $target failed: the input is in fuzz/artifacts/$target/" >&2
        echo "hint: minimize it (cargo +nightly fuzz tmin $target FILE), fix the bug, and save it in fuzz/regressions/$target/" >&2
        exit 1
    fi
    grep -E '^stat::number_of_executed_units|^Done' "$fuzz/artifacts/$target.log" || true
done
