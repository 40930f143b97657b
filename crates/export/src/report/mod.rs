//! The report: one self-contained HTML file with charts, for sending
//! around.
//!
//! [`Report::build`] reads the corpus store and one coder's codings and
//! counts what the report shows: the corpus overview (interviews, segments,
//! words and participants; interviews per attribute value and language),
//! each theme's coded segments and interviews, themes crossed with
//! attribute values, theme co-occurrence in segments, and each theme's top
//! excerpts with the rule that coded them. Counting goes through
//! [`voces_code::tally`], the same code `voces themes` uses, so the report
//! and the command line agree. [`Report::html`] renders it (`html.rs`,
//! charts as inline SVG in `svg.rs`):
//!
//! - **Self-contained and offline**: CSS inline, charts inline SVG, no
//!   script, font, image or link to fetch; a Content-Security-Policy
//!   forbids any.
//! - **Escaped**: every text from the corpus, the attribute sheets, the
//!   codebook and the codings goes through one escaping function.
//! - **Accessible and printable**: every chart has a title, a description
//!   and its data as a table; cells and bars carry their numbers.
//! - **Deterministic**: the same project gives the same bytes (no date).

mod html;
mod svg;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use voces_code::coding::CoderCodings;
use voces_code::tally::{
    Columns, Counted, code_order, cooccurrence, units_per_code, with_ancestors,
};
use voces_code::{AUTO_CODER, Codebook, Coding};
use voces_corpus::{Interview, InterviewHead, Project, Role, write_atomic};
use voces_redact::{RedactedInterview, Redactor};

use crate::Result;

/// Longest excerpt shown whole, in characters; longer ones are cut around
/// their matches.
pub const MAX_EXCERPT_CHARS: usize = 600;

/// Colours for themes the codebook gives none (Tableau 10).
const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// What to put in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The report's title (default: the project's name).
    pub title: Option<String>,
    /// One theme × attribute table per entry; an entry of several
    /// attributes crosses them (`["country", "group"]`).
    pub by: Vec<Vec<String>>,
    /// Excerpts shown per theme.
    pub excerpts: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            title: None,
            by: vec![vec!["group".to_owned()], vec!["country".to_owned()]],
            excerpts: 5,
        }
    }
}

/// A report's content, counted; [`Report::html`] renders it.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Title.
    pub title: String,
    /// Where the numbers come from.
    pub about: About,
    /// The corpus.
    pub overview: Overview,
    /// Themes (top-level codes) in codebook order.
    pub themes: Vec<Theme>,
    /// Themes crossed with attribute values, one per [`Options::by`] entry.
    pub crosstabs: Vec<Crosstab>,
    /// `cooccurrence[a][b]`: segments coded with theme `a` that are also
    /// coded with theme `b`; the diagonal is `a`'s coded segments.
    pub cooccurrence: Vec<Vec<usize>>,
}

/// Where a report's numbers come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct About {
    /// The project's name.
    pub project: String,
    /// `auto` or a manual coder.
    pub coder: String,
    /// The codebook's name, version and hash.
    pub codebook: Option<(String, String, String)>,
    /// Interviews the coder coded.
    pub coded_interviews: usize,
    /// Codings counted.
    pub codings: usize,
    /// `voces VERSION`.
    pub generator: String,
}

/// The corpus in numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// Interviews stored.
    pub interviews: usize,
    /// Participants: attribute-sheet rows joined to an interview, and
    /// interviews without one.
    pub participants: usize,
    /// Segments (speaker turns).
    pub segments: usize,
    /// Words.
    pub words: usize,
    /// Interviews per value of each attribute of [`Options::by`], then per
    /// detected language.
    pub distributions: Vec<Distribution>,
}

/// Interviews per value of an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// The attribute (`language` for the detected language).
    pub name: String,
    /// Values and their interviews, most first, then by value.
    pub values: Vec<(String, usize)>,
}

/// A theme and what it coded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Code id.
    pub id: String,
    /// Label in the codebook's first language (else the id).
    pub label: String,
    /// `#rrggbb`: the codebook's, else one of a fixed palette.
    pub color: String,
    /// The codebook's definition, in the label's language.
    pub definition: Option<String>,
    /// Segments coded with the theme or one of its sub-codes.
    pub segments: usize,
    /// Interviews with such a segment.
    pub interviews: usize,
    /// Its sub-codes, depth-first in codebook order.
    pub subcodes: Vec<SubCode>,
    /// Top excerpts.
    pub excerpts: Vec<Excerpt>,
}

/// A sub-code of a theme and what it coded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubCode {
    /// Code id.
    pub id: String,
    /// Label.
    pub label: String,
    /// 1 for a child of the theme, 2 for a grandchild...
    pub depth: usize,
    /// Segments coded with it or its sub-codes.
    pub segments: usize,
    /// Interviews with such a segment.
    pub interviews: usize,
}

/// Themes crossed with the values of one or more attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crosstab {
    /// The attributes, joined by ` × `.
    pub attribute: String,
    /// One column per value (values of crossed attributes joined by ` / `).
    pub columns: Vec<Column>,
    /// `cells[theme][column]`.
    pub cells: Vec<Vec<Cell>>,
}

/// A value of a crosstab and how much of the corpus has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The value, or `(none)`.
    pub label: String,
    /// Coded interviews with the value.
    pub interviews: usize,
    /// Their segments.
    pub segments: usize,
}

/// A theme in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cell {
    /// Coded segments.
    pub segments: usize,
    /// Interviews with a coded segment.
    pub interviews: usize,
}

/// A coded excerpt shown under its theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// Interview id.
    pub interview: String,
    /// Segment id.
    pub segment: String,
    /// The speaker's name or label.
    pub speaker: Option<String>,
    /// The speaker's role.
    pub role: Option<Role>,
    /// The interview's attributes (sheet rows joined), those of
    /// [`Options::by`] first.
    pub attributes: Vec<(String, String)>,
    /// The segment's language.
    pub language: String,
    /// The text shown: the coded span, cut around its matches when longer
    /// than [`MAX_EXCERPT_CHARS`] (an ellipsis marks a cut).
    pub text: String,
    /// Character spans of `text` to highlight: the words the rules matched.
    pub marks: Vec<(usize, usize)>,
    /// Codes of the span under this theme (the theme or its sub-codes).
    pub codes: Vec<String>,
    /// The rules that coded it (auto-coding).
    pub rules: Vec<String>,
    /// Who coded it.
    pub coder: String,
}

impl Report {
    /// Counts a report of `codings` (one coder's) on the project's corpus.
    /// Unknown attributes in [`Options::by`] are a user error listing the
    /// known ones.
    ///
    /// With a `redactor`, every text from the corpus (quotes, speakers,
    /// ids, attribute values, the title) is pseudonymized; quotes are cut
    /// from the redacted interview, so a name at a quote's edge is replaced
    /// whole.
    pub fn build(
        project: &Project,
        codings: &CoderCodings,
        codebook: Option<&Codebook>,
        options: &Options,
        redactor: Option<&Redactor>,
    ) -> Result<Report> {
        let store = project.store();
        let all_heads = store.heads()?;
        let attributes = store.attributes()?;
        let lang = codebook
            .and_then(|b| b.languages.first())
            .map_or("en", String::as_str);

        let mut overview = overview(&all_heads, &attributes, options)?;

        // The coder's interviews, and codings of those still stored.
        let heads: Vec<InterviewHead> = all_heads
            .into_iter()
            .filter(|h| codings.interviews.contains(&h.id))
            .collect();
        let stored: BTreeSet<&str> = heads.iter().map(|h| h.id.as_str()).collect();
        let coded: Vec<Coding> = codings
            .codings
            .iter()
            .filter(|c| stored.contains(c.interview.as_str()))
            .cloned()
            .collect();

        let segments = units_per_code(&coded, codebook, |c| Some(c.segment.clone()));
        let interviews = units_per_code(&coded, codebook, |c| Some(c.interview.clone()));
        let order = code_order(codebook, segments.keys().map(String::as_str));
        let count = |code: &str| {
            (
                segments.get(code).map_or(0, BTreeSet::len),
                interviews.get(code).map_or(0, BTreeSet::len),
            )
        };

        let mut themes: Vec<Theme> = Vec::new();
        for (code, depth) in &order {
            let found = codebook.and_then(|b| b.code(code));
            let label = found.map_or_else(|| code.clone(), |c| c.label(lang).to_owned());
            let (n_segments, n_interviews) = count(code);
            if *depth == 0 {
                let color = found
                    .and_then(|c| c.color.clone())
                    .filter(|c| is_hex_color(c))
                    .unwrap_or_else(|| PALETTE[themes.len() % PALETTE.len()].to_owned());
                themes.push(Theme {
                    id: code.clone(),
                    label,
                    color,
                    definition: found.and_then(|c| {
                        c.definition
                            .get(lang)
                            .or_else(|| c.definition.values().next())
                            .cloned()
                    }),
                    segments: n_segments,
                    interviews: n_interviews,
                    subcodes: Vec::new(),
                    excerpts: Vec::new(),
                });
            } else if let Some(theme) = themes.last_mut() {
                theme.subcodes.push(SubCode {
                    id: code.clone(),
                    label,
                    depth: *depth,
                    segments: n_segments,
                    interviews: n_interviews,
                });
            }
        }
        let theme_index: BTreeMap<&str, usize> = themes
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();

        let mut crosstabs = Vec::new();
        for by in &options.by {
            crosstabs.push(crosstab(
                &heads,
                &attributes,
                by,
                &themes,
                &segments,
                &interviews,
            )?);
        }

        let pairs = cooccurrence(&coded, codebook, 0);
        let cooccurrence: Vec<Vec<usize>> = themes
            .iter()
            .map(|a| {
                themes
                    .iter()
                    .map(|b| {
                        pairs
                            .get(&(a.id.clone(), b.id.clone()))
                            .copied()
                            .unwrap_or(0)
                    })
                    .collect()
            })
            .collect();

        // Excerpts, theme by theme.
        let mut per_theme: Vec<Vec<&Coding>> = vec![Vec::new(); themes.len()];
        for c in &coded {
            let theme = with_ancestors(codebook, &c.code).pop().unwrap_or_default();
            if let Some(&i) = theme_index.get(theme.as_str()) {
                per_theme[i].push(c);
            }
        }
        let by_first: Vec<&String> = options.by.iter().flatten().collect();
        let mut loaded: BTreeMap<String, (Interview, Option<RedactedInterview>)> = BTreeMap::new();
        for (theme, codings) in themes.iter_mut().zip(per_theme) {
            for mut pick in top_excerpts(&codings, options.excerpts) {
                if !loaded.contains_key(&pick.interview) {
                    let interview = store.interview(&pick.interview)?;
                    let redacted = redactor.map(|r| r.interview(&interview));
                    loaded.insert(pick.interview.clone(), (interview, redacted));
                }
                let (interview, redacted) = &loaded[&pick.interview];
                let mut merged = attributes.merged(
                    &interview.id,
                    &interview.source.file_name,
                    &interview.attributes,
                );
                let shown = match (redactor, redacted) {
                    (Some(r), Some(ri)) => {
                        pick.quote = ri.quote(pick.start, pick.end).to_owned();
                        pick.matched = pick.matched.iter().map(|m| r.redact_value(m)).collect();
                        pick.interview = r.redact_id(&pick.interview);
                        pick.segment = r.redact_id(&pick.segment);
                        merged = r.redact_attributes(&merged);
                        &ri.interview
                    }
                    _ => interview,
                };
                theme
                    .excerpts
                    .push(excerpt(&pick, shown, &merged, &by_first));
            }
        }

        let mut title = options
            .title
            .clone()
            .unwrap_or_else(|| default_title(project));
        if let Some(r) = redactor {
            title = r.redact_value(&title);
            for d in &mut overview.distributions {
                for (value, _) in &mut d.values {
                    *value = r.redact_value(value);
                }
            }
            for t in &mut crosstabs {
                for c in &mut t.columns {
                    c.label = r.redact_value(&c.label);
                }
            }
        }

        Ok(Report {
            title,
            about: About {
                project: project.config().project.name.clone(),
                coder: codings.coder.clone(),
                codebook: codebook.map(|b| (b.name.clone(), b.version.clone(), b.hash())),
                coded_interviews: heads.len(),
                codings: coded.len(),
                generator: format!("voces {}", env!("CARGO_PKG_VERSION")),
            },
            overview,
            themes,
            crosstabs,
            cooccurrence,
        })
    }

    /// The report as one HTML document.
    pub fn html(&self) -> String {
        html::render(self)
    }

    /// Writes [`Report::html`] to `path` atomically; returns its size in
    /// bytes.
    pub fn write(&self, path: &Path) -> Result<usize> {
        let html = self.html();
        write_atomic(path, html.as_bytes())?;
        Ok(html.len())
    }
}

fn default_title(project: &Project) -> String {
    let name = project.config().project.name.trim();
    if name.is_empty() {
        "Coded interviews".to_owned()
    } else {
        name.to_owned()
    }
}

/// `#rrggbb`: the only colour text that reaches the HTML.
fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

fn overview(
    heads: &[InterviewHead],
    attributes: &voces_corpus::Attributes,
    options: &Options,
) -> Result<Overview> {
    let everyone = Columns::new(heads, attributes, &[])?;
    let participants: BTreeSet<&str> = heads.iter().map(|h| everyone.participant(&h.id)).collect();
    let mut distributions = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for name in options.by.iter().flatten() {
        if !seen.insert(name.as_str()) {
            continue;
        }
        let columns = Columns::new(heads, attributes, std::slice::from_ref(name))?;
        let counts = columns.universe(heads, Counted::Interview);
        distributions.push(distribution(
            name,
            columns.labels.iter().cloned().zip(counts),
        ));
    }
    let mut languages: BTreeMap<String, usize> = BTreeMap::new();
    for h in heads {
        let lang = if h.mixed_language && h.languages.len() > 1 {
            h.languages.join("+")
        } else {
            h.language.clone()
        };
        *languages.entry(lang).or_default() += 1;
    }
    distributions.push(distribution("language", languages));
    Ok(Overview {
        interviews: heads.len(),
        participants: participants.len(),
        segments: heads.iter().map(|h| h.stats.segments).sum(),
        words: heads.iter().map(|h| h.stats.words).sum(),
        distributions,
    })
}

fn distribution(name: &str, values: impl IntoIterator<Item = (String, usize)>) -> Distribution {
    let mut values: Vec<(String, usize)> = values.into_iter().filter(|(_, n)| *n > 0).collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Distribution {
        name: name.to_owned(),
        values,
    }
}

fn crosstab(
    heads: &[InterviewHead],
    attributes: &voces_corpus::Attributes,
    by: &[String],
    themes: &[Theme],
    segments: &BTreeMap<String, BTreeSet<String>>,
    interviews: &BTreeMap<String, BTreeSet<String>>,
) -> Result<Crosstab> {
    let columns = Columns::new(heads, attributes, by)?;
    let n_interviews = columns.universe(heads, Counted::Interview);
    let n_segments = columns.universe(heads, Counted::Segment);
    let cells = themes
        .iter()
        .map(|t| {
            let s = columns.count(segments.get(&t.id).into_iter().flatten(), Counted::Segment);
            let i = columns.count(
                interviews.get(&t.id).into_iter().flatten(),
                Counted::Interview,
            );
            s.into_iter()
                .zip(i)
                .map(|(segments, interviews)| Cell {
                    segments,
                    interviews,
                })
                .collect()
        })
        .collect();
    Ok(Crosstab {
        attribute: by.join(" × "),
        columns: columns
            .labels
            .iter()
            .zip(n_interviews.iter().zip(&n_segments))
            .map(|(label, (&interviews, &segments))| Column {
                label: label.clone(),
                interviews,
                segments,
            })
            .collect(),
        cells,
    })
}

/// One span of text coded under a theme, with every coding of it there.
#[derive(Debug, Clone)]
struct Pick {
    interview: String,
    segment: String,
    start: usize,
    end: usize,
    quote: String,
    codes: BTreeSet<String>,
    rules: BTreeSet<String>,
    coders: BTreeSet<String>,
    matched: Vec<String>,
}

/// The `n` excerpts of a theme to show: spans coded with it (codings of
/// the same span merged), those matching more distinct words first, then
/// longer ones (up to 300 characters), then in corpus order; one per
/// interview before a second from any.
fn top_excerpts(codings: &[&Coding], n: usize) -> Vec<Pick> {
    let mut spans: BTreeMap<(&str, usize, usize), Pick> = BTreeMap::new();
    for c in codings {
        let pick = spans
            .entry((c.interview.as_str(), c.start, c.end))
            .or_insert_with(|| Pick {
                interview: c.interview.clone(),
                segment: c.segment.clone(),
                start: c.start,
                end: c.end,
                quote: c.quote.clone(),
                codes: BTreeSet::new(),
                rules: BTreeSet::new(),
                coders: BTreeSet::new(),
                matched: Vec::new(),
            });
        pick.codes.insert(c.code.clone());
        pick.rules.extend(c.rule.iter().cloned());
        pick.coders.insert(c.coder.clone());
        for m in &c.matched {
            if !pick.matched.contains(m) {
                pick.matched.push(m.clone());
            }
        }
    }
    let mut ranked: Vec<Pick> = spans.into_values().collect();
    ranked.sort_by_cached_key(|p| {
        let distinct: BTreeSet<String> = p.matched.iter().map(|m| m.to_lowercase()).collect();
        (
            std::cmp::Reverse(distinct.len()),
            std::cmp::Reverse(p.quote.chars().count().min(300)),
            p.interview.clone(),
            p.start,
        )
    });
    let mut chosen: Vec<Pick> = Vec::new();
    let mut rest: Vec<Pick> = Vec::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for p in ranked {
        if chosen.len() < n && used.insert(p.interview.clone()) {
            chosen.push(p);
        } else {
            rest.push(p);
        }
    }
    chosen.extend(rest.into_iter().take(n.saturating_sub(chosen.len())));
    chosen
}

fn excerpt(
    pick: &Pick,
    interview: &Interview,
    attributes: &BTreeMap<String, voces_corpus::AttrValue>,
    by: &[&String],
) -> Excerpt {
    let segment = interview.segments.iter().find(|s| s.id == pick.segment);
    let speaker = segment.and_then(|s| {
        let label = s.speaker.as_deref()?;
        let found = interview.speakers.iter().find(|sp| sp.label == label);
        Some(
            found
                .and_then(|sp| sp.name.clone())
                .unwrap_or_else(|| label.to_owned()),
        )
    });
    let mut attrs: Vec<(String, String)> = Vec::new();
    for name in by {
        if let Some((k, v)) = attributes
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            && !attrs.iter().any(|(a, _)| a == k)
        {
            attrs.push((k.clone(), v.to_text()));
        }
    }
    for (k, v) in attributes {
        if !attrs.iter().any(|(a, _)| a == k) {
            attrs.push((k.clone(), v.to_text()));
        }
    }
    let marks = find_marks(&pick.quote, &pick.matched);
    let (text, marks) = clip(&pick.quote, &marks, MAX_EXCERPT_CHARS);
    Excerpt {
        interview: pick.interview.clone(),
        segment: pick.segment.clone(),
        speaker,
        role: segment.map(|s| s.role),
        attributes: attrs,
        language: segment.map_or_else(|| interview.language.clone(), |s| s.language.clone()),
        text,
        marks,
        codes: pick.codes.iter().cloned().collect(),
        rules: pick.rules.iter().cloned().collect(),
        coder: pick
            .coders
            .iter()
            .map(|c| {
                if c == AUTO_CODER {
                    "auto-coding"
                } else {
                    c.as_str()
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Character spans of `text` where the matched words occur, as whole words
/// when they occur so (else anywhere), sorted and merged.
pub(crate) fn find_marks(text: &str, matched: &[String]) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for m in matched {
        let needle: Vec<char> = m.chars().collect();
        if needle.is_empty() || needle.len() > chars.len() {
            continue;
        }
        let found: Vec<usize> = (0..=chars.len() - needle.len())
            .filter(|&i| chars[i..i + needle.len()] == needle[..])
            .collect();
        let word = |&i: &usize| {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + needle.len());
            !before.is_some_and(char::is_alphanumeric)
                && !after.is_some_and(|c| c.is_alphanumeric())
        };
        let whole: Vec<usize> = found.iter().copied().filter(word).collect();
        let keep = if whole.is_empty() { found } else { whole };
        spans.extend(keep.into_iter().map(|i| (i, i + needle.len())));
    }
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in spans {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// `text` cut to about `max` characters around its first mark, at spaces,
/// with `…` where it was cut; the marks moved along (those cut off dropped,
/// those cut through shortened).
pub(crate) fn clip(
    text: &str,
    marks: &[(usize, usize)],
    max: usize,
) -> (String, Vec<(usize, usize)>) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return (text.to_owned(), marks.to_vec());
    }
    let first = marks.first().map_or(0, |m| m.0);
    let mut start = first.saturating_sub(max / 4);
    let mut end = (start + max).min(chars.len());
    start = end.saturating_sub(max).min(start);
    // Move to word boundaries: the start after a space, the end before one.
    if start > 0
        && let Some(sp) = (start..first.max(start)).find(|&i| chars[i].is_whitespace())
    {
        start = sp + 1;
    }
    if end < chars.len()
        && let Some(sp) = (start..end).rev().find(|&i| chars[i].is_whitespace())
        && sp > start
    {
        end = sp;
    }
    let mut out = String::new();
    let mut offset = 0usize;
    if start > 0 {
        out.push_str("… ");
        offset = 2;
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push_str(" …");
    }
    let moved = marks
        .iter()
        .filter(|(a, b)| *b > start && *a < end)
        .map(|(a, b)| {
            (
                (*a).max(start) - start + offset,
                (*b).min(end) - start + offset,
            )
        })
        .collect();
    (out, moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_prefer_whole_words_and_merge() {
        let marks = find_marks(
            "Coyotes? The coyote took the coyote money.",
            &["coyote".into(), "coyote money".into()],
        );
        assert_eq!(marks, [(13, 19), (29, 41)]);
        // Only inside a word: that occurrence is kept.
        assert_eq!(find_marks("Coyotes", &["oyote".into()]), [(1, 6)]);
        assert_eq!(find_marks("año", &["ñ".into(), String::new()]), [(1, 2)]);
    }

    #[test]
    fn long_text_is_cut_around_the_first_mark() {
        let text = format!("{} coyote {}", "word ".repeat(100), "tail ".repeat(100));
        let marks = find_marks(&text, &["coyote".into()]);
        let (clipped, moved) = clip(&text, &marks, 100);
        assert!(clipped.starts_with("… word"), "{clipped}");
        assert!(clipped.ends_with("tail …"), "{clipped}");
        assert!(clipped.chars().count() <= 106);
        let chars: Vec<char> = clipped.chars().collect();
        let (a, b) = moved[0];
        assert_eq!(chars[a..b].iter().collect::<String>(), "coyote");
        let (same, kept) = clip("short", &[(0, 5)], 100);
        assert_eq!((same.as_str(), kept), ("short", vec![(0, 5)]));
    }

    #[test]
    fn excerpts_spread_over_interviews() {
        let coding = |interview: &str, start: usize, matched: &[&str]| Coding {
            interview: interview.into(),
            segment: format!("{interview}#1"),
            start,
            end: start + 10,
            code: "t".into(),
            coder: "auto".into(),
            rule: Some("t/en/x".into()),
            codebook: None,
            matched: matched.iter().map(|m| (*m).to_owned()).collect(),
            quote: "0123456789".into(),
        };
        let all = [
            coding("a", 0, &["x", "y"]),
            coding("a", 20, &["x", "y", "z"]),
            coding("b", 0, &["x"]),
            coding("c", 0, &["x"]),
            coding("a", 20, &["w"]),
        ];
        let refs: Vec<&Coding> = all.iter().collect();
        let picks = top_excerpts(&refs, 3);
        let got: Vec<(&str, usize)> = picks
            .iter()
            .map(|p| (p.interview.as_str(), p.start))
            .collect();
        assert_eq!(got, [("a", 20), ("b", 0), ("c", 0)]);
        assert_eq!(picks[0].matched, ["x", "y", "z", "w"]);
        let picks = top_excerpts(&refs, 4);
        assert_eq!(picks[3].start, 0);
        assert_eq!(picks[3].interview, "a");
        assert!(top_excerpts(&refs, 0).is_empty());
    }
}
