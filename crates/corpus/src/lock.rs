//! The project's write lock: one command at a time changes a project.
//!
//! Commands that write the store or codings (`ingest`, `code`, `code
//! add|remove|import`, `import`, `corpus remove`) hold an exclusive lock on
//! `.voces/lock` while they run; readers (`search`, `themes`, exports)
//! never take it, since every file is replaced atomically. The lock is the
//! operating system's advisory file lock, so it is released when the
//! process ends, also when it is killed: there is never a stale lock to
//! remove by hand.
//!
//! Whoever holds the lock also sweeps the temporary files that an atomic
//! write of a killed process may have left (`.NAME.PID.tmp`): no other
//! writer can be using them.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::store::Project;
use crate::{DATA_DIR, Error, Result};

/// Name of the lock file in the data folder.
pub const LOCK_FILE: &str = "lock";

/// Folders under `.voces/` where atomic writes put temporary files.
const TEMP_DIRS: &[&str] = &[
    "corpus/interviews",
    "corpus/metadata",
    "codings",
    "codings/manual",
    "",
];

/// A held write lock; released on drop (or when the process ends).
#[derive(Debug)]
pub struct WriteLock {
    file: File,
    path: PathBuf,
}

impl WriteLock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

impl Project {
    /// Takes the write lock if no other process holds it: `Ok(None)` when
    /// one does.
    pub fn try_write_lock(&self) -> Result<Option<WriteLock>> {
        let (file, path) = self.open_lock_file()?;
        match file.try_lock() {
            Ok(()) => Ok(Some(self.locked(file, path))),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(Error::io(path, e)),
        }
    }

    /// Takes the write lock, waiting for another process to release it.
    pub fn write_lock(&self) -> Result<WriteLock> {
        let (file, path) = self.open_lock_file()?;
        file.lock().map_err(|e| Error::io(&path, e))?;
        Ok(self.locked(file, path))
    }

    fn open_lock_file(&self) -> Result<(File, PathBuf)> {
        let dir = self.root().join(DATA_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        Ok((file, path))
    }

    fn locked(&self, file: File, path: PathBuf) -> WriteLock {
        sweep_temp_files(&self.data_dir());
        WriteLock { file, path }
    }
}

/// Removes `.NAME.PID.tmp` files left by atomic writes of killed
/// processes. Best effort: a file that cannot be removed stays.
fn sweep_temp_files(data_dir: &Path) {
    for sub in TEMP_DIRS {
        let Ok(entries) = std::fs::read_dir(data_dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.ends_with(".tmp") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let project = Project::init(tmp.path()).unwrap();
        let held = project.try_write_lock().unwrap().expect("free lock");
        assert!(project.try_write_lock().unwrap().is_none());
        drop(held);
        assert!(project.try_write_lock().unwrap().is_some());
    }

    #[test]
    fn taking_the_lock_sweeps_leftover_temp_files() {
        let tmp = tempfile::tempdir().unwrap();
        let project = Project::init(tmp.path()).unwrap();
        let dir = project.data_dir().join("corpus/interviews");
        let leftover = dir.join(".a.json.4242.tmp");
        let kept = dir.join("a.json");
        std::fs::write(&leftover, b"{half").unwrap();
        std::fs::write(&kept, b"{}").unwrap();
        let _lock = project.write_lock().unwrap();
        assert!(!leftover.exists());
        assert!(kept.exists());
    }
}
