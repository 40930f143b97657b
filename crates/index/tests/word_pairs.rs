//! The word-pair table (`fixtures/word-pairs.tsv`): pairs of words a search
//! must or must not treat as the same, checked through a real index in both
//! directions.

mod common;

use common::{Fixture, interview};
use voces_index::Query;

struct Row {
    line: usize,
    lang: String,
    a: String,
    b: String,
    expect: bool,
    note: String,
}

fn rows() -> Vec<Row> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/word-pairs.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() >= 4, "word-pairs.tsv:{}: 4 or 5 columns", i + 1);
            Row {
                line: i + 1,
                lang: cols[0].to_owned(),
                a: cols[1].to_owned(),
                b: cols[2].to_owned(),
                expect: match cols[3] {
                    "match" => true,
                    "nomatch" => false,
                    other => panic!("word-pairs.tsv:{}: bad expectation {other}", i + 1),
                },
                note: cols.get(4).copied().unwrap_or_default().to_owned(),
            }
        })
        .collect()
}

#[test]
fn word_pairs() {
    let rows = rows();
    // Each word is a one-segment interview; a query is limited to the
    // other word's interview.
    let mut interviews = Vec::new();
    for r in &rows {
        interviews.push(interview(&format!("r{}a", r.line), &[("P", &r.lang, &r.a)]));
        interviews.push(interview(&format!("r{}b", r.line), &[("P", &r.lang, &r.b)]));
    }
    let f = Fixture::new(&interviews);
    let mut failures = Vec::new();
    for r in &rows {
        for (query, target) in [(&r.a, "b"), (&r.b, "a")] {
            let q = Query::parse(&format!("\"{query}\" interview:r{}{target}", r.line)).unwrap();
            let found = f.search(&q).total_hits == 1;
            if found != r.expect {
                failures.push(format!(
                    "word-pairs.tsv:{}: {} {} → {}: expected {}, got {} ({})",
                    r.line,
                    r.lang,
                    query,
                    if target == "b" { &r.b } else { &r.a },
                    if r.expect { "match" } else { "nomatch" },
                    if found { "match" } else { "nomatch" },
                    r.note
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn exact_mode_matches_the_spelling_only() {
    let f = Fixture::new(&[
        interview("a", &[("P", "es", "la exclusión social")]),
        interview("b", &[("P", "es", "exclusion")]),
        interview("c", &[("P", "es", "las exclusiones")]),
    ]);
    let ids = |q: &str, exact| -> Vec<String> {
        f.search(&Query::parse(q).unwrap().exact(exact))
            .hits
            .into_iter()
            .map(|h| h.interview)
            .collect()
    };
    assert_eq!(ids("exclusión", false), ["a", "b", "c"]);
    assert_eq!(ids("exclusión", true), ["a"]);
    assert_eq!(ids("Exclusion", true), ["b"]);
    assert_eq!(ids("exclusi*", true), ["a", "b", "c"]);
    assert_eq!(ids("exclusio*", true), ["b", "c"]);
}
