//! Project discovery, init and the corpus commands.

use std::process::Command;

use crate::util::{TestProject, stderr};

#[test]
fn init_writes_settings_and_refuses_twice() {
    let p = TestProject::new();
    let toml = std::fs::read_to_string(p.path().join("voces.toml")).unwrap();
    assert!(toml.contains("languages = [\"en\", \"es\"]"));
    assert!(p.path().join(".voces/corpus/interviews").is_dir());
    let again = p.run(&["init", "."]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already a voces project"));
}

#[test]
fn project_is_found_from_a_subfolder_and_with_project_flag() {
    let p = TestProject::new();
    p.write(
        "transcripts/a.txt",
        "Interviewer: Hello?\nParticipant: Hi.\n",
    );
    let sub = p.path().join("transcripts");
    let out = Command::new(env!("CARGO_BIN_EXE_voces"))
        .args(["ingest", "a.txt", "--quiet"])
        .current_dir(&sub)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let elsewhere = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_voces"))
        .args(["corpus", "list", "--project"])
        .arg(p.path())
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("a "),
        "{out:?}"
    );
}

#[test]
fn no_project_is_a_clear_error() {
    let elsewhere = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_voces"))
        .args(["corpus", "list"])
        .current_dir(elsewhere.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("error: no voces project in "), "{err}");
    assert!(err.contains("hint: run `voces init`"), "{err}");
}

#[test]
fn show_unknown_id_names_it() {
    let p = TestProject::new();
    let out = p.run(&["corpus", "show", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no interview with id `nope`"));
}

#[test]
fn show_prints_speakers_roles_and_segments() {
    let p = TestProject::new();
    p.write(
        "t/entrevista-01.txt",
        "E: ¿Cuánto tiempo esperó la cita en la oficina?\nI: Ocho meses esperando, y al final nos dijeron que no calificábamos.\nE: ¿Por qué?\nI: Por la fecha.\n",
    );
    p.ok(&["ingest", "t", "-q"]);
    let out = p.ok(&["corpus", "show", "entrevista-01"]);
    assert!(out.contains("language   es"), "{out}");
    assert!(out.contains("  E  interviewer  (2 turns)"), "{out}");
    assert!(out.contains("  I  participant  (2 turns)"), "{out}");
    assert!(
        out.contains("entrevista-01#2 [I participant es] Ocho meses esperando"),
        "{out}"
    );
    // A two-word turn takes the interview's language, shown in brackets.
    assert!(
        out.contains("entrevista-01#4 [I participant (es)] Por la fecha."),
        "{out}"
    );
}

#[test]
fn remove_deletes_an_interview() {
    let p = TestProject::new();
    p.write("a.txt", "Interviewer: Hello?\nParticipant: Hi.\n");
    p.ok(&["ingest", "a.txt", "-q"]);
    assert_eq!(p.list().len(), 1);
    p.ok(&["corpus", "remove", "a", "-q"]);
    assert!(p.list().is_empty());
    assert_eq!(p.run(&["corpus", "remove", "a"]).status.code(), Some(1));
}
