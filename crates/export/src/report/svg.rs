//! The report's charts, as inline SVG: bars, a two-panel theme chart, a
//! theme × value heatmap and a co-occurrence matrix.
//!
//! Every chart is `role="img"` with a `<title>` and `<desc>` it is
//! labelled by, carries its numbers as text (so it reads on paper), and
//! gives each bar or cell a `<title>` tooltip. Text is laid out with an
//! estimate of its width (see [`text_width`]) and shortened with `…` when
//! too long; the full text stays in the tooltip and the table beside the
//! chart. All text is escaped through [`Esc`].

use std::fmt::Write;

use super::html::{Esc, plural, thousands};
use super::{Crosstab, Theme};

macro_rules! w {
    ($dst:expr, $($arg:tt)*) => {
        let _ = write!($dst, $($arg)*);
    };
}

/// Text colour.
const INK: &str = "#1f2328";
/// Secondary text.
const MUTED: &str = "#59636e";
/// Empty cells and tracks.
const EMPTY: &str = "#f1f3f5";
/// Bars of the corpus overview.
const NEUTRAL: &str = "#4a6382";
/// Co-occurrence cells.
const PAIRS: &str = "#2f4b7c";

/// Estimated width in pixels of `s` in a sans-serif font of `px` pixels
/// (wide enough for `DejaVu Sans`, the widest common fallback).
pub(crate) fn text_width(s: &str, px: f64) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 'I' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'í' | 'ì' => 0.32,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '/' | '-' => 0.4,
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.9,
            '0'..='9' => 0.6,
            c if c.is_uppercase() => 0.7,
            _ => 0.56,
        })
        .sum();
    em * px
}

/// `s`, shortened with `…` to fit `max` pixels.
pub(crate) fn fit(s: &str, px: f64, max: f64) -> String {
    if text_width(s, px) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    for c in s.chars() {
        let mut next = out.clone();
        next.push(c);
        if text_width(&next, px) + text_width("…", px) > max {
            break;
        }
        out = next;
    }
    format!("{}…", out.trim_end())
}

fn rgb(hex: &str) -> (f64, f64, f64) {
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(128.0, f64::from)
    };
    (channel(1), channel(3), channel(5))
}

/// `hex` (`#rrggbb`) over white at opacity `alpha` (0 to 1), as `#rrggbb`.
pub(crate) fn tint(hex: &str, alpha: f64) -> String {
    let (r, g, b) = rgb(hex);
    let a = alpha.clamp(0.0, 1.0);
    let mix = |c: f64| (255.0 * (1.0 - a) + c * a).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(r), mix(g), mix(b))
}

/// Black or white text, whichever reads better on `hex`.
fn ink_on(hex: &str) -> &'static str {
    let (r, g, b) = rgb(hex);
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    // Contrast against white vs against the ink colour.
    if (1.05) / (luminance + 0.05) >= (luminance + 0.05) / 0.0635 {
        "#ffffff"
    } else {
        INK
    }
}

/// Size of row labels.
const LABEL_PX: f64 = 13.0;
/// Room a row label with a colour swatch needs beside its text.
const SWATCH_LABEL: f64 = 32.0;

/// Width of a column of theme labels: the widest label (at most 230
/// pixels; longer ones are shortened) and `extra`.
fn label_column<'a>(themes: impl IntoIterator<Item = &'a Theme>, extra: f64) -> f64 {
    themes
        .into_iter()
        .map(|t| text_width(&t.label, LABEL_PX))
        .fold(60.0, f64::max)
        .min(230.0)
        + extra
}

/// A theme's colour swatch and label, left of a row whose middle is at `mid`.
fn row_label(out: &mut String, theme: &Theme, mid: f64, label_w: f64) {
    w!(
        out,
        "<rect x=\"4\" y=\"{:.1}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/>\
         <text x=\"22\" y=\"{:.1}\" font-size=\"{LABEL_PX}\" fill=\"{INK}\"><title>{}</title>{}</text>",
        mid - 6.0,
        Esc(&theme.color),
        mid + 4.5,
        Esc(&theme.label),
        Esc(&fit(&theme.label, LABEL_PX, label_w - SWATCH_LABEL + 2.0)),
    );
}

fn open(out: &mut String, id: &str, title: &str, desc: &str, width: f64, height: f64) {
    w!(
        out,
        "<svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        Esc(title),
        Esc(desc)
    );
}

/// A horizontal bar per `(label, value)`, in one colour, the value at the
/// end of the bar.
pub(crate) fn bars(id: &str, title: &str, desc: &str, rows: &[(String, usize)]) -> String {
    let px = 13.0;
    let label_w = rows
        .iter()
        .map(|(l, _)| text_width(l, px))
        .fold(40.0, f64::max)
        .min(130.0)
        + 14.0;
    let area = 150.0;
    let row_h = 24.0;
    let width = label_w + area + 44.0;
    let height = row_h * rows.len().max(1) as f64 + 6.0;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let mut out = String::new();
    open(&mut out, id, title, desc, width, height);
    for (i, (label, value)) in rows.iter().enumerate() {
        let y = 3.0 + row_h * i as f64;
        let len = (*value as f64 / max * area).max(if *value > 0 { 2.0 } else { 0.0 });
        w!(
            out,
            "<g><title>{}: {value}</title>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"{px}\" fill=\"{INK}\">{}</text>\
             <rect x=\"{label_w:.1}\" y=\"{:.1}\" width=\"{len:.1}\" height=\"15\" rx=\"2\" fill=\"{NEUTRAL}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{INK}\">{value}</text></g>",
            Esc(label),
            label_w - 8.0,
            y + 16.0,
            Esc(&fit(label, px, label_w - 12.0)),
            y + 4.5,
            label_w + len + 5.0,
            y + 16.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// Themes as rows with two bars each: coded segments, and interviews out
/// of `interviews` (drawn on a track of the whole).
pub(crate) fn theme_bars(
    id: &str,
    title: &str,
    desc: &str,
    themes: &[&Theme],
    interviews: usize,
) -> String {
    let px = LABEL_PX;
    let label_w = label_column(themes.iter().copied(), 16.0);
    let (seg_w, gap, int_w) = (300.0, 64.0, 170.0);
    let head = 30.0;
    let row_h = 26.0;
    let width = label_w + seg_w + gap + int_w + 48.0;
    let height = head + row_h * themes.len().max(1) as f64 + 4.0;
    let max = themes.iter().map(|t| t.segments).max().unwrap_or(0).max(1) as f64;
    let int_x = label_w + seg_w + gap;
    let mut out = String::new();
    open(&mut out, id, title, desc, width, height);
    w!(
        out,
        "<text x=\"{label_w:.1}\" y=\"18\" font-size=\"12.5\" font-weight=\"600\" fill=\"{MUTED}\">Coded segments</text>\
         <text x=\"{int_x:.1}\" y=\"18\" font-size=\"12.5\" font-weight=\"600\" fill=\"{MUTED}\">Interviews (of {interviews})</text>\
         <line x1=\"{label_w:.1}\" y1=\"{head:.1}\" x2=\"{label_w:.1}\" y2=\"{:.1}\" stroke=\"#d1d9e0\"/>",
        height - 2.0
    );
    for (i, t) in themes.iter().enumerate() {
        let y = head + row_h * i as f64;
        let len =
            (t.segments as f64 / max * (seg_w - 8.0)).max(if t.segments > 0 { 2.0 } else { 0.0 });
        let share = if interviews == 0 {
            0.0
        } else {
            t.interviews as f64 / interviews as f64
        };
        w!(
            out,
            "<g><title>{}: {} coded {} in {} of {interviews} interviews</title>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"{px}\" fill=\"{INK}\">{}</text>\
             <rect x=\"{label_w:.1}\" y=\"{:.1}\" width=\"{len:.1}\" height=\"16\" rx=\"2\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{INK}\">{}</text>\
             <rect x=\"{int_x:.1}\" y=\"{:.1}\" width=\"{int_w:.1}\" height=\"16\" rx=\"2\" fill=\"{EMPTY}\"/>\
             <rect x=\"{int_x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"16\" rx=\"2\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"{INK}\">{}/{interviews}</text></g>",
            Esc(&t.label),
            thousands(t.segments),
            plural(t.segments, "segment", "segments"),
            t.interviews,
            label_w - 10.0,
            y + 17.0,
            Esc(&fit(&t.label, px, label_w - 14.0)),
            y + 5.0,
            Esc(&t.color),
            label_w + len + 5.0,
            y + 17.5,
            thousands(t.segments),
            y + 5.0,
            y + 5.0,
            share * int_w,
            Esc(&tint(&t.color, 0.7)),
            int_x + int_w + 6.0,
            y + 17.5,
            t.interviews,
        );
    }
    out.push_str("</svg>");
    out
}

/// Themes × the columns of a crosstab: each cell is the theme's colour,
/// as strong as the share of the column's interviews with the theme, and
/// says `interviews/of` and the coded segments.
pub(crate) fn heatmap(
    id: &str,
    title: &str,
    desc: &str,
    table: &Crosstab,
    themes: &[Theme],
) -> String {
    let compact = table.columns.len() > 8;
    let label_w = label_column(themes, SWATCH_LABEL);
    let headers: Vec<String> = table
        .columns
        .iter()
        .map(|c| {
            if compact {
                format!("{} ({})", c.label, c.interviews)
            } else {
                c.label.clone()
            }
        })
        .collect();
    let widest = headers
        .iter()
        .map(|h| text_width(h, 12.5))
        .fold(0.0, f64::max);
    let (cw, ch) = if compact {
        (46.0, 30.0)
    } else {
        (widest.clamp(58.0, 120.0) + 14.0, 42.0)
    };
    let rotated = widest.min(150.0) * std::f64::consts::FRAC_1_SQRT_2;
    let head = if compact { rotated + 18.0 } else { 42.0 };
    let grid_w = cw * table.columns.len() as f64;
    let legend_h = 44.0;
    let legend = "share of the column's interviews with the theme:";
    let legend_x = label_w + text_width(legend, 11.5) + 8.0;
    let width = label_w + grid_w + if compact { rotated + 8.0 } else { 8.0 };
    let width = width.max(legend_x + 44.0 * 5.0 + 4.0);
    let height = head + ch * themes.len() as f64 + legend_h;
    let mut out = String::new();
    open(&mut out, id, title, desc, width, height);
    for (j, (col, header)) in table.columns.iter().zip(&headers).enumerate() {
        let x = label_w + cw * j as f64;
        if compact {
            let (tx, ty) = (x + cw / 2.0, head - 6.0);
            w!(
                out,
                "<text x=\"{tx:.1}\" y=\"{ty:.1}\" transform=\"rotate(-45 {tx:.1} {ty:.1})\" font-size=\"12.5\" fill=\"{INK}\"><title>{}</title>{}</text>",
                Esc(header),
                Esc(&fit(header, 12.5, 150.0)),
            );
        } else {
            w!(
                out,
                "<text x=\"{:.1}\" y=\"17\" text-anchor=\"middle\" font-size=\"12.5\" font-weight=\"600\" fill=\"{INK}\"><title>{}</title>{}</text>\
                 <text x=\"{:.1}\" y=\"33\" text-anchor=\"middle\" font-size=\"11\" fill=\"{MUTED}\">n = {}</text>",
                x + cw / 2.0,
                Esc(header),
                Esc(&fit(header, 12.5, cw - 6.0)),
                x + cw / 2.0,
                col.interviews,
            );
        }
    }
    for (i, theme) in themes.iter().enumerate() {
        let y = head + ch * i as f64;
        row_label(&mut out, theme, y + ch / 2.0, label_w);
        for (j, (cell, col)) in table.cells[i].iter().zip(&table.columns).enumerate() {
            let x = label_w + cw * j as f64;
            let share = if col.interviews == 0 {
                0.0
            } else {
                cell.interviews as f64 / col.interviews as f64
            };
            let fill = if cell.interviews == 0 {
                EMPTY.to_owned()
            } else {
                tint(&theme.color, 0.12 + 0.88 * share)
            };
            let ink = if cell.interviews == 0 {
                MUTED
            } else {
                ink_on(&fill)
            };
            w!(
                out,
                "<g><title>{} × {}: {} of {} {} ({:.0}%), {} coded {}</title>\
                 <rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"2\"/>",
                Esc(&theme.label),
                Esc(&col.label),
                cell.interviews,
                col.interviews,
                plural(col.interviews, "interview", "interviews"),
                share * 100.0,
                thousands(cell.segments),
                plural(cell.segments, "segment", "segments"),
                x,
                y,
                cw,
                ch,
            );
            if compact {
                w!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{ink}\">{}/{}</text></g>",
                    x + cw / 2.0,
                    y + ch / 2.0 + 4.0,
                    cell.interviews,
                    col.interviews,
                );
            } else {
                w!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" fill=\"{ink}\">{}/{}</text>\
                     <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10.5\" fill=\"{ink}\">{} seg.</text></g>",
                    x + cw / 2.0,
                    y + 18.0,
                    cell.interviews,
                    col.interviews,
                    x + cw / 2.0,
                    y + 32.0,
                    thousands(cell.segments),
                );
            }
        }
    }
    // Legend: the share scale, in grey.
    let ly = head + ch * themes.len() as f64 + 16.0;
    w!(
        out,
        "<text x=\"{label_w:.1}\" y=\"{:.1}\" font-size=\"11.5\" fill=\"{MUTED}\">{}</text>",
        ly + 3.0,
        Esc(legend),
    );
    for (k, share) in [0.0, 0.25, 0.5, 0.75, 1.0].iter().enumerate() {
        let x = legend_x + 44.0 * k as f64;
        let fill = if *share == 0.0 {
            EMPTY.to_owned()
        } else {
            tint("#555555", 0.12 + 0.88 * share)
        };
        w!(
            out,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"40\" height=\"14\" fill=\"{fill}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10.5\" fill=\"{}\">{:.0}%</text>",
            ly - 8.0,
            x + 20.0,
            ly + 3.0,
            ink_on(&fill),
            share * 100.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// The co-occurrence matrix of themes: row × column cells with the number
/// of segments coded with both, shaded by it; the diagonal (each theme's
/// own segments) in grey.
pub(crate) fn cooccurrence(
    id: &str,
    title: &str,
    desc: &str,
    themes: &[Theme],
    counts: &[Vec<usize>],
) -> String {
    let label_w = label_column(themes, SWATCH_LABEL);
    let cell = 38.0;
    let widest = themes
        .iter()
        .map(|t| text_width(&t.label, 12.0))
        .fold(0.0, f64::max)
        .min(170.0);
    let rotated = widest * std::f64::consts::FRAC_1_SQRT_2;
    let head = rotated + 16.0;
    let n = themes.len();
    let width = label_w + cell * n as f64 + rotated + 4.0;
    let height = head + cell * n as f64 + 6.0;
    let max = counts
        .iter()
        .enumerate()
        .flat_map(|(i, row)| row.iter().enumerate().filter(move |(j, _)| *j != i))
        .map(|(_, v)| *v)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut out = String::new();
    open(&mut out, id, title, desc, width, height);
    for (j, t) in themes.iter().enumerate() {
        let (tx, ty) = (label_w + cell * j as f64 + cell / 2.0, head - 6.0);
        w!(
            out,
            "<text x=\"{tx:.1}\" y=\"{ty:.1}\" transform=\"rotate(-45 {tx:.1} {ty:.1})\" font-size=\"12\" fill=\"{INK}\"><title>{}</title>{}</text>",
            Esc(&t.label),
            Esc(&fit(&t.label, 12.0, 170.0)),
        );
    }
    for (i, a) in themes.iter().enumerate() {
        let y = head + cell * i as f64;
        row_label(&mut out, a, y + cell / 2.0, label_w);
        for (j, b) in themes.iter().enumerate() {
            let x = label_w + cell * j as f64;
            let v = counts.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0);
            let (fill, ink, tip) = if i == j {
                (
                    "#e4e7eb".to_owned(),
                    MUTED,
                    format!(
                        "{}: {} coded {}",
                        a.label,
                        thousands(v),
                        plural(v, "segment", "segments")
                    ),
                )
            } else {
                let fill = if v == 0 {
                    EMPTY.to_owned()
                } else {
                    tint(PAIRS, 0.1 + 0.9 * (v as f64 / max))
                };
                let ink = if v == 0 { "#8c959f" } else { ink_on(&fill) };
                (
                    fill,
                    ink,
                    format!(
                        "{} and {}: {} {} with both",
                        a.label,
                        b.label,
                        thousands(v),
                        plural(v, "segment", "segments")
                    ),
                )
            };
            w!(
                out,
                "<g><title>{}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"2\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"12\"{} fill=\"{ink}\">{}</text></g>",
                Esc(&tip),
                x + cell / 2.0,
                y + cell / 2.0 + 4.5,
                if i == j { " font-style=\"italic\"" } else { "" },
                thousands(v),
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        assert_eq!(tint("#d62728", 1.0), "#d62728");
        assert_eq!(tint("#d62728", 0.0), "#ffffff");
        assert_eq!(tint("#000000", 0.5), "#808080");
        assert_eq!(ink_on("#ffffff"), INK);
        assert_eq!(ink_on("#2f4b7c"), "#ffffff");
        assert_eq!(ink_on("#fff0a8"), INK);
    }

    #[test]
    fn long_text_is_shortened() {
        let long = "Eligibility and exclusion of people in transit";
        let short = fit(long, 13.0, 120.0);
        assert!(short.ends_with('…') && short.len() < long.len(), "{short}");
        assert!(text_width(&short, 13.0) <= 120.0);
        assert_eq!(fit("Asylum", 13.0, 120.0), "Asylum");
    }
}
