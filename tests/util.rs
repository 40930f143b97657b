//! Helpers for end-to-end tests: a temporary project and a way to run
//! `voces` in it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled sample corpus.
pub fn sample() -> PathBuf {
    repo().join("examples/smo-sample")
}

/// `../shared/corpora`, or `None` (with a printed notice) when this checkout
/// has no shared folder beside it.
pub fn shared_corpora(test: &str) -> Option<PathBuf> {
    let p = repo().join("../shared/corpora");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipping {test}: ../shared/corpora is not present");
        None
    }
}

/// A temporary folder holding a fresh project.
pub struct TestProject {
    pub dir: tempfile::TempDir,
}

impl TestProject {
    pub fn new() -> TestProject {
        let dir = tempfile::tempdir().unwrap();
        let p = TestProject { dir };
        p.ok(&["init", "."]);
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs voces in the project folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_voces"))
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// Runs voces and asserts exit code 0; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "voces {args:?} failed ({:?})\nstdout:\n{}\nstderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Writes a file under the project folder, returning its path.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// `corpus list --json` parsed.
    pub fn list(&self) -> Vec<serde_json::Value> {
        self.ok(&["corpus", "list", "--json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// `corpus show ID --json` parsed.
    pub fn show(&self, id: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["corpus", "show", id, "--json"])).unwrap()
    }
}

/// stderr as a string.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The JSON Schema `corpus-schema/NAME`, compiled.
pub fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("corpus-schema").join(name)).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft202012::new(&value)
        .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"))
}

/// Asserts that `instance` validates, listing every error.
pub fn check(validator: &jsonschema::Validator, instance: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}\n{instance}",
        errors.join("\n")
    );
}
