//! The voces search index: one tantivy document per segment, analyzers
//! for each project language, incremental updates from the corpus store,
//! and a query language a researcher can type.
//!
//! This is the only crate that uses tantivy; its types do not leak out.
//!
//! ```
//! use voces_index::{Index, Query, SearchOptions};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! let project = voces_corpus::Project::init(dir.path())?;
//! // voces-ingest puts the interviews in the store; here, one by hand:
//! // "I: ¿Cómo cruzaron la frontera?" / "María: Pagamos a los traficantes."
//! # let interview = example();
//! project.store().put_interview(&interview)?;
//!
//! let languages = &project.config().project.languages; // ["en", "es"]
//! let mut index = Index::open_or_create(&project.data_dir().join("index"), languages)?;
//! let store = project.store();
//! let stats = index.update(&store, &store.attributes()?, &|_done, _total| {})?;
//! assert_eq!((stats.added, stats.segments), (1, 2));
//!
//! // `traficante` finds `traficantes`; `role:` keeps the participant's turns.
//! let query = Query::parse("traficante role:participant")?;
//! let results = index.search(&query, &SearchOptions::default())?;
//! assert_eq!(results.total_hits, 1);
//! let hit = &results.hits[0];
//! assert_eq!((hit.segment.as_str(), hit.speaker.as_deref()), ("maria#2", Some("María")));
//! let m = hit.matches[0];
//! let quote: String = hit.text.chars().skip(m.start).take(m.end - m.start).collect();
//! assert_eq!(quote, "traficantes");
//!
//! // Mistakes say where they are.
//! let err = Query::parse("\"work permit").unwrap_err();
//! assert!(err.to_string().starts_with("query:1:1: unclosed quote"));
//! # Ok(()) }
//! # fn example() -> voces_corpus::Interview {
//! #     use voces_corpus::*;
//! #     let turns = [("I", Role::Interviewer, "¿Cómo cruzaron la frontera?"),
//! #                  ("María", Role::Participant, "Pagamos a los traficantes.")];
//! #     let mut text = String::new();
//! #     let mut segments = Vec::new();
//! #     for (index, (label, role, turn)) in turns.into_iter().enumerate() {
//! #         if index > 0 { text.push_str("\n\n"); }
//! #         text.push_str(&format!("{label}: "));
//! #         let start = text.chars().count();
//! #         text.push_str(turn);
//! #         segments.push(Segment {
//! #             id: id::segment_id("maria", index), index, speaker: Some(label.into()), role,
//! #             start, end: text.chars().count(), text: turn.into(), language: "es".into(),
//! #             language_detected: true, sentences: vec![], words: vec![], start_time: None,
//! #             end_time: None, annotations: vec![],
//! #         });
//! #     }
//! #     Interview {
//! #         format: FORMAT_VERSION, id: "maria".into(), title: "maria".into(),
//! #         source: Source { path: "/maria.txt".into(), file_name: "maria.txt".into(),
//! #             sha256: "0".into(), bytes: 0, format: SourceFormat::Text,
//! #             encoding: "UTF-8".into(), fingerprint: "0".into() },
//! #         language: "es".into(), languages: vec!["es".into()], mixed_language: false,
//! #         date: None, attributes: Default::default(),
//! #         speakers: vec![], stats: Stats::of(&segments), text, segments, warnings: vec![],
//! #     }
//! # }
//! ```
//!
//! # Schema
//!
//! One document per segment:
//!
//! | field | kind | for |
//! | --- | --- | --- |
//! | `interview` | raw, fast, stored | `interview:`, deletes, document order, facets |
//! | `segment` | raw, stored | the hit's id |
//! | `speaker` | keyword (lower case, folded), stored | `speaker:` (label and declared name) |
//! | `role`, `lang` | raw, fast, stored | `role:`, `lang:` (the column filters a conjunction) |
//! | `position` | u64 fast, stored | document order |
//! | `start`, `end` | u64 stored | offsets of the segment in the interview text |
//! | `start_time`, `end_time` | f64 stored | times |
//! | `file` | stored | the transcript's file name |
//! | `attrs` | JSON, keyword | `--where name=value` (names lower case) |
//! | `text` | stored | the quote |
//! | `text_<code>` | the language's analyzer, positions | words and phrases |
//! | `pairs_<code>` | pairs of consecutive common words' terms of `text_<code>`, positions | phrases of frequent words |
//! | `text_exact` | lower case, positions | `--exact` |
//! | `text_plain` | lower case, folded, positions | `word*` |
//!
//! A segment's text goes into the field of its own language, or of the
//! first project language when the project does not list its language.
//! See [`analysis`] for the analyzers and [`query`] for the query language.
//!
//! Facet counts ([`Index::facet_counts`]) count hits per interview with the
//! `interview` fast field, then group interviews by the attribute values
//! kept in the manifest: one column for every attribute, and values shown as
//! written (`Perú`), while filters match them ignoring case and accents.
//!
//! # Updates
//!
//! A manifest (`manifest.json`, written atomically after each commit) maps
//! each indexed interview to a revision: a hash of [`INDEX_VERSION`], the
//! source file's SHA-256, the reading settings' fingerprint and the merged
//! attributes. [`Index::update`] re-indexes only interviews whose revision
//! changed and removes those no longer stored, in one commit, with at most
//! two threads and 128 MB. An index of another version or other languages is
//! rebuilt from scratch. The library never prints: progress goes to the
//! caller's callback.
//!
//! The index is derived: deleting the folder and updating again gives the
//! same results. Document-order results of an incremental index equal those
//! of a fresh build; BM25 scores may differ slightly until tantivy merges
//! away deleted documents, which still count in term statistics.
//!
//! A handle sees the index as of its last commit or [`Index::reload`];
//! other processes can search while one updates.

pub mod analysis;
mod compile;
mod error;
mod filter;
mod index;
mod pairs;
pub mod query;
mod schema;
mod search;

pub use analysis::{AnalyzedToken, Analyzer, AnalyzerKind};
pub use error::{Error, QueryError, QueryErrorKind, Result};
pub use index::{INDEX_VERSION, Index, MANIFEST_FILE, UpdateStats};
pub use pairs::common_words;
pub use query::{FILTER_FIELDS, Query};
pub use search::{FacetCount, Hit, MatchSpan, SearchOptions, SearchResults};
