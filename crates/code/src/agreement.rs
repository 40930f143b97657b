//! Intercoder agreement on nominal data: percent agreement, Cohen's kappa,
//! Fleiss' kappa and Krippendorff's alpha.
//!
//! The input is a reliability-data matrix ([`ReliabilityData`]): one row
//! per unit (a segment, a sentence), one column per coder, each cell the
//! category the coder gave the unit, or nothing when the coder did not code
//! it (missing data). Categories are nominal: any values that can be
//! compared for equality and ordered (`String`, `bool`, numbers used as
//! labels). For a codebook, [`binary_view`] makes one such matrix per code:
//! was the code applied to this segment by this coder, yes or no.
//!
//! # Definitions and missing data
//!
//! - **Percent agreement** ([`percent_agreement`]): of all pairs of values
//!   given to the same unit by two different coders, the share that agree.
//!   With two coders, the share of the units both coded on which they
//!   agree. Missing cells simply form no pairs.
//! - **Cohen's kappa** ([`cohen_kappa`], Cohen 1960): exactly two coders;
//!   `κ = (p_o − p_e) / (1 − p_e)`, with `p_e` from each coder's own
//!   marginal distribution. Units that either coder left out are skipped (pairwise
//!   deletion).
//! - **Fleiss' kappa** ([`fleiss_kappa`], Fleiss 1971): any number of
//!   coders, and it assumes every unit received the same number n of
//!   ratings (not necessarily from the same coders). Here n is the largest
//!   number of values any unit has, and units with fewer values are left
//!   out (listwise deletion); [`Summary::fleiss_units`] says how many were
//!   used. With missing data, prefer Krippendorff's alpha.
//! - **Krippendorff's alpha** ([`krippendorff_alpha`], nominal metric,
//!   Krippendorff 2011): any number of coders, missing values allowed. From
//!   the coincidence matrix of the pairable values (units with at least two
//!   values), `α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k`. Units with a
//!   single value are not pairable and do not count.
//!
//! # Edge cases
//!
//! - Perfect agreement with at least two categories in use gives 1 for
//!   every coefficient.
//! - **No variation** (every value in the data is the same category):
//!   the kappas and alpha are **NaN**, not 1. Expected agreement is then
//!   total, the formulas divide 0 by 0, and the data cannot show that the
//!   coders tell categories apart (Krippendorff calls such data
//!   uninformative). Percent agreement is 1. A code no coder applied
//!   anywhere is the usual case: report it as "no variation", not as
//!   perfect reliability.
//! - **No pairable data** (no unit coded by two coders): every coefficient,
//!   percent agreement included, is NaN.
//! - **A single unit**: agreement on it is no variation (NaN); disagreement
//!   gives κ = 0 (Cohen), α = 0 with two values, and negative values with
//!   more.
//!
//! NaN serializes to JSON `null`. Only a wrong shape of data is an error:
//! Cohen's kappa on other than two coders, Fleiss' kappa on fewer than two.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::{Error, Result};

/// A reliability-data matrix: units × coders, nominal values, missing
/// allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReliabilityData<V> {
    coders: Vec<String>,
    units: Vec<String>,
    /// Row-major: `cells[unit * coders.len() + coder]`.
    cells: Vec<Option<V>>,
}

impl<V> ReliabilityData<V> {
    /// An empty matrix with these coders as columns.
    pub fn new(coders: Vec<String>) -> ReliabilityData<V> {
        ReliabilityData {
            coders,
            units: Vec::new(),
            cells: Vec::new(),
        }
    }

    /// Adds a unit: its id and one value (or `None`) per coder, in the
    /// order of [`ReliabilityData::coders`].
    pub fn push_unit(&mut self, unit: impl Into<String>, values: Vec<Option<V>>) -> Result<()> {
        let unit = unit.into();
        if values.len() != self.coders.len() {
            return Err(Error::Reliability(format!(
                "unit `{unit}` has {} values for {} coders",
                values.len(),
                self.coders.len()
            )));
        }
        self.units.push(unit);
        self.cells.extend(values);
        Ok(())
    }

    /// The coders (columns).
    pub fn coders(&self) -> &[String] {
        &self.coders
    }

    /// The unit ids (rows).
    pub fn units(&self) -> &[String] {
        &self.units
    }

    /// The values of the `unit`-th row, one per coder. Panics when `unit`
    /// is not below `units().len()`.
    pub fn row(&self, unit: usize) -> &[Option<V>] {
        let width = self.coders.len();
        &self.cells[unit * width..(unit + 1) * width]
    }

    /// The rows, with their unit ids.
    pub fn rows(&self) -> impl Iterator<Item = (&str, &[Option<V>])> {
        let width = self.coders.len().max(1);
        self.units
            .iter()
            .map(String::as_str)
            .zip(self.cells.chunks(width).chain(std::iter::repeat(&[][..])))
    }
}

/// Values turned into category indices, unit by unit.
struct Categories {
    /// Number of categories.
    count: usize,
    /// Per unit, the category index of each present value.
    units: Vec<Vec<usize>>,
}

impl Categories {
    fn of<V: Ord>(data: &ReliabilityData<V>) -> Categories {
        let index: BTreeMap<&V, usize> = data
            .cells
            .iter()
            .flatten()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .enumerate()
            .map(|(i, v)| (v, i))
            .collect();
        let units = (0..data.units.len())
            .map(|u| data.row(u).iter().flatten().map(|v| index[v]).collect())
            .collect();
        Categories {
            count: index.len(),
            units,
        }
    }

    /// Per-category counts of one unit's values.
    fn counts(&self, values: &[usize]) -> Vec<u64> {
        let mut counts = vec![0u64; self.count];
        for &v in values {
            counts[v] += 1;
        }
        counts
    }
}

/// Share of agreeing pairs among all pairs of values that two different
/// coders gave the same unit; NaN when no unit has two values.
pub fn percent_agreement<V: Ord>(data: &ReliabilityData<V>) -> f64 {
    let cats = Categories::of(data);
    let (mut agree, mut pairs) = (0u64, 0u64);
    for values in &cats.units {
        let m = values.len() as u64;
        pairs += m * m.saturating_sub(1);
        agree += cats
            .counts(values)
            .iter()
            .map(|&c| c * c.saturating_sub(1))
            .sum::<u64>();
    }
    if pairs == 0 {
        f64::NAN
    } else {
        agree as f64 / pairs as f64
    }
}

/// Cohen's kappa of exactly two coders, over the units both coded; NaN
/// when there are none or they show no variation.
pub fn cohen_kappa<V: Ord>(data: &ReliabilityData<V>) -> Result<f64> {
    if data.coders.len() != 2 {
        return Err(Error::Reliability(format!(
            "Cohen's kappa needs exactly two coders, the data has {}\nhint: use Fleiss' kappa or Krippendorff's alpha for more",
            data.coders.len()
        )));
    }
    let cats = Categories::of(data);
    // Each coder's marginal counts, the units both coded, and agreements.
    let (mut first, mut second) = (vec![0u64; cats.count], vec![0u64; cats.count]);
    let (mut n, mut agree) = (0u64, 0u64);
    for (row, values) in cats.units.iter().enumerate() {
        if data.row(row).iter().any(Option::is_none) {
            continue;
        }
        // Both present: the unit's category list is [first, second].
        first[values[0]] += 1;
        second[values[1]] += 1;
        n += 1;
        agree += u64::from(values[0] == values[1]);
    }
    let chance: u64 = first.iter().zip(&second).map(|(x, y)| x * y).sum();
    let total = n * n;
    if n == 0 || chance == total {
        return Ok(f64::NAN);
    }
    // (p_o - p_e) / (1 - p_e), with both fractions over n².
    Ok(((agree * n) as f64 - chance as f64) / (total - chance) as f64)
}

/// Fleiss' kappa over the units with the largest number of values (see the
/// [module documentation](self)); NaN when no unit has two values or the
/// data show no variation.
pub fn fleiss_kappa<V: Ord>(data: &ReliabilityData<V>) -> Result<f64> {
    Ok(fleiss(data)?.0)
}

/// Fleiss' kappa and the number of units it used.
fn fleiss<V: Ord>(data: &ReliabilityData<V>) -> Result<(f64, usize)> {
    if data.coders.len() < 2 {
        return Err(Error::Reliability(format!(
            "Fleiss' kappa needs at least two coders, the data has {}",
            data.coders.len()
        )));
    }
    let cats = Categories::of(data);
    let n = cats.units.iter().map(Vec::len).max().unwrap_or(0) as u64;
    if n < 2 {
        return Ok((f64::NAN, 0));
    }
    let mut totals = vec![0u64; cats.count];
    let mut p_sum = 0.0;
    let mut used = 0usize;
    for values in cats.units.iter().filter(|v| v.len() as u64 == n) {
        let counts = cats.counts(values);
        let squares: u64 = counts.iter().map(|c| c * c).sum();
        p_sum += (squares - n) as f64 / (n * (n - 1)) as f64;
        for (t, c) in totals.iter_mut().zip(&counts) {
            *t += c;
        }
        used += 1;
    }
    if totals.iter().filter(|&&t| t > 0).count() < 2 {
        return Ok((f64::NAN, used));
    }
    let ratings = (used as u64 * n) as f64;
    let p_bar = p_sum / used as f64;
    let p_e: f64 = totals.iter().map(|&t| (t as f64 / ratings).powi(2)).sum();
    Ok(((p_bar - p_e) / (1.0 - p_e), used))
}

/// Krippendorff's alpha for nominal data, any number of coders, missing
/// values allowed; NaN when no unit has two values or the pairable values
/// show no variation.
pub fn krippendorff_alpha<V: Ord>(data: &ReliabilityData<V>) -> f64 {
    let cats = Categories::of(data);
    let (mut n, mut observed_agreement) = (0u64, 0.0f64);
    let mut n_c = vec![0u64; cats.count];
    for values in cats.units.iter().filter(|v| v.len() >= 2) {
        let m = values.len() as u64;
        n += m;
        for (c, count) in cats.counts(values).into_iter().enumerate() {
            n_c[c] += count;
            // o_cc: ordered pairs of the same category, weighted 1/(m-1).
            observed_agreement += (count * count.saturating_sub(1)) as f64 / (m - 1) as f64;
        }
    }
    let expected: u64 = n * n - n_c.iter().map(|c| c * c).sum::<u64>();
    if n < 2 || expected == 0 {
        return f64::NAN;
    }
    // Σ_{c≠k} o_ck = n - Σ_c o_cc; Σ_{c≠k} n_c n_k = n² - Σ_c n_c².
    1.0 - (n - 1) as f64 * (n as f64 - observed_agreement) / expected as f64
}

/// Every coefficient of one reliability-data matrix, with the counts
/// needed to read them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Units (rows).
    pub units: usize,
    /// Coders (columns).
    pub coders: usize,
    /// Units with at least two values: those any coefficient uses.
    pub pairable_units: usize,
    /// Values in pairable units (Krippendorff's n).
    pub pairable_values: usize,
    /// Distinct categories among all values.
    pub categories: usize,
    /// See [`percent_agreement`].
    pub percent_agreement: f64,
    /// See [`cohen_kappa`]; `None` unless there are exactly two coders.
    pub cohen_kappa: Option<f64>,
    /// See [`fleiss_kappa`]; `None` with fewer than two coders.
    pub fleiss_kappa: Option<f64>,
    /// Units Fleiss' kappa used (those with the full number of values).
    pub fleiss_units: usize,
    /// See [`krippendorff_alpha`].
    pub krippendorff_alpha: f64,
}

/// All coefficients of `data` at once.
pub fn summary<V: Ord>(data: &ReliabilityData<V>) -> Summary {
    let cats = Categories::of(data);
    let pairable: Vec<&Vec<usize>> = cats.units.iter().filter(|v| v.len() >= 2).collect();
    let fleiss = fleiss(data).ok();
    Summary {
        units: data.units.len(),
        coders: data.coders.len(),
        pairable_units: pairable.len(),
        pairable_values: pairable.iter().map(|v| v.len()).sum(),
        categories: cats.count,
        percent_agreement: percent_agreement(data),
        cohen_kappa: cohen_kappa(data).ok(),
        fleiss_kappa: fleiss.map(|f| f.0),
        fleiss_units: fleiss.map_or(0, |f| f.1),
        krippendorff_alpha: krippendorff_alpha(data),
    }
}

/// What one coder did: for each unit they coded, the codes they applied.
///
/// A unit absent from `units` was not coded by this coder (missing data);
/// a unit present with an empty set was coded and got no code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoderCodings {
    /// The coder's name.
    pub coder: String,
    /// Unit id → code ids applied to it.
    pub units: BTreeMap<String, BTreeSet<String>>,
}

/// The binary reliability data of one code: for each of `units` and each
/// coder, `Some(true)` if the coder applied `code` to the unit,
/// `Some(false)` if the coder coded the unit without it, `None` if the
/// coder did not code the unit.
///
/// Codes are compared by id as given: to count a sub-code for its theme,
/// add the theme's id to the coders' sets first (see
/// [`crate::Codebook::ancestors`]).
pub fn binary_view(code: &str, units: &[String], coders: &[CoderCodings]) -> ReliabilityData<bool> {
    let mut data = ReliabilityData::new(coders.iter().map(|c| c.coder.clone()).collect());
    for unit in units {
        let values = coders
            .iter()
            .map(|c| c.units.get(unit).map(|codes| codes.contains(code)))
            .collect();
        // One value per coder by construction.
        let _ = data.push_unit(unit.clone(), values);
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(rows: &[&[Option<u8>]]) -> ReliabilityData<u8> {
        let width = rows.first().map_or(0, |r| r.len());
        let mut d = ReliabilityData::new((0..width).map(|i| format!("c{i}")).collect());
        for (i, r) in rows.iter().enumerate() {
            d.push_unit(i.to_string(), r.to_vec()).unwrap();
        }
        d
    }

    #[test]
    fn wrong_row_length_is_an_error() {
        let mut d: ReliabilityData<u8> = ReliabilityData::new(vec!["a".into(), "b".into()]);
        assert!(d.push_unit("u", vec![Some(1)]).is_err());
    }

    #[test]
    fn rows_iterate_with_ids() {
        let d = data(&[&[Some(1), None], &[Some(2), Some(3)]]);
        let rows: Vec<_> = d.rows().collect();
        assert_eq!(rows[1], ("1", &[Some(2), Some(3)][..]));
        assert_eq!(d.row(0), &[Some(1), None]);
    }

    #[test]
    fn percent_agreement_pools_pairs() {
        // Unit 0: 3 values, 2 agree → 2 of 6 ordered pairs; unit 1: 2 of 2.
        let d = data(&[&[Some(1), Some(1), Some(2)], &[Some(3), Some(3), None]]);
        assert!((percent_agreement(&d) - 4.0 / 8.0).abs() < 1e-12);
    }
}
