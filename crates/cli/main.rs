//! The `voces` command line.
//!
//! Exit codes: 0 success; 1 partial failure (some inputs were skipped, see
//! the error lines on stderr); 2 error (nothing was done).

mod args;
mod commands;
mod printer;
mod table;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::printer::Printer;

/// mimalloc: ingest and indexing make many small strings and vectors per
/// segment, and it serves them markedly faster than the system allocator
/// (`cargo bench --bench ingest` uses it too).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let printer = Printer::new(cli.global.quiet);
    match run(cli, &printer) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            printer.error(&format!("{err:#}"));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli, printer: &Printer) -> anyhow::Result<ExitCode> {
    let code = match cli.command {
        Command::Init(a) => commands::init::run(&a, printer)?,
        Command::Ingest(a) => commands::ingest::run(&cli.global, &a, printer)?,
        Command::Corpus(a) => commands::corpus::run(&cli.global, &a, printer)?,
        Command::Index(a) => commands::index::run(&cli.global, &a, printer)?,
        Command::Search(a) => commands::search::run(&cli.global, &a, printer)?,
        Command::Code(a) => commands::code::run(&cli.global, &a, printer)?,
        Command::Themes(a) => commands::themes::run(&cli.global, &a, printer)?,
        Command::Agree(a) => commands::agree::run(&cli.global, &a, printer)?,
        Command::Excerpts(a) => commands::excerpts::run(&cli.global, &a, printer)?,
        Command::Report(a) => commands::report::run(&cli.global, &a, printer)?,
        Command::Export(a) => commands::export::run(&cli.global, &a, printer)?,
        Command::Import(a) => commands::import::run(&cli.global, &a, printer)?,
        Command::Redact(a) => commands::redact::run(&cli.global, &a, printer)?,
        Command::Demo(a) => commands::demo::run(&a, printer)?,
    };
    std::io::stdout().flush()?;
    Ok(code)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == pipe
            || e.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == pipe
    })
}
