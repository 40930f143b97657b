//! The query language end to end: words, booleans, phrases, proximity,
//! prefixes, field and attribute filters, facets, matched spans, errors.

mod common;

use common::{Fixture, interview, sheet};
use voces_index::{Error, Index, Query, QueryErrorKind, SearchOptions};

fn fixture() -> Fixture {
    Fixture::new(&[
        interview(
            "ana",
            &[
                ("I", "en", "How did you cross the border?"),
                (
                    "Ana",
                    "en",
                    "We paid smugglers. The smuggled ones had no work permit.",
                ),
                ("I", "en", "Did you apply for a visa or for parole?"),
                (
                    "Ana",
                    "en",
                    "A visa, then humanitarian parole, then a work visa.",
                ),
                ("Ana", "en", "Permit work was hard to find without papers."),
            ],
        ),
        interview(
            "beto",
            &[
                ("I", "es", "¿Cómo cruzaron la frontera?"),
                (
                    "Beto",
                    "es",
                    "Pagamos a los traficantes. No teníamos papeles.",
                ),
                ("Beto", "es", "El contrabando de personas es un negocio."),
                ("I", "es", "¿Y el asilo?"),
                (
                    "Beto",
                    "es",
                    "Pedimos asilo en la frontera; la exclusión fue dura.",
                ),
            ],
        ),
        interview(
            "carla",
            &[
                ("I", "en", "Tell me about the camp."),
                (
                    "Carla",
                    "en",
                    "The camp had contraband everywhere. Smuggling was normal.",
                ),
                (
                    "Carla",
                    "es",
                    "En el campamento no había papeles para nadie.",
                ),
            ],
        ),
    ])
}

fn with_attributes() -> Fixture {
    let mut f = fixture();
    f.store()
        .put_metadata(&sheet(
            "people.csv",
            &[
                ("ana", &[("Country", "Honduras"), ("group", "migrant")]),
                ("beto", &[("Country", "Perú"), ("group", "migrant")]),
            ],
        ))
        .unwrap();
    f.update();
    f
}

#[test]
fn words_are_and_by_default() {
    let f = fixture();
    assert_eq!(f.ids("visa"), ["ana#3", "ana#4"]);
    assert_eq!(f.ids("visa parole"), ["ana#3", "ana#4"]);
    assert_eq!(f.ids("visa work"), ["ana#4"]);
    assert_eq!(f.ids("visa AND work"), ["ana#4"]);
}

#[test]
fn booleans_and_parentheses() {
    let f = fixture();
    assert_eq!(f.ids("frontera OR border"), ["ana#1", "beto#1", "beto#5"]);
    assert_eq!(f.ids("visa NOT work"), ["ana#3"]);
    assert_eq!(f.ids("visa -work"), ["ana#3"]);
    assert_eq!(f.ids("+visa -work"), ["ana#3"]);
    assert_eq!(f.ids("(frontera OR border) -asilo"), ["ana#1", "beto#1"]);
    assert_eq!(f.ids("papeles (asilo OR traficantes)"), ["beto#2"]);
    // NOT alone: every segment but those.
    let all = f.search(&Query::all()).total_hits;
    assert_eq!(
        f.search(&Query::parse("NOT visa").unwrap()).total_hits,
        all - 2
    );
    assert_eq!(f.ids("zzz OR NOT visa").len(), all - 2);
}

#[test]
fn languages_cross_in_queries() {
    let f = fixture();
    // Spanish words in an English query find Spanish segments and the
    // other way round; `lang:` narrows.
    assert_eq!(f.ids("papeles"), ["beto#2", "carla#3"]);
    assert_eq!(f.ids("papers OR papeles"), ["ana#5", "beto#2", "carla#3"]);
    assert_eq!(f.ids("(papers OR papeles) lang:en"), ["ana#5"]);
    assert_eq!(f.ids("exclusion"), ["beto#5"]);
    assert_eq!(f.ids("smugglers"), ["ana#2", "carla#2"]);
}

#[test]
fn phrases_and_proximity() {
    let f = fixture();
    assert_eq!(f.ids("\"work permit\""), ["ana#2"]);
    assert_eq!(f.ids("\"permit work\""), ["ana#5"]);
    // `visa ... parole` within 3 words, in order or reversed.
    assert_eq!(f.ids("\"visa parole\""), Vec::<String>::new());
    assert_eq!(f.ids("\"visa parole\"~2"), ["ana#3", "ana#4"]);
    assert_eq!(f.ids("\"parole visa\"~1"), Vec::<String>::new());
    assert_eq!(f.ids("\"parole visa\"~4"), ["ana#3", "ana#4"]);
    // Phrases use the stemmed canonical term of each word.
    assert_eq!(f.ids("\"smuggling one\""), ["ana#2"]);
    assert_eq!(f.ids("\"pidieron asilo\""), Vec::<String>::new());
    assert_eq!(f.ids("\"pedimos asilo\""), ["beto#5"]);
    // Words with inner punctuation are phrases of their parts.
    assert_eq!(f.ids("permit-work"), ["ana#5"]);
}

#[test]
fn prefixes() {
    let f = fixture();
    assert_eq!(f.ids("contraband*"), ["beto#3", "carla#2"]);
    assert_eq!(f.ids("smuggl*"), ["ana#2", "carla#2"]);
    assert_eq!(f.ids("EXCLUS*"), ["beto#5"]);
    assert_eq!(f.ids("\"work perm*\""), ["ana#2"]);
    assert_eq!(f.ids("camp* lang:es"), ["carla#3"]);
}

#[test]
fn field_filters() {
    let f = fixture();
    assert_eq!(f.ids("speaker:beto papeles"), ["beto#2"]);
    assert_eq!(f.ids("speaker:BETO asilo"), ["beto#5"]);
    assert_eq!(f.ids("role:interviewer frontera"), ["beto#1"]);
    assert_eq!(f.ids("role:participant frontera"), ["beto#5"]);
    assert_eq!(f.ids("lang:es camp*"), ["carla#3"]);
    assert_eq!(f.ids("interview:carla papeles"), ["carla#3"]);
    assert_eq!(f.ids("interview:car* papeles"), ["carla#3"]);
    assert_eq!(f.ids("speaker:\"Carla\" lang:en"), ["carla#2"]);
    assert_eq!(f.ids("speaker:ana -lang:en"), Vec::<String>::new());
}

#[test]
fn attribute_filters_ignore_case_and_accents() {
    let f = with_attributes();
    let ids =
        |q: Query| -> Vec<String> { f.search(&q).hits.into_iter().map(|h| h.segment).collect() };
    let q = || Query::parse("papers OR papeles").unwrap();
    assert_eq!(ids(q().attribute("country", "peru")), ["beto#2"]);
    assert_eq!(ids(q().attribute("COUNTRY", "Perú")), ["beto#2"]);
    assert_eq!(ids(q().attribute("group", "migrant")), ["ana#5", "beto#2"]);
    assert_eq!(
        ids(q()
            .attribute("group", "migrant")
            .attribute("country", "honduras")),
        ["ana#5"]
    );
    // The same attribute twice: either value.
    assert_eq!(
        ids(q()
            .attribute("country", "honduras")
            .attribute("country", "perú")),
        ["ana#5", "beto#2"]
    );
    assert_eq!(
        ids(Query::all().attribute("country", "chile")),
        Vec::<String>::new()
    );
    let err = f
        .index
        .search(&q().attribute("contry", "peru"), &SearchOptions::default())
        .unwrap_err();
    assert!(err.is_user_error());
    assert_eq!(
        err.to_string(),
        "unknown attribute \"contry\"; attributes are: Country, group"
    );
    // Hits carry the interview's attributes.
    let hit = &f.search(&q().attribute("country", "peru")).hits[0];
    assert_eq!(
        hit.attributes.get("Country").map(String::as_str),
        Some("Perú")
    );
}

#[test]
fn facet_counts_per_attribute_value() {
    let f = with_attributes();
    let counts = f
        .index
        .facet_counts(
            &Query::parse("papers OR papeles OR frontera").unwrap(),
            "country",
        )
        .unwrap();
    let rows: Vec<(&str, usize, usize)> = counts
        .iter()
        .map(|c| (c.label(), c.hits, c.interviews))
        .collect();
    assert_eq!(rows, [("Perú", 3, 1), ("Honduras", 1, 1), ("(none)", 1, 1)]);
    let counts = f.index.facet_counts(&Query::all(), "group").unwrap();
    let rows: Vec<(&str, usize, usize)> = counts
        .iter()
        .map(|c| (c.label(), c.hits, c.interviews))
        .collect();
    assert_eq!(rows, [("migrant", 10, 2), ("(none)", 3, 1)]);
    assert!(matches!(
        f.index.facet_counts(&Query::all(), "age"),
        Err(Error::UnknownAttribute { .. })
    ));
}

#[test]
fn matches_are_character_spans_of_the_segment() {
    let f = fixture();
    assert_eq!(f.matched("exclusion"), [["exclusión"]]);
    assert_eq!(f.matched("papeles lang:es"), [["papeles"], ["papeles"]]);
    assert_eq!(f.matched("\"work permit\""), [["work permit"]]);
    assert_eq!(
        f.matched("smugglers"),
        [vec!["smugglers", "smuggled"], vec!["Smuggling"]]
    );
    assert_eq!(f.matched("contraband*"), [["contrabando"], ["contraband"]]);
    assert_eq!(
        f.matched("\"visa parole\"~2 speaker:ana"),
        [["visa", "parole"]]
    );
    // Negated words are not marked.
    assert_eq!(f.matched("visa -work"), [["visa"]]);
    // Filters alone mark nothing.
    assert_eq!(f.matched("speaker:beto asilo").len(), 1);
    assert!(f.matched("speaker:beto").iter().all(Vec::is_empty));
}

#[test]
fn hits_carry_the_segment() {
    let f = fixture();
    let r = f.search(&Query::parse("asilo").unwrap());
    assert_eq!((r.total_hits, r.total_interviews), (2, 1));
    let h = &r.hits[1];
    assert_eq!(h.interview, "beto");
    assert_eq!(h.segment, "beto#5");
    assert_eq!(h.position, 4);
    assert_eq!(h.speaker.as_deref(), Some("Beto"));
    assert_eq!(h.role, voces_corpus::Role::Participant);
    assert_eq!(h.lang, "es");
    assert_eq!((h.start_time, h.end_time), (Some(40.0), Some(49.5)));
    assert_eq!(h.file_name, "beto.txt");
    assert_eq!(h.score, None);
    let stored = f.store().interview("beto").unwrap();
    let seg = &stored.segments[4];
    assert_eq!(
        (h.start, h.end, h.text.as_str()),
        (seg.start, seg.end, seg.text.as_str())
    );
}

#[test]
fn ranking_limits_and_counts() {
    let f = fixture();
    let q = Query::parse("visa OR papeles").unwrap();
    let ranked = f
        .index
        .search(
            &q,
            &SearchOptions {
                limit: 2,
                rank: true,
                count_only: false,
            },
        )
        .unwrap();
    assert_eq!(ranked.total_hits, 4);
    assert_eq!(ranked.hits.len(), 2);
    // "a visa, then ..., then a work visa" has visa twice.
    assert_eq!(ranked.hits[0].segment, "ana#4");
    assert!(ranked.hits[0].score >= ranked.hits[1].score);
    let first = f
        .index
        .search(
            &q,
            &SearchOptions {
                limit: 2,
                rank: false,
                count_only: false,
            },
        )
        .unwrap();
    let ids: Vec<_> = first.hits.iter().map(|h| h.segment.as_str()).collect();
    assert_eq!(ids, ["ana#3", "ana#4"]);
    let count = f
        .index
        .search(
            &q,
            &SearchOptions {
                limit: 2,
                rank: true,
                count_only: true,
            },
        )
        .unwrap();
    assert_eq!(
        (count.total_hits, count.total_interviews, count.hits.len()),
        (4, 3, 0)
    );
}

#[test]
fn query_errors_are_user_errors_with_positions() {
    let f = fixture();
    let err = |q: &str| -> Error { Query::parse(q).unwrap_err() };
    let e = err("visa \"work permit");
    assert!(e.is_user_error());
    assert_eq!(
        e.to_string(),
        "query:1:6: unclosed quote\n  visa \"work permit\n       ^\nhint: end the phrase with another `\"`, as in \"work permit\""
    );
    let Error::Query(q) = err("border spaeker:maria") else {
        panic!()
    };
    assert_eq!(
        (q.kind, q.line, q.column),
        (QueryErrorKind::UnknownField, 1, 8)
    );
    assert_eq!(
        q.message,
        "unknown field \"spaeker\"; fields are: speaker, role, lang, interview"
    );
    // Nothing searchable.
    let e = f
        .index
        .search(&Query::parse("¿?").unwrap(), &SearchOptions::default())
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("query:1:1: nothing to search for"),
        "{e}"
    );
    // Words that analyze to nothing beside real ones are ignored.
    assert_eq!(f.ids("asilo & ¿?"), ["beto#4", "beto#5"]);
}

#[test]
fn empty_index_says_to_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let index = Index::open_or_create(&dir.path().join("index"), &["en".to_owned()]).unwrap();
    let err = index
        .search(&Query::parse("visa").unwrap(), &SearchOptions::default())
        .unwrap_err();
    assert!(err.is_user_error());
    assert_eq!(
        err.to_string(),
        "the index is empty\nhint: run `voces ingest FILE...` to add transcripts, then search again"
    );
}

#[test]
fn proximity_counts_moves() {
    let f = Fixture::new(&[interview(
        "p",
        &[
            ("P", "en", "alpha beta"),
            ("P", "en", "alpha x x beta"),
            ("P", "en", "alpha x x x beta"),
            ("P", "en", "beta alpha"),
            ("P", "en", "beta x alpha"),
        ],
    )]);
    assert_eq!(f.ids("\"alpha beta\""), ["p#1"]);
    assert_eq!(f.ids("\"alpha beta\"~1"), ["p#1"]);
    // In order: up to N words between.
    assert_eq!(f.ids("\"alpha beta\"~2"), ["p#1", "p#2", "p#4"]);
    assert_eq!(
        f.ids("\"alpha beta\"~3"),
        ["p#1", "p#2", "p#3", "p#4", "p#5"]
    );
    // Reversed: two moves, then one per word between.
    assert_eq!(f.ids("\"beta alpha\"~2"), ["p#1", "p#4", "p#5"]);
    assert_eq!(f.ids("\"beta alpha\"~4"), ["p#1", "p#2", "p#4", "p#5"]);
}
