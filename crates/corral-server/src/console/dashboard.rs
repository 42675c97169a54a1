//! `/`: the dashboard, the whole estate at a glance.
//!
//! Assets by data tier, risk tier, status and approval (each bar links to the filtered
//! list); the review queue with its SLA clocks and what is overdue; attestations due; how
//! the registry grew week by week; open scan findings by severity with their trend; and how
//! the scheduled jobs and heartbeat checks are doing (`job_health`).
//! Every number comes from an aggregate query (`corral_store::registry_summary`), never from
//! loading the assets, so the page costs the same with ten assets or a hundred thousand.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use corral_model::attestation::attestation_due;
use corral_model::{Severity, SeverityCounts, TrendDay};
use corral_store::RegistryBreakdown;

use crate::console::badges;
use crate::console::charts::{Bar, Point, area_chart, bar_chart};
use crate::console::job_health::{JobsSummary, jobs_summary};
use crate::console::page::{Chrome, ConsoleResult, Section, render};
use crate::console::pager::{href, thousands};
use crate::console::session::ConsoleUser;
use crate::console::time_text::{Clock, sla_clock};
use crate::error::ApiResult;
use crate::routes::reviews::review_page;
use crate::state::AppState;
use corral_client::wire::ReviewFilter;

/// Reviews and attestations listed on the dashboard; the full lists are a click away.
const SHOWN: u32 = 8;
/// Weeks of registry growth drawn.
const GROWTH_WEEKS: i64 = 26;
/// Days of the open-findings trend drawn.
const TREND_DAYS: u32 = 30;

/// One review in the queue.
pub struct QueueRow {
    pub asset: String,
    pub href: String,
    pub reason: String,
    pub needs: String,
    pub progress: String,
    pub clock: Clock,
}

/// One asset whose attestation is due.
pub struct AttestRow {
    pub asset: String,
    pub href: String,
    pub owner: String,
    pub clock: Clock,
}

/// Open scan findings: counts by severity, and the total open on each day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingsSummary {
    pub by_severity: Vec<(Severity, u64)>,
    pub trend: Vec<(NaiveDate, u64)>,
}

impl FindingsSummary {
    pub fn is_empty(&self) -> bool {
        self.by_severity.iter().all(|(_, n)| *n == 0) && self.trend.is_empty()
    }
}

/// Open findings for the dashboard's findings panel, from the counts the store keeps as
/// findings open and close (five rows) and its day-by-day trend (one row per day and
/// severity), so the panel costs the same however many findings there are.
///
/// Findings reach the server with scan uploads and advisory evaluation. While none has
/// ever been open in the trend's window, the trend is left empty and the panel says no
/// scans have reached the server, rather than drawing zeros that would read as "all clear";
/// once findings were open, their fall to zero is drawn, because that is the good news.
pub async fn findings_summary(state: &AppState, today: NaiveDate) -> ApiResult<FindingsSummary> {
    let counts = state.store.open_finding_counts().await?;
    let trend = state.store.finding_trend(TREND_DAYS, today).await?;
    Ok(summarise(&counts, &trend))
}

/// The panel's numbers from the estate's counts and its daily trend.
pub fn summarise(counts: &SeverityCounts, trend: &[TrendDay]) -> FindingsSummary {
    let by_severity = Severity::ALL.iter().map(|s| (*s, counts.get(*s))).collect();
    let totals: Vec<(NaiveDate, u64)> = trend.iter().map(|d| (d.day, d.open.total())).collect();
    let trend = if totals.iter().all(|(_, n)| *n == 0) {
        Vec::new()
    } else {
        totals
    };
    FindingsSummary { by_severity, trend }
}

/// The findings panel as drawn.
pub struct FindingsPanel {
    pub has_data: bool,
    pub severity_chart: String,
    pub trend_chart: String,
}

impl FindingsPanel {
    pub fn of(summary: &FindingsSummary) -> Self {
        if summary.is_empty() {
            return Self {
                has_data: false,
                severity_chart: String::new(),
                trend_chart: String::new(),
            };
        }
        let bars: Vec<Bar> = summary
            .by_severity
            .iter()
            .map(|(severity, n)| Bar {
                label: severity.as_str().to_string(),
                value: *n,
                class: format!("severity-{}", severity.as_str()),
                href: None,
            })
            .collect();
        let points: Vec<Point> = summary
            .trend
            .iter()
            .map(|(day, n)| Point {
                label: day.format("%b %d").to_string(),
                value: *n,
            })
            .collect();
        Self {
            has_data: true,
            severity_chart: bar_chart("Open findings by severity", &bars),
            trend_chart: area_chart("Open findings over time", &points),
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    total: String,
    empty: bool,
    approved: String,
    blocked: String,
    open_reviews: u64,
    overdue_reviews: u64,
    attestations_due: u64,
    tier_chart: String,
    risk_chart: String,
    status_chart: String,
    approval_chart: String,
    growth_chart: String,
    growth_note: String,
    queue: Vec<QueueRow>,
    due: Vec<AttestRow>,
    findings: FindingsPanel,
    jobs: JobsSummary,
    can_register: bool,
}

fn bars<K: Copy>(
    counts: &[(K, u64)],
    label: impl Fn(K) -> String,
    class: impl Fn(K) -> String,
    link: impl Fn(K) -> String,
) -> Vec<Bar> {
    counts
        .iter()
        .map(|(k, n)| Bar {
            label: label(*k),
            value: *n,
            class: class(*k),
            href: Some(link(*k)),
        })
        .collect()
}

/// The four breakdown charts: data tier, risk tier, status, approval.
fn breakdown_charts(b: &RegistryBreakdown) -> [String; 4] {
    [
        bar_chart(
            "Assets by data tier",
            &bars(
                &b.by_data_tier(),
                |t| format!("{} {}", t.number(), t.name()),
                |t| format!("tier-{}", t.number()),
                |t| href("/assets", &[("tier", t.number().to_string())]),
            ),
        ),
        bar_chart(
            "Assets by risk tier",
            &bars(
                &b.by_risk_tier(),
                |r| r.as_str().to_string(),
                |r| format!("risk-{}", r.as_str()),
                |r| href("/assets", &[("risk", r.as_str().to_string())]),
            ),
        ),
        bar_chart(
            "Assets by status",
            &bars(
                &b.by_status(),
                |s| s.as_str().to_string(),
                |s| format!("status-{}", s.as_str()),
                |s| href("/assets", &[("status", s.as_str().to_string())]),
            ),
        ),
        bar_chart(
            "Assets by approval",
            &bars(
                &b.by_approval(),
                |a| badges::approval(a).label,
                |a| format!("approval-{}", a.as_str()),
                |a| href("/assets", &[("approval", a.as_str().to_string())]),
            ),
        ),
    ]
}

/// The Monday that starts the first of the last `weeks` weeks (the current week last).
pub fn first_monday(today: NaiveDate, weeks: i64) -> NaiveDate {
    let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    this_monday - Duration::weeks(weeks - 1)
}

/// The registry's size at the end of each of `weeks` weeks from Monday `start`, from the
/// count registered `before` it and the registrations per day since.
pub fn weekly_growth(
    before: u64,
    per_day: &[(NaiveDate, u64)],
    start: NaiveDate,
    weeks: i64,
) -> Vec<Point> {
    let mut total = before;
    (0..weeks)
        .map(|w| {
            let from = start + Duration::weeks(w);
            let to = from + Duration::weeks(1);
            total += per_day
                .iter()
                .filter(|(day, _)| *day >= from && *day < to)
                .map(|(_, n)| n)
                .sum::<u64>();
            Point {
                label: from.format("%b %d").to_string(),
                value: total,
            }
        })
        .collect()
}

/// `GET /`.
pub async fn show(State(state): State<AppState>, user: ConsoleUser) -> ConsoleResult {
    let now = Utc::now();
    let breakdown = state.store.registry_breakdown().await?;
    let start = first_monday(now.date_naive(), GROWTH_WEEKS);
    let since = start.and_hms_opt(0, 0, 0).map_or(now, |t| t.and_utc());
    let (before, per_day) = state.store.registrations_since(since).await?;
    let (open_reviews, overdue_reviews) = state.store.review_counts(now).await?;
    let period = state.policy.attestation_period_days;
    let attestations_due = state.store.count_attestations_due(period, now).await?;
    let queue = review_rows(&state, now).await?;
    let due = state
        .store
        .assets_due_for_attestation(period, now, SHOWN)
        .await?
        .into_iter()
        .filter_map(|a| {
            attestation_due(&a, period).map(|due_at| AttestRow {
                href: format!("/assets/{}", a.id),
                owner: a.owner_email.clone(),
                asset: a.name,
                clock: sla_clock(due_at, now),
            })
        })
        .collect();
    let growth = weekly_growth(before, &per_day, start, GROWTH_WEEKS);
    let added: u64 = growth.last().map_or(0, |p| p.value) - growth.first().map_or(0, |p| p.value);
    let growth_note = format!(
        "{} registered in the last {GROWTH_WEEKS} weeks (since {})",
        thousands(added),
        growth.first().map(|p| p.label.clone()).unwrap_or_default()
    );
    let by_approval = breakdown.by_approval();
    let count_of = |state| {
        by_approval
            .iter()
            .find(|(s, _)| *s == state)
            .map_or(0, |(_, n)| *n)
    };
    let [tier_chart, risk_chart, status_chart, approval_chart] = breakdown_charts(&breakdown);
    let findings = FindingsPanel::of(&findings_summary(&state, now.date_naive()).await?);
    Ok(render(
        StatusCode::OK,
        &DashboardPage {
            chrome: Chrome::new(&user, Section::Dashboard, "Dashboard"),
            total: thousands(breakdown.total()),
            empty: breakdown.total() == 0,
            approved: thousands(count_of(corral_model::ApprovalState::Approved)),
            blocked: thousands(count_of(corral_model::ApprovalState::Blocked)),
            open_reviews,
            overdue_reviews,
            attestations_due,
            tier_chart,
            risk_chart,
            status_chart,
            approval_chart,
            growth_chart: area_chart("Registered assets", &growth),
            growth_note,
            queue,
            due,
            findings,
            jobs: jobs_summary(&state, now).await?,
            can_register: user.actor.can(corral_model::Action::RegisterAsset),
        },
    ))
}

/// The reviews due soonest (overdue ones first, as they are due earliest).
async fn review_rows(state: &AppState, now: DateTime<Utc>) -> ApiResult<Vec<QueueRow>> {
    let mut rows = Vec::new();
    for (view, _) in review_page(state, ReviewFilter::Open, now, SHOWN, 0).await? {
        let needed = view.review.required.len();
        rows.push(QueueRow {
            href: format!("/assets/{}", view.review.asset_id),
            asset: view.asset_name.clone(),
            reason: view.review.reason.clone(),
            needs: view
                .missing
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" and "),
            progress: format!("{} of {needed} sign-offs", needed - view.missing.len()),
            clock: sla_clock(view.review.due_at, now),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn growth_is_cumulative_per_week_and_counts_what_came_before() {
        // 2026-03-04 is a Wednesday; its week starts on Monday 2026-03-02.
        let start = first_monday(d("2026-03-04"), 3);
        assert_eq!(start, d("2026-02-16"));
        let per_day = [(d("2026-02-24"), 2), (d("2026-03-03"), 5)];
        let points = weekly_growth(10, &per_day, start, 3);
        let values: Vec<u64> = points.iter().map(|p| p.value).collect();
        assert_eq!(values, [10, 12, 17]);
        assert_eq!(points[0].label, "Feb 16");
        assert_eq!(points[2].label, "Mar 02");
    }

    #[test]
    fn without_findings_the_panel_has_nothing_to_draw() {
        let panel = FindingsPanel::of(&FindingsSummary::default());
        assert!(!panel.has_data);
        let zeros = FindingsSummary {
            by_severity: vec![(Severity::High, 0)],
            trend: Vec::new(),
        };
        assert!(zeros.is_empty());
    }

    fn counts(pairs: &[(Severity, u64)]) -> SeverityCounts {
        let mut c = SeverityCounts::default();
        for (s, n) in pairs {
            *c.get_mut(*s) = *n;
        }
        c
    }

    #[test]
    fn the_summary_lists_every_severity_and_totals_each_day() {
        let trend = [
            TrendDay {
                day: d("2026-03-01"),
                open: counts(&[(Severity::High, 2)]),
            },
            TrendDay {
                day: d("2026-03-02"),
                open: counts(&[(Severity::High, 2), (Severity::Low, 3)]),
            },
        ];
        let summary = summarise(&counts(&[(Severity::High, 2), (Severity::Low, 3)]), &trend);
        assert_eq!(
            summary.by_severity,
            [
                (Severity::Critical, 0),
                (Severity::High, 2),
                (Severity::Medium, 0),
                (Severity::Low, 3),
                (Severity::Info, 0)
            ]
        );
        assert_eq!(summary.trend, [(d("2026-03-01"), 2), (d("2026-03-02"), 5)]);
        assert!(!summary.is_empty());
    }

    #[test]
    fn a_trend_of_zeros_only_is_no_data_but_a_fall_to_zero_is_drawn() {
        let zero = |day| TrendDay {
            day: d(day),
            open: SeverityCounts::default(),
        };
        let never = summarise(
            &SeverityCounts::default(),
            &[zero("2026-03-01"), zero("2026-03-02")],
        );
        assert!(never.is_empty());
        let fixed = summarise(
            &SeverityCounts::default(),
            &[
                TrendDay {
                    day: d("2026-03-01"),
                    open: counts(&[(Severity::Critical, 1)]),
                },
                zero("2026-03-02"),
            ],
        );
        assert!(!fixed.is_empty());
        assert_eq!(fixed.trend, [(d("2026-03-01"), 1), (d("2026-03-02"), 0)]);
    }

    #[test]
    fn findings_are_drawn_by_severity_with_their_trend() {
        let summary = FindingsSummary {
            by_severity: vec![(Severity::Critical, 2), (Severity::High, 7)],
            trend: vec![(d("2026-03-01"), 4), (d("2026-03-02"), 9)],
        };
        let panel = FindingsPanel::of(&summary);
        assert!(panel.has_data);
        assert!(panel.severity_chart.contains("critical 2, high 7"));
        assert!(panel.severity_chart.contains("severity-critical"));
        assert!(
            panel
                .trend_chart
                .contains("from 4 on Mar 01 to 9 on Mar 02")
        );
    }
}
