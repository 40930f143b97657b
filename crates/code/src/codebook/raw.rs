//! The codebook file as written: what serde reads, with the spans that
//! error messages point to. `check.rs` turns it into the model.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use voces_corpus::Role;

use super::model::Unit;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCodebook {
    pub codebook: Spanned<RawMeta>,
    #[serde(default)]
    pub defaults: RawDefaults,
    #[serde(default, rename = "code")]
    pub codes: Vec<RawCode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMeta {
    pub format: Option<Spanned<u32>>,
    pub name: Spanned<String>,
    pub version: Spanned<String>,
    pub languages: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDefaults {
    pub negation: Option<bool>,
    pub roles: Option<Vec<Role>>,
    pub unit: Option<Unit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCode {
    pub id: Spanned<String>,
    pub parent: Option<Spanned<String>>,
    #[serde(default)]
    pub labels: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    pub definition: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    pub include: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    pub exclude: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    pub examples: Option<Spanned<BTreeMap<String, Vec<String>>>>,
    pub color: Option<Spanned<String>>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: Spanned<String>,
    pub lang: Spanned<String>,
    #[serde(default)]
    pub terms: Vec<Spanned<String>>,
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    pub near: Option<Spanned<RawNear>>,
    #[serde(default)]
    pub regex: Vec<Spanned<String>>,
    #[serde(default)]
    pub not: Vec<Spanned<String>>,
    pub negation: Option<bool>,
    pub roles: Option<Vec<Role>>,
    pub unit: Option<Unit>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNear {
    pub a: Vec<Spanned<String>>,
    pub b: Vec<Spanned<String>>,
    pub within: Spanned<u32>,
    #[serde(default)]
    pub exact: bool,
}
