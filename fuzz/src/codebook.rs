//! Body of the `codebook` fuzz target: `voces_code::Codebook::parse` on
//! any text, as `voces code` reads a codebook file.
//!
//! The same file is compiled into the stable replay test
//! `crates/code/tests/fuzz_regressions.rs`. Beyond "no panic", it checks
//! that every problem names the file and that a codebook that parses has
//! a stable hash and a canonical form that serializes.

use std::path::Path;

use voces_code::{Codebook, Error};

/// The fuzz targets of this file.
pub const TARGETS: &[&str] = &["codebook"];

/// Runs `target` on `data`; panics on a crash or a broken invariant.
/// Returns false when `target` is not one of [`TARGETS`].
pub fn run(target: &str, data: &[u8]) -> bool {
    if target != "codebook" {
        return false;
    }
    // `Codebook::load` refuses text that is not UTF-8 before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return true;
    };
    let languages = ["en".to_owned(), "es".to_owned()];
    let path = Path::new("fuzz.toml");
    for langs in [&languages[..], &[]] {
        match Codebook::parse(text, path, langs) {
            Ok(codebook) => {
                let hash = codebook.hash();
                assert_eq!(hash.len(), 64, "hash {hash}");
                assert_eq!(hash, codebook.hash(), "hash is stable");
                assert!(!codebook.canonical_json().is_empty(), "canonical form");
                for (code, rule) in codebook.rules() {
                    assert!(codebook.code(&code.id).is_some(), "rule of unknown code");
                    assert!(
                        codebook.rule(&rule.id).is_some(),
                        "rule {} not found",
                        rule.id
                    );
                    assert!(
                        codebook.theme_of(&code.id).is_some(),
                        "code {} without theme",
                        code.id
                    );
                }
            }
            Err(Error::Codebook(problems)) => {
                assert!(!problems.is_empty(), "an error without problems");
                for p in &problems {
                    assert_eq!(p.path, path, "problem does not name the file");
                    assert!(
                        p.message.lines().skip(1).all(|l| l.starts_with("hint: ")),
                        "problem of more than one line: {:?}",
                        p.message
                    );
                }
            }
            Err(e) => panic!("unexpected error kind: {e}"),
        }
    }
    true
}
