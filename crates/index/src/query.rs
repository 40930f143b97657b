//! The query language and its parser.
//!
//! ```text
//! border migración              both words (AND is the default)
//! border OR frontera            either
//! border NOT wall, border -wall without `wall`
//! +border                       same as border (accepted for habit)
//! (border OR frontera) papers   parentheses group
//! "work permit"                 phrase: the words next to each other
//! "visa parole"~5               proximity: within 5 moves, either order
//! contraband*                   words starting with `contraband`
//! "work perm*"                  phrase whose last word is a prefix
//! speaker:maria role:participant lang:es interview:ALCA_H11_037
//! speaker:"María José"  speaker:mar*
//! ```
//!
//! `AND`, `OR` and `NOT` are operators only in upper case; `NOT` binds
//! tighter than `AND`, which binds tighter than `OR`. A word with inner
//! punctuation (`didn't`, `self-employed`) is searched as a phrase of its
//! parts. An empty query matches every segment.
//!
//! Words are analyzed by every project language's analyzer and looked up
//! in that language's field, so a Spanish word in a mostly English query
//! still finds Spanish segments (see [`crate::analysis`]). With
//! [`Query::exact`] they match the lower-case spelling only. Prefixes
//! (`word*`) match the folded, unstemmed words of every language.
//!
//! Fields:
//!
//! * `speaker:` the speaker's label or declared name, ignoring case and
//!   accents (`speaker:maria` finds `María`);
//! * `role:` `interviewer`, `participant` or `other`;
//! * `lang:` the segment's language code;
//! * `interview:` an interview id, exactly as `voces corpus list` shows it.
//!
//! A field value may end with `*` (`interview:ALCA_*`) and may be quoted
//! (`speaker:"María José"`). Attribute filters (`--where`) are not part of
//! the text: see [`Query::attribute`].
//!
//! Mistakes are [`crate::Error::Query`] with the line and column, such as
//! `query:1:12: unclosed quote`, and a caret under the place.
//!
//! Proximity uses tantivy's slop: the number of single-position moves
//! needed to put the words in order, side by side. `"a b"~5` matches `a`
//! followed by `b` with up to 5 words between, and `b ... a` with up to 3
//! between (reversing two words costs 2 moves).

use unicode_normalization::UnicodeNormalization;

use crate::error::{QueryError, QueryErrorKind};
use crate::{Error, Result};

/// The field names usable as `name:value` in a query.
pub const FILTER_FIELDS: [&str; 4] = ["speaker", "role", "lang", "interview"];

/// Role names accepted by `role:`.
const ROLES: [&str; 3] = ["interviewer", "participant", "other"];

/// Largest `~N`.
const MAX_SLOP: u32 = 10_000;

/// Deepest nesting of parentheses and `NOT`s.
const MAX_DEPTH: usize = 64;

/// A parsed search: a query expression, attribute filters, and whether
/// words match exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    text: String,
    root: Option<Node>,
    filters: Vec<(String, String)>,
    exact: bool,
}

/// A field of `name:value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FilterField {
    Speaker,
    Role,
    Lang,
    Interview,
}

/// A leaf of the query tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Leaf {
    /// A word, analyzed per field.
    Word(String),
    /// `word*`.
    Prefix(String),
    /// `"..."`, `"..."~N`, `"... x*"`.
    Phrase {
        text: String,
        slop: u32,
        prefix: bool,
    },
    /// `name:value`, `name:value*`.
    Field {
        field: FilterField,
        value: String,
        prefix: bool,
    },
}

/// The query tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Leaf(Leaf),
}

impl Query {
    /// Parses a query typed by a researcher; see the module docs for the
    /// syntax. Syntax errors and unknown fields are [`Error::Query`] with
    /// the line and column.
    pub fn parse(text: &str) -> Result<Query> {
        let text: String = text.nfc().collect();
        let chars: Vec<char> = text.chars().collect();
        let tokens = lex(&text, &chars).map_err(Error::Query)?;
        let root = if tokens.is_empty() {
            None
        } else {
            let mut p = Parser {
                query: &text,
                tokens,
                pos: 0,
                depth: 0,
                len: chars.len(),
            };
            let node = p.parse_or().map_err(Error::Query)?;
            if let Some(t) = p.tokens.get(p.pos) {
                return Err(Error::Query(p.unexpected(t)));
            }
            Some(node)
        };
        Ok(Query {
            text,
            root,
            filters: Vec::new(),
            exact: false,
        })
    }

    /// The query that matches every segment (narrowed by filters).
    pub fn all() -> Query {
        Query {
            text: String::new(),
            root: None,
            filters: Vec::new(),
            exact: false,
        }
    }

    /// Adds an attribute filter `name=value` (`--where`), matched ignoring
    /// case and accents. Filters on one name are alternatives (OR); filters
    /// on different names must all hold (AND).
    #[must_use]
    pub fn attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Query {
        self.filters.push((name.into(), value.into()));
        self
    }

    /// Matches words exactly (`--exact`): lower case, but no stemming and no
    /// accent folding.
    #[must_use]
    pub fn exact(mut self, exact: bool) -> Query {
        self.exact = exact;
        self
    }

    /// The query text (NFC).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True when the query has no expression (it matches every segment
    /// its filters let through).
    pub fn is_match_all(&self) -> bool {
        self.root.is_none()
    }

    /// The attribute filters, as given.
    pub fn filters(&self) -> &[(String, String)] {
        &self.filters
    }

    /// Whether words match exactly.
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    pub(crate) fn root(&self) -> Option<&Node> {
        self.root.as_ref()
    }
}

// ---------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    Minus,
    Plus,
    Leaf(Leaf),
}

#[derive(Debug, Clone)]
struct Lexed {
    tok: Tok,
    /// Character index where it starts.
    at: usize,
}

fn syntax(query: &str, at: usize, message: impl Into<String>) -> QueryError {
    QueryError::new(QueryErrorKind::Syntax, query, at, message)
}

fn is_word_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

fn lex(query: &str, chars: &[char]) -> Result<Vec<Lexed>, QueryError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let at = i;
        let tok = match c {
            '(' => {
                i += 1;
                Tok::LParen
            }
            ')' => {
                i += 1;
                Tok::RParen
            }
            '"' => {
                let (text, slop, prefix, next) = read_phrase(query, chars, i)?;
                i = next;
                Tok::Leaf(Leaf::Phrase { text, slop, prefix })
            }
            '-' | '+' => {
                if chars
                    .get(i + 1)
                    .is_none_or(|&n| n.is_whitespace() || n == ')')
                {
                    return Err(syntax(
                        query,
                        i,
                        format!("`{c}` must touch the term it applies to"),
                    )
                    .hint(if c == '-' {
                        "write -visa to exclude segments with `visa`"
                    } else {
                        "write +visa to require `visa`"
                    }));
                }
                i += 1;
                if c == '-' { Tok::Minus } else { Tok::Plus }
            }
            _ => {
                let start = i;
                while i < chars.len() && !is_word_end(chars[i]) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                match word.as_str() {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => {
                        let (tok, next) = bare_word(query, chars, start, &word, i)?;
                        i = next;
                        tok
                    }
                }
            }
        };
        out.push(Lexed { tok, at });
    }
    Ok(out)
}

/// Reads `"..."`, `"..."~N` starting at the quote `open`; returns the text,
/// the slop, whether it ends with `*`, and the index after it.
fn read_phrase(
    query: &str,
    chars: &[char],
    open: usize,
) -> Result<(String, u32, bool, usize), QueryError> {
    let Some(len) = chars[open + 1..].iter().position(|&c| c == '"') else {
        return Err(syntax(query, open, "unclosed quote")
            .hint("end the phrase with another `\"`, as in \"work permit\""));
    };
    let close = open + 1 + len;
    let raw: String = chars[open + 1..close].iter().collect();
    let mut i = close + 1;
    let mut slop = 0;
    let mut has_slop = false;
    if chars.get(i) == Some(&'~') {
        let digits_start = i + 1;
        let mut j = digits_start;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j == digits_start {
            return Err(syntax(query, i, "expected a number after `~`")
                .hint("write \"visa parole\"~5 for the words within 5 positions"));
        }
        let digits: String = chars[digits_start..j].iter().collect();
        slop = match digits.parse::<u32>() {
            Ok(n) if n <= MAX_SLOP => n,
            _ => {
                return Err(syntax(
                    query,
                    digits_start,
                    format!("proximity is at most {MAX_SLOP}"),
                ));
            }
        };
        has_slop = true;
        i = j;
    }
    let trimmed = raw.trim_end();
    let prefix = trimmed.ends_with('*');
    let text = trimmed.trim_end_matches('*').trim().to_owned();
    if text.is_empty() {
        return Err(syntax(query, open, "empty phrase"));
    }
    if prefix && has_slop {
        return Err(syntax(
            query,
            close + 1,
            "a phrase ending in `*` cannot have a proximity `~N`",
        ));
    }
    Ok((text, slop, prefix, i))
}

/// Classifies a bare word (not an operator): `name:value`, `word*`, `word`.
fn bare_word(
    query: &str,
    chars: &[char],
    start: usize,
    word: &str,
    end: usize,
) -> Result<(Tok, usize), QueryError> {
    if let Some((name, value)) = word.split_once(':')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
    {
        let lower = name.to_ascii_lowercase();
        let field = match lower.as_str() {
            "speaker" => FilterField::Speaker,
            "role" => FilterField::Role,
            "lang" => FilterField::Lang,
            "interview" => FilterField::Interview,
            _ => {
                return Err(QueryError::new(
                    QueryErrorKind::UnknownField,
                    query,
                    start,
                    format!(
                        "unknown field \"{name}\"; fields are: {}",
                        FILTER_FIELDS.join(", ")
                    ),
                )
                .hint(format!(
                    "to search for the text, put it in quotes: \"{word}\""
                )));
            }
        };
        let value_at = start + name.chars().count() + 1;
        let (value, next) = if value.is_empty() && chars.get(end) == Some(&'"') {
            let (text, slop, prefix, next) = read_phrase(query, chars, end)?;
            if slop > 0 || prefix {
                return Err(syntax(
                    query,
                    end,
                    format!("`{lower}:` takes a plain value, without `~` or `*` in the quotes"),
                ));
            }
            (text, next)
        } else {
            (value.to_owned(), end)
        };
        if value.is_empty() {
            return Err(
                syntax(query, start, format!("missing value after `{name}:`"))
                    .hint(format!("as in {lower}:{}", example_value(field))),
            );
        }
        let (value, prefix) = star_suffix(query, value_at, &value)?;
        if field == FilterField::Role && !prefix {
            let v = value.to_lowercase();
            if !ROLES.contains(&v.as_str()) {
                return Err(QueryError::new(
                    QueryErrorKind::BadValue,
                    query,
                    value_at,
                    format!("unknown role \"{value}\"; roles are: {}", ROLES.join(", ")),
                ));
            }
        }
        return Ok((
            Tok::Leaf(Leaf::Field {
                field,
                value,
                prefix,
            }),
            next,
        ));
    }
    if let Some(k) = word.chars().position(|c| c == '~') {
        return Err(syntax(query, start + k, "`~N` must follow a quoted phrase")
            .hint("write \"visa parole\"~5 for the words within 5 positions"));
    }
    let (text, prefix) = star_suffix(query, start, word)?;
    Ok((
        Tok::Leaf(if prefix {
            Leaf::Prefix(text)
        } else {
            Leaf::Word(text)
        }),
        end,
    ))
}

fn example_value(field: FilterField) -> &'static str {
    match field {
        FilterField::Speaker => "maria",
        FilterField::Role => "participant",
        FilterField::Lang => "es",
        FilterField::Interview => "ID",
    }
}

/// Splits a trailing `*` off `text` (which starts at character `at`);
/// a `*` anywhere else is an error.
fn star_suffix(query: &str, at: usize, text: &str) -> Result<(String, bool), QueryError> {
    let stem = text.trim_end_matches('*');
    if let Some(k) = stem.chars().position(|c| c == '*') {
        return Err(syntax(query, at + k, "`*` only works at the end of a word")
            .hint("write contraband* for words starting with `contraband`"));
    }
    if stem.is_empty() {
        return Err(syntax(query, at, "`*` needs letters before it")
            .hint("write contraband* for words starting with `contraband`"));
    }
    Ok((stem.to_owned(), stem.len() != text.len()))
}

// ---------------------------------------------------------------------------
// Parser

struct Parser<'a> {
    query: &'a str,
    tokens: Vec<Lexed>,
    pos: usize,
    depth: usize,
    /// Length of the query in characters (the place of "end of query").
    len: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn starts_term(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::LParen | Tok::Not | Tok::Minus | Tok::Plus | Tok::Leaf(_))
        )
    }

    fn unexpected(&self, t: &Lexed) -> QueryError {
        match t.tok {
            Tok::RParen => syntax(self.query, t.at, "unexpected `)`")
                .hint("remove it, or add the `(` it closes"),
            Tok::And => syntax(self.query, t.at, "`AND` needs a term before it"),
            Tok::Or => syntax(self.query, t.at, "`OR` needs a term before it"),
            _ => syntax(self.query, t.at, "unexpected term"),
        }
    }

    /// An operator at token `op_index` has no term after it.
    fn needs_term_after(&self, op_index: usize, name: &str) -> QueryError {
        let at = self.tokens[op_index].at;
        let err = syntax(self.query, at, format!("`{name}` needs a term after it"));
        match self.tokens.get(op_index + 1) {
            Some(Lexed {
                tok: Tok::RParen, ..
            })
            | None => err,
            Some(next) => syntax(
                self.query,
                next.at,
                format!("`{name}` needs a term after it, not this"),
            ),
        }
    }

    fn enter(&mut self, at: usize) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(syntax(
                self.query,
                at,
                format!("the query nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn parse_or(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.parse_and()?];
        while self.peek() == Some(&Tok::Or) {
            let op = self.pos;
            self.pos += 1;
            if !self.starts_term() {
                return Err(self.needs_term_after(op, "OR"));
            }
            items.push(self.parse_and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Node::Or(items)
        })
    }

    fn parse_and(&mut self) -> Result<Node, QueryError> {
        if !self.starts_term() {
            return Err(match self.tokens.get(self.pos) {
                Some(t) => self.unexpected(t),
                None => syntax(self.query, self.len, "expected a term"),
            });
        }
        let mut items = vec![self.parse_unary()?];
        loop {
            if self.peek() == Some(&Tok::And) {
                let op = self.pos;
                self.pos += 1;
                if !self.starts_term() {
                    return Err(self.needs_term_after(op, "AND"));
                }
            } else if !self.starts_term() {
                break;
            }
            items.push(self.parse_unary()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Node::And(items)
        })
    }

    fn parse_unary(&mut self) -> Result<Node, QueryError> {
        let t = self.tokens[self.pos].clone();
        match t.tok {
            Tok::Not | Tok::Minus => {
                self.pos += 1;
                if !self.starts_term() {
                    let name = if t.tok == Tok::Not { "NOT" } else { "-" };
                    return Err(self.needs_term_after(self.pos - 1, name));
                }
                self.enter(t.at)?;
                let inner = self.parse_unary()?;
                self.depth -= 1;
                Ok(Node::Not(Box::new(inner)))
            }
            Tok::Plus => {
                self.pos += 1;
                if !self.starts_term() {
                    return Err(self.needs_term_after(self.pos - 1, "+"));
                }
                self.enter(t.at)?;
                let inner = self.parse_unary()?;
                self.depth -= 1;
                Ok(inner)
            }
            _ => self.parse_primary(),
        }
    }

    fn parse_primary(&mut self) -> Result<Node, QueryError> {
        let t = self.tokens[self.pos].clone();
        match t.tok {
            Tok::LParen => {
                self.pos += 1;
                self.enter(t.at)?;
                if self.peek() == Some(&Tok::RParen) {
                    return Err(syntax(self.query, t.at, "empty parentheses"));
                }
                if self.peek().is_none() {
                    return Err(
                        syntax(self.query, t.at, "unclosed parenthesis").hint("close it with `)`")
                    );
                }
                let node = self.parse_or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(
                        syntax(self.query, t.at, "unclosed parenthesis").hint("close it with `)`")
                    );
                }
                self.pos += 1;
                self.depth -= 1;
                Ok(node)
            }
            Tok::Leaf(leaf) => {
                self.pos += 1;
                Ok(Node::Leaf(leaf))
            }
            _ => Err(self.unexpected(&t)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Node {
        Node::Leaf(Leaf::Word(w.into()))
    }

    fn parse(q: &str) -> Node {
        Query::parse(q).unwrap().root.unwrap()
    }

    fn error(q: &str) -> String {
        Query::parse(q).unwrap_err().to_string()
    }

    #[test]
    fn precedence_not_and_or() {
        assert_eq!(
            parse("a b OR c -d"),
            Node::Or(vec![
                Node::And(vec![word("a"), word("b")]),
                Node::And(vec![word("c"), Node::Not(Box::new(word("d")))]),
            ])
        );
        assert_eq!(
            parse("a AND (b OR c)"),
            Node::And(vec![word("a"), Node::Or(vec![word("b"), word("c")])])
        );
        assert_eq!(parse("+a and"), Node::And(vec![word("a"), word("and")]));
    }

    #[test]
    fn leaves() {
        assert_eq!(
            parse("\"visa parole\"~5"),
            Node::Leaf(Leaf::Phrase {
                text: "visa parole".into(),
                slop: 5,
                prefix: false
            })
        );
        assert_eq!(
            parse("contraband*"),
            Node::Leaf(Leaf::Prefix("contraband".into()))
        );
        assert_eq!(
            parse("Speaker:\"María José\""),
            Node::Leaf(Leaf::Field {
                field: FilterField::Speaker,
                value: "María José".into(),
                prefix: false
            })
        );
        assert_eq!(parse("10:30"), word("10:30"));
        assert!(Query::parse("   ").unwrap().is_match_all());
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            error("visa \"work permit"),
            "query:1:6: unclosed quote\n  visa \"work permit\n       ^\nhint: end the phrase with another `\"`, as in \"work permit\""
        );
        assert!(error("(a OR b").starts_with("query:1:1: unclosed parenthesis"));
        assert!(error("a OR").starts_with("query:1:3: `OR` needs a term after it"));
        assert!(error("a)").starts_with("query:1:2: unexpected `)`"));
        assert!(error("spaeker:maria").starts_with(
            "query:1:1: unknown field \"spaeker\"; fields are: speaker, role, lang, interview"
        ));
        assert!(error("role:boss").starts_with("query:1:6: unknown role \"boss\""));
        assert!(error("con*band").starts_with("query:1:4: `*` only works at the end"));
        assert!(error("\"a b\"~x").starts_with("query:1:6: expected a number after `~`"));
        assert!(error("a - b").starts_with("query:1:3: `-` must touch"));
        assert!(error("()").starts_with("query:1:1: empty parentheses"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let q = "(".repeat(10_000) + "a" + &")".repeat(10_000);
        assert!(error(&q).contains("nests deeper"));
        let q = "NOT ".repeat(10_000) + "a";
        assert!(error(&q).contains("nests deeper"));
    }
}
