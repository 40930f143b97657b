//! Pseudonym labels: `[P07]` for people, `[KIND-n]` for everything else
//! (`[PLACE-3]`, `[ORG-2]`, `[EMAIL-1]`, `[PHONE-1]`, `[ID-1]`).

/// The kind of people.
pub const PERSON: &str = "person";

/// The pseudonym number `n` of an entity of `kind`.
pub fn label(kind: &str, n: u32) -> String {
    if kind == PERSON {
        format!("[P{n:02}]")
    } else {
        format!("[{}-{n}]", kind.to_uppercase())
    }
}

/// The number of a pseudonym of `kind`, if it is one.
pub fn number(kind: &str, pseudonym: &str) -> Option<u32> {
    let inner = pseudonym.strip_prefix('[')?.strip_suffix(']')?;
    let digits = if kind == PERSON {
        inner.strip_prefix('P')?
    } else {
        inner
            .strip_prefix(kind.to_uppercase().as_str())?
            .strip_prefix('-')?
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&n| n > 0)
}

/// The pseudonym as it goes into an id: lower case, no brackets (`p07`,
/// `place-3`).
pub fn slug(pseudonym: &str) -> String {
    pseudonym
        .trim_matches(|c| c == '[' || c == ']')
        .replace('/', "-")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        assert_eq!(label(PERSON, 7), "[P07]");
        assert_eq!(label(PERSON, 123), "[P123]");
        assert_eq!(label("place", 3), "[PLACE-3]");
        assert_eq!(number(PERSON, "[P07]"), Some(7));
        assert_eq!(number("place", "[PLACE-3]"), Some(3));
        assert_eq!(number("place", "[ORG-3]"), None);
        assert_eq!(number(PERSON, "[P0]"), None);
        assert_eq!(slug("[PLACE-3]"), "place-3");
    }
}
