#!/usr/bin/env python3
"""Builds the generated files of the voces SMO sample corpus.

The sample is synthetic: every interview was written for voces; none is a
real transcript. The dialogue of the Word and WebVTT interviews lives in
`sources/*.source` (plain UTF-8 text); this script turns it into

  * smo02, smo03, smo08 `.docx` (bold labels, a 2-column table, plain labels),
  * smo05, smo06, smo07 `.vtt`  (WebVTT with `<v Name>` voice tags and cue
    times as an auto-transcription service would write them),
  * `participants.xlsx` and `participants.csv` (one row per interview).

The `.txt` and `.md` interviews are hand-written and not generated.

Usage:  pip install python-docx openpyxl
        python3 make_sample.py            # writes next to this script

Output is reproducible: fixed document properties, fixed zip timestamps and
seeded cue timings, so running it twice gives byte-identical files.

Source format: header lines (each becomes an unlabelled paragraph / a NOTE),
a line `---`, then one turn per line, `Label: text`.
"""

import csv
import datetime as dt
import hashlib
import io
import random
import re
import sys
import zipfile
from pathlib import Path

try:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt
    import openpyxl
    from openpyxl.styles import Font
except ImportError:
    sys.exit("make_sample.py needs python-docx and openpyxl: pip install python-docx openpyxl")

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"

# One row per interview. `interview` is the file stem, the interview id voces uses.
COLUMNS = ["interview", "participant", "country", "group", "nationality",
           "gender", "age", "language", "date", "organisation"]
PARTICIPANTS = [
    ("smo01-migrant-colombia-es", "P01", "Colombia", "migrant", "Venezuelan", "female", 34, "es", dt.date(2024, 2, 20), ""),
    ("smo02-migrant-costarica-es", "P02", "Costa Rica", "migrant", "Nicaraguan", "female", 41, "es", dt.date(2024, 4, 9), ""),
    ("smo03-migrant-ecuador-es", "P03", "Ecuador", "migrant", "Colombian", "male", 45, "es", dt.date(2024, 5, 16), ""),
    ("smo04-migrant-guatemala-es", "P04", "Guatemala", "migrant", "Haitian", "male", 32, "es", dt.date(2024, 6, 27), ""),
    ("smo05-migrant-guatemala-es", "P05", "Guatemala", "migrant", "Guatemalan", "male", 46, "es", dt.date(2024, 7, 18), ""),
    ("smo06-migrant-costarica-mixed", "P06", "Costa Rica", "migrant", "Venezuelan", "female", 27, "mixed", dt.date(2024, 3, 5), ""),
    ("smo07-usofficial-us-en", "P07", "United States", "us_official", "US", "male", None, "en", dt.date(2024, 10, 3), "US Department of State"),
    ("smo08-usofficial-costarica-en", "P08", "Costa Rica", "us_official", "US", "female", None, "en", dt.date(2024, 8, 21), "USCIS"),
    ("smo09-unstaff-guatemala-en", "P09", "Guatemala", "un_staff", "Dutch", "female", None, "en", dt.date(2024, 9, 12), "IOM"),
    ("smo10-unstaff-ecuador-es", "P10", "Ecuador", "un_staff", "Ecuadorian", "female", None, "es", dt.date(2024, 5, 30), "UNHCR"),
    ("smo11-expert-spain-en", "P11", "Spain", "expert", "Spanish", "male", 52, "en", dt.date(2024, 11, 14), "University (Madrid)"),
    ("smo12-expert-colombia-en", "P12", "Colombia", "expert", "Colombian", "female", 39, "en", dt.date(2024, 7, 2), "Legal aid NGO (Cúcuta)"),
]
DATES = {row[0]: row[8] for row in PARTICIPANTS}
LANGS = {row[0]: row[7] for row in PARTICIPANTS}

# The fixed timestamp written into every zip entry (docx, xlsx).
ZIP_TIME = (2024, 12, 1, 0, 0, 0)


def read_source(stem):
    """(header lines, [(label, text)]) of sources/<stem>.source."""
    text = (SOURCES / f"{stem}.source").read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    if not sep:
        sys.exit(f"{stem}.source: no `---` line between header and turns")
    turns = []
    for n, line in enumerate(body.splitlines(), 1):
        if not line.strip():
            continue
        label, colon, words = line.partition(": ")
        if not colon:
            sys.exit(f"{stem}.source: turn line {n} has no `Label: `")
        turns.append((label.strip(), words.strip()))
    return [h for h in head.splitlines() if h.strip()], turns


def normalize_zip(path, modified=None):
    """Rewrites a zip with fixed entry timestamps so the bytes are reproducible;
    `modified` (ISO text) replaces the save time some writers (openpyxl) put
    in docProps/core.xml."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if modified and info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + modified.encode() + rb"\g<2>", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


# ---------------------------------------------------------------- docx

def new_document(stem, header, title):
    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    when = dt.datetime.combine(DATES[stem], dt.time(12, 0))
    cp = d.core_properties
    cp.title = title
    cp.author = "voces sample corpus"
    cp.last_modified_by = "voces sample corpus"
    cp.comments = "Synthetic interview written for the voces sample corpus. Not real data."
    cp.subject = "Safe Mobility Offices (synthetic sample)"
    cp.language = "en-US" if LANGS[stem] == "en" else "es-ES"
    cp.created = when
    cp.modified = when
    cp.last_printed = when
    cp.revision = 1
    first = d.add_paragraph()
    note = first.add_run(header[0])
    note.italic = True
    for line in header[1:]:
        p = d.add_paragraph()
        r = p.add_run(line)
        r.bold = True
    return d


def docx_bold_labels(stem):
    header, turns = read_source(stem)
    d = new_document(stem, header, header[1] if len(header) > 1 else stem)
    for label, text in turns:
        p = d.add_paragraph()
        p.add_run(f"{label}:").bold = True
        p.add_run(f" {text}")
    save_docx(d, stem)


def docx_plain_labels(stem):
    header, turns = read_source(stem)
    d = new_document(stem, header, header[1] if len(header) > 1 else stem)
    for label, text in turns:
        d.add_paragraph(f"{label}: {text}")
    save_docx(d, stem)


def docx_table(stem):
    header, turns = read_source(stem)
    d = new_document(stem, header, header[1] if len(header) > 1 else stem)
    table = d.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, text in turns:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = text
    for row in table.rows:
        row.cells[0].width = Cm(3.2)
        row.cells[1].width = Cm(13.3)
    save_docx(d, stem)


def save_docx(d, stem):
    path = HERE / f"{stem}.docx"
    d.save(path)
    normalize_zip(path)
    print("wrote", path.name)


# ---------------------------------------------------------------- WebVTT

def split_cues(text, max_words):
    """Splits a turn into caption-sized pieces at sentence ends, then commas,
    then word counts, roughly as auto-captioning does."""
    sentences = re.split(r"(?<=[.?!…])\s+", text)
    pieces = []
    for s in sentences:
        words = s.split()
        if len(words) <= max_words:
            pieces.append(s)
            continue
        # Long sentence: cut after commas where possible, else every max_words.
        chunk = []
        for w in words:
            chunk.append(w)
            if (len(chunk) >= max_words * 0.6 and w.endswith(",")) or len(chunk) >= max_words:
                pieces.append(" ".join(chunk))
                chunk = []
        if chunk:
            pieces.append(" ".join(chunk))
    # Merge very short pieces into the previous one of the same turn.
    merged = []
    for p in pieces:
        if merged and len(p.split()) <= 3 and len(merged[-1].split()) + len(p.split()) <= max_words + 2:
            merged[-1] += " " + p
        else:
            merged.append(p)
    return merged


def vtt_time(t):
    ms = int(round(t * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def write_vtt(stem, *, start, words_per_sec, max_words, cue_ids, close_voice):
    """cue_ids: None (no ids), "number" (1, 2, 3...) or "teams" (uuid/n-0)."""
    header, turns = read_source(stem)
    rng = random.Random(stem)
    lines = ["WEBVTT", "", "NOTE"] + header + [""]
    t = start
    n = 0
    base = hashlib.sha1(stem.encode()).hexdigest()
    previous = None
    for label, text in turns:
        if previous is not None:
            # Turn-taking gap; sometimes the next speaker starts early.
            t += rng.uniform(0.25, 1.4) if rng.random() > 0.15 else -0.2
        previous = label
        for piece in split_cues(text, max_words):
            n += 1
            words = len(piece.split())
            dur = max(1.0, words / words_per_sec * rng.uniform(0.85, 1.2))
            end = t + dur
            if cue_ids == "number":
                lines.append(str(n))
            elif cue_ids == "teams":
                lines.append(f"{base[:8]}-{base[8:12]}-{base[12:16]}-{base[16:20]}-{base[20:32]}/{n + 11}-0")
            tag_end = "</v>" if close_voice else ""
            lines.append(f"{vtt_time(t)} --> {vtt_time(end)}")
            lines.append(f"<v {label}>{piece}{tag_end}")
            lines.append("")
            t = end + rng.uniform(0.0, 0.35)
    path = HERE / f"{stem}.vtt"
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
    print("wrote", path.name, f"({n} cues, {t / 60:.1f} min)")


# ---------------------------------------------------------------- attributes

def write_participants():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "participants"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in PARTICIPANTS:
        ws.append([v if v != "" else None for v in row])
    date_col = COLUMNS.index("date") + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=date_col).number_format = "yyyy-mm-dd"
    widths = {"A": 32, "B": 11, "C": 15, "D": 13, "E": 13, "F": 9, "G": 6, "H": 9, "I": 12, "J": 26}
    for col, w in widths.items():
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"
    fixed = dt.datetime(2024, 12, 1)
    wb.properties.creator = "voces sample corpus"
    wb.properties.lastModifiedBy = "voces sample corpus"
    wb.properties.title = "SMO sample corpus: participants (synthetic)"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    path = HERE / "participants.xlsx"
    wb.save(path)
    normalize_zip(path, modified="2024-12-01T00:00:00Z")
    print("wrote", path.name)

    path = HERE / "participants.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for row in PARTICIPANTS:
            w.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in row])
    print("wrote", path.name)


def main():
    docx_bold_labels("smo02-migrant-costarica-es")
    docx_table("smo03-migrant-ecuador-es")
    docx_plain_labels("smo08-usofficial-costarica-en")
    # Spanish video call, no cue ids, open voice tags.
    write_vtt("smo05-migrant-guatemala-es", start=3.2, words_per_sec=2.7, max_words=14,
              cue_ids=None, close_voice=False)
    # Mixed English/Spanish, numbered cues (Zoom-like).
    write_vtt("smo06-migrant-costarica-mixed", start=1.8, words_per_sec=2.5, max_words=13,
              cue_ids="number", close_voice=False)
    # English remote call, Teams-like cue ids and closed voice tags.
    write_vtt("smo07-usofficial-us-en", start=12.4, words_per_sec=2.6, max_words=16,
              cue_ids="teams", close_voice=True)
    write_participants()


if __name__ == "__main__":
    main()
