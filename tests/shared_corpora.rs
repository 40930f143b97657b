//! Ingest of the real public corpora in `../shared/corpora` (skipped with a
//! notice when that folder is absent): per corpus, the number of
//! interviews, that speakers were found with an interviewer among them, and
//! the detected language.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::util::{TestProject, shared_corpora, stderr};

struct Expect {
    /// Folder under `corpora/`, ingested whole.
    folder: &'static str,
    /// Attribute sheet under the corpus folder, if any.
    metadata: Option<&'static str>,
    interviews: usize,
    /// Interviews per primary language.
    languages: &'static [(&'static str, usize)],
    /// Interviews flagged mixed-language, at least.
    mixed_at_least: usize,
}

const CORPORA: &[Expect] = &[
    Expect {
        folder: "preseea-es/texts",
        metadata: None,
        interviews: 189,
        languages: &[("es", 189)],
        mixed_at_least: 0,
    },
    Expect {
        folder: "boder-vtt",
        metadata: Some("metadata.csv"),
        interviews: 42,
        languages: &[("en", 40), ("es", 2)],
        mixed_at_least: 0,
    },
    Expect {
        folder: "ushmm-en-docx/docx",
        metadata: None,
        interviews: 20,
        languages: &[("en", 20)],
        mixed_at_least: 0,
    },
    Expect {
        folder: "mlsss-en/transcripts",
        metadata: None,
        interviews: 36,
        // Interview 2 is in French: it gets a warning saying so.
        languages: &[("en", 35)],
        mixed_at_least: 0,
    },
    Expect {
        folder: "bangor-miami-chat/beta",
        metadata: None,
        interviews: 56,
        languages: &[],
        // By the corpus's own word-level marks (`[- spa]`, `@s:spa`), 45 of
        // the 56 conversations have 5% or more of the minority language;
        // voces, detecting per turn, flags 42 of them (53 of 56 agree).
        mixed_at_least: 40,
    },
];

fn ingest(expect: &Expect) -> Option<(TestProject, Vec<Value>)> {
    let corpora = shared_corpora(expect.folder)?;
    let p = TestProject::new();
    let dir = corpora.join(expect.folder);
    let mut args = vec![
        "ingest".to_owned(),
        dir.display().to_string(),
        "-q".to_owned(),
    ];
    if let Some(m) = expect.metadata {
        let root = corpora.join(expect.folder.split('/').next().unwrap());
        args.extend(["--metadata".to_owned(), root.join(m).display().to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = p.run(&args);
    assert!(
        out.status.success(),
        "{}: ingest failed:\n{}",
        expect.folder,
        stderr(&out)
    );
    let list = p.list();
    Some((p, list))
}

#[test]
fn real_corpora_ingest_cleanly() {
    for expect in CORPORA {
        let Some((p, list)) = ingest(expect) else {
            return;
        };
        let name = expect.folder;
        assert_eq!(list.len(), expect.interviews, "{name}: interviews");
        let mut by_lang: BTreeMap<String, usize> = BTreeMap::new();
        for row in &list {
            *by_lang
                .entry(row["language"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
        // Some real transcripts carry no speaker labels at all (USHMM's
        // RG-50.233.0079 alternates unlabelled paragraphs) or transcribe one
        // speaker only (Bangor's maria*.cha mark the colleague `www`,
        // untranscribed); most have two or more.
        let labelled: Vec<&serde_json::Value> = list
            .iter()
            .filter(|r| r["speakers"].as_u64().unwrap() >= 2)
            .collect();
        assert!(
            labelled.len() * 10 >= list.len() * 8,
            "{name}: only {} of {} interviews have two or more speakers",
            labelled.len(),
            list.len()
        );
        for (lang, n) in expect.languages {
            assert_eq!(
                by_lang.get(*lang).copied().unwrap_or(0),
                *n,
                "{name}: interviews in {lang}: {by_lang:?}"
            );
        }
        let mixed = list.iter().filter(|r| r["mixed_language"] == true).count();
        assert!(
            mixed >= expect.mixed_at_least,
            "{name}: {mixed} mixed-language interviews"
        );
        // Every interview has an interviewer and a participant (CHAT
        // conversations have no interviewer).
        for row in labelled.iter().take(10) {
            let id = row["id"].as_str().unwrap();
            let i = p.show(id);
            let roles: Vec<&str> = i["speakers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["role"].as_str().unwrap())
                .collect();
            assert!(
                roles.contains(&"participant"),
                "{name}/{id}: no participant in {roles:?}"
            );
            if !name.starts_with("bangor") {
                assert!(
                    roles.contains(&"interviewer"),
                    "{name}/{id}: no interviewer in {roles:?}"
                );
            }
        }
    }
}

#[test]
fn boder_attributes_join_by_file_stem() {
    let expect = &CORPORA[1];
    let Some((_p, list)) = ingest(expect) else {
        return;
    };
    let joined = list
        .iter()
        .filter(|r| r["attributes"]["nationality"].is_string())
        .count();
    assert_eq!(joined, 42, "every boder interview gets its metadata row");
    let anna = list.iter().find(|r| r["id"] == "anna-braun.en").unwrap();
    assert_eq!(anna["attributes"]["nationality"], "Russia");
}
