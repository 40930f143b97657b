//! From the file as written ([`raw`](super::raw)) to the checked model:
//! every problem is collected with its line, so a researcher sees them all
//! at once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

use super::model::{Code, Codebook, LangText, Near, Rule};
use super::pattern::Pattern;
use super::raw::{RawCode, RawCodebook, RawNear, RawRule};
use super::{FORMAT, MAX_NEAR_WITHIN, shown};
use crate::{Diagnostic, Error, Result};

/// Parses and checks a codebook; see [`Codebook::parse`].
pub(crate) fn parse(text: &str, path: &Path, project_languages: &[String]) -> Result<Codebook> {
    let lines = Lines::new(text);
    let raw: RawCodebook = toml::from_str(text).map_err(|e| {
        Error::Codebook(vec![Diagnostic {
            path: path.to_owned(),
            line: e.span().map(|s| lines.line(s.start)),
            message: shown(e.message().trim().trim_end_matches('.')).into_owned(),
        }])
    })?;
    let mut checker = Checker {
        lines,
        problems: Vec::new(),
    };
    let codebook = checker.codebook(raw, project_languages);
    if checker.problems.is_empty() {
        Ok(codebook)
    } else {
        // Stable sort: problems on one line keep the order they were found.
        checker.problems.sort_by_key(|(line, _)| *line);
        Err(Error::Codebook(
            checker
                .problems
                .into_iter()
                .map(|(line, message)| Diagnostic {
                    path: path.to_owned(),
                    line: Some(line),
                    message,
                })
                .collect(),
        ))
    }
}

/// Byte offset to 1-based line.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    fn line(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s <= byte).max(1)
    }
}

struct Checker {
    lines: Lines,
    problems: Vec<(usize, String)>,
}

impl Checker {
    fn line(&self, span: &Range<usize>) -> usize {
        self.lines.line(span.start)
    }

    fn problem(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let line = self.line(span);
        self.problems.push((line, message.into()));
    }

    fn codebook(&mut self, raw: RawCodebook, project_languages: &[String]) -> Codebook {
        let meta = raw.codebook.into_inner();
        let mut format = FORMAT;
        if let Some(f) = &meta.format {
            format = *f.get_ref();
            if format > FORMAT {
                self.problem(
                    &f.span(),
                    format!(
                        "codebook format {format} is newer than this voces reads (up to {FORMAT})\nhint: update voces"
                    ),
                );
            } else if format == 0 {
                self.problem(&f.span(), format!("codebook format must be {FORMAT}"));
            }
        }
        let name = self.text_field(&meta.name, "[codebook] name");
        let version = self.text_field(&meta.version, "[codebook] version");

        let languages_span = meta.languages.span();
        let mut languages = Vec::new();
        for lang in meta.languages.into_inner() {
            let code = norm(lang.get_ref());
            if !is_language(&code) {
                self.problem(
                    &lang.span(),
                    format!(
                        "`{}` is not a two-letter ISO 639-1 language code such as `en` or `es`",
                        shown(&code)
                    ),
                );
            } else if languages.contains(&code) {
                self.problem(
                    &lang.span(),
                    format!("language `{}` is listed twice", shown(&code)),
                );
            } else {
                languages.push(code);
            }
        }
        if languages.is_empty() {
            self.problem(
                &languages_span,
                "[codebook] languages must name at least one language",
            );
        }
        for lang in project_languages {
            if !languages.contains(lang) {
                self.problem(
                    &languages_span,
                    format!(
                        "the project's language `{lang}` is not among the codebook's languages ({})\nhint: add `{lang}` to [codebook] languages and rules in `{lang}` to every theme",
                        languages.join(", ")
                    ),
                );
            }
        }

        let defaults = Defaults {
            negation: raw.defaults.negation.unwrap_or(false),
            roles: raw.defaults.roles.unwrap_or_default(),
            unit: raw.defaults.unit.unwrap_or_default(),
        };

        let mut codes = Vec::with_capacity(raw.codes.len());
        let mut code_lines: HashMap<String, usize> = HashMap::new();
        let mut rule_lines: HashMap<String, usize> = HashMap::new();
        let mut parent_spans = Vec::new();
        for raw_code in raw.codes {
            let (code, parent_span) = self.code(
                raw_code,
                &languages,
                &defaults,
                &mut code_lines,
                &mut rule_lines,
            );
            parent_spans.push(parent_span);
            codes.push(code);
        }
        self.tree(&codes, &parent_spans, project_languages);

        Codebook {
            format,
            name,
            version,
            languages,
            description: norm(&meta.description),
            codes,
        }
    }

    fn text_field(&mut self, value: &Spanned<String>, what: &str) -> String {
        let text = norm(value.get_ref());
        if text.is_empty() {
            self.problem(&value.span(), format!("{what} is empty"));
        }
        text
    }

    fn code(
        &mut self,
        raw: RawCode,
        languages: &[String],
        defaults: &Defaults,
        code_lines: &mut HashMap<String, usize>,
        rule_lines: &mut HashMap<String, usize>,
    ) -> (Code, Option<Range<usize>>) {
        let id = norm(raw.id.get_ref());
        let line = self.line(&raw.id.span());
        if !is_code_id(&id) {
            self.problem(
                &raw.id.span(),
                format!(
                    "code id `{}` is not valid\nhint: use lower-case letters, digits, `_` and `-`, in parts joined by `.`, such as `smuggling.payment`",
                    shown(&id)
                ),
            );
        } else if let Some(first) = code_lines.get(&id) {
            self.problem(
                &raw.id.span(),
                format!("duplicate code id `{}` (first at line {first})", shown(&id)),
            );
        } else {
            code_lines.insert(id.clone(), line);
        }
        let parent = raw.parent.as_ref().map(|p| norm(p.get_ref()));
        let labels = self.lang_text(raw.labels, languages, "labels", &id);
        let definition = self.lang_text(raw.definition, languages, "definition", &id);
        let include = self.lang_text(raw.include, languages, "include", &id);
        let exclude = self.lang_text(raw.exclude, languages, "exclude", &id);
        let mut examples = BTreeMap::new();
        if let Some(ex) = raw.examples {
            let span = ex.span();
            for (lang, list) in ex.into_inner() {
                self.lang_key(&span, &lang, languages, "examples", &id);
                let list: Vec<String> = list.iter().map(|e| norm(e)).collect();
                if list.iter().any(String::is_empty) {
                    self.problem(
                        &span,
                        format!(
                            "code `{}` has an empty example in `{}`",
                            shown(&id),
                            shown(&lang)
                        ),
                    );
                }
                examples.insert(lang, list);
            }
        }
        let color = raw.color.map(|c| {
            let value = norm(c.get_ref());
            if !is_color(&value) {
                self.problem(
                    &c.span(),
                    format!(
                        "colour `{}` of code `{}` is not a hex colour\nhint: write six hex digits after `#`, such as `#1f77b4`",
                        shown(&value),
                        shown(&id)
                    ),
                );
            }
            value.to_ascii_lowercase()
        });
        let rules = raw
            .rules
            .into_iter()
            .map(|r| self.rule(r, languages, defaults, rule_lines))
            .collect();
        let code = Code {
            id,
            parent,
            labels,
            definition,
            include,
            exclude,
            examples,
            color,
            rules,
            line,
        };
        (code, raw.parent.map(|p| p.span()))
    }

    fn lang_text(
        &mut self,
        raw: Option<Spanned<BTreeMap<String, String>>>,
        languages: &[String],
        what: &str,
        code: &str,
    ) -> LangText {
        let Some(raw) = raw else {
            return LangText::new();
        };
        let span = raw.span();
        let mut out = LangText::new();
        for (lang, text) in raw.into_inner() {
            self.lang_key(&span, &lang, languages, what, code);
            let text = norm(&text);
            if text.is_empty() {
                self.problem(
                    &span,
                    format!(
                        "code `{}` has an empty `{what}` in `{}`",
                        shown(code),
                        shown(&lang)
                    ),
                );
            }
            out.insert(lang, text);
        }
        out
    }

    fn lang_key(
        &mut self,
        span: &Range<usize>,
        lang: &str,
        languages: &[String],
        what: &str,
        code: &str,
    ) {
        if !languages.iter().any(|l| l == lang) {
            self.problem(
                span,
                format!(
                    "`{what}` of code `{}` has language `{}`, which is not among the codebook's languages ({})",
                    shown(code),
                    shown(lang),
                    languages.join(", ")
                ),
            );
        }
    }

    fn rule(
        &mut self,
        raw: RawRule,
        languages: &[String],
        defaults: &Defaults,
        rule_lines: &mut HashMap<String, usize>,
    ) -> Rule {
        let id = norm(raw.id.get_ref());
        let id_span = raw.id.span();
        let line = self.line(&id_span);
        if !is_rule_id(&id) {
            self.problem(
                &id_span,
                format!(
                    "rule id `{}` is not valid\nhint: use lower-case letters, digits, `_`, `-` and `.`, in parts joined by `/`, such as `smuggling/es/coyote`",
                    shown(&id)
                ),
            );
        } else if let Some(first) = rule_lines.get(&id) {
            self.problem(
                &id_span,
                format!("duplicate rule id `{}` (first at line {first})", shown(&id)),
            );
        } else {
            rule_lines.insert(id.clone(), line);
        }
        let lang = norm(raw.lang.get_ref());
        if !languages.contains(&lang) {
            self.problem(
                &raw.lang.span(),
                format!(
                    "rule `{}` is in `{}`, which is not among the codebook's languages ({})",
                    shown(&id),
                    shown(&lang),
                    languages.join(", ")
                ),
            );
        }
        let terms = raw
            .terms
            .iter()
            .map(|t| {
                let term = norm_words(t.get_ref());
                if term.is_empty() {
                    self.problem(&t.span(), format!("rule `{}` has an empty term", shown(&id)));
                } else if term.contains(' ') {
                    self.problem(
                        &t.span(),
                        format!(
                            "term `{}` of rule `{}` has more than one word\nhint: put it in `phrases`",
                            shown(&term),
                            shown(&id)
                        ),
                    );
                } else if !term.chars().all(char::is_alphanumeric) {
                    self.problem(
                        &t.span(),
                        format!(
                            "term `{}` of rule `{}` is not a single word of letters and digits\nhint: put it in `phrases`, or use `regex`",
                            shown(&term),
                            shown(&id)
                        ),
                    );
                }
                term
            })
            .collect();
        let phrases = self.entries(&raw.phrases, &id, "phrase");
        let not = self.entries(&raw.not, &id, "`not` entry");
        let near = raw.near.map(|n| self.near(n, &id));
        let regex = raw
            .regex
            .iter()
            .filter_map(|r| match Pattern::new(&norm(r.get_ref())) {
                Ok(p) => Some(p),
                Err(message) => {
                    self.problem(&r.span(), format!("rule `{}`: {message}", shown(&id)));
                    None
                }
            })
            .collect::<Vec<_>>();
        if raw.terms.is_empty() && raw.phrases.is_empty() && near.is_none() && raw.regex.is_empty()
        {
            self.problem(
                &id_span,
                format!(
                    "rule `{}` matches nothing\nhint: give it `terms`, `phrases`, `near` or `regex`",
                    shown(&id)
                ),
            );
        }
        Rule {
            id,
            lang,
            terms,
            phrases,
            near,
            regex,
            not,
            negation: raw.negation.unwrap_or(defaults.negation),
            roles: raw.roles.unwrap_or_else(|| defaults.roles.clone()),
            unit: raw.unit.unwrap_or(defaults.unit),
            line,
        }
    }

    /// Phrases, `not` and `near` entries: text with at least one letter or
    /// digit, whitespace collapsed.
    fn entries(&mut self, raw: &[Spanned<String>], rule: &str, what: &str) -> Vec<String> {
        raw.iter()
            .map(|e| {
                let text = norm_words(e.get_ref());
                if !text.chars().any(char::is_alphanumeric) {
                    let quoted = if text.is_empty() {
                        String::new()
                    } else {
                        format!(" `{}`", shown(&text))
                    };
                    self.problem(
                        &e.span(),
                        format!(
                            "rule `{}` has an empty {what}{quoted}: it has no letter or digit",
                            shown(rule)
                        ),
                    );
                }
                text
            })
            .collect()
    }

    fn near(&mut self, raw: Spanned<RawNear>, rule: &str) -> Near {
        let span = raw.span();
        let raw = raw.into_inner();
        let a = self.entries(&raw.a, rule, "`near` entry");
        let b = self.entries(&raw.b, rule, "`near` entry");
        if a.is_empty() || b.is_empty() {
            self.problem(
                &span,
                format!(
                    "`near` of rule `{}` needs words in both `a` and `b`",
                    shown(rule)
                ),
            );
        }
        let within = *raw.within.get_ref();
        if within > MAX_NEAR_WITHIN {
            self.problem(
                &raw.within.span(),
                format!(
                    "`within = {within}` of rule `{}` is more than {MAX_NEAR_WITHIN} words\nhint: use `unit = \"segment\"` with a rule that matches both words",
                    shown(rule)
                ),
            );
        }
        Near {
            a,
            b,
            within,
            exact: raw.exact,
        }
    }

    /// Parents exist, no cycles, and every theme has a rule in every
    /// project language (its own or a descendant's).
    fn tree(
        &mut self,
        codes: &[Code],
        parent_spans: &[Option<Range<usize>>],
        project_languages: &[String],
    ) {
        let index: HashMap<&str, usize> = codes
            .iter()
            .enumerate()
            .rev() // the first of duplicates wins
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut parent: Vec<Option<usize>> = vec![None; codes.len()];
        for (i, code) in codes.iter().enumerate() {
            let (Some(p), Some(span)) = (&code.parent, &parent_spans[i]) else {
                continue;
            };
            if let Some(&j) = index.get(p.as_str()) {
                parent[i] = Some(j);
            } else {
                let hint = closest(p, codes.iter().map(|c| c.id.as_str()))
                    .map(|c| format!("\nhint: did you mean `{}`?", shown(c)))
                    .unwrap_or_default();
                self.problem(
                    span,
                    format!(
                        "parent `{}` of code `{}` does not exist{hint}",
                        shown(p),
                        shown(&code.id)
                    ),
                );
            }
        }

        // Walk up from each code; a walk that meets itself is a cycle.
        // 0 = not seen, 1 = on the current walk, 2 = done.
        let mut state = vec![0u8; codes.len()];
        let mut root: Vec<Option<usize>> = vec![None; codes.len()];
        for start in 0..codes.len() {
            let mut path = Vec::new();
            let mut at = Some(start);
            while let Some(i) = at {
                if state[i] != 0 {
                    break;
                }
                state[i] = 1;
                path.push(i);
                at = parent[i];
            }
            let (found_root, cycle_at) = match at {
                // A theme, or a code whose parent does not exist (no root).
                None => (
                    path.last().copied().filter(|&i| codes[i].parent.is_none()),
                    None,
                ),
                Some(i) if state[i] == 1 => (None, Some(i)),
                Some(i) => (root[i], None),
            };
            if let Some(c) = cycle_at {
                let pos = path.iter().position(|&p| p == c).unwrap_or(0);
                let cycle = &path[pos..];
                let first = cycle
                    .iter()
                    .copied()
                    .min_by_key(|&i| codes[i].line)
                    .unwrap_or(c);
                let span = parent_spans[first].clone().unwrap_or(0..0);
                let message = if cycle.len() == 1 {
                    format!("code `{}` is its own parent", shown(&codes[first].id))
                } else {
                    let start = cycle.iter().position(|&i| i == first).unwrap_or(0);
                    let names: Vec<String> = cycle[start..]
                        .iter()
                        .chain(&cycle[..start])
                        .chain(std::iter::once(&first))
                        .map(|&i| format!("`{}`", shown(&codes[i].id)))
                        .collect();
                    format!("parent cycle: {}", names.join(" → "))
                };
                self.problem(&span, message);
            }
            for &i in &path {
                state[i] = 2;
                root[i] = found_root;
            }
        }

        let mut covered: HashMap<usize, BTreeSet<&str>> = HashMap::new();
        for (i, code) in codes.iter().enumerate() {
            if let Some(r) = root[i] {
                covered
                    .entry(r)
                    .or_default()
                    .extend(code.rules.iter().map(|r| r.lang.as_str()));
            }
        }
        for (i, code) in codes.iter().enumerate() {
            if code.parent.is_some() {
                continue;
            }
            for lang in project_languages {
                if !covered.get(&i).is_some_and(|l| l.contains(lang.as_str())) {
                    self.problems.push((
                        code.line,
                        format!(
                            "theme `{}` has no rule for `{lang}`, a language of the project\nhint: add a [[code.rule]] with lang = \"{lang}\" to it or to one of its sub-codes",
                            shown(&code.id)
                        ),
                    ));
                }
            }
        }
    }
}

struct Defaults {
    negation: bool,
    roles: Vec<voces_corpus::Role>,
    unit: super::model::Unit,
}

/// NFC, trimmed.
fn norm(s: &str) -> String {
    s.trim().nfc().collect()
}

/// NFC, trimmed, runs of whitespace made one space.
fn norm_words(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_language(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_lowercase())
}

fn is_code_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            part.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        })
}

fn is_rule_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('/').all(|part| {
            !part.is_empty()
                && part.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.')
                })
        })
}

fn is_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The candidate nearest to `word` by edit distance, if it is close (at
/// most 2 edits).
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(word, c), c))
        .filter(|&(d, _)| d <= 2)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Levenshtein distance in characters; "did you mean" hints use it.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let l = Lines::new("a\nbc\n\nd");
        assert_eq!([0, 1, 2, 4, 5, 6].map(|b| l.line(b)), [1, 1, 2, 2, 3, 4]);
    }

    #[test]
    fn ids() {
        assert!(is_code_id("smuggling.payment"));
        assert!(is_code_id("legal_pathways.h-2a"));
        assert!(!is_code_id("Smuggling"));
        assert!(!is_code_id("a..b"));
        assert!(!is_code_id(".a"));
        assert!(!is_code_id("_a"));
        assert!(is_rule_id("smuggling/es/coyote"));
        assert!(is_rule_id("smuggling/es/coyote.v2"));
        assert!(!is_rule_id("smuggling//coyote"));
        assert!(!is_rule_id("smuggling/es/Coyote"));
    }

    #[test]
    fn text_from_the_file_cannot_break_a_message_in_lines() {
        // Found by the `codebook` fuzz target: a quoted id with a line break
        // made the message two lines, the second not a hint.
        let codebook = r##"[codebook]
name = "x"
version = "1"
languages = ["en", "x\ty"]

[[code]]
id = """a
b"""
parent = "p\u0001"
color = "#12\n"
labels = { "e\rn" = "A" }

[[code.rule]]
id = "a/\n/0"
lang = "e\nn"
terms = ["x\u0002y"]
not = ["\u0003"]
regex = ["(\n", "\n*"]
"##;
        let Err(Error::Codebook(problems)) =
            parse(codebook, Path::new("c.toml"), &["en".to_owned()])
        else {
            panic!("the codebook has errors");
        };
        assert!(problems.len() >= 9, "{problems:?}");
        for p in &problems {
            assert!(
                p.message.lines().skip(1).all(|l| l.starts_with("hint: ")),
                "{:?}",
                p.message
            );
        }
        assert!(
            problems
                .iter()
                .any(|p| p.message.starts_with("code id `a\\nb` is not valid")),
            "{problems:?}"
        );
        // An unknown key, and bad TOML, are reported by the TOML reader.
        let Err(Error::Codebook(problems)) =
            parse("[codebook]\n\"a\\nb\" = 1\n", Path::new("c.toml"), &[])
        else {
            panic!("unknown key");
        };
        assert_eq!(problems[0].message.lines().count(), 1, "{problems:?}");
        for bad in ["a = ", "[codebook\n", "a = \"x\ny\"", "a = [1,"] {
            let Err(Error::Codebook(problems)) = parse(bad, Path::new("c.toml"), &[]) else {
                panic!("{bad:?} parsed");
            };
            assert_eq!(problems[0].message.lines().count(), 1, "{problems:?}");
        }
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("smugling", "smuggling"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            closest("exclusoin", ["exclusion", "asylum"].into_iter()),
            Some("exclusion")
        );
        assert_eq!(closest("xyz", ["exclusion"].into_iter()), None);
    }
}
