//! `Report::html` on a hand-made report whose every text is hostile
//! markup: it comes out escaped everywhere (HTML and SVG, content and
//! attributes), the page stays self-contained, and rendering is
//! deterministic.

use voces_corpus::Role;
use voces_export::report::{
    About, Cell, Column, Crosstab, Distribution, Excerpt, Overview, Report, SubCode, Theme,
};

/// Hostile text, different for each field so a test failure names it.
fn evil(field: &str) -> String {
    format!("<script>alert('{field}')</script>\"><img src=x onerror=alert('{field}')>&{field}")
}

fn theme(n: usize, color: &str) -> Theme {
    let f = |name: &str| evil(&format!("theme{n}.{name}"));
    Theme {
        id: f("id"),
        label: f("label"),
        color: color.to_owned(),
        definition: Some(f("definition")),
        segments: 12 + n,
        interviews: 3,
        subcodes: vec![SubCode {
            id: f("sub.id"),
            label: f("sub.label"),
            depth: 1,
            segments: 2,
            interviews: 1,
        }],
        excerpts: vec![Excerpt {
            interview: f("interview"),
            segment: f("segment"),
            speaker: Some(f("speaker")),
            role: Some(Role::Participant),
            attributes: vec![(f("attr.name"), f("attr.value"))],
            language: f("language"),
            text: format!("{} coyote {}", f("quote1"), f("quote2")),
            marks: vec![(0, 8), (200, 206)],
            codes: vec![f("code")],
            rules: vec![f("rule")],
            coder: f("coder"),
        }],
    }
}

fn report() -> Report {
    let themes = vec![theme(0, "#d62728"), theme(1, "#1f77b4")];
    let text_len = themes[0].excerpts[0].text.chars().count();
    let mut themes = themes;
    // A mark on the word `coyote`, wherever the hostile text put it.
    for t in &mut themes {
        let chars: Vec<char> = t.excerpts[0].text.chars().collect();
        let at = (0..chars.len() - 6)
            .find(|&i| chars[i..i + 6].iter().collect::<String>() == "coyote")
            .unwrap();
        t.excerpts[0].marks = vec![(at, at + 6), (text_len + 10, text_len + 20)];
    }
    Report {
        title: evil("title"),
        about: About {
            project: evil("project"),
            coder: evil("coder"),
            codebook: Some((evil("book.name"), evil("book.version"), evil("book.hash"))),
            coded_interviews: 3,
            codings: 40,
            generator: evil("generator"),
        },
        overview: Overview {
            interviews: 3,
            participants: 3,
            segments: 1234,
            words: 56789,
            distributions: vec![Distribution {
                name: evil("dist.name"),
                values: vec![(evil("dist.value"), 3)],
            }],
        },
        crosstabs: vec![Crosstab {
            attribute: evil("crosstab.attribute"),
            columns: vec![Column {
                label: evil("column"),
                interviews: 3,
                segments: 90,
            }],
            cells: vec![
                vec![Cell {
                    segments: 12,
                    interviews: 3,
                }],
                vec![Cell {
                    segments: 0,
                    interviews: 0,
                }],
            ],
        }],
        cooccurrence: vec![vec![12, 4], vec![4, 13]],
        themes,
    }
}

#[test]
fn every_text_is_escaped() {
    let html = report().html();
    for raw in ["<script", "<img", "alert('"] {
        assert!(!html.contains(raw), "unescaped `{raw}`");
    }
    // Every `&` starts a reference.
    for (at, _) in html.match_indices('&') {
        let rest = &html[at..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|r| rest.starts_with(r)),
            "bare `&` at {}",
            &rest[..rest.len().min(20)]
        );
    }
    // Each field's text is present, escaped.
    let escaped = |field: &str| {
        format!(
            "&lt;script&gt;alert(&#39;{field}&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(&#39;{field}&#39;)&gt;&amp;{field}"
        )
    };
    for field in [
        "title",
        "coder",
        "book.name",
        "book.version",
        "generator",
        "dist.name",
        "dist.value",
        "crosstab.attribute",
        "column",
        "theme0.id",
        "theme0.label",
        "theme0.definition",
        "theme0.sub.id",
        "theme0.sub.label",
        "theme0.segment",
        "theme0.speaker",
        "theme0.attr.name",
        "theme0.attr.value",
        "theme0.language",
        "theme0.quote1",
        "theme0.quote2",
        "theme0.code",
        "theme0.rule",
        "theme1.label",
    ] {
        assert!(
            html.contains(&escaped(field)),
            "`{field}` missing or not escaped"
        );
    }
    // The hash is shortened to 12 characters, escaped.
    assert!(html.contains("(hash &lt;script&gt;aler)"));
    // The matched word is highlighted; a mark past the end is ignored.
    assert_eq!(html.matches("<mark>coyote</mark>").count(), 2);
    assert_eq!(html.matches("<mark>").count(), 2);
}

#[test]
fn charts_have_titles_and_the_page_fetches_nothing() {
    let html = report().html();
    // Overview bars, themes, one crosstab, co-occurrence.
    assert_eq!(html.matches("<svg ").count(), 4);
    assert_eq!(html.matches("role=\"img\"").count(), 4);
    assert_eq!(html.matches("<desc id=").count(), 4);
    assert_eq!(html.matches("<details class=\"data\">").count(), 4);
    for bad in ["http:", "https:", "src=\"", "url(", "@import", "<link"] {
        assert!(!html.contains(bad), "{bad}");
    }
    // Codebook colours reach the charts; numbers are formatted.
    assert!(html.contains("fill=\"#d62728\"") && html.contains("fill=\"#1f77b4\""));
    assert!(html.contains(">56,789<") && html.contains(">1,234<"));
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(report().html(), report().html());
    let mut other = report();
    other.themes[0].segments += 1;
    assert_ne!(report().html(), other.html());
}

#[test]
fn an_uncoded_project_says_so() {
    let mut empty = report();
    empty.themes.clear();
    empty.crosstabs.clear();
    empty.cooccurrence.clear();
    let html = empty.html();
    assert!(html.contains("Nothing is coded yet"));
    assert_eq!(html.matches("<svg ").count(), 1, "only the overview");
}
