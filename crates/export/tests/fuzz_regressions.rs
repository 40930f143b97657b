//! Replays the saved inputs of the REFI-QDA import fuzz targets (`qdpx`,
//! `qde`, `refi_align`) on stable Rust: every file in
//! `fuzz/regressions/<target>/` and `fuzz/seeds/<target>/` goes through
//! the target's body, the same code `cargo +nightly fuzz run <target>`
//! runs (see `fuzz/README.md`).

#[path = "../../../fuzz/src/refi.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../../../fuzz/src/replay.rs"]
mod replay;

#[test]
fn saved_refi_fuzz_findings_stay_fixed() {
    let found = replay::inputs("regressions", harness::TARGETS);
    assert!(
        !found.is_empty(),
        "no inputs in fuzz/regressions for the REFI-QDA targets"
    );
    replay::replay(&found, harness::run);
}

#[test]
fn refi_fuzz_seeds_read_cleanly() {
    let found = replay::inputs("seeds", harness::TARGETS);
    assert!(
        !found.is_empty(),
        "no inputs in fuzz/seeds for the REFI-QDA targets"
    );
    replay::replay(&found, harness::run);
}
