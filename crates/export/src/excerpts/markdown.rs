//! Markdown: excerpts grouped under one heading per code, in codebook
//! order (a theme, then its sub-codes one heading level down), each quote
//! a blockquote followed by a line saying where it is and who coded it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use voces_code::Codebook;
use voces_code::tally::{code_order, with_ancestors};

use super::{Excerpt, Excerpts};

/// Writes the document.
pub(super) fn write(
    excerpts: &Excerpts,
    codebook: Option<&Codebook>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    writeln!(out, "# Coded excerpts")?;
    writeln!(out)?;
    let coders: BTreeSet<&str> = excerpts.rows.iter().map(|r| r.coder.as_str()).collect();
    write!(
        out,
        "{} excerpt(s) from {} interview(s)",
        excerpts.rows.len(),
        excerpts.interviews()
    )?;
    if !coders.is_empty() {
        write!(
            out,
            "; coders: {}",
            coders.into_iter().collect::<Vec<_>>().join(", ")
        )?;
    }
    if let Some(book) = codebook {
        write!(out, "; codebook: {} {}", escape(&book.name), book.version)?;
    }
    writeln!(out, ".")?;

    let mut by_code: BTreeMap<&str, Vec<&Excerpt>> = BTreeMap::new();
    for r in &excerpts.rows {
        by_code.entry(r.code.as_str()).or_default().push(r);
    }
    // A code gets a heading when it or a code below it has excerpts.
    let shown: BTreeSet<String> = by_code
        .keys()
        .flat_map(|c| with_ancestors(codebook, c))
        .collect();
    let lang = codebook
        .and_then(|b| b.languages.first())
        .map_or("en", String::as_str);
    for (code, depth) in code_order(codebook, by_code.keys().copied()) {
        if !shown.contains(&code) {
            continue;
        }
        let label = codebook
            .and_then(|b| b.code(&code))
            .map_or(code.as_str(), |c| c.label(lang));
        let rows = by_code.get(code.as_str()).map_or(&[][..], Vec::as_slice);
        writeln!(out)?;
        write!(
            out,
            "{} {} (`{code}`)",
            "#".repeat((depth + 2).min(6)),
            escape(label)
        )?;
        if !rows.is_empty() {
            write!(out, " · {} excerpt(s)", rows.len())?;
        }
        writeln!(out)?;
        for r in rows {
            writeln!(out)?;
            writeln!(out, "> {}", quote_text(r))?;
            writeln!(out)?;
            writeln!(out, "— {}", attribution(r))?;
        }
    }
    out.flush()
}

/// The quote (in bold between its context, when there is context), as the
/// lines of a blockquote.
fn quote_text(r: &Excerpt) -> String {
    let text = if r.before.is_empty() && r.after.is_empty() {
        escape(r.quote.trim())
    } else {
        let quote = r.quote.trim();
        let lead = &r.quote[..r.quote.len() - r.quote.trim_start().len()];
        let trail = &r.quote[r.quote.trim_end().len()..];
        format!(
            "{}{lead}**{}**{trail}{}",
            escape(&r.before),
            escape(quote),
            escape(&r.after)
        )
    };
    text.replace('\r', "").replace('\n', "\n> ")
}

/// `SEGMENT [start–end] · SPEAKER (role, language) · rule or coder`.
fn attribution(r: &Excerpt) -> String {
    let who = match &r.speaker {
        Some(s) => format!("{} ({}, {})", escape(s), r.role.as_str(), r.language),
        None => format!("({}, {})", r.role.as_str(), r.language),
    };
    let by = match &r.rule {
        Some(rule) => format!("{} rule `{rule}`", r.coder),
        None => format!("coder {}", escape(&r.coder)),
    };
    format!(
        "{} [{}–{}] · {who} · {by}",
        escape(&r.segment),
        r.start,
        r.end
    )
}

/// Text with Markdown's inline markup characters escaped, and line-start
/// markers (headings, list items) neutralized.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut line_start = true;
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>')
            || (line_start && matches!(c, '#' | '-' | '+'))
        {
            out.push('\\');
        }
        out.push(c);
        line_start = c == '\n';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a *b* _c_ <d>"), "a \\*b\\* \\_c\\_ \\<d\\>");
        assert_eq!(escape("- item\n# h"), "\\- item\n\\# h");
        assert_eq!(escape("a - b"), "a - b");
    }
}
