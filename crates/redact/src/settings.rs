//! Setting `[privacy] mapping` in `voces.toml`, keeping the file's comments
//! and layout.

use std::path::{Path, PathBuf};

use voces_corpus::{CONFIG_FILE, Config, Project, write_atomic};

use crate::mapping::{check_path, configured_path, relative_to};
use crate::{Error, Result};

/// Makes `file` the project's mapping file: checks it (outside the
/// project, in an existing folder) and writes it to `voces.toml` as
/// `mapping` under `[privacy]`, relative to the project folder. Nothing
/// changes when it is already the mapping; a different mapping already
/// configured is an error, since the pseudonyms live in that file.
///
/// Returns the checked absolute path of the mapping file and whether
/// `voces.toml` was changed.
pub fn set_mapping(project: &Project, file: &Path) -> Result<(PathBuf, bool)> {
    let file = check_path(project.root(), file)?;
    if let Some(current) = configured_path(project)? {
        if current == file {
            return Ok((file, false));
        }
        return Err(Error::User(format!(
            "voces.toml already keeps the pseudonym mapping in {}\nhint: to move it, move the file and edit `mapping` under [privacy] in voces.toml",
            current.display()
        )));
    }
    let value = relative_to(&file, project.root());
    let value = value
        .to_str()
        .ok_or_else(|| Error::User(format!("{}: the path is not valid Unicode", file.display())))?;
    let path = project.root().join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let edited = with_key(
        &text,
        "privacy",
        "mapping",
        &toml::Value::String(value.to_owned()).to_string(),
    );
    Config::parse(&edited, &path)?;
    write_atomic(&path, edited.as_bytes())?;
    Ok((file, true))
}

/// `text` (a TOML file) with `key = value` in `[table]`: the key's line
/// replaced if present, else the line added after the table header, else
/// the table appended. Other lines, comments included, are kept.
fn with_key(text: &str, table: &str, key: &str, value: &str) -> String {
    let line = format!("{key} = {value}");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header = |l: &str| {
        let t = l.trim();
        t.starts_with('[') && !t.starts_with("[[")
    };
    let is_table = |l: &str| {
        let t = l.split('#').next().unwrap_or_default().trim();
        t.strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .is_some_and(|name| name.trim() == table)
    };
    if let Some(h) = lines.iter().position(|l| is_table(l)) {
        let end = lines[h + 1..]
            .iter()
            .position(|l| header(l))
            .map_or(lines.len(), |i| h + 1 + i);
        let existing = (h + 1..end).find(|&i| {
            lines[i]
                .split_once('=')
                .is_some_and(|(k, _)| k.trim() == key && !lines[i].trim_start().starts_with('#'))
        });
        match existing {
            Some(i) => lines[i] = line,
            None => lines.insert(h + 1, line),
        }
    } else {
        if lines.last().is_some_and(|l| !l.trim().is_empty()) {
            lines.push(String::new());
        }
        lines.push(format!("[{table}]"));
        lines.push(line);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_inserts_or_appends() {
        let t = "[project]\nname = \"x\"\n\n[privacy]\n# where\nmapping = \"\"\nkeep = []\n";
        assert_eq!(
            with_key(t, "privacy", "mapping", "\"../m.json\""),
            "[project]\nname = \"x\"\n\n[privacy]\n# where\nmapping = \"../m.json\"\nkeep = []\n"
        );
        let t = "[privacy] # settings\nkeep = []\n[code]\ncodebook = \"\"\n";
        assert_eq!(
            with_key(t, "privacy", "mapping", "\"m\""),
            "[privacy] # settings\nmapping = \"m\"\nkeep = []\n[code]\ncodebook = \"\"\n"
        );
        let t = "# settings\n[project]\nname = \"x\"";
        assert_eq!(
            with_key(t, "privacy", "mapping", "\"m\""),
            "# settings\n[project]\nname = \"x\"\n\n[privacy]\nmapping = \"m\"\n"
        );
    }
}
