//! Routing: who should receive a handoff (`handoff route`, `handoff new --to auto`). The
//! candidates are the roster's people whose role is the playbook's `to_role`, not away on the
//! trigger date and not at their capacity; they are ranked by the playbook's (or
//! `handoff.toml`'s) strategies in order — account owner, territory, skill, round-robin by
//! default — and every suggestion says why. The repository's other handoffs, read once into a
//! [`Ledger`], say who owns which company and who holds how many open handoffs.

pub mod command;

use std::cmp::Ordering;
use std::collections::HashSet;

use serde_json::Value;

use crate::playbook::routing::Strategy;
use crate::playbook::rules::{as_date, text_at};
use crate::repo::Workspace;
use crate::roster::{Person, Roster, Workload};

/// Where each type keeps the company, its location and its industry.
const COMPANY: [&str; 3] = ["/customer/company", "/account/company", "/prospect/company"];
const LOCATION: [&str; 3] = ["/customer/hq", "/account/hq", "/prospect/hq"];
const INDUSTRY: [&str; 3] = [
    "/customer/industry",
    "/account/industry",
    "/prospect/industry",
];
const SEGMENT: [&str; 3] = ["/segment", "/customer/segment", "/deal/segment"];
/// What was bought or is wanted, for skills and products.
const PRODUCT: [&str; 3] = [
    "/deal/bought",
    "/opportunity/product",
    "/opportunity/summary",
];
/// Lists of integrations, for skills and products.
const INTEGRATIONS: &str = "/technical/integrations";

/// What routing needs to know about one handoff of the repository.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Path relative to the root, with `/`.
    pub path: String,
    /// `status`.
    pub status: Option<String>,
    /// `to.name`.
    pub receiver: Option<String>,
    /// The company, normalised ([`company_key`]).
    pub company: Option<String>,
    /// `trigger.date`.
    pub trigger_date: Option<jiff::civil::Date>,
}

impl Entry {
    /// The routing facts of a parsed handoff at `path`.
    pub fn of(path: &str, value: &Value) -> Entry {
        Entry {
            path: path.to_string(),
            status: text_at(value, "/status").map(str::to_string),
            receiver: text_at(value, "/to/name").map(|n| n.trim().to_string()),
            company: first_text(value, &COMPANY).and_then(company_key),
            trigger_date: value.pointer("/trigger/date").and_then(as_date),
        }
    }

    fn open(&self) -> bool {
        self.status.as_deref() == Some("submitted")
    }
}

/// The repository's handoffs as routing sees them.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Every handoff that could be read and parsed, by path.
    pub entries: Vec<Entry>,
}

impl Ledger {
    /// Reads every handoff in the handoffs folder of the work tree (what is checked out: in CI,
    /// the pull request's version); see [`Workspace::map_handoffs`].
    pub fn load(workspace: &Workspace) -> Ledger {
        Ledger {
            entries: workspace.map_handoffs(Entry::of),
        }
    }

    /// The open handoffs per receiver.
    pub fn workload(&self) -> Workload {
        let mut workload = Workload::default();
        for entry in self.entries.iter().filter(|e| e.open()) {
            if let Some(receiver) = &entry.receiver {
                workload.add(receiver, &entry.path);
            }
        }
        workload
    }
}

/// A suggested receiver.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Suggestion {
    /// Their roster name.
    pub name: String,
    /// Their roster email.
    pub email: Option<String>,
    /// Their roster role.
    pub role: Option<String>,
    /// Open handoffs addressed to them now (this one left out).
    pub open: usize,
    /// Their roster capacity (none: no limit).
    pub capacity: Option<u32>,
    /// Why, best reason first; the last one is their load (`3 of 8 open`).
    pub reasons: Vec<String>,
}

/// Someone of the right role who is not suggested, and why.
#[derive(Debug, Clone)]
pub struct Excluded {
    /// Their roster name.
    pub name: String,
    /// Why (`away 2026-12-20 to 2027-01-02`, `8 of 8 open`).
    pub why: String,
}

/// The outcome of routing one handoff.
#[derive(Debug, Clone)]
pub struct Routing {
    /// The role looked for (the playbook's `to_role`; none: everyone on the roster).
    pub role: Option<String>,
    /// The strategies applied, in order.
    pub strategies: Vec<Strategy>,
    /// The date availability was checked on (the trigger date, else today).
    pub date: jiff::civil::Date,
    /// Whether `date` is the handoff's trigger date (else today).
    pub date_is_trigger: bool,
    /// Best first.
    pub candidates: Vec<Suggestion>,
    /// People of the role who were left out.
    pub excluded: Vec<Excluded>,
}

/// What the handoff being routed says about its customer.
struct Facts<'v> {
    company: Option<(&'v str, String)>,
    location: Option<Words>,
    industry: Option<(Words, &'v str)>,
    segment: Option<Words>,
    products: Option<Words>,
}

/// One candidate while ranking.
struct Ranked<'r> {
    index: usize,
    person: &'r Person,
    /// The latest earlier handoff for the company they received (its date orders owners).
    owner: Option<&'r Entry>,
    territory: Option<&'r str>,
    skills: Vec<(&'r str, &'static str)>,
    open: usize,
    last_received: Option<jiff::civil::Date>,
}

/// Ranks the receivers for the handoff `value` at `path`.
pub fn route(
    roster: &Roster,
    to_role: Option<&str>,
    strategies: &[Strategy],
    (path, value): (&str, &Value),
    ledger: &Ledger,
    today: jiff::civil::Date,
) -> Routing {
    let trigger = value.pointer("/trigger/date").and_then(as_date);
    let date = trigger.unwrap_or(today);
    let facts = Facts {
        company: first_text(value, &COMPANY).and_then(|c| Some((c.trim(), company_key(c)?))),
        location: first_text(value, &LOCATION).map(Words::of),
        industry: first_text(value, &INDUSTRY).map(|i| (Words::of(i), i)),
        segment: first_text(value, &SEGMENT).map(Words::of),
        products: {
            let mut text: Vec<&str> = PRODUCT.iter().filter_map(|p| text_at(value, p)).collect();
            if let Some(items) = value.pointer(INTEGRATIONS).and_then(Value::as_array) {
                text.extend(items.iter().filter_map(Value::as_str));
            }
            (!text.is_empty()).then(|| Words::of(&text.join(" \n ")))
        },
    };
    let workload = ledger.workload();
    let others: Vec<&Entry> = ledger.entries.iter().filter(|e| e.path != path).collect();
    let mut excluded = Vec::new();
    let mut ranked = Vec::new();
    for (index, person) in roster.people.iter().enumerate() {
        if to_role.is_some_and(|role| !person.has_role(role)) {
            continue;
        }
        let open = workload.open_for(&person.name, path);
        if let Some(away) = person.away_on(date) {
            excluded.push(Excluded {
                name: person.name.clone(),
                why: format!("away {} to {}", away.from, away.to),
            });
            continue;
        }
        if let Some(capacity) = person.capacity {
            if open >= capacity as usize {
                excluded.push(Excluded {
                    name: person.name.clone(),
                    why: format!("{open} of {capacity} open"),
                });
                continue;
            }
        }
        let received: Vec<&&Entry> = others
            .iter()
            .filter(|e| {
                e.receiver
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(person.name.trim()))
            })
            .collect();
        let owned = facts.company.as_ref().map(|(_, key)| {
            received
                .iter()
                .filter(|e| e.company.as_ref() == Some(key))
                .filter(|e| e.status.as_deref() != Some("rejected"))
                // An earlier handoff: not triggered after this one.
                .filter(|e| match (e.trigger_date, trigger) {
                    (Some(theirs), Some(ours)) => theirs <= ours,
                    _ => true,
                })
                .max_by(|a, b| (a.trigger_date, &b.path).cmp(&(b.trigger_date, &a.path)))
        });
        ranked.push(Ranked {
            index,
            person,
            owner: owned.flatten().map(|e| **e),
            territory: facts.location.as_ref().and_then(|location| {
                person
                    .territories
                    .iter()
                    .map(String::as_str)
                    .find(|t| location.has(t))
            }),
            skills: skills_of(person, &facts),
            open,
            last_received: received.iter().filter_map(|e| e.trigger_date).max(),
        });
    }
    ranked.sort_by(|a, b| compare(strategies, a, b));
    let candidates = ranked
        .iter()
        .map(|r| suggestion(strategies, r, facts.company.as_ref().map(|c| c.0)))
        .collect();
    Routing {
        role: to_role.map(str::to_string),
        strategies: strategies.to_vec(),
        date,
        date_is_trigger: trigger.is_some(),
        candidates,
        excluded,
    }
}

/// The skill matches of a person: industries, segments, then skills and products.
fn skills_of<'r>(person: &'r Person, facts: &Facts) -> Vec<(&'r str, &'static str)> {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    let mut check = |terms: &'r [String], words: Option<&Words>, kind: &'static str| {
        let Some(words) = words else { return };
        for term in terms {
            if words.has(term) && seen.insert(term.trim().to_lowercase()) {
                found.push((term.trim(), kind));
            }
        }
    };
    check(
        &person.industries,
        facts.industry.as_ref().map(|i| &i.0),
        "industry",
    );
    check(&person.segments, facts.segment.as_ref(), "segment");
    check(&person.skills, facts.products.as_ref(), "skill");
    check(&person.products, facts.products.as_ref(), "product");
    found
}

/// Better first, strategy by strategy; then by name, then by roster order.
fn compare(strategies: &[Strategy], a: &Ranked, b: &Ranked) -> Ordering {
    for strategy in strategies {
        let order = match strategy {
            // Owners first, the latest ownership first (an undated one after dated ones).
            Strategy::AccountOwner => {
                let key = |r: &Ranked| r.owner.map(|e| e.trigger_date);
                key(b).cmp(&key(a))
            }
            Strategy::Territory => b.territory.is_some().cmp(&a.territory.is_some()),
            Strategy::Skill => b.skills.len().cmp(&a.skills.len()),
            // Fewest open first; between equals, whoever received one longest ago (or never).
            Strategy::RoundRobin => (a.open, a.last_received).cmp(&(b.open, b.last_received)),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    let name = |r: &Ranked| r.person.name.trim().to_lowercase();
    name(a).cmp(&name(b)).then(a.index.cmp(&b.index))
}

fn suggestion(strategies: &[Strategy], r: &Ranked, company: Option<&str>) -> Suggestion {
    let mut reasons = Vec::new();
    for strategy in strategies {
        match strategy {
            Strategy::AccountOwner => {
                if let (Some(entry), Some(company)) = (r.owner, company) {
                    reasons.push(format!("owns {company} ({})", entry.path));
                }
            }
            Strategy::Territory => {
                if let Some(territory) = r.territory {
                    reasons.push(format!("covers {}", territory.trim()));
                }
            }
            Strategy::Skill => {
                if !r.skills.is_empty() {
                    let list: Vec<String> = r
                        .skills
                        .iter()
                        .map(|(term, kind)| format!("{term} ({kind})"))
                        .collect();
                    reasons.push(format!("knows {}", list.join(", ")));
                }
            }
            Strategy::RoundRobin => {}
        }
    }
    reasons.push(match r.person.capacity {
        Some(capacity) => format!("{} of {capacity} open", r.open),
        None => format!("{} open", r.open),
    });
    Suggestion {
        name: r.person.name.trim().to_string(),
        email: r.person.email.clone(),
        role: r.person.role.clone(),
        open: r.open,
        capacity: r.person.capacity,
        reasons,
    }
}

/// The first non-empty text among `pointers`.
fn first_text<'v>(value: &'v Value, pointers: &[&str]) -> Option<&'v str> {
    pointers.iter().find_map(|p| text_at(value, p))
}

/// A company name as compared across handoffs: lower-case words, without a trailing legal form
/// (`Acme Corp.` and `ACME corp` are one company; `Acme Inc` too).
pub fn company_key(name: &str) -> Option<String> {
    if crate::playbook::score::is_placeholder(name) {
        return None;
    }
    const LEGAL: [&str; 14] = [
        "inc",
        "incorporated",
        "llc",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "company",
        "gmbh",
        "plc",
        "ag",
        "sa",
        "bv",
    ];
    let mut words = Words::split(name);
    while words.len() > 1 && words.last().is_some_and(|w| LEGAL.contains(&w.as_str())) {
        words.pop();
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// The longest roster term matched, in words.
const MAX_TERM_WORDS: usize = 5;

/// A text's words (lower-case letters and digits) and every run of up to [`MAX_TERM_WORDS`]
/// consecutive words, so a roster term is found in one lookup whatever the text's length.
struct Words {
    runs: HashSet<String>,
}

impl Words {
    fn split(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    fn of(text: &str) -> Words {
        let words = Words::split(text);
        let mut runs = HashSet::new();
        for start in 0..words.len() {
            let mut run = String::new();
            for word in words.iter().skip(start).take(MAX_TERM_WORDS) {
                if !run.is_empty() {
                    run.push(' ');
                }
                run.push_str(word);
                runs.insert(run.clone());
            }
        }
        Words { runs }
    }

    /// Whether `term` occurs as whole words (case does not matter).
    fn has(&self, term: &str) -> bool {
        let words = Words::split(term);
        !words.is_empty() && self.runs.contains(&words.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companies_compare_without_case_punctuation_or_legal_form() {
        assert_eq!(company_key("Acme Corp.").as_deref(), Some("acme"));
        assert_eq!(company_key("ACME  corp").as_deref(), Some("acme"));
        assert_eq!(
            company_key("Brightline Insurance Brokers, Inc").as_deref(),
            Some("brightline insurance brokers")
        );
        assert_eq!(company_key("Co").as_deref(), Some("co"));
        assert_eq!(company_key("TBD"), None);
        assert_eq!(company_key("--"), None);
    }

    #[test]
    fn terms_match_whole_words() {
        let words = Words::of("Hartford, CT; Platform and the Analytics add-on");
        assert!(words.has("ct"));
        assert!(words.has("Analytics Add-on"));
        assert!(words.has("hartford"));
        assert!(!words.has("Hart"));
        assert!(!words.has(""));
        assert!(!words.has("analytics platform"));
    }
}
