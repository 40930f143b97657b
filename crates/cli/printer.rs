//! The one place that writes to stderr: errors, warnings, notes and
//! progress bars. Honours `--quiet`, `NO_COLOR`, and hides bars when stderr
//! is not a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Writes human messages to stderr.
#[derive(Debug, Clone)]
pub struct Printer {
    quiet: bool,
    color: bool,
    terminal: bool,
}

impl Printer {
    pub fn new(quiet: bool) -> Printer {
        let terminal = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Printer {
            quiet,
            color: terminal && !no_color,
            terminal,
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    /// An error; shown even with `--quiet`.
    #[allow(clippy::print_stderr)]
    pub fn error(&self, message: &str) {
        let (first, rest) = split_hints(message);
        eprintln!("{} {first}", self.paint("1;31", "error:"));
        for hint in rest {
            eprintln!("{hint}");
        }
    }

    /// A warning about the input; shown even with `--quiet`, since it
    /// names data that was skipped or changed.
    #[allow(clippy::print_stderr)]
    pub fn warn(&self, message: &str) {
        eprintln!("{} {message}", self.paint("1;33", "warning:"));
    }

    /// Progress and summaries; hidden with `--quiet`.
    #[allow(clippy::print_stderr)]
    pub fn note(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// A progress bar of `len` steps, hidden when quiet or not a terminal.
    pub fn progress(&self, len: u64, what: &str) -> ProgressBar {
        if self.quiet || !self.terminal {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_prefix(what.to_owned());
        bar
    }
}

/// Splits `error: message\nhint: ...` into the first line and the rest.
fn split_hints(message: &str) -> (&str, Vec<&str>) {
    let mut lines = message.lines();
    let first = lines.next().unwrap_or_default();
    (first, lines.collect())
}
