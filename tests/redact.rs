//! `voces redact` and pseudonymization end to end, on a fixture corpus
//! with seeded personal data (`tests/fixtures/redact/`: names and aliases
//! in the sheet, name speaker labels, a file named after a participant,
//! e-mail addresses, phone, passport, cédula, A- and case numbers, places
//! and organisations from term lists, in Spanish and English): what is
//! found, the mapping (stable, outside the project, owner-only), `--show`,
//! `--dry-run`, and that no seeded datum reaches any export format.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{TestProject, check, repo, schema, stderr};

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/redact")
}

/// The lines of a fixture list, without comments.
fn list(name: &str) -> Vec<String> {
    std::fs::read_to_string(fixtures().join(name))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Lower case without the accents the fixtures use.
fn fold(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            c => c,
        })
        .collect()
}

/// The seeded personal data found in `text` (whole words, any case and
/// accents).
fn leaks(text: &str) -> Vec<String> {
    let hay = fold(text);
    list("pii.txt")
        .into_iter()
        .filter(|pii| {
            let needle = fold(pii);
            hay.match_indices(&needle).any(|(i, _)| {
                let before = hay[..i].chars().next_back();
                let after = hay[i + needle.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
        .collect()
}

/// A project with the fixture corpus ingested, the study codebook, the
/// privacy settings (terms in voces.toml and in a term file), and the
/// mapping in `private/` beside the project folder.
struct Study {
    tmp: tempfile::TempDir,
    project: TestProject,
}

impl Study {
    fn new() -> Study {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("private")).unwrap();
        let project = TestProject::new();
        let f = fixtures();
        let transcripts: Vec<String> = [
            "entrevista-01.txt",
            "maria-jose-perez.txt",
            "interview-03.txt",
        ]
        .iter()
        .map(|n| f.join(n).display().to_string())
        .collect();
        let mut args = vec!["ingest", "-q", "--metadata"];
        let sheet = f.join("participants.csv").display().to_string();
        args.push(&sheet);
        args.extend(transcripts.iter().map(String::as_str));
        project.ok(&args);
        let config = std::fs::read_to_string(project.path().join("voces.toml")).unwrap();
        let config = config
            .replace(
                "codebook = \"\"",
                &format!("codebook = {:?}", repo().join("codebooks/smo-study.toml").display().to_string()),
            )
            .replace(
                "term_files = []",
                &format!(
                    "term_files = [{:?}]\nterms = {{ person = [\"Chucho Ramírez | Chucho\"], place = [\"Maracay\", \"Albergue Divina Providencia\"], org = [\"Fundación Caminos Seguros\"] }}",
                    f.join("terms.txt").display().to_string()
                ),
            );
        std::fs::write(project.path().join("voces.toml"), config).unwrap();
        Study { tmp, project }
    }

    fn mapping(&self) -> PathBuf {
        self.tmp.path().join("private/mapping.json")
    }

    fn with_mapping(self) -> Study {
        let m = self.mapping().display().to_string();
        self.project.ok(&["redact", "-q", "--mapping", &m]);
        self
    }

    fn read_mapping(&self) -> Value {
        serde_json::from_slice(&std::fs::read(self.mapping()).unwrap()).unwrap()
    }
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn finds_every_kind_and_lists_match_their_schemas() {
    let s = Study::new().with_mapping();
    let lines = json_lines(&s.project.ok(&["redact", "--json", "-q"]));
    let summary = schema("redact-summary.schema.json");
    for l in &lines {
        check(&summary, l, "redact --json");
    }
    assert_eq!(lines.len(), 3);
    let total = |kind: &str| -> u64 {
        lines
            .iter()
            .filter_map(|l| l["counts"][kind].as_u64())
            .sum()
    };
    for kind in ["person", "place", "org", "email", "phone", "id"] {
        assert!(total(kind) > 0, "no {kind} found: {lines:?}");
    }
    let entities = json_lines(&s.project.ok(&["redact", "--entities", "--json", "-q"]));
    let entity = schema("redact-entity.schema.json");
    for e in &entities {
        check(&entity, e, "redact --entities --json");
    }
    let pseudonym = |value: &str| -> String {
        entities
            .iter()
            .find(|e| e["values"].as_array().unwrap().iter().any(|v| v == value))
            .unwrap_or_else(|| panic!("no entity has {value}: {entities:#?}"))["pseudonym"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Sheet numbers; the speaker labels join their sheet row's person.
    assert_eq!(pseudonym("Yesenia Carolina Urdaneta"), "[P01]");
    assert_eq!(pseudonym("Yesenia"), "[P01]");
    assert_eq!(pseudonym("MARÍA JOSÉ"), "[P02]");
    assert_eq!(pseudonym("Wil"), "[P03]");
    // A person from the term list gets the next number.
    assert_eq!(pseudonym("Chucho Ramírez"), "[P04]");
    assert!(pseudonym("Tapachula").starts_with("[PLACE-"));
    assert!(pseudonym("Fundación Caminos Seguros").starts_with("[ORG-"));
    // The two written forms of one phone number are one entity.
    let phone = pseudonym("(502) 5555-8231");
    assert!(phone.starts_with("[PHONE-"));
    assert_eq!(pseudonym("+502 5555 8231"), phone);
    check(
        &schema("redact-mapping.schema.json"),
        &s.read_mapping(),
        "mapping file",
    );
}

#[test]
fn mapping_is_kept_outside_the_project_and_stays_stable() {
    let s = Study::new();
    let toml_before = std::fs::read_to_string(s.project.path().join("voces.toml")).unwrap();
    // Inside the project folder: refused, nothing written.
    std::fs::create_dir(s.project.path().join("private")).unwrap();
    for inside in ["private/mapping.json", "mapping.json"] {
        let out = s.project.run(&["redact", "--mapping", inside]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("outside the project folder"),
            "{}",
            stderr(&out)
        );
        assert!(!s.project.path().join(inside).exists());
    }
    assert_eq!(
        std::fs::read_to_string(s.project.path().join("voces.toml")).unwrap(),
        toml_before
    );
    // A folder that does not exist.
    let out = s
        .project
        .run(&["redact", "--mapping", "../nowhere/mapping.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));

    // Outside: written to voces.toml, relative, comments kept.
    let s = s.with_mapping();
    let toml_text = std::fs::read_to_string(s.project.path().join("voces.toml")).unwrap();
    assert!(toml_text.contains("mapping = \"../"), "{toml_text}");
    assert!(toml_text.contains("# Pseudonym mapping"), "{toml_text}");
    let json = serde_json::to_value(toml::from_str::<toml::Value>(&toml_text).unwrap()).unwrap();
    check(&schema("config.schema.json"), &json, "voces.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(s.mapping()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the mapping must be owner-only");
    }
    // A second --mapping elsewhere is refused: the pseudonyms live in the first.
    let other = s.tmp.path().join("other.json").display().to_string();
    let out = s.project.run(&["redact", "--mapping", &other]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already keeps"), "{}", stderr(&out));
    // A mapping configured inside by hand is refused too.
    let bad = toml_text.replace("mapping = \"../", "mapping = \"./inside-");
    std::fs::write(s.project.path().join("voces.toml"), &bad).unwrap();
    let out = s.project.run(&["redact"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    std::fs::write(s.project.path().join("voces.toml"), &toml_text).unwrap();

    // Unchanged corpus: the file is not rewritten.
    let first = std::fs::read(s.mapping()).unwrap();
    let out = s.project.run(&["redact"]);
    assert!(stderr(&out).contains("up to date"), "{}", stderr(&out));
    assert_eq!(std::fs::read(s.mapping()).unwrap(), first);

    // A new interview with a new person and e-mail address: old
    // pseudonyms stay, new ones get the next numbers.
    let before = s.read_mapping();
    let extra = s.project.write(
        "new/entrevista-04.txt",
        "Entrevistador: ¿Cómo se llama?\n\nDoroteo: Doroteo. Escríbame a doroteo.q@mail.example, o a yesenia.urdaneta@correo.example.\n\nEntrevistador: Gracias, Doroteo.\n\nDoroteo: De nada.\n",
    );
    s.project.ok(&["ingest", "-q", extra.to_str().unwrap()]);
    s.project.ok(&["redact", "-q"]);
    let after = s.read_mapping();
    let entities = |m: &Value| m["entities"].as_array().unwrap().clone();
    for old in entities(&before) {
        let same = entities(&after)
            .into_iter()
            .find(|e| e["pseudonym"] == old["pseudonym"])
            .unwrap_or_else(|| panic!("{} vanished", old["pseudonym"]));
        for v in old["values"].as_array().unwrap() {
            assert!(same["values"].as_array().unwrap().contains(v), "{v} moved");
        }
    }
    let find = |value: &str| {
        entities(&after)
            .into_iter()
            .find(|e| e["values"].as_array().unwrap().iter().any(|v| v == value))
            .unwrap()["pseudonym"]
            .clone()
    };
    let emails = entities(&before)
        .iter()
        .filter(|e| e["kind"] == "email")
        .count();
    assert_eq!(
        find("doroteo.q@mail.example"),
        format!("[EMAIL-{}]", emails + 1)
    );
    assert_eq!(find("Doroteo"), "[P05]");
    // Removing the interview again keeps every pseudonym (and its values).
    s.project.ok(&["corpus", "remove", "entrevista-04", "-q"]);
    s.project.ok(&["redact", "-q"]);
    assert_eq!(entities(&s.read_mapping()).len(), entities(&after).len());
}

#[test]
fn without_a_mapping_pseudonyms_are_numbered_per_run_with_a_warning() {
    let s = Study::new();
    let out = s.project.run(&["redact", "--show", "entrevista-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no pseudonym mapping"),
        "{}",
        stderr(&out)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(leaks(&text).is_empty(), "{:?} in\n{text}", leaks(&text));
    assert!(text.contains("[P01]: Dígame [P01] nomás"), "{text}");
    // Two runs agree (same corpus, same numbering).
    assert_eq!(
        s.project.ok(&["redact", "--show", "entrevista-01", "-q"]),
        text
    );
}

#[test]
fn show_and_dry_run() {
    let s = Study::new();
    let m = s.mapping().display().to_string();
    let toml_before = std::fs::read_to_string(s.project.path().join("voces.toml")).unwrap();
    let out = s.project.ok(&["redact", "--dry-run", "--mapping", &m]);
    assert!(out.contains("total"), "{out}");
    assert!(!s.mapping().exists(), "--dry-run wrote the mapping");
    assert_eq!(
        std::fs::read_to_string(s.project.path().join("voces.toml")).unwrap(),
        toml_before
    );

    let s = s.with_mapping();
    for id in ["entrevista-01", "maria-jose-perez", "interview-03"] {
        let text = s.project.ok(&["redact", "--show", id, "-q"]);
        assert!(
            leaks(&text).is_empty(),
            "{id}: {:?} in\n{text}",
            leaks(&text)
        );
        let interview: Value =
            serde_json::from_str(&s.project.ok(&["redact", "--show", id, "--json", "-q"])).unwrap();
        check(
            &schema("interview.schema.json"),
            &interview,
            "redact --show --json",
        );
        let json = interview.to_string();
        assert!(
            leaks(&json).is_empty(),
            "{id}: {:?} in\n{json}",
            leaks(&json)
        );
        // Every segment is still its span of the text.
        let chars: Vec<char> = interview["text"].as_str().unwrap().chars().collect();
        for seg in interview["segments"].as_array().unwrap() {
            let (a, b) = (
                seg["start"].as_u64().unwrap() as usize,
                seg["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                chars[a..b].iter().collect::<String>(),
                seg["text"].as_str().unwrap()
            );
        }
    }
    let text = s.project.ok(&["redact", "--show", "interview-03", "-q"]);
    for kept in [
        "In 2023 we paid $3,000",
        "About 15% of the people",
        "[P03]'s brother",
        "CBP One",
    ] {
        assert!(text.contains(kept), "{kept} missing in\n{text}");
    }
}

/// The text of an export file: zip entries (xlsx, qdpx) unpacked, XML and
/// HTML character references decoded.
fn export_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let raw = if bytes.starts_with(b"PK") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut all = String::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            all.push_str(&entry.name().unwrap_or_default());
            all.push('\n');
            let mut b = Vec::new();
            entry.read_to_end(&mut b).unwrap();
            all.push_str(&String::from_utf8_lossy(&b));
            all.push('\n');
        }
        all
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    unescape(&raw)
}

/// Decodes `&amp;`, `&#233;`, `&#xE9;`... .
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        if let Some((c, e)) = decoded {
            out.push(c);
            rest = &rest[e + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Every export format, as `voces` arguments writing to `out`.
fn exports(out: &Path) -> Vec<(&'static str, Vec<String>, PathBuf)> {
    let file = |name: &str| out.join(name);
    let s = |p: &PathBuf| p.display().to_string();
    let mut v = Vec::new();
    for format in ["csv", "xlsx", "jsonl", "md"] {
        let f = file(&format!("excerpts.{format}"));
        v.push((
            "excerpts",
            vec![
                "excerpts".into(),
                "--format".into(),
                format.into(),
                "-o".into(),
                s(&f),
            ],
            f,
        ));
    }
    let f = file("project.qdpx");
    v.push((
        "export",
        vec![
            "export".into(),
            "--format".into(),
            "qdpx".into(),
            "-o".into(),
            s(&f),
        ],
        f,
    ));
    let f = file("report.html");
    v.push(("report", vec!["report".into(), "-o".into(), s(&f)], f));
    v
}

#[test]
fn no_seeded_personal_data_in_any_export() {
    let s = Study::new().with_mapping();
    s.project.ok(&["code", "-q"]);
    // Code by hand every segment that holds seeded data, so that every
    // export quotes them.
    for id in ["entrevista-01", "maria-jose-perez", "interview-03"] {
        let interview = s.project.show(id);
        for seg in interview["segments"].as_array().unwrap() {
            if !leaks(seg["text"].as_str().unwrap()).is_empty() {
                s.project.ok(&[
                    "code",
                    "add",
                    seg["id"].as_str().unwrap(),
                    "documentation",
                    "--coder",
                    "ana",
                    "-q",
                ]);
            }
        }
    }
    let help = s.project.ok(&["help"]);
    let out_dir = s.tmp.path().join("exports");
    std::fs::create_dir(&out_dir).unwrap();
    let mut ran = Vec::new();
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    for (command, args, file) in exports(&out_dir) {
        let what = format!("{command} {}", file.extension().unwrap().to_string_lossy());
        if !help.lines().any(|l| l.trim_start().starts_with(command)) {
            skipped.push(what);
            continue;
        }
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.push("-q");
        let out = s.project.run(&args);
        assert!(out.status.success(), "voces {args:?}: {}", stderr(&out));
        let text = export_text(&file);
        let found = leaks(&text);
        if !found.is_empty() {
            failures.push(format!("{what}: {found:?}"));
        } else if !text.contains("[P0") {
            failures.push(format!(
                "{what}: no pseudonym at all: is anything exported?"
            ));
        }
        // --no-redact opts out, with a warning: the seeded data is there,
        // which shows that this check sees a leak in this format.
        args.push("--no-redact");
        let out = s.project.run(&args);
        if !out.status.success() {
            let why = stderr(&out);
            failures.push(format!(
                "{what} --no-redact: {}",
                why.lines().next().unwrap_or_default()
            ));
        } else if !stderr(&out).contains("warning") {
            failures.push(format!("{what} --no-redact: no warning"));
        } else if leaks(&export_text(&file)).is_empty() {
            failures.push(format!(
                "{what} --no-redact: no seeded data, so this check is blind"
            ));
        }
        ran.push(what);
    }
    println!("redact: exports checked: {}", ran.join(", "));
    if !skipped.is_empty() {
        println!(
            "skipping redact checks of {}: no such command yet",
            skipped.join(", ")
        );
    }
    assert!(
        failures.is_empty(),
        "personal data in exports:\n{}",
        failures.join("\n")
    );
    // What is not personal survives.
    if ran.iter().any(|r| r == "excerpts jsonl") {
        let text = export_text(&out_dir.join("excerpts.jsonl"));
        for kept in list("kept.txt") {
            assert!(text.contains(&kept), "`{kept}` was lost in excerpts jsonl");
        }
    }
}

#[test]
fn names_that_are_common_words_are_reported_and_can_be_capital_only() {
    let p = TestProject::new();
    let sheet = p.write(
        "in/people.csv",
        "interview,participant,name\noliva,P01,Oliva Restrepo\n",
    );
    // Twelve times in the text, once in the title (the file name).
    let turn = "Entrevistador: ¿Y el aceite de oliva?\n\nOliva: Compramos aceite de oliva, dijo Oliva.\n\n";
    let turns = turn.repeat(6);
    let transcript = p.write("in/oliva.txt", turns);
    p.ok(&[
        "ingest",
        "-q",
        transcript.to_str().unwrap(),
        "--metadata",
        sheet.to_str().unwrap(),
    ]);
    let out = p.run(&["redact"]);
    assert!(
        stderr(&out).contains("`oliva` ([P01]) was replaced 13 times where written in lower case"),
        "{}",
        stderr(&out)
    );
    let shown = p.ok(&["redact", "--show", "oliva", "-q"]);
    assert!(
        shown.contains("Compramos aceite de [P01], dijo [P01]."),
        "{shown}"
    );
    let config = std::fs::read_to_string(p.path().join("voces.toml"))
        .unwrap()
        .replace("common_words = []", "common_words = [\"Oliva\"]");
    std::fs::write(p.path().join("voces.toml"), config).unwrap();
    let shown = p.ok(&["redact", "--show", "oliva", "-q"]);
    assert!(
        shown.contains("[P01]: Compramos aceite de oliva, dijo [P01]."),
        "{shown}"
    );
    assert!(!shown.contains("Oliva"), "{shown}");
}
