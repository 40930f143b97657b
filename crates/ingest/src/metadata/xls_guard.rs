//! A cheap pass over an Excel 97-2003 workbook (a Compound File holding a
//! BIFF `Workbook` stream) that estimates the memory the spreadsheet reader
//! will take, before it runs.
//!
//! The reader (calamine) lays every sheet out as a rectangle from its first
//! to its last cell, and reserves room for as many cells as a sheet's
//! `DIMENSIONS` record claims. A small file with one cell in `A1` and one in
//! the far corner, or a lying `DIMENSIONS` record, would ask for hundreds of
//! gigabytes and abort the process. This pass reads the compound file (FAT,
//! mini FAT, directory), walks the records of each sheet the way the reader
//! does, and adds the sizes up, erring on the high side. It also tells a
//! password-protected `.xlsx` (a compound file with an `EncryptionInfo`
//! stream) from a workbook.

use std::collections::HashSet;

/// What a compound file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Compound {
    /// An Excel 97-2003 workbook; the estimated bytes its reading takes.
    Workbook(u64),
    /// An encrypted (password-protected) Office Open XML document.
    Encrypted,
    /// Some other compound file (a Word `.doc`, an Outlook message...).
    Other,
}

/// Compound File signature.
pub(super) const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;

/// Bytes of one `calamine::Cell<Data>` (position and value), one
/// `calamine::Data`, and one formula `String`.
const CELL_BYTES: u64 = 40;
const DATA_BYTES: u64 = 32;
const STRING_BYTES: u64 = 24;

/// Inspects a compound file. `Err` says why it cannot be read.
pub(super) fn inspect(bytes: &[u8]) -> Result<Compound, String> {
    let cfb = Cfb::open(bytes)?;
    let entries = cfb.directory()?;
    let find = |name: &str| {
        entries
            .iter()
            .find(|e| e.kind == 2 && e.name.eq_ignore_ascii_case(name))
    };
    if find("EncryptionInfo").is_some() || find("EncryptedPackage").is_some() {
        return Ok(Compound::Encrypted);
    }
    let Some(book) = find("Workbook").or_else(|| find("Book")) else {
        return Ok(Compound::Other);
    };
    let root = entries.first().ok_or("no root directory entry")?;
    let stream = cfb.stream(book, root)?;
    Ok(Compound::Workbook(estimate(&stream)?))
}

/// A directory entry.
#[derive(Debug)]
struct Entry {
    name: String,
    /// 1 storage, 2 stream, 5 root.
    kind: u8,
    start: u32,
    size: u64,
}

struct Cfb<'a> {
    data: &'a [u8],
    shift: u32,
    mini_cutoff: u64,
    first_dir: u32,
    first_mini_fat: u32,
    fat: Vec<u32>,
}

impl<'a> Cfb<'a> {
    fn open(data: &'a [u8]) -> Result<Cfb<'a>, String> {
        if data.len() < 512 || data[..8] != SIGNATURE {
            return Err("not a compound file".into());
        }
        let shift = u32::from(u16_at(data, 0x1E));
        if shift != 9 && shift != 12 {
            return Err(format!("sector size 2^{shift} is not 512 or 4096"));
        }
        let mut cfb = Cfb {
            data,
            shift,
            mini_cutoff: u64::from(u32_at(data, 0x38)),
            first_dir: u32_at(data, 0x30),
            first_mini_fat: u32_at(data, 0x3C),
            fat: Vec::new(),
        };
        // The FAT sectors: 109 listed in the header, the rest in a chain of
        // DIFAT sectors.
        let mut fat_sectors: Vec<u32> = (0..109).map(|i| u32_at(data, 0x4C + 4 * i)).collect();
        let per_sector = (1usize << shift) / 4;
        let mut next = u32_at(data, 0x44);
        let mut seen = HashSet::new();
        while next < MAX_REGULAR_SECTOR {
            if !seen.insert(next) {
                return Err("the DIFAT chain loops".into());
            }
            let sector = cfb.sector(next).ok_or("a DIFAT sector lies past the end")?;
            let ids: Vec<u32> = sector.chunks_exact(4).map(|c| u32_at(c, 0)).collect();
            fat_sectors.extend(&ids[..per_sector - 1]);
            next = ids[per_sector - 1];
        }
        fat_sectors.retain(|&id| id < MAX_REGULAR_SECTOR);
        if fat_sectors.len() > cfb.sector_count() {
            return Err("more FAT sectors than the file holds".into());
        }
        let mut fat = Vec::new();
        for id in fat_sectors {
            let sector = cfb.sector(id).ok_or("a FAT sector lies past the end")?;
            fat.extend(sector.chunks_exact(4).map(|c| u32_at(c, 0)));
        }
        cfb.fat = fat;
        Ok(cfb)
    }

    fn sector_count(&self) -> usize {
        self.data.len() >> self.shift
    }

    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let size = 1usize << self.shift;
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        self.data.get(start..start.checked_add(size)?)
    }

    /// The bytes of the chain starting at `start` in `table` (the FAT, or
    /// the mini FAT), each link read by `unit`, cut to `size`. A chain
    /// longer than `max_links` loops.
    fn chain<'b>(
        start: u32,
        table: &[u32],
        size: Option<u64>,
        max_links: usize,
        mut unit: impl FnMut(u32) -> Option<&'b [u8]>,
    ) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut id = start;
        let mut links = 0usize;
        while id < MAX_REGULAR_SECTOR {
            links += 1;
            if links > max_links {
                return Err("a sector chain loops".into());
            }
            out.extend_from_slice(unit(id).ok_or("a sector lies past the end of the file")?);
            if size.is_some_and(|s| out.len() as u64 >= s) {
                break;
            }
            id = *table
                .get(id as usize)
                .ok_or("a sector chain leaves the FAT")?;
        }
        if let Some(s) = size {
            out.truncate(s as usize);
        }
        Ok(out)
    }

    /// A chain of regular sectors.
    fn sectors(&self, start: u32, size: Option<u64>) -> Result<Vec<u8>, String> {
        Cfb::chain(start, &self.fat, size, self.sector_count(), |id| {
            self.sector(id)
        })
    }

    fn directory(&self) -> Result<Vec<Entry>, String> {
        let bytes = self.sectors(self.first_dir, None)?;
        Ok(bytes
            .chunks_exact(128)
            .map(|e| {
                let name_len = (usize::from(u16_at(e, 64)) / 2).min(32);
                let units: Vec<u16> = e[..name_len * 2]
                    .chunks_exact(2)
                    .map(|c| u16_at(c, 0))
                    .take_while(|&u| u != 0)
                    .collect();
                let mut size = u64::from(u32_at(e, 120));
                if self.shift == 12 {
                    size |= u64::from(u32_at(e, 124)) << 32;
                }
                Entry {
                    name: String::from_utf16_lossy(&units),
                    kind: e[66],
                    start: u32_at(e, 116),
                    size,
                }
            })
            .collect())
    }

    fn stream(&self, entry: &Entry, root: &Entry) -> Result<Vec<u8>, String> {
        // A stream cannot be larger than the file holding it.
        let size = entry.size.min(self.data.len() as u64);
        if size >= self.mini_cutoff {
            return self.sectors(entry.start, Some(size));
        }
        let mini_stream = self.sectors(root.start, Some(root.size.min(self.data.len() as u64)))?;
        let mini_fat: Vec<u32> = self
            .sectors(self.first_mini_fat, None)?
            .chunks_exact(4)
            .map(|c| u32_at(c, 0))
            .collect();
        Cfb::chain(
            entry.start,
            &mini_fat,
            Some(size),
            mini_stream.len() / 64,
            |id| {
                let start = (id as usize).checked_mul(64)?;
                mini_stream.get(start..start.checked_add(64)?)
            },
        )
    }
}

/// Bounding box of cell positions.
#[derive(Debug, Default, Clone, Copy)]
struct BoundingBox(Option<(u32, u32, u32, u32)>);

impl BoundingBox {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn cells(self) -> u64 {
        self.0.map_or(0, |(r0, r1, c0, c1)| {
            u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
        })
    }
}

/// One BIFF record: type and data.
fn records(stream: &[u8]) -> impl Iterator<Item = Result<(u16, &[u8]), String>> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if rest.len() < 4 {
            rest = &[];
            return Some(Err("a record is cut short".to_owned()));
        }
        let typ = u16_at(rest, 0);
        let len = usize::from(u16_at(rest, 2));
        let Some(data) = rest.get(4..4 + len) else {
            rest = &[];
            return Some(Err("a record runs past the end of the workbook".to_owned()));
        };
        rest = &rest[4 + len..];
        Some(Ok((typ, data)))
    })
}

/// Estimated bytes the reader holds after parsing every sheet of `stream`,
/// plus one copy of the largest sheet.
fn estimate(stream: &[u8]) -> Result<u64, String> {
    // Workbook globals: where each sheet's records start.
    let mut positions = Vec::new();
    for record in records(stream) {
        let (typ, data) = record?;
        match typ {
            0x0085 if data.len() >= 4 => positions.push(u32_at(data, 0) as usize),
            0x000A => break,
            _ => {}
        }
    }
    let mut total: u64 = 0;
    let mut largest: u64 = 0;
    for pos in positions {
        let sheet = stream
            .get(pos..)
            .ok_or("a sheet starts past the end of the workbook")?;
        let bytes = sheet_bytes(sheet)?;
        total = total.saturating_add(bytes);
        largest = largest.max(bytes);
    }
    Ok(total.saturating_add(largest))
}

/// Mirrors calamine's per-sheet loop: the sheet's own BOF, nested
/// substreams (charts) skipped, cells gathered until EOF, then laid out.
fn sheet_bytes(sheet: &[u8]) -> Result<u64, String> {
    let mut cells: u64 = 0;
    let mut reserved: u64 = 0;
    let mut values = BoundingBox::default();
    let mut formulas = BoundingBox::default();
    let mut formula_count: u64 = 0;
    let mut seen_bof = false;
    let mut depth = 0usize;
    for record in records(sheet) {
        let (typ, data) = record?;
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let position = || (u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2)));
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x0200 => reserved = reserved.max(dimension_cells(data)?),
            // Number, Label, RString, BoolErr, Rk, LabelSst.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD if data.len() >= 4 => {
                let (r, c) = position();
                values.add(r, c);
                cells += 1;
            }
            // MulRk: one row, columns first to last.
            0x00BD if data.len() >= 6 => {
                let (r, first) = position();
                let last = u32::from(u16_at(data, data.len() - 2));
                if last < first {
                    return Err("a MULRK record's columns run backwards".into());
                }
                values.add(r, first);
                values.add(r, last);
                cells += u64::from(last - first + 1);
            }
            // Formula, and the String record that may follow it (placed at
            // the formula's cell, or A1 when none came before).
            0x0006 if data.len() >= 4 => {
                let (r, c) = position();
                values.add(r, c);
                formulas.add(r, c);
                cells += 1;
                formula_count += 1;
            }
            0x0207 => {
                values.add(0, 0);
                cells += 1;
            }
            0x000A => break,
            _ => {}
        }
    }
    // The cell list may double while growing, on top of what DIMENSIONS
    // reserved; then both rectangles.
    let list = cells
        .saturating_mul(2)
        .saturating_add(reserved)
        .saturating_mul(CELL_BYTES);
    let formula_list = formula_count.saturating_mul(2 * (8 + STRING_BYTES));
    Ok(list
        .saturating_add(formula_list)
        .saturating_add(values.cells().saturating_mul(DATA_BYTES))
        .saturating_add(formulas.cells().saturating_mul(STRING_BYTES)))
}

/// Cells a DIMENSIONS record makes the reader reserve room for.
fn dimension_cells(data: &[u8]) -> Result<u64, String> {
    let (first_row, last_row, mut first_col, last_col) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0)),
            u32::from(u16_at(data, 2)),
            u32::from(u16_at(data, 4)),
            u32::from(u16_at(data, 6)),
        ),
        14 | 16 => (
            u32_at(data, 0),
            u32_at(data, 4),
            u32::from(u16_at(data, 8)),
            u32::from(u16_at(data, 10)),
        ),
        // The reader refuses other lengths.
        _ => return Ok(0),
    };
    if first_col > 0xFF || last_col < first_col {
        first_col = 0;
    }
    if last_row == 0 || last_col == 0 {
        return Ok(1);
    }
    if last_row - 1 < first_row {
        return Err("a DIMENSIONS record's rows run backwards".into());
    }
    Ok(u64::from(last_row - first_row) * u64::from(last_col - first_col))
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 10]);
        record(0x0203, &d)
    }

    /// A workbook stream: globals with one `BoundSheet8`, then the sheet.
    fn workbook(sheet_records: &[Vec<u8>]) -> Vec<u8> {
        let bof = record(0x0809, &[0u8; 16]);
        let eof = record(0x000A, &[]);
        let bound_len = 4 + 12;
        let globals_len = bof.len() + bound_len + eof.len();
        let mut bound = (globals_len as u32).to_le_bytes().to_vec();
        bound.extend([0u8; 8]);
        let mut s = bof.clone();
        s.extend(record(0x0085, &bound));
        s.extend(&eof);
        s.extend(&bof);
        for r in sheet_records {
            s.extend(r);
        }
        s.extend(eof);
        s
    }

    #[test]
    fn small_sheet_is_small() {
        let s = workbook(&[number(0, 0), number(9, 4)]);
        let bytes = estimate(&s).unwrap();
        assert!(bytes < 10_000, "{bytes}");
    }

    #[test]
    fn far_corner_cell_is_huge() {
        let s = workbook(&[number(0, 0), number(65_535, 16_000)]);
        assert!(estimate(&s).unwrap() > 1 << 34);
    }

    #[test]
    fn lying_dimensions_are_huge_or_refused() {
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend(4_000_000_000u32.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(200u16.to_le_bytes());
        d.extend([0u8; 2]);
        let s = workbook(&[record(0x0200, &d)]);
        assert!(estimate(&s).unwrap() > 1 << 40);

        let mut backwards = 10u32.to_le_bytes().to_vec();
        backwards.extend(5u32.to_le_bytes());
        backwards.extend([0, 0, 5, 0, 0, 0]);
        assert!(estimate(&workbook(&[record(0x0200, &backwards)])).is_err());
    }

    #[test]
    fn sheet_past_the_end_is_refused() {
        let mut bound = 1_000_000u32.to_le_bytes().to_vec();
        bound.extend([0u8; 8]);
        let mut s = record(0x0809, &[0u8; 16]);
        s.extend(record(0x0085, &bound));
        s.extend(record(0x000A, &[]));
        assert!(estimate(&s).is_err());
    }

    #[test]
    fn not_a_compound_file() {
        assert!(inspect(b"hello").is_err());
        let mut junk = SIGNATURE.to_vec();
        junk.resize(600, 0xFF);
        assert!(inspect(&junk).is_err());
    }
}
