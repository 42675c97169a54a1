//! Charts drawn on the server as inline SVG: a horizontal bar chart and an area chart.
//!
//! The console runs no scripts, so a chart is markup the browser draws as it arrives. Colours
//! come from CSS classes (the stylesheet's, so the page's content security policy needs no
//! inline styles), geometry from a `viewBox` that scales with the page, and every chart has
//! a text alternative (`role="img"` and a label listing its numbers) for screen readers.
//! Every piece of text is escaped here, since the output is placed in pages as-is.

use std::fmt::Write;

/// Text for inclusion in SVG/HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One bar: its label, its value, the CSS class that colours it, and where clicking goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    pub class: String,
    pub href: Option<String>,
}

const BAR_WIDTH: u32 = 420;
const BAR_LABEL: u32 = 132;
const BAR_VALUE: u32 = 56;
const BAR_ROW: u32 = 30;
const BAR_HEIGHT: u32 = 18;

/// A horizontal bar chart, one row per bar, bars scaled to the largest value.
pub fn bar_chart(title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let track = BAR_WIDTH - BAR_LABEL - BAR_VALUE;
    let height = BAR_ROW * bars.len().max(1) as u32;
    let summary: Vec<String> = bars
        .iter()
        .map(|b| format!("{} {}", b.label, b.value))
        .collect();
    let mut svg = format!(
        "<svg class=\"chart chart-bars\" viewBox=\"0 0 {BAR_WIDTH} {height}\" role=\"img\" \
         aria-label=\"{}\">",
        escape(&format!("{title}: {}", summary.join(", ")))
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = BAR_ROW * i as u32;
        let width = if bar.value == 0 {
            0
        } else {
            ((u64::from(track) * bar.value) / max).max(2) as u32
        };
        let row = format!(
            "<text class=\"chart-label\" x=\"0\" y=\"{}\">{}</text>\
             <rect class=\"chart-track\" x=\"{BAR_LABEL}\" y=\"{}\" width=\"{track}\" \
             height=\"{BAR_HEIGHT}\" rx=\"3\"/>\
             <rect class=\"chart-bar {}\" x=\"{BAR_LABEL}\" y=\"{}\" width=\"{width}\" \
             height=\"{BAR_HEIGHT}\" rx=\"3\"/>\
             <text class=\"chart-value\" x=\"{}\" y=\"{}\">{}</text>",
            y + 17,
            escape(&bar.label),
            y + 4,
            escape(&bar.class),
            y + 4,
            BAR_LABEL + track + 8,
            y + 17,
            bar.value
        );
        match &bar.href {
            Some(href) => {
                let _ = write!(svg, "<a href=\"{}\">{row}</a>", escape(href));
            }
            None => svg.push_str(&row),
        }
    }
    svg.push_str("</svg>");
    svg
}

/// One point of a series: the label of its position on the x axis, and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub label: String,
    pub value: u64,
}

const AREA_WIDTH: f64 = 640.0;
const AREA_HEIGHT: f64 = 200.0;
const AREA_LEFT: f64 = 44.0;
const AREA_BOTTOM: f64 = 24.0;
const AREA_TOP: f64 = 10.0;

/// The smallest "round" number (1, 2 or 5 times a power of ten) at or above `n`.
fn nice_ceiling(n: u64) -> u64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if step * m >= n {
                return step * m;
            }
        }
        step *= 10;
    }
}

/// An area chart of `points` from left to right, with the y axis from 0 to a round number
/// above the largest value, gridlines at its quarters, and the first, middle and last
/// x labels.
pub fn area_chart(title: &str, points: &[Point]) -> String {
    let top = nice_ceiling(points.iter().map(|p| p.value).max().unwrap_or(0).max(1));
    let plot_w = AREA_WIDTH - AREA_LEFT - 8.0;
    let plot_h = AREA_HEIGHT - AREA_BOTTOM - AREA_TOP;
    let x = |i: usize| {
        if points.len() <= 1 {
            AREA_LEFT + plot_w / 2.0
        } else {
            AREA_LEFT + plot_w * i as f64 / (points.len() - 1) as f64
        }
    };
    let y = |v: u64| AREA_TOP + plot_h - plot_h * v as f64 / top as f64;
    let baseline = AREA_TOP + plot_h;
    let summary = match (points.first(), points.last()) {
        (Some(first), Some(last)) => format!(
            "{title}: from {} on {} to {} on {}",
            first.value, first.label, last.value, last.label
        ),
        _ => format!("{title}: no data"),
    };
    let mut svg = format!(
        "<svg class=\"chart chart-area\" viewBox=\"0 0 {AREA_WIDTH} {AREA_HEIGHT}\" \
         role=\"img\" aria-label=\"{}\">",
        escape(&summary)
    );
    for q in 0..=4u64 {
        let value = top * q / 4;
        let gy = y(value);
        let _ = write!(
            svg,
            "<line class=\"chart-grid\" x1=\"{AREA_LEFT}\" x2=\"{}\" y1=\"{gy:.1}\" \
             y2=\"{gy:.1}\"/><text class=\"chart-axis\" x=\"{}\" y=\"{:.1}\" \
             text-anchor=\"end\">{value}</text>",
            AREA_WIDTH - 8.0,
            AREA_LEFT - 6.0,
            gy + 4.0
        );
    }
    if !points.is_empty() {
        let line: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.value)))
            .collect();
        let _ = write!(
            svg,
            "<path class=\"chart-fill\" d=\"M{:.1},{baseline:.1} L{} L{:.1},{baseline:.1} Z\"/>\
             <path class=\"chart-line\" d=\"M{}\"/>",
            x(0),
            line.join(" L"),
            x(points.len() - 1),
            line.join(" L")
        );
        let mut labelled = vec![0, points.len() / 2, points.len() - 1];
        labelled.dedup();
        for i in labelled {
            let anchor = if i == 0 && points.len() > 1 {
                "start"
            } else if i == points.len() - 1 && points.len() > 1 {
                "end"
            } else {
                "middle"
            };
            let _ = write!(
                svg,
                "<text class=\"chart-axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
                x(i),
                AREA_HEIGHT - 6.0,
                escape(&points[i].label)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: u64) -> Bar {
        Bar {
            label: label.into(),
            value,
            class: "tier-1".into(),
            href: None,
        }
    }

    #[test]
    fn bars_are_scaled_to_the_largest_value() {
        let svg = bar_chart(
            "Assets by tier",
            &[bar("Tier 1", 50), bar("Tier 2", 100), bar("Tier 3", 0)],
        );
        let track = BAR_WIDTH - BAR_LABEL - BAR_VALUE;
        let drawn = |y: u32, width: u32| {
            format!("class=\"chart-bar tier-1\" x=\"{BAR_LABEL}\" y=\"{y}\" width=\"{width}\"")
        };
        assert!(svg.contains(&drawn(4, track / 2)), "{svg}");
        assert!(svg.contains(&drawn(34, track)), "{svg}");
        assert!(
            svg.contains("y=\"64\" width=\"0\""),
            "a zero draws no bar: {svg}"
        );
        assert!(svg.contains("aria-label=\"Assets by tier: Tier 1 50, Tier 2 100, Tier 3 0\""));
    }

    #[test]
    fn every_text_is_escaped_and_links_are_kept() {
        let mut b = bar("<script>alert(1)</script>", 3);
        b.href = Some("/assets?tier=1&risk=low".into());
        let svg = bar_chart("x\"y", &[b]);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("<a href=\"/assets?tier=1&amp;risk=low\">"));
        assert!(svg.contains("aria-label=\"x&quot;y:"));
    }

    #[test]
    fn the_area_chart_spans_the_plot_with_a_round_top() {
        let points: Vec<Point> = [0, 40, 90]
            .iter()
            .enumerate()
            .map(|(i, v)| Point {
                label: format!("w{i}"),
                value: *v,
            })
            .collect();
        let svg = area_chart("Registered assets", &points);
        assert_eq!(nice_ceiling(90), 100);
        assert_eq!(nice_ceiling(101), 200);
        assert_eq!(nice_ceiling(3), 5);
        // The last point (90 of 100) sits at 90% of the plot's height from the baseline.
        let plot_h = AREA_HEIGHT - AREA_BOTTOM - AREA_TOP;
        let expected_y = AREA_TOP + plot_h - plot_h * 0.9;
        assert!(
            svg.contains(&format!("{:.1},{expected_y:.1}", AREA_WIDTH - 8.0)),
            "{svg}"
        );
        assert!(svg.contains(">100</text>"), "top gridline labelled: {svg}");
        assert!(svg.contains(">w0</text>") && svg.contains(">w2</text>"));
        assert!(svg.contains("from 0 on w0 to 90 on w2"));
    }

    #[test]
    fn an_empty_series_draws_only_the_axes() {
        let svg = area_chart("Nothing", &[]);
        assert!(!svg.contains("chart-line"));
        assert!(svg.contains("Nothing: no data"));
    }
}
