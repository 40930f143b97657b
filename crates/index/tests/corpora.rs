//! Real transcripts from `shared/corpora`: for a set of theme words, the
//! segments the index finds equal those found by a brute-force scan of the
//! stored segments with the same analyzers.
//!
//! Skipped, with a notice, when the corpora are not beside the repository.

#![allow(clippy::print_stderr, reason = "the skip notice and the tally")]

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use voces_corpus::{IngestConfig, Project, ProjectConfig};
use voces_index::{Index, Query, SearchOptions};

const WORDS: &[&str] = &[
    "frontera",
    "migración",
    "papeles",
    "refugio",
    "visa",
    "smuggling",
    "border",
    "camp",
    "passport",
    "asylum",
    "trabajo",
    "familia",
    "mujeres",
    "ciudad",
    "niños",
    "guerra",
    "war",
    "family",
    "children",
    "work",
    "school",
    "escuela",
    "madre",
    "mother",
    "año",
    "exclusion",
    "deported",
    "soldiers",
];

fn corpora() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    dir.is_dir().then_some(dir)
}

fn files(dir: &Path, ext: &str, take: usize) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out.truncate(take);
    out
}

/// A stored segment and its terms under the analyzers that index it.
struct Seg {
    id: String,
    language: String,
    lang: HashSet<String>,
    exact: HashSet<String>,
    plain: Vec<String>,
}

#[test]
fn index_hits_equal_a_brute_force_scan() {
    let Some(corpora) = corpora() else {
        eprintln!("skipped: no shared/corpora beside the repository");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path()).unwrap();
    let languages = vec!["en".to_owned(), "es".to_owned()];
    let options = voces_ingest::ReadOptions::new(
        &ProjectConfig {
            name: "test".into(),
            languages: languages.clone(),
        },
        &IngestConfig::default(),
    )
    .unwrap();
    let mut paths = files(&corpora.join("preseea-es/texts"), "txt", 20);
    paths.extend(files(&corpora.join("mlsss-en/transcripts"), "txt", 40));
    paths.extend(files(&corpora.join("boder-vtt"), "vtt", 12));
    let store = project.store();
    let started = std::time::Instant::now();
    let mut skipped = 0;
    for p in &paths {
        match voces_ingest::ingest_file(p, &options) {
            Ok(i) => store.put_interview(&i).unwrap(),
            Err(e) => {
                skipped += 1;
                eprintln!("skipped {}: {e}", p.display());
            }
        }
    }
    let ids = store.interview_ids().unwrap();
    assert!(ids.len() >= 20, "only {} transcripts read", ids.len());

    eprintln!("read in {:?}", started.elapsed());
    let mut index = Index::open_or_create(&project.data_dir().join("index"), &languages).unwrap();
    index
        .update(&store, &store.attributes().unwrap(), &|_, _| {})
        .unwrap();

    eprintln!("indexed in {:?}", started.elapsed());
    // Each segment's terms under the analyzers that index it.
    let mut segments = Vec::new();
    for id in &ids {
        for s in store.interview(id).unwrap().segments {
            segments.push(Seg {
                lang: index
                    .analyzer(&s.language)
                    .terms(&s.text)
                    .into_iter()
                    .collect(),
                exact: index.exact_analyzer().terms(&s.text).into_iter().collect(),
                plain: index.plain_analyzer().terms(&s.text),
                id: s.id,
                language: s.language,
            });
        }
    }
    assert_eq!(index.num_segments(), segments.len() as u64);

    let search = |q: Query| -> BTreeSet<String> {
        index
            .search(
                &q,
                &SearchOptions {
                    limit: usize::MAX,
                    ..SearchOptions::default()
                },
            )
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.segment)
            .collect()
    };
    eprintln!("scanned in {:?}", started.elapsed());
    let languages_seen: BTreeSet<String> = segments.iter().map(|s| s.language.clone()).collect();
    let mut total = 0;
    for word in WORDS {
        // Default mode: a segment is in one language field; the word,
        // analyzed as that field analyzes, must be among its terms.
        let by_language: HashMap<&str, Vec<String>> = languages_seen
            .iter()
            .map(|l| (l.as_str(), index.analyzer(l).terms(word)))
            .collect();
        let expected: BTreeSet<String> = segments
            .iter()
            .filter(|s| {
                by_language[s.language.as_str()]
                    .iter()
                    .any(|t| s.lang.contains(t))
            })
            .map(|s| s.id.clone())
            .collect();
        let found = search(Query::parse(word).unwrap());
        assert_eq!(
            (
                found.difference(&expected).collect::<Vec<_>>(),
                expected.difference(&found).collect::<Vec<_>>()
            ),
            (vec![], vec![]),
            "{word}: (found only by the index, only by the scan)"
        );
        total += found.len();

        let exact_terms = index.exact_analyzer().terms(word);
        let exact: BTreeSet<String> = segments
            .iter()
            .filter(|s| exact_terms.iter().any(|t| s.exact.contains(t)))
            .map(|s| s.id.clone())
            .collect();
        assert_eq!(
            search(Query::parse(word).unwrap().exact(true)),
            exact,
            "--exact {word}"
        );

        let prefix: String = word.chars().take(5).collect();
        let plain = index.plain_analyzer().terms(&prefix).pop().unwrap();
        let starts: BTreeSet<String> = segments
            .iter()
            .filter(|s| s.plain.iter().any(|t| t.starts_with(&plain)))
            .map(|s| s.id.clone())
            .collect();
        assert_eq!(
            search(Query::parse(&format!("{prefix}*")).unwrap()),
            starts,
            "{prefix}*"
        );
    }
    eprintln!(
        "{} transcripts ({skipped} skipped), {} segments, {total} hits for {} words",
        ids.len(),
        segments.len(),
        WORDS.len()
    );
}
