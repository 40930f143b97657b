//! Bytes to text: encoding detection for transcripts and CSV sheets.
//!
//! Order: a byte-order mark (UTF-8, UTF-16LE/BE) wins; then UTF-8 if the
//! bytes are valid UTF-8; then UTF-16 without a mark when every other byte
//! is zero; then Windows-1252 (a superset of Latin-1's printable range, what
//! Spanish transcripts saved on Windows use). Content that decodes to many
//! control characters is refused as binary.
//!
//! [`check_lines`] applies the limits on lines ([`MAX_LINE_BYTES`],
//! [`MAX_LINES`]) that the transcript and sheet readers share.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Longest line of text read, in bytes of UTF-8 (1 MiB). The longest line
/// of the real corpora voces is tested on is 71 KB (a long turn written on
/// one line); a longer one is a file that is not a transcript or a sheet.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Most lines of text read from one file (one million). The real corpora
/// voces is tested on have at most about 5,000; each line costs memory in
/// the readers, so a file of millions of tiny lines is refused.
pub const MAX_LINES: usize = 1_000_000;

/// Decoded text and the encoding it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// Name of the encoding (`UTF-8`, `UTF-16LE`, `windows-1252`...).
    pub encoding: &'static str,
}

/// Decodes `bytes`, or says why they are not text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if bytes.is_empty() {
        return Err("empty file".into());
    }
    let bom = Encoding::for_bom(bytes);
    let (encoding, body) = match bom {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None => (UTF_8, bytes),
    };
    // UTF-8 (the common case) is validated once (by SIMD), then copied.
    let (encoding, text) = match simdutf8::basic::from_utf8(body) {
        Ok(text) if encoding == UTF_8 => (UTF_8, text.to_owned()),
        _ => {
            let encoding = match bom {
                Some(_) => encoding,
                None => utf16_without_bom(bytes).unwrap_or(WINDOWS_1252),
            };
            let (text, had_errors) = encoding.decode_without_bom_handling(body);
            if had_errors && encoding != WINDOWS_1252 {
                return Err(format!("invalid {} text", encoding.name()));
            }
            (encoding, text.into_owned())
        }
    };
    if looks_binary(&text) {
        return Err("binary content, not a text file".into());
    }
    if text.trim().is_empty() {
        return Err("no text in the file (only whitespace)".into());
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
    })
}

/// A limit on lines that a text breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineLimit {
    /// This 1-based line is longer than [`MAX_LINE_BYTES`].
    TooLong(usize),
    /// The text has more than [`MAX_LINES`] lines.
    TooMany,
}

impl std::fmt::Display for LineLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineLimit::TooLong(line) => write!(
                f,
                "line {line} is longer than {} MiB, the most voces reads on one line (is it a text file?)",
                MAX_LINE_BYTES >> 20
            ),
            LineLimit::TooMany => {
                write!(
                    f,
                    "more than {MAX_LINES} lines, the most voces reads from one file"
                )
            }
        }
    }
}

/// Checks decoded text against [`MAX_LINE_BYTES`] and [`MAX_LINES`] (a
/// line ends at `\n`, `\r\n` or a lone `\r`), in one pass that allocates
/// nothing. Transcript and sheet readers call it before they split the text
/// into lines.
pub fn check_lines(text: &str) -> Result<(), LineLimit> {
    let bytes = text.as_bytes();
    let mut lines = 0usize;
    let mut start = 0usize;
    loop {
        let end = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map(|i| start + i);
        let at = end.unwrap_or(bytes.len());
        if end.is_none() && at == start && lines > 0 {
            // The text ends with a line break: no last, empty line.
            return Ok(());
        }
        lines += 1;
        if at - start > MAX_LINE_BYTES {
            return Err(LineLimit::TooLong(lines));
        }
        if lines > MAX_LINES {
            return Err(LineLimit::TooMany);
        }
        let Some(i) = end else {
            return Ok(());
        };
        start = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i + 2
        } else {
            i + 1
        };
    }
}

fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let n = bytes.len().min(4096) / 2 * 2;
    if n < 4 {
        return None;
    }
    let pairs = bytes[..n].chunks_exact(2);
    let total = pairs.len();
    let (mut even_zero, mut odd_zero) = (0, 0);
    for p in pairs {
        even_zero += usize::from(p[0] == 0);
        odd_zero += usize::from(p[1] == 0);
    }
    if odd_zero * 10 >= total * 9 && even_zero == 0 {
        Some(UTF_16LE)
    } else if even_zero * 10 >= total * 9 && odd_zero == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Bytes of a text [`looks_binary`] looks at.
const BINARY_SAMPLE: usize = 65_536;

/// True when, in the first [`BINARY_SAMPLE`] bytes, more than 1 in 100
/// characters are control characters other than tab, line feed, carriage
/// return, form feed and U+0015, or U+FFFD (what decoding left of invalid
/// bytes), or any is NUL.
///
/// Counted byte by byte, in passes the compiler vectorizes: ASCII controls
/// are single bytes, the C1 controls U+0080..U+009F are `C2 80..C2 9F`,
/// and characters are the bytes that are not UTF-8 continuation bytes.
fn looks_binary(text: &str) -> bool {
    let bytes = &text.as_bytes()[..text.len().min(BINARY_SAMPLE)];
    if memchr::memchr(0, bytes).is_some() {
        return true;
    }
    let ascii = count_bytes(bytes, |b| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x15)) || b == 0x7F
    });
    let c1 = memchr::memchr_iter(0xC2, bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(|b| (0x80..0xA0).contains(b)))
        .count();
    let replaced = memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count();
    let chars = count_bytes(bytes, |b| b & 0xC0 != 0x80);
    (ascii + c1 + replaced) * 100 > chars
}

/// How many of `bytes` satisfy `test`, counted in `u8`s over blocks of 255
/// bytes so the compiler can count many bytes per instruction.
fn count_bytes(bytes: &[u8], test: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|block| {
            block
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(test(b))))
        })
        .map(usize::from)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_plain() {
        let d = decode("Sí, señor.".as_bytes()).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Sí, señor.", "UTF-8"));
    }

    #[test]
    fn utf8_bom_dropped() {
        let d = decode(b"\xEF\xBB\xBFhola").unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("hola", "UTF-8"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Año".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap().text, "Año");
        let mut be = vec![0xFE, 0xFF];
        be.extend("Año".encode_utf16().flat_map(u16::to_be_bytes));
        let d = decode(&be).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("Año", "UTF-16BE"));
    }

    #[test]
    fn utf16_without_bom_detected() {
        let le: Vec<u8> = "Entrevista: migración"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&le).unwrap().text, "Entrevista: migración");
    }

    #[test]
    fn latin1_spanish() {
        // "Migración, año, ¿por qué?" in Windows-1252.
        let bytes = b"Migraci\xf3n, a\xf1o, \xbfpor qu\xe9?";
        let d = decode(bytes).unwrap();
        assert_eq!(d.text, "Migración, año, ¿por qué?");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn line_limits() {
        assert_eq!(check_lines(""), Ok(()));
        assert_eq!(check_lines("a\r\nb\rc\n"), Ok(()));
        let longest = "a".repeat(MAX_LINE_BYTES);
        assert_eq!(check_lines(&format!("x\n{longest}\r\ny")), Ok(()));
        assert_eq!(check_lines(&longest), Ok(()));
        let e = check_lines(&format!("x\r\n{longest}b\ny")).unwrap_err();
        assert_eq!(e, LineLimit::TooLong(2));
        assert_eq!(
            e.to_string(),
            "line 2 is longer than 1 MiB, the most voces reads on one line (is it a text file?)"
        );
        assert!(check_lines(&format!("x\n{longest}b")).is_err());
        let most = "\n".repeat(MAX_LINES);
        assert_eq!(check_lines(&most), Ok(()));
        assert_eq!(
            check_lines(&(most.clone() + "\n")).unwrap_err().to_string(),
            "more than 1000000 lines, the most voces reads from one file"
        );
        assert!(check_lines(&(most + "last line")).is_err());
        // A lone CR ends a line too; CRLF is one break.
        assert_eq!(
            check_lines(&"\r".repeat(MAX_LINES + 1)),
            Err(LineLimit::TooMany)
        );
        assert_eq!(check_lines(&"a\r\n".repeat(MAX_LINES)), Ok(()));
    }

    #[test]
    fn refusals() {
        assert_eq!(decode(b"").unwrap_err(), "empty file");
        assert!(decode(b"  \n\t ").unwrap_err().contains("only whitespace"));
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(decode(&junk).unwrap_err().contains("binary"));
        assert!(
            decode(b"PK\x03\x04\x00\x00binary")
                .unwrap_err()
                .contains("binary")
        );
    }

    proptest::proptest! {
        /// The byte-wise counts agree with counting characters one by one.
        #[test]
        fn binary_check_counts_characters(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", "printable ascii text", " ", "\n", "\r\n", "\t", "\u{1}", "\u{7F}",
                "\u{85}", "\u{9F}", "ñ", "é", "\u{FFFD}", "日本", "\u{C}", "\u{15}", "\0",
            ]), 0..200)
        ) {
            let text = pieces.concat();
            let (mut total, mut control) = (0usize, 0usize);
            let mut nul = false;
            for c in text.chars() {
                total += 1;
                nul |= c == '\0';
                control += usize::from(
                    (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\u{15}'))
                        || c == '\u{FFFD}',
                );
            }
            proptest::prop_assert_eq!(looks_binary(&text), nul || control * 100 > total);
        }
    }
}
