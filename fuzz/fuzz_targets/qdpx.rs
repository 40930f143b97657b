//! Fuzz target `qdpx`: see `fuzz/README.md` and `fuzz/src/`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| voces_fuzz::run("qdpx", data));
