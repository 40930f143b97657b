//! Test helpers: interviews built by hand (no reader involved), a project
//! store in a temporary folder, and an index over it.

#![allow(dead_code)]

use std::collections::BTreeMap;

use voces_corpus::{
    AttrValue, Interview, MetadataTable, Participant, Project, Role, Segment, Source, SourceFormat,
    Speaker, Stats, Store,
};
use voces_index::{Index, Query, SearchOptions, SearchResults};

/// A turn: speaker label (empty for none), language, text.
pub type Turn<'a> = (&'a str, &'a str, &'a str);

/// Builds an interview the way ingest lays it out: `LABEL: text` lines,
/// turns separated by a blank line, character offsets, word spans.
pub fn interview(id: &str, turns: &[Turn<'_>]) -> Interview {
    let mut text = String::new();
    let mut segments = Vec::new();
    let mut speakers: Vec<Speaker> = Vec::new();
    for (index, &(label, lang, turn)) in turns.iter().enumerate() {
        if index > 0 {
            text.push_str("\n\n");
        }
        let role = match label {
            "" => Role::Other,
            "I" | "Interviewer" => Role::Interviewer,
            _ => Role::Participant,
        };
        if !label.is_empty() {
            text.push_str(label);
            text.push_str(": ");
            if !speakers.iter().any(|s| s.label == label) {
                speakers.push(Speaker {
                    label: label.to_owned(),
                    name: None,
                    role,
                });
            }
        }
        let start = text.chars().count();
        text.push_str(turn);
        let end = text.chars().count();
        segments.push(Segment {
            id: voces_corpus::id::segment_id(id, index),
            index,
            speaker: (!label.is_empty()).then(|| label.to_owned()),
            role,
            start,
            end,
            text: turn.to_owned(),
            language: lang.to_owned(),
            language_detected: true,
            sentences: Vec::new(),
            words: word_offsets(turn),
            start_time: Some(index as f64 * 10.0),
            end_time: Some(index as f64 * 10.0 + 9.5),
            annotations: Vec::new(),
        });
    }
    let language = turns.first().map_or("en", |t| t.1).to_owned();
    Interview {
        format: voces_corpus::FORMAT_VERSION,
        id: id.to_owned(),
        title: id.to_owned(),
        source: Source {
            path: format!("/corpus/{id}.txt"),
            file_name: format!("{id}.txt"),
            sha256: voces_corpus::id::sha256_hex(text.as_bytes()),
            bytes: text.len() as u64,
            format: SourceFormat::Text,
            encoding: "UTF-8".into(),
            fingerprint: "test".into(),
        },
        language: language.clone(),
        languages: vec![language],
        mixed_language: false,
        date: None,
        attributes: BTreeMap::new(),
        speakers,
        stats: Stats::of(&segments),
        text,
        segments,
        warnings: Vec::new(),
    }
}

fn word_offsets(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.chars().chain(std::iter::once(' ')).enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s as u32);
                out.push(i as u32);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// A metadata sheet keyed by interview id.
pub fn sheet(name: &str, rows: &[(&str, &[(&str, &str)])]) -> MetadataTable {
    MetadataTable {
        format: voces_corpus::FORMAT_VERSION,
        name: name.to_owned(),
        path: format!("/corpus/{name}"),
        sha256: String::new(),
        key: "id".into(),
        columns: Vec::new(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, (id, attrs))| Participant {
                id: (*id).to_owned(),
                line: i + 2,
                attributes: attrs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), AttrValue::Text((*v).to_owned())))
                    .collect(),
            })
            .collect(),
    }
}

/// A project with a store and an index in a temporary folder.
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub project: Project,
    pub index: Index,
}

impl Fixture {
    pub fn new(interviews: &[Interview]) -> Fixture {
        Fixture::with_languages(interviews, &["en", "es"])
    }

    pub fn with_languages(interviews: &[Interview], languages: &[&str]) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::init(dir.path()).unwrap();
        for i in interviews {
            project.store().put_interview(i).unwrap();
        }
        let languages: Vec<String> = languages.iter().map(|l| (*l).to_owned()).collect();
        let index = Index::open_or_create(&project.data_dir().join("index"), &languages).unwrap();
        let mut f = Fixture {
            dir,
            project,
            index,
        };
        f.update();
        f
    }

    pub fn store(&self) -> Store {
        self.project.store()
    }

    pub fn update(&mut self) -> voces_index::UpdateStats {
        let store = self.project.store();
        let attributes = store.attributes().unwrap();
        self.index.update(&store, &attributes, &|_, _| {}).unwrap()
    }

    pub fn search(&self, query: &Query) -> SearchResults {
        self.index
            .search(
                query,
                &SearchOptions {
                    limit: usize::MAX,
                    ..SearchOptions::default()
                },
            )
            .unwrap()
    }

    /// Segment ids matching `q`, in document order.
    pub fn ids(&self, q: &str) -> Vec<String> {
        self.search(&Query::parse(q).unwrap())
            .hits
            .into_iter()
            .map(|h| h.segment)
            .collect()
    }

    /// The matched substrings of each hit of `q`.
    pub fn matched(&self, q: &str) -> Vec<Vec<String>> {
        self.search(&Query::parse(q).unwrap())
            .hits
            .iter()
            .map(|h| {
                h.matches
                    .iter()
                    .map(|m| h.text.chars().skip(m.start).take(m.end - m.start).collect())
                    .collect()
            })
            .collect()
    }
}
