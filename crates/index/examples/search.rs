//! Indexes the transcripts of a folder in a temporary project and searches
//! them, printing each hit with its matches in brackets and the timings.
//!
//! ```text
//! cargo run -p voces-index --example search -- ../shared/corpora/mlsss-en/transcripts 'border OR frontera'
//! ```

#![allow(clippy::print_stdout, reason = "an example program")]

use std::time::Instant;

use voces_corpus::{IngestConfig, Project};
use voces_index::{Index, Query, SearchOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(folder), Some(query)) = (args.next(), args.next()) else {
        return Err("usage: search FOLDER QUERY [--rank]".into());
    };
    let rank = args.next().as_deref() == Some("--rank");

    let tmp = tempfile::tempdir()?;
    let project = Project::init(tmp.path())?;
    let options =
        voces_ingest::ReadOptions::new(&project.config().project, &IngestConfig::default())?;
    let store = project.store();
    let started = Instant::now();
    for entry in std::fs::read_dir(&folder)? {
        let path = entry?.path();
        if voces_ingest::transcript_format(&path).is_some() {
            match voces_ingest::ingest_file(&path, &options) {
                Ok(interview) => store.put_interview(&interview)?,
                Err(e) => println!("skipped: {e}"),
            }
        }
    }
    println!("read in {:?}", started.elapsed());

    let started = Instant::now();
    let languages = &project.config().project.languages;
    let mut index = Index::open_or_create(&project.data_dir().join("index"), languages)?;
    let stats = index.update(&store, &store.attributes()?, &|_, _| {})?;
    println!(
        "indexed {} segments in {:?}",
        stats.segments,
        started.elapsed()
    );

    let started = Instant::now();
    let results = index.search(
        &Query::parse(&query)?,
        &SearchOptions {
            limit: 20,
            rank,
            count_only: false,
        },
    )?;
    println!(
        "{} hits in {} interviews in {:?}\n",
        results.total_hits,
        results.total_interviews,
        started.elapsed()
    );
    for hit in &results.hits {
        let chars: Vec<char> = hit.text.chars().collect();
        let mut quote = String::new();
        let mut at = 0;
        for m in &hit.matches {
            quote.extend(&chars[at..m.start]);
            quote.push('[');
            quote.extend(&chars[m.start..m.end]);
            quote.push(']');
            at = m.end;
        }
        quote.extend(&chars[at..]);
        let speaker = hit.speaker.as_deref().unwrap_or("-");
        println!("{} {speaker} ({}): {quote}", hit.segment, hit.lang);
    }
    Ok(())
}
