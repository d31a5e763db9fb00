//! The weekly review sample: which handoffs merged in an ISO week a manager reads. The choice
//! depends only on the week and the repository's state, never on the machine or the run: each
//! handoff is ranked by a fixed hash (FNV-1a, 64 bits) of the week, its path and the commit
//! that landed it, then authors take turns in rank order, so nobody gets a second handoff
//! sampled before every author of the week has one.

use super::metrics::{HandoffRecord, UNKNOWN};
use super::review::{Review, Reviews};
use super::week::IsoWeek;

/// Default sample size.
pub const DEFAULT_SIZE: usize = 5;

/// One sampled handoff with the reviews it already has.
#[derive(Debug, Clone)]
pub struct SampledHandoff<'r> {
    /// The handoff.
    pub handoff: &'r HandoffRecord,
    /// Its reviews so far (any week).
    pub reviews: Vec<&'r Review>,
}

/// A week's sample.
#[derive(Debug, Clone)]
pub struct Sample<'r> {
    /// The ref sampled (as given).
    pub git_ref: String,
    /// Its head commit, when it has one.
    pub commit: Option<String>,
    /// The week.
    pub week: IsoWeek,
    /// Handoffs merged that week.
    pub population: usize,
    /// The sample, in reading order.
    pub handoffs: Vec<SampledHandoff<'r>>,
    /// When no handoff merged that week: the closest earlier and later weeks that have some.
    pub nearest: (Option<IsoWeek>, Option<IsoWeek>),
    /// Links to the forge the `origin` remote is on, when known.
    pub links: Option<super::forge::Links>,
}

/// The closest weeks before and after `week` in which handoffs merged.
pub fn nearest_weeks(
    week: IsoWeek,
    handoffs: &[HandoffRecord],
) -> (Option<IsoWeek>, Option<IsoWeek>) {
    let weeks = handoffs.iter().map(HandoffRecord::merged_week);
    let before = weeks.clone().filter(|w| *w < week).max();
    let after = weeks.filter(|w| *w > week).min();
    (before, after)
}

/// Chooses up to `size` of the handoffs merged in `week`.
pub fn choose<'r>(
    week: IsoWeek,
    handoffs: &'r [HandoffRecord],
    reviews: &'r Reviews,
    size: usize,
) -> (usize, Vec<SampledHandoff<'r>>) {
    let week_label = week.to_string();
    let mut ranked: Vec<(u64, &HandoffRecord)> = handoffs
        .iter()
        .filter(|h| h.merged_week() == week)
        .map(|h| {
            let key = format!("{week_label}\n{}\n{}", h.path, h.merged_commit);
            (fnv1a(key.as_bytes()), h)
        })
        .collect();
    let population = ranked.len();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.path.cmp(&b.1.path)));
    // Authors in the order of their best-ranked handoff; each keeps its own queue in rank order.
    let mut queues: Vec<(&str, std::collections::VecDeque<&HandoffRecord>)> = Vec::new();
    for (_, handoff) in ranked {
        let author = handoff.author.as_deref().unwrap_or(UNKNOWN);
        match queues.iter_mut().find(|(a, _)| *a == author) {
            Some((_, queue)) => queue.push_back(handoff),
            None => queues.push((author, std::collections::VecDeque::from([handoff]))),
        }
    }
    let mut chosen = Vec::new();
    while chosen.len() < size && queues.iter().any(|(_, q)| !q.is_empty()) {
        for (_, queue) in &mut queues {
            if chosen.len() == size {
                break;
            }
            if let Some(handoff) = queue.pop_front() {
                chosen.push(SampledHandoff {
                    handoff,
                    reviews: reviews.of(&handoff.path),
                });
            }
        }
    }
    (population, chosen)
}

/// FNV-1a, 64 bits: a fixed, portable hash (std's hasher is seeded per process).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET_BASIS, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
