//! Coding end to end: `voces code` on the sample corpus (reproducible,
//! schema-valid), `--explain`, manual codings (add, remove, import),
//! `voces themes` and `voces agree`; a bad codebook changes nothing; real
//! coded tables from `../shared/corpora`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{TestProject, check, repo, sample, schema, shared_corpora, stderr};

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn codebook() -> PathBuf {
    repo().join("codebooks/smo-study.toml")
}

/// The sample corpus ingested with its sheet, the study codebook set in
/// voces.toml.
pub fn sample_project() -> TestProject {
    let p = TestProject::new();
    let sample = sample();
    p.ok(&[
        "ingest",
        "-q",
        sample.to_str().unwrap(),
        "--metadata",
        sample.join("participants.xlsx").to_str().unwrap(),
    ]);
    let config = std::fs::read_to_string(p.path().join("voces.toml")).unwrap();
    let config = config.replace(
        "codebook = \"\"",
        &format!("codebook = {:?}", codebook().display().to_string()),
    );
    std::fs::write(p.path().join("voces.toml"), config).unwrap();
    p
}

fn read(p: &TestProject, rel: &str) -> Vec<u8> {
    std::fs::read(p.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn auto_coding_is_reproducible_and_matches_its_schemas() {
    let p = sample_project();
    let out = p.run(&["code"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("THEME"), "summary per theme: {err}");
    assert!(err.contains("smuggling"), "{err}");
    let first = read(&p, ".voces/codings/auto.jsonl");
    let run = read(&p, ".voces/codings/auto.run.json");
    p.ok(&["code", "-q"]);
    assert_eq!(
        first,
        read(&p, ".voces/codings/auto.jsonl"),
        "rerun differs"
    );
    assert_eq!(run, read(&p, ".voces/codings/auto.run.json"));
    // Deleting the index changes nothing either: it is derived.
    std::fs::remove_dir_all(p.path().join(".voces/index")).unwrap();
    p.ok(&["code", "-q"]);
    assert_eq!(first, read(&p, ".voces/codings/auto.jsonl"));

    let codings = lines(&String::from_utf8(first).unwrap());
    assert!(codings.len() > 100, "{} codings", codings.len());
    let v = schema("codings.schema.json");
    for c in &codings {
        check(&v, c, "auto.jsonl line");
    }
    let run: Value = serde_json::from_slice(&run).unwrap();
    check(&schema("codings-run.schema.json"), &run, "auto.run.json");
    assert_eq!(run["interviews"].as_object().unwrap().len(), 12);
    assert_eq!(run["codings"].as_u64().unwrap() as usize, codings.len());
    // Every theme of the study codes something in the sample, and quotes
    // are the interview's text at the span.
    let themes: std::collections::BTreeSet<&str> = codings
        .iter()
        .map(|c| c["code"].as_str().unwrap().split('.').next().unwrap())
        .collect();
    assert_eq!(themes.len(), 12, "{themes:?}");
    let coding = &codings[0];
    let show = p.show(coding["interview"].as_str().unwrap());
    let text: Vec<char> = show["text"].as_str().unwrap().chars().collect();
    let start = coding["start"].as_u64().unwrap() as usize;
    let end = coding["end"].as_u64().unwrap() as usize;
    assert_eq!(
        text[start..end].iter().collect::<String>(),
        coding["quote"].as_str().unwrap()
    );
}

#[test]
fn after_a_codebook_edit_only_the_changed_rules_are_re_coded() {
    let p = sample_project();
    let book = p.path().join("book.toml");
    let study = std::fs::read_to_string(codebook()).unwrap();
    std::fs::write(&book, &study).unwrap();
    let book = book.to_str().unwrap();
    p.ok(&["code", "-q", "--codebook", book]);

    // One rule gains words; a new rule joins in the middle of the codebook.
    let edited = study
        .replacen(
            r#"terms = ["eligible", "ineligible", "eligibility"]"#,
            r#"terms = ["eligible", "ineligible", "eligibility", "quota", "cupo"]"#,
            1,
        )
        .replacen(
            "[[code.rule]]\nid = \"exclusion/en/eligibility\"",
            "[[code.rule]]\nid = \"exclusion/en/added\"\nlang = \"en\"\nterms = [\"appointment\"]\n\n\
             [[code.rule]]\nid = \"exclusion/en/eligibility\"",
            1,
        );
    assert_ne!(edited, study, "the edit applies");
    std::fs::write(p.path().join("book.toml"), &edited).unwrap();
    let out = p.run(&["code", "--codebook", book]);
    assert!(out.status.success(), "{}", stderr(&out));
    let partial = (
        read(&p, ".voces/codings/auto.jsonl"),
        read(&p, ".voces/codings/auto.run.json"),
    );
    let run: Value = serde_json::from_slice(&partial.1).unwrap();
    let rules = run["rules"].as_object().unwrap();
    let err = stderr(&out);
    assert!(
        err.contains(&format!("re-coded 2 of {} rules", rules.len())),
        "{err}"
    );
    assert!(
        rules["exclusion/en/added"].as_u64().unwrap() > 0,
        "the new rule codes"
    );

    // Exactly what re-coding every rule writes.
    let out = p.run(&["code", "--full", "--codebook", book]);
    assert!(!stderr(&out).contains("re-coded"), "{}", stderr(&out));
    assert_eq!(
        partial,
        (
            read(&p, ".voces/codings/auto.jsonl"),
            read(&p, ".voces/codings/auto.run.json"),
        )
    );

    // A changed corpus is coded afresh.
    p.write(
        "more/nueva.txt",
        "E: ¿Y el cupo?\nP: No había cupo para nosotros.\n",
    );
    p.ok(&["ingest", "-q", "more"]);
    let out = p.run(&["code", "--codebook", book]);
    assert!(!stderr(&out).contains("re-coded"), "{}", stderr(&out));
}

#[test]
fn explain_shows_the_rules_that_fired_and_why_others_did_not() {
    let p = TestProject::new();
    p.write(
        "t/cruce-01.txt",
        "Entrevistador: ¿Cómo cruzaron?\n\
         Participante: No le pagamos al coyote, fuimos solos. Después un guía turístico nos habló de la selva y la frontera. Un señor que nos pasó por la trocha nos cobró. Nosotros pagamos al coyote cien dólares.\n",
    );
    p.ok(&["ingest", "-q", "t"]);
    p.write(
        "book.toml",
        r#"
[codebook]
name = "test"
version = "1"
languages = ["en", "es"]

[defaults]
roles = ["participant"]

[[code]]
id = "smuggling"

[[code.rule]]
id = "smuggling/es/coyote"
lang = "es"
terms = ["coyote"]
negation = true

[[code.rule]]
id = "smuggling/es/guia"
lang = "es"
near = { a = ["guía"], b = ["frontera", "selva"], within = 6 }
not = ["guía turístico"]

[[code.rule]]
id = "smuggling/en/smuggler"
lang = "en"
terms = ["smuggler"]
"#,
    );
    let out = p.ok(&["code", "--codebook", "book.toml", "--explain", "cruce-01#2"]);
    assert!(
        out.contains("cruce-01#2  Participante (participant), es"),
        "{out}"
    );
    assert!(
        out.contains("coded:\n  smuggling  by smuggling/es/coyote"),
        "{out}"
    );
    assert!(
        out.contains("\"Nosotros pagamos al coyote cien dólares.\""),
        "{out}"
    );
    assert!(
        out.contains("negated: \"No le pagamos al\" comes before the match"),
        "{out}"
    );
    assert!(
        out.contains("vetoed: `not` entry \"guía turístico\" in the unit"),
        "{out}"
    );
    // The interviewer's question is not read by these rules.
    let out = p.ok(&["code", "--codebook", "book.toml", "--explain", "cruce-01#1"]);
    assert!(out.contains("no rule codes this segment"), "{out}");

    let json = p.ok(&[
        "code",
        "--codebook",
        "book.toml",
        "--explain",
        "cruce-01#2",
        "--json",
    ]);
    let v = lines(&json);
    check(
        &schema("codings-explain.schema.json"),
        &v[0],
        "--explain --json",
    );
    let kinds: Vec<&str> = v[0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"]["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"coded") && kinds.contains(&"negated") && kinds.contains(&"vetoed"),
        "{kinds:?}"
    );

    // Unknown segments are errors that say what exists.
    let out = p.run(&["code", "--codebook", "book.toml", "--explain", "cruce-01#9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no segment 9 (it has 2)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_bad_codebook_is_reported_by_line_and_changes_nothing() {
    let p = sample_project();
    p.ok(&["code", "-q"]);
    let before = read(&p, ".voces/codings/auto.jsonl");
    let text = std::fs::read_to_string(codebook()).unwrap();
    let bad = text.replacen("terms = [", "term = [", 1);
    let line = bad.lines().position(|l| l.starts_with("term = [")).unwrap() + 1;
    p.write("bad.toml", bad);
    let out = p.run(&["code", "--codebook", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("bad.toml:{line}: unknown field `term`")),
        "{err}"
    );
    assert_eq!(before, read(&p, ".voces/codings/auto.jsonl"));
    // Not a codebook at all, or missing: still no panic, still exit 2.
    p.write("garbage.toml", [0xff, 0xfe, 0x00, 0x01]);
    for args in [
        &["code", "--codebook", "garbage.toml"][..],
        &["code", "--codebook", "missing.toml"][..],
    ] {
        let out = p.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("error: "), "{}", stderr(&out));
    }
    assert_eq!(before, read(&p, ".voces/codings/auto.jsonl"));
}

/// The first segment of an interview that auto-coding coded, with a code.
fn coded_segment(p: &TestProject, interview: &str) -> (String, String) {
    let codings = lines(&String::from_utf8(read(p, ".voces/codings/auto.jsonl")).unwrap());
    let c = codings
        .iter()
        .find(|c| c["interview"] == interview)
        .unwrap();
    (
        c["segment"].as_str().unwrap().to_owned(),
        c["code"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn manual_codings_themes_and_agreement() {
    let p = sample_project();
    p.ok(&["code", "-q"]);
    let interview = "smo01-migrant-colombia-es";
    let (segment, code) = coded_segment(&p, interview);

    // add, add again (nothing to do), remove, add with a span.
    let out = p.run(&["code", "add", &segment, &code, "--coder", "ana"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("coded "), "{}", stderr(&out));
    let out = p.run(&["code", "add", &segment, &code, "--coder", "ana"]);
    assert!(stderr(&out).contains("already coded"), "{}", stderr(&out));
    p.ok(&["code", "remove", &segment, &code, "--coder", "ana"]);
    let out = p.run(&["code", "remove", &segment, &code, "--coder", "ana"]);
    assert_eq!(out.status.code(), Some(1));
    p.ok(&[
        "code", "add", &segment, &code, "--coder", "ana", "--span", "0..10",
    ]);
    // A typo in the code is caught with a suggestion.
    let out = p.run(&["code", "add", &segment, "smugling", "--coder", "ana"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `smuggling`?"),
        "{}",
        stderr(&out)
    );
    // `auto` is not a person.
    let out = p.run(&["code", "add", &segment, &code, "--coder", "auto"]);
    assert_eq!(out.status.code(), Some(2));

    // Import: a table with one quote that exists (spacing and case differ)
    // and one that does not.
    let show = p.show(interview);
    let seg = show["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == segment.as_str())
        .unwrap();
    let words: Vec<&str> = seg["text"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .take(8)
        .collect();
    let quote = words.join("   ").to_uppercase();
    p.write(
        "codes.csv",
        format!(
            "Interview,Quote,Code,Coder\n{interview},\"{quote}\",{code},ben\n{interview},Esto no lo dijo nadie,{code},ben\n{interview},,,ben\n"
        ),
    );
    let out = p.run(&["code", "import", "codes.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "codes.csv:3: quote not found in interview `{interview}`: \"Esto no lo dijo nadie\""
        )),
        "{err}"
    );
    assert!(err.contains("imported 1 coding(s) by ben from 3 rows (1 without a code, 0 already stored, 1 not imported)"), "{err}");
    // Importing again adds nothing.
    let out = p.run(&["code", "import", "codes.csv"]);
    assert!(
        stderr(&out)
            .contains("imported 0 coding(s) from 3 rows (1 without a code, 1 already stored"),
        "{}",
        stderr(&out)
    );
    let v = schema("codings-manual.schema.json");
    for coder in ["ana", "ben"] {
        let log =
            String::from_utf8(read(&p, &format!(".voces/codings/manual/{coder}.jsonl"))).unwrap();
        for line in lines(&log) {
            check(&v, &line, "manual coding log line");
        }
    }
    let ben = lines(&String::from_utf8(read(&p, ".voces/codings/manual/ben.jsonl")).unwrap());
    assert_eq!(ben.len(), 1);
    assert_eq!(ben[0]["source"], "codes.csv:2");
    assert_eq!(ben[0]["segment"], segment.as_str());

    // Auto-coding never touches manual codings.
    p.ok(&["code", "-q"]);
    assert_eq!(
        ben,
        lines(&String::from_utf8(read(&p, ".voces/codings/manual/ben.jsonl")).unwrap())
    );

    // themes --by country --json
    let out = p.ok(&["themes", "--by", "country", "--json"]);
    let rows = lines(&out);
    let v = schema("themes.schema.json");
    for r in &rows {
        check(&v, r, "themes --json");
    }
    assert_eq!(rows[0]["row"], "units");
    assert_eq!(rows[0]["total"], 375);
    let by = rows[0]["by"].as_object().unwrap();
    assert!(
        by.contains_key("Colombia") && by.contains_key("Guatemala"),
        "{by:?}"
    );
    let smuggling = rows.iter().find(|r| r["code"] == "smuggling").unwrap();
    assert_eq!(smuggling["depth"], 0);
    let sum: u64 = smuggling["by"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(sum, smuggling["total"].as_u64().unwrap());
    let payment = rows
        .iter()
        .find(|r| r["code"] == "smuggling.payment")
        .unwrap();
    assert_eq!(payment["depth"], 1);
    assert!(payment["total"].as_u64() <= smuggling["total"].as_u64());
    // The readable table, other units, a coder, co-occurrence, CSV.
    let table = p.ok(&["themes", "--by", "country,group", "--unit", "interview"]);
    assert!(table.starts_with("CODE "), "{table}");
    assert!(table.contains("\n  smuggling.payment "), "{table}");
    let out = p.ok(&[
        "themes",
        "--coder",
        "ben",
        "--json",
        "--unit",
        "participant",
    ]);
    let rows = lines(&out);
    assert_eq!(
        rows.iter().find(|r| r["code"] == code.as_str()).unwrap()["total"],
        1
    );
    for args in [
        &["themes", "--cooccur", "--json"][..],
        &["themes", "--cooccur", "--window", "2", "--json"][..],
    ] {
        for r in lines(&p.ok(args)) {
            check(&v, &r, "themes --cooccur --json");
        }
    }
    let csv = p.ok(&["themes", "--by", "country", "--csv"]);
    assert!(csv.starts_with("code,label,depth,total,Colombia,"), "{csv}");
    let out = p.run(&["themes", "--by", "nationality_typo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown attribute `nationality_typo`; attributes are: "),
        "{}",
        stderr(&out)
    );

    // agree auto ana ben: the interview all three coded.
    let out = p.ok(&["agree", "auto", "ana", "ben", "--json", "--disagreements"]);
    let rows = lines(&out);
    let v = schema("agree.schema.json");
    for r in &rows {
        check(&v, r, "agree --json");
    }
    let overall = rows.iter().find(|r| r["row"] == "overall").unwrap();
    assert_eq!(overall["interviews"], 1);
    assert!(overall["cohen_kappa"].is_null(), "three coders: no Cohen");
    assert!(overall["fleiss_kappa"].is_number());
    let table = p.ok(&["agree", "auto", "ana", "--disagreements"]);
    let header: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "CODE", "ANY", "AUTO", "ANA", "AGREE", "COHEN", "FLEISS", "ALPHA"
        ]
    );
    assert!(table.contains("(all codes)"), "{table}");
    assert!(table.contains("disagreements ("), "{table}");
    let out = p.run(&["agree", "auto", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no codings by `nobody`"),
        "{}",
        stderr(&out)
    );
}

/// Records of a CSV file (RFC 4180: quoted fields may hold commas, quotes
/// and line breaks).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (_, '"') => quoted = !quoted,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (_, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// Writes a CSV transcript of the University of Idaho oral histories
/// (`speaker,words,tags` rows) as a plain-text transcript voces ingests.
fn uidaho_transcript(csv_path: &Path, out: &Path) {
    let records = csv_records(&std::fs::read_to_string(csv_path).unwrap());
    let header: Vec<String> = records[0].iter().map(|h| h.to_lowercase()).collect();
    let speaker = header
        .iter()
        .position(|h| h.starts_with("speaker"))
        .unwrap();
    let words = header.iter().position(|h| h == "words").unwrap();
    let mut turns = Vec::new();
    for r in &records[1..] {
        let get = |i: usize| r.get(i).map_or("", |s| s.trim());
        let (s, w) = (get(speaker), get(words));
        if w.is_empty() {
            continue;
        }
        turns.push(if s.is_empty() {
            w.to_owned()
        } else {
            format!("{s}: {w}")
        });
    }
    std::fs::write(out, turns.join("\n\n") + "\n").unwrap();
}

#[test]
fn real_coded_tables_import() {
    let Some(shared) = shared_corpora("real_coded_tables_import") else {
        return;
    };
    let p = TestProject::new();
    // University of Idaho oral histories: the transcripts are the coded
    // tables themselves, one per interview, with a `tags` column.
    let dir = shared.join("uidaho-oral-history-coded/transcripts-igra");
    let mut tables: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.extension().is_some_and(|e| e == "csv"))
        .collect();
    tables.sort();
    std::fs::create_dir_all(p.path().join("txt")).unwrap();
    for t in &tables {
        let stem = t.file_stem().unwrap().to_string_lossy();
        uidaho_transcript(t, &p.path().join(format!("txt/{stem}.txt")));
    }
    p.ok(&["ingest", "-q", "txt"]);
    let (mut imported, mut rows_with_codes, mut not_found) = (0usize, 0usize, 0usize);
    for t in &tables {
        let out = p.run(&["code", "import", t.to_str().unwrap(), "--coder", "uidaho"]);
        let err = stderr(&out);
        assert!(out.status.code().is_some_and(|c| c <= 1), "{err}");
        assert!(
            err.contains("columns: quote = `words`, code = `tags`"),
            "{err}"
        );
        assert!(err.contains("every row is in interview"), "{err}");
        let summary = err.lines().find(|l| l.contains("coding(s)")).unwrap();
        let numbers: Vec<usize> = summary
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        // imported N coding(s) by uidaho from ROWS rows (W without a code,
        // A already stored, P not imported)
        imported += numbers[0];
        rows_with_codes += numbers[1] - numbers[2];
        not_found += numbers[4];
        for line in err.lines().filter(|l| l.starts_with("error: ")) {
            assert!(
                line.contains(".csv:") && line.contains("quote not found"),
                "{line}"
            );
        }
    }
    // Nearly every coded paragraph is found (the few that are not are
    // the opening turns, which the transcript's reader takes for a header).
    assert!(
        not_found * 50 <= rows_with_codes,
        "{not_found} of {rows_with_codes} not found"
    );
    assert!(
        imported >= rows_with_codes,
        "{imported} codings for {rows_with_codes} rows"
    );
    let themes = lines(&p.ok(&[
        "themes",
        "--coder",
        "uidaho",
        "--json",
        "--unit",
        "interview",
    ]));
    let childhood = themes.iter().find(|r| r["code"] == "childhood").unwrap();
    assert!(childhood["total"].as_u64().unwrap() >= 8, "{childhood}");

    // Research synthesis: codes of decisions by anonymous participants, no
    // transcripts. Columns are named by flag; every row names an interview
    // the project does not have, reported by line; nothing is stored.
    let table = shared.join("research-synthesis-coded/codes-anonymous.csv");
    let out = p.run(&["code", "import", table.to_str().unwrap(), "--coder", "kale"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no code column; the columns are `Pariticipant`, `Topic`"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("hint: name it with --code-col COLUMN"));
    let out = p.run(&[
        "code",
        "import",
        table.to_str().unwrap(),
        "--coder",
        "kale",
        "--interview-col",
        "Pariticipant",
        "--quote-col",
        "Decision",
        "--code-col",
        "Strategy",
        "--code-col",
        "Stage.of.Analysis",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("codes-anonymous.csv:2: no interview `4` in the project"),
        "{err}"
    );
    assert!(err.contains("more problems"), "{err}");
    assert!(err.contains("imported 0 coding(s)"), "{err}");
    assert!(!p.path().join(".voces/codings/manual/kale.jsonl").exists());
}
