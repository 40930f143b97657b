//! End-to-end tests of the `voces` binary.

// Tests talk to whoever runs them (skip notices).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod util;

mod cli;
mod coding;
mod crash;
mod excerpts;
mod ingest;
mod redact;
mod refi;
mod report;
mod schemas;
mod search;
mod shared_corpora;
