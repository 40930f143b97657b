//! `voces excerpts` end to end on the sample corpus (ingested with its
//! sheet, auto-coded with the study codebook, plus a manual coder): every
//! format carries the same rows, filters mean what `voces search --where`
//! means, `--code` takes sub-codes, `--context` gives words of the segment,
//! quotes are the interview's text at their character offsets, and the
//! JSON Lines validate against `corpus-schema/excerpt.schema.json`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx, open_workbook};
use serde_json::Value;
use voces_export::excerpts::COLUMNS;

use crate::util::{TestProject, check, repo, schema, stderr};

/// The shared project: read-only for the tests that use it.
fn project() -> &'static TestProject {
    static PROJECT: OnceLock<TestProject> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let p = crate::coding::sample_project();
        p.ok(&["code", "-q"]);
        // A manual coder: a whole segment and a span of another.
        p.ok(&[
            "code",
            "add",
            "smo01-migrant-colombia-es#9",
            "smuggling.payment",
            "--coder",
            "ana",
            "-q",
        ]);
        p.ok(&[
            "code",
            "add",
            "smo07-usofficial-us-en#4",
            "information.sources",
            "--coder",
            "ana",
            "--span",
            "0..25",
            "-q",
        ]);
        p
    })
}

fn jsonl(p: &TestProject, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["excerpts", "--no-redact", "--json"];
    all.extend_from_slice(args);
    p.ok(&all)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn text(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A JSON row as the cells of a CSV or XLSX row: the fixed columns, then
/// the attributes in `names` order.
fn flat(row: &Value, names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = COLUMNS.iter().map(|c| text(row, c)).collect();
    out.extend(names.iter().map(|n| text(&row["attributes"], n)));
    out
}

fn attribute_names(rows: &[Value]) -> Vec<String> {
    let names: BTreeSet<String> = rows
        .iter()
        .flat_map(|r| r["attributes"].as_object().unwrap().keys().cloned())
        .collect();
    names.into_iter().collect()
}

/// Segment ids the interview texts, cached.
struct Texts<'a> {
    p: &'a TestProject,
    texts: HashMap<String, Vec<char>>,
}

impl Texts<'_> {
    fn of(&mut self, interview: &str) -> &[char] {
        self.texts.entry(interview.to_owned()).or_insert_with(|| {
            self.p.show(interview)["text"]
                .as_str()
                .unwrap()
                .chars()
                .collect()
        })
    }
}

#[test]
fn jsonl_rows_are_the_codings_with_their_context_and_match_the_schema() {
    let p = project();
    let rows = jsonl(p, &[]);
    let auto = std::fs::read_to_string(p.path().join(".voces/codings/auto.jsonl")).unwrap();
    assert_eq!(rows.len(), auto.lines().count() + 2, "auto codings + ana's");
    let validator = schema("excerpt.schema.json");
    for r in &rows {
        check(&validator, r, "excerpts --json line");
    }
    // Sorted by interview, start, code, coder.
    let keys: Vec<(String, u64, String, String)> = rows
        .iter()
        .map(|r| {
            (
                text(r, "interview"),
                r["start"].as_u64().unwrap(),
                text(r, "code"),
                text(r, "coder"),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    // Quotes are the interview text at their character offsets.
    let mut texts = Texts {
        p,
        texts: HashMap::new(),
    };
    for r in &rows {
        let chars = texts.of(r["interview"].as_str().unwrap());
        let (a, b) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(chars[a..b].iter().collect::<String>(), text(r, "quote"));
        assert!(text(r, "segment").starts_with(&format!("{}#", text(r, "interview"))));
    }
    // Code paths, themes, rules, speakers and attributes.
    let payment: Vec<&Value> = rows
        .iter()
        .filter(|r| r["code"] == "smuggling.payment")
        .collect();
    assert!(payment.len() > 2);
    for r in &payment {
        assert_eq!(r["code_path"], "Smuggling > Paying smugglers");
        assert_eq!(r["theme"], "smuggling");
    }
    let ana: Vec<&Value> = rows.iter().filter(|r| r["coder"] == "ana").collect();
    assert_eq!(ana.len(), 2);
    assert!(ana.iter().all(|r| r["rule"].is_null()));
    assert_eq!(ana[1]["quote"].as_str().unwrap().chars().count(), 25);
    assert!(
        rows.iter()
            .filter(|r| r["coder"] == "auto")
            .all(|r| r["rule"].as_str().is_some_and(|s| s.contains('/')))
    );
    let smo01 = rows
        .iter()
        .find(|r| r["interview"] == "smo01-migrant-colombia-es")
        .unwrap();
    assert_eq!(smo01["attributes"]["country"], "Colombia");
    assert_eq!(smo01["attributes"]["age"], "34");
    assert_eq!(smo01["language"], "es");
    assert!(rows.iter().all(|r| r["before"] == "" && r["after"] == ""));
}

#[test]
fn csv_xlsx_and_markdown_carry_the_jsonl_rows() {
    let p = project();
    let rows = jsonl(p, &["--context", "4"]);
    let names = attribute_names(&rows);
    let expected: Vec<Vec<String>> = rows.iter().map(|r| flat(r, &names)).collect();

    // CSV on stdout: no byte order mark; `language` is also a sheet
    // attribute, whose column is renamed.
    let csv_text = p.ok(&[
        "excerpts",
        "--no-redact",
        "--format",
        "csv",
        "--context",
        "4",
    ]);
    assert!(csv_text.starts_with("interview,segment,start,end,code,code_path"));
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let header: Vec<String> = header.iter().map(String::from).collect();
    let mut want_header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    want_header.extend(names.iter().map(|n| {
        if n == "language" {
            "attr_language".to_owned()
        } else {
            n.clone()
        }
    }));
    assert_eq!(header, want_header);
    let got: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(got, expected);

    // CSV to a file starts with a byte order mark, for Excel.
    std::fs::create_dir_all(p.path().join("out")).unwrap();
    p.ok(&[
        "excerpts",
        "--no-redact",
        "-o",
        "out/excerpts.csv",
        "--context",
        "4",
        "-q",
    ]);
    let bytes = std::fs::read(p.path().join("out/excerpts.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}interview,".as_bytes()));
    assert_eq!(&bytes[3..], csv_text.as_bytes());

    // XLSX, read back.
    let out = p.run(&[
        "excerpts",
        "--no-redact",
        "-o",
        "out/excerpts.xlsx",
        "--context",
        "4",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("wrote {} excerpt(s)", rows.len())));
    let path = p.path().join("out/excerpts.xlsx");
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["Excerpts", "Codebook", "Crosstab"]);
    let sheet = book.worksheet_range("Excerpts").unwrap();
    let mut cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    assert_eq!(cells.remove(0), want_header);
    assert_eq!(cells, expected);
    let leftovers: Vec<String> = std::fs::read_dir(p.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // Markdown: a heading per code with excerpts (and their parents), each
    // quote in a blockquote with its segment and rule or coder.
    let md = p.ok(&["excerpts", "--no-redact", "--format", "md"]);
    assert!(md.starts_with("# Coded excerpts\n"));
    assert!(md.contains("\n## Smuggling (`smuggling`)"), "{md}");
    assert!(md.contains("\n### Paying smugglers (`smuggling.payment`) · "));
    let quotes = md.lines().filter(|l| l.starts_with("> ")).count();
    assert_eq!(quotes, rows.len());
    assert!(md.contains("auto rule `smuggling.payment/"));
    assert!(md.contains(" · coder ana"));
    let with_context = p.ok(&[
        "excerpts",
        "--no-redact",
        "--format",
        "md",
        "--context",
        "4",
    ]);
    assert!(
        with_context.contains("**"),
        "the quote is bold in its context"
    );
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

#[test]
fn xlsx_codebook_and_crosstab_sheets_agree_with_themes() {
    let p = project();
    p.ok(&[
        "excerpts",
        "--no-redact",
        "--coder",
        "auto",
        "-o",
        "auto.xlsx",
        "--by",
        "group,country",
        "-q",
    ]);
    let mut book: Xlsx<_> = open_workbook(p.path().join("auto.xlsx")).unwrap();
    let cross = book.worksheet_range("Crosstab").unwrap();
    let at = |r: u32, c: u32| cross.get_value((r, c)).map(cell_text).unwrap_or_default();
    assert_eq!(at(0, 3), "group");
    assert_eq!(at(1, 0), "code");
    assert_eq!(at(1, 2), "all");
    // Columns of each value, by header.
    let mut column: HashMap<String, u32> = HashMap::new();
    for c in 3..40 {
        let v = at(1, c);
        if v.is_empty() {
            break;
        }
        column.entry(v).or_insert(c);
    }
    // `voces themes --by group` counts the same coded segments.
    let themes = p.ok(&["themes", "--coder", "auto", "--by", "group", "--json"]);
    let mut checked = 0;
    for line in themes.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        if v["row"] != "code" {
            continue;
        }
        let code = v["code"].as_str().unwrap();
        let r = (2..200).find(|&r| at(r, 0) == code).expect(code);
        assert_eq!(at(r, 2), v["total"].to_string(), "{code}");
        for (value, n) in v["by"].as_object().unwrap() {
            assert_eq!(at(r, column[value]), n.to_string(), "{code} {value}");
        }
        checked += 1;
    }
    assert!(checked > 30);
    assert!(column.contains_key("Costa Rica"));

    let codebook = book.worksheet_range("Codebook").unwrap();
    let rows: Vec<Vec<String>> = codebook
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    assert_eq!(
        rows[0][..7],
        [
            "code",
            "parent",
            "path",
            "label_en",
            "label_es",
            "definition_en",
            "definition_es"
        ]
    );
    let payment = rows.iter().find(|r| r[0] == "smuggling.payment").unwrap();
    assert_eq!(payment[1], "smuggling");
    assert_eq!(payment[2], "Smuggling > Paying smugglers");
    assert!(payment[8].contains("smuggling.payment/es/"), "{payment:?}");
    let theme = rows.iter().find(|r| r[0] == "smuggling").unwrap();
    assert!(theme[7].starts_with('#'), "colour: {theme:?}");
}

#[test]
fn where_filters_mean_what_they_mean_to_search() {
    let p = project();
    let all = jsonl(p, &[]);
    for filters in [
        &["group=migrant"][..],
        &["country=costa rica", "country=ECUADOR"],
        &["lang=en"],
        &["role=participant", "group=un_staff"],
        &["speaker=intérprete"],
        &["interview=smo03-migrant-ecuador-es"],
    ] {
        let mut search = vec!["search", "--json", "--limit", "100000"];
        let mut args: Vec<&str> = Vec::new();
        for f in filters {
            search.extend(["--where", f]);
            args.extend(["--where", f]);
        }
        let segments: BTreeSet<String> = p
            .ok(&search)
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                v["segment"].as_str().unwrap().to_owned()
            })
            .collect();
        let want: Vec<&Value> = all
            .iter()
            .filter(|r| segments.contains(r["segment"].as_str().unwrap()))
            .collect();
        let got = jsonl(p, &args);
        assert!(!got.is_empty(), "{filters:?}");
        assert_eq!(got.iter().collect::<Vec<_>>(), want, "{filters:?}");
    }
    let err = p.run(&["excerpts", "--no-redact", "--where", "contry=Peru"]);
    assert_eq!(err.status.code(), Some(2));
    assert!(
        stderr(&err).contains("unknown attribute `contry`; attributes are: age, country,"),
        "{}",
        stderr(&err)
    );
    let err = p.run(&["excerpts", "--no-redact", "--where", "country"]);
    assert!(stderr(&err).contains("expected ATTRIBUTE=VALUE"));
}

#[test]
fn code_takes_its_sub_codes_and_coder_chooses_whose_codings() {
    let p = project();
    let all = jsonl(p, &[]);
    let theme = jsonl(p, &["--code", "smuggling"]);
    let want: Vec<&Value> = all.iter().filter(|r| r["theme"] == "smuggling").collect();
    assert_eq!(theme.iter().collect::<Vec<_>>(), want);
    let codes: BTreeSet<&str> = theme.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert!(codes.contains("smuggling.payment") && codes.contains("smuggling.smugglers"));
    let two = jsonl(
        p,
        &["--code", "smuggling.payment", "--code", "asylum.claims"],
    );
    assert!(
        two.iter()
            .all(|r| r["code"] == "smuggling.payment" || r["code"] == "asylum.claims")
    );
    assert_eq!(
        two.len(),
        all.iter()
            .filter(|r| r["code"] == "smuggling.payment" || r["code"] == "asylum.claims")
            .count()
    );
    let err = p.run(&["excerpts", "--no-redact", "--code", "smugling"]);
    assert_eq!(err.status.code(), Some(2));
    assert!(stderr(&err).contains("did you mean `smuggling`?"));

    let ana = jsonl(p, &["--coder", "ana"]);
    assert_eq!(ana.len(), 2);
    let auto = jsonl(p, &["--coder", "auto"]);
    assert_eq!(ana.len() + auto.len(), all.len());
    let both = jsonl(p, &["--coder", "ana", "--coder", "auto", "--coder", "ana"]);
    assert_eq!(both, all);
    let err = p.run(&["excerpts", "--no-redact", "--coder", "ben"]);
    assert!(stderr(&err).contains("no codings by `ben`"));
}

#[test]
fn context_gives_words_of_the_segment_either_side() {
    let p = project();
    let rows = jsonl(p, &["--context", "3"]);
    let mut texts = Texts {
        p,
        texts: HashMap::new(),
    };
    // Words as UAX #29 counts them here: runs between spaces holding a
    // letter or digit (`you'd` is one word).
    let words = |s: &str| {
        s.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    };
    let mut with_before = 0;
    for r in &rows {
        let (before, quote, after) = (text(r, "before"), text(r, "quote"), text(r, "after"));
        assert!(words(&before) <= 3 && words(&after) <= 3, "{r}");
        with_before += usize::from(words(&before) == 3);
        // before + quote + after is a stretch of the interview text.
        let chars = texts.of(r["interview"].as_str().unwrap());
        let a = r["start"].as_u64().unwrap() as usize - before.chars().count();
        let b = r["end"].as_u64().unwrap() as usize + after.chars().count();
        assert_eq!(
            chars[a..b].iter().collect::<String>(),
            format!("{before}{quote}{after}")
        );
        assert!(
            !before.contains('\n') && !after.contains('\n'),
            "stays in its segment"
        );
    }
    assert!(
        with_before > rows.len() / 3,
        "{with_before} of {}",
        rows.len()
    );
}

#[test]
fn bad_requests_are_one_line_errors() {
    let p = project();
    for (args, message) in [
        (
            &["excerpts", "--no-redact", "--format", "xlsx"][..],
            "xlsx is a binary file",
        ),
        (
            &["excerpts", "--no-redact", "-f", "csv", "-o", "x.xlsx"],
            "-o x.xlsx looks like xlsx but the format is csv",
        ),
        (
            &["excerpts", "--no-redact", "--by", "group"],
            "--by chooses the Crosstab sheet",
        ),
        (
            &["excerpts", "--no-redact", "-o", "nowhere/x.csv"],
            "-o nowhere/x.csv: the folder nowhere does not exist",
        ),
        (
            &["excerpts", "--no-redact", "-o", "x.xlsx", "--by", "grup"],
            "unknown attribute `grup` for the crosstab",
        ),
    ] {
        let out = p.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        // One error line (after the --no-redact warning when that runs
        // first).
        let errors: Vec<String> = stderr(&out)
            .lines()
            .filter(|l| l.starts_with("error:"))
            .map(str::to_owned)
            .collect();
        assert_eq!(errors.len(), 1, "{}", stderr(&out));
        assert!(
            errors[0].starts_with(&format!("error: {message}")),
            "{}",
            stderr(&out)
        );
    }
    assert!(!p.path().join("x.xlsx").exists());

    let empty = TestProject::new();
    let out = empty.run(&["excerpts", "--no-redact"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no codings yet"), "{}", stderr(&out));
}

#[test]
fn codings_of_a_changed_corpus_are_reported() {
    let p = TestProject::new();
    p.write(
        "t/cruce.txt",
        "Entrevistador: ¿Cómo cruzaron?\nParticipante: Le pagamos al coyote cien dólares. Fue muy duro.\n",
    );
    p.ok(&["ingest", "-q", "t"]);
    p.ok(&[
        "code",
        "add",
        "cruce#2",
        "smuggling",
        "--coder",
        "ana",
        "--codebook",
        repo().join("codebooks/smo-study.toml").to_str().unwrap(),
        "-q",
    ]);
    let rows: BTreeMap<String, Value> = jsonl(&p, &["--context", "2"])
        .into_iter()
        .map(|r| (text(&r, "segment"), r))
        .collect();
    assert_eq!(
        rows["cruce#2"]["quote"],
        "Le pagamos al coyote cien dólares. Fue muy duro."
    );
    // The transcript changes under the coding: its quote is kept, without
    // context, and the change is reported.
    p.write(
        "t/cruce.txt",
        "Entrevistador: ¿Cómo cruzaron?\nParticipante: Le pagamos a un guía cien dólares. Fue muy duro.\n",
    );
    p.ok(&["ingest", "-q", "t"]);
    let out = p.run(&["excerpts", "--no-redact", "--json", "--context", "2"]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("1 coding(s) no longer match their interview's text"),
        "{err}"
    );
    let row: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(row["before"], "");
    // A removed interview's codings are left out, with a warning.
    p.ok(&["corpus", "remove", "cruce"]);
    let out = p.run(&["excerpts", "--no-redact", "--json"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("no longer in the corpus are left out: cruce"),
        "{}",
        stderr(&out)
    );
}
