//! Bytes to text: encoding detection for transcripts and CSV sheets.
//!
//! Order: a byte-order mark (UTF-8, UTF-16LE/BE) wins; then UTF-8 if the
//! bytes are valid UTF-8; then UTF-16 without a mark when every other byte
//! is zero; then Windows-1252 (a superset of Latin-1's printable range, what
//! Spanish transcripts saved on Windows use). Content that decodes to many
//! control characters is refused as binary.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

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
    let (encoding, body) = if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        (enc, &bytes[bom_len..])
    } else if std::str::from_utf8(bytes).is_ok() {
        (UTF_8, bytes)
    } else if let Some(enc) = utf16_without_bom(bytes) {
        (enc, bytes)
    } else {
        (WINDOWS_1252, bytes)
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors && encoding != WINDOWS_1252 {
        return Err(format!("invalid {} text", encoding.name()));
    }
    if looks_binary(&text) {
        return Err("binary content, not a text file".into());
    }
    if text.trim().is_empty() {
        return Err("no text in the file (only whitespace)".into());
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
    })
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

/// True when more than 1 in 100 of the first 64 KiB of characters are
/// control characters other than tab, line feed, carriage return and form
/// feed (or any is NUL).
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(65_536) {
        total += 1;
        if c == '\0' {
            return true;
        }
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\u{15}'))
            || c == '\u{FFFD}'
        {
            control += 1;
        }
    }
    control * 100 > total
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
}
