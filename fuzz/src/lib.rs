//! Shared bodies of the voces fuzz targets (see `fuzz/README.md`). Each
//! module is also compiled, with `#[path]`, into a stable test that replays
//! the saved inputs of `fuzz/regressions/`.

pub mod codebook;
pub mod ingest;
pub mod refi;

/// Every fuzz target, in `fuzz/fuzz_targets/<name>.rs`.
pub fn targets() -> impl Iterator<Item = &'static str> {
    ingest::TARGETS
        .iter()
        .chain(codebook::TARGETS)
        .chain(refi::TARGETS)
        .copied()
}

/// Runs a target on one input (what each fuzz target does).
pub fn run(target: &str, data: &[u8]) {
    assert!(
        ingest::run(target, data) || codebook::run(target, data) || refi::run(target, data),
        "no fuzz target {target}"
    );
}
