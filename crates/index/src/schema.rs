//! The tantivy schema: one document per segment.

use tantivy::schema::{
    FAST, Field, IndexRecordOption, JsonObjectOptions, NumericOptions, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use crate::analysis::Analyzer;
use crate::pairs::{CommonTerms, PairTokenizer, common_terms};

pub(crate) const INTERVIEW: &str = "interview";
pub(crate) const POSITION: &str = "position";
pub(crate) const ROLE: &str = "role";
pub(crate) const LANG: &str = "lang";
const EXACT_TOKENIZER: &str = "voces_exact";
const PLAIN_TOKENIZER: &str = "voces_plain";
const KEYWORD_TOKENIZER: &str = "voces_keyword";

/// The fields of the schema.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub interview: Field,
    pub segment: Field,
    pub speaker: Field,
    pub role: Field,
    pub lang: Field,
    pub start_time: Field,
    pub end_time: Field,
    pub position: Field,
    pub start: Field,
    pub end: Field,
    pub file: Field,
    pub attrs: Field,
    pub text: Field,
    pub text_exact: Field,
    pub text_plain: Field,
    /// `text_<code>`, in the order of the languages.
    pub text_lang: Vec<Field>,
    /// `pairs_<code>`: the pairs of consecutive words' terms of
    /// `text_<code>`, with positions, in the order of the languages.
    pub pairs_lang: Vec<Field>,
}

fn language_tokenizer(code: &str) -> String {
    format!("voces_{code}")
}

fn pairs_tokenizer(code: &str) -> String {
    format!("voces_pairs_{code}")
}

fn analyzed(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// The schema for these (validated) languages, and its fields.
pub(crate) fn build(languages: &[String]) -> (Schema, Fields) {
    let mut b = Schema::builder();
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let f = Fields {
        interview: b.add_text_field(INTERVIEW, STRING | STORED | FAST),
        segment: b.add_text_field("segment", STRING | STORED),
        speaker: b.add_text_field(
            "speaker",
            analyzed(KEYWORD_TOKENIZER, IndexRecordOption::Basic).set_stored(),
        ),
        role: b.add_text_field(ROLE, STRING | STORED | FAST),
        lang: b.add_text_field(LANG, STRING | STORED | FAST),
        start_time: b.add_f64_field("start_time", STORED),
        end_time: b.add_f64_field("end_time", STORED),
        position: b.add_u64_field(POSITION, NumericOptions::default().set_fast().set_stored()),
        start: b.add_u64_field("start", STORED),
        end: b.add_u64_field("end", STORED),
        file: b.add_text_field("file", STORED),
        attrs: b.add_json_field(
            "attrs",
            JsonObjectOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(KEYWORD_TOKENIZER)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        text: b.add_text_field("text", STORED),
        text_exact: b.add_text_field("text_exact", analyzed(EXACT_TOKENIZER, positions)),
        text_plain: b.add_text_field("text_plain", analyzed(PLAIN_TOKENIZER, positions)),
        text_lang: languages
            .iter()
            .map(|l| {
                b.add_text_field(
                    &format!("text_{l}"),
                    analyzed(&language_tokenizer(l), positions),
                )
            })
            .collect(),
        pairs_lang: languages
            .iter()
            .map(|l| {
                b.add_text_field(
                    &format!("pairs_{l}"),
                    analyzed(&pairs_tokenizer(l), positions),
                )
            })
            .collect(),
    };
    (b.build(), f)
}

/// The analyzers of an index, one per language field and the shared ones.
#[derive(Debug, Clone)]
pub(crate) struct Analyzers {
    pub languages: Vec<String>,
    pub lang: Vec<Analyzer>,
    /// The common terms of each language, for its pairs field.
    pub common: Vec<CommonTerms>,
    pub exact: Analyzer,
    pub plain: Analyzer,
    pub keyword: Analyzer,
}

impl Analyzers {
    pub fn new(languages: &[String]) -> Analyzers {
        let lang: Vec<Analyzer> = languages.iter().map(|l| Analyzer::language(l)).collect();
        Analyzers {
            languages: languages.to_vec(),
            common: languages
                .iter()
                .zip(&lang)
                .map(|(code, a)| common_terms(code, a))
                .collect(),
            lang,
            exact: Analyzer::exact(),
            plain: Analyzer::plain(languages),
            keyword: Analyzer::keyword(),
        }
    }

    /// The language field a segment of language `code` is indexed in: its
    /// own, or the first project language when the project does not list it.
    pub fn field_of(&self, code: &str) -> usize {
        self.languages.iter().position(|l| l == code).unwrap_or(0)
    }

    /// Registers the analyzers under the names the schema uses.
    pub fn register(&self, index: &tantivy::Index) {
        let m = index.tokenizers();
        for ((code, a), common) in self.languages.iter().zip(&self.lang).zip(&self.common) {
            m.register(&language_tokenizer(code), a.text_analyzer());
            m.register(
                &pairs_tokenizer(code),
                PairTokenizer::new(a, common.clone()),
            );
        }
        m.register(EXACT_TOKENIZER, self.exact.text_analyzer());
        m.register(PLAIN_TOKENIZER, self.plain.text_analyzer());
        m.register(KEYWORD_TOKENIZER, self.keyword.text_analyzer());
    }
}
