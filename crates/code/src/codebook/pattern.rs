//! Guarded regular expressions for rules.

use std::fmt;

use regex::{Regex, RegexBuilder};
use serde::{Serialize, Serializer};

use super::shown;

/// Longest pattern accepted, in characters.
pub const MAX_PATTERN_CHARS: usize = 500;
/// Compiled program size limit, in bytes.
const SIZE_LIMIT: usize = 1 << 20;
/// Lazy DFA cache limit, in bytes.
const DFA_SIZE_LIMIT: usize = 2 << 20;
/// Deepest nesting of groups and repetitions.
const NEST_LIMIT: u32 = 32;

/// A rule's regular expression: the pattern as written, and its compiled
/// form, which is case-insensitive, Unicode-aware and anchored to word
/// boundaries (`\b(?:PATTERN)\b`).
///
/// Construction refuses patterns longer than [`MAX_PATTERN_CHARS`], patterns
/// whose compiled form exceeds fixed size limits, and patterns that can
/// match the empty string (such as `x*` or `\b`) or can never match.
#[derive(Clone)]
pub struct Pattern {
    source: String,
    regex: Regex,
    anchored: Regex,
}

impl Pattern {
    /// Checks and compiles a pattern; the error is a one-line message.
    pub fn new(source: &str) -> Result<Pattern, String> {
        if source.trim().is_empty() {
            return Err("empty regex".to_owned());
        }
        if source.chars().count() > MAX_PATTERN_CHARS {
            return Err(format!(
                "regex longer than {MAX_PATTERN_CHARS} characters\nhint: split it into several entries of `regex`"
            ));
        }
        let hir = regex_syntax::ParserBuilder::new()
            .nest_limit(NEST_LIMIT)
            .case_insensitive(true)
            .build()
            .parse(source)
            .map_err(|e| {
                format!(
                    "bad regex `{}`: {}",
                    shown(source),
                    last_line(&e.to_string())
                )
            })?;
        match hir.properties().minimum_len() {
            None => return Err(format!("regex `{}` can never match", shown(source))),
            Some(0) => {
                return Err(format!(
                    "regex `{}` can match the empty string\nhint: every match must have at least one character; replace `*` by `+` or drop the empty alternative",
                    shown(source)
                ));
            }
            Some(_) => {}
        }
        let build = |wrapped: String| {
            RegexBuilder::new(&wrapped)
                .case_insensitive(true)
                .unicode(true)
                .nest_limit(NEST_LIMIT)
                .size_limit(SIZE_LIMIT)
                .dfa_size_limit(DFA_SIZE_LIMIT)
                .build()
                .map_err(|e| {
                    format!(
                        "bad regex `{}`: {}",
                        shown(source),
                        last_line(&e.to_string())
                    )
                })
        };
        Ok(Pattern {
            source: source.to_owned(),
            regex: build(format!(r"\b(?:{source})\b"))?,
            anchored: build(format!(r"\A(?:{source})\b"))?,
        })
    }

    /// The pattern as written in the codebook.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled, anchored, case-insensitive expression.
    pub fn regex(&self) -> &Regex {
        &self.regex
    }

    /// The same expression matching only at the start of the text it is
    /// given (`\A(?:PATTERN)\b`): to check a pattern at a known word start
    /// (the caller makes sure a word starts there), much faster than a
    /// search when few words can start a match.
    pub fn anchored(&self) -> &Regex {
        &self.anchored
    }
}

/// The regex crate's messages draw a caret under the pattern over several
/// lines; the last line says what is wrong.
fn last_line(message: &str) -> &str {
    let line = message.trim().lines().last().unwrap_or(message).trim();
    line.strip_prefix("error: ").unwrap_or(line)
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.source == other.source
    }
}

impl Eq for Pattern {}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_and_case_insensitive() {
        let p = Pattern::new(r"coyot\w*").unwrap();
        assert!(p.regex().is_match("Pagamos al Coyote."));
        assert!(!p.regex().is_match("elcoyote"));
        assert_eq!(
            p.anchored().find("Coyotes, dijo").unwrap().as_str(),
            "Coyotes"
        );
        assert!(!p.anchored().is_match("al coyote"));
    }

    #[test]
    fn refused() {
        for (pattern, want) in [
            ("", "empty regex"),
            ("a*", "can match the empty string"),
            (r"\b", "can match the empty string"),
            ("foo|", "can match the empty string"),
            ("(?:x?)", "can match the empty string"),
            ("[^\\s\\S]", "can never match"),
            ("ab(", "bad regex `ab(`: unclosed group"),
            ("a{1000000}", "bad regex"),
        ] {
            let err = Pattern::new(pattern).unwrap_err();
            assert!(err.contains(want), "{pattern}: {err}");
        }
        assert!(
            Pattern::new(&"a".repeat(501))
                .unwrap_err()
                .contains("longer than")
        );
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert!(Pattern::new(&deep).unwrap_err().contains("bad regex"));
    }
}
