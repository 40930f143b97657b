//! The fast sentence and word boundaries agree with unicode-segmentation on
//! every segment of the real corpora in `../shared/corpora` (skipped with a
//! notice when that folder is absent).

// The skip notice goes to stdout, as in the other tests of real corpora.
#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};

use voces_corpus::{IngestConfig, ProjectConfig};
use voces_ingest::segment::Segmenter;
use voces_ingest::{ReadOptions, ingest_file, transcript_format};

const FOLDERS: &[&str] = &[
    "preseea-es/texts",
    "boder-vtt",
    "ushmm-en-docx/docx",
    "mlsss-en/transcripts",
    "bangor-miami-chat/beta",
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, out);
        } else if transcript_format(&path).is_some() {
            out.push(path);
        }
    }
}

#[test]
fn fast_boundaries_agree_on_the_shared_corpora() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    if !root.is_dir() {
        println!("skipping: {} is not present", root.display());
        return;
    }
    let options = ReadOptions::new(&ProjectConfig::default(), &IngestConfig::default()).unwrap();
    let mut s = Segmenter::new();
    let (mut segments, mut fast) = (0, 0);
    for folder in FOLDERS {
        let mut paths = Vec::new();
        files(&root.join(folder), &mut paths);
        assert!(!paths.is_empty(), "{folder}: no transcripts");
        for path in paths {
            let interview = ingest_file(&path, &options).unwrap();
            for seg in &interview.segments {
                segments += 1;
                fast += usize::from(Segmenter::fast_path(&seg.text));
                let general = s.split_general(&seg.text, seg.start);
                let general_texts = s.sentence_texts().to_vec();
                let split = s.split(&seg.text, seg.start);
                assert_eq!(split, general, "{}: {}", path.display(), seg.id);
                assert_eq!(s.sentence_texts(), general_texts, "{}", seg.id);
                // What the builder stored is what both give.
                assert_eq!(split.sentences, seg.sentences, "{}", seg.id);
                assert_eq!(split.words, seg.words, "{}", seg.id);
            }
        }
    }
    // Nearly all real text takes the fast path, so this tested it.
    assert!(fast * 100 >= segments * 99, "{fast} of {segments} fast");
}
