//! `voces search QUERY [--where ATTR=VALUE] [--by ATTR] [--context ...]`
//!
//! Keyword-in-context lines on stdout, one per matching segment, in
//! document order (or by BM25 with `--rank`); `--json` writes one hit per
//! line (schema: `corpus-schema/search-hit.schema.json`); `--count` and
//! `--by` count instead of listing. The index is brought up to date first.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::bail;
use serde::Serialize;
use voces_corpus::{Interview, Role, Store};
use voces_index::{FacetCount, Hit, Index, MatchSpan, Query, SearchOptions};

use crate::args::{Global, SearchArgs};
use crate::printer::Printer;
use crate::table::Table;

/// Query fields that `--where` and `--by` also accept, besides attributes.
const FIELDS: [&str; 4] = ["speaker", "role", "lang", "interview"];

/// Widest left context in keyword-in-context lines, in characters.
const MAX_LEFT: usize = 60;

/// How much text to show around a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// N words either side of the first match, aligned on it.
    Words(usize),
    /// The sentences holding a match.
    Sentence,
    /// The whole segment.
    Segment,
}

impl std::str::FromStr for Context {
    type Err = String;
    fn from_str(s: &str) -> Result<Context, String> {
        match s.trim().to_lowercase().as_str() {
            "sentence" | "sentences" => Ok(Context::Sentence),
            "segment" | "turn" => Ok(Context::Segment),
            other => other
                .trim_end_matches("-words")
                .trim_end_matches("words")
                .trim()
                .parse::<usize>()
                .map(Context::Words)
                .map_err(|_| {
                    format!("`{s}` is not a context: use sentence, segment or a number of words")
                }),
        }
    }
}

/// One line of `--json` output: a hit with its context.
#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(flatten)]
    hit: &'a Hit,
    /// The context shown, as a character span of `text`.
    context: MatchSpan,
}

/// One line of `--by ... --json`.
#[derive(Serialize)]
struct JsonFacet<'a> {
    by: &'a str,
    value: Option<&'a str>,
    hits: usize,
    interviews: usize,
    interviews_total: usize,
}

pub fn run(global: &Global, args: &SearchArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = super::open_project(global)?;
    let index = super::index::open_index(&project, printer)?;
    if index.num_segments() == 0 {
        bail!(
            "the index is empty: nothing has been ingested yet\nhint: voces ingest TRANSCRIPTS... then search again"
        );
    }
    let query = build_query(&args.query, &args.filters, args.exact, &index)?;
    let mut out = std::io::stdout().lock();
    if let Some(by) = &args.by {
        by_attribute(&index, &query, by, args.json, &mut out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let options = SearchOptions {
        limit: if args.count { 0 } else { args.limit },
        rank: args.rank,
        count_only: args.count,
    };
    let results = index.search(&query, &options)?;
    if args.count {
        if args.json {
            let line = serde_json::json!({
                "hits": results.total_hits,
                "interviews": results.total_interviews,
            });
            super::print_json_line(&mut out, &line)?;
        } else {
            writeln!(
                out,
                "{} segments in {} interviews",
                results.total_hits, results.total_interviews
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let store = project.store();
    let mut sentences = SentenceCache::new(&store);
    let contexts: Vec<MatchSpan> = results
        .hits
        .iter()
        .map(|h| context_span(h, args.context, &mut sentences))
        .collect();
    if args.json {
        for (hit, context) in results.hits.iter().zip(&contexts) {
            super::print_json_line(
                &mut out,
                &JsonHit {
                    hit,
                    context: *context,
                },
            )?;
        }
    } else {
        let color = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let text = render(&results.hits, &contexts, args.context, color);
        out.write_all(text.as_bytes())?;
    }
    out.flush()?;
    let shown = results.hits.len();
    let total = results.total_hits;
    if shown < total {
        printer.note(&format!(
            "{total} segments in {} interviews match; showing {shown} (--limit N for more, --count to count)",
            results.total_interviews
        ));
    } else {
        printer.note(&format!(
            "{total} segments in {} interviews",
            results.total_interviews
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// The query text plus `--where` filters: attributes become attribute
/// filters, query fields (`lang=en`) become `lang:"en"` clauses. The user's
/// text is parsed alone first so that a syntax error points into it.
fn build_query(
    text: &str,
    filters: &[String],
    exact: bool,
    index: &Index,
) -> anyhow::Result<Query> {
    let mut query = Query::parse(text)?;
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    let mut attributes: Vec<(String, String)> = Vec::new();
    for filter in filters {
        let (name, value) = parse_where(filter)?;
        let is_attribute = index.attribute_names().contains(&name);
        if FIELDS.contains(&name.as_str()) && !is_attribute {
            match fields.iter_mut().find(|(n, _)| *n == name) {
                Some((_, values)) => values.push(value),
                None => fields.push((name, vec![value])),
            }
        } else {
            attributes.push((name, value));
        }
    }
    if !fields.is_empty() {
        let mut full = if text.trim().is_empty() {
            String::new()
        } else {
            format!("({text})")
        };
        for (name, values) in &fields {
            let alternatives: Vec<String> = values
                .iter()
                .map(|v| format!("{name}:\"{}\"", v.replace('"', "")))
                .collect();
            let _ = write!(full, " ({})", alternatives.join(" OR "));
        }
        query = Query::parse(&full)?;
    }
    for (name, value) in attributes {
        query = query.attribute(name, value);
    }
    Ok(query.exact(exact))
}

/// One `--where ATTR=VALUE`: the name in lower case and the value, both
/// trimmed (`voces excerpts --where` reads it the same way).
pub fn parse_where(filter: &str) -> anyhow::Result<(String, String)> {
    let bad = || {
        anyhow::anyhow!(
            "--where {filter}: expected ATTRIBUTE=VALUE, such as --where country=Colombia"
        )
    };
    let (name, value) = filter.split_once('=').ok_or_else(bad)?;
    let (name, value) = (name.trim().to_lowercase(), value.trim().to_owned());
    if name.is_empty() || value.is_empty() {
        return Err(bad());
    }
    Ok((name, value))
}

/// `--by ATTR`: hits and interviews per value, with how many interviews
/// have that value at all.
fn by_attribute(
    index: &Index,
    query: &Query,
    by: &str,
    json: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let name = by.trim().to_lowercase();
    let is_attribute = index.attribute_names().contains(&name);
    let (counts, totals) = if !is_attribute && (name == "lang" || name == "role") {
        field_counts(index, query, &name)?
    } else {
        let counts = index.facet_counts(query, &name)?;
        let totals = index.facet_counts(&Query::all(), &name)?;
        (counts, totals)
    };
    let total_of = |value: &Option<String>| {
        totals
            .iter()
            .find(|t| t.value == *value)
            .map_or(0, |t| t.interviews)
    };
    if json {
        for c in &counts {
            super::print_json_line(
                out,
                &JsonFacet {
                    by: &name,
                    value: c.value.as_deref(),
                    hits: c.hits,
                    interviews: c.interviews,
                    interviews_total: total_of(&c.value),
                },
            )?;
        }
        return Ok(());
    }
    let mut table = Table::new([
        name.to_uppercase(),
        "HITS".into(),
        "INTERVIEWS".into(),
        "OF".into(),
    ]);
    for c in &counts {
        table.row(vec![
            c.label().to_owned(),
            c.hits.to_string(),
            c.interviews.to_string(),
            total_of(&c.value).to_string(),
        ]);
    }
    if counts.is_empty() {
        writeln!(out, "no segment matches")?;
    } else {
        out.write_all(table.render().as_bytes())?;
    }
    Ok(())
}

/// Per-value counts for the `lang` and `role` query fields, by one count
/// per value.
fn field_counts(
    index: &Index,
    query: &Query,
    field: &str,
) -> anyhow::Result<(Vec<FacetCount>, Vec<FacetCount>)> {
    let values: Vec<String> = if field == "lang" {
        index.languages().to_vec()
    } else {
        [Role::Interviewer, Role::Participant, Role::Other]
            .iter()
            .map(|r| r.as_str().to_owned())
            .collect()
    };
    let count_only = SearchOptions {
        limit: 0,
        rank: false,
        count_only: true,
    };
    let mut counts = Vec::new();
    let mut totals = Vec::new();
    for value in values {
        let narrow = |base: &str| -> anyhow::Result<Query> {
            let text = if base.trim().is_empty() {
                format!("{field}:{value}")
            } else {
                format!("({base}) {field}:{value}")
            };
            let mut q = Query::parse(&text)?.exact(query.is_exact());
            for (n, v) in query.filters() {
                q = q.attribute(n.clone(), v.clone());
            }
            Ok(q)
        };
        let hits = index.search(&narrow(query.text())?, &count_only)?;
        let all = index.search(&narrow("")?, &count_only)?;
        if hits.total_hits > 0 {
            counts.push(FacetCount {
                value: Some(value.clone()),
                hits: hits.total_hits,
                interviews: hits.total_interviews,
            });
        }
        totals.push(FacetCount {
            value: Some(value),
            hits: all.total_hits,
            interviews: all.total_interviews,
        });
    }
    counts.sort_by(|a, b| b.hits.cmp(&a.hits).then_with(|| a.value.cmp(&b.value)));
    Ok((counts, totals))
}

/// Sentence spans of interviews, loaded from the store once each.
struct SentenceCache<'a> {
    store: &'a Store,
    interviews: HashMap<String, Option<Interview>>,
}

impl<'a> SentenceCache<'a> {
    fn new(store: &'a Store) -> SentenceCache<'a> {
        SentenceCache {
            store,
            interviews: HashMap::new(),
        }
    }

    /// Sentence spans of a hit's segment, relative to its text.
    fn of(&mut self, hit: &Hit) -> Vec<MatchSpan> {
        let interview = self
            .interviews
            .entry(hit.interview.clone())
            .or_insert_with(|| self.store.interview(&hit.interview).ok());
        let Some(segment) = interview
            .as_ref()
            .and_then(|i| i.segments.iter().find(|s| s.id == hit.segment))
        else {
            return Vec::new();
        };
        segment
            .sentences
            .iter()
            .map(|s| MatchSpan {
                start: s.start.saturating_sub(segment.start),
                end: s.end.saturating_sub(segment.start),
            })
            .collect()
    }
}

/// The span of a hit's text to show.
fn context_span(hit: &Hit, context: Context, sentences: &mut SentenceCache<'_>) -> MatchSpan {
    let chars: Vec<char> = hit.text.chars().collect();
    let whole = MatchSpan {
        start: 0,
        end: chars.len(),
    };
    let Some(first) = hit.matches.first().copied() else {
        return whole;
    };
    match context {
        Context::Segment => whole,
        Context::Sentence => {
            let spans = sentences.of(hit);
            let holding: Vec<&MatchSpan> = spans
                .iter()
                .filter(|s| {
                    hit.matches
                        .iter()
                        .any(|m| m.start < s.end && m.end > s.start)
                })
                .collect();
            match (holding.first(), holding.last()) {
                (Some(a), Some(b)) => MatchSpan {
                    start: a.start,
                    end: b.end.min(chars.len()),
                },
                _ => whole,
            }
        }
        Context::Words(n) => {
            let last = hit
                .matches
                .iter()
                .map(|m| m.end)
                .filter(|&e| words_between(&chars, first.end, e) <= n)
                .max()
                .unwrap_or(first.end);
            MatchSpan {
                start: back_words(&chars, first.start, n),
                end: forward_words(&chars, last, n),
            }
        }
    }
}

/// Words (runs of non-space) in `chars[a..b]`.
fn words_between(chars: &[char], a: usize, b: usize) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in &chars[a.min(chars.len())..b.min(chars.len())] {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            n += 1;
        }
    }
    n
}

/// The start of the `n`-th word before `at`.
fn back_words(chars: &[char], at: usize, n: usize) -> usize {
    let mut i = at.min(chars.len());
    for _ in 0..n {
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        if i == 0 {
            break;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
    }
    i
}

/// The end of the `n`-th word after `at`.
fn forward_words(chars: &[char], at: usize, n: usize) -> usize {
    let mut i = at.min(chars.len());
    for _ in 0..n {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i == chars.len() {
            break;
        }
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
    }
    i
}

/// `chars[a..b]` with line breaks as spaces and the matches inside
/// highlighted (bold red) when `color`.
fn excerpt(chars: &[char], a: usize, b: usize, matches: &[MatchSpan], color: bool) -> String {
    let mut out = String::new();
    let mut i = a;
    while i < b {
        let next = matches.iter().find(|m| m.end > i && m.start < b);
        let (plain_end, hl) = match next {
            Some(m) if m.start <= i => (i, Some(m.end.min(b))),
            Some(m) => (m.start, None),
            None => (b, None),
        };
        if let Some(end) = hl {
            let word: String = flat(&chars[i..end]);
            if color {
                let _ = write!(out, "\x1b[1;31m{word}\x1b[0m");
            } else {
                out.push_str(&word);
            }
            i = end;
        } else {
            out.push_str(&flat(&chars[i..plain_end]));
            i = plain_end;
        }
    }
    out
}

fn flat(chars: &[char]) -> String {
    chars
        .iter()
        .map(|&c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn time(seconds: f64) -> String {
    let s = seconds.max(0.0) as u64;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// The listing: keyword-in-context lines aligned on the first match, or a
/// header and the text for sentence and segment contexts.
fn render(hits: &[Hit], contexts: &[MatchSpan], context: Context, color: bool) -> String {
    let speaker = |h: &Hit| h.speaker.clone().unwrap_or_else(|| "-".to_owned());
    let id_width = hits
        .iter()
        .map(|h| h.segment.chars().count())
        .max()
        .unwrap_or(0);
    let sp_width = hits
        .iter()
        .map(|h| speaker(h).chars().count())
        .max()
        .unwrap_or(0)
        .min(24);
    let dim = |s: &str| {
        if color {
            format!("\x1b[2m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    let mut out = String::new();
    match context {
        Context::Words(_) => {
            let lefts: Vec<String> = hits
                .iter()
                .zip(contexts)
                .map(|(h, c)| {
                    let chars: Vec<char> = h.text.chars().collect();
                    let first = h.matches.first().map_or(c.start, |m| m.start);
                    let left = flat(&chars[c.start..first]);
                    let n = left.chars().count();
                    if n > MAX_LEFT {
                        let cut: String = left.chars().skip(n - MAX_LEFT + 1).collect();
                        format!("…{cut}")
                    } else if c.start > 0 {
                        format!("…{left}")
                    } else {
                        left
                    }
                })
                .collect();
            let left_width = lefts.iter().map(|l| l.chars().count()).max().unwrap_or(0);
            for ((h, c), left) in hits.iter().zip(contexts).zip(&lefts) {
                let chars: Vec<char> = h.text.chars().collect();
                let first = h.matches.first().map_or(c.start, |m| m.start);
                let right = excerpt(&chars, first, c.end, &h.matches, color);
                let more = if c.end < chars.len() { "…" } else { "" };
                let sp: String = speaker(h).chars().take(sp_width).collect();
                let pad = left_width - left.chars().count();
                let _ = writeln!(
                    out,
                    "{}  {sp:<sp_width$}  {}{left}{right}{more}",
                    dim(&format!("{:<id_width$}", h.segment)),
                    " ".repeat(pad),
                );
            }
        }
        Context::Sentence | Context::Segment => {
            for (h, c) in hits.iter().zip(contexts) {
                let chars: Vec<char> = h.text.chars().collect();
                let when = h
                    .start_time
                    .map(|t| format!("  [{}]", time(t)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "{}  {} ({}, {}){when}",
                    dim(&h.segment),
                    speaker(h),
                    h.role.as_str(),
                    h.lang
                );
                let before = if c.start > 0 { "…" } else { "" };
                let after = if c.end < chars.len() { "…" } else { "" };
                let _ = writeln!(
                    out,
                    "    {before}{}{after}\n",
                    excerpt(&chars, c.start, c.end, &h.matches, color)
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_parse() {
        assert_eq!("sentence".parse::<Context>(), Ok(Context::Sentence));
        assert_eq!("segment".parse::<Context>(), Ok(Context::Segment));
        assert_eq!("8".parse::<Context>(), Ok(Context::Words(8)));
        assert_eq!("12-words".parse::<Context>(), Ok(Context::Words(12)));
        assert!("paragraph".parse::<Context>().is_err());
    }

    #[test]
    fn word_windows() {
        let chars: Vec<char> = "one two  three four five".chars().collect();
        // `four` starts at 15.
        assert_eq!(back_words(&chars, 15, 2), 4);
        assert_eq!(forward_words(&chars, 19, 1), 24);
        assert_eq!(back_words(&chars, 15, 10), 0);
        assert_eq!(words_between(&chars, 0, 15), 3);
    }

    #[test]
    fn highlights_only_with_color() {
        let chars: Vec<char> = "we paid the coyote\nat night".chars().collect();
        let m = [MatchSpan { start: 12, end: 18 }];
        assert_eq!(
            excerpt(&chars, 0, chars.len(), &m, false),
            "we paid the coyote at night"
        );
        assert_eq!(
            excerpt(&chars, 8, chars.len(), &m, true),
            "the \x1b[1;31mcoyote\x1b[0m at night"
        );
    }
}
