//! Random query strings never panic: they parse or give a query error, and
//! what parses searches or gives a user error.

mod common;

use std::sync::OnceLock;

use common::{Fixture, interview};
use proptest::prelude::*;
use voces_index::{Query, SearchOptions};

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        Fixture::new(&[interview(
            "a",
            &[
                ("I", "en", "Did you cross the border with a visa?"),
                (
                    "Ana",
                    "es",
                    "Sí, con papeles y un coyote; la frontera era dura.",
                ),
                ("Ana", "en", "Smugglers' work: contraband, didn't they?"),
            ],
        )])
    })
}

fn check(q: &str) {
    match Query::parse(q) {
        Ok(query) => {
            for (rank, exact) in [(false, false), (true, true)] {
                let query = query.clone().exact(exact).attribute("x", "y");
                let options = SearchOptions {
                    limit: 5,
                    rank,
                    count_only: false,
                };
                // An unknown attribute is a user error; drop the filter too.
                let _ = fixture().index.search(&query, &options);
                let query = Query::parse(q).unwrap().exact(exact);
                if let Ok(r) = fixture().index.search(&query, &options) {
                    for h in &r.hits {
                        let n = h.text.chars().count();
                        assert!(h.matches.iter().all(|m| m.start < m.end && m.end <= n));
                    }
                }
            }
        }
        Err(e) => {
            assert!(e.is_user_error());
            let _ = e.to_string();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn syntax_soup(q in r#"[a-zñé ()"*~:+\-0-9]{0,30}|(AND|OR|NOT|speaker:|role:|lang:|\(|\)|"|\*|~2|-|visa|frontera| ){0,12}"#) {
        check(&q);
    }

    #[test]
    fn any_text(q in any::<String>()) {
        check(&q);
    }
}

#[test]
fn known_tricky_queries() {
    for q in [
        "",
        " ",
        "\"",
        "\"\"",
        "\"*\"",
        "*",
        "**",
        "-",
        "+",
        "--visa",
        "+-visa",
        "NOT",
        "AND",
        "OR OR",
        "(",
        ")",
        "()",
        "(()",
        "speaker:",
        "speaker:\"",
        "speaker:\"\"",
        "role:*",
        "lang:e*",
        "\"visa\"~",
        "\"visa\"~99999999999",
        "visa~2",
        "a:b",
        "10:30",
        "é\u{301}",
        "\u{301}",
        "\"visa parole\"~3*",
        "\"a b*\"~2",
        "\u{0}",
        "ñ*",
        "\"  \"~2",
    ] {
        check(q);
    }
}
