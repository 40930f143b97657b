//! `.voces/refi/identities.json`: what imports remember so that exports
//! give imported objects back their REFI-QDA identity.
//!
//! An import records, for every object it creates, the GUID it had (and
//! for users and cases the name, for variables the type); an export uses
//! the recorded GUID instead of the one voces would make from the id, and
//! the recorded name of a user or case. So a project exported by NVivo,
//! imported, and exported again keeps its GUIDs, and a voces export
//! imported into another project exports the same again. It also lists the
//! codebooks imports wrote, which exports include. Deleting the file loses
//! no data: exports then use GUIDs made from the voces ids.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use voces_corpus::{Project, write_atomic};

use super::model::VariableType;
use crate::{Error, Result};

/// Version of the file.
pub const FORMAT: u32 = 1;

/// The remembered identities of a project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Identities {
    /// [`FORMAT`].
    pub format: u32,
    /// Codebooks written by imports, relative to the project folder.
    pub codebooks: Vec<String>,
    /// Interview id → source GUID.
    pub sources: BTreeMap<String, String>,
    /// Code id → code GUID and codability.
    pub codes: BTreeMap<String, CodeIdentity>,
    /// Coder → user GUID and name.
    pub users: BTreeMap<String, UserIdentity>,
    /// Attribute name → variable GUID and type.
    pub variables: BTreeMap<String, VariableIdentity>,
    /// Cases, with the attribute-table rows they became.
    pub cases: Vec<CaseIdentity>,
}

/// A code's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeIdentity {
    /// Its GUID.
    pub guid: String,
    /// `isCodable`; voces codes are all codable, so only `false` is kept.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub codable: bool,
}

/// A user's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserIdentity {
    /// Its GUID.
    pub guid: String,
    /// Its name in the project it came from.
    pub name: String,
}

/// A variable's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariableIdentity {
    /// Its GUID.
    pub guid: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: VariableType,
}

/// A case and the rows of an attribute table it became (one per source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseIdentity {
    /// Its GUID.
    pub guid: String,
    /// Its name.
    pub name: String,
    /// The attribute table.
    pub table: String,
    /// Key values of its rows.
    pub rows: Vec<String>,
}

fn yes() -> bool {
    true
}

#[allow(clippy::trivially_copy_pass_by_ref, reason = "serde's signature")]
fn is_true(b: &bool) -> bool {
    *b
}

impl Identities {
    /// The file of a project.
    pub fn path(project: &Project) -> PathBuf {
        project.data_dir().join("refi").join("identities.json")
    }

    /// Reads the project's identities (empty when there is no file).
    pub fn load(project: &Project) -> Result<Identities> {
        let path = Identities::path(project);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Identities {
                    format: FORMAT,
                    ..Identities::default()
                });
            }
            Err(source) => return Err(Error::Io { path, source }),
        };
        let ids: Identities = serde_json::from_slice(&bytes).map_err(|e| Error::Input {
            path: path.clone(),
            message: format!("not a valid identities file: {e}"),
        })?;
        if ids.format > FORMAT {
            return Err(Error::Input {
                path,
                message: format!(
                    "written by a newer voces (format {}, this voces reads up to {FORMAT})",
                    ids.format
                ),
            });
        }
        Ok(ids)
    }

    /// Writes the identities atomically.
    pub fn save(&self, project: &Project) -> Result<()> {
        let path = Identities::path(project);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.to_owned(),
                source,
            })?;
        }
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        write_atomic(&path, &bytes)?;
        Ok(())
    }
}
