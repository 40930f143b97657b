//! Auto-coding, data-driven: each `tests/fixtures/engine/NAME.case` holds a
//! codebook, transcripts and the codings expected, exactly.
//!
//! ```text
//! === codebook
//! [codebook] ...                  a codebook (TOML)
//! === transcript es               a transcript (plain text, speaker labels);
//! María: ...                      every segment gets the language given
//! === expect                      one line per coding, in order:
//! RULE | UNIT TEXT | MATCHED, ... (the unit is the coded sentence or segment)
//! === rejected                    matches that code nothing, from --explain:
//! RULE | REASON | MATCHED, ...    (vetoed, negated, role, language)
//! ```
//!
//! Each case runs twice: through the index (one query per rule, then
//! verification) and by checking every rule on every segment; both must
//! give the expected codings. `VOCES_BLESS=1 cargo test -p voces-code --test
//! engine` rewrites the `expect` and `rejected` sections: read the diff.
//!
//! The sample corpus (`examples/smo-sample`) with the study codebook is
//! also coded both ways, which must agree.

// Tests talk to whoever runs them (skip notices).
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use voces_code::engine::Outcome;
use voces_code::{AutoCoder, Codebook, Coding};
use voces_corpus::{IngestConfig, Interview, Project, ProjectConfig};
use voces_index::Index;
use voces_ingest::{ReadOptions, ingest_bytes, ingest_file};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

fn languages() -> Vec<String> {
    vec!["en".to_owned(), "es".to_owned()]
}

struct Case {
    codebook: String,
    transcripts: Vec<(String, String)>,
    expect: String,
    rejected: String,
}

fn parse_case(text: &str) -> Case {
    let mut case = Case {
        codebook: String::new(),
        transcripts: Vec::new(),
        expect: String::new(),
        rejected: String::new(),
    };
    let mut section = String::new();
    for line in text.lines() {
        if let Some(head) = line.strip_prefix("=== ") {
            head.trim().clone_into(&mut section);
            if let Some(lang) = section.strip_prefix("transcript ") {
                case.transcripts
                    .push((lang.trim().to_owned(), String::new()));
            }
            continue;
        }
        let target = match section.as_str() {
            "codebook" => &mut case.codebook,
            "expect" => &mut case.expect,
            "rejected" => &mut case.rejected,
            s if s.starts_with("transcript") => &mut case.transcripts.last_mut().unwrap().1,
            other => panic!("unknown section `{other}`"),
        };
        target.push_str(line);
        target.push('\n');
    }
    case
}

/// The interviews of a case, stored in a new project, and its index.
fn project_with(interviews: &[Interview]) -> (tempfile::TempDir, Project, Index) {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path()).unwrap();
    let store = project.store();
    for i in interviews {
        store.put_interview(i).unwrap();
    }
    let mut index = Index::open_or_create(&project.data_dir().join("index"), &languages()).unwrap();
    index
        .update(&store, &store.attributes().unwrap(), &|_, _| {})
        .unwrap();
    (dir, project, index)
}

/// Codings through the index, checked against a full scan and against
/// coding only the candidate segments read from the store, as `voces code`
/// does.
fn code_both_ways(
    coder: &AutoCoder,
    index: &Index,
    project: &Project,
    interviews: &[Interview],
) -> Vec<Coding> {
    let candidates = coder.candidates(index, &|_, _| {}).unwrap();
    let store = project.store();
    let mut session = coder.session();
    let mut through_index = Vec::new();
    let mut read_in_part = Vec::new();
    let mut full_scan = Vec::new();
    for i in interviews {
        if let Some(c) = candidates.interviews.get(&i.id) {
            through_index.extend(coder.code_interview(i, Some(c)));
            let part = store.interview_part(&i.id, &|n| c.contains(&n)).unwrap();
            assert_eq!(part.segments.len(), c.len());
            read_in_part.extend(session.code_segments(&part.id, &part.segments));
        }
        full_scan.extend(coder.code_interview(i, None));
    }
    assert_eq!(
        through_index, full_scan,
        "the index-driven run and the full scan differ"
    );
    assert_eq!(
        through_index, read_in_part,
        "coding the interviews read in part differs"
    );
    through_index
}

fn render_codings(codings: &[Coding]) -> String {
    let mut out = String::new();
    for c in codings {
        let _ = writeln!(
            out,
            "{} | {} | {}",
            c.rule.as_deref().unwrap_or("-"),
            c.quote,
            c.matched.join(", ")
        );
    }
    out
}

fn render_rejected(coder: &AutoCoder, interviews: &[Interview]) -> String {
    let mut out = String::new();
    for i in interviews {
        for s in &i.segments {
            for v in coder.explain(s) {
                let reason = match &v.outcome {
                    Outcome::Coded | Outcome::NearIncomplete { .. } => continue,
                    Outcome::Vetoed(e) => format!("vetoed by {e}"),
                    Outcome::Negated(w) => format!("negated after {w}"),
                    Outcome::Role(r) => format!("role {}", r.as_str()),
                    Outcome::Language(l) => format!("language {l}"),
                };
                let _ = writeln!(out, "{} | {reason} | {}", v.rule, v.matched.join(", "));
            }
        }
    }
    out
}

fn check(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let case = parse_case(&text);
    let codebook = Codebook::parse(&case.codebook, path, &[]).unwrap_or_else(|e| panic!("{e}"));
    let options = ReadOptions::new(&ProjectConfig::default(), &IngestConfig::default()).unwrap();
    let interviews: Vec<Interview> = case
        .transcripts
        .iter()
        .enumerate()
        .map(|(n, (lang, body))| {
            let name = format!("case-{}.txt", n + 1);
            let mut i = ingest_bytes(Path::new(&name), body.as_bytes(), &options).unwrap();
            for s in &mut i.segments {
                s.language.clone_from(lang);
            }
            i.language.clone_from(lang);
            i.languages = vec![lang.clone()];
            i.stats = voces_corpus::Stats::of(&i.segments);
            i
        })
        .collect();
    let (_dir, project, index) = project_with(&interviews);
    let coder = AutoCoder::new(&codebook, &languages());
    let got = render_codings(&code_both_ways(&coder, &index, &project, &interviews));
    let rejected = render_rejected(&coder, &interviews);
    if std::env::var_os("VOCES_BLESS").is_some() {
        let mut blessed = String::new();
        let mut section = String::new();
        for line in text.lines() {
            if let Some(head) = line.strip_prefix("=== ") {
                head.trim().clone_into(&mut section);
                if section == "expect" || section == "rejected" {
                    continue;
                }
            }
            if section != "expect" && section != "rejected" {
                blessed.push_str(line);
                blessed.push('\n');
            }
        }
        let _ = write!(blessed, "=== expect\n{got}");
        if !rejected.is_empty() {
            let _ = write!(blessed, "=== rejected\n{rejected}");
        }
        std::fs::write(path, blessed).unwrap();
        return;
    }
    assert_eq!(
        got,
        case.expect,
        "{}: codings differ (VOCES_BLESS=1 to update)",
        path.display()
    );
    assert_eq!(
        rejected,
        case.rejected,
        "{}: rejected matches differ (VOCES_BLESS=1 to update)",
        path.display()
    );
}

#[test]
fn engine_fixtures() {
    let dir = root().join("tests/fixtures/engine");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 8, "expected the engine fixtures");
    for case in cases {
        check(&case);
    }
}

/// The sample corpus, every reader, the study codebook: the index-driven
/// run equals the full scan, and reruns are identical.
#[test]
fn sample_corpus_through_the_index_equals_a_full_scan() {
    let sample = root().join("../../examples/smo-sample");
    if !sample.is_dir() {
        println!("skipping: examples/smo-sample not found");
        return;
    }
    let options = ReadOptions::new(&ProjectConfig::default(), &IngestConfig::default()).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&sample)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("smo"))
        })
        .collect();
    files.sort();
    let interviews: Vec<Interview> = files
        .iter()
        .map(|f| ingest_file(f, &options).unwrap())
        .collect();
    let (_dir, project, index) = project_with(&interviews);
    let codebook =
        Codebook::load(&root().join("../../codebooks/smo-study.toml"), &languages()).unwrap();
    let coder = AutoCoder::new(&codebook, &languages());
    let first = code_both_ways(&coder, &index, &project, &interviews);
    assert!(first.len() > 100, "{} codings", first.len());
    let again = code_both_ways(
        &AutoCoder::new(&codebook, &languages()),
        &index,
        &project,
        &interviews,
    );
    assert_eq!(first, again);
    // Every coding's quote is its span of the interview text, inside its
    // segment, and records the codebook.
    for c in &first {
        let i = interviews.iter().find(|i| i.id == c.interview).unwrap();
        let quote: String = i.text.chars().skip(c.start).take(c.end - c.start).collect();
        assert_eq!(quote, c.quote);
        let s = i.segments.iter().find(|s| s.id == c.segment).unwrap();
        assert!(s.start <= c.start && c.end <= s.end, "{c:?}");
        assert_eq!(c.codebook.as_deref(), Some(codebook.hash().as_str()));
        assert!(codebook.code(&c.code).is_some());
    }
}
