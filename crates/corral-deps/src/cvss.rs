//! CVSS v3.0/v3.1 base scores, computed from the vector string.
//!
//! OSV records carry severity as a CVSS vector (`CVSS:3.1/AV:N/AC:L/…`), not as a score, so
//! the score is computed here with the formulas and constants of the CVSS v3.1 specification
//! (section 7 and appendix A, including its floating-point-safe `Roundup`). v3.0 differs only
//! in rounding (a plain ceiling to one decimal). CVSS v4.0 scores come from a published lookup
//! table of macro-vectors rather than a formula: see `cvss4`; [`score`] takes either.

use corral_model::Severity;

/// A CVSS score and the severity band it falls in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CvssScore {
    pub score: f64,
    pub severity: Severity,
}

/// Why a vector could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CvssError {
    #[error("not a CVSS v3 vector (expected a `CVSS:3.0/` or `CVSS:3.1/` prefix)")]
    NotV3,
    #[error("not a CVSS v4 vector (expected a `CVSS:4.0/` prefix)")]
    NotV4,
    #[error("metric `{0}` is missing")]
    Missing(&'static str),
    #[error("metric `{metric}` has the invalid value `{value}`")]
    Invalid { metric: String, value: String },
}

/// Computes the score of a CVSS v3.0, v3.1 or v4.0 vector, whichever its prefix says.
pub fn score(vector: &str) -> Result<CvssScore, CvssError> {
    if vector.trim_start().starts_with("CVSS:4.0/") {
        crate::cvss4::score(vector)
    } else {
        base_score(vector)
    }
}

/// Computes the base score of a CVSS v3.0 or v3.1 vector.
pub fn base_score(vector: &str) -> Result<CvssScore, CvssError> {
    let vector = vector.trim();
    let (v31, rest) = if let Some(rest) = vector.strip_prefix("CVSS:3.1/") {
        (true, rest)
    } else if let Some(rest) = vector.strip_prefix("CVSS:3.0/") {
        (false, rest)
    } else {
        return Err(CvssError::NotV3);
    };
    let mut metrics = [None::<char>; 8];
    const NAMES: [&str; 8] = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];
    for part in rest.split('/') {
        let Some((key, value)) = part.split_once(':') else {
            return Err(CvssError::Invalid {
                metric: part.into(),
                value: String::new(),
            });
        };
        let mut chars = value.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return Err(CvssError::Invalid {
                metric: key.into(),
                value: value.into(),
            });
        };
        if let Some(i) = NAMES.iter().position(|n| *n == key) {
            metrics[i] = Some(c);
        }
        // Temporal and environmental metrics do not change the base score.
    }
    let get = |i: usize| metrics[i].ok_or(CvssError::Missing(NAMES[i]));
    let invalid = |i: usize, c: char| CvssError::Invalid {
        metric: NAMES[i].into(),
        value: c.to_string(),
    };
    let changed = match get(4)? {
        'U' => false,
        'C' => true,
        c => return Err(invalid(4, c)),
    };
    let av = match get(0)? {
        'N' => 0.85,
        'A' => 0.62,
        'L' => 0.55,
        'P' => 0.2,
        c => return Err(invalid(0, c)),
    };
    let ac = match get(1)? {
        'L' => 0.77,
        'H' => 0.44,
        c => return Err(invalid(1, c)),
    };
    let pr = match (get(2)?, changed) {
        ('N', _) => 0.85,
        ('L', false) => 0.62,
        ('L', true) => 0.68,
        ('H', false) => 0.27,
        ('H', true) => 0.5,
        (c, _) => return Err(invalid(2, c)),
    };
    let ui = match get(3)? {
        'N' => 0.85,
        'R' => 0.62,
        c => return Err(invalid(3, c)),
    };
    let cia = |i: usize| -> Result<f64, CvssError> {
        match get(i)? {
            'H' => Ok(0.56),
            'L' => Ok(0.22),
            'N' => Ok(0.0),
            c => Err(invalid(i, c)),
        }
    };
    let (c, i, a) = (cia(5)?, cia(6)?, cia(7)?);
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22 * av * ac * pr * ui;
    let round = if v31 { roundup_v31 } else { roundup_v30 };
    let score = if impact <= 0.0 {
        0.0
    } else if changed {
        round((1.08 * (impact + exploitability)).min(10.0))
    } else {
        round((impact + exploitability).min(10.0))
    };
    Ok(CvssScore {
        score,
        severity: severity_of(score),
    })
}

/// The qualitative rating of a score (CVSS v3.1 table 14). A score of 0 is "none", which
/// Corral reports as info.
pub fn severity_of(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

/// CVSS v3.1 `Roundup`: the smallest one-decimal number ≥ x, immune to float noise.
fn roundup_v31(x: f64) -> f64 {
    let int_input = (x * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        ((int_input / 10_000) + 1) as f64 / 10.0
    }
}

fn roundup_v30(x: f64) -> f64 {
    (x * 10.0).ceil() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(v: &str) -> f64 {
        base_score(v).unwrap().score
    }

    #[test]
    fn scores_match_the_specification_examples() {
        // Reference values from the CVSS v3.1 calculator for well-known vectors.
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 9.8);
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), 10.0);
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), 6.1);
        assert_eq!(score("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"), 7.8);
        assert_eq!(score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"), 5.9);
        assert_eq!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"), 7.5);
        assert_eq!(score("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"), 1.6);
        assert_eq!(score("CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N"), 6.4);
    }

    #[test]
    fn no_impact_scores_zero_and_rates_info() {
        let s = base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N").unwrap();
        assert_eq!(s.score, 0.0);
        assert_eq!(s.severity, Severity::Info);
    }

    #[test]
    fn temporal_metrics_do_not_change_the_base_score() {
        assert_eq!(
            score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C"),
            9.8
        );
    }

    #[test]
    fn bands_follow_the_rating_table() {
        assert_eq!(severity_of(9.0), Severity::Critical);
        assert_eq!(severity_of(8.9), Severity::High);
        assert_eq!(severity_of(4.0), Severity::Medium);
        assert_eq!(severity_of(3.9), Severity::Low);
    }

    #[test]
    fn malformed_vectors_say_which_metric_is_wrong() {
        assert_eq!(base_score("AV:N/AC:L"), Err(CvssError::NotV3));
        assert_eq!(
            base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"),
            Err(CvssError::Missing("A"))
        );
        let err = base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap_err();
        assert!(err.to_string().contains("`AV`"), "{err}");
    }
}
