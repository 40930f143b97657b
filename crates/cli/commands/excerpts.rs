//! `voces excerpts [--code ID] [--where ATTR=V] [--coder NAME] [--context N]
//! [--format csv|xlsx|jsonl|md] [-o FILE]`
//!
//! One row per coded excerpt, with the interview's attributes, the
//! segment's speaker, role and language, the quote, the code's path and the
//! coder or rule (see `voces_export::excerpts`). Text formats go to stdout
//! unless `-o` names a file; XLSX needs `-o`. Files are written atomically.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use voces_code::{AUTO_CODER, Coding, CodingStore};
use voces_export::excerpts::{self, Collector, Format, Part, Selection, WriteOptions};

use crate::args::Global;
use crate::printer::Printer;

/// `voces excerpts`
#[derive(Debug, Args)]
pub struct ExcerptsArgs {
    /// Only excerpts of this code and its sub-codes (repeat for more).
    #[arg(long = "code", value_name = "ID")]
    pub codes: Vec<String>,
    /// Only excerpts whose interview has ATTR=VALUE (repeat for more: the
    /// same attribute twice means either value). `lang`, `role`, `speaker`
    /// and `interview` filter segments, as in `voces search --where`.
    #[arg(long = "where", short = 'w', value_name = "ATTR=VALUE")]
    pub filters: Vec<String>,
    /// Whose codings: `auto` (the rules) or a manual coder; repeat for
    /// several (default: every coder, auto included).
    #[arg(long = "coder", value_name = "NAME|auto")]
    pub coders: Vec<String>,
    /// Words of the segment to give before and after each quote (the
    /// `before` and `after` fields).
    #[arg(long, short, default_value_t = 0, value_name = "N")]
    pub context: usize,
    /// Output format (default: the -o file's extension, else md).
    #[arg(long, short, value_enum)]
    pub format: Option<FormatArg>,
    /// JSON Lines, the same as --format jsonl
    /// (corpus-schema/excerpt.schema.json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Write to FILE (atomically) instead of stdout; needed for xlsx. A CSV
    /// file starts with a UTF-8 byte order mark so that Excel shows accents
    /// right (stdout gets none).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// XLSX: attributes of the Crosstab sheet, comma-separated (default:
    /// those whose values group the interviews, 2 to 12 values).
    #[arg(long, value_name = "ATTR[,ATTR]", value_delimiter = ',')]
    pub by: Vec<String>,
    /// Codebook for code paths, sub-codes and labels (default: as
    /// `voces code`).
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// Write real names and personal data instead of pseudonyms (see
    /// `voces redact`); the output is then not safe to share.
    #[arg(long)]
    pub no_redact: bool,
}

/// `--format`
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Comma-separated values, one column per attribute.
    Csv,
    /// Excel workbook: Excerpts, Codebook and Crosstab sheets.
    Xlsx,
    /// JSON Lines, one excerpt per line.
    #[value(alias = "json", alias = "ndjson")]
    Jsonl,
    /// Markdown, quotes grouped by code.
    #[value(alias = "markdown")]
    Md,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Csv => Format::Csv,
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Jsonl => Format::Jsonl,
            FormatArg::Md => Format::Markdown,
        }
    }
}

pub fn run(global: &Global, args: &ExcerptsArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let format = output_format(args)?;
    let filters = args
        .filters
        .iter()
        .map(|f| super::search::parse_where(f))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let project = super::open_project(global)?;
    let store = CodingStore::of(&project);
    let codebook = super::themes::codebook_for_report(&project, args.codebook.as_ref(), printer)?;
    let mut codings: Vec<Coding> = Vec::new();
    for name in coders(&store, &args.coders)? {
        let coder = store.coder(&name)?;
        // For manual coders `warn_stale` reads every coded interview whole
        // to compare quotes; reading the excerpts compares them anyway
        // (`changed` below), without a second read.
        if coder.coder == AUTO_CODER {
            super::themes::warn_stale(&project, &store, &coder, codebook.as_ref(), printer)?;
        }
        codings.extend(coder.codings);
    }
    check_codes(&args.codes, codebook.as_ref(), &codings)?;

    let corpus = project.store();
    let attributes = corpus.attributes()?;
    let selection = Selection {
        codes: args.codes.iter().map(|c| c.trim().to_owned()).collect(),
        filters,
        context: args.context,
    };
    let redactor = super::redact::for_export(&project, args.no_redact, printer)?;
    let (collector, batches) =
        Collector::new(&corpus, &attributes, codings, codebook.as_ref(), &selection);
    let collector = match &redactor {
        Some(r) => collector.redact_with(r),
        None => collector,
    };
    let bar = printer.progress(batches.len() as u64, "reading");
    let parts = batches
        .into_par_iter()
        .map(|batch| {
            let part = collector.read(batch);
            bar.inc(1);
            part
        })
        .collect::<Result<Vec<Part>, _>>()?;
    bar.finish_and_clear();
    let found = collector.finish(parts)?;
    if !found.missing_interviews.is_empty() {
        printer.warn(&format!(
            "codings of {} interview(s) no longer in the corpus are left out: {}\nhint: `voces code` again drops them from the auto-codings",
            found.missing_interviews.len(),
            found.missing_interviews.join(", ")
        ));
    }
    if found.stale > 0 {
        printer.warn(&format!(
            "{} coding(s) are left out: no segment of their re-ingested interview holds their span",
            found.stale
        ));
    }
    if found.changed > 0 {
        printer.warn(&format!(
            "{} coding(s) no longer match their interview's text (re-ingested since): their quotes are given as coded, without context",
            found.changed
        ));
    }

    let options = WriteOptions {
        codebook: codebook.as_ref(),
        bom: format == Format::Csv && args.output.is_some(),
        crosstab_by: &args.by,
        redactor: redactor.as_ref(),
    };
    let summary = format!(
        "{} excerpt(s) from {} interview(s)",
        found.rows.len(),
        found.interviews()
    );
    if let Some(path) = &args.output {
        let mut bytes = Vec::new();
        excerpts::write(&found, format, &options, &mut bytes)?;
        voces_corpus::write_atomic(path, &bytes)?;
        printer.note(&format!("wrote {summary} to {}", path.display()));
    } else {
        let mut out = std::io::stdout().lock();
        excerpts::write(&found, format, &options, &mut out)?;
        printer.note(&summary);
    }
    Ok(ExitCode::SUCCESS)
}

/// `--json`, `--format`, else the `-o` file's extension, else Markdown;
/// XLSX only to a file.
fn output_format(args: &ExcerptsArgs) -> anyhow::Result<Format> {
    let given = if args.json {
        Some(Format::Jsonl)
    } else {
        args.format.map(Format::from)
    };
    let by_name = args.output.as_deref().and_then(Format::from_path);
    if let (Some(f), Some(n), Some(path)) = (given, by_name, &args.output)
        && f != n
    {
        bail!(
            "-o {} looks like {} but the format is {}\nhint: name the file .{} or leave out --format",
            path.display(),
            n.extension(),
            f.extension(),
            f.extension()
        );
    }
    let format = given.or(by_name).unwrap_or(Format::Markdown);
    if format.is_binary() && args.output.is_none() {
        bail!("xlsx is a binary file, not for a terminal\nhint: give it a name: -o excerpts.xlsx");
    }
    if !args.by.is_empty() && format != Format::Xlsx {
        bail!("--by chooses the Crosstab sheet's attributes: it needs --format xlsx");
    }
    if let Some(path) = &args.output {
        if path.is_dir() {
            bail!("-o {}: is a folder\nhint: give a file name", path.display());
        }
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.is_dir()
        {
            bail!(
                "-o {}: the folder {} does not exist",
                path.display(),
                dir.display()
            );
        }
    }
    Ok(format)
}

/// The coders asked for, without repeats; by default `auto` (when the
/// corpus has been auto-coded) and every manual coder.
fn coders(store: &CodingStore, asked: &[String]) -> anyhow::Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    if asked.is_empty() {
        if store.run_path().is_file() {
            out.push(AUTO_CODER.to_owned());
        }
        out.extend(store.manual_coders()?);
        if out.is_empty() {
            bail!(
                "no codings yet\nhint: run `voces code` to auto-code the corpus, or `voces code add` to code by hand"
            );
        }
    }
    for name in asked {
        let name = name.trim();
        if !out.iter().any(|c| c == name) {
            out.push(name.to_owned());
        }
    }
    Ok(out)
}

/// Every `--code` must be in the codebook or used by a coding.
fn check_codes(
    codes: &[String],
    codebook: Option<&voces_code::Codebook>,
    codings: &[Coding],
) -> anyhow::Result<()> {
    for code in codes {
        let code = code.trim();
        if codebook.is_some_and(|b| b.code(code).is_some())
            || codings.iter().any(|c| c.code == code)
        {
            continue;
        }
        let mut known: Vec<&str> = codebook
            .map(|b| b.codes.iter().map(|c| c.id.as_str()).collect())
            .unwrap_or_default();
        known.extend(codings.iter().map(|c| c.code.as_str()));
        known.sort_unstable();
        known.dedup();
        let hint = super::code::closest(code, known.into_iter()).map_or_else(
            || "hint: `voces themes` lists the codes".to_owned(),
            |c| format!("hint: did you mean `{c}`?"),
        );
        bail!("no code `{code}` in the codebook or the codings\n{hint}");
    }
    Ok(())
}
