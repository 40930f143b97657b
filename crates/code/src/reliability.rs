//! Intercoder agreement of stored codings, at segment level.
//!
//! The units are the segments of the interviews **every** coder coded
//! (`auto` coded every interview of its last run; a person, the interviews
//! where they applied at least one code). For each code, each coder either
//! applied it to a segment (or to part of it, or one of its sub-codes) or
//! did not: a binary reliability matrix ([`crate::agreement::binary_view`])
//! on which percent agreement, Cohen's kappa (two coders), Fleiss' kappa and
//! Krippendorff's alpha are computed. The overall figures pool the
//! matrices of every code (each segment × code is a unit).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use voces_corpus::id::segment_id;

use crate::agreement::{CoderCodings as Applied, ReliabilityData, Summary, binary_view, summary};
use crate::coding::CoderCodings;
use crate::tally::{code_order, with_ancestors};
use crate::{Codebook, Error, Result};

/// Agreement on one code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeAgreement {
    /// The code.
    pub code: String,
    /// Depth in the codebook (0 for a theme or a code it does not have).
    pub depth: usize,
    /// Segments each coder applied it to, in the order of the coders.
    pub applied: Vec<usize>,
    /// Segments at least one coder applied it to.
    pub any: usize,
    /// The coefficients.
    pub summary: Summary,
}

/// A segment the coders disagree on for a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// Segment id.
    pub segment: String,
    /// The code.
    pub code: String,
    /// Coders who applied it.
    pub yes: Vec<String>,
    /// Coders who did not.
    pub no: Vec<String>,
}

/// Agreement of several coders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// The coders, as given.
    pub coders: Vec<String>,
    /// Interviews every coder coded.
    pub interviews: Vec<String>,
    /// Their segments: the units.
    pub segments: usize,
    /// Per code, in codebook order (codes nobody applied on these
    /// segments are left out).
    pub codes: Vec<CodeAgreement>,
    /// All codes pooled.
    pub overall: Summary,
    /// Disagreements, by segment then code.
    pub disagreements: Vec<Disagreement>,
}

/// Agreement of `coders` over the segments of the interviews they all
/// coded; `segments` gives the number of segments of each interview.
pub fn agreement(
    coders: &[CoderCodings],
    segments: &BTreeMap<String, usize>,
    codebook: Option<&Codebook>,
) -> Result<Agreement> {
    if coders.len() < 2 {
        return Err(Error::User(
            "agreement needs at least two coders\nhint: voces agree auto ana".to_owned(),
        ));
    }
    let mut common: BTreeSet<String> = coders[0].interviews.clone();
    for c in &coders[1..] {
        common = common.intersection(&c.interviews).cloned().collect();
    }
    common.retain(|i| segments.contains_key(i));
    let mut units: Vec<String> = Vec::new();
    for i in &common {
        units.extend((0..segments[i]).map(|n| segment_id(i, n)));
    }
    // What each coder applied to each unit, sub-codes counting for their
    // ancestors.
    let applied: Vec<Applied> = coders
        .iter()
        .map(|c| {
            let mut per: BTreeMap<String, BTreeSet<String>> =
                units.iter().map(|u| (u.clone(), BTreeSet::new())).collect();
            for coding in &c.codings {
                if let Some(set) = per.get_mut(&coding.segment) {
                    set.extend(with_ancestors(codebook, &coding.code));
                }
            }
            Applied {
                coder: c.coder.clone(),
                units: per,
            }
        })
        .collect();
    let used: BTreeSet<&str> = applied
        .iter()
        .flat_map(|a| a.units.values().flatten().map(String::as_str))
        .collect();
    let order: Vec<(String, usize)> = code_order(codebook, used.iter().copied())
        .into_iter()
        .filter(|(c, _)| used.contains(c.as_str()))
        .collect();

    let mut per_code = Vec::new();
    let mut pooled: ReliabilityData<bool> =
        ReliabilityData::new(coders.iter().map(|c| c.coder.clone()).collect());
    let mut disagreements = Vec::new();
    for (code, depth) in &order {
        let data = binary_view(code, &units, &applied);
        let mut counts = vec![0usize; coders.len()];
        let mut any = 0;
        for (unit, row) in data.rows() {
            let yes: Vec<bool> = row.iter().map(|v| *v == Some(true)).collect();
            for (n, y) in counts.iter_mut().zip(&yes) {
                *n += usize::from(*y);
            }
            if yes.iter().any(|y| *y) {
                any += 1;
                if !yes.iter().all(|y| *y) {
                    let (y, n): (Vec<_>, Vec<_>) = coders.iter().zip(&yes).partition(|(_, y)| **y);
                    disagreements.push(Disagreement {
                        segment: unit.to_owned(),
                        code: code.clone(),
                        yes: y.into_iter().map(|(c, _)| c.coder.clone()).collect(),
                        no: n.into_iter().map(|(c, _)| c.coder.clone()).collect(),
                    });
                }
            }
            pooled.push_unit(format!("{code}@{unit}"), row.to_vec())?;
        }
        per_code.push(CodeAgreement {
            code: code.clone(),
            depth: *depth,
            applied: counts,
            any,
            summary: summary(&data),
        });
    }
    // Disagreements in text order.
    let position: BTreeMap<&str, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.as_str(), i))
        .collect();
    let code_pos: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (c.as_str(), i))
        .collect();
    disagreements.sort_by_key(|d| (position[d.segment.as_str()], code_pos[d.code.as_str()]));
    Ok(Agreement {
        coders: coders.iter().map(|c| c.coder.clone()).collect(),
        interviews: common.into_iter().collect(),
        segments: units.len(),
        codes: per_code,
        overall: summary(&pooled),
        disagreements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Coding;

    fn coder(name: &str, codes: &[(&str, &str)]) -> CoderCodings {
        CoderCodings {
            coder: name.to_owned(),
            interviews: ["i".to_owned()].into(),
            codings: codes
                .iter()
                .map(|(seg, code)| Coding {
                    interview: "i".into(),
                    segment: (*seg).into(),
                    start: 0,
                    end: 1,
                    code: (*code).into(),
                    coder: name.into(),
                    rule: None,
                    codebook: None,
                    matched: vec![],
                    quote: "x".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn two_coders() {
        let a = coder("a", &[("i#1", "x"), ("i#2", "x"), ("i#3", "y")]);
        let b = coder("b", &[("i#1", "x"), ("i#3", "y"), ("i#4", "y")]);
        let segments = [("i".to_owned(), 4)].into();
        let r = agreement(&[a, b], &segments, None).unwrap();
        assert_eq!(r.segments, 4);
        let x = r.codes.iter().find(|c| c.code == "x").unwrap();
        assert_eq!(x.applied, [2, 1]);
        assert_eq!(x.any, 2);
        assert!((x.summary.percent_agreement - 0.75).abs() < 1e-12);
        // x: a = [1,1,0,0], b = [1,0,0,0]: p_o = 3/4, p_e = (2·1 + 2·3)/16 = 1/2.
        assert!((x.summary.cohen_kappa.unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(r.disagreements.len(), 2);
        assert_eq!(r.disagreements[0].segment, "i#2");
        assert_eq!(r.disagreements[0].yes, ["a"]);
        assert_eq!(r.overall.units, 8);
    }

    #[test]
    fn only_interviews_both_coded() {
        let a = coder("a", &[("i#1", "x")]);
        let mut b = coder("b", &[("i#1", "x")]);
        b.interviews = ["j".to_owned()].into();
        let segments = [("i".to_owned(), 2), ("j".to_owned(), 2)].into();
        let r = agreement(&[a, b], &segments, None).unwrap();
        assert_eq!(r.segments, 0);
        assert!(r.codes.is_empty());
        assert!(agreement(&[coder("a", &[])], &segments, None).is_err());
    }
}
