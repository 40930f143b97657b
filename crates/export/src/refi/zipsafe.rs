//! Reading a `.qdpx` archive that may have been made to hurt: entry names
//! that leave the archive are refused before anything is read, and every
//! entry read is capped on its declared *and* its actual decompressed size,
//! one by one and in total (zip bombs).
//!
//! voces never extracts an archive to disk: entries are read into memory,
//! and only those the project names (`project.qde`, its text and Word
//! sources). A refused name is refused all the same, since an archive that
//! carries one was not written by a QDA program.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use crate::{Error, Result};

const MIB: u64 = 1024 * 1024;

/// How much an import reads from an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest decompressed size of one entry read.
    pub max_entry_bytes: u64,
    /// Largest decompressed size of all entries read from one archive.
    pub max_total_bytes: u64,
    /// Most entries an archive may hold.
    pub max_entries: usize,
}

/// Per entry 64 MiB (a transcript is a few hundred KiB; `project.qde` of a
/// large project a few MiB), in total 512 MiB, at most 100 000 entries.
pub const DEFAULT_LIMITS: Limits = Limits {
    max_entry_bytes: 64 * MIB,
    max_total_bytes: 512 * MIB,
    max_entries: 100_000,
};

impl Default for Limits {
    fn default() -> Limits {
        DEFAULT_LIMITS
    }
}

/// An open archive and what has been read from it.
pub struct SafeZip<R: Read + Seek = BufReader<File>> {
    path: PathBuf,
    archive: ZipArchive<R>,
    names: Vec<String>,
    limits: Limits,
    read: u64,
}

impl<R: Read + Seek> std::fmt::Debug for SafeZip<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SafeZip")
            .field("path", &self.path)
            .field("entries", &self.names.len())
            .field("read", &self.read)
            .finish_non_exhaustive()
    }
}

impl SafeZip {
    /// Opens the archive at `path` and checks every entry name.
    pub fn open(path: &Path, limits: Limits) -> Result<SafeZip> {
        let file = File::open(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        SafeZip::new(path, BufReader::new(file), limits)
    }
}

impl<R: Read + Seek> SafeZip<R> {
    /// Opens an archive read from `reader`; `path` names it in errors.
    pub fn new(path: &Path, reader: R, limits: Limits) -> Result<SafeZip<R>> {
        let bad = |message: String| Error::Input {
            path: path.to_owned(),
            message,
        };
        let mut archive = ZipArchive::new(reader).map_err(|e| {
            bad(format!(
                "not a REFI-QDA project (not a readable zip archive: {})",
                lower_first(&e.to_string())
            ))
        })?;
        if archive.len() > limits.max_entries {
            return Err(bad(format!(
                "the archive has {} entries, more than the {} voces reads",
                archive.len(),
                limits.max_entries
            )));
        }
        let mut names = Vec::with_capacity(archive.len());
        for i in 0..archive.len() {
            let entry = archive
                .by_index_raw(i)
                .map_err(|e| bad(format!("zip entry {i} is damaged ({e})")))?;
            let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
            if let Some(why) = refused_name(&name) {
                return Err(bad(format!(
                    "zip entry `{}` is refused: {why}",
                    super::shown(&name)
                )));
            }
            names.push(name);
        }
        Ok(SafeZip {
            path: path.to_owned(),
            archive,
            names,
            limits,
            read: 0,
        })
    }

    /// The archive's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every entry name, in archive order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The entry whose name equals `name` ignoring ASCII case (NVivo
    /// writes `sources/`, others `Sources/`), exact matches first.
    pub fn find(&self, name: &str) -> Option<&str> {
        self.names
            .iter()
            .find(|n| *n == name)
            .or_else(|| self.names.iter().find(|n| n.eq_ignore_ascii_case(name)))
            .map(String::as_str)
    }

    /// Decompressed bytes read so far.
    pub fn read_total(&self) -> u64 {
        self.read
    }

    /// Reads one entry whole, within the limits.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>> {
        let path = self.path.clone();
        let bad = |message: String| Error::Input {
            path: path.clone(),
            message,
        };
        let index = self
            .names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| bad(format!("no zip entry `{}`", super::shown(name))))?;
        let per_entry = self.limits.max_entry_bytes;
        let left = self.limits.max_total_bytes.saturating_sub(self.read);
        let cap = per_entry.min(left);
        let too_big = |declared: bool| {
            if cap == per_entry {
                format!(
                    "zip entry `{}` {} past the {} limit per entry (zip bomb?)",
                    super::shown(name),
                    if declared {
                        "declares a size"
                    } else {
                        "expands"
                    },
                    size_text(per_entry)
                )
            } else {
                format!(
                    "zip entry `{}` takes the data read from the archive past the {} limit (zip bomb?)",
                    super::shown(name),
                    size_text(self.limits.max_total_bytes)
                )
            }
        };
        let mut entry = self.archive.by_index(index).map_err(|e| {
            bad(format!(
                "zip entry `{}` cannot be read ({e})",
                super::shown(name)
            ))
        })?;
        if entry.size() > cap {
            return Err(bad(too_big(true)));
        }
        // The declared size may lie: never read more than one byte past the
        // cap, and never trust it for the allocation.
        let mut bytes = Vec::with_capacity(entry.size().min(MIB) as usize);
        (&mut entry)
            .take(cap.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| {
                bad(format!(
                    "zip entry `{}` is damaged ({})",
                    super::shown(name),
                    lower_first(&e.to_string())
                ))
            })?;
        if bytes.len() as u64 > cap {
            return Err(bad(too_big(false)));
        }
        drop(entry);
        self.read += bytes.len() as u64;
        Ok(bytes)
    }
}

/// Why an entry name is refused: one that could leave the folder it is
/// extracted to, or that means different files on different systems.
fn refused_name(name: &str) -> Option<&'static str> {
    if name.contains('\\') {
        return Some("its path has a backslash");
    }
    if name.contains('\0') {
        return Some("its path has a NUL character");
    }
    if name.starts_with('/') {
        return Some("its path is absolute");
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        return Some("its path starts with a drive letter");
    }
    if name.split('/').any(|part| part == "..") {
        return Some("its path leaves the archive (`..`)");
    }
    None
}

/// `64 MiB`, `16 KiB` or `1000 bytes`: the largest unit that divides it.
pub(crate) fn size_text(bytes: u64) -> String {
    [("MiB", MIB), ("KiB", 1024)]
        .iter()
        .find(|(_, unit)| bytes >= *unit && bytes.is_multiple_of(*unit))
        .map_or_else(
            || format!("{bytes} bytes"),
            |(name, unit)| format!("{} {name}", bytes / unit),
        )
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_names() {
        for (name, refused) in [
            ("project.qde", false),
            ("Sources/a.txt", false),
            ("sources/..a.txt", false),
            ("../evil.txt", true),
            ("Sources/../../evil.txt", true),
            ("/etc/passwd", true),
            ("C:/x.txt", true),
            ("Sources\\a.txt", true),
        ] {
            assert_eq!(refused_name(name).is_some(), refused, "{name}");
        }
    }
}
