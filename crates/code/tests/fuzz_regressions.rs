//! Replays the saved inputs of the `codebook` fuzz target on stable Rust:
//! every file in `fuzz/regressions/codebook/` and `fuzz/seeds/codebook/`
//! goes through the target's body, the same code
//! `cargo +nightly fuzz run codebook` runs (see `fuzz/README.md`).

#[path = "../../../fuzz/src/codebook.rs"]
#[allow(dead_code)]
mod harness;
#[path = "../../../fuzz/src/replay.rs"]
mod replay;

#[test]
fn saved_codebook_fuzz_findings_stay_fixed() {
    let found = replay::inputs("regressions", harness::TARGETS);
    assert!(!found.is_empty(), "no inputs in fuzz/regressions/codebook");
    replay::replay(&found, harness::run);
}

#[test]
fn codebook_fuzz_seeds_parse_cleanly() {
    let found = replay::inputs("seeds", harness::TARGETS);
    assert!(!found.is_empty(), "no inputs in fuzz/seeds/codebook");
    replay::replay(&found, harness::run);
}
