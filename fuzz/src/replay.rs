//! Replay of the saved fuzz inputs on stable Rust, shared by the replay
//! tests of the crates that own the targets (each includes this file and
//! its targets' module with `#[path]`): every file of
//! `fuzz/regressions/<target>/` and `fuzz/seeds/<target>/` goes through the
//! target's body, the code `cargo +nightly fuzz run <target>` runs.

use std::path::{Path, PathBuf};

/// The `fuzz/` folder, from the including crate (`crates/<name>/`).
pub fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The targets `fuzz/Cargo.toml` declares (its `[[bin]]` names).
pub fn declared_targets() -> Vec<String> {
    let manifest = fuzz_dir().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    let mut targets = Vec::new();
    let mut in_bin = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin && let Some(name) = line.strip_prefix("name = ") {
            targets.push(name.trim_matches('"').to_owned());
        }
    }
    targets
}

/// The saved inputs of `targets` in `fuzz/<kind>/` (`regressions` or
/// `seeds`), as (target, file). Fails on a folder there that is no
/// declared target, so that an input saved under a wrong name is not
/// silently left out, and on a target of `targets` that is not declared.
pub fn inputs(kind: &str, targets: &[&str]) -> Vec<(String, PathBuf)> {
    let declared = declared_targets();
    for t in targets {
        assert!(
            declared.iter().any(|d| d == t),
            "{t} is not in fuzz/Cargo.toml"
        );
    }
    let dir = fuzz_dir().join(kind);
    let mut out = Vec::new();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let folder = entry.expect("readable fuzz folder").path();
        let name = folder
            .file_name()
            .expect("folder name")
            .to_string_lossy()
            .into_owned();
        assert!(
            declared.contains(&name),
            "{} is not a fuzz target folder (targets: {declared:?})",
            folder.display()
        );
        if !targets.contains(&name.as_str()) {
            continue;
        }
        for file in std::fs::read_dir(&folder).expect("readable target folder") {
            let path = file.expect("readable input").path();
            if path.is_file() {
                out.push((name.clone(), path));
            }
        }
    }
    out.sort();
    out
}

/// Runs every input with `run` (a target's body, false for an unknown
/// target), then fails listing each input that panicked.
pub fn replay(inputs: &[(String, PathBuf)], run: fn(&str, &[u8]) -> bool) {
    let mut failed = Vec::new();
    for (target, path) in inputs {
        let data = std::fs::read(path).expect("readable input");
        match std::panic::catch_unwind(|| run(target, &data)) {
            Ok(known) => assert!(known, "no fuzz target {target}"),
            Err(_) => failed.push(path.display().to_string()),
        }
    }
    assert!(
        failed.is_empty(),
        "{} fuzz inputs fail (each panic is printed above):\n{}",
        failed.len(),
        failed.join("\n")
    );
}
