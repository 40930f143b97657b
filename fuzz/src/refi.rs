//! Bodies of the REFI-QDA import fuzz targets (`voces import` of `.qdpx`
//! projects and `.qdc` codebooks), through the public pieces the import is
//! made of, since the import itself writes into a project on disk:
//!
//! - `qdpx`: a whole archive through `refi::zipsafe::SafeZip` (entry names,
//!   limits), `project.qde` decoded and parsed, every source text read;
//! - `qde`: `project.qde` and `.qdc` XML through `refi::read::parse_project`
//!   and `parse_codebook`;
//! - `refi_align`: a source's plain text built into an interview and
//!   aligned with it (`refi::align::Alignment`), as the import places
//!   selections; the input's first 8 bytes give a selection to place.
//!
//! The same file is compiled into the stable replay test
//! `crates/export/tests/fuzz_regressions.rs`.

use std::io::Cursor;
use std::path::Path;
use std::sync::LazyLock;

use voces_export::Error;
use voces_export::refi::DEFAULT_LIMITS;
use voces_export::refi::align::Alignment;
use voces_export::refi::read::{parse_codebook, parse_project};
use voces_export::refi::zipsafe::SafeZip;
use voces_ingest::ReadOptions;

/// The fuzz targets of this file.
pub const TARGETS: &[&str] = &["qdpx", "qde", "refi_align"];

static OPTIONS: LazyLock<ReadOptions> = LazyLock::new(|| {
    ReadOptions::new(&Default::default(), &Default::default()).expect("default options")
});

/// Runs `target` on `data`; panics on a crash or a broken invariant.
/// Returns false when `target` is not one of [`TARGETS`].
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "qdpx" => qdpx(data),
        "qde" => {
            if let Ok(text) = std::str::from_utf8(data) {
                qde(text);
            }
        }
        "refi_align" => align(data),
        _ => return false,
    }
    true
}

/// An error names the file and, once the hints are set aside, is one line.
fn check_error(e: &Error, name: &str) {
    let text = e.to_string();
    assert!(
        text.starts_with(name),
        "error does not name the file: {text}"
    );
    for line in text.lines().skip(1) {
        assert!(
            line.starts_with("hint: "),
            "error of more than one line: {text:?}"
        );
    }
}

fn qdpx(data: &[u8]) {
    let path = Path::new("fuzz.qdpx");
    let mut zip = match SafeZip::new(path, Cursor::new(data), DEFAULT_LIMITS) {
        Ok(zip) => zip,
        Err(e) => return check_error(&e, "fuzz.qdpx"),
    };
    let names: Vec<String> = zip.names().to_vec();
    for name in names {
        match zip.read(&name) {
            Ok(bytes) => {
                assert!(zip.read_total() <= DEFAULT_LIMITS.max_total_bytes);
                let Ok(decoded) = voces_ingest::decode::decode(&bytes) else {
                    continue;
                };
                if name.eq_ignore_ascii_case("project.qde") {
                    let mut problems = Vec::new();
                    if let Err(e) = parse_project(&decoded.text, path, &name, &mut problems) {
                        check_error(&e, "fuzz.qdpx");
                    }
                }
            }
            Err(e) => check_error(&e, "fuzz.qdpx"),
        }
    }
}

fn qde(text: &str) {
    let path = Path::new("fuzz.qde");
    let mut problems = Vec::new();
    if let Err(e) = parse_project(text, path, "project.qde", &mut problems) {
        check_error(&e, "fuzz.qde");
    }
    let mut problems = Vec::new();
    if let Err(e) = parse_codebook(text, Path::new("fuzz.qdc"), &mut problems) {
        check_error(&e, "fuzz.qdc");
    }
}

fn align(data: &[u8]) {
    let (span, text) = data.split_at(data.len().min(8));
    let mut raw = [0u8; 8];
    raw[..span.len()].copy_from_slice(span);
    let start = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]) as usize % 100_000;
    let end = u32::from_le_bytes([raw[4], raw[5], raw[6], raw[7]]) as usize % 100_000;
    let Ok(interview) = voces_ingest::ingest_bytes(Path::new("source.txt"), text, &OPTIONS) else {
        return;
    };
    let Ok(decoded) = voces_ingest::decode::decode(text) else {
        return;
    };
    let target_chars = interview.text.chars().count();
    for crlf_as_one in [false, true] {
        let alignment = Alignment::new(&decoded.text, &interview.text, crlf_as_one);
        let share = alignment.matched_share();
        assert!((0.0..=1.0).contains(&share), "matched share {share}");
        if let Some((a, b)) = alignment.span(start.min(end), start.max(end)) {
            assert!(
                a <= b && b <= target_chars,
                "span {a}..{b} of {target_chars}"
            );
        }
    }
}
