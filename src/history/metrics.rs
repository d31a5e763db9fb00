//! Governance metrics over plain values (no git here): one [`HandoffRecord`] per handoff, and
//! the summary with its breakdowns per type, per author and per ISO week, as the SPEC's
//! "Metrics from git history" defines them.

use std::collections::{BTreeMap, HashSet};

use jiff::civil::Date;
use jiff::Timestamp;
use serde::Serialize;

use super::week::IsoWeek;

/// A handoff is stale when it is still `submitted`, not accepted, this many days after it
/// merged (as of the ref's head commit).
pub const STALE_AFTER_DAYS: i64 = 30;

/// Seconds in a day: durations in days are fractional (`seconds / 86400`).
pub const SECONDS_PER_DAY: f64 = 86_400.0;

/// The metrics of one run, ready for an emitter.
#[derive(Debug, Clone)]
pub struct MetricsReport<'r> {
    /// The ref measured, as given.
    pub git_ref: String,
    /// Its head commit (none in a repository without commits).
    pub head: Option<HeadCommit>,
    /// The threshold in force (per-type playbook thresholds may differ per handoff).
    pub threshold: u32,
    /// `--since`.
    pub since: Option<jiff::civil::Date>,
    /// `--until`.
    pub until: Option<jiff::civil::Date>,
    /// The handoffs measured (merged within `since..=until`), by path.
    pub handoffs: Vec<&'r HandoffRecord>,
    /// The summary and breakdowns.
    pub summary: Summary,
    /// Links to the forge the `origin` remote is on (none: the report shows plain text).
    pub links: Option<super::forge::Links>,
}

/// The head of the measured ref: commit id and committer time.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadCommit {
    /// Full hex id.
    pub commit: String,
    /// Committer time: "now" for the metrics (stale, the default sample week).
    pub time: jiff::Timestamp,
}

/// What a handoff's history says about it. Fields named as in the SPEC's JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoffRecord {
    /// Path at the ref's head, relative to the repository root.
    pub path: String,
    /// `type` now.
    pub handoff_type: Option<String>,
    /// `status` now.
    pub status: Option<String>,
    /// `title` now.
    pub title: Option<String>,
    /// `from.name` now.
    pub author: Option<String>,
    /// `to.name` now: the receiver.
    pub receiver: Option<String>,
    /// `customer.company` now.
    pub customer: Option<String>,
    /// `trigger.date` now (the latest correction is the truth).
    pub trigger_date: Option<Date>,
    /// Committer time of the first first-parent commit holding the file.
    pub merged_at: Timestamp,
    /// That commit (full hex id).
    pub merged_commit: String,
    /// Author of that commit (through `.mailmap`): who landed it.
    pub merged_by: Option<String>,
    /// The pull request (GitHub) or merge request (GitLab) that commit's message names, when
    /// the `origin` remote is on a known forge.
    pub pull_request: Option<u64>,
    /// Committer time of the first first-parent commit in which `status` is `accepted`.
    pub accepted_at: Option<Timestamp>,
    /// merged_at − trigger.date (start of that day, UTC), in days.
    pub time_to_handoff_days: Option<f64>,
    /// accepted_at − merged_at, in days.
    pub time_to_accept_days: Option<f64>,
    /// Commits on the chain that changed the file (adding, renaming, editing).
    pub revisions: u32,
    /// Score of the version that landed.
    pub score_at_merge: u32,
    /// The threshold that applied to the version that landed.
    pub threshold_at_merge: u32,
    /// Score now.
    pub score: u32,
    /// The threshold that applies now.
    pub threshold: u32,
    /// Passes the gate now.
    pub passed: bool,
    /// Landed with `score_at_merge` below its threshold: the gate was bypassed.
    pub below_threshold_at_merge: bool,
    /// Meets its playbook's qualification threshold now (`None`: the playbook declares no
    /// qualification).
    pub qualified: Option<bool>,
    /// Submitted, not accepted, more than 30 days after merging (as of the ref's head).
    pub stale: bool,
    /// Sections not complete now, with the fields they miss.
    pub gaps: Vec<SectionGap>,
    /// Why the score is 0 when a version could not be read as a handoff (over the size cap,
    /// not UTF-8, broken YAML).
    pub note: Option<String>,
    /// `feedback.rating` now (1-5), the receiver's view of how useful the handoff was.
    pub rating: Option<u8>,
    /// Its `status` read `rejected` in some version on the chain (sent back at least once).
    pub rejected: bool,
    /// Each change of `to.name` after it landed, oldest first.
    pub reassignments: Vec<Reassignment>,
    /// For a handoff that landed through a merge: from the first commit on the merged branch
    /// that touched the file to the merge, in days.
    pub time_in_review_days: Option<f64>,
}

/// `to.name` changed from one version on the chain to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct Reassignment {
    /// The receiver before.
    pub from: String,
    /// The receiver after.
    pub to: String,
    /// When the commit that changed it landed.
    pub at: Timestamp,
}

/// A section that is not complete.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionGap {
    /// Section id.
    pub id: String,
    /// Section title.
    pub title: String,
    /// `partial` or `missing`.
    pub status: String,
    /// Fields that do not pass.
    pub missing: Vec<String>,
}

impl HandoffRecord {
    /// The ISO week it merged in (UTC).
    pub fn merged_week(&self) -> IsoWeek {
        IsoWeek::of(utc_date(self.merged_at))
    }

    /// Accepted at some point on the chain.
    pub fn accepted(&self) -> bool {
        self.accepted_at.is_some()
    }

    /// How often `to.name` changed after it landed.
    pub fn reassigned(&self) -> usize {
        self.reassignments.len()
    }
}

/// Days between two instants, fractional.
pub fn days_between(from: Timestamp, to: Timestamp) -> f64 {
    (to.as_second() - from.as_second()) as f64 / SECONDS_PER_DAY
}

/// The UTC calendar date of an instant.
pub fn utc_date(at: Timestamp) -> Date {
    at.to_zoned(jiff::tz::TimeZone::UTC).date()
}

/// Start of `date` (00:00 UTC).
pub fn start_of_day(date: Date) -> Option<Timestamp> {
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// Whether a handoff is stale as of `as_of`.
pub fn is_stale(
    status: Option<&str>,
    accepted_at: Option<Timestamp>,
    merged_at: Timestamp,
    as_of: Timestamp,
) -> bool {
    status == Some("submitted")
        && accepted_at.is_none()
        && as_of.as_second() - merged_at.as_second() > STALE_AFTER_DAYS * 86_400
}

/// The aggregate numbers for a set of handoffs (the whole summary, one type, one author, one
/// week).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Handoffs.
    pub count: usize,
    /// Of which accepted.
    pub accepted: usize,
    /// accepted / count (null when there are none).
    pub completion_rate: Option<f64>,
    /// Median of time_to_handoff_days over handoffs that have one.
    pub median_time_to_handoff_days: Option<f64>,
    /// 90th percentile (linear interpolation between closest ranks).
    pub p90_time_to_handoff_days: Option<f64>,
    /// Median of time_to_accept_days over accepted handoffs.
    pub median_time_to_accept_days: Option<f64>,
    /// Handoffs that landed below their threshold.
    pub below_threshold_at_merge: usize,
    /// Stale handoffs.
    pub stale: usize,
    /// Median of `rating` over handoffs that have one.
    pub median_rating: Option<f64>,
    /// Mean of `rating` over handoffs that have one.
    pub mean_rating: Option<f64>,
    /// Handoffs rejected at least once.
    pub rejected: usize,
    /// Handoffs reassigned at least once (`to.name` changed after they landed).
    pub reassigned: usize,
    /// Median of time_in_review_days over handoffs that landed through a merge.
    pub median_time_in_review_days: Option<f64>,
    /// Handoffs that meet their playbook's qualification threshold now.
    pub qualified: usize,
    /// qualified / handoffs whose playbook declares qualification (null when there are none).
    pub qualified_rate: Option<f64>,
}

impl Stats {
    /// Aggregates `handoffs`.
    pub fn of<'r>(handoffs: impl IntoIterator<Item = &'r HandoffRecord>) -> Stats {
        let mut count = 0;
        let mut accepted = 0;
        let mut below = 0;
        let mut stale = 0;
        let mut qualified = 0;
        let mut qualifiable = 0;
        let mut to_handoff = Vec::new();
        let mut to_accept = Vec::new();
        let mut ratings = Vec::new();
        let mut in_review = Vec::new();
        let mut rejected = 0;
        let mut reassigned = 0;
        for handoff in handoffs {
            ratings.extend(handoff.rating.map(f64::from));
            in_review.extend(handoff.time_in_review_days);
            rejected += usize::from(handoff.rejected);
            reassigned += usize::from(handoff.reassigned() > 0);
            count += 1;
            accepted += usize::from(handoff.accepted());
            below += usize::from(handoff.below_threshold_at_merge);
            stale += usize::from(handoff.stale);
            qualifiable += usize::from(handoff.qualified.is_some());
            qualified += usize::from(handoff.qualified == Some(true));
            to_handoff.extend(handoff.time_to_handoff_days);
            to_accept.extend(handoff.time_to_accept_days);
        }
        to_handoff.sort_by(f64::total_cmp);
        to_accept.sort_by(f64::total_cmp);
        ratings.sort_by(f64::total_cmp);
        in_review.sort_by(f64::total_cmp);
        Stats {
            median_rating: median(&ratings),
            mean_rating: (!ratings.is_empty())
                .then(|| ratings.iter().sum::<f64>() / ratings.len() as f64),
            rejected,
            reassigned,
            median_time_in_review_days: median(&in_review),
            count,
            accepted,
            completion_rate: (count > 0).then(|| accepted as f64 / count as f64),
            median_time_to_handoff_days: median(&to_handoff),
            p90_time_to_handoff_days: percentile(&to_handoff, 90.0),
            median_time_to_accept_days: median(&to_accept),
            below_threshold_at_merge: below,
            stale,
            qualified,
            qualified_rate: (qualifiable > 0).then(|| qualified as f64 / qualifiable as f64),
        }
    }
}

/// Review coverage of one week's merges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewCoverage {
    /// Handoffs the week's default sample holds (its size, or fewer when fewer merged).
    pub sampled: usize,
    /// Handoffs merged that week with at least one review in `reviews/`.
    pub reviewed: usize,
}

/// One week's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekStats {
    /// The aggregates.
    #[serde(flatten)]
    pub stats: Stats,
    /// Review coverage.
    pub reviews: ReviewCoverage,
}

/// The summary: the aggregates over every handoff, then the breakdowns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The aggregates.
    #[serde(flatten)]
    pub stats: Stats,
    /// Per `type` (`unknown` for handoffs without a valid one).
    pub by_type: BTreeMap<String, Stats>,
    /// Per `from.name` (`unknown` when absent).
    pub by_author: BTreeMap<String, Stats>,
    /// Per ISO week of `merged_at`.
    pub by_week: BTreeMap<String, WeekStats>,
}

/// Label for a handoff without a type or an author.
pub const UNKNOWN: &str = "unknown";

/// Summarizes `handoffs`. `reviewed` holds the paths that have a review; `sample_size` is the
/// default size of a week's sample.
pub fn summarize(
    handoffs: &[&HandoffRecord],
    reviewed: &HashSet<String>,
    sample_size: usize,
) -> Summary {
    let mut by_type: BTreeMap<String, Vec<&HandoffRecord>> = BTreeMap::new();
    let mut by_author: BTreeMap<String, Vec<&HandoffRecord>> = BTreeMap::new();
    let mut by_week: BTreeMap<String, Vec<&HandoffRecord>> = BTreeMap::new();
    for &handoff in handoffs {
        let handoff_type = handoff.handoff_type.as_deref().unwrap_or(UNKNOWN);
        by_type
            .entry(handoff_type.to_string())
            .or_default()
            .push(handoff);
        let author = handoff.author.as_deref().unwrap_or(UNKNOWN);
        by_author
            .entry(author.to_string())
            .or_default()
            .push(handoff);
        by_week
            .entry(handoff.merged_week().to_string())
            .or_default()
            .push(handoff);
    }
    let stats_of = |groups: BTreeMap<String, Vec<&HandoffRecord>>| {
        groups
            .into_iter()
            .map(|(key, group)| (key, Stats::of(group)))
            .collect::<BTreeMap<_, _>>()
    };
    let by_week = by_week
        .into_iter()
        .map(|(week, group)| {
            let reviews = ReviewCoverage {
                sampled: group.len().min(sample_size),
                reviewed: group.iter().filter(|h| reviewed.contains(&h.path)).count(),
            };
            let stats = Stats::of(group);
            (week, WeekStats { stats, reviews })
        })
        .collect();
    Summary {
        stats: Stats::of(handoffs.iter().copied()),
        by_type: stats_of(by_type),
        by_author: stats_of(by_author),
        by_week,
    }
}

/// The median of sorted values: the middle one, or the mean of the two middle ones.
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The `p`th percentile of sorted values, interpolating linearly between the closest ranks
/// (numpy's default, `linear`): rank `p/100 × (n − 1)`.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = p / 100.0 * last as f64;
    let below = rank.floor() as usize;
    let above = rank.ceil() as usize;
    let fraction = rank - below as f64;
    Some(sorted[below] + (sorted[above] - sorted[below]) * fraction)
}

/// Handoffs whose merge date (UTC) lies within `since..=until`.
pub fn merged_between(record: &HandoffRecord, since: Option<Date>, until: Option<Date>) -> bool {
    let date = utc_date(record.merged_at);
    since.is_none_or(|s| date >= s) && until.is_none_or(|u| date <= u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_one_and_none() {
        assert_eq!(median(&[1.0, 2.0, 10.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
        assert_eq!(median(&[7.5]), Some(7.5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn p90_interpolates_like_numpy() {
        // numpy.percentile([1, 2, 3, 4], 90) == 3.7 (rank 2.7).
        let p = percentile(&[1.0, 2.0, 3.0, 4.0], 90.0).unwrap();
        assert!((p - 3.7).abs() < 1e-12, "{p}");
        // numpy.percentile([1, 2, 10], 90) == 8.4 (rank 1.8).
        let p = percentile(&[1.0, 2.0, 10.0], 90.0).unwrap();
        assert!((p - 8.4).abs() < 1e-12, "{p}");
        // numpy.percentile(range(1, 12), 90) == 10.0 (rank exactly 9).
        let values: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(percentile(&values, 90.0), Some(10.0));
        assert_eq!(percentile(&[5.0], 90.0), Some(5.0));
        assert_eq!(percentile(&[], 90.0), None);
        assert_eq!(
            percentile(&[1.0, 2.0, 3.0, 4.0], 50.0),
            median(&[1.0, 2.0, 3.0, 4.0])
        );
    }

    #[test]
    fn stale_means_submitted_unaccepted_and_older_than_30_days() {
        let merged = Timestamp::from_second(0).unwrap();
        let day = |d: i64| Timestamp::from_second(d * 86_400).unwrap();
        assert!(!is_stale(Some("submitted"), None, merged, day(30)));
        assert!(is_stale(
            Some("submitted"),
            None,
            merged,
            Timestamp::from_second(30 * 86_400 + 1).unwrap()
        ));
        assert!(!is_stale(Some("draft"), None, merged, day(90)));
        assert!(!is_stale(Some("submitted"), Some(day(1)), merged, day(90)));
    }
}
