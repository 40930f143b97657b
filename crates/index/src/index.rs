//! The index folder: opening, incremental updates, searching.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use tantivy::schema::{OwnedValue, Value};
use tantivy::{
    IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, TantivyError, Term,
};
use voces_corpus::{Attributes, Interview, Role, Store};

use crate::analysis::Analyzer;
use crate::compile::{self, Ctx, Target};
use crate::schema::{self, Analyzers, Fields};
use crate::search::{
    FacetCount, Highlighter, Hit, HitCollector, Interviews, Locator, PerInterview, RawHit,
    SearchOptions, SearchResults,
};
use crate::{Error, Query, Result};

/// Version of the index layout: the schema, the analyzers and the manifest.
/// An index written with another version is rebuilt from the corpus.
pub const INDEX_VERSION: u32 = 3;

/// Name of the manifest file in the index folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Memory budget of the index writer, shared by its threads.
const WRITER_MEMORY: usize = 128 * 1024 * 1024;

/// Most indexing threads (voces runs on 2-core laptops).
const MAX_WRITER_THREADS: usize = 2;

/// Most threads a search spreads the index's segments over. A large
/// corpus has tens of segments; the queries that take longest (ORs of many
/// frequent words) spend their time in each segment alone, so they finish
/// about as many times sooner as there are cores.
const MAX_SEARCH_THREADS: usize = 4;

/// What the index holds, beside tantivy's files: one entry per indexed
/// interview.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Manifest {
    /// [`INDEX_VERSION`] of the writer.
    version: u32,
    /// Languages of the `text_<code>` fields, in order.
    languages: Vec<String>,
    /// Indexed interviews by id.
    interviews: BTreeMap<String, Entry>,
    /// [`Store::stamp`] of the corpus when the index was last brought up
    /// to date: while it is unchanged, an update reads nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stamp: Option<String>,
    /// [`Manifest::digest`] of `interviews`, which the tantivy commit that
    /// wrote them also holds (its payload): a run killed after its commit
    /// but before its manifest leaves the two different, and the index is
    /// rebuilt rather than trusted. None before the first commit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
}

impl Manifest {
    /// A hash of the indexed interviews and their revisions.
    fn digest(&self) -> String {
        let mut h = voces_corpus::id::Sha256::new();
        h.update(serde_json::to_vec(&self.interviews).unwrap_or_default());
        voces_corpus::id::hex(&h.finish()[..12])
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    /// Hash of what the interview's documents were built from.
    revision: String,
    /// Number of segments indexed.
    segments: usize,
    /// Merged attributes as indexed (text values).
    attributes: BTreeMap<String, String>,
}

/// What [`Index::update`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UpdateStats {
    /// Interviews indexed for the first time.
    pub added: usize,
    /// Interviews indexed again because they or their attributes changed.
    pub updated: usize,
    /// Interviews removed from the index because the corpus no longer has
    /// them.
    pub removed: usize,
    /// Interviews already up to date.
    pub unchanged: usize,
    /// Segments written.
    pub segments: usize,
    /// The index was rebuilt from scratch when opened (its version or
    /// languages differed).
    pub rebuilt: bool,
    /// Interviews that could not be read from the store, with the reason;
    /// they keep their previous version in the index, if any, and are tried
    /// again next time.
    pub failed: Vec<(String, String)>,
}

/// A voces search index in a folder (normally `.voces/index/`).
///
/// The index is derived from the corpus store: deleting the folder and
/// running [`Index::update`] again gives the same search results.
pub struct Index {
    dir: PathBuf,
    tantivy: tantivy::Index,
    reader: IndexReader,
    fields: Fields,
    analyzers: Analyzers,
    manifest: Manifest,
    /// Lower-case attribute name → the name as written, over the manifest
    /// (kept with it: computing it per search costs a pass over every
    /// interview).
    attributes: BTreeMap<String, String>,
    /// Interview ordinals of the reader's current searcher, built by the
    /// first search of each generation.
    interviews: Mutex<Option<Arc<Interviews>>>,
    rebuilt: bool,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("dir", &self.dir)
            .field("languages", &self.manifest.languages)
            .field("interviews", &self.manifest.interviews.len())
            .finish_non_exhaustive()
    }
}

/// Checks and normalizes the project languages: lower-case ISO 639-1 (or
/// 639-2) codes, duplicates dropped, order kept.
fn normalize_languages(languages: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for l in languages {
        let code = l.trim().to_ascii_lowercase();
        if !(2..=3).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(Error::InvalidLanguage(l.clone()));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    if out.is_empty() {
        return Err(Error::NoLanguage);
    }
    Ok(out)
}

/// Lower-case attribute name → the name as written, over all interviews.
fn attribute_map(manifest: &Manifest) -> BTreeMap<String, String> {
    // Interviews mostly share their attribute names: lower-case each
    // distinct name once.
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = BTreeMap::new();
    for e in manifest.interviews.values() {
        for name in e.attributes.keys() {
            if seen.insert(name) {
                out.entry(name.to_lowercase())
                    .or_insert_with(|| name.clone());
            }
        }
    }
    out
}

fn lock_error(dir: &Path, e: TantivyError) -> Error {
    match e {
        TantivyError::LockFailure(..) => Error::Locked {
            path: dir.to_owned(),
        },
        e => Error::Tantivy(e),
    }
}

impl Index {
    /// Opens the index in `dir`, creating it when missing. `languages` are
    /// the project's languages (ISO 639-1), one `text_<code>` field each;
    /// the first also takes segments in languages not listed.
    ///
    /// An index written by another voces version or for other languages is
    /// deleted and created empty ([`UpdateStats::rebuilt`] tells the next
    /// update); a folder holding anything else is refused.
    pub fn open_or_create(dir: &Path, languages: &[String]) -> Result<Index> {
        let languages = normalize_languages(languages)?;
        let manifest_path = dir.join(MANIFEST_FILE);
        let mut rebuilt = false;
        let existing = if dir.join("meta.json").is_file() {
            read_manifest(&manifest_path)
                .filter(|m| m.version == INDEX_VERSION && m.languages == languages)
        } else {
            None
        };
        let (schema, fields) = schema::build(&languages);
        let analyzers = Analyzers::new(&languages);
        // The manifest must describe the last commit: the same schema, and
        // the digest its commit recorded.
        let opened = existing.and_then(|manifest| {
            let index = tantivy::Index::open_in_dir(dir).ok()?;
            let payload = index.load_metas().ok()?.payload;
            (index.schema() == schema && payload == manifest.commit).then_some((index, manifest))
        });
        let (mut index, manifest) = if let Some(opened) = opened {
            opened
        } else {
            rebuilt = prepare_empty_dir(dir)?;
            let index = tantivy::Index::create_in_dir(dir, schema)?;
            let manifest = Manifest {
                version: INDEX_VERSION,
                languages: languages.clone(),
                interviews: BTreeMap::new(),
                stamp: None,
                commit: None,
            };
            write_manifest(&manifest_path, &manifest)?;
            (index, manifest)
        };
        analyzers.register(&index);
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(MAX_SEARCH_THREADS);
        if threads > 1 {
            // Before the reader, which searches with the executor its index
            // had when it was made.
            index.set_multithread_executor(threads)?;
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Index {
            dir: dir.to_owned(),
            tantivy: index,
            reader,
            fields,
            analyzers,
            attributes: attribute_map(&manifest),
            manifest,
            interviews: Mutex::new(None),
            rebuilt,
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The languages of the text fields, in order.
    pub fn languages(&self) -> &[String] {
        &self.manifest.languages
    }

    /// Number of indexed segments (as of the last reload).
    pub fn num_segments(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Ids of the indexed interviews, sorted.
    pub fn interview_ids(&self) -> Vec<String> {
        self.manifest.interviews.keys().cloned().collect()
    }

    /// Attribute names of the indexed interviews, sorted, as written in the
    /// first interview that has them.
    pub fn attribute_names(&self) -> Vec<String> {
        self.attribute_map().into_values().collect()
    }

    /// Lower-case attribute name → the name as written.
    fn attribute_map(&self) -> BTreeMap<String, String> {
        self.attributes.clone()
    }

    /// The analyzer of the text field that holds segments of language
    /// `segment_language`: its own language's, or the first language's when
    /// the project does not list it. What a search for a word in such a
    /// segment compares.
    pub fn analyzer(&self, segment_language: &str) -> &Analyzer {
        &self.analyzers.lang[self.analyzers.field_of(segment_language)]
    }

    /// The analyzer of `--exact` searches.
    pub fn exact_analyzer(&self) -> &Analyzer {
        &self.analyzers.exact
    }

    /// The analyzer of prefix searches (`word*`).
    pub fn plain_analyzer(&self) -> &Analyzer {
        &self.analyzers.plain
    }

    /// Reloads the reader and manifest, to see what another process
    /// committed since this handle was opened.
    pub fn reload(&mut self) -> Result<()> {
        self.reader.reload()?;
        if let Some(m) = read_manifest(&self.dir.join(MANIFEST_FILE))
            && m.version == INDEX_VERSION
            && m.languages == self.manifest.languages
        {
            self.manifest = m;
        }
        Ok(())
    }

    /// Brings the index up to date with the store: indexes new and changed
    /// interviews (a change of the file, of the reading settings or of the
    /// merged attributes), removes those no longer stored, in one commit.
    /// Nothing is written when nothing changed. `progress` is called with
    /// (done, total) interviews to index.
    pub fn update(
        &mut self,
        store: &Store,
        attributes: &Attributes,
        progress: &dyn Fn(usize, usize),
    ) -> Result<UpdateStats> {
        let mut stats = UpdateStats {
            rebuilt: std::mem::take(&mut self.rebuilt),
            ..UpdateStats::default()
        };
        let stamp = store.stamp()?;
        if !stats.rebuilt && self.manifest.stamp.as_deref() == Some(stamp.as_str()) {
            stats.unchanged = self.manifest.interviews.len();
            return Ok(stats);
        }
        let mut manifest = self.manifest.clone();
        manifest.stamp = Some(stamp);
        let ids = store.interview_ids()?;
        // Interviews to index; `None` for those not indexed yet, whose
        // revision is computed when they are read whole (reading the head
        // first would read each new file twice).
        let mut todo: Vec<(String, Option<Revised>)> = Vec::new();
        for id in &ids {
            if !manifest.interviews.contains_key(id) {
                todo.push((id.clone(), None));
                continue;
            }
            let head = match store.head(id) {
                Ok(h) => h,
                Err(e) => {
                    stats.failed.push((id.clone(), e.to_string()));
                    continue;
                }
            };
            let revised = Revised::of(attributes, &head.id, &head.source, &head.attributes);
            match manifest.interviews.get(id) {
                Some(e) if e.revision == revised.revision => stats.unchanged += 1,
                _ => todo.push((id.clone(), Some(revised))),
            }
        }
        let removed: Vec<String> = manifest
            .interviews
            .keys()
            .filter(|id| ids.binary_search(id).is_err())
            .cloned()
            .collect();
        if todo.is_empty() && removed.is_empty() {
            // Nothing to index; remember the stamp so the next update is
            // a glance.
            write_manifest(&self.dir.join(MANIFEST_FILE), &manifest)?;
            self.manifest = manifest;
            return Ok(stats);
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(MAX_WRITER_THREADS);
        let mut writer: IndexWriter = self
            .tantivy
            .writer_with_num_threads(threads, WRITER_MEMORY)
            .map_err(|e| lock_error(&self.dir, e))?;
        for id in &removed {
            writer.delete_term(Term::from_field_text(self.fields.interview, id));
            manifest.interviews.remove(id);
            stats.removed += 1;
        }
        let total = todo.len();
        for (done, (id, revised)) in todo.into_iter().enumerate() {
            let interview = match store.interview(&id) {
                Ok(i) => i,
                Err(e) => {
                    stats.failed.push((id, e.to_string()));
                    progress(done + 1, total);
                    continue;
                }
            };
            let Revised { revision, attrs } = revised.unwrap_or_else(|| {
                Revised::of(
                    attributes,
                    &interview.id,
                    &interview.source,
                    &interview.attributes,
                )
            });
            writer.delete_term(Term::from_field_text(self.fields.interview, &id));
            for seg in &interview.segments {
                writer.add_document(self.document(&interview, seg, &attrs))?;
            }
            stats.segments += interview.segments.len();
            let entry = Entry {
                revision,
                segments: interview.segments.len(),
                attributes: attrs,
            };
            if manifest.interviews.insert(id, entry).is_some() {
                stats.updated += 1;
            } else {
                stats.added += 1;
            }
            progress(done + 1, total);
        }
        // The commit records what the manifest will say; the manifest is
        // written after it.
        let digest = manifest.digest();
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&digest);
        commit.commit()?;
        writer.wait_merging_threads()?;
        manifest.commit = Some(digest);
        write_manifest(&self.dir.join(MANIFEST_FILE), &manifest)?;
        self.attributes = attribute_map(&manifest);
        self.manifest = manifest;
        self.reader.reload()?;
        Ok(stats)
    }

    fn document(
        &self,
        interview: &Interview,
        seg: &voces_corpus::Segment,
        attrs: &BTreeMap<String, String>,
    ) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.interview, &interview.id);
        doc.add_text(f.segment, &seg.id);
        if let Some(label) = &seg.speaker {
            doc.add_text(f.speaker, label);
            // The declared full name finds the turns too.
            if let Some(name) = interview
                .speakers
                .iter()
                .find(|s| &s.label == label)
                .and_then(|s| s.name.as_ref())
                .filter(|n| *n != label)
            {
                doc.add_text(f.speaker, name);
            }
        }
        doc.add_text(f.role, seg.role.as_str());
        doc.add_text(f.lang, &seg.language);
        if let Some(t) = seg.start_time {
            doc.add_f64(f.start_time, t);
        }
        if let Some(t) = seg.end_time {
            doc.add_f64(f.end_time, t);
        }
        doc.add_u64(f.position, seg.index as u64);
        doc.add_u64(f.start, seg.start as u64);
        doc.add_u64(f.end, seg.end as u64);
        doc.add_text(f.file, &interview.source.file_name);
        doc.add_text(f.text, &seg.text);
        let field = self.analyzers.field_of(&seg.language);
        doc.add_text(f.text_lang[field], &seg.text);
        doc.add_text(f.pairs_lang[field], &seg.text);
        doc.add_text(f.text_exact, &seg.text);
        doc.add_text(f.text_plain, &seg.text);
        if !attrs.is_empty() {
            doc.add_object(
                f.attrs,
                attrs
                    .iter()
                    .map(|(k, v)| (k.to_lowercase(), OwnedValue::Str(v.clone())))
                    .collect(),
            );
        }
        doc
    }

    /// Runs a search. An index without segments is [`Error::EmptyIndex`];
    /// an attribute filter on an unknown attribute is
    /// [`Error::UnknownAttribute`].
    pub fn search(&self, query: &Query, options: &SearchOptions) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        if searcher.num_docs() == 0 {
            return Err(Error::EmptyIndex);
        }
        let by_score = options.rank && !options.count_only;
        let compiled = self.compile(query, &self.attributes, by_score)?;
        let interviews = self.interviews(&searcher)?;
        let collector = HitCollector {
            limit: if options.count_only { 0 } else { options.limit },
            by_score,
            interviews: interviews.clone(),
        };
        let fruit = searcher.search(&*compiled.query, &collector)?;
        let a = &self.analyzers;
        let mut highlighter = Highlighter::new(&compiled.highlight, |t| match t {
            Target::Lang(i) => a.lang.get(i),
            Target::Exact => Some(&a.exact),
            Target::Plain => Some(&a.plain),
        });
        let mut hits = Vec::with_capacity(fruit.hits.len());
        for raw in fruit.hits {
            let doc: TantivyDocument = searcher.doc(raw.address)?;
            let mut hit = self.hit(&doc, &raw, interviews.name(raw.interview), options.rank);
            let field = a.field_of(&hit.lang);
            hit.matches = highlighter.spans(&hit.text, |t| match t {
                Target::Lang(i) => i == field,
                Target::Exact | Target::Plain => true,
            });
            hits.push(hit);
        }
        Ok(SearchResults {
            total_hits: fruit.total,
            total_interviews: fruit.interviews,
            hits,
        })
    }

    /// Where `query` matches: the positions of the matching segments of
    /// each interview, sorted, read from the fast fields alone (no stored
    /// text, no highlighting). Auto-coding finds its candidate segments
    /// this way; [`Index::search`] gives the same segments with their text.
    pub fn locate(&self, query: &Query) -> Result<BTreeMap<String, Vec<usize>>> {
        let searcher = self.reader.searcher();
        if searcher.num_docs() == 0 {
            return Err(Error::EmptyIndex);
        }
        let compiled = self.compile(query, &self.attributes, false)?;
        let interviews = self.interviews(&searcher)?;
        let found = searcher.search(
            &*compiled.query,
            &Locator {
                interviews: interviews.clone(),
            },
        )?;
        // Sorted by interview ordinal: one group per interview.
        let mut groups: Vec<(u32, Vec<usize>)> = Vec::new();
        for (interview, position) in found {
            match groups.last_mut() {
                Some((i, positions)) if *i == interview => positions.push(position as usize),
                _ => groups.push((interview, vec![position as usize])),
            }
        }
        Ok(groups
            .into_iter()
            .map(|(i, positions)| (interviews.name(i).to_owned(), positions))
            .collect())
    }

    /// `query` compiled against this index, with the attribute names in
    /// `attributes`, for scoring or not.
    fn compile(
        &self,
        query: &Query,
        attributes: &BTreeMap<String, String>,
        scoring: bool,
    ) -> Result<compile::Compiled> {
        compile::compile(
            query,
            &Ctx {
                fields: &self.fields,
                analyzers: &self.analyzers,
                attributes,
                scoring,
            },
        )
    }

    /// The interview ordinals of `searcher`, built once per generation.
    fn interviews(&self, searcher: &Searcher) -> Result<Arc<Interviews>> {
        let generation = searcher.generation().generation_id();
        let mut cached = self
            .interviews
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(table) = cached.as_ref().filter(|t| t.generation == generation) {
            return Ok(table.clone());
        }
        let table = Arc::new(Interviews::build(searcher)?);
        *cached = Some(table.clone());
        Ok(table)
    }

    fn hit(&self, doc: &TantivyDocument, raw: &RawHit, interview: &str, ranked: bool) -> Hit {
        let f = &self.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_owned))
        };
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let time = |field| doc.get_first(field).and_then(|v| v.as_f64());
        let role = match text(f.role).as_deref() {
            Some("interviewer") => Role::Interviewer,
            Some("participant") => Role::Participant,
            _ => Role::Other,
        };
        Hit {
            interview: interview.to_owned(),
            segment: text(f.segment).unwrap_or_default(),
            position: raw.position as usize,
            speaker: text(f.speaker),
            role,
            lang: text(f.lang).unwrap_or_default(),
            start_time: time(f.start_time),
            end_time: time(f.end_time),
            start: number(f.start) as usize,
            end: number(f.end) as usize,
            file_name: text(f.file).unwrap_or_default(),
            score: ranked.then_some(raw.score),
            text: text(f.text).unwrap_or_default(),
            matches: Vec::new(),
            attributes: self
                .manifest
                .interviews
                .get(interview)
                .map(|e| e.attributes.clone())
                .unwrap_or_default(),
        }
    }

    /// Hits and distinct interviews per value of attribute `attribute`
    /// (`--by`), over the segments `query` matches. Interviews without the
    /// attribute count under `value: None`. Sorted by hits (most first),
    /// then value, `None` last.
    pub fn facet_counts(&self, query: &Query, attribute: &str) -> Result<Vec<FacetCount>> {
        let searcher = self.reader.searcher();
        if searcher.num_docs() == 0 {
            return Err(Error::EmptyIndex);
        }
        let attributes = self.attribute_map();
        let key = attribute.trim().to_lowercase();
        if !attributes.contains_key(&key) {
            return Err(Error::UnknownAttribute {
                name: attribute.trim().to_owned(),
                known: attributes.into_values().collect(),
            });
        }
        let compiled = self.compile(query, &attributes, false)?;
        let interviews = self.interviews(&searcher)?;
        let per_interview = searcher.search(
            &*compiled.query,
            &PerInterview {
                interviews: interviews.clone(),
            },
        )?;
        let mut by_value: HashMap<Option<String>, (usize, usize)> = HashMap::new();
        for (ordinal, &n) in per_interview.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let id = interviews.name(ordinal as u32);
            let value = self.manifest.interviews.get(id).and_then(|e| {
                e.attributes
                    .iter()
                    .find(|(k, _)| k.to_lowercase() == key)
                    .map(|(_, v)| v.clone())
            });
            let slot = by_value.entry(value).or_default();
            slot.0 += n;
            slot.1 += 1;
        }
        let mut out: Vec<FacetCount> = by_value
            .into_iter()
            .map(|(value, (hits, interviews))| FacetCount {
                value,
                hits,
                interviews,
            })
            .collect();
        out.sort_by(|a, b| {
            a.value
                .is_none()
                .cmp(&b.value.is_none())
                .then(b.hits.cmp(&a.hits))
                .then_with(|| a.value.cmp(&b.value))
        });
        Ok(out)
    }
}

/// The attributes an interview is indexed with and its revision.
struct Revised {
    revision: String,
    attrs: BTreeMap<String, String>,
}

impl Revised {
    fn of(
        attributes: &Attributes,
        id: &str,
        source: &voces_corpus::Source,
        own: &BTreeMap<String, voces_corpus::AttrValue>,
    ) -> Revised {
        let attrs: BTreeMap<String, String> = attributes
            .merged(id, &source.file_name, own)
            .into_iter()
            .map(|(k, v)| (k, v.to_text()))
            .collect();
        Revised {
            revision: revision(&source.sha256, &source.fingerprint, &attrs),
            attrs,
        }
    }
}

/// Hash of what an interview's documents are built from.
fn revision(sha256: &str, fingerprint: &str, attrs: &BTreeMap<String, String>) -> String {
    let mut h = voces_corpus::id::Sha256::new();
    h.update(format!("{INDEX_VERSION}\0{sha256}\0{fingerprint}\0").as_bytes());
    h.update(serde_json::to_vec(attrs).unwrap_or_default());
    voces_corpus::id::hex(&h.finish()[..12])
}

fn read_manifest(path: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn write_manifest(path: &Path, manifest: &Manifest) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(manifest).map_err(|source| Error::Manifest {
        path: path.to_owned(),
        source,
    })?;
    bytes.push(b'\n');
    voces_corpus::write_atomic(path, &bytes)?;
    Ok(())
}

/// Makes `dir` an empty folder: creates it, or empties it when every file
/// in it is an index file (see [`is_index_file`]). Returns true when an old
/// index was deleted.
///
/// Deciding by every file name, not by `meta.json` alone, matters after a
/// kill: a process killed while it created the index, or while it deleted
/// an old one, leaves some index files without `meta.json`, and the next
/// run must clear them rather than refuse the folder.
fn prepare_empty_dir(dir: &Path) -> Result<bool> {
    let entries = match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            return Ok(false);
        }
        Err(e) => return Err(Error::io(dir, e)),
        Ok(entries) => entries,
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if !is_file || !entry.file_name().to_str().is_some_and(is_index_file) {
            return Err(Error::NotAnIndex {
                path: dir.to_owned(),
            });
        }
        files.push(entry.path());
    }
    for file in &files {
        match std::fs::remove_file(file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::io(file, e));
            }
            _ => {}
        }
    }
    Ok(!files.is_empty())
}

/// Whether a file of this name is one tantivy or voces writes in an index
/// folder: `meta.json`, the voces manifest, tantivy's `.managed.json` and
/// lock files, temporary files of atomic writes, and segment files, which
/// are named by a 32-digit hexadecimal segment id.
fn is_index_file(name: &str) -> bool {
    let segment_file = name.len() > 33
        && name.as_bytes()[32] == b'.'
        && name.as_bytes()[..32].iter().all(u8::is_ascii_hexdigit);
    segment_file
        || name == "meta.json"
        || name == MANIFEST_FILE
        || name == ".managed.json"
        || name.starts_with(".tantivy-")
        || name.starts_with(".tmp")
        || name.starts_with(&format!(".{MANIFEST_FILE}."))
}

#[cfg(test)]
mod tests {
    #[test]
    fn index_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<super::Index>();
        check::<crate::Query>();
    }
}
