//! Stable ids.

/// Turns a file stem into an id usable as a file name and on the command
/// line: letters and digits (any script) kept, `.`, `_` and `-` kept, every
/// other run of characters turned into one `-`. Never empty.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.trim().chars() {
        if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
            if c == '-' && dash {
                continue;
            }
            out.push(c);
            dash = c == '-';
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    let out = out.trim_matches(['-', '.']).to_owned();
    if out.is_empty() {
        "interview".to_owned()
    } else {
        out
    }
}

/// The id of the `index`-th (from 0) segment of an interview.
pub fn segment_id(interview: &str, index: usize) -> String {
    // Built by hand, not with `format!`: ingest makes one per segment.
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = index + 1;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut id = String::with_capacity(interview.len() + 1 + digits.len() - at);
    id.push_str(interview);
    id.push('#');
    id.extend(digits[at..].iter().map(|&d| char::from(d)));
    id
}

/// Lower-case hexadecimal of `bytes`: how digests (source hashes, index
/// revisions, codebook and settings hashes) are written everywhere.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// An incremental SHA-256: source files, index revisions, codebook and
/// settings hashes all go through it.
pub struct Sha256(ring::digest::Context);

impl Sha256 {
    /// An empty hash.
    pub fn new() -> Sha256 {
        Sha256(ring::digest::Context::new(&ring::digest::SHA256))
    }

    /// Adds `bytes` after what was added before.
    pub fn update(&mut self, bytes: impl AsRef<[u8]>) {
        self.0.update(bytes.as_ref());
    }

    /// The digest of everything added.
    pub fn finish(self) -> [u8; 32] {
        let mut out = [0; 32];
        out.copy_from_slice(self.0.finish().as_ref());
        out
    }
}

impl Default for Sha256 {
    fn default() -> Sha256 {
        Sha256::new()
    }
}

impl std::fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sha256")
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, bytes).as_ref())
}

/// Splits a segment id into the interview id and the 0-based index.
pub fn parse_segment_id(id: &str) -> Option<(&str, usize)> {
    let (interview, n) = id.rsplit_once('#')?;
    let n: usize = n.parse().ok()?;
    let index = n.checked_sub(1)?;
    (!interview.is_empty()).then_some((interview, index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_published_test_vectors() {
        // FIPS 180-2, appendix B.1 and the empty message.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let mut h = Sha256::new();
        h.update("a");
        h.update(b"bc");
        assert_eq!(hex(&h.finish()), sha256_hex(b"abc"));
    }

    #[test]
    fn hex_is_two_lower_case_digits_per_byte() {
        assert_eq!(hex(&[0x00, 0xab, 0x10, 0xff]), "00ab10ff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn slugs() {
        for (name, want) in [
            ("Interview 10", "Interview-10"),
            ("ALCA_H11_037", "ALCA_H11_037"),
            ("anna-braun.en", "anna-braun.en"),
            ("  entrevista (José) ", "entrevista-José"),
            ("../../etc/passwd", "etc-passwd"),
            ("???", "interview"),
        ] {
            assert_eq!(slug(name), want, "{name}");
        }
    }

    #[test]
    fn segment_ids_round_trip() {
        for (index, want) in [(0, "a#1"), (8, "a#9"), (9, "a#10"), (99_999, "a#100000")] {
            assert_eq!(segment_id("a", index), want);
        }
        let id = segment_id("Interview-10", 4);
        assert_eq!(id, "Interview-10#5");
        assert_eq!(parse_segment_id(&id), Some(("Interview-10", 4)));
        assert_eq!(parse_segment_id("x#0"), None);
        assert_eq!(parse_segment_id("x"), None);
    }
}
