//! `voces report`: one self-contained HTML file (corpus overview, theme
//! charts, themes by attribute, co-occurrence, excerpts), written
//! atomically. The counting and the HTML are `voces_export::report`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use voces_code::{AUTO_CODER, CodingStore};
use voces_corpus::Project;
use voces_export::report::{Options, Report};

use crate::args::Global;
use crate::printer::Printer;

/// Attributes the report crosses themes with when `--by` is not given,
/// those the interviews have.
const DEFAULT_BY: [&str; 2] = ["group", "country"];

/// `voces report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The HTML file to write (default: report.html in the project
    /// folder).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A theme × value chart for this attribute (repeat for more;
    /// `country,group` crosses two). Default: group and country, when the
    /// interviews have them.
    #[arg(long, value_name = "ATTR[,ATTR]")]
    pub by: Vec<String>,
    /// Excerpts shown per theme.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub excerpts: usize,
    /// Whose codings: `auto` (the rules) or a manual coder.
    #[arg(long, default_value = AUTO_CODER, value_name = "NAME|auto")]
    pub coder: String,
    /// Codebook for labels, colours and the code tree (default: as
    /// `voces code`).
    #[arg(long, value_name = "FILE")]
    pub codebook: Option<PathBuf>,
    /// Title of the report (default: the project's name).
    #[arg(long)]
    pub title: Option<String>,
    /// Write real names and personal data instead of pseudonyms (see
    /// `voces redact`); the report is then not safe to share.
    #[arg(long)]
    pub no_redact: bool,
}

pub fn run(global: &Global, args: &ReportArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let project = super::open_project(global)?;
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| project.root().join("report.html"));
    write(&project, args, &path, printer)?;
    Ok(ExitCode::SUCCESS)
}

/// Builds the report and writes it to `path`; says where on stderr.
pub fn write(
    project: &Project,
    args: &ReportArgs,
    path: &Path,
    printer: &Printer,
) -> anyhow::Result<()> {
    let store = CodingStore::of(project);
    let coder = store.coder(&args.coder)?;
    let codebook = super::themes::codebook_for_report(project, args.codebook.as_ref(), printer)?;
    super::themes::warn_stale(project, &store, &coder, codebook.as_ref(), printer)?;

    let by: Vec<Vec<String>> = if args.by.is_empty() {
        let known = attribute_names(project)?;
        let by: Vec<Vec<String>> = DEFAULT_BY
            .iter()
            .filter(|a| known.contains(**a))
            .map(|a| vec![(*a).to_owned()])
            .collect();
        if by.is_empty() && !known.is_empty() {
            let list: Vec<&str> = known.iter().map(String::as_str).collect();
            printer.note(&format!(
                "note: no themes by attribute: the interviews have no `{}` attribute\nhint: choose with --by ATTR; attributes are: {}",
                DEFAULT_BY.join("` or `"),
                list.join(", ")
            ));
        }
        by
    } else {
        args.by
            .iter()
            .map(|b| {
                b.split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .filter(|b| !b.is_empty())
            .collect()
    };
    let options = Options {
        title: args.title.clone(),
        by,
        excerpts: args.excerpts,
    };
    let redactor = super::redact::for_export(project, args.no_redact, printer)?;
    let report = Report::build(
        project,
        &coder,
        codebook.as_ref(),
        &options,
        redactor.as_ref(),
    )?;
    let bytes = report.write(path)?;
    let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    printer.note(&format!(
        "wrote {} ({} KB: {} theme(s), {} coded interview(s)); open it in a browser",
        shown.display(),
        bytes.div_ceil(1024),
        report.themes.len(),
        report.about.coded_interviews,
    ));
    Ok(())
}

/// Names of the interviews' attributes (sheet rows joined), lower case.
fn attribute_names(project: &Project) -> anyhow::Result<BTreeSet<String>> {
    let store = project.store();
    let attributes = store.attributes()?;
    let mut out = BTreeSet::new();
    for h in store.heads()? {
        out.extend(
            attributes
                .merged(&h.id, &h.source.file_name, &h.attributes)
                .into_keys()
                .map(|k| k.to_lowercase()),
        );
    }
    Ok(out)
}
