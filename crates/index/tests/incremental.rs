//! Incremental updates: only changed interviews are re-indexed, and the
//! result equals a fresh build from the same store.

mod common;

use std::cell::RefCell;

use common::{Fixture, interview, sheet};
use voces_corpus::Interview;
use voces_index::{Error, Hit, Index, Query, SearchOptions};

const QUERIES: &[&str] = &[
    "border",
    "frontera OR border",
    "papeles",
    "smugglers",
    "\"work permit\"",
    "\"visa parole\"~4",
    "contraband*",
    "speaker:ana",
    "role:interviewer",
    "lang:es",
    "visa -parole",
    "",
];

fn corpus() -> Vec<Interview> {
    (0..8)
        .map(|i| {
            interview(
                &format!("int-{i:02}"),
                &[
                    ("I", "en", "How did you cross the border?"),
                    (
                        "Ana",
                        "en",
                        &format!(
                            "We paid smugglers {i} times. No work permit, then a visa and parole."
                        ),
                    ),
                    (
                        "Ana",
                        "es",
                        "Cruzamos la frontera sin papeles; contrabando por todas partes.",
                    ),
                ],
            )
        })
        .collect()
}

fn people(group_of_3: &str) -> voces_corpus::MetadataTable {
    sheet(
        "people.csv",
        &[
            ("int-01", &[("country", "Honduras")]),
            ("int-03", &[("country", "Perú"), ("group", group_of_3)]),
        ],
    )
}

/// Every hit of every query (and of each with an attribute filter), in
/// document order, scores removed.
fn snapshot(index: &Index) -> Vec<(String, Vec<Hit>)> {
    let mut out = Vec::new();
    for q in QUERIES {
        let mut queries = vec![Query::parse(q).unwrap()];
        queries.push(Query::parse(q).unwrap().attribute("country", "peru"));
        for query in queries {
            let mut hits = index
                .search(
                    &query,
                    &SearchOptions {
                        limit: usize::MAX,
                        ..SearchOptions::default()
                    },
                )
                .unwrap()
                .hits;
            for h in &mut hits {
                h.score = None;
            }
            out.push((format!("{q} {:?}", query.filters()), hits));
        }
    }
    out
}

fn ranked_set(index: &Index, q: &str) -> Vec<String> {
    let mut ids: Vec<String> = index
        .search(
            &Query::parse(q).unwrap(),
            &SearchOptions {
                limit: usize::MAX,
                rank: true,
                count_only: false,
            },
        )
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.segment)
        .collect();
    ids.sort();
    ids
}

#[test]
fn incremental_update_equals_fresh_build() {
    let mut f = Fixture::new(&corpus());
    f.store().put_metadata(&people("migrant")).unwrap();
    let stats = f.update();
    // The sheet changed the attributes of two interviews.
    assert_eq!((stats.added, stats.updated, stats.unchanged), (0, 2, 6));

    // Change one transcript, remove one, add one, change an attribute.
    let changed = interview(
        "int-02",
        &[
            ("I", "en", "And the border?"),
            (
                "Ana",
                "es",
                "La frontera era peligrosa, sin papeles ni visa.",
            ),
        ],
    );
    f.store().put_interview(&changed).unwrap();
    f.store().remove_interview("int-05").unwrap();
    f.store()
        .put_interview(&interview(
            "int-09",
            &[("Beto", "es", "Los traficantes cobraban mucho.")],
        ))
        .unwrap();
    f.store().put_metadata(&people("refugee")).unwrap();
    let calls = RefCell::new(Vec::new());
    let store = f.store();
    let stats = f
        .index
        .update(&store, &store.attributes().unwrap(), &|done, total| {
            calls.borrow_mut().push((done, total));
        })
        .unwrap();
    assert_eq!(
        (stats.added, stats.updated, stats.removed, stats.unchanged),
        (1, 2, 1, 5)
    );
    assert_eq!(calls.into_inner(), [(1, 3), (2, 3), (3, 3)]);

    // A fresh index over the same store.
    let fresh_dir = tempfile::tempdir().unwrap();
    let mut fresh = Index::open_or_create(fresh_dir.path(), &["en".into(), "es".into()]).unwrap();
    fresh
        .update(&store, &store.attributes().unwrap(), &|_, _| {})
        .unwrap();

    assert_eq!(snapshot(&f.index), snapshot(&fresh));
    for q in QUERIES {
        assert_eq!(ranked_set(&f.index, q), ranked_set(&fresh, q), "{q}");
    }
    assert_eq!(f.index.interview_ids(), fresh.interview_ids());
    assert_eq!(f.index.num_segments(), fresh.num_segments());

    // Deleting the folder and rebuilding gives the same results too.
    let dir = f.index.dir().to_owned();
    let before = snapshot(&f.index);
    drop(f.index);
    std::fs::remove_dir_all(&dir).unwrap();
    let mut rebuilt = Index::open_or_create(&dir, &["en".into(), "es".into()]).unwrap();
    rebuilt
        .update(&store, &store.attributes().unwrap(), &|_, _| {})
        .unwrap();
    assert_eq!(snapshot(&rebuilt), before);
}

#[test]
fn nothing_changed_writes_nothing() {
    let mut f = Fixture::new(&corpus());
    let meta = f.index.dir().join("meta.json");
    let before = std::fs::read(&meta).unwrap();
    let stats = f.update();
    assert_eq!(
        (stats.added, stats.updated, stats.removed, stats.unchanged),
        (0, 0, 0, 8)
    );
    assert_eq!(std::fs::read(&meta).unwrap(), before);
}

#[test]
fn other_languages_rebuild_the_index() {
    let f = Fixture::new(&corpus());
    let dir = f.index.dir().to_owned();
    let store = f.store();
    drop(f.index);
    let mut index = Index::open_or_create(&dir, &["es".into()]).unwrap();
    assert_eq!(index.languages(), ["es"]);
    assert_eq!(index.num_segments(), 0);
    let stats = index
        .update(&store, &store.attributes().unwrap(), &|_, _| {})
        .unwrap();
    assert!(stats.rebuilt);
    assert_eq!(stats.added, 8);
    // English segments now go to the only field, Spanish.
    let hits = index
        .search(&Query::parse("border").unwrap(), &SearchOptions::default())
        .unwrap();
    assert_eq!(hits.total_hits, 8);
}

#[test]
fn languages_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let open = |langs: &[&str]| {
        Index::open_or_create(
            &dir.path().join("i"),
            &langs.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>(),
        )
    };
    assert!(matches!(open(&[]), Err(Error::NoLanguage)));
    assert!(matches!(open(&["english"]), Err(Error::InvalidLanguage(_))));
    // A language without a stemmer gets the plain analyzer.
    let index = open(&["EN", "ca", "en"]).unwrap();
    assert_eq!(index.languages(), ["en", "ca"]);
    assert_eq!(
        index.analyzer("ca").terms("Les fronteres"),
        ["les", "fronteres"]
    );
    assert_eq!(index.analyzer("de").terms("borders"), ["border"]);
}

#[test]
fn a_foreign_folder_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("thesis.docx"), b"precious").unwrap();
    let err = Index::open_or_create(dir.path(), &["en".into()]).unwrap_err();
    assert!(matches!(err, Error::NotAnIndex { .. }), "{err}");
    assert!(dir.path().join("thesis.docx").is_file());
}

#[test]
fn leftovers_of_a_killed_run_are_cleared_not_refused() {
    // A run killed while it deleted an old index, or while it created a
    // new one, leaves some of the index files, maybe without `meta.json`.
    // Whatever subset is left, the next run rebuilds the same index.
    let mut f = Fixture::new(&corpus());
    f.store().put_metadata(&people("migrant")).unwrap();
    f.update();
    let dir = f.index.dir().to_owned();
    let store = f.store();
    let expected = snapshot(&f.index);
    drop(f.index);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() > 5, "{files:?}");
    let saved: Vec<_> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
    for kept in [files.len() - 1, files.len() / 2, 1] {
        for (i, file) in files.iter().enumerate() {
            if i < kept {
                std::fs::write(file, &saved[i]).unwrap();
            } else {
                let _ = std::fs::remove_file(file);
            }
        }
        let context = format!("{kept} of {} files left", files.len());
        let mut index = Index::open_or_create(&dir, &["en".into(), "es".into()])
            .unwrap_or_else(|e| panic!("{context}: {e}"));
        index
            .update(&store, &store.attributes().unwrap(), &|_, _| {})
            .unwrap();
        assert_eq!(snapshot(&index), expected, "{context}");
    }
    // One file that no index writes makes a broken folder someone else's.
    std::fs::remove_file(dir.join("meta.json")).unwrap();
    std::fs::write(dir.join("notes.txt"), b"mine").unwrap();
    let err = Index::open_or_create(&dir, &["en".into(), "es".into()]).unwrap_err();
    assert!(matches!(err, Error::NotAnIndex { .. }), "{err}");
    assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"mine");
}

#[test]
fn a_manifest_older_than_the_commit_is_not_trusted() {
    // A run killed after its tantivy commit but before writing its
    // manifest: the index holds int-09, the manifest does not. Then int-09
    // leaves the corpus. Trusting the manifest would never delete its
    // documents; the next update must give what a fresh build gives.
    let mut f = Fixture::new(&corpus()[..3]);
    f.store().put_metadata(&people("migrant")).unwrap();
    f.update();
    let dir = f.index.dir().to_owned();
    let store = f.store();
    let manifest = dir.join(voces_index::MANIFEST_FILE);
    let before = std::fs::read(&manifest).unwrap();
    let expected = snapshot(&f.index);
    store
        .put_interview(&interview("int-09", &[("Beto", "en", "The border again.")]))
        .unwrap();
    f.update();
    assert_eq!(f.index.interview_ids().len(), 4);
    drop(f.index);
    std::fs::write(&manifest, &before).unwrap();
    assert!(store.remove_interview("int-09").unwrap());
    let mut index = Index::open_or_create(&dir, &["en".into(), "es".into()]).unwrap();
    let stats = index
        .update(&store, &store.attributes().unwrap(), &|_, _| {})
        .unwrap();
    assert!(stats.rebuilt, "{stats:?}");
    assert_eq!(index.interview_ids().len(), 3);
    assert_eq!(snapshot(&index), expected);
    // Once rebuilt, the manifest is trusted again: nothing to do.
    drop(index);
    let mut index = Index::open_or_create(&dir, &["en".into(), "es".into()]).unwrap();
    let stats = index
        .update(&store, &store.attributes().unwrap(), &|_, _| {})
        .unwrap();
    assert!(!stats.rebuilt);
    assert_eq!((stats.added, stats.unchanged), (0, 3));
}

#[test]
fn readers_see_the_last_commit_until_reload() {
    let mut f = Fixture::new(&corpus()[..2]);
    let dir = f.index.dir().to_owned();
    let mut other = Index::open_or_create(&dir, &["en".into(), "es".into()]).unwrap();
    assert_eq!(other.num_segments(), 6);
    f.store()
        .put_interview(&interview("int-09", &[("Beto", "es", "Los traficantes.")]))
        .unwrap();
    f.update();
    assert_eq!(f.index.num_segments(), 7);
    assert_eq!(other.num_segments(), 6);
    other.reload().unwrap();
    assert_eq!(other.num_segments(), 7);
    assert_eq!(other.interview_ids().len(), 3);
}
