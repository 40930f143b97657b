//! Codebook parsing: the shipped study codebook, a fixture using every
//! feature (snapshot of its checked model), one fixture per kind of error,
//! the hash, and the JSON Schema.
//!
//! An error fixture `tests/fixtures/codebook/errors/NAME.toml` has its
//! expected error output, exactly, in `NAME.expected`; a line
//! `#% project = en, es` in the fixture sets the project languages (default
//! `en`). `VOCES_BLESS=1 cargo test -p voces-code --test codebook` rewrites
//! the `.expected` files: read the diff before committing it.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use voces_code::{Codebook, Error};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

fn langs(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn study() -> PathBuf {
    root().join("../../codebooks/smo-study.toml")
}

#[test]
fn study_codebook_parses() {
    let codebook =
        Codebook::load(&study(), &langs(&["en", "es"])).unwrap_or_else(|e| panic!("{e}"));
    let themes: Vec<&str> = codebook.themes().map(|c| c.id.as_str()).collect();
    assert_eq!(
        themes,
        [
            "exclusion",
            "processing_speed",
            "smuggling",
            "resettlement",
            "legal_pathways",
            "dangerous_routes",
            "border_enforcement",
            "asylum",
            "information",
            "coordination",
            "migration_decision",
            "documentation",
        ]
    );
    for code in &codebook.codes {
        for lang in ["en", "es"] {
            assert!(
                code.labels.contains_key(lang),
                "{} has no {lang} label",
                code.id
            );
            assert!(
                code.definition.contains_key(lang),
                "{} has no {lang} definition",
                code.id
            );
        }
        if code.is_theme() {
            for lang in ["en", "es"] {
                assert!(
                    code.include.contains_key(lang),
                    "{} has no {lang} include note",
                    code.id
                );
                assert!(
                    code.exclude.contains_key(lang),
                    "{} has no {lang} exclude note",
                    code.id
                );
                assert!(
                    code.examples.get(lang).is_some_and(|e| !e.is_empty()),
                    "{} has no {lang} examples",
                    code.id
                );
            }
            assert!(code.color.is_some(), "{} has no colour", code.id);
        }
    }
    // Every rule id says its code and language, by convention.
    for (code, rule) in codebook.rules() {
        assert!(
            rule.id.starts_with(&format!("{}/{}/", code.id, rule.lang)),
            "rule `{}` of `{}` does not follow CODE/LANG/NAME",
            rule.id,
            code.id
        );
    }
}

#[test]
fn minimal_fixture_snapshot() {
    let path = root().join("tests/fixtures/codebook/minimal.toml");
    let codebook = Codebook::load(&path, &langs(&["en", "es"])).unwrap_or_else(|e| panic!("{e}"));
    let mut json: serde_json::Value = serde_json::from_str(&codebook.canonical_json()).unwrap();
    json["hash"] = codebook.hash().into();
    insta::assert_snapshot!(serde_json::to_string_pretty(&json).unwrap());

    // Lines point at ids; navigation follows parents.
    assert_eq!(codebook.code("smuggling").unwrap().line, 13);
    assert_eq!(codebook.rule("smuggling/es/coyote").unwrap().1.line, 41);
    assert_eq!(
        codebook.theme_of("smuggling.payment").unwrap().id,
        "smuggling"
    );
    assert_eq!(codebook.children("smuggling").count(), 1);
    assert_eq!(codebook.ancestors("smuggling.payment").len(), 1);
    assert!(codebook.ancestors("smuggling").is_empty());
    let coyote = codebook.rule("smuggling/es/coyote").unwrap().1;
    assert!(coyote.regex[0].regex().is_match("los Coyotes"));
}

#[test]
fn error_fixtures() {
    let dir = root().join("tests/fixtures/codebook/errors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    let bless = std::env::var_os("VOCES_BLESS").is_some();
    let mut failures = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let project = text
            .lines()
            .find_map(|l| l.strip_prefix("#% project = "))
            .map_or_else(
                || langs(&["en"]),
                |p| p.split(',').map(|l| l.trim().to_owned()).collect(),
            );
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let got = match Codebook::parse(&text, Path::new(&name), &project) {
            Ok(_) => "parsed without error".to_owned(),
            Err(e @ Error::Codebook(_)) => e.to_string(),
            Err(e) => format!("unexpected error: {e}"),
        } + "\n";
        let expected_path = path.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!("{name}:\n--- expected\n{expected}--- got\n{got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "\n{}\nhint: after checking the new output, run with VOCES_BLESS=1 to write it",
        failures.join("\n")
    );
}

#[test]
fn error_display_is_file_line_message() {
    let err = Codebook::parse(
        "[codebook]\nname = \"x\"\nversion = \"1\"\nlanguages = [\"en\"]\n[[code]]\nid = \"a\"\ncolor = \"red\"\n",
        Path::new("books/x.toml"),
        &[],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "books/x.toml:7: colour `red` of code `a` is not a hex colour\nhint: write six hex digits after `#`, such as `#1f77b4`"
    );
    assert_eq!(err.diagnostics().len(), 1);
}

#[test]
fn io_errors_name_the_file() {
    let err = Codebook::load(Path::new("/no/such/codebook.toml"), &[]).unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(
        err.to_string().starts_with("/no/such/codebook.toml: "),
        "{err}"
    );
}

const BASE: &str = r#"
[codebook]
name = "h"
version = "1"
languages = ["en"]

[[code]]
id = "a"
labels = { en = "A" }

[[code.rule]]
id = "a/en/1"
lang = "en"
terms = ["x", "y"]
"#;

fn hash(text: &str) -> String {
    Codebook::parse(text, Path::new("h.toml"), &langs(&["en"]))
        .unwrap_or_else(|e| panic!("{e}"))
        .hash()
}

#[test]
fn hash_ignores_formatting_and_comments() {
    let base = hash(BASE);
    assert_eq!(base.len(), 64);
    // Comments, blank lines, spacing, key order, table style, NFD accents.
    let reformatted = r#"# A comment
[codebook]
languages=["en"]   # inline comment
version="1"
name =    "h"
[[code]]
labels.en = "A"
id = "a"
[[code.rule]]
terms = [
  "x",  # first
  "y",
]
lang = "en"
id = "a/en/1"
"#;
    assert_eq!(hash(reformatted), base);
    // Spelling out the defaults changes nothing.
    assert_eq!(
        hash(&BASE.replace(
            "terms = [\"x\", \"y\"]",
            "terms = [\"x\", \"y\"]\nunit = \"sentence\"\nnegation = false\nroles = []"
        )),
        base
    );
    // Nor does moving a setting into [defaults].
    let with_unit = hash(&BASE.replace(
        "terms = [\"x\", \"y\"]",
        "terms = [\"x\", \"y\"]\nunit = \"segment\"",
    ));
    let with_default =
        hash(&BASE.replace("[[code]]", "[defaults]\nunit = \"segment\"\n\n[[code]]"));
    assert_eq!(with_unit, with_default);
    assert_ne!(with_unit, base);
}

#[test]
fn hash_changes_with_any_rule_or_code_change() {
    let base = hash(BASE);
    for changed in [
        BASE.replace("\"x\", \"y\"", "\"x\", \"z\""),
        BASE.replace("\"x\", \"y\"", "\"y\", \"x\""),
        BASE.replace(
            "terms = [\"x\", \"y\"]",
            "terms = [\"x\", \"y\"]\nnegation = true",
        ),
        BASE.replace(
            "terms = [\"x\", \"y\"]",
            "terms = [\"x\", \"y\"]\nnot = [\"w\"]",
        ),
        BASE.replace("a/en/1", "a/en/2"),
        BASE.replace("A\" }", "B\" }"),
        BASE.replace("version = \"1\"", "version = \"2\""),
    ] {
        assert_ne!(hash(&changed), base, "{changed}");
    }
}

#[test]
fn study_codebook_matches_schema() {
    check_schema(&study());
    check_schema(&root().join("tests/fixtures/codebook/minimal.toml"));
}

fn schema() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(root().join("../../corpus-schema/codebook.schema.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft202012::new(&value).unwrap_or_else(|e| panic!("not a valid schema: {e}"))
}

fn check_schema(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let value: serde_json::Value = toml::from_str(&text).unwrap();
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{} does not match the schema:\n{}",
        path.display(),
        errors.join("\n")
    );
}

/// The schema refuses what the parser refuses for its shape: unknown keys,
/// bad enum values, bad ids and colours.
#[test]
fn schema_refuses_what_the_parser_refuses() {
    let validator = schema();
    let base: serde_json::Value = toml::from_str(BASE).unwrap();
    assert!(validator.is_valid(&base));
    for bad in [
        BASE.replace("terms", "term"),
        BASE.replace(
            "labels = { en = \"A\" }",
            "labels = { en = \"A\" }\ncolor = \"red\"",
        ),
        BASE.replace("id = \"a\"", "id = \"A\""),
        BASE.replace(
            "terms = [\"x\", \"y\"]",
            "terms = [\"x\"]\nunit = \"paragraph\"",
        ),
        BASE.replace(
            "terms = [\"x\", \"y\"]",
            "terms = [\"x\"]\nroles = [\"interviewee\"]",
        ),
        BASE.replace("terms = [\"x\", \"y\"]", "terms = [\"\"]"),
        BASE.replace("name = \"h\"\n", ""),
    ] {
        let value: serde_json::Value = toml::from_str(&bad).unwrap();
        assert!(!validator.is_valid(&value), "schema accepts:\n{bad}");
        assert!(
            Codebook::parse(&bad, Path::new("b.toml"), &[]).is_err(),
            "parser accepts:\n{bad}"
        );
    }
}

proptest! {
    /// Parsing never panics, whatever the text.
    #[test]
    fn parse_never_panics(text in ".{0,400}") {
        let _ = Codebook::parse(&text, Path::new("p.toml"), &langs(&["en", "es"]));
    }

    /// Nor does it on a valid codebook with lines dropped or duplicated.
    #[test]
    fn parse_never_panics_on_edited_codebooks(drop in prop::collection::vec(0usize..60, 0..4), dup in 0usize..60) {
        let text = std::fs::read_to_string(root().join("tests/fixtures/codebook/minimal.toml")).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        if dup < lines.len() {
            lines.insert(dup, lines[dup]);
        }
        for d in drop {
            if d < lines.len() {
                lines.remove(d);
            }
        }
        let _ = Codebook::parse(&lines.join("\n"), Path::new("p.toml"), &langs(&["en", "es"]));
    }
}
