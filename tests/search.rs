//! `voces index` and `voces search` end to end.
//!
//! The query table `tests/fixtures/search/queries.tsv` lists queries and the
//! segments they must find in the two small transcripts beside it (one
//! English, one Spanish): stemming, accent folding, booleans, phrases,
//! proximity, prefixes and fields, as a researcher types them.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::{TestProject, repo, sample, stderr};

fn fixtures() -> std::path::PathBuf {
    repo().join("tests/fixtures/search")
}

/// A project with the two fixture transcripts and their attribute sheet.
fn project() -> TestProject {
    let p = TestProject::new();
    let dir = fixtures();
    p.ok(&[
        "ingest",
        "-q",
        dir.join("rosa.es.txt").to_str().unwrap(),
        dir.join("james.en.txt").to_str().unwrap(),
        "--metadata",
        dir.join("participants.csv").to_str().unwrap(),
    ]);
    p
}

fn hits(p: &TestProject, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    p.ok(&all)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn segment_ids(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["segment"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn query_table() {
    let p = project();
    let table = std::fs::read_to_string(fixtures().join("queries.tsv")).unwrap();
    let mut failures = Vec::new();
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (query, want) = line.split_once('\t').expect("query<TAB>segments");
        let want: Vec<&str> = if want.trim() == "-" {
            Vec::new()
        } else {
            want.split_whitespace().collect()
        };
        let got = segment_ids(&hits(&p, &[query]));
        if got != want {
            failures.push(format!(
                "queries.tsv:{}: `{query}` found {got:?}, expected {want:?}",
                n + 1
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn matches_and_context_point_into_the_text() {
    let p = project();
    for h in hits(&p, &["exclusion OR traficantes", "--context", "sentence"]) {
        let text: Vec<char> = h["text"].as_str().unwrap().chars().collect();
        let matched: Vec<String> = h["matches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let (a, b) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
                text[a as usize..b as usize].iter().collect()
            })
            .collect();
        for word in &matched {
            let w = word.to_lowercase();
            assert!(
                w.starts_with("exclusi") || w.starts_with("traficante"),
                "highlighted `{word}` in {h}"
            );
        }
        let (a, b) = (
            h["context"]["start"].as_u64().unwrap() as usize,
            h["context"]["end"].as_u64().unwrap() as usize,
        );
        let sentence: String = text[a..b].iter().collect();
        assert!(
            matched.iter().all(|m| sentence.contains(m.as_str())),
            "context `{sentence}` misses a match"
        );
        assert!(sentence.len() < text.len(), "a sentence, not the segment");
    }
}

#[test]
fn where_filters_attributes_and_fields() {
    let p = project();
    let all = hits(&p, &["exclusion"]);
    assert_eq!(all.len(), 2);
    let cr = hits(&p, &["exclusion", "--where", "country=Costa Rica"]);
    assert_eq!(segment_ids(&cr), ["rosa.es#4"]);
    assert_eq!(cr[0]["attributes"]["country"], "Costa Rica");
    // Two values of one attribute: either.
    let both = hits(
        &p,
        &[
            "exclusion",
            "-w",
            "country=Costa Rica",
            "-w",
            "country=Guatemala",
        ],
    );
    assert_eq!(both.len(), 2);
    let en = hits(&p, &["exclusion", "--where", "lang=en"]);
    assert_eq!(segment_ids(&en), ["james.en#6"]);
    let interviewers = hits(&p, &["", "--where", "role=interviewer"]);
    assert_eq!(interviewers.len(), 6);
    assert!(interviewers.iter().all(|h| h["role"] == "interviewer"));
}

#[test]
fn by_attribute_counts_hits_and_interviews() {
    let p = project();
    let table = p.ok(&["search", "exclusion OR coyote", "--by", "country"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("COUNTRY"), "{table}");
    // Costa Rica: #2 (coyote) and #4 (exclusión), in one interview of one.
    assert!(
        lines
            .iter()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Costa", "Rica", "2", "1", "1"]),
        "{table}"
    );
    let rows: Vec<Value> = p
        .ok(&["search", "exclusion OR coyote", "--by", "lang", "--json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let total: u64 = rows.iter().map(|r| r["hits"].as_u64().unwrap()).sum();
    let count: Value =
        serde_json::from_str(&p.ok(&["search", "exclusion OR coyote", "--count", "--json"]))
            .unwrap();
    assert_eq!(total, count["hits"].as_u64().unwrap());
    assert_eq!(count["hits"], 3);
    assert_eq!(count["interviews"], 2);
}

#[test]
fn kwic_lines_are_aligned_and_plain_when_piped() {
    let p = project();
    let out = p.ok(&["search", "exclusion OR coyote", "--context", "4"]);
    assert!(!out.contains('\u{1b}'), "no colour codes when piped: {out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    // The first match of each line starts in the same column.
    let columns: BTreeSet<usize> = lines
        .iter()
        .map(|l| {
            let lower = l.to_lowercase();
            let at = ["exclusi", "coyote"]
                .iter()
                .filter_map(|w| lower.find(w))
                .min()
                .unwrap();
            lower[..at].chars().count()
        })
        .collect();
    assert_eq!(columns.len(), 1, "matches not aligned:\n{out}");
    assert!(lines[0].starts_with("james.en#6"), "{out}");
}

#[test]
fn limit_says_how_many_more() {
    let p = project();
    let out = p.run(&["search", "", "--limit", "2"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    assert!(
        stderr(&out).contains("12 segments in 2 interviews match; showing 2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_queries_say_what_and_where() {
    let p = project();
    for (args, needles) in [
        (&["search", "\"work permit"][..], &["1:", "quote"][..]),
        (
            &["search", "colour:red"][..],
            &["colour", "speaker", "role", "lang"][..],
        ),
        (
            &["search", "x", "--where", "region=Andes"][..],
            &["region", "country", "group"][..],
        ),
        (
            &["search", "x", "--by", "region"][..],
            &["region", "country"][..],
        ),
        (
            &["search", "x", "--where", "country"][..],
            &["ATTRIBUTE=VALUE"][..],
        ),
        (&["search", "(border"][..], &["1:"][..]),
        (
            &["search", "x", "--context", "paragraph"][..],
            &["paragraph"][..],
        ),
    ] {
        let out = p.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: `{n}` not in {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn empty_project_says_to_ingest_first() {
    let p = TestProject::new();
    let out = p.run(&["search", "border"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("voces ingest"), "{}", stderr(&out));
}

#[test]
fn index_follows_the_corpus_and_rebuilds_the_same() {
    let p = TestProject::new();
    let file = p.write(
        "t/ana.txt",
        "Interviewer: And the border?\nAna: We crossed with a coyote.\n",
    );
    p.ok(&["ingest", "-q", "t"]);
    assert_eq!(hits(&p, &["coyote"]).len(), 1);
    std::fs::write(
        &file,
        "Interviewer: And the border?\nAna: We crossed alone, at night.\n",
    )
    .unwrap();
    p.ok(&["ingest", "-q", "t"]);
    assert!(hits(&p, &["coyote"]).is_empty(), "old text still found");
    assert_eq!(hits(&p, &["night"]).len(), 1);
    p.ok(&["corpus", "remove", "ana"]);
    let out = p.run(&["search", "night"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "removed interview still indexed"
    );

    // A deleted index is rebuilt to the same answers.
    let p = project();
    let before = p.ok(&["search", "exclusion OR coyote OR permit", "--json"]);
    std::fs::remove_dir_all(p.path().join(".voces/index")).unwrap();
    assert_eq!(
        p.ok(&["search", "exclusion OR coyote OR permit", "--json"]),
        before
    );
    let rebuilt = p.run(&["index", "--rebuild"]);
    assert!(rebuilt.status.success());
    assert!(stderr(&rebuilt).contains("2 added"), "{}", stderr(&rebuilt));
    assert_eq!(
        p.ok(&["search", "exclusion OR coyote OR permit", "--json"]),
        before
    );
}

#[test]
fn ingest_without_the_index_leaves_it_to_the_next_search() {
    let p = TestProject::new();
    p.write(
        "t/ana.txt",
        "Interviewer: And the border?\nAna: We crossed with a coyote.\n\
         Interviewer: And then?\nAna: We waited in Necoclí.\n",
    );
    let out = p.run(&["ingest", "--no-index", "t"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("not updated"), "{}", stderr(&out));
    assert!(!p.path().join(".voces/index/meta.json").exists());
    // The next search indexes the stored interview first.
    assert_eq!(segment_ids(&hits(&p, &["coyote"])), ["ana#2"]);
}

#[test]
fn sample_corpus_answers_in_both_languages() {
    let p = TestProject::new();
    let s = sample();
    p.ok(&[
        "ingest",
        "-q",
        s.to_str().unwrap(),
        "--metadata",
        s.join("participants.xlsx").to_str().unwrap(),
    ]);
    let found = hits(&p, &["coyote OR pollero OR smuggler", "--limit", "500"]);
    let langs: BTreeSet<&str> = found.iter().map(|h| h["lang"].as_str().unwrap()).collect();
    assert_eq!(
        langs,
        BTreeSet::from(["en", "es"]),
        "smuggling talk in both languages"
    );
    let by = p.ok(&["search", "coyote OR pollero OR smuggler", "--by", "group"]);
    assert!(by.contains("migrant"), "{by}");
}
