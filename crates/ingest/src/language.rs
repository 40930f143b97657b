//! Language detection, restricted to the project's languages.
//!
//! Two signals are combined. whatlang's trigram model knows many languages
//! but is unreliable on the short turns interviews are made of (it reads
//! "Eleven days, I think, through the desert." as Spanish). Function words
//! (articles, pronouns, prepositions) are a strong signal even in one
//! sentence, so for languages with a built-in list ([`FUNCTION_WORDS`]) a
//! clear function-word majority decides; otherwise whatlang decides when it
//! says its guess is reliable, and else there is no answer (the caller
//! falls back to the interview's language).
//!
//! Languages are named by ISO 639-1 codes everywhere in voces (`en`, `es`);
//! whatlang uses ISO 639-3, so this module maps between the two.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use whatlang::Lang;

/// ISO 639-1 code and the whatlang language, for every language whatlang
/// detects that has a two-letter code.
const LANGS: &[(&str, Lang)] = &[
    ("af", Lang::Afr),
    ("ak", Lang::Aka),
    ("am", Lang::Amh),
    ("ar", Lang::Ara),
    ("az", Lang::Aze),
    ("be", Lang::Bel),
    ("bg", Lang::Bul),
    ("bn", Lang::Ben),
    ("ca", Lang::Cat),
    ("cs", Lang::Ces),
    ("da", Lang::Dan),
    ("de", Lang::Deu),
    ("el", Lang::Ell),
    ("en", Lang::Eng),
    ("eo", Lang::Epo),
    ("es", Lang::Spa),
    ("et", Lang::Est),
    ("fa", Lang::Pes),
    ("fi", Lang::Fin),
    ("fr", Lang::Fra),
    ("gu", Lang::Guj),
    ("he", Lang::Heb),
    ("hi", Lang::Hin),
    ("hr", Lang::Hrv),
    ("hu", Lang::Hun),
    ("hy", Lang::Hye),
    ("id", Lang::Ind),
    ("it", Lang::Ita),
    ("ja", Lang::Jpn),
    ("jv", Lang::Jav),
    ("ka", Lang::Kat),
    ("km", Lang::Khm),
    ("kn", Lang::Kan),
    ("ko", Lang::Kor),
    ("la", Lang::Lat),
    ("lt", Lang::Lit),
    ("lv", Lang::Lav),
    ("mk", Lang::Mkd),
    ("ml", Lang::Mal),
    ("mr", Lang::Mar),
    ("my", Lang::Mya),
    ("nb", Lang::Nob),
    ("ne", Lang::Nep),
    ("nl", Lang::Nld),
    ("or", Lang::Ori),
    ("pa", Lang::Pan),
    ("pl", Lang::Pol),
    ("pt", Lang::Por),
    ("ro", Lang::Ron),
    ("ru", Lang::Rus),
    ("si", Lang::Sin),
    ("sk", Lang::Slk),
    ("sl", Lang::Slv),
    ("sn", Lang::Sna),
    ("sr", Lang::Srp),
    ("sv", Lang::Swe),
    ("ta", Lang::Tam),
    ("te", Lang::Tel),
    ("th", Lang::Tha),
    ("tk", Lang::Tuk),
    ("tl", Lang::Tgl),
    ("tr", Lang::Tur),
    ("uk", Lang::Ukr),
    ("ur", Lang::Urd),
    ("uz", Lang::Uzb),
    ("vi", Lang::Vie),
    ("yi", Lang::Yid),
    ("zh", Lang::Cmn),
    ("zu", Lang::Zul),
];

/// The whatlang language of an ISO 639-1 code.
pub fn whatlang_of(code: &str) -> Option<Lang> {
    LANGS.iter().find(|(c, _)| *c == code).map(|&(_, l)| l)
}

/// The ISO 639-1 code of a whatlang language.
pub fn code_of(lang: Lang) -> Option<&'static str> {
    LANGS.iter().find(|(_, l)| *l == lang).map(|&(c, _)| c)
}

/// The ISO 639-1 code of an ISO 639-3 (or 639-2/B) code such as `spa`,
/// `eng`, `fre`; `None` when unknown.
pub fn code_of_639_3(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_lowercase();
    let aliases = [
        ("fre", "fra"),
        ("ger", "deu"),
        ("dut", "nld"),
        ("chi", "cmn"),
        ("zho", "cmn"),
        ("per", "pes"),
        ("fas", "pes"),
    ];
    let code = aliases
        .iter()
        .find(|(a, _)| *a == code)
        .map_or(code.as_str(), |(_, c)| c);
    Lang::from_code(code).and_then(code_of)
}

/// Detects among a fixed set of languages.
#[derive(Debug, Clone)]
pub struct Detector {
    inner: whatlang::Detector,
    only: Option<&'static str>,
    /// Codes of the project's languages that have a function-word list.
    words: Vec<&'static str>,
    /// Function word → bit set of the indexes in `words` it belongs to.
    lookup: WordTable,
}

/// Frequent function words that are not also common words of another
/// listed language (`a`, `no`, `me`, `he`, `son`, `de`/`da` across the
/// Romance languages... are left out on purpose).
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "in", "is", "was", "that", "it", "for", "you", "we", "they",
            "with", "have", "had", "but", "not", "this", "what", "there", "my", "our", "are",
            "were", "be", "been", "on", "at", "from", "by", "she", "his", "i", "so", "if", "would",
            "could", "did", "when", "where", "how", "about", "after", "then", "them", "their",
            "just", "because", "very", "all", "an", "or", "yes", "which", "who", "will", "can",
            "your", "us", "into", "some", "think", "know",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "que", "y", "en", "un", "una", "por", "para", "con", "es",
            "se", "lo", "le", "les", "del", "al", "su", "sus", "pero", "como", "más", "muy", "fue",
            "era", "estaba", "porque", "cuando", "donde", "dónde", "qué", "yo", "nosotros",
            "ellos", "mi", "mis", "sí", "también", "hay", "ya", "está", "esta", "este", "eso",
            "esto", "nos", "ha", "han", "sin", "sobre", "entre", "hasta", "desde", "bueno",
            "entonces", "todo", "todos", "nada", "usted", "ustedes", "pues",
        ],
    ),
    (
        "pt",
        &[
            "o", "os", "as", "que", "e", "em", "um", "uma", "para", "com", "não", "se", "do", "da",
            "dos", "das", "no", "na", "nos", "ao", "pelo", "pela", "mas", "como", "mais", "muito",
            "foi", "era", "estava", "porque", "quando", "onde", "eu", "nós", "eles", "meu",
            "minha", "sim", "também", "há", "já", "está", "isso", "isto", "você", "ele", "ela",
            "então", "tudo", "nada", "até",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "est", "un", "une", "des", "du", "au", "aux", "pour", "avec",
            "pas", "ne", "qui", "que", "dans", "sur", "par", "mais", "nous", "vous", "ils", "elle",
            "je", "j'ai", "c'est", "il", "ce", "cette", "était", "avait", "sont", "ont", "très",
            "aussi", "quand", "où", "oui", "non", "mon", "ma", "mes", "notre", "leur", "tout",
            "rien", "parce", "alors", "ça", "y", "on",
        ],
    ),
    (
        "it",
        &[
            "il", "lo", "la", "gli", "le", "che", "e", "è", "un", "una", "per", "con", "non", "si",
            "del", "della", "dei", "nel", "nella", "al", "alla", "ma", "come", "più", "molto",
            "era", "sono", "stato", "perché", "quando", "dove", "io", "noi", "loro", "mio", "mia",
            "sì", "anche", "c'è", "già", "questo", "questa", "quello", "ci", "anche", "allora",
            "tutto", "niente", "fino",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "dem", "mit",
            "sich", "auf", "für", "von", "war", "ich", "wir", "sie", "es", "auch", "aber", "wie",
            "noch", "nach", "bei", "aus", "wenn", "wo", "ja", "nein", "mein", "unser", "haben",
            "hatte", "wurde", "sind", "sehr", "dann", "weil", "schon", "nichts", "alles", "bis",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "en", "van", "is", "niet", "dat", "ik", "je", "wij", "we", "zijn",
            "met", "op", "voor", "aan", "maar", "ook", "als", "er", "was", "waren", "heb",
            "hebben", "had", "naar", "bij", "uit", "wanneer", "waar", "ja", "nee", "mijn", "onze",
            "heel", "dan", "omdat", "al", "niets", "alles", "tot",
        ],
    ),
];

/// Characters of an interview [`outside_project`] looks at: whatlang's
/// trigram profiles are settled long before (it is sure of a language from
/// a few sentences), and this check runs on every interview ingested.
const OUTSIDE_SAMPLE: usize = 1000;

/// The language of `text` when whatlang, free to choose any language, is
/// sure it is one the project does not list (ISO 639-1 code and name).
/// Only the first [`OUTSIDE_SAMPLE`] characters are looked at.
pub fn outside_project(text: &str, languages: &[String]) -> Option<String> {
    let end = text
        .char_indices()
        .nth(OUTSIDE_SAMPLE)
        .map_or(text.len(), |(i, _)| i);
    let info = whatlang::detect(&text[..end])?;
    let code = code_of(info.lang())?;
    (info.is_reliable() && info.confidence() >= 0.9 && !languages.iter().any(|l| l == code))
        .then(|| format!("{} ({code})", info.lang().eng_name()))
}

/// Function words → bit set of the languages (indexes into
/// [`Detector::words`]) they belong to. It is looked up once per word of
/// every sentence, so a word is not hashed: its first byte and length pick
/// a bucket of the few function words that share them (most words find
/// their bucket empty), and its bytes packed into one integer
/// ([`packed`]) are compared with theirs.
#[derive(Debug, Clone)]
struct WordTable {
    /// Start of each bucket in `entries` (first byte × 16 + length), and
    /// one past the last.
    starts: Vec<u32>,
    /// Packed function words and their languages, by bucket.
    entries: Vec<(u128, u32)>,
}

/// Buckets of a [`WordTable`]: one per first byte and length (below 16).
const BUCKETS: usize = 256 * 16;

impl WordTable {
    /// The table of these (not empty, lower-case) function words, each
    /// with the index of its language.
    fn new<'a>(words: impl IntoIterator<Item = (&'a str, usize)>) -> WordTable {
        let mut all: Vec<(usize, u128, u32)> = words
            .into_iter()
            .filter_map(|(word, index)| {
                let bucket = WordTable::bucket(word.as_bytes()[0], word.len());
                Some((bucket, packed(word.as_bytes())?, 1 << index))
            })
            .collect();
        all.sort_unstable();
        // A word of several languages: one entry with all their bits.
        all.dedup_by(|later, kept| {
            let same = later.1 == kept.1;
            if same {
                kept.2 |= later.2;
            }
            same
        });
        let mut starts = Vec::with_capacity(BUCKETS + 1);
        let mut at = 0;
        for bucket in 0..=BUCKETS {
            while all.get(at).is_some_and(|e| e.0 < bucket) {
                at += 1;
            }
            starts.push(at as u32);
        }
        WordTable {
            starts,
            entries: all.into_iter().map(|(_, key, bits)| (key, bits)).collect(),
        }
    }

    fn bucket(first: u8, len: usize) -> usize {
        usize::from(first) * 16 + len.min(15)
    }

    /// The languages of the word `key` ([`packed`], lower case) that
    /// starts with `first` and has `len` bytes, as a bit set.
    fn get(&self, first: u8, len: usize, key: u128) -> Option<u32> {
        let bucket = WordTable::bucket(first, len);
        let (start, end) = (self.starts[bucket], self.starts[bucket + 1]);
        self.entries[start as usize..end as usize]
            .iter()
            .find(|(k, _)| *k == key)
            .map(|&(_, bits)| bits)
    }

    /// False when no function word starts with `first` and has `len`
    /// bytes: most words, turned away before they are packed.
    fn may_hold(&self, first: u8, len: usize) -> bool {
        let bucket = WordTable::bucket(first, len);
        self.starts[bucket] != self.starts[bucket + 1]
    }
}

/// Longest word (in bytes) looked up; longer ones are no function words.
const MAX_WORD: usize = 12;

/// `word`'s bytes and length in one integer, if it is at most 15 bytes.
fn packed(word: &[u8]) -> Option<u128> {
    let mut buf = [0u8; 16];
    buf.get_mut(..word.len())?.copy_from_slice(word);
    *buf.get_mut(15)? = u8::try_from(word.len()).ok().filter(|&n| n < 16)?;
    Some(u128::from_le_bytes(buf))
}

/// [`packed`] of the word at `start..start + len` of `text` (at most
/// [`MAX_WORD`] bytes) lower-cased, if it is all ASCII. Setting bit 5 of
/// each byte lower-cases a letter; the other characters a UAX #29 word can
/// hold (digits, `'`, `.`, `:`, `,`, `;`, `_`) become no letter and no
/// apostrophe, so they still match no function word. The bytes are loaded
/// 16 at a time when the text has them, and masked.
fn packed_ascii_lower(text: &[u8], start: usize, len: usize) -> Option<u128> {
    let used = (1u128 << (8 * len)) - 1;
    let key = if let Some(Ok(chunk)) = text.get(start..start + 16).map(<[u8; 16]>::try_from) {
        u128::from_le_bytes(chunk) & used | (len as u128) << 120
    } else {
        // Near the end of the text: copied (`len` is at most `MAX_WORD`).
        packed(&text[start..start + len])?
    };
    let high_bits = u128::from_le_bytes([0x80; 16]) & used;
    (key & high_bits == 0).then(|| key | (u128::from_le_bytes([0x20; 16]) & used))
}

/// [`packed`] of `word` lower-cased, with the first byte and length of the
/// lower-case form, if that is at most 15 bytes.
fn packed_lower(word: &str) -> Option<(u8, usize, u128)> {
    if is_latin1_lower(word.as_bytes()) {
        return Some((word.as_bytes()[0], word.len(), packed(word.as_bytes())?));
    }
    let mut buf = [0u8; 16];
    let mut len = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        let end = len + c.len_utf8();
        c.encode_utf8(buf.get_mut(len..end).filter(|_| end < 16)?);
        len = end;
    }
    buf[15] = len as u8;
    Some((buf[0], len, u128::from_le_bytes(buf)))
}

/// Whether `word` (UTF-8) is all Latin-1 and has no upper-case letter: it
/// is its own lower case (most accented words: `está`, `también`).
fn is_latin1_lower(word: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&b) = word.get(i) {
        match b {
            b'A'..=b'Z' => return false,
            0..0x80 => i += 1,
            0xC2 => i += 2,
            // U+00C0..U+00DE: upper-case letters (and `×`).
            0xC3 if word.get(i + 1).is_some_and(|&c| c >= 0x9F) => i += 2,
            _ => return false,
        }
    }
    true
}

/// Adds to `counts` the languages whose lists hold the word at bytes
/// `word` of `text`, compared lower-cased.
#[inline]
fn count_word(text: &str, word: Range<usize>, counts: &mut [usize], lookup: &WordTable) {
    let bytes = text.as_bytes();
    let len = word.len();
    if len == 0 || len > MAX_WORD {
        return;
    }
    let first = bytes[word.start];
    let ascii = if first < 0x80 {
        // Most words are turned away here, by first byte and length alone
        // (a word keeps its length when only ASCII letters are lowered).
        if !lookup.may_hold(first | 0x20, len) {
            return;
        }
        packed_ascii_lower(bytes, word.start, len).map(|key| (first | 0x20, len, key))
    } else {
        None
    };
    let bits = ascii
        .or_else(|| packed_lower(&text[word]))
        .and_then(|(first, len, key)| lookup.get(first, len, key));
    if let Some(bits) = bits {
        for (i, count) in counts.iter_mut().enumerate() {
            *count += usize::from(bits & (1 << i) != 0);
        }
    }
}

impl Detector {
    /// A detector choosing among `languages` (ISO 639-1 codes whatlang
    /// knows; unknown codes are ignored).
    pub fn new(languages: &[String]) -> Detector {
        let langs: Vec<Lang> = languages.iter().filter_map(|c| whatlang_of(c)).collect();
        let only = match langs.as_slice() {
            [one] => code_of(*one),
            _ => None,
        };
        let lists: Vec<(&'static str, &'static [&'static str])> = FUNCTION_WORDS
            .iter()
            .filter(|(c, _)| langs.iter().any(|l| code_of(*l) == Some(*c)))
            .copied()
            .collect();
        let lookup = WordTable::new(
            lists
                .iter()
                .enumerate()
                .flat_map(|(i, (_, list))| list.iter().map(move |w| (*w, i))),
        );
        Detector {
            inner: whatlang::Detector::with_allowlist(langs),
            only,
            words: lists.iter().map(|(c, _)| *c).collect(),
            lookup,
        }
    }

    /// Function words of each listed project language in `text` (empty
    /// when fewer than two project languages have a list): its UAX #29
    /// words (those with a letter or digit) that a list holds, compared
    /// lower-cased. Counts of pieces of a text cut at word boundaries
    /// (sentences) add up to the counts of the whole.
    pub fn word_counts(&self, text: &str) -> Vec<usize> {
        let mut counts = vec![0; self.word_lists()];
        self.add_word_counts(text, &mut counts);
        counts
    }

    /// How many counts [`Detector::word_counts`] gives: the project
    /// languages with a function-word list, or 0 when fewer than two have
    /// one.
    pub fn word_lists(&self) -> usize {
        if self.words.len() < 2 {
            0
        } else {
            self.words.len()
        }
    }

    /// Adds the [`Detector::word_counts`] of `text` to `counts` (of
    /// [`Detector::word_lists`] entries), without allocating.
    pub fn add_word_counts(&self, text: &str, counts: &mut [usize]) {
        if self.word_lists() > 0 {
            for (start, word) in text.unicode_word_indices() {
                count_word(text, start..start + word.len(), counts, &self.lookup);
            }
        }
    }

    /// Adds to `counts` (of [`Detector::word_lists`] entries) the function
    /// words among `words`: start and end bytes in `text`, flattened, of
    /// UAX #29 words as [`Detector::word_counts`] finds them. What a caller
    /// that has already split the text into words calls.
    pub fn add_words(&self, text: &str, words: &[u32], counts: &mut [usize]) {
        if self.word_lists() > 0 {
            for word in words.chunks_exact(2) {
                count_word(
                    text,
                    word[0] as usize..word[1] as usize,
                    counts,
                    &self.lookup,
                );
            }
        }
    }

    /// The language [`Detector::word_counts`] name, when one clearly
    /// dominates.
    pub fn by_counts(&self, counts: &[usize]) -> Option<(&'static str, f64)> {
        let counts = &counts[..counts.len().min(self.words.len())];
        if counts.len() < 2 {
            return None;
        }
        // The first language with the most words, and the most words any
        // other language has.
        let (best, &n) = counts.iter().enumerate().rev().max_by_key(|&(_, n)| n)?;
        let second = counts
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != best)
            .map(|(_, &n)| n)
            .max()?;
        (n >= 2 && n > 2 * second).then(|| (self.words[best], (n - second) as f64 / n as f64))
    }

    /// The language of `text` by function words alone, when the project has
    /// two or more languages with lists and one clearly dominates. Cheap
    /// and reliable enough for single sentences.
    pub fn by_function_words(&self, text: &str) -> Option<(&'static str, f64)> {
        self.by_counts(&self.word_counts(text))
    }

    /// The language of `text` with a confidence (0 to 1), or `None` when
    /// neither function words nor whatlang can tell.
    pub fn detect(&self, text: &str) -> Option<(&'static str, f64)> {
        self.detect_counted(text, &self.word_counts(text))
    }

    /// [`Detector::detect`] with the text's [`Detector::word_counts`]
    /// already known.
    pub fn detect_counted(&self, text: &str, counts: &[usize]) -> Option<(&'static str, f64)> {
        if let Some(code) = self.only {
            return Some((code, 1.0));
        }
        if let Some(found) = self.by_counts(counts) {
            return Some(found);
        }
        let info = self.inner.detect(text)?;
        let code = code_of(info.lang())?;
        // Only languages without a word list can be named by an
        // unreliable trigram guess; the others had their chance above.
        if info.is_reliable() || !self.words.contains(&code) && info.confidence() >= 0.5 {
            Some((code, info.confidence()))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_lower_case_is_recognized_exactly() {
        for c in (0..=0x2FF).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            let word = c.encode_utf8(&mut buf);
            let own_lower = c.to_lowercase().eq([c]);
            if u32::from(c) < 0x100 && c != '×' {
                assert_eq!(is_latin1_lower(word.as_bytes()), own_lower, "{c:?}");
            } else if is_latin1_lower(word.as_bytes()) {
                assert!(own_lower, "{c:?}");
            }
        }
    }

    proptest::proptest! {
        /// Counting by packed keys and buckets agrees with looking each
        /// UAX #29 word of the text up, lower-cased, in the lists.
        #[test]
        fn function_word_counts_match_a_plain_count(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "the", "The", "THE", "de", "De", "él", "Él", "ÉL", "j'ai", "C'EST", "qué", "Qué",
                "que", "and", "y", "i", "I", "l'", "'", "x", "palabra", "entonces", "ENTONCES",
                "también", "TAMBIÉN", "für", "ça", "où", "é", "3", "a1", " ", ", ", "—", "\n",
                "ſ", "İ", "ǅ", "nosotrosnosotros",
            ]), 0..40)
        ) {
            let langs = ["en", "es", "fr", "de"].map(String::from);
            let d = Detector::new(&langs);
            let text = pieces.concat();
            let mut want = vec![0usize; d.word_lists()];
            for word in text.unicode_words() {
                if word.len() > MAX_WORD {
                    continue;
                }
                let lower = word.to_lowercase();
                for (i, code) in d.words.iter().enumerate() {
                    let list = FUNCTION_WORDS.iter().find(|(c, _)| c == code).unwrap().1;
                    want[i] += usize::from(list.contains(&lower.as_str()));
                }
            }
            proptest::prop_assert_eq!(d.word_counts(&text), want, "{:?}", text);
        }
    }

    #[test]
    fn codes_map_both_ways() {
        for (c, l) in LANGS {
            assert_eq!(whatlang_of(c), Some(*l));
            assert_eq!(code_of(*l), Some(*c));
        }
        assert_eq!(code_of_639_3("spa"), Some("es"));
        assert_eq!(code_of_639_3("ENG"), Some("en"));
        assert_eq!(code_of_639_3("ger"), Some("de"));
        assert_eq!(code_of_639_3("xyz"), None);
    }

    #[test]
    fn detects_within_allowlist() {
        let d = Detector::new(&["en".into(), "es".into()]);
        let es = d
            .detect("No teníamos papeles y tuvimos que pagarle a un coyote para cruzar la frontera")
            .unwrap();
        assert_eq!(es.0, "es");
        let en = d
            .detect("We had no papers so we paid a smuggler to take us across the border")
            .unwrap();
        assert_eq!(en.0, "en");
        // French text is never named French: it is not a project language.
        assert_ne!(
            d.detect("Nous avons attendu huit mois pour un rendez-vous")
                .map(|x| x.0),
            Some("fr")
        );
    }

    #[test]
    fn short_turns_follow_function_words() {
        let d = Detector::new(&["en".into(), "es".into()]);
        for (text, want) in [
            ("Eleven days, I think, through the desert.", Some("en")),
            (
                "In León, in Nicaragua. We left in 1998 — after the hurricane.",
                Some("en"),
            ),
            ("How many days did you walk?", Some("en")),
            (
                "¿Y cuándo llegaron a la frontera con sus hijos?",
                Some("es"),
            ),
            ("Tardaron años. Es una historia larga.", Some("es")),
        ] {
            assert_eq!(d.detect(text).map(|x| x.0), want, "{text}");
        }
    }

    #[test]
    fn function_words_are_whole_words_in_any_case() {
        let d = Detector::new(&["en".into(), "es".into(), "fr".into()]);
        // en, es, fr: "The", "THE" and the quoted 'the' count, "theme" and
        // "the'd" do not; "Qué", "MÁS" are Spanish; "J'ai" and "C'EST"
        // French; "la" is both Spanish and French, "y" too; a 13-letter
        // word is never looked up.
        assert_eq!(
            d.word_counts("The THE theme 'the' the'd ¿Qué? MÁS J'ai C'EST la extraordinarily"),
            [3, 3, 3]
        );
        assert_eq!(d.word_counts(""), [0, 0, 0]);
        assert_eq!(d.word_counts("Él—y—ELLOS"), [0, 2, 1]);
    }

    #[test]
    fn counts_name_a_language_only_with_a_clear_majority() {
        let d = Detector::new(&["en".into(), "es".into(), "fr".into()]);
        assert_eq!(d.by_counts(&[5, 2, 0]), Some(("en", 0.6)));
        assert_eq!(d.by_counts(&[0, 1, 4]), Some(("fr", 0.75)));
        assert_eq!(d.by_counts(&[3, 3, 0]), None);
        assert_eq!(d.by_counts(&[4, 2, 0]), None);
        assert_eq!(d.by_counts(&[1, 0, 0]), None);
        assert_eq!(d.by_counts(&[9]), None);
        assert_eq!(d.by_counts(&[]), None);
    }

    #[test]
    fn text_outside_the_project_languages_is_named() {
        let en_es = ["en".to_owned(), "es".to_owned()];
        let fr = "Nous avons attendu huit mois pour un rendez-vous à la préfecture, \
                  et puis on nous a dit que le dossier était incomplet. C'était très dur.";
        assert_eq!(outside_project(fr, &en_es).as_deref(), Some("French (fr)"));
        let es =
            "Esperamos ocho meses la cita en la oficina y luego nos dijeron que faltaban papeles.";
        assert_eq!(outside_project(es, &en_es), None);
    }

    #[test]
    fn other_project_languages_use_their_lists() {
        let d = Detector::new(&["fr".into(), "de".into(), "nl".into()]);
        assert_eq!(
            d.detect("Nous avons attendu huit mois pour un rendez-vous à la préfecture.")
                .map(|x| x.0),
            Some("fr")
        );
        assert_eq!(
            d.detect("Wir haben acht Monate auf einen Termin bei der Behörde gewartet.")
                .map(|x| x.0),
            Some("de")
        );
        assert_eq!(
            d.detect("We hebben acht maanden gewacht op een afspraak bij de gemeente.")
                .map(|x| x.0),
            Some("nl")
        );
    }
}
