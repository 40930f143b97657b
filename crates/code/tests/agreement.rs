//! Agreement coefficients against worked examples with published values.
//!
//! Each `tests/fixtures/agreement/*.tsv` is a reliability-data matrix (a
//! header row `unit<TAB>coder...`, one row per unit, `.` or an empty cell
//! for a missing value) after `#` comment lines that give the source and
//! the expected values:
//!
//! ```text
//! # expect krippendorff_alpha = 0.743 ± 0.0005
//! # expect cohen_kappa = error
//! # expect fleiss_kappa = NaN
//! ```
//!
//! Without `±` the tolerance is 1e-9.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use voces_code::agreement::{
    CoderCodings, ReliabilityData, binary_view, cohen_kappa, fleiss_kappa, krippendorff_alpha,
    percent_agreement, summary,
};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agreement");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    files
}

#[derive(Debug)]
enum Expected {
    Value(f64, f64),
    NaN,
    Error,
}

fn read_fixture(path: &Path) -> (ReliabilityData<String>, Vec<(String, Expected)>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut expected = Vec::new();
    let mut data: Option<ReliabilityData<String>> = None;
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(rest) = comment.trim().strip_prefix("expect ") {
                let (name, value) = rest.split_once('=').expect("`expect NAME = VALUE`");
                let (value, tolerance) = match value.split_once('±') {
                    Some((v, t)) => (v.trim(), t.trim().parse().unwrap()),
                    None => (value.trim(), 1e-9),
                };
                let e = match value {
                    "NaN" => Expected::NaN,
                    "error" => Expected::Error,
                    v => Expected::Value(v.parse().unwrap(), tolerance),
                };
                expected.push((name.trim().to_owned(), e));
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        match &mut data {
            None => {
                assert_eq!(
                    cells[0],
                    "unit",
                    "{}: header must start with `unit`",
                    path.display()
                );
                data = Some(ReliabilityData::new(
                    cells[1..].iter().map(|s| (*s).to_owned()).collect(),
                ));
            }
            Some(d) => {
                let values = cells[1..]
                    .iter()
                    .map(|c| match c.trim() {
                        "" | "." => None,
                        v => Some(v.to_owned()),
                    })
                    .collect();
                d.push_unit(cells[0], values).unwrap();
            }
        }
    }
    (data.expect("a header row"), expected)
}

#[test]
fn worked_examples() {
    let files = fixtures();
    assert!(files.len() >= 6, "fixtures missing");
    let mut failures = Vec::new();
    for path in &files {
        let (data, expected) = read_fixture(path);
        assert!(
            !expected.is_empty(),
            "{}: no `# expect` line",
            path.display()
        );
        for (name, want) in expected {
            let got: Result<f64, String> = match name.as_str() {
                "percent_agreement" => Ok(percent_agreement(&data)),
                "cohen_kappa" => cohen_kappa(&data).map_err(|e| e.to_string()),
                "fleiss_kappa" => fleiss_kappa(&data).map_err(|e| e.to_string()),
                "krippendorff_alpha" => Ok(krippendorff_alpha(&data)),
                other => panic!("{}: unknown statistic `{other}`", path.display()),
            };
            let ok = match (&want, &got) {
                (Expected::Value(v, tol), Ok(g)) => (g - v).abs() <= *tol,
                (Expected::NaN, Ok(g)) => g.is_nan(),
                (Expected::Error, Err(_)) => true,
                _ => false,
            };
            let file = path.file_name().unwrap().to_string_lossy();
            if !ok || std::env::var_os("VOCES_SHOW_AGREEMENT").is_some() {
                failures.push(format!("{file}: {name} expected {want:?}, got {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Summary agrees with the separate functions on every fixture.
#[test]
fn summary_matches_functions() {
    for path in fixtures() {
        let (data, _) = read_fixture(&path);
        let s = summary(&data);
        let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-12;
        assert!(same(s.krippendorff_alpha, krippendorff_alpha(&data)));
        assert!(same(s.percent_agreement, percent_agreement(&data)));
        match (s.cohen_kappa, cohen_kappa(&data)) {
            (Some(a), Ok(b)) => assert!(same(a, b)),
            (None, Err(_)) => {}
            other => panic!("{}: {other:?}", path.display()),
        }
        assert_eq!(s.coders, data.coders().len());
        assert_eq!(s.units, data.units().len());
    }
}

#[test]
fn krippendorff_summary_counts() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/agreement/krippendorff-2011-nominal.tsv");
    let (data, _) = read_fixture(&path);
    let s = summary(&data);
    // Krippendorff (2011): 11 pairable units, n = 40 pairable values.
    assert_eq!(
        (s.units, s.pairable_units, s.pairable_values, s.categories),
        (12, 11, 40, 5)
    );
    // Fleiss keeps the 8 units with all four values.
    assert_eq!(s.fleiss_units, 8);
    assert!(s.cohen_kappa.is_none());
    let json = serde_json_line(&s);
    assert!(json.contains("\"cohen_kappa\":null"), "{json}");
}

fn serde_json_line(s: &voces_code::agreement::Summary) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn binary_view_of_one_code() {
    let codings = |coder: &str, units: &[(&str, &[&str])]| CoderCodings {
        coder: coder.to_owned(),
        units: units
            .iter()
            .map(|(u, codes)| {
                (
                    (*u).to_owned(),
                    codes
                        .iter()
                        .map(|c| (*c).to_owned())
                        .collect::<BTreeSet<_>>(),
                )
            })
            .collect::<BTreeMap<_, _>>(),
    };
    let ana = codings(
        "ana",
        &[
            ("i#1", &["smuggling", "exclusion"]),
            ("i#2", &[]),
            ("i#3", &["smuggling"]),
        ],
    );
    let ben = codings("ben", &[("i#1", &["smuggling"]), ("i#2", &["smuggling"])]);
    let units: Vec<String> = ["i#1", "i#2", "i#3"].map(String::from).to_vec();
    let view = binary_view("smuggling", &units, &[ana, ben]);
    assert_eq!(view.coders(), ["ana", "ben"]);
    assert_eq!(view.row(0), [Some(true), Some(true)]);
    assert_eq!(view.row(1), [Some(false), Some(true)]);
    // ben did not code i#3: missing, not absent.
    assert_eq!(view.row(2), [Some(true), None]);
    assert!((percent_agreement(&view) - 0.5).abs() < 1e-12);
}

fn matrix() -> impl Strategy<Value = Vec<Vec<Option<u8>>>> {
    (2usize..5, 1usize..30).prop_flat_map(|(coders, units)| {
        prop::collection::vec(
            prop::collection::vec(prop::option::weighted(0.85, 0u8..4), coders),
            units,
        )
    })
}

fn build(rows: &[Vec<Option<u8>>]) -> ReliabilityData<u8> {
    let mut d = ReliabilityData::new((0..rows[0].len()).map(|i| format!("c{i}")).collect());
    for (i, r) in rows.iter().enumerate() {
        d.push_unit(i.to_string(), r.clone()).unwrap();
    }
    d
}

proptest! {
    #[test]
    fn coefficients_are_bounded(rows in matrix()) {
        let d = build(&rows);
        let alpha = krippendorff_alpha(&d);
        prop_assert!(alpha.is_nan() || alpha <= 1.0 + 1e-12);
        let pa = percent_agreement(&d);
        prop_assert!(pa.is_nan() || (0.0..=1.0).contains(&pa));
        let fleiss = fleiss_kappa(&d).unwrap();
        prop_assert!(fleiss.is_nan() || fleiss <= 1.0 + 1e-12);
    }

    #[test]
    fn coder_order_does_not_matter(rows in matrix()) {
        let d = build(&rows);
        let reversed: Vec<Vec<Option<u8>>> = rows.iter().map(|r| r.iter().rev().copied().collect()).collect();
        let r = build(&reversed);
        let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-9;
        prop_assert!(same(krippendorff_alpha(&d), krippendorff_alpha(&r)));
        prop_assert!(same(percent_agreement(&d), percent_agreement(&r)));
        prop_assert!(same(fleiss_kappa(&d).unwrap(), fleiss_kappa(&r).unwrap()));
        if rows[0].len() == 2 {
            prop_assert!(same(cohen_kappa(&d).unwrap(), cohen_kappa(&r).unwrap()));
        }
    }

    #[test]
    fn perfect_agreement_is_one(values in prop::collection::vec(0u8..3, 2..20), coders in 2usize..5) {
        prop_assume!(values.iter().collect::<BTreeSet<_>>().len() >= 2);
        let rows: Vec<Vec<Option<u8>>> = values.iter().map(|&v| vec![Some(v); coders]).collect();
        let d = build(&rows);
        prop_assert!((krippendorff_alpha(&d) - 1.0).abs() < 1e-12);
        prop_assert!((fleiss_kappa(&d).unwrap() - 1.0).abs() < 1e-12);
        prop_assert!((percent_agreement(&d) - 1.0).abs() < 1e-12);
    }
}
