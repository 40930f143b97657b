//! The report as one HTML document: inline CSS, inline SVG charts, no
//! script, and a Content-Security-Policy that forbids fetching or running
//! anything. Every text from the project goes through [`Esc`].

use std::fmt::{self, Write};

use super::{Crosstab, Excerpt, Report, Theme, svg};

macro_rules! w {
    ($dst:expr, $($arg:tt)*) => {
        let _ = write!($dst, $($arg)*);
    };
}

/// Text escaped for HTML and SVG, in element content and in quoted
/// attribute values: `& < > " '` become references, and control characters
/// (other than tab and line breaks), which HTML does not allow, become
/// U+FFFD.
pub(crate) struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(|c: char| {
            matches!(c, '&' | '<' | '>' | '"' | '\'')
                || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        }) {
            f.write_str(&rest[..i])?;
            let c = rest[i..].chars().next().unwrap_or('\u{fffd}');
            f.write_str(match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => "\u{fffd}",
            })?;
            rest = &rest[i + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// `12345` as `12,345`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `one` for 1, else `many`.
pub(crate) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".to_owned()
    } else {
        format!("{:.0}%", part as f64 * 100.0 / whole as f64)
    }
}

const CSS: &str = r#"
:root{--ink:#1f2328;--muted:#59636e;--line:#d8dee4;--soft:#f6f8fa;--accent:#0b5cad}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:var(--ink);font:15px/1.55 "Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans",system-ui,sans-serif}
main{max-width:1060px;margin:0 auto;padding:36px 32px 56px}
a{color:var(--accent)}
header.top{border-bottom:3px solid var(--ink);padding-bottom:14px;margin-bottom:18px}
.kicker{margin:0;color:var(--muted);font-size:13px;letter-spacing:.06em;text-transform:uppercase}
h1{font-size:32px;line-height:1.2;margin:6px 0 8px;letter-spacing:-.01em}
h2{font-size:22px;margin:44px 0 6px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:18px;margin:0}
.meta,.lead,.note{color:var(--muted)}
.meta{margin:0;font-size:14px}
.lead{margin:4px 0 14px;max-width:760px}
code{font:12.5px/1.4 ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace;background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 4px}
nav.toc ol{display:flex;flex-wrap:wrap;gap:6px 18px;list-style:none;margin:0;padding:0;font-size:14px}
nav.toc a{text-decoration:none}
nav.toc a:hover{text-decoration:underline}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:16px 0 8px}
.card{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.card .num{display:block;font-size:28px;font-weight:650;line-height:1.2;font-variant-numeric:tabular-nums}
.card .what{color:var(--muted);font-size:13.5px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:8px 28px}
figure{margin:18px 0 8px}
figure.chart figcaption{font-size:14px;margin-bottom:8px}
figure.chart figcaption b{font-size:15px}
.plot{overflow-x:auto}
.plot svg{display:block;max-width:100%;height:auto}
details.data{margin-top:6px;font-size:13px}
details.data summary{cursor:pointer;color:var(--accent)}
table{border-collapse:collapse;font-size:13px;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{padding:3px 10px 3px 0;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-weight:600}
td.n,th.n{text-align:right;padding-left:10px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;background:var(--c);vertical-align:-1px;margin-right:6px}
article.theme{margin:30px 0 0;padding-top:16px;border-top:4px solid var(--c)}
article.theme .facts{margin:2px 0 6px;color:var(--muted);font-size:14px}
article.theme .definition{margin:6px 0 8px;max-width:820px}
table.sub td:first-child{padding-left:calc(var(--depth,1) * 14px - 14px)}
ol.excerpts{list-style:none;margin:12px 0 0;padding:0}
ol.excerpts li{margin:0 0 14px}
blockquote{margin:0;padding:10px 16px;background:var(--soft);border-left:4px solid var(--c);border-radius:0 6px 6px 0;font-size:15.5px}
blockquote p{margin:0}
mark{background:var(--t);color:inherit;padding:0 2px;border-radius:3px;box-shadow:inset 0 -2px 0 var(--c)}
.cite{margin:5px 0 0 20px;font-size:13px;color:var(--muted)}
.cite .who{color:var(--ink);font-weight:600}
footer{margin-top:48px;padding-top:12px;border-top:1px solid var(--line);font-size:13px;color:var(--muted)}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-size:10.5pt}
main{max-width:none;padding:0}
nav.toc,details.data{display:none}
h2{break-after:avoid;margin-top:28px}
section.whole,figure,ol.excerpts li,.cards,article.theme>table{break-inside:avoid}
article.theme>h3,article.theme>p{break-after:avoid}
a{color:inherit;text-decoration:none}
}
"#;

/// The whole document.
pub(super) fn render(report: &Report) -> String {
    let mut out = String::with_capacity(64 * 1024);
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"{}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        Esc(&report.about.generator),
        Esc(&report.title),
    );
    header(&mut out, report);
    corpus(&mut out, report);
    if report.themes.is_empty() {
        out.push_str(
            "<section id=\"themes\"><h2>Themes</h2><p class=\"lead\">Nothing is coded yet: \
             run <code>voces code</code>, then make the report again.</p></section>\n",
        );
    } else {
        themes(&mut out, report);
        for (i, table) in report.crosstabs.iter().enumerate() {
            crosstab(&mut out, report, table, i);
        }
        cooccurrence(&mut out, report);
        excerpts(&mut out, report);
    }
    footer(&mut out, report);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn header(out: &mut String, report: &Report) {
    let a = &report.about;
    w!(
        out,
        "<header class=\"top\">\n<p class=\"kicker\">Coded interviews · report</p>\n<h1>{}</h1>\n<p class=\"meta\">{} {} coded by {}",
        Esc(&report.title),
        a.coded_interviews,
        plural(a.coded_interviews, "interview", "interviews"),
        if a.coder == voces_code::AUTO_CODER {
            "auto-coding".to_owned()
        } else {
            Esc(&a.coder).to_string()
        },
    );
    if let Some((name, version, hash)) = &a.codebook {
        w!(
            out,
            " with the codebook <b>{}</b> {} <span title=\"SHA-256 of the codebook\">(hash {})</span>",
            Esc(name),
            Esc(version),
            Esc(hash.get(..12).unwrap_or(hash)),
        );
    }
    w!(
        out,
        " · {} {}</p>\n</header>\n<nav class=\"toc\" aria-label=\"Contents\"><ol>\n<li><a href=\"#corpus\">Corpus</a></li>\n",
        thousands(a.codings),
        plural(a.codings, "coding", "codings"),
    );
    if !report.themes.is_empty() {
        out.push_str("<li><a href=\"#themes\">Themes</a></li>\n");
        for (i, t) in report.crosstabs.iter().enumerate() {
            w!(
                out,
                "<li><a href=\"#by-{i}\">By {}</a></li>\n",
                Esc(&t.attribute)
            );
        }
        out.push_str(
            "<li><a href=\"#cooccurrence\">Co-occurrence</a></li>\n<li><a href=\"#excerpts\">Excerpts</a></li>\n",
        );
    }
    out.push_str("</ol></nav>\n");
}

fn corpus(out: &mut String, report: &Report) {
    let o = &report.overview;
    out.push_str("<section id=\"corpus\">\n<h2>Corpus</h2>\n<div class=\"cards\">\n");
    for (n, one, many) in [
        (o.interviews, "interview", "interviews"),
        (o.participants, "participant", "participants"),
        (
            o.segments,
            "segment (speaker turn)",
            "segments (speaker turns)",
        ),
        (o.words, "word", "words"),
    ] {
        w!(
            out,
            "<div class=\"card\"><span class=\"num\">{}</span><span class=\"what\">{}</span></div>\n",
            thousands(n),
            plural(n, one, many)
        );
    }
    out.push_str("</div>\n<div class=\"grid\">\n");
    for (i, d) in o.distributions.iter().enumerate() {
        let name = if d.name == "language" {
            "language (detected)".to_owned()
        } else {
            d.name.clone()
        };
        let title = format!("Interviews by {name}");
        let desc = d
            .values
            .iter()
            .map(|(v, n)| format!("{v}: {n}"))
            .collect::<Vec<_>>()
            .join("; ");
        let id = format!("dist-{i}");
        w!(
            out,
            "<figure class=\"chart\">\n<figcaption><b>{}</b></figcaption>\n<div class=\"plot\">{}</div>\n",
            Esc(&title),
            svg::bars(&id, &title, &desc, &d.values),
        );
        w!(
            out,
            "<details class=\"data\"><summary>Table</summary><table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"n\">Interviews</th></tr></thead><tbody>\n",
            Esc(&name)
        );
        for (v, n) in &d.values {
            w!(
                out,
                "<tr><td>{}</td><td class=\"n\">{n}</td></tr>\n",
                Esc(v)
            );
        }
        out.push_str("</tbody></table></details>\n</figure>\n");
    }
    out.push_str("</div>\n</section>\n");
}

fn themes(out: &mut String, report: &Report) {
    let n = report.about.coded_interviews;
    let mut sorted: Vec<&Theme> = report.themes.iter().collect();
    sorted.sort_by(|a, b| {
        b.segments
            .cmp(&a.segments)
            .then_with(|| b.interviews.cmp(&a.interviews))
    });
    let title = "Coded segments and interviews per theme";
    let desc = sorted
        .iter()
        .map(|t| {
            format!(
                "{}: {} segments in {} of {n} interviews",
                t.label, t.segments, t.interviews
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    w!(
        out,
        "<section id=\"themes\" class=\"whole\">\n<h2>Themes</h2>\n<p class=\"lead\">Segments (speaker turns) coded with each theme or one of its \
         sub-codes, and the interviews with at least one, most coded first.</p>\n\
         <figure class=\"chart\">\n<figcaption><b>{title}</b></figcaption>\n<div class=\"plot\">{}</div>\n",
        svg::theme_bars("themes-chart", title, &desc, &sorted, n),
    );
    out.push_str(
        "<details class=\"data\"><summary>Table</summary><table><thead><tr><th scope=\"col\">Theme</th><th scope=\"col\">Code</th>\
         <th scope=\"col\" class=\"n\">Segments</th><th scope=\"col\" class=\"n\">Interviews</th><th scope=\"col\" class=\"n\">Share of interviews</th></tr></thead><tbody>\n",
    );
    for t in &sorted {
        w!(
            out,
            "<tr><td><span class=\"swatch\" style=\"--c:{}\"></span>{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            Esc(&t.color),
            Esc(&t.label),
            Esc(&t.id),
            thousands(t.segments),
            t.interviews,
            percent(t.interviews, n),
        );
    }
    out.push_str("</tbody></table></details>\n</figure>\n</section>\n");
}

fn crosstab(out: &mut String, report: &Report, table: &Crosstab, i: usize) {
    let heading = format!("Themes by {}", table.attribute);
    let title = format!("Interviews with each theme, by {}", table.attribute);
    let desc = format!(
        "For each theme and each value of {}: interviews with the theme out of the interviews with the value, and coded segments",
        table.attribute
    );
    w!(
        out,
        "<section id=\"by-{i}\" class=\"whole\">\n<h2>{}</h2>\n<p class=\"lead\">How many of the interviews with each value of <b>{}</b> have the theme \
         (the colour's strength is that share), and how many segments are coded with it.</p>\n\
         <figure class=\"chart\">\n<figcaption><b>{}</b></figcaption>\n<div class=\"plot\">{}</div>\n",
        Esc(&heading),
        Esc(&table.attribute),
        Esc(&title),
        svg::heatmap(
            &format!("by-{i}-chart"),
            &title,
            &desc,
            table,
            &report.themes
        ),
    );
    out.push_str("<details class=\"data\"><summary>Table</summary><table><thead><tr><th scope=\"col\">Theme</th>");
    for c in &table.columns {
        w!(
            out,
            "<th scope=\"col\" class=\"n\">{} (n = {})</th>",
            Esc(&c.label),
            c.interviews
        );
    }
    out.push_str("</tr></thead><tbody>\n");
    for (theme, row) in report.themes.iter().zip(&table.cells) {
        w!(out, "<tr><th scope=\"row\">{}</th>", Esc(&theme.label));
        for (cell, col) in row.iter().zip(&table.columns) {
            w!(
                out,
                "<td class=\"n\">{}/{} interviews, {} segments</td>",
                cell.interviews,
                col.interviews,
                thousands(cell.segments)
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></details>\n</figure>\n</section>\n");
}

fn cooccurrence(out: &mut String, report: &Report) {
    let title = "Themes coded in the same segment";
    let desc = "For each pair of themes, the number of segments coded with both; on the diagonal, each theme's coded segments";
    w!(
        out,
        "<section id=\"cooccurrence\" class=\"whole\">\n<h2>Co-occurrence</h2>\n<p class=\"lead\">Segments coded with both the row's and the column's \
         theme (darker: more); on the diagonal, in grey, each theme's own coded segments. Themes that often meet in one turn are \
         told together.</p>\n<figure class=\"chart\">\n<figcaption><b>{title}</b></figcaption>\n<div class=\"plot\">{}</div>\n",
        svg::cooccurrence(
            "cooccurrence-chart",
            title,
            desc,
            &report.themes,
            &report.cooccurrence
        ),
    );
    out.push_str("<details class=\"data\"><summary>Table</summary><table><thead><tr><th scope=\"col\">Theme</th>");
    for t in &report.themes {
        w!(
            out,
            "<th scope=\"col\" class=\"n\"><code>{}</code></th>",
            Esc(&t.id)
        );
    }
    out.push_str("</tr></thead><tbody>\n");
    for (t, row) in report.themes.iter().zip(&report.cooccurrence) {
        w!(out, "<tr><th scope=\"row\">{}</th>", Esc(&t.label));
        for v in row {
            w!(out, "<td class=\"n\">{}</td>", thousands(*v));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></details>\n</figure>\n</section>\n");
}

fn excerpts(out: &mut String, report: &Report) {
    out.push_str(
        "<section id=\"excerpts\">\n<h2>Excerpts</h2>\n<p class=\"lead\">For each theme, its sub-codes and some of its coded \
         excerpts: those where the rules matched the most different words, from as many interviews as possible. \
         The matched words are highlighted.</p>\n",
    );
    let n = report.about.coded_interviews;
    for (i, t) in report.themes.iter().enumerate() {
        w!(
            out,
            "<article class=\"theme\" id=\"theme-{i}\" style=\"--c:{};--t:{}\">\n<h3><span class=\"swatch\"></span>{}</h3>\n\
             <p class=\"facts\"><code>{}</code> · {} coded {} in {} of {n} interviews</p>\n",
            Esc(&t.color),
            Esc(&svg::tint(&t.color, 0.25)),
            Esc(&t.label),
            Esc(&t.id),
            thousands(t.segments),
            plural(t.segments, "segment", "segments"),
            t.interviews,
        );
        if let Some(d) = &t.definition {
            w!(out, "<p class=\"definition\">{}</p>\n", Esc(d));
        }
        if !t.subcodes.is_empty() {
            out.push_str(
                "<table class=\"sub\"><thead><tr><th scope=\"col\">Sub-code</th><th scope=\"col\" class=\"n\">Segments</th>\
                 <th scope=\"col\" class=\"n\">Interviews</th></tr></thead><tbody>\n",
            );
            for s in &t.subcodes {
                w!(
                    out,
                    "<tr style=\"--depth:{}\"><td>{} <code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                    s.depth,
                    Esc(&s.label),
                    Esc(&s.id),
                    thousands(s.segments),
                    s.interviews,
                );
            }
            out.push_str("</tbody></table>\n");
        }
        if t.excerpts.is_empty() {
            out.push_str("<p class=\"note\">No excerpts.</p>\n");
        } else {
            out.push_str("<ol class=\"excerpts\">\n");
            for e in &t.excerpts {
                excerpt(out, e);
            }
            out.push_str("</ol>\n");
        }
        out.push_str("</article>\n");
    }
    out.push_str("</section>\n");
}

fn excerpt(out: &mut String, e: &Excerpt) {
    w!(
        out,
        "<li><blockquote lang=\"{}\"><p>“{}”</p></blockquote>\n<p class=\"cite\">",
        Esc(&e.language),
        marked(&e.text, &e.marks)
    );
    if let Some(who) = &e.speaker {
        w!(out, "<span class=\"who\">{}</span>", Esc(who));
        if let Some(role) = e.role {
            w!(out, " ({})", role.as_str());
        }
        out.push_str(" · ");
    }
    w!(out, "<code>{}</code>", Esc(&e.segment));
    if !e.attributes.is_empty() {
        out.push_str(" · ");
        let attrs: Vec<String> = e
            .attributes
            .iter()
            .map(|(k, v)| format!("{}: {}", Esc(k), Esc(v)))
            .collect();
        out.push_str(&attrs.join(", "));
    }
    out.push_str("<br>");
    if e.rules.is_empty() {
        w!(out, "coded by {}", Esc(&e.coder));
    } else {
        w!(out, "{} ", plural(e.rules.len(), "rule", "rules"));
        let rules: Vec<String> = e
            .rules
            .iter()
            .map(|r| format!("<code>{}</code>", Esc(r)))
            .collect();
        out.push_str(&rules.join(" "));
    }
    let codes: Vec<String> = e
        .codes
        .iter()
        .map(|c| format!("<code>{}</code>", Esc(c)))
        .collect();
    w!(
        out,
        " · {} {}</p></li>\n",
        plural(e.codes.len(), "code", "codes"),
        codes.join(" ")
    );
}

/// `text` escaped, with the character spans `marks` in `<mark>`.
fn marked(text: &str, marks: &[(usize, usize)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    for &(a, b) in marks {
        let (a, b) = (a.clamp(at, chars.len()), b.min(chars.len()));
        if a >= b {
            continue;
        }
        let before: String = chars[at..a].iter().collect();
        let inside: String = chars[a..b].iter().collect();
        w!(out, "{}<mark>{}</mark>", Esc(&before), Esc(&inside));
        at = b;
    }
    let rest: String = chars[at.min(chars.len())..].iter().collect();
    w!(out, "{}", Esc(&rest));
    out
}

fn footer(out: &mut String, report: &Report) {
    w!(
        out,
        "<footer>\n<p>Counts: a segment is a speaker turn; a segment coded with a sub-code counts for its theme; interviews and \
         segments are those of the interviews coded. The same numbers come from <code>voces themes --by ATTR</code>, \
         <code>voces themes --unit interview</code> and <code>voces themes --cooccur</code>.</p>\n\
         <p>Made by {} from the project’s store, offline. This file loads nothing from the network.</p>\n</footer>\n",
        Esc(&report.about.generator)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            Esc("<script>alert(1)</script>").to_string(),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            Esc("\"><img src=x onerror='a&b'>").to_string(),
            "&quot;&gt;&lt;img src=x onerror=&#39;a&amp;b&#39;&gt;"
        );
        assert_eq!(Esc("a\u{0}b\tc\nñ").to_string(), "a\u{fffd}b\tc\nñ");
    }

    #[test]
    fn marks_wrap_escaped_text() {
        assert_eq!(
            marked("el <coyote> cobró", &[(4, 10)]),
            "el &lt;<mark>coyote</mark>&gt; cobró"
        );
        assert_eq!(marked("año", &[(1, 2), (1, 2), (5, 9)]), "a<mark>ñ</mark>o");
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(percent(1, 0), "–");
    }
}
