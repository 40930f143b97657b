//! Negation: "we did **not** pay a coyote", "**nunca** tuvimos cita".
//!
//! A rule with `negation = true` skips a match preceded by a negator of the
//! rule's language with at most [`NEGATION_WINDOW`] (3) words between them,
//! as `within` counts in a `near` condition: "**no** le pagamos al
//! coyote", "we **never** paid that man".
//! The matching engine gives [`is_negated`] the words before the match in
//! the same clause: not across a sentence ("No. We paid the coyote") nor a
//! comma, semicolon, colon, dash or parenthesis ("No, el coyote nos
//! cobró": the answer negates nothing).
//!
//! Negators, compared ignoring case:
//!
//! - `en`: not, no, never, without, cannot, nor, and every word ending in
//!   `n't` or `n’t` (didn't, don’t, can't), or written without the
//!   apostrophe as transcribers often do (didnt, dont, cant, wont...);
//! - `es`: no, nunca, jamás (jamas), sin, tampoco, ni.
//!
//! A negator followed by "only" or "just" ("not only the coyote", "no solo
//! el coyote", "no sólo", "no solamente", "no nada más") does not negate.
//! Other languages have no negators yet: nothing is negated.

/// Largest number of words between a negator and the match it negates:
/// [`is_negated`] looks at the last `NEGATION_WINDOW + 1` words before a
/// match.
pub const NEGATION_WINDOW: usize = 3;

const EN: &[&str] = &[
    "not", "no", "never", "without", "cannot", "nor", "aint", "arent", "cant", "couldnt", "didnt",
    "doesnt", "dont", "hadnt", "hasnt", "havent", "isnt", "mustnt", "neednt", "shouldnt", "wasnt",
    "werent", "wont", "wouldnt",
];
const EN_NOT_NEGATING_AFTER: &[&str] = &["only", "just", "merely"];

const ES: &[&str] = &["no", "nunca", "jamás", "jamas", "sin", "tampoco", "ni"];
const ES_NOT_NEGATING_AFTER: &[&str] = &["solo", "sólo", "solamente", "únicamente", "nada"];

/// True when one of the last `NEGATION_WINDOW + 1` words of `words_before`
/// (the words before a match, in text order) is a negator of `lang` (ISO
/// 639-1) not followed by "only". Negators: English *not, no, never,
/// without, cannot, nor* and words ending in *n't* (also written without
/// the apostrophe: *didnt, dont, cant*...); Spanish *no, nunca, jamás,
/// jamas, sin, tampoco, ni*. Other languages have none: nothing is negated.
///
/// ```
/// use voces_code::is_negated;
/// assert!(is_negated(&["we", "never", "paid", "a"], "en"));
/// assert!(is_negated(&["nosotros", "no", "le", "pagamos", "al"], "es"));
/// assert!(!is_negated(&["not", "only", "the"], "en"));
/// assert!(!is_negated(&["no", "we", "paid", "the", "same"], "en")); // too far back
/// ```
pub fn is_negated(words_before: &[&str], lang: &str) -> bool {
    let (negators, exceptions) = match lang {
        "en" => (EN, EN_NOT_NEGATING_AFTER),
        "es" => (ES, ES_NOT_NEGATING_AFTER),
        _ => return false,
    };
    let from = words_before.len().saturating_sub(NEGATION_WINDOW + 1);
    let window = &words_before[from..];
    window.iter().enumerate().any(|(i, word)| {
        let word = word.to_lowercase();
        let negator = negators.contains(&word.as_str())
            || (lang == "en" && (word.ends_with("n't") || word.ends_with("n’t")));
        // What follows the negator may be the match itself (`not only`
        // inside a phrase is the engine's business), so look only inside
        // the words given.
        let next = words_before.get(from + i + 1).map(|w| w.to_lowercase());
        let exception = next.is_some_and(|n| exceptions.contains(&n.as_str()));
        negator && !exception
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn english() {
        for (before, want) in [
            ("we did not pay a", true),
            ("we didn't pay the", true),
            ("we didn’t pay the", true),
            ("we didnt pay the", true),
            ("I can't get an", true),
            ("they never gave us an", true),
            ("we crossed without a", true),
            ("No one", true),
            ("NOT", true),
            ("not only the", false),
            ("not just the", false),
            ("we paid the", false),
            ("not we paid the same", false),
            ("", false),
            ("knot in the", false),
            ("Nothing", false),
        ] {
            assert_eq!(is_negated(&words(before), "en"), want, "{before:?}");
        }
    }

    #[test]
    fn spanish() {
        for (before, want) in [
            ("nosotros no le pagamos al", true),
            ("nunca nos dieron", true),
            ("jamás pagamos", true),
            ("jamas pagamos", true),
            ("nos quedamos sin", true),
            ("tampoco teníamos", true),
            ("ni", true),
            ("No", true),
            ("no solo el", false),
            ("no sólo al", false),
            ("no nada más", false),
            ("no le pagamos nada al", false),
            ("le pagamos al", false),
            ("sino al", false),
            ("nosotros", false),
        ] {
            assert_eq!(is_negated(&words(before), "es"), want, "{before:?}");
        }
    }

    #[test]
    fn at_most_three_words_between() {
        assert!(is_negated(&words("no a b c"), "es"));
        assert!(!is_negated(&words("no a b c d"), "es"));
        assert!(is_negated(&words("x never a b c"), "en"));
    }

    #[test]
    fn other_languages_are_never_negated() {
        assert!(!is_negated(&words("nicht"), "de"));
        assert!(!is_negated(&words("no"), "fr"));
    }
}
