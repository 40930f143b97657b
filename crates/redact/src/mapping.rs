//! The mapping file: real names and values with their pseudonyms.
//!
//! It lives outside the project folder (`[privacy] mapping` in
//! `voces.toml`, relative to the project folder), so that sharing the
//! project never shares it. It is JSON (schema
//! `corpus-schema/redact-mapping.schema.json`), written atomically and, on
//! unix, readable by its owner only (mode 0600). A pseudonym once written
//! here never changes: later runs add entities and values, never renumber.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use voces_corpus::Project;

use crate::{Error, Result};

/// Version of the mapping format; readers refuse newer ones.
pub const MAPPING_FORMAT: u32 = 1;

const WARNING: &str = "Real names and personal data with their voces pseudonyms. Keep this file private and outside the project folder; never share it.";

/// The mapping file's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Format version, [`MAPPING_FORMAT`].
    pub format: u32,
    /// A reminder for whoever opens the file.
    pub warning: String,
    /// The corpus stamp (`voces_corpus::Store::stamp`) when the mapping was
    /// last brought up to date.
    pub corpus: String,
    /// A hash of the privacy settings and term lists it was made with.
    pub settings: String,
    /// The entities, in the order their pseudonyms were given.
    pub entities: Vec<MappedEntity>,
}

/// One entity of the mapping: a person, a term, or a detected value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappedEntity {
    /// The pseudonym, such as `[P07]`, `[PLACE-3]`, `[EMAIL-1]`.
    pub pseudonym: String,
    /// `person`, a term kind (`place`, `org`...), or a detector (`email`,
    /// `phone`, `id`).
    pub kind: String,
    /// Every form of the entity found: full names and aliases, or the
    /// forms a detected value was written in.
    pub values: Vec<String>,
    /// Where it was first found.
    pub source: String,
}

impl Mapping {
    /// An empty mapping.
    pub fn new() -> Mapping {
        Mapping {
            format: MAPPING_FORMAT,
            warning: WARNING.to_owned(),
            corpus: String::new(),
            settings: String::new(),
            entities: Vec::new(),
        }
    }

    /// Reads a mapping file; `None` when it does not exist yet.
    pub fn read(path: &Path) -> Result<Option<Mapping>> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        let bad = |message: String| Error::Mapping {
            path: path.to_owned(),
            message,
        };
        let mapping: Mapping = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
        if mapping.format > MAPPING_FORMAT {
            return Err(bad(format!(
                "written by a newer voces (format {}, this voces reads up to {MAPPING_FORMAT})",
                mapping.format
            )));
        }
        let mut seen = std::collections::HashSet::new();
        for e in &mapping.entities {
            if !seen.insert(e.pseudonym.as_str()) {
                return Err(bad(format!("pseudonym {} is given twice", e.pseudonym)));
            }
            if crate::pseudonym::number(&e.kind, &e.pseudonym).is_none() {
                return Err(bad(format!(
                    "pseudonym {} does not fit kind `{}`",
                    e.pseudonym, e.kind
                )));
            }
            if e.values.iter().all(|v| v.trim().is_empty()) {
                return Err(bad(format!("{} has no values", e.pseudonym)));
            }
        }
        Ok(Some(mapping))
    }

    /// Writes the mapping atomically, readable by its owner only.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut bytes = serde_json::to_vec_pretty(self).map_err(|e| Error::Mapping {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        bytes.push(b'\n');
        Ok(voces_corpus::write_atomic_private(path, &bytes)?)
    }
}

impl Default for Mapping {
    fn default() -> Self {
        Mapping::new()
    }
}

/// The mapping file `[privacy] mapping` names, made absolute and checked:
/// its folder must exist and be outside the project folder. `None` when
/// none is configured.
pub fn configured_path(project: &Project) -> Result<Option<PathBuf>> {
    let value = project.config().privacy.mapping.trim();
    if value.is_empty() {
        return Ok(None);
    }
    check_path(project.root(), &project.root().join(value)).map(Some)
}

/// Checks that `path` may hold a project's mapping: its folder exists and
/// is not the project folder or inside it (symbolic links followed).
/// Returns it with its folder made canonical.
pub fn check_path(root: &Path, path: &Path) -> Result<PathBuf> {
    let file_name = path.file_name().ok_or_else(|| {
        Error::User(format!(
            "{}: the pseudonym mapping must be a file name, not a folder",
            path.display()
        ))
    })?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let folder = parent
        .canonicalize()
        .map_err(|_| Error::MappingFolderMissing {
            path: path.to_owned(),
        })?;
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let full = folder.join(file_name);
    if full.starts_with(&root) {
        return Err(Error::MappingInsideProject {
            path: full,
            project: root,
        });
    }
    if full.is_dir() {
        return Err(Error::User(format!(
            "{}: the pseudonym mapping must be a file, and this is a folder",
            full.display()
        )));
    }
    Ok(full)
}

/// `path` relative to `base` (both absolute), with `..` where needed.
pub(crate) fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let p: Vec<Component<'_>> = path.components().collect();
    let b: Vec<Component<'_>> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return path.to_owned();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c.as_os_str());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_to(Path::new("/a/b-private/m.json"), Path::new("/a/b")),
            PathBuf::from("../b-private/m.json")
        );
        assert_eq!(
            relative_to(Path::new("/x/m.json"), Path::new("/a/b")),
            PathBuf::from("../../x/m.json")
        );
    }

    #[test]
    fn inside_the_project_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("study");
        std::fs::create_dir_all(root.join("private")).unwrap();
        for inside in ["private/m.json", "m.json", "./private/../m.json"] {
            let err = check_path(&root, &root.join(inside)).unwrap_err();
            assert!(
                matches!(err, Error::MappingInsideProject { .. }),
                "{inside}: {err}"
            );
        }
        assert!(check_path(&root, &tmp.path().join("m.json")).is_ok());
        let err = check_path(&root, &tmp.path().join("nowhere/m.json")).unwrap_err();
        assert!(matches!(err, Error::MappingFolderMissing { .. }), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn written_for_the_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("m.json");
        std::fs::write(&path, "{}").unwrap();
        Mapping::new().write(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(Mapping::read(&path).unwrap(), Some(Mapping::new()));
    }
}
