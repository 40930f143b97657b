//! `voces demo`: the method on the bundled synthetic sample corpus: ingest
//! (with the participants sheet), list, search, auto-code with the study
//! codebook, count themes by group, and write the HTML report.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use voces_code::AUTO_CODER;
use voces_corpus::{CONFIG_FILE, Project, write_atomic};

use crate::args::{CorpusArgs, CorpusCommand, DemoArgs, Global, IngestArgs, SearchArgs};
use crate::commands::code::{CodeArgs, DEFAULT_CODEBOOK};
use crate::commands::report::ReportArgs;
use crate::commands::search::Context;
use crate::commands::themes::{ThemesArgs, UnitArg};
use crate::printer::Printer;

pub fn run(args: &DemoArgs, printer: &Printer) -> anyhow::Result<ExitCode> {
    let sample = args
        .sample
        .clone()
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/smo-sample"));
    if !sample.is_dir() {
        anyhow::bail!(
            "{}: sample corpus not found\nhint: run from a source checkout, or pass --sample DIR",
            sample.display()
        );
    }
    if !args.dir.join(CONFIG_FILE).is_file() {
        if args.dir.is_dir() && std::fs::read_dir(&args.dir)?.next().is_some() {
            anyhow::bail!(
                "{}: exists and is not a voces project\nhint: pass --dir with a new folder",
                args.dir.display()
            );
        }
        Project::init(&args.dir)?;
    }
    let codebook = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_CODEBOOK);
    set_codebook(&args.dir, &codebook)?;
    let global = Global {
        project: Some(args.dir.clone()),
        quiet: false,
    };
    printer.note(&format!("== ingest {}", sample.display()));
    let metadata: Vec<PathBuf> = ["participants.xlsx", "participants.csv"]
        .iter()
        .map(|n| sample.join(n))
        .filter(|p| p.is_file())
        .take(1)
        .collect();
    let ingest = IngestArgs {
        paths: vec![sample.clone()],
        metadata,
        key: None,
        force: false,
        no_index: false,
    };
    let code = super::ingest::run(&global, &ingest, printer)?;
    printer.note("\n== voces corpus list");
    super::corpus::run(
        &global,
        &CorpusArgs {
            command: CorpusCommand::List { json: false },
        },
        printer,
    )?;
    let searches = [
        (
            "voces search 'coyote OR pollero OR smuggler OR traficante' --by country",
            SearchArgs {
                by: Some("country".into()),
                ..search("coyote OR pollero OR smuggler OR traficante")
            },
        ),
        (
            "voces search 'cita OR appointment' --where group=migrant --limit 6",
            SearchArgs {
                filters: vec!["group=migrant".into()],
                limit: 6,
                ..search("cita OR appointment")
            },
        ),
    ];
    for (shown, search_args) in &searches {
        printer.note(&format!("\n== {shown}"));
        super::search::run(&global, search_args, printer)?;
    }

    printer.note(&format!("\n== voces code   (codebook {DEFAULT_CODEBOOK})"));
    let coding = super::code::run(
        &global,
        &CodeArgs {
            command: None,
            codebook: None,
            explain: None,
            json: false,
            full: false,
        },
        printer,
    )?;
    printer.note("\n== voces themes --by group");
    super::themes::run(
        &global,
        &ThemesArgs {
            by: vec!["group".to_owned()],
            unit: UnitArg::Segment,
            coder: AUTO_CODER.to_owned(),
            cooccur: false,
            window: 0,
            codebook: None,
            json: false,
            csv: false,
        },
        printer,
    )?;

    let root = std::fs::canonicalize(&args.dir)?;
    let report = root.join("report.html");
    printer.note("\n== voces report");
    let project = Project::open(&root)?;
    super::report::write(
        &project,
        &ReportArgs {
            output: None,
            by: Vec::new(),
            excerpts: 5,
            coder: AUTO_CODER.to_owned(),
            codebook: None,
            title: Some("Safe Mobility Offices: the synthetic sample corpus".to_owned()),
            no_redact: false,
        },
        &report,
        printer,
    )?;
    printer.note(&format!(
        "\nthe demo project is in {}\n  open {} in a browser\n  try: cd {} && voces corpus show <ID>, voces code --explain <SEGMENT_ID>, voces themes --cooccur",
        root.display(),
        report.display(),
        root.display()
    ));
    Ok(if code == ExitCode::SUCCESS {
        coding
    } else {
        code
    })
}

/// Puts the study codebook in the demo project, at the path `voces code`
/// looks for, and names it under `[code]` in voces.toml (unless another
/// codebook is named there).
fn set_codebook(dir: &Path, codebook: &Path) -> anyhow::Result<()> {
    let text = std::fs::read(codebook).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}\nhint: run from a source checkout, where codebooks/ holds the study codebook",
            codebook.display()
        )
    })?;
    let target = dir.join(DEFAULT_CODEBOOK);
    if std::fs::read(&target).ok().as_deref() != Some(text.as_slice()) {
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        write_atomic(&target, &text)?;
    }
    let config = dir.join(CONFIG_FILE);
    let settings = std::fs::read_to_string(&config)?;
    let named = settings.replacen(
        "\ncodebook = \"\"\n",
        &format!("\ncodebook = \"{DEFAULT_CODEBOOK}\"\n"),
        1,
    );
    if named != settings {
        write_atomic(&config, named.as_bytes())?;
    }
    Ok(())
}

/// `voces search QUERY` with the default options.
fn search(query: &str) -> SearchArgs {
    SearchArgs {
        query: query.to_owned(),
        filters: Vec::new(),
        by: None,
        exact: false,
        context: Context::Words(8),
        rank: false,
        limit: 100,
        count: false,
        json: false,
    }
}
