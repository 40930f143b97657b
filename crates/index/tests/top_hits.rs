//! The first `limit` hits: an index of many segments (one commit per
//! update, interviews added out of order, one re-indexed) gives, for every
//! limit, the first hits of the unlimited search, in document order or by
//! score, with the same totals and matched spans; and `Index::locate`
//! finds the segments the unlimited search finds.

mod common;

use std::collections::BTreeSet;

use common::{Fixture, interview};
use voces_corpus::Interview;
use voces_index::{Hit, Query, SearchOptions, SearchResults};

const QUERIES: &[&str] = &[
    "border",
    "frontera OR border OR papeles",
    "smugglers",
    "\"work permit\"",
    "\"visa parole\"~4",
    "contraband*",
    "role:participant",
    "lang:es",
    "border -visa",
    "",
];

fn turns(i: usize) -> Vec<(&'static str, &'static str, String)> {
    let mut out = vec![("I", "en", "How did you cross the border?".to_owned())];
    // Interviews differ in length and wording, so hits and scores vary.
    for n in 0..=(i % 4) {
        out.push((
            "Ana",
            "en",
            format!(
                "We paid smugglers {n} times; the border{} was closed. No work permit{}.",
                " border".repeat(n),
                if i.is_multiple_of(3) {
                    ", then a visa and parole"
                } else {
                    ""
                }
            ),
        ));
    }
    if i % 2 == 1 {
        out.push((
            "Ana",
            "es",
            "Cruzamos la frontera sin papeles; contrabando por todas partes.".to_owned(),
        ));
    }
    out
}

fn numbered(i: usize, first_turn: Option<&str>) -> Interview {
    let mut turns = turns(i);
    if let Some(text) = first_turn {
        text.clone_into(&mut turns[0].2);
    }
    let borrowed: Vec<(&str, &str, &str)> =
        turns.iter().map(|(a, b, c)| (*a, *b, c.as_str())).collect();
    interview(&format!("int-{:02}", (i * 7) % 31), &borrowed)
}

/// 31 interviews in four commits, ids not in the order added, and one
/// interview changed after the others (its old documents deleted).
fn fixture() -> Fixture {
    let all: Vec<Interview> = (0..31).map(|i| numbered(i, None)).collect();
    let mut f = Fixture::new(&all[..8]);
    for chunk in all[8..].chunks(8) {
        for i in chunk {
            f.store().put_interview(i).unwrap();
        }
        f.update();
    }
    let changed = numbered(
        3,
        Some("How did you cross the border? And the border again?"),
    );
    f.store().put_interview(&changed).unwrap();
    let stats = f.update();
    assert_eq!((stats.updated, stats.added), (1, 0));
    f
}

fn search(f: &Fixture, q: &str, limit: usize, rank: bool) -> SearchResults {
    f.index
        .search(
            &Query::parse(q).unwrap(),
            &SearchOptions {
                limit,
                rank,
                count_only: false,
            },
        )
        .unwrap()
}

fn key(h: &Hit) -> (&str, usize) {
    (h.interview.as_str(), h.position)
}

#[test]
fn limited_searches_return_the_first_hits_of_the_whole_search() {
    let f = fixture();
    for q in QUERIES {
        let all = search(&f, q, usize::MAX, false);
        assert!(all.total_hits > 0, "{q}: no hits");
        assert_eq!(all.hits.len(), all.total_hits, "{q}");
        // Document order: interview id, then position, no duplicates.
        assert!(
            all.hits.windows(2).all(|w| key(&w[0]) < key(&w[1])),
            "{q}: not in document order"
        );
        let interviews: BTreeSet<&str> = all.hits.iter().map(|h| h.interview.as_str()).collect();
        assert_eq!(all.total_interviews, interviews.len(), "{q}");

        let ranked = search(&f, q, usize::MAX, true);
        assert_eq!(ranked.total_hits, all.total_hits, "{q}");
        assert!(
            ranked.hits.windows(2).all(|w| w[0].score >= w[1].score),
            "{q}: not by score"
        );
        let mut same: Vec<&Hit> = ranked.hits.iter().collect();
        same.sort_by(|a, b| key(a).cmp(&key(b)));
        assert!(
            same.iter().map(|h| key(h)).eq(all.hits.iter().map(key)),
            "{q}"
        );

        for limit in [
            0,
            1,
            2,
            3,
            5,
            8,
            13,
            all.total_hits - 1,
            all.total_hits,
            1000,
        ] {
            let first = search(&f, q, limit, false);
            assert_eq!(
                (first.total_hits, first.total_interviews),
                (all.total_hits, all.total_interviews),
                "{q} limit {limit}"
            );
            assert_eq!(
                first.hits,
                all.hits[..limit.min(all.hits.len())],
                "{q} limit {limit}"
            );
            let best = search(&f, q, limit, true);
            assert_eq!(
                best.hits,
                ranked.hits[..limit.min(ranked.hits.len())],
                "{q} ranked, limit {limit}"
            );
        }
        let count = f
            .index
            .search(
                &Query::parse(q).unwrap(),
                &SearchOptions {
                    limit: 10,
                    rank: true,
                    count_only: true,
                },
            )
            .unwrap();
        assert_eq!(
            (count.total_hits, count.total_interviews, count.hits.len()),
            (all.total_hits, all.total_interviews, 0),
            "{q} count"
        );
    }
}

#[test]
fn ranked_ties_keep_document_order() {
    let f = fixture();
    let ranked = search(&f, "border", usize::MAX, true);
    for w in ranked.hits.windows(2) {
        if w[0].score == w[1].score {
            assert!(key(&w[0]) < key(&w[1]), "{:?} {:?}", key(&w[0]), key(&w[1]));
        }
    }
}

#[test]
fn the_changed_interview_is_searched_as_changed() {
    let f = fixture();
    // int-21 is interview 3 (3 * 7 % 31): its first turn gained a border.
    let hits = search(&f, "again", usize::MAX, false);
    let ids: Vec<&str> = hits.hits.iter().map(|h| h.segment.as_str()).collect();
    assert_eq!(ids, ["int-21#1"]);
    assert_eq!(
        hits.hits[0].text,
        "How did you cross the border? And the border again?"
    );
    let matched: Vec<String> = hits.hits[0]
        .matches
        .iter()
        .map(|m| {
            hits.hits[0]
                .text
                .chars()
                .skip(m.start)
                .take(m.end - m.start)
                .collect()
        })
        .collect();
    assert_eq!(matched, ["again"]);
    // Its old first turn is gone: one hit per segment.
    let border = search(&f, "interview:int-21 border", usize::MAX, false);
    let ids: Vec<&str> = border.hits.iter().map(|h| h.segment.as_str()).collect();
    assert_eq!(
        ids,
        ["int-21#1", "int-21#2", "int-21#3", "int-21#4", "int-21#5"]
    );
}

#[test]
fn locate_finds_the_segments_search_finds() {
    let f = fixture();
    for q in QUERIES {
        let all = search(&f, q, usize::MAX, false);
        let mut expected: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for h in &all.hits {
            expected
                .entry(h.interview.clone())
                .or_default()
                .push(h.position);
        }
        let located = f.index.locate(&Query::parse(q).unwrap()).unwrap();
        assert_eq!(located, expected, "{q}");
    }
}
