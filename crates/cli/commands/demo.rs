//! `voces demo`: the method on the bundled synthetic sample corpus.

use std::path::PathBuf;
use std::process::ExitCode;

use voces_corpus::{CONFIG_FILE, Project};

use crate::args::{CorpusArgs, CorpusCommand, DemoArgs, Global, IngestArgs, SearchArgs};
use crate::commands::search::Context;
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
    let root = std::fs::canonicalize(&args.dir)?;
    printer.note(&format!(
        "\nthe demo project is in {}\n  try: cd {} && voces corpus show <ID>",
        root.display(),
        root.display()
    ));
    Ok(code)
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
