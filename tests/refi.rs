//! REFI-QDA end to end: `voces export --format qdpx|qdc` of the sample
//! corpus (auto-coded, with a manual coder and the participant sheet)
//! validates against the REFI-QDA schema with xmllint, is byte-identical
//! run after run, and survives export → import into a fresh project →
//! export unchanged; `voces import` reads the real NVivo, ATLAS.ti and
//! qualitative-coding exports of `../shared/refi-qda/samples` and a
//! hand-made project with every trap we know of
//! (`tests/fixtures/refi/handmade`), and refuses hostile archives with one
//! line naming the file and the entry, changing nothing.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::util::{TestProject, check, repo, sample, schema, stderr};

/// The sample project: read-only for the tests that share it.
fn coded() -> &'static TestProject {
    static PROJECT: OnceLock<TestProject> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let p = TestProject::new();
        // The study codebook where `voces code` looks by default.
        p.write(
            "codebooks/smo-study.toml",
            std::fs::read(repo().join("codebooks/smo-study.toml")).unwrap(),
        );
        let dir = sample();
        let sheet = dir.join("participants.xlsx");
        p.ok(&["ingest", "-q", path(&dir), "--metadata", path(&sheet)]);
        p.ok(&["code", "-q"]);
        // A manual coder: a whole segment, and a span of another.
        let whole = ["smo03-migrant-ecuador-es#6", "smuggling", "", ""];
        let span = [
            "smo09-unstaff-guatemala-en#3",
            "exclusion.requirements",
            "--span",
            "4..30",
        ];
        for [segment, code, flag, value] in [whole, span] {
            let mut args = vec!["code", "add", segment, code, "--coder", "ana", "-q"];
            args.extend([flag, value].into_iter().filter(|a| !a.is_empty()));
            p.ok(&args);
        }
        p
    })
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The entries of a zip archive.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.insert(f.name().unwrap().into_owned(), data);
    }
    out
}

/// A zip of `entries`, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Exports the project (redacted, the default), returning the archive's
/// entries.
fn export(p: &TestProject, name: &str) -> (PathBuf, BTreeMap<String, Vec<u8>>) {
    export_with(p, name, &[])
}

/// Exports the project with `--no-redact`, for the tests that compare the
/// export with the project's own (unredacted) texts and offsets.
fn export_unredacted(p: &TestProject, name: &str) -> (PathBuf, BTreeMap<String, Vec<u8>>) {
    export_with(p, name, &["--no-redact"])
}

fn export_with(
    p: &TestProject,
    name: &str,
    extra: &[&str],
) -> (PathBuf, BTreeMap<String, Vec<u8>>) {
    let file = p.path().join(name);
    let mut args = vec!["export", "--format", "qdpx", "-o", path(&file), "-q"];
    args.extend(extra);
    p.ok(&args);
    let bytes = std::fs::read(&file).unwrap();
    (file, unzip(&bytes))
}

fn qde(entries: &BTreeMap<String, Vec<u8>>) -> String {
    String::from_utf8(entries["project.qde"].clone()).unwrap()
}

/// Validates `project.qde` text against the REFI-QDA schema with xmllint,
/// or says why it cannot.
fn xmllint(test: &str, xml: &str) {
    let xsd = repo().join("../shared/refi-qda/Project-mrt2019.xsd");
    if !xsd.is_file() {
        println!("skipping the schema check of {test}: ../shared/refi-qda is not present");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("project.qde");
    std::fs::write(&file, xml).unwrap();
    let Ok(out) = Command::new("xmllint")
        .args(["--noout", "--schema", path(&xsd), path(&file)])
        .output()
    else {
        println!("skipping the schema check of {test}: xmllint is not installed");
        return;
    };
    assert!(
        out.status.success(),
        "{test}: project.qde does not validate:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Asserts that `xml` has a selection on the whole segment `id` of
/// `interview` (as `voces show` or `voces redact --show --json` give it).
fn assert_selection_on_segment(xml: &str, interview: &Value, id: &str) {
    let segment = interview["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap();
    let (start, end) = (
        segment["start"].as_u64().unwrap(),
        segment["end"].as_u64().unwrap(),
    );
    assert!(
        xml.contains(&format!("startPosition=\"{start}\" endPosition=\"{end}\"")),
        "selection {start}..{end} of the coding of {id}"
    );
}

fn shared_samples(test: &str) -> Option<PathBuf> {
    let p = repo().join("../shared/refi-qda/samples");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipping {test}: ../shared/refi-qda is not present");
        None
    }
}

/// Values of one attribute across every element that has it.
fn attrs(xml: &str, element: &str, attr: &str) -> Vec<String> {
    let key = format!(" {attr}=\"");
    xml.split(&format!("<{element} "))
        .skip(1)
        .filter_map(|chunk| {
            let tag = format!(" {}", &chunk[..chunk.find('>').unwrap()]);
            let rest = &tag[tag.find(&key)? + key.len()..];
            Some(rest[..rest.find('"').unwrap()].to_owned())
        })
        .collect()
}

fn manual(p: &TestProject, coder: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(
        p.path()
            .join(format!(".voces/codings/manual/{coder}.jsonl")),
    )
    .unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn export_validates_and_is_byte_identical() {
    let p = coded();
    // Unredacted: this test compares the sources and selections with the
    // interviews' own texts and offsets (the default, redacted export is
    // checked by `default_export_is_redacted_and_validates`).
    let (file, entries) = export_unredacted(p, "a.qdpx");
    let again = p.path().join("b.qdpx");
    p.ok(&[
        "export",
        "-f",
        "qdpx",
        "-o",
        path(&again),
        "--no-redact",
        "-q",
    ]);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(&again).unwrap(),
        "two exports of one project differ"
    );
    let xml = qde(&entries);
    xmllint("the sample export", &xml);
    assert!(xml.contains("xmlns=\"urn:QDA-XML:project:1.0\""));

    // Users: auto and the manual coder.
    let mut users = attrs(&xml, "User", "name");
    users.sort();
    assert_eq!(users, ["ana", "auto"]);
    // Every interview is a source with its text in Sources/.
    let list = p.list();
    assert_eq!(attrs(&xml, "TextSource", "name").len(), list.len());
    let show = p.show("smo03-migrant-ecuador-es");
    let text = show["text"].as_str().unwrap();
    let sources: Vec<&String> = entries
        .keys()
        .filter(|k| k.starts_with("Sources/"))
        .collect();
    assert_eq!(sources.len(), list.len());
    assert!(
        entries.values().any(|v| v == text.as_bytes()),
        "the interview text is a source file"
    );
    // ana's whole-segment coding is a selection at the segment's offsets.
    assert_selection_on_segment(&xml, &show, "smo03-migrant-ecuador-es#6");
    // Cases: one per participant row, with typed variables.
    assert_eq!(attrs(&xml, "Case", "name").len(), 12);
    assert!(
        xml.contains("name=\"age\" typeOfVariable=\"Integer\""),
        "{xml}"
    );
    assert!(xml.contains("name=\"date\" typeOfVariable=\"Date\""));
    assert!(xml.contains("<IntegerValue>34</IntegerValue>"));
    // Codes: the study codebook's, nested, with colours.
    let book = std::fs::read_to_string(repo().join("codebooks/smo-study.toml")).unwrap();
    let codes = book.lines().filter(|l| l.trim() == "[[code]]").count();
    assert_eq!(attrs(&xml, "Code", "guid").len(), codes);
    assert!(xml.contains("color=\"#d62728\""));

    // The codebook alone.
    let qdc = p.path().join("codes.qdc");
    p.ok(&["export", "--format", "qdc", "-o", path(&qdc), "-q"]);
    let qdc = std::fs::read_to_string(&qdc).unwrap();
    assert!(qdc.contains("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\""));
    assert_eq!(attrs(&qdc, "Code", "guid"), attrs(&xml, "Code", "guid"));
    // ... which imports as a codebook with the same tree.
    let fresh = TestProject::new();
    fresh.ok(&["import", path(&p.path().join("codes.qdc")), "-q"]);
    let imported =
        std::fs::read_to_string(fresh.path().join("codebooks/imported-codes.toml")).unwrap();
    assert_eq!(imported.matches("[[code]]").count(), codes);
    let parents = |t: &str| t.lines().filter(|l| l.starts_with("parent = ")).count();
    assert_eq!(parents(&imported), parents(&book));

    // A wrong extension is an error before anything is written.
    let out = p.run(&["export", "--format", "qdc", "-o", "codes.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("should end in .qdc"),
        "{}",
        stderr(&out)
    );
}

/// `(startPosition, endPosition, name)` of a selection.
type Sel = (usize, usize, String);

/// The selections of each source, by the source's text file
/// (`Sources/GUID.txt`).
fn selections(xml: &str) -> Vec<(String, Vec<Sel>)> {
    let unescape = |s: &str| {
        s.replace("&#10;", "\n")
            .replace("&#9;", "\t")
            .replace("&#13;", "\r")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    xml.split("<TextSource ")
        .skip(1)
        .map(|source| {
            let file = attrs(
                &format!("<TextSource {source}"),
                "TextSource",
                "plainTextPath",
            )[0]
            .replace("internal://", "Sources/");
            let starts = attrs(source, "PlainTextSelection", "startPosition");
            let ends = attrs(source, "PlainTextSelection", "endPosition");
            let names = attrs(source, "PlainTextSelection", "name");
            assert_eq!(starts.len(), names.len());
            let list = starts
                .iter()
                .zip(&ends)
                .zip(&names)
                .map(|((s, e), n)| (s.parse().unwrap(), e.parse().unwrap(), unescape(n)))
                .collect();
            (file, list)
        })
        .collect()
}

#[test]
fn default_export_is_redacted_and_validates() {
    let p = coded();
    let (_, entries) = export(p, "redacted.qdpx");
    let xml = qde(&entries);
    xmllint("the redacted export", &xml);
    // The sources are the interviews as `voces redact --show` redacts them.
    let redacted = |id: &str| -> Value {
        let out = p.ok(&["redact", "--show", id, "--json", "--dry-run", "-q"]);
        serde_json::from_str(&out).unwrap()
    };
    let original = p.show("smo05-migrant-guatemala-es");
    let shown = redacted("smo05-migrant-guatemala-es");
    let text = shown["text"].as_str().unwrap();
    assert!(original["text"].as_str().unwrap().contains("Efraín"));
    assert!(!text.contains("Efraín") && text.contains("[P"), "{text}");
    assert!(entries.values().any(|v| v == text.as_bytes()));
    assert!(
        !entries
            .values()
            .any(|v| v == original["text"].as_str().unwrap().as_bytes())
    );
    assert!(!xml.contains("Efraín"));
    // ana's whole-segment coding sits on the redacted segment.
    let shown = redacted("smo03-migrant-ecuador-es");
    assert_selection_on_segment(&xml, &shown, "smo03-migrant-ecuador-es#6");
    // Every selection's quote is the redacted source text at its positions.
    let all = selections(&xml);
    assert_eq!(all.len(), p.list().len());
    let mut checked = 0;
    for (file, list) in all {
        let chars: Vec<char> = std::str::from_utf8(&entries[&file])
            .unwrap()
            .chars()
            .collect();
        for (s, e, name) in list {
            assert!(s < e && e <= chars.len(), "{file}: {s}..{e}");
            let quote: String = chars[s..e].iter().collect();
            let flat = quote.split_whitespace().collect::<Vec<_>>().join(" ");
            let head = name.strip_suffix('…').unwrap_or(&name);
            assert!(
                flat.starts_with(head),
                "{file} {s}..{e}: {name:?} vs {flat:?}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} selections");
}

#[test]
fn export_import_export_round_trips() {
    let a = coded();
    // Unredacted both ways: the round trip must give back the project's
    // own texts, and the second export the first one's bytes.
    let (file, first) = export_unredacted(a, "round.qdpx");

    let b = TestProject::new();
    let out = b.run(&["import", path(&file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("sources: 12 new"), "{err}");
    assert!(
        err.contains("user `auto` codes as `auto-imported`"),
        "{err}"
    );
    assert_eq!(b.list().len(), 12);
    // Texts and segments as in the first project.
    let show_a = a.show("smo05-migrant-guatemala-es");
    let show_b = b.show("smo05-migrant-guatemala-es");
    assert_eq!(show_a["text"], show_b["text"]);
    assert_eq!(
        show_a["segments"].as_array().unwrap().len(),
        show_b["segments"].as_array().unwrap().len()
    );
    assert_eq!(show_b["attributes"]["age"], 46.0);
    // ana's codings are ana's, at the same offsets.
    let key = |v: &Value| {
        (
            v["interview"].to_string(),
            v["start"].as_u64(),
            v["end"].as_u64(),
        )
    };
    let mut ana_a: Vec<_> = manual(a, "ana").iter().map(key).collect();
    let mut ana_b: Vec<_> = manual(&b, "ana").iter().map(key).collect();
    ana_a.sort();
    ana_b.sort();
    assert_eq!(ana_a, ana_b);

    let ids: Value = serde_json::from_slice(
        &std::fs::read(b.path().join(".voces/refi/identities.json")).unwrap(),
    )
    .unwrap();
    check(
        &schema("refi-identities.schema.json"),
        &ids,
        "identities.json",
    );
    assert_eq!(ids["users"]["auto-imported"]["name"], "auto");

    let (_, second) = export_unredacted(&b, "again.qdpx");
    let name = |xml: &str, project: &TestProject| {
        let folder = project
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        xml.replacen(&format!("name=\"{folder}\""), "name=\"PROJECT\"", 1)
    };
    assert_eq!(
        name(&qde(&first), a),
        name(&qde(&second), &b),
        "export → import → export changed project.qde"
    );
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (k, v) in &first {
        if k != "project.qde" {
            assert_eq!(v, &second[k], "{k}");
        }
    }

    // The same file again adds nothing.
    let out = b.run(&["import", path(&file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("sources: 0 new, 12 already stored"), "{err}");
    assert!(err.contains("imported 0 coding(s)"), "{err}");

    // A run killed after it saved the identities (its first write) and
    // the codebook, before the codings: the next run adds them under the
    // same code ids, not beside them as `smuggling-2`.
    let c = TestProject::new();
    assert!(c.run(&["import", path(&file)]).status.success());
    let logs = c.path().join(".voces/codings/manual");
    for log in std::fs::read_dir(&logs).unwrap() {
        std::fs::remove_file(log.unwrap().path()).unwrap();
    }
    let out = c.run(&["import", path(&file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let coded = |p: &TestProject| {
        let mut keys: Vec<_> = manual(p, "ana")
            .iter()
            .map(|v| (v["code"].to_string(), key(v)))
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(coded(&c), coded(&b));
}

#[test]
fn shared_samples_import() {
    let Some(samples) = shared_samples("shared_samples_import") else {
        return;
    };
    // Counts read from each project.qde: sources, codes, selections with
    // codings.
    let p = TestProject::new();
    let out = p.run(&[
        "import",
        path(&samples.join("qualitative-coding-demo.qdpx")),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ids: Vec<String> = p
        .list()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["admin-1", "board_2017"]);
    let book =
        std::fs::read_to_string(p.path().join("codebooks/imported-qc-project.toml")).unwrap();
    assert_eq!(book.matches("[[code]]").count(), 262);
    // 158 selections with 205 codings, each inside one speaker turn.
    let codings = manual(&p, "cp");
    assert_eq!(codings.len(), 205);
    let board = p.show("board_2017");
    let text: Vec<char> = board["text"].as_str().unwrap().chars().collect();
    for c in &codings {
        let (s, e) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[s..e].iter().collect::<String>(),
            c["quote"].as_str().unwrap()
        );
    }
    let first = codings
        .iter()
        .find(|c| c["code"] == "rq2_curriculum_and_instruction.pedagogy.fun")
        .expect("a coding of fun");
    assert_eq!(
        first["quote"],
        "This district goal is engage every student in joyful, purposeful learning that"
    );
    let (_, entries) = export(&p, "back.qdpx");
    xmllint("the re-export of qualitative-coding-demo", &qde(&entries));

    // NVivo: 262 codes, two empty Word sources (skipped with a warning).
    let p = TestProject::new();
    let out = p.run(&["import", path(&samples.join("nvivo-mac-15.qdpx"))]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("sources: 0 new, 0 already stored, 0 renamed, 2 skipped"),
        "{err}"
    );
    assert!(err.contains("codes: 262"), "{err}");
    assert!(p.list().is_empty());

    // ATLAS.ti: codes only, a theme with two sub-codes.
    let p = TestProject::new();
    p.ok(&["import", path(&samples.join("atlasti-23-codes-only.qdpx"))]);
    let book = std::fs::read_to_string(
        p.path()
            .join("codebooks/imported-target-atlas-project.toml"),
    )
    .unwrap();
    assert!(
        book.contains("id = \"commits.2022-05-10t02-05-59z-19e4dce\""),
        "{book}"
    );
    assert!(book.contains("parent = \"commits\""));
    assert_eq!(book.matches("[[code]]").count(), 3);
}

#[test]
fn handmade_project_with_every_trap() {
    let dir = repo().join("tests/fixtures/refi/handmade");
    let qde_bytes = std::fs::read(dir.join("project.qde")).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = vec![("project.qde".into(), qde_bytes)];
    for f in std::fs::read_dir(dir.join("Sources")).unwrap() {
        let f = f.unwrap();
        // NVivo's lower-case folder.
        entries.push((
            format!("sources/{}", f.file_name().to_string_lossy()),
            std::fs::read(f.path()).unwrap(),
        ));
    }
    let refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let p = TestProject::new();
    let file = p.write("handmade.qdpx", zip_of(&refs));

    let out = p.run(&["import", path(&file)]);
    // Two broken selections: exit 1, each named.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "1 Note left out",
        "1 PDFSource left out",
        "source `afuera` not imported: its file `relative:///afuera.txt` is outside the archive",
        "selection 48..56 (\"**Ana:**\") covers no text of the interview voces built",
        "a coding refers to code 33333333-0000-4000-8000-000000000009, which the file does not define",
        "user `María José` codes as `María-José`",
        "sources: 2 new, 0 already stored, 0 renamed, 1 skipped",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }

    // Codings: positions through CRLF, bold labels and a decomposed
    // accent; the selection across two turns split in two.
    let mut got: Vec<(String, String, String, String)> = Vec::new();
    for coder in ["María-José", "user-22222222"] {
        for c in manual(&p, coder) {
            got.push((
                coder.to_owned(),
                c["code"].as_str().unwrap().to_owned(),
                c["segment"].as_str().unwrap().to_owned(),
                c["quote"].as_str().unwrap().to_owned(),
            ));
        }
    }
    got.sort();
    let want = [
        (
            "María-José",
            "migracion.coyotes",
            "Entrevista-Ana#4",
            "coyote",
        ),
        (
            "María-José",
            "migracion.razones-economicas",
            "Entrevista-Ana#2",
            "Porque no había trabajo. Y la situación era difícil.",
        ),
        (
            "user-22222222",
            "migracion",
            "Entrevista-Ana#2",
            "trabajo. Y la situación era difícil.",
        ),
        (
            "user-22222222",
            "migracion",
            "Entrevista-Ana#3",
            "¿Y cómo llegó?",
        ),
        (
            "user-22222222",
            "migracion",
            "notas#1",
            "El grupo habló de la frontera y de los coyotes.",
        ),
    ];
    let want: Vec<(String, String, String, String)> = want
        .iter()
        .map(|(a, b, c, d)| ((*a).into(), (*b).into(), (*c).into(), (*d).into()))
        .collect();
    assert_eq!(got, want);
    let dated = manual(&p, "María-José");
    assert!(dated.iter().any(|c| c["at"] == "2024-03-01T10:00:00Z"));

    // Cases and variables as an attribute table.
    let ana = p.show("Entrevista-Ana");
    assert_eq!(ana["attributes"]["edad"], 34.0);
    assert_eq!(ana["attributes"]["peso"], 61.5);
    assert_eq!(ana["attributes"]["activo"], true);
    assert_eq!(ana["attributes"]["fecha"], "2024-02-20");
    assert_eq!(p.show("notas")["attributes"]["nota"], "grupo");

    // What the import wrote matches the schemas of the store.
    let json = |rel: &str| -> Value {
        serde_json::from_slice(&std::fs::read(p.path().join(rel)).unwrap()).unwrap()
    };
    for (rel, name) in [
        (".voces/refi/identities.json", "refi-identities.schema.json"),
        (
            ".voces/corpus/interviews/Entrevista-Ana.json",
            "interview.schema.json",
        ),
        (
            ".voces/corpus/metadata/handmade.qdpx.json",
            "metadata-table.schema.json",
        ),
    ] {
        check(&schema(name), &json(rel), rel);
    }
    let log = schema("codings-manual.schema.json");
    for c in manual(&p, "user-22222222") {
        check(&log, &c, "user-22222222.jsonl");
    }

    // Codes with hierarchy and colours, then out again with their GUIDs,
    // types and codability.
    let book = std::fs::read_to_string(p.path().join("codebooks/imported-estudio-de-prueba.toml"))
        .unwrap();
    assert!(book.contains("color = \"#aabbcc\""), "{book}");
    assert!(book.contains("parent = \"grouping\""));
    let (_, entries) = export(&p, "out.qdpx");
    let xml = qde(&entries);
    xmllint("the re-export of the hand-made project", &xml);
    assert!(xml.contains(
        "<Code guid=\"33333333-0000-4000-8000-000000000004\" name=\"Grouping\" isCodable=\"false\">"
    ));
    assert!(xml.contains("name=\"peso\" typeOfVariable=\"Float\""));
    assert!(xml.contains("<Case guid=\"55555555-0000-4000-8000-000000000002\" name=\"Grupo\">"));
    assert!(xml.contains("creationDateTime=\"2024-03-01T10:00:00Z\""));
}

#[test]
fn id_collisions_get_a_suffix_and_change_nothing() {
    let p = TestProject::new();
    let transcript = p.write(
        "in/entrevista.txt",
        "Interviewer: Where are you from?\nAna: From Maracay.\nInterviewer: And then?\nAna: Then Bogotá.\n",
    );
    p.ok(&["ingest", "-q", path(&transcript)]);
    let before = std::fs::read(p.path().join(".voces/corpus/interviews/entrevista.json")).unwrap();
    let project = br#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="other">
  <Sources>
    <TextSource guid="aaaaaaaa-0000-4000-8000-000000000001" name="entrevista.txt">
      <PlainTextContent>A different text with the same name.</PlainTextContent>
    </TextSource>
  </Sources>
</Project>"#;
    let file = p.write("other.qdpx", zip_of(&[("project.qde", project)]));
    let out = p.run(&["import", path(&file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "the id `entrevista` is taken by another interview; stored as `entrevista-2`"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        before,
        std::fs::read(p.path().join(".voces/corpus/interviews/entrevista.json")).unwrap()
    );
    assert_eq!(
        p.show("entrevista-2")["text"],
        "A different text with the same name."
    );
}

/// A file name, its zip entries, and the error importing it gives.
type Hostile<'a> = (&'a str, Vec<(&'a str, &'a [u8])>, &'a str);

#[test]
fn hostile_archives_are_refused_with_one_line() {
    let p = TestProject::new();
    let project = br#"<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>"#;
    let deep = format!(
        "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"x\">{}{}</Project>",
        "<Description>".repeat(300),
        "</Description>".repeat(300)
    );
    // A 65 MiB source of zeros: a few KiB compressed.
    let bomb = vec![b'a'; 65 * 1024 * 1024];
    let cases: Vec<Hostile<'_>> = vec![
        (
            "dotdot.qdpx",
            vec![("project.qde", project), ("Sources/../../evil.txt", b"x")],
            "zip entry `Sources/../../evil.txt` is refused: its path leaves the archive (`..`)",
        ),
        (
            "absolute.qdpx",
            vec![("project.qde", project), ("/etc/evil.txt", b"x")],
            "zip entry `/etc/evil.txt` is refused: its path is absolute",
        ),
        (
            "backslash.qdpx",
            vec![("project.qde", project), ("Sources\\evil.txt", b"x")],
            "zip entry `Sources\\evil.txt` is refused: its path has a backslash",
        ),
        (
            "bomb.qdpx",
            vec![("project.qde", &bomb)],
            "zip entry `project.qde` declares a size past the 64 MiB limit per entry (zip bomb?)",
        ),
        (
            "deep.qdpx",
            vec![("project.qde", deep.as_bytes())],
            "project.qde nests elements more than 256 deep",
        ),
        (
            "empty.qdpx",
            vec![("other.xml", project)],
            "not a REFI-QDA project (no project.qde in the archive)",
        ),
    ];
    for (name, entries, expected) in cases {
        let file = p.write(name, zip_of(&entries));
        let out = p.run(&["import", path(&file)]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: one line: {err}");
        assert!(err.contains(name), "{name}: names the file: {err}");
        assert!(
            err.contains(expected),
            "{name}: expected `{expected}` in {err}"
        );
    }
    assert!(p.list().is_empty());
    assert!(!p.path().join(".voces/refi").exists());
    assert!(!p.path().join("codebooks").exists());
}
