//! CVSS v4.0 scores, computed from the vector string as the FIRST specification defines them.
//!
//! CVSS v4.0 has no closed formula. The specification groups the metrics into six
//! *equivalence sets* (EQ1–EQ6); each vector falls into one level of each, and the six levels
//! form its *macro-vector* (`"001100"`), whose score experts fixed in a published table of 270
//! entries ([`MACROVECTOR_SCORES`]). A vector is then placed inside its macro-vector: for each
//! equivalence set, its *severity distance* from the most severe vectors of the macro-vector
//! (in steps of 0.1 per metric level), as a share of that macro-vector's depth, times the
//! score gap to the next lower macro-vector; the mean of those terms is subtracted from the
//! macro-vector's score, and the result rounded to one decimal.
//!
//! Threat (`E`) and environmental metrics (`CR`/`IR`/`AR`, `MAV`…`MSA`) take part as the
//! specification says (unset `E` counts as Attacked, unset requirements as High, a modified
//! metric replaces its base metric); supplemental metrics are checked and ignored.
//!
//! The arithmetic deliberately follows the specification's reference calculator step by
//! step, in the same floating-point order, so that a score here is the score users see
//! elsewhere for the same vector, including at rounding boundaries.

use crate::cvss::{CvssError, CvssScore, severity_of};

/// Base metrics, in the order the specification requires them.
const BASE: [&str; 11] = [
    "AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA",
];

/// Every metric a v4.0 vector may carry, with its allowed values (`X`: not defined).
const ALLOWED: [(&str, &[&str]); 32] = [
    ("AV", &["N", "A", "L", "P"]),
    ("AC", &["L", "H"]),
    ("AT", &["N", "P"]),
    ("PR", &["N", "L", "H"]),
    ("UI", &["N", "P", "A"]),
    ("VC", &["H", "L", "N"]),
    ("VI", &["H", "L", "N"]),
    ("VA", &["H", "L", "N"]),
    ("SC", &["H", "L", "N"]),
    ("SI", &["H", "L", "N"]),
    ("SA", &["H", "L", "N"]),
    ("E", &["X", "A", "P", "U"]),
    ("CR", &["X", "H", "M", "L"]),
    ("IR", &["X", "H", "M", "L"]),
    ("AR", &["X", "H", "M", "L"]),
    ("MAV", &["X", "N", "A", "L", "P"]),
    ("MAC", &["X", "L", "H"]),
    ("MAT", &["X", "N", "P"]),
    ("MPR", &["X", "N", "L", "H"]),
    ("MUI", &["X", "N", "P", "A"]),
    ("MVC", &["X", "H", "L", "N"]),
    ("MVI", &["X", "H", "L", "N"]),
    ("MVA", &["X", "H", "L", "N"]),
    ("MSC", &["X", "H", "L", "N"]),
    ("MSI", &["X", "S", "H", "L", "N"]),
    ("MSA", &["X", "S", "H", "L", "N"]),
    ("S", &["X", "N", "P"]),
    ("AU", &["X", "N", "Y"]),
    ("R", &["X", "A", "U", "I"]),
    ("V", &["X", "D", "C"]),
    ("RE", &["X", "L", "M", "H"]),
    ("U", &["X", "Clear", "Green", "Amber", "Red"]),
];

/// The specification's score of every macro-vector (EQ1…EQ6 levels), sorted by key.
const MACROVECTOR_SCORES: [(&str, f64); 270] = [
    ("000000", 10.0),
    ("000001", 9.9),
    ("000010", 9.8),
    ("000011", 9.5),
    ("000020", 9.5),
    ("000021", 9.2),
    ("000100", 10.0),
    ("000101", 9.6),
    ("000110", 9.3),
    ("000111", 8.7),
    ("000120", 9.1),
    ("000121", 8.1),
    ("000200", 9.3),
    ("000201", 9.0),
    ("000210", 8.9),
    ("000211", 8.0),
    ("000220", 8.1),
    ("000221", 6.8),
    ("001000", 9.8),
    ("001001", 9.5),
    ("001010", 9.5),
    ("001011", 9.2),
    ("001020", 9.0),
    ("001021", 8.4),
    ("001100", 9.3),
    ("001101", 9.2),
    ("001110", 8.9),
    ("001111", 8.1),
    ("001120", 8.1),
    ("001121", 6.5),
    ("001200", 8.8),
    ("001201", 8.0),
    ("001210", 7.8),
    ("001211", 7.0),
    ("001220", 6.9),
    ("001221", 4.8),
    ("002001", 9.2),
    ("002011", 8.2),
    ("002021", 7.2),
    ("002101", 7.9),
    ("002111", 6.9),
    ("002121", 5.0),
    ("002201", 6.9),
    ("002211", 5.5),
    ("002221", 2.7),
    ("010000", 9.9),
    ("010001", 9.7),
    ("010010", 9.5),
    ("010011", 9.2),
    ("010020", 9.2),
    ("010021", 8.5),
    ("010100", 9.5),
    ("010101", 9.1),
    ("010110", 9.0),
    ("010111", 8.3),
    ("010120", 8.4),
    ("010121", 7.1),
    ("010200", 9.2),
    ("010201", 8.1),
    ("010210", 8.2),
    ("010211", 7.1),
    ("010220", 7.2),
    ("010221", 5.3),
    ("011000", 9.5),
    ("011001", 9.3),
    ("011010", 9.2),
    ("011011", 8.5),
    ("011020", 8.5),
    ("011021", 7.3),
    ("011100", 9.2),
    ("011101", 8.2),
    ("011110", 8.0),
    ("011111", 7.2),
    ("011120", 7.0),
    ("011121", 5.9),
    ("011200", 8.4),
    ("011201", 7.0),
    ("011210", 7.1),
    ("011211", 5.2),
    ("011220", 5.0),
    ("011221", 3.0),
    ("012001", 8.6),
    ("012011", 7.5),
    ("012021", 5.2),
    ("012101", 7.1),
    ("012111", 5.2),
    ("012121", 2.9),
    ("012201", 6.3),
    ("012211", 2.9),
    ("012221", 1.7),
    ("100000", 9.8),
    ("100001", 9.5),
    ("100010", 9.4),
    ("100011", 8.7),
    ("100020", 9.1),
    ("100021", 8.1),
    ("100100", 9.4),
    ("100101", 8.9),
    ("100110", 8.6),
    ("100111", 7.4),
    ("100120", 7.7),
    ("100121", 6.4),
    ("100200", 8.7),
    ("100201", 7.5),
    ("100210", 7.4),
    ("100211", 6.3),
    ("100220", 6.3),
    ("100221", 4.9),
    ("101000", 9.4),
    ("101001", 8.9),
    ("101010", 8.8),
    ("101011", 7.7),
    ("101020", 7.6),
    ("101021", 6.7),
    ("101100", 8.6),
    ("101101", 7.6),
    ("101110", 7.4),
    ("101111", 5.8),
    ("101120", 5.9),
    ("101121", 5.0),
    ("101200", 7.2),
    ("101201", 5.7),
    ("101210", 5.7),
    ("101211", 5.2),
    ("101220", 5.2),
    ("101221", 2.5),
    ("102001", 8.3),
    ("102011", 7.0),
    ("102021", 5.4),
    ("102101", 6.5),
    ("102111", 5.8),
    ("102121", 2.6),
    ("102201", 5.3),
    ("102211", 2.1),
    ("102221", 1.3),
    ("110000", 9.5),
    ("110001", 9.0),
    ("110010", 8.8),
    ("110011", 7.6),
    ("110020", 7.6),
    ("110021", 7.0),
    ("110100", 9.0),
    ("110101", 7.7),
    ("110110", 7.5),
    ("110111", 6.2),
    ("110120", 6.1),
    ("110121", 5.3),
    ("110200", 7.7),
    ("110201", 6.6),
    ("110210", 6.8),
    ("110211", 5.9),
    ("110220", 5.2),
    ("110221", 3.0),
    ("111000", 8.9),
    ("111001", 7.8),
    ("111010", 7.6),
    ("111011", 6.7),
    ("111020", 6.2),
    ("111021", 5.8),
    ("111100", 7.4),
    ("111101", 5.9),
    ("111110", 5.7),
    ("111111", 5.7),
    ("111120", 4.7),
    ("111121", 2.3),
    ("111200", 6.1),
    ("111201", 5.2),
    ("111210", 5.7),
    ("111211", 2.9),
    ("111220", 2.4),
    ("111221", 1.6),
    ("112001", 7.1),
    ("112011", 5.9),
    ("112021", 3.0),
    ("112101", 5.8),
    ("112111", 2.6),
    ("112121", 1.5),
    ("112201", 2.3),
    ("112211", 1.3),
    ("112221", 0.6),
    ("200000", 9.3),
    ("200001", 8.7),
    ("200010", 8.6),
    ("200011", 7.2),
    ("200020", 7.5),
    ("200021", 5.8),
    ("200100", 8.6),
    ("200101", 7.4),
    ("200110", 7.4),
    ("200111", 6.1),
    ("200120", 5.6),
    ("200121", 3.4),
    ("200200", 7.0),
    ("200201", 5.4),
    ("200210", 5.2),
    ("200211", 4.0),
    ("200220", 4.0),
    ("200221", 2.2),
    ("201000", 8.5),
    ("201001", 7.5),
    ("201010", 7.4),
    ("201011", 5.5),
    ("201020", 6.2),
    ("201021", 5.1),
    ("201100", 7.2),
    ("201101", 5.7),
    ("201110", 5.5),
    ("201111", 4.1),
    ("201120", 4.6),
    ("201121", 1.9),
    ("201200", 5.3),
    ("201201", 3.6),
    ("201210", 3.4),
    ("201211", 1.9),
    ("201220", 1.9),
    ("201221", 0.8),
    ("202001", 6.4),
    ("202011", 5.1),
    ("202021", 2.0),
    ("202101", 4.7),
    ("202111", 2.1),
    ("202121", 1.1),
    ("202201", 2.4),
    ("202211", 0.9),
    ("202221", 0.4),
    ("210000", 8.8),
    ("210001", 7.5),
    ("210010", 7.3),
    ("210011", 5.3),
    ("210020", 6.0),
    ("210021", 5.0),
    ("210100", 7.3),
    ("210101", 5.5),
    ("210110", 5.9),
    ("210111", 4.0),
    ("210120", 4.1),
    ("210121", 2.0),
    ("210200", 5.4),
    ("210201", 4.3),
    ("210210", 4.5),
    ("210211", 2.2),
    ("210220", 2.0),
    ("210221", 1.1),
    ("211000", 7.5),
    ("211001", 5.5),
    ("211010", 5.8),
    ("211011", 4.5),
    ("211020", 4.0),
    ("211021", 2.1),
    ("211100", 6.1),
    ("211101", 5.1),
    ("211110", 4.8),
    ("211111", 1.8),
    ("211120", 2.0),
    ("211121", 0.9),
    ("211200", 4.6),
    ("211201", 1.8),
    ("211210", 1.7),
    ("211211", 0.7),
    ("211220", 0.8),
    ("211221", 0.2),
    ("212001", 5.3),
    ("212011", 2.4),
    ("212021", 1.4),
    ("212101", 2.4),
    ("212111", 1.2),
    ("212121", 0.5),
    ("212201", 1.0),
    ("212211", 0.3),
    ("212221", 0.1),
];

/// The most severe vectors of each level of each equivalence set, as `(metric, value)` lists.
/// EQ3 and EQ6 are taken together: their maxima depend on both levels.
type Maxima = &'static [&'static [(&'static str, &'static str)]];

fn eq1_maxima(level: u8) -> Maxima {
    match level {
        0 => &[&[("AV", "N"), ("PR", "N"), ("UI", "N")]],
        1 => &[
            &[("AV", "A"), ("PR", "N"), ("UI", "N")],
            &[("AV", "N"), ("PR", "L"), ("UI", "N")],
            &[("AV", "N"), ("PR", "N"), ("UI", "P")],
        ],
        _ => &[
            &[("AV", "P"), ("PR", "N"), ("UI", "N")],
            &[("AV", "A"), ("PR", "L"), ("UI", "P")],
        ],
    }
}

fn eq2_maxima(level: u8) -> Maxima {
    match level {
        0 => &[&[("AC", "L"), ("AT", "N")]],
        _ => &[&[("AC", "H"), ("AT", "N")], &[("AC", "L"), ("AT", "P")]],
    }
}

type Cia = [(&'static str, &'static str); 6];

/// `VC`, `VI`, `VA` and the matching requirements `CR`, `IR`, `AR`.
const fn cia(vc: &'static str, vi: &'static str, va: &'static str, req: [&'static str; 3]) -> Cia {
    [
        ("VC", vc),
        ("VI", vi),
        ("VA", va),
        ("CR", req[0]),
        ("IR", req[1]),
        ("AR", req[2]),
    ]
}

const EQ36_00: Maxima = &[&cia("H", "H", "H", ["H", "H", "H"])];
const EQ36_01: Maxima = &[
    &cia("H", "H", "L", ["M", "M", "H"]),
    &cia("H", "H", "H", ["M", "M", "M"]),
];
const EQ36_10: Maxima = &[
    &cia("L", "H", "H", ["H", "H", "H"]),
    &cia("H", "L", "H", ["H", "H", "H"]),
];
const EQ36_11: Maxima = &[
    &cia("L", "H", "L", ["H", "M", "H"]),
    &cia("L", "H", "H", ["H", "M", "M"]),
    &cia("H", "L", "H", ["M", "H", "M"]),
    &cia("H", "L", "L", ["M", "H", "H"]),
    &cia("L", "L", "H", ["H", "H", "M"]),
];
const EQ36_21: Maxima = &[&cia("L", "L", "L", ["H", "H", "H"])];

fn eq3_eq6_maxima(eq3: u8, eq6: u8) -> Maxima {
    match (eq3, eq6) {
        (0, 0) => EQ36_00,
        (0, _) => EQ36_01,
        (1, 0) => EQ36_10,
        (1, _) => EQ36_11,
        _ => EQ36_21,
    }
}

fn eq4_maxima(level: u8) -> Maxima {
    match level {
        0 => &[&[("SC", "H"), ("SI", "S"), ("SA", "S")]],
        1 => &[&[("SC", "H"), ("SI", "H"), ("SA", "H")]],
        _ => &[&[("SC", "L"), ("SI", "L"), ("SA", "L")]],
    }
}

fn eq5_maxima(level: u8) -> Maxima {
    match level {
        0 => &[&[("E", "A")]],
        1 => &[&[("E", "P")]],
        _ => &[&[("E", "U")]],
    }
}

/// The depth of each macro-vector level: its largest severity distance plus one step, in
/// steps of 0.1.
fn depth(eq: usize, level: u8, eq6: u8) -> f64 {
    let steps = match (eq, level) {
        (1, 0) => 1,
        (1, 1) => 4,
        (1, _) => 5,
        (2, 0) => 1,
        (2, _) => 2,
        (3, 0) if eq6 == 0 => 7,
        (3, 0) => 6,
        (3, 1) => 8,
        (3, _) => 10,
        (4, 0) => 6,
        (4, 1) => 5,
        (4, _) => 4,
        _ => 1,
    };
    f64::from(steps) * 0.1
}

/// The severity level of a metric value, in the specification's 0.1 steps (0 = most severe).
fn level(metric: &str, value: &str) -> f64 {
    match (metric, value) {
        ("AV", "A") | ("PR", "L") | ("UI", "P") | ("AC", "H") | ("AT", "P") => 0.1,
        ("AV", "L") | ("PR", "H") | ("UI", "A") => 0.2,
        ("AV", "P") => 0.3,
        ("VC" | "VI" | "VA", "L") => 0.1,
        ("VC" | "VI" | "VA", "N") => 0.2,
        ("SC" | "SI" | "SA", "H") => 0.1,
        ("SC" | "SI" | "SA", "L") => 0.2,
        ("SC" | "SI" | "SA", "N") => 0.3,
        ("CR" | "IR" | "AR", "M") => 0.1,
        ("CR" | "IR" | "AR", "L") => 0.2,
        ("E", "P") => 0.1,
        ("E", "U") => 0.2,
        _ => 0.0,
    }
}

/// The metrics that take part in severity distances, in the reference calculator's order.
const DISTANCE_METRICS: [&str; 15] = [
    "AV", "PR", "UI", "AC", "AT", "VC", "VI", "VA", "SC", "SI", "SA", "CR", "IR", "AR", "E",
];

/// A parsed vector: the value of every metric it sets.
struct Vector<'a> {
    metrics: Vec<(&'a str, &'a str)>,
}

impl<'a> Vector<'a> {
    fn parse(vector: &'a str) -> Result<Self, CvssError> {
        let rest = vector
            .trim()
            .strip_prefix("CVSS:4.0/")
            .ok_or(CvssError::NotV4)?;
        let mut metrics: Vec<(&str, &str)> = Vec::new();
        for part in rest.split('/') {
            let Some((key, value)) = part.split_once(':') else {
                return Err(CvssError::Invalid {
                    metric: part.into(),
                    value: String::new(),
                });
            };
            let Some((_, allowed)) = ALLOWED.iter().find(|(k, _)| *k == key) else {
                return Err(CvssError::Invalid {
                    metric: key.into(),
                    value: value.into(),
                });
            };
            if !allowed.contains(&value) || metrics.iter().any(|(k, _)| *k == key) {
                return Err(CvssError::Invalid {
                    metric: key.into(),
                    value: value.into(),
                });
            }
            metrics.push((key, value));
        }
        for name in BASE {
            if !metrics.iter().any(|(k, _)| *k == name) {
                return Err(CvssError::Missing(name));
            }
        }
        Ok(Self { metrics })
    }

    fn get(&self, metric: &str) -> Option<&'a str> {
        self.metrics
            .iter()
            .find(|(k, _)| *k == metric)
            .map(|(_, v)| *v)
            .filter(|v| *v != "X")
    }

    /// The value that counts for scoring: a modified metric replaces its base metric, and
    /// unset threat and requirement metrics take their worst case.
    fn effective(&self, metric: &str) -> &'a str {
        match metric {
            "E" => self.get("E").unwrap_or("A"),
            "CR" | "IR" | "AR" => self.get(metric).unwrap_or("H"),
            _ => {
                let modified = match metric {
                    "AV" => "MAV",
                    "AC" => "MAC",
                    "AT" => "MAT",
                    "PR" => "MPR",
                    "UI" => "MUI",
                    "VC" => "MVC",
                    "VI" => "MVI",
                    "VA" => "MVA",
                    "SC" => "MSC",
                    "SI" => "MSI",
                    _ => "MSA",
                };
                self.get(modified)
                    .or_else(|| self.get(metric))
                    .unwrap_or("X")
            }
        }
    }

    /// The levels of the six equivalence sets.
    fn macrovector(&self) -> [u8; 6] {
        let e = |m: &str| self.effective(m);
        let (av, pr, ui) = (e("AV"), e("PR"), e("UI"));
        let eq1 = if av == "N" && pr == "N" && ui == "N" {
            0
        } else if (av == "N" || pr == "N" || ui == "N") && av != "P" {
            1
        } else {
            2
        };
        let eq2 = u8::from(!(e("AC") == "L" && e("AT") == "N"));
        let (vc, vi, va) = (e("VC"), e("VI"), e("VA"));
        let eq3 = if vc == "H" && vi == "H" {
            0
        } else if vc == "H" || vi == "H" || va == "H" {
            1
        } else {
            2
        };
        let eq4 = if e("SI") == "S" || e("SA") == "S" {
            0
        } else if e("SC") == "H" || e("SI") == "H" || e("SA") == "H" {
            1
        } else {
            2
        };
        let eq5 = match e("E") {
            "A" => 0,
            "P" => 1,
            _ => 2,
        };
        let eq6 = u8::from(
            !((e("CR") == "H" && vc == "H")
                || (e("IR") == "H" && vi == "H")
                || (e("AR") == "H" && va == "H")),
        );
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}

fn macrovector_score(levels: [u8; 6]) -> Option<f64> {
    let key: String = levels.iter().map(|l| char::from(b'0' + l)).collect();
    MACROVECTOR_SCORES
        .binary_search_by(|(k, _)| (*k).cmp(key.as_str()))
        .ok()
        .map(|i| MACROVECTOR_SCORES[i].1)
}

/// Computes the score of a CVSS v4.0 vector (CVSS-B, -BT, -BE or -BTE, whichever metrics it
/// carries).
pub fn score(vector: &str) -> Result<CvssScore, CvssError> {
    let v = Vector::parse(vector)?;
    let no_impact = ["VC", "VI", "VA", "SC", "SI", "SA"]
        .iter()
        .all(|m| v.effective(m) == "N");
    if no_impact {
        return Ok(CvssScore {
            score: 0.0,
            severity: severity_of(0.0),
        });
    }
    let mv = v.macrovector();
    let [eq1, eq2, eq3, eq4, eq5, eq6] = mv;
    let value = macrovector_score(mv).ok_or(CvssError::NotV4)?;

    // The score of the next lower macro-vector in each equivalence set, where there is one.
    let lower = |i: usize| {
        let mut next = mv;
        next[i] += 1;
        macrovector_score(next)
    };
    let lower_eq3_eq6 = match (eq3, eq6) {
        (0, 0) => {
            let mut left = mv;
            left[5] += 1;
            let mut right = mv;
            right[2] += 1;
            match (macrovector_score(left), macrovector_score(right)) {
                (Some(l), Some(r)) => Some(l.max(r)),
                _ => None,
            }
        }
        (1, 0) => lower(5),
        (0 | 1, _) => lower(2),
        _ => {
            let mut next = mv;
            next[2] += 1;
            next[5] += 1;
            macrovector_score(next)
        }
    };
    let lowers = [lower(0), lower(1), lower_eq3_eq6, lower(3), lower(4)];

    // The first combination of the most severe vectors that is at least as severe as this
    // one in every metric; the distances are measured from it.
    let (m1, m2, m36, m4, m5) = (
        eq1_maxima(eq1),
        eq2_maxima(eq2),
        eq3_eq6_maxima(eq3, eq6),
        eq4_maxima(eq4),
        eq5_maxima(eq5),
    );
    let mut distances = [0.0_f64; 15];
    'search: for a in m1 {
        for b in m2 {
            for c in m36 {
                for d in m4 {
                    for e in m5 {
                        for (i, metric) in DISTANCE_METRICS.iter().enumerate() {
                            let max_value = [a, b, c, d, e]
                                .iter()
                                .flat_map(|part| part.iter())
                                .find(|(k, _)| k == metric)
                                .map(|(_, val)| *val)
                                .unwrap_or("");
                            distances[i] =
                                level(metric, v.effective(metric)) - level(metric, max_value);
                        }
                        if distances.iter().all(|d| *d >= 0.0) {
                            break 'search;
                        }
                    }
                }
            }
        }
    }
    let d = |m: &str| distances[DISTANCE_METRICS.iter().position(|x| *x == m).unwrap_or(0)];
    let current = [
        d("AV") + d("PR") + d("UI"),
        d("AC") + d("AT"),
        d("VC") + d("VI") + d("VA") + d("CR") + d("IR") + d("AR"),
        d("SC") + d("SI") + d("SA"),
        0.0,
    ];
    let depths = [
        depth(1, eq1, eq6),
        depth(2, eq2, eq6),
        depth(3, eq3, eq6),
        depth(4, eq4, eq6),
        depth(5, eq5, eq6),
    ];
    let mut sum = 0.0;
    let mut existing = 0u32;
    for i in 0..5 {
        if let Some(lower) = lowers[i] {
            existing += 1;
            // EQ5 has no distance inside a macro-vector: its share is always zero.
            if i < 4 {
                sum += (value - lower) * (current[i] / depths[i]);
            }
        }
    }
    let mean = if existing == 0 {
        0.0
    } else {
        sum / f64::from(existing)
    };
    let score = ((value - mean).clamp(0.0, 10.0) * 10.0).round() / 10.0;
    Ok(CvssScore {
        score,
        severity: severity_of(score),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use corral_model::Severity;

    fn score_of(v: &str) -> f64 {
        score(v).unwrap().score
    }

    #[test]
    fn the_macrovector_table_is_complete_and_sorted() {
        assert!(MACROVECTOR_SCORES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(macrovector_score([0, 0, 0, 0, 0, 0]), Some(10.0));
        assert_eq!(macrovector_score([2, 1, 2, 2, 2, 1]), Some(0.1));
        assert_eq!(
            macrovector_score([2, 1, 2, 2, 2, 0]),
            None,
            "EQ3 2 only with EQ6 1"
        );
    }

    #[test]
    fn the_most_severe_base_vectors_score_as_published() {
        // Every impact High on both systems: the maximum.
        assert_eq!(
            score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H"),
            10.0
        );
        // The vulnerable system fully compromised over the network, nothing beyond it.
        assert_eq!(
            score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            9.3
        );
    }

    #[test]
    fn typical_advisory_vectors_score_as_published() {
        // Remote denial of service.
        assert_eq!(
            score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N"),
            8.7
        );
        // Low impact on all three, remotely and without privileges.
        assert_eq!(
            score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"),
            6.9
        );
        // Reflected cross-site scripting: the user's browser is the subsequent system.
        assert_eq!(
            score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N"),
            5.1
        );
        // Local privilege escalation.
        assert_eq!(
            score_of("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            8.5
        );
        // Remote, authenticated, full compromise.
        assert_eq!(
            score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            8.7
        );
    }

    #[test]
    fn threat_and_environmental_metrics_change_the_score() {
        let base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
        // Unset exploit maturity counts as Attacked: same score as E:A.
        assert_eq!(score_of(&format!("{base}/E:A")), score_of(base));
        // Unreported exploitation lowers it.
        assert!(score_of(&format!("{base}/E:U")) < score_of(base));
        // A safety impact on the subsequent system raises it to the maximum macro-vector.
        assert!(score_of(&format!("{base}/MSI:S")) > score_of(base));
        // Supplemental metrics are informational only.
        assert_eq!(score_of(&format!("{base}/S:P/AU:Y/U:Red")), score_of(base));
    }

    #[test]
    fn no_impact_anywhere_scores_zero() {
        let s = score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N").unwrap();
        assert_eq!(s.score, 0.0);
        assert_eq!(s.severity, Severity::Info);
    }

    #[test]
    fn every_base_vector_scores_within_its_macrovector_bounds() {
        // Every base vector (4·2·2·3·3·3^6 = 104,976 of them) scores between 0 and the score
        // of its own macro-vector, which is the score of that macro-vector's most severe
        // vectors.
        let values: [&[&str]; 11] = [
            &["N", "A", "L", "P"],
            &["L", "H"],
            &["N", "P"],
            &["N", "L", "H"],
            &["N", "P", "A"],
            &["H", "L", "N"],
            &["H", "L", "N"],
            &["H", "L", "N"],
            &["H", "L", "N"],
            &["H", "L", "N"],
            &["H", "L", "N"],
        ];
        let mut idx = [0usize; 11];
        let mut count = 0;
        loop {
            let text: String = BASE
                .iter()
                .zip(idx)
                .map(|(m, i)| {
                    format!(
                        "/{m}:{}",
                        values[BASE.iter().position(|x| x == m).unwrap()][i]
                    )
                })
                .collect();
            let vector = format!("CVSS:4.0{text}");
            let s = score(&vector).unwrap();
            let parsed = Vector::parse(&vector).unwrap();
            let ceiling = macrovector_score(parsed.macrovector()).unwrap();
            assert!(
                (0.0..=ceiling).contains(&s.score) || s.score == 0.0,
                "{vector}: {} above its macro-vector's {ceiling}",
                s.score
            );
            count += 1;
            let mut k = 0;
            loop {
                if k == 11 {
                    assert_eq!(count, 104_976);
                    return;
                }
                idx[k] += 1;
                if idx[k] < values[k].len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
        }
    }

    #[test]
    fn malformed_vectors_say_what_is_wrong() {
        assert_eq!(score("CVSS:3.1/AV:N"), Err(CvssError::NotV4));
        assert_eq!(
            score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"),
            Err(CvssError::Missing("SA"))
        );
        let err =
            score("CVSS:4.0/AV:Q/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").unwrap_err();
        assert!(err.to_string().contains("`AV`"), "{err}");
    }
}
