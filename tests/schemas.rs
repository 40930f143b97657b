//! Every file voces writes validates against its JSON Schema in
//! `corpus-schema/`. The schemas forbid unknown properties and require
//! every field the model always writes, so a model change without a schema
//! change fails here.

use std::path::Path;

use serde_json::Value;

use crate::util::{TestProject, check, repo, sample, schema};

fn json_files(dir: &Path) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let v = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            out.push((p.display().to_string(), v));
        }
    }
    out
}

/// A project with the sample corpus (or, without it, the reader fixtures).
fn project() -> TestProject {
    let p = TestProject::new();
    let src = if sample().is_dir() {
        sample()
    } else {
        repo().join("crates/ingest/tests/fixtures/text")
    };
    let mut args = vec![
        "ingest".to_owned(),
        src.display().to_string(),
        "-q".to_owned(),
    ];
    let sheet = src.join("participants.xlsx");
    if sheet.is_file() {
        args.extend(["--metadata".to_owned(), sheet.display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let _ = p.run(&args);
    p
}

#[test]
fn stored_files_and_listings_match_their_schemas() {
    let p = project();
    let interviews = json_files(&p.path().join(".voces/corpus/interviews"));
    assert!(interviews.len() >= 3, "expected interviews to validate");
    let interview = schema("interview.schema.json");
    for (path, v) in &interviews {
        check(&interview, v, path);
    }
    let tables = schema("metadata-table.schema.json");
    for (path, v) in json_files(&p.path().join(".voces/corpus/metadata")) {
        check(&tables, &v, &path);
    }
    let list = schema("corpus-list.schema.json");
    for row in p.list() {
        check(&list, &row, "corpus list --json");
    }
    let participants = schema("participants-list.schema.json");
    for line in p.ok(&["corpus", "participants", "--json"]).lines() {
        check(
            &participants,
            &serde_json::from_str(line).unwrap(),
            "corpus participants --json",
        );
    }
    let id = p.list()[0]["id"].as_str().unwrap().to_owned();
    check(&interview, &p.show(&id), "corpus show --json");
}

#[test]
fn search_output_matches_its_schemas() {
    let p = project();
    let hits = schema("search-hit.schema.json");
    for args in [
        &["search", "frontera OR border", "--json"][..],
        &[
            "search",
            "cita",
            "--json",
            "--rank",
            "--context",
            "sentence",
        ][..],
        &[
            "search",
            "\"safe mobility\"",
            "--json",
            "--context",
            "segment",
        ][..],
    ] {
        let out = p.ok(args);
        assert!(out.lines().count() > 0, "no hits for {args:?}");
        for line in out.lines() {
            check(&hits, &serde_json::from_str(line).unwrap(), "search --json");
        }
    }
    let by = schema("search-by.schema.json");
    for args in [
        &["search", "frontera OR border", "--by", "country", "--json"][..],
        &["search", "frontera OR border", "--by", "lang", "--json"][..],
    ] {
        let out = p.ok(args);
        assert!(out.lines().count() > 0, "no rows for {args:?}");
        for line in out.lines() {
            check(
                &by,
                &serde_json::from_str(line).unwrap(),
                "search --by --json",
            );
        }
    }
    let manifest = schema("index-manifest.schema.json");
    let path = p.path().join(".voces/index/manifest.json");
    let value: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    check(&manifest, &value, "index manifest");
}

#[test]
fn excerpts_match_their_schema() {
    let p = project();
    let book = repo().join("codebooks/smo-study.toml");
    let book = book.to_str().unwrap();
    p.ok(&["code", "-q", "--codebook", book]);
    let out = p.ok(&["excerpts", "--json", "--context", "3", "--codebook", book]);
    let excerpt = schema("excerpt.schema.json");
    let mut first: Option<Value> = None;
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        check(&excerpt, &v, "excerpts --json");
        first.get_or_insert(v);
    }
    let mut v = first.expect("the sample corpus has coded excerpts");
    v["attributes"]["age"] = Value::from(34);
    assert!(!excerpt.is_valid(&v), "attribute values are text");
}

#[test]
fn settings_file_matches_its_schema() {
    let p = TestProject::new();
    let text = std::fs::read_to_string(p.path().join("voces.toml")).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    let json = serde_json::to_value(value).unwrap();
    check(&schema("config.schema.json"), &json, "voces.toml");
}

#[test]
fn schemas_reject_stale_output() {
    // A field the schema does not know must fail: this is what keeps the
    // schemas from going stale silently.
    let p = project();
    let id = p.list()[0]["id"].as_str().unwrap().to_owned();
    let mut v = p.show(&id);
    v["segments"][0]["new_field"] = Value::Bool(true);
    assert!(!schema("interview.schema.json").is_valid(&v));
}
