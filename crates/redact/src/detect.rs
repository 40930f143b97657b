//! Detectors of personal data in free text: e-mail addresses, phone
//! numbers, and passport or ID numbers.
//!
//! The number detectors are careful about what is not personal: years
//! (`2023`, `2018-2023`), dates (`20/02/2024`, `2024-02-20`), times,
//! amounts (`$3,000`, `40.000 pesos`, `1.500.000`), percentages (`15%`,
//! `15 por ciento`) and counts (`1 500 000 personas`) are left alone.
//!
//! - **E-mail**: `name@host.tld`, and the spoken form `maria arroba gmail
//!   punto com` / `maria at gmail dot com`.
//! - **Phone**: 7 to 15 digits, with or without `+country`, in groups
//!   separated by spaces, dashes, dots or parentheses (`+57 310 555 1234`,
//!   `(502) 5555-1234`, `310.555.1234`, `3105551234`). Digits grouped like
//!   thousands (`3.105.551`) count only after a word such as `teléfono`,
//!   `celular`, `WhatsApp`, `phone`.
//! - **ID**: letter and digit mixes of 6 to 18 characters with at least 5
//!   digits (passports `AB1234567`, `G12345678`, Spanish DNI `12345678Z`),
//!   letter-prefixed cédulas (`V-12.345.678`, `E-84.123.456`), US A-numbers
//!   (`A123456789`, `A# 123-456-789`), `123-45-6789`, digit runs over 15,
//!   and any number of 6 digits or more after a word such as `cédula`,
//!   `pasaporte`, `DNI`, `DPI`, `passport`, `ID`, `case` (`cédula
//!   1.020.345.678`).

use std::sync::OnceLock;

use regex::Regex;

use crate::fold::fold;
use crate::words::{is_amount_word, is_id_context, is_phone_context, words};

/// A detector of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detector {
    /// E-mail addresses.
    Email,
    /// Phone numbers.
    Phone,
    /// Passport, ID and case numbers.
    Id,
}

impl Detector {
    /// Every detector, in the order of `[privacy] detect`.
    pub const ALL: [Detector; 3] = [Detector::Email, Detector::Phone, Detector::Id];

    /// The name in `voces.toml` and in the mapping file.
    pub fn as_str(self) -> &'static str {
        match self {
            Detector::Email => "email",
            Detector::Phone => "phone",
            Detector::Id => "id",
        }
    }

    /// The detector of that name.
    pub fn from_name(name: &str) -> Option<Detector> {
        Detector::ALL.into_iter().find(|d| d.as_str() == name)
    }

    /// The key that makes two forms of one value the same entity: an
    /// address in lower case, the last 10 digits of a phone number, the
    /// letters and digits of an ID in upper case.
    pub fn key(self, surface: &str) -> String {
        match self {
            Detector::Email => surface
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
            Detector::Phone => {
                let digits: Vec<char> = surface.chars().filter(char::is_ascii_digit).collect();
                digits[digits.len().saturating_sub(10)..].iter().collect()
            }
            Detector::Id => surface
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect(),
        }
    }
}

/// A span of personal data found in a text, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Detection {
    pub start: usize,
    pub end: usize,
    pub detector: Detector,
}

struct Patterns {
    email: Regex,
    spoken_email: Regex,
    a_number: Regex,
    prefixed_id: Regex,
    mixed_id: Regex,
    ssn: Regex,
    thousands: Regex,
    decimal: Regex,
}

fn patterns() -> &'static Patterns {
    static CELL: OnceLock<Patterns> = OnceLock::new();
    CELL.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("built-in pattern");
        Patterns {
            email: re(
                r"[\p{L}\p{N}_%+\-][\p{L}\p{N}._%+\-]*@[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?)*\.\p{L}{2,24}\b",
            ),
            spoken_email: re(
                r"(?i)\b[\p{L}\p{N}][\p{L}\p{N}._\-]+[ \t]+(?:at|arroba)[ \t]+[\p{L}\p{N}\-]+(?:[ \t]+(?:dot|punto)[ \t]+[\p{L}\p{N}]+)*[ \t]+(?:dot|punto)[ \t]+(?:com|org|net|edu|gov|info|io|es|co|mx|ve|ec|gt|cr|pe|cl|ar|hn|sv|ni|pa|bo|py|uy|ht|us|uk)\b",
            ),
            a_number: re(r"\bA(?:[-#] ?| )?\d{3}[- ]?\d{3}[- ]?\d{2,3}\b"),
            prefixed_id: re(r"(?i)\b[vejg] ?[-.] ?\d{1,3}(?:[.,]?\d{3}){2}\b"),
            mixed_id: re(r"\b[A-Za-z0-9]{6,18}\b"),
            ssn: re(r"^\d{3}-\d{2}-\d{4}$"),
            thousands: re(r"^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?$|^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$"),
            decimal: re(r"^\d+[.,]\d+$"),
        }
    })
}

/// The enabled detectors.
#[derive(Debug, Clone)]
pub(crate) struct Detectors {
    enabled: Vec<Detector>,
}

impl Detectors {
    pub fn new(enabled: &[Detector]) -> Detectors {
        Detectors {
            enabled: enabled.to_vec(),
        }
    }

    fn on(&self, d: Detector) -> bool {
        self.enabled.contains(&d)
    }

    /// The personal data in `text` (whose characters are `chars`), in text
    /// order; spans may overlap.
    pub fn find(&self, text: &str, chars: &[char]) -> Vec<Detection> {
        let mut out = Vec::new();
        if self.enabled.is_empty() {
            return out;
        }
        let p = patterns();
        let to_char = CharIndex::new(text);
        let mut regex = |re: &Regex, detector: Detector, keep: &dyn Fn(&str) -> bool| {
            if !self.on(detector) {
                return;
            }
            for m in re.find_iter(text).filter(|m| keep(m.as_str())) {
                out.push(Detection {
                    start: to_char.of(m.start()),
                    end: to_char.of(m.end()),
                    detector,
                });
            }
        };
        let any = |_: &str| true;
        regex(&p.email, Detector::Email, &any);
        regex(&p.spoken_email, Detector::Email, &any);
        regex(&p.a_number, Detector::Id, &any);
        regex(&p.prefixed_id, Detector::Id, &any);
        // Letters and digits mixed, with at least five digits.
        regex(&p.mixed_id, Detector::Id, &|s: &str| {
            let digits = s.bytes().filter(u8::is_ascii_digit).count();
            digits >= 5 && digits < s.len()
        });
        if self.on(Detector::Phone) || self.on(Detector::Id) {
            numbers(chars, &mut |d| {
                if self.on(d.detector) {
                    out.push(d);
                }
            });
        }
        out.sort_by_key(|d| (d.start, std::cmp::Reverse(d.end)));
        out
    }
}

/// Byte offsets to character offsets.
struct CharIndex {
    bytes: Vec<usize>,
}

impl CharIndex {
    fn new(text: &str) -> CharIndex {
        CharIndex {
            bytes: text.char_indices().map(|(b, _)| b).collect(),
        }
    }

    fn of(&self, byte: usize) -> usize {
        self.bytes.partition_point(|&b| b < byte)
    }
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '.' | '-' | '(' | ')' | '\u{a0}' | '\u{2010}' | '\u{2011}'
    )
}

/// Whether separators between two digit groups join them into one number:
/// up to three, with no dot among them or a dot alone (`310.555`, `310 -
/// 555`, `(502) 555`, but not `1943. 350` or `12...5`).
fn joins(run: &[char]) -> bool {
    !run.is_empty()
        && run.len() <= 3
        && run.iter().all(|&c| is_separator(c))
        && (run == ['.'] || !run.contains(&'.'))
}

/// A character that makes digits next to it part of a code or a token
/// (`RG-50.030`, `ref_1081108`, CHAT media marks).
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c.is_control()
}

/// Finds runs of digits and separators and reports those that are phone or
/// ID numbers.
fn numbers(chars: &[char], report: &mut impl FnMut(Detection)) {
    let len = chars.len();
    let mut at = 0;
    while at < len {
        let first = chars[at];
        let opens =
            (first == '+' || first == '(') && chars.get(at + 1).is_some_and(char::is_ascii_digit);
        if !(first.is_ascii_digit() || opens) || (at > 0 && is_token_char(chars[at - 1])) {
            at += 1;
            continue;
        }
        let mut end = at + 1;
        while end < len {
            if chars[end].is_ascii_digit() {
                end += 1;
                continue;
            }
            let mut next = end;
            while next < len && next - end < 3 && is_separator(chars[next]) {
                next += 1;
            }
            if next < len && chars[next].is_ascii_digit() && joins(&chars[end..next]) {
                end = next;
            } else {
                break;
            }
        }
        let token = (end < len && is_token_char(chars[end])) || continues_code(chars, at);
        if token {
            // Part of a code or of a token of letters and digits (the ID
            // patterns' business).
            at = end;
            while at < len && is_token_char(chars[at]) {
                at += 1;
            }
            continue;
        }
        let start = if first == '(' { at + 1 } else { at };
        if let Some(detector) = classify(chars, start, end) {
            let closed = first == '(' && chars[start..end].contains(&')');
            report(Detection {
                start: if closed { at } else { start },
                end,
                detector,
            });
        }
        at = end.max(at + 1);
    }
}

/// Whether the digits at `at` continue a code such as `RG-50.030` or
/// `H-2`: a hyphen or dot right after letters or digits, unless those are
/// an ID word (`ID-12345678`, `CC.79456123`).
fn continues_code(chars: &[char], at: usize) -> bool {
    if at < 2 || !matches!(chars[at - 1], '-' | '.') || !chars[at - 2].is_alphanumeric() {
        return false;
    }
    let mut b = at - 1;
    while b > 0 && chars[b - 1].is_alphanumeric() {
        b -= 1;
    }
    let word: String = chars[b..at - 1].iter().collect();
    !is_id_context(&fold(&word))
}

/// What the number `chars[start..end]` is, if personal.
fn classify(chars: &[char], start: usize, end: usize) -> Option<Detector> {
    let surface: String = chars[start..end].iter().collect();
    let plus = surface.starts_with('+');
    let groups: Vec<&str> = surface
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let digits: usize = groups.iter().map(|g| g.len()).sum();
    if digits < 6 || is_amount(chars, start, end) {
        return None;
    }
    let (phone_context, id_context) = context(chars, start);
    if is_date_or_years(&surface, &groups) {
        return None;
    }
    if digits > 15 {
        return Some(Detector::Id);
    }
    if id_context && !plus {
        return Some(Detector::Id);
    }
    if digits < 7 {
        return None;
    }
    if plus || phone_context {
        return Some(Detector::Phone);
    }
    let p = patterns();
    let amount = |s: &str| p.thousands.is_match(s) || p.decimal.is_match(s);
    // `1.998 1.001`: numbers side by side, not one.
    if amount(&surface) || surface.split(' ').filter(|s| s.contains('.')).any(amount) {
        return None;
    }
    if p.ssn.is_match(&surface) {
        return Some(Detector::Id);
    }
    if groups.len() == 1 {
        return Some(if digits > 12 {
            Detector::Id
        } else {
            Detector::Phone
        });
    }
    let phone_like = groups.len() <= 6
        && groups.iter().any(|g| g.len() >= 3)
        && groups.last().is_some_and(|g| g.len() >= 2);
    phone_like.then_some(Detector::Phone)
}

/// Years (`2018-2023`, `2018 2019`) and dates (`2024-02-20`, `20.02.2024`).
fn is_date_or_years(surface: &str, groups: &[&str]) -> bool {
    let year = |g: &str| g.len() == 4 && g.parse::<u32>().is_ok_and(|y| (1500..=2099).contains(&y));
    if groups.iter().all(|g| year(g)) {
        return true;
    }
    if groups.len() != 3 {
        return false;
    }
    let seps: Vec<char> = surface.chars().filter(|c| !c.is_ascii_digit()).collect();
    if seps.len() != 2 || seps[0] != seps[1] || !matches!(seps[0], '-' | '.' | '/') {
        return false;
    }
    let num = |g: &str| g.parse::<u32>().unwrap_or(0);
    let day_month = |d: &str, m: &str| {
        d.len() <= 2 && m.len() <= 2 && (1..=31).contains(&num(d)) && (1..=12).contains(&num(m))
    };
    let ymd =
        year(groups[0]) && (day_month(groups[2], groups[1]) || day_month(groups[1], groups[2]));
    let dmy = (groups[2].len() == 2 || year(groups[2]))
        && (day_month(groups[0], groups[1]) || day_month(groups[1], groups[0]));
    ymd || dmy
}

/// A currency sign before, or `%`, a currency, a unit or a count word
/// after.
fn is_amount(chars: &[char], start: usize, end: usize) -> bool {
    let mut b = start;
    while b > 0 && chars[b - 1] == ' ' {
        b -= 1;
    }
    if b > 0 {
        let prev = chars[b - 1];
        if matches!(prev, '$' | '€' | '£' | '¥' | '₡' | '¢' | '₲' | '₱')
            || (prev == '/' && b > 1 && chars[b - 2].eq_ignore_ascii_case(&'s'))
        {
            return true;
        }
    }
    let after: String = chars[end..chars.len().min(end + 24)].iter().collect();
    let after = after.trim_start();
    if after.starts_with('%') {
        return true;
    }
    let folded = fold(after);
    words(&folded).next().is_some_and(is_amount_word)
}

/// Whether a phone word and an ID word come shortly before `start`, on
/// the same line.
fn context(chars: &[char], start: usize) -> (bool, bool) {
    let mut b = start;
    while b > 0 && start - b < 48 && chars[b - 1] != '\n' {
        b -= 1;
    }
    // Without dots, so that `C.C.` reads `cc` and `Tel.` reads `tel`.
    let before: String = chars[b..start].iter().filter(|&&c| c != '.').collect();
    let folded = fold(&before);
    let last: Vec<&str> = words(&folded).collect();
    let last = &last[last.len().saturating_sub(5)..];
    (
        last.iter().any(|w| is_phone_context(w)),
        last.iter().any(|w| is_id_context(w)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, &'static str)> {
        let chars: Vec<char> = text.chars().collect();
        Detectors::new(&Detector::ALL)
            .find(text, &chars)
            .into_iter()
            .map(|d| (chars[d.start..d.end].iter().collect(), d.detector.as_str()))
            .collect()
    }

    #[test]
    fn keys_unify_forms() {
        assert_eq!(Detector::Phone.key("+57 310-555-1234"), "3105551234");
        assert_eq!(Detector::Phone.key("(310) 555 1234"), "3105551234");
        assert_eq!(Detector::Id.key("v-12.345.678"), "V12345678");
        assert_eq!(
            Detector::Email.key("Maria.P@Gmail.com"),
            "maria.p@gmail.com"
        );
    }

    #[test]
    fn parenthesized_area_code_is_kept_in_the_span() {
        assert_eq!(
            found("llame al (502) 5555-1234"),
            [("(502) 5555-1234".to_owned(), "phone")]
        );
    }
}
