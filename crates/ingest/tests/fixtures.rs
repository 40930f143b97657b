//! Data-driven reader tests: every transcript fixture under `fixtures/` is
//! ingested with the default settings and its parsed model rendered as text
//! and compared with a snapshot in `snapshots/` (insta). A fixture whose
//! name contains `.bad.` must fail; its snapshot is the error message.
//!
//! Update snapshots after an intended change with
//! `INSTA_UPDATE=always cargo test -p voces-ingest --test fixtures`
//! and review the diff.

use std::fmt::Write;
use voces_corpus::{IngestConfig, Interview, ProjectConfig};
use voces_ingest::{ReadOptions, ingest_file};

fn options() -> ReadOptions {
    ReadOptions::new(&ProjectConfig::default(), &IngestConfig::default()).unwrap()
}

/// The parsed model in a form a reviewer can read.
fn render(i: &Interview) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "id: {}", i.id);
    let _ = writeln!(s, "title: {}", i.title);
    let _ = writeln!(s, "encoding: {}", i.source.encoding);
    let _ = writeln!(
        s,
        "language: {} {:?} mixed={}",
        i.language, i.languages, i.mixed_language
    );
    if let Some(d) = &i.date {
        let _ = writeln!(s, "date: {d}");
    }
    for (k, v) in &i.attributes {
        let _ = writeln!(s, "attribute: {k} = {v}");
    }
    for sp in &i.speakers {
        let _ = writeln!(
            s,
            "speaker: {}{} = {}",
            sp.label,
            sp.name
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default(),
            sp.role.as_str()
        );
    }
    for w in &i.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    let _ = writeln!(s, "segments: {} words: {}", i.stats.segments, i.stats.words);
    for seg in &i.segments {
        let time = match (seg.start_time, seg.end_time) {
            (Some(a), Some(b)) => format!(" {a:.2}-{b:.2}"),
            (Some(a), None) => format!(" {a:.2}-"),
            _ => String::new(),
        };
        let lang = if seg.language_detected {
            seg.language.clone()
        } else {
            format!("({})", seg.language)
        };
        let _ = writeln!(
            s,
            "{} [{} {} {lang}{time}] sentences={} | {}",
            seg.id,
            seg.speaker.as_deref().unwrap_or("-"),
            seg.role.as_str(),
            seg.sentences.len(),
            seg.text
        );
        for a in &seg.annotations {
            let _ = writeln!(s, "    %{}: {}", a.kind, a.text);
        }
    }
    s
}

#[test]
fn transcript_fixtures() {
    insta::glob!(
        "fixtures/{text,docx,odt,vtt,srt,chat}/*.*",
        |path: &Path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let result = ingest_file(path, &options());
            let rendered = match (name.contains(".bad."), result) {
                (false, Ok(i)) => render(&i),
                (true, Err(e)) => {
                    // The path in the message depends on the checkout: keep the name.
                    let msg = e.to_string();
                    msg.replace(&path.display().to_string(), &name)
                }
                (false, Err(e)) => panic!("{name} should read: {e}"),
                (true, Ok(_)) => panic!("{name} should be refused"),
            };
            insta::assert_snapshot!(rendered);
        }
    );
}
