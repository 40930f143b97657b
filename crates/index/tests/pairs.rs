//! Shortcuts give the hits of the plain queries: phrases answered through
//! the pairs of frequent words, and `role:` / `lang:` run as filters on
//! their columns. On a generated corpus dense in frequent words, each
//! search equals, hit for hit and in order, the plain tantivy query read
//! from the same index (a phrase query on the language or exact field),
//! or the unfiltered search with the hits of other roles dropped.

mod common;

use std::collections::BTreeSet;

use common::{Fixture, interview};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query as TQuery};
use tantivy::schema::Value;
use tantivy::{TantivyDocument, Term};
use voces_corpus::Role;
use voces_index::{Hit, Query, SearchOptions};

const EN: &[&str] = &[
    "I", "I", "don't", "know", "know", "the", "the", "a", "of", "to", "and", "it", "was", "in",
    "that", "you", "we", "my", "what", "do", "not", "didn't", "well", "yeah", "Know", "DON'T",
    "border", "camp", "mother", "permit", "work", "papers", "soldiers", "know,", "the.",
];
const ES: &[&str] = &[
    "no", "no", "sé", "se", "que", "qué", "la", "el", "él", "de", "en", "y", "yo", "lo", "es",
    "pero", "No", "SÉ", "pueblo", "frontera", "familia", "trabajo", "mi", "casa", "sé.",
];

/// A small deterministic generator (64-bit LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn text(&mut self, words: &[&str]) -> String {
        let n = 3 + self.next(14);
        (0..n)
            .map(|_| words[self.next(words.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn corpus() -> Fixture {
    let mut rng = Rng(7);
    let mut texts: Vec<Vec<(String, String, String)>> = Vec::new();
    for i in 0..40 {
        let mut turns = Vec::new();
        for t in 0..20 {
            let label = match (i + t) % 3 {
                0 => "I",
                1 => "P",
                _ => "",
            };
            // Mostly the interview's language, some of the other, a few
            // of a language the project does not list (indexed as `en`).
            let lang = match (i % 2, rng.next(10)) {
                (_, 0) => "fr",
                (0, 1) | (1, 2..) => "es",
                _ => "en",
            };
            let words = if lang == "es" { ES } else { EN };
            turns.push((label.to_owned(), lang.to_owned(), rng.text(words)));
        }
        texts.push(turns);
    }
    let interviews: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, turns)| {
            let turns: Vec<(&str, &str, &str)> = turns
                .iter()
                .map(|(l, g, t)| (l.as_str(), g.as_str(), t.as_str()))
                .collect();
            interview(&format!("int{i:02}"), &turns)
        })
        .collect();
    Fixture::new(&interviews)
}

fn options(rank: bool) -> SearchOptions {
    SearchOptions {
        limit: usize::MAX,
        rank,
        count_only: false,
    }
}

/// Segment ids of every hit, in the search's order.
fn ids(hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| h.segment.clone()).collect()
}

/// The segments the plain phrase query matches (on `text_<code>` of each
/// language, or `text_exact`), in document order (interview, position).
fn plain_phrase(f: &Fixture, phrase: &str, slop: u32, exact: bool) -> Vec<String> {
    let tantivy = tantivy::Index::open_in_dir(f.project.data_dir().join("index")).unwrap();
    let schema = tantivy.schema();
    let targets: Vec<(&str, &voces_index::Analyzer)> = if exact {
        vec![("text_exact", f.index.exact_analyzer())]
    } else {
        vec![
            ("text_en", f.index.analyzer("en")),
            ("text_es", f.index.analyzer("es")),
        ]
    };
    let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
    for (name, analyzer) in targets {
        let field = schema.get_field(name).unwrap();
        // The first term at each position.
        let mut terms: Vec<(usize, Term)> = Vec::new();
        let mut last = None;
        for t in analyzer.tokens(phrase) {
            if last != Some(t.position) {
                terms.push((t.position, Term::from_field_text(field, &t.text)));
                last = Some(t.position);
            }
        }
        let first = terms.first().map_or(0, |t| t.0);
        let terms: Vec<(usize, Term)> = terms.into_iter().map(|(p, t)| (p - first, t)).collect();
        assert!(terms.len() >= 2, "{phrase}: not a phrase");
        clauses.push((
            Occur::Should,
            Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)),
        ));
    }
    let searcher = tantivy.reader().unwrap().searcher();
    let docs = searcher
        .search(&BooleanQuery::new(clauses), &DocSetCollector)
        .unwrap();
    let segment = schema.get_field("segment").unwrap();
    let interview = schema.get_field("interview").unwrap();
    let position = schema.get_field("position").unwrap();
    let mut found: Vec<(String, u64, String)> = docs
        .into_iter()
        .map(|address| {
            let doc: TantivyDocument = searcher.doc(address).unwrap();
            let text = |field| doc.get_first(field).unwrap().as_str().unwrap().to_owned();
            let n = doc.get_first(position).unwrap().as_u64().unwrap();
            (text(interview), n, text(segment))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, _, s)| s).collect()
}

/// The hits of `query` ranked by BM25 are `expected`, as a set.
fn assert_ranked_hits(f: &Fixture, query: &Query, expected: &[String], what: &str) {
    let ranked: BTreeSet<String> = ids(&f.index.search(query, &options(true)).unwrap().hits)
        .into_iter()
        .collect();
    assert_eq!(
        ranked,
        expected.iter().cloned().collect::<BTreeSet<_>>(),
        "{what}"
    );
}

fn quoted(phrase: &str, slop: u32) -> String {
    if slop == 0 {
        format!("\"{phrase}\"")
    } else {
        format!("\"{phrase}\"~{slop}")
    }
}

/// The search of a phrase equals the plain phrase query, in document
/// order and ranked (as a set), and its count equals its hits.
fn check_phrase(f: &Fixture, phrase: &str, slop: u32, exact: bool) -> usize {
    let expected = plain_phrase(f, phrase, slop, exact);
    let query = Query::parse(&quoted(phrase, slop)).unwrap().exact(exact);
    let found = f.index.search(&query, &options(false)).unwrap();
    let what = format!("{} (exact {exact})", quoted(phrase, slop));
    assert_eq!(ids(&found.hits), expected, "{what}");
    assert_eq!(found.total_hits, expected.len(), "{what}: total");
    // Ranked, the pairs only filter the scored phrase. (Proximity is left
    // out: tantivy's scored and unscored matching of three words or more
    // differ, the unscored one not carrying the moves of the first words
    // to the last; no pairs are involved.)
    if slop == 0 {
        assert_ranked_hits(f, &query, &expected, &format!("{what} ranked"));
    }
    let counted = f
        .index
        .search(
            &query,
            &SearchOptions {
                count_only: true,
                ..SearchOptions::default()
            },
        )
        .unwrap();
    assert_eq!(counted.total_hits, expected.len(), "{what}: count");
    expected.len()
}

#[test]
fn phrases_through_pairs_equal_plain_phrase_queries() {
    let f = corpus();
    let phrases = [
        // Only frequent words: answered by the pairs alone.
        "I don't know",
        "don't know the",
        "I don't know what you",
        "know the",
        "the the",
        "I I",
        "no sé que",
        "y yo no sé",
        "que no",
        "no se",
        // Frequent and rare words.
        "I don't know the border",
        "the border",
        "my mother was in the camp",
        "work permit",
        "know the camp",
        "en el pueblo",
        "no sé la frontera y",
        "mi familia no sé",
        // Case and punctuation.
        "I DON'T KNOW",
        "know, the",
        "No, sé.",
    ];
    let mut total = 0;
    for phrase in phrases {
        for exact in [false, true] {
            for slop in [0, 1, 3] {
                total += check_phrase(&f, phrase, slop, exact);
            }
        }
    }
    assert!(
        total > 1000,
        "only {total} hits: the corpus misses the phrases"
    );
}

#[test]
fn generated_phrases_equal_plain_phrase_queries() {
    let f = corpus();
    let mut rng = Rng(11);
    let mut hits = 0;
    for n in 0..120 {
        let words = if n % 2 == 0 { EN } else { ES };
        let len = 2 + rng.next(3);
        let phrase: Vec<&str> = (0..len).map(|_| words[rng.next(words.len())]).collect();
        let phrase = phrase.join(" ");
        hits += check_phrase(&f, &phrase, 0, false);
    }
    assert!(hits > 300, "only {hits} hits");
}

/// Which hits of the rest of a query its filters keep.
type Keeps = fn(&Hit) -> bool;

#[test]
fn role_and_language_filters_drop_the_other_hits() {
    let f = corpus();
    let cases: &[(&str, &str, Keeps)] = &[
        ("know", "role:participant", |h| h.role == Role::Participant),
        ("know OR sé", "role:interviewer", |h| {
            h.role == Role::Interviewer
        }),
        ("\"I don't know\"", "role:other", |h| h.role == Role::Other),
        (
            "(border OR camp OR frontera) -the",
            "role:Participant",
            |h| h.role == Role::Participant,
        ),
        ("know OR sé", "lang:es", |h| h.lang == "es"),
        ("know", "lang:fr", |h| h.lang == "fr"),
        ("know OR sé OR no", "lang:es role:participant", |h| {
            h.lang == "es" && h.role == Role::Participant
        }),
        ("know", "lang:de", |_| false),
    ];
    for (rest, filter, keep) in cases {
        let all = f.search(&Query::parse(rest).unwrap());
        let expected: Vec<String> = all
            .hits
            .iter()
            .filter(|h| keep(h))
            .map(|h| h.segment.clone())
            .collect();
        let query = Query::parse(&format!("({rest}) {filter}")).unwrap();
        let found = f.index.search(&query, &options(false)).unwrap();
        assert_eq!(ids(&found.hits), expected, "{rest} {filter}");
        assert_eq!(found.total_hits, expected.len(), "{rest} {filter}: total");
        assert_eq!(
            found.total_interviews,
            found
                .hits
                .iter()
                .map(|h| &h.interview)
                .collect::<BTreeSet<_>>()
                .len(),
            "{rest} {filter}: interviews"
        );
        // Ranked, the filters stay terms of the query.
        assert_ranked_hits(&f, &query, &expected, &format!("{rest} {filter} ranked"));
        // Where the auto-coder looks, the same segments.
        let located: usize = f.index.locate(&query).unwrap().values().map(Vec::len).sum();
        assert_eq!(located, expected.len(), "{rest} {filter}: locate");
    }
    assert!(
        !f.ids("know role:participant").is_empty() && !f.ids("sé lang:es").is_empty(),
        "the corpus has participants and Spanish"
    );
    // With nothing else to search for, the filters are the query.
    assert_eq!(
        f.ids("\"...\" role:participant lang:es"),
        f.ids("role:participant lang:es")
    );
    assert_eq!(
        f.ids("-know role:participant"),
        f.ids("role:participant NOT know")
    );
}
