//! End-to-end tests of the `voces` binary.

// Tests talk to whoever runs them (skip notices).
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod util;

mod cli;
mod coding;
mod ingest;
mod schemas;
mod search;
mod shared_corpora;
