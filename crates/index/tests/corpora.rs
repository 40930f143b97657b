//! Real transcripts from `shared/corpora`: for a set of theme words, the
//! segments the index finds, and the words it marks in them, equal those
//! found by a brute-force scan of the stored segments with the same
//! analyzers; the same for phrases.
//!
//! Skipped, with a notice, when the corpora are not beside the repository.

#![allow(clippy::print_stderr, reason = "the skip notice and the tally")]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use voces_corpus::{IngestConfig, Project, ProjectConfig};
use voces_index::{AnalyzedToken, Hit, Index, Query, SearchOptions};

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

/// Phrases, some of frequent words (the index answers two-word phrases
/// from pairs of consecutive words).
const PHRASES: &[&str] = &[
    "no sé",
    "la frontera",
    "en el pueblo",
    "de la",
    "mi familia",
    "es que",
    "I don't know",
    "the border",
    "my mother",
    "concentration camp",
    "work permit",
    "in the camp",
];

/// A stored segment and its terms under the analyzers that index it.
struct Seg {
    id: String,
    language: String,
    lang: HashSet<String>,
    exact: HashSet<String>,
    plain: Vec<String>,
    /// Terms of the language analyzer by position, with the position's
    /// character span.
    positions: Vec<(Vec<String>, (usize, usize))>,
}

/// Terms by position, as the index holds them.
fn by_position(tokens: &[AnalyzedToken]) -> Vec<(Vec<String>, (usize, usize))> {
    let last = tokens.iter().map(|t| t.position + 1).max().unwrap_or(0);
    let mut out = vec![(Vec::new(), (0, 0)); last];
    for t in tokens {
        out[t.position].0.push(t.text.clone());
        out[t.position].1 = (t.start, t.end);
    }
    out
}

/// Sorts spans and merges those that overlap.
fn merged(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.0 < last.1 => last.1 = last.1.max(s.1),
            _ => out.push(s),
        }
    }
    out
}

/// The spans of a segment where a phrase (canonical terms by offset)
/// matches.
fn phrase_spans(seg: &Seg, phrase: &[(usize, String)]) -> Vec<(usize, usize)> {
    let width = phrase.last().map_or(0, |t| t.0);
    (0..seg.positions.len().saturating_sub(width))
        .filter(|&p| {
            phrase
                .iter()
                .all(|(o, t)| seg.positions[p + o].0.contains(t))
        })
        .map(|p| (seg.positions[p].1.0, seg.positions[p + width].1.1))
        .collect()
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
            let tokens = index.analyzer(&s.language).tokens(&s.text);
            segments.push(Seg {
                lang: tokens.iter().map(|t| t.text.clone()).collect(),
                positions: by_position(&tokens),
                exact: index.exact_analyzer().terms(&s.text).into_iter().collect(),
                plain: index.plain_analyzer().terms(&s.text),
                id: s.id,
                language: s.language,
            });
        }
    }
    assert_eq!(index.num_segments(), segments.len() as u64);

    let hits = |q: &Query, rank: bool| -> Vec<Hit> {
        index
            .search(
                q,
                &SearchOptions {
                    limit: usize::MAX,
                    rank,
                    count_only: false,
                },
            )
            .unwrap()
            .hits
    };
    let search =
        |q: Query| -> BTreeSet<String> { hits(&q, false).into_iter().map(|h| h.segment).collect() };
    let by_id: HashMap<&str, &Seg> = segments.iter().map(|s| (s.id.as_str(), s)).collect();
    let spans =
        |h: &Hit| -> Vec<(usize, usize)> { h.matches.iter().map(|m| (m.start, m.end)).collect() };
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
        let found_hits = hits(&Query::parse(word).unwrap(), false);
        // Matched spans: the words whose terms are the word's, as the whole
        // segment analyzes.
        for h in &found_hits {
            let seg = by_id[h.segment.as_str()];
            let terms = &by_language[seg.language.as_str()];
            let expected: Vec<(usize, usize)> = seg
                .positions
                .iter()
                .filter(|(t, _)| t.iter().any(|t| terms.contains(t)))
                .map(|(_, span)| *span)
                .collect();
            assert_eq!(
                spans(h),
                merged(expected),
                "{word}: matches in {}",
                h.segment
            );
        }
        let found: BTreeSet<String> = found_hits.into_iter().map(|h| h.segment).collect();
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
    for phrase in PHRASES {
        // Canonical terms by offset, per segment language.
        let wanted: HashMap<&str, Vec<(usize, String)>> = languages_seen
            .iter()
            .map(|l| {
                let tokens = index.analyzer(l).tokens(phrase);
                let first = tokens.first().map_or(0, |t| t.position);
                let mut terms: Vec<(usize, String)> = Vec::new();
                for t in tokens {
                    if terms.last().is_none_or(|last| last.0 != t.position - first) {
                        terms.push((t.position - first, t.text));
                    }
                }
                (l.as_str(), terms)
            })
            .collect();
        let expected: BTreeMap<&str, Vec<(usize, usize)>> = segments
            .iter()
            .map(|s| (s.id.as_str(), phrase_spans(s, &wanted[s.language.as_str()])))
            .filter(|(_, spans)| !spans.is_empty())
            .collect();
        let q = Query::parse(&format!("\"{phrase}\"")).unwrap();
        let found = hits(&q, false);
        let ids: Vec<&str> = found.iter().map(|h| h.segment.as_str()).collect();
        assert_eq!(
            ids.iter().copied().collect::<BTreeSet<_>>(),
            expected.keys().copied().collect::<BTreeSet<_>>(),
            "\"{phrase}\""
        );
        for h in &found {
            assert_eq!(
                spans(h),
                merged(expected[h.segment.as_str()].clone()),
                "\"{phrase}\": matches in {}",
                h.segment
            );
        }
        let ranked: BTreeSet<String> = hits(&q, true).into_iter().map(|h| h.segment).collect();
        assert_eq!(
            ranked,
            expected.keys().map(|s| (*s).to_owned()).collect(),
            "\"{phrase}\" ranked"
        );
        total += found.len();
    }
    eprintln!(
        "{} transcripts ({skipped} skipped), {} segments, {total} hits for {} words",
        ids.len(),
        segments.len(),
        WORDS.len()
    );
}
