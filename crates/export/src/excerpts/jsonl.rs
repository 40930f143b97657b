//! JSON Lines: one [`Excerpt`](super::Excerpt) per line.

use std::io::Write;

use super::Excerpts;

/// Writes one JSON object per excerpt, each on its own line.
pub(super) fn write(excerpts: &Excerpts, out: &mut dyn Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(out);
    for row in &excerpts.rows {
        serde_json::to_writer(&mut out, row)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
