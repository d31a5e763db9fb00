//! Repository configuration: finding the repository root, reading `handoff.toml`, and the
//! defaults that apply when it is absent. Settings from the command line are layered on top by
//! the commands themselves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::error::{Error, Result};

/// Name of the repository configuration file, at the repository root.
pub const CONFIG_FILE: &str = "handoff.toml";

/// Default cap on a handoff file's size: YAML parsers use tens of times the input in memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// Default gate threshold (the seeds: "handoffs below 70 get flagged").
pub const DEFAULT_THRESHOLD: u32 = 70;

/// Default age, in days, after which a draft is stale (the seeds' 30-day expiry).
pub const DEFAULT_STALE_DRAFT_DAYS: u32 = 30;

/// What a rule is set to in `[rules]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    /// The rule does not run.
    Off,
    /// Report as info.
    Info,
    /// Report as warning.
    Warning,
    /// Report as error (fails the gate).
    Error,
}

impl RuleSetting {
    /// The severity this setting maps to, or `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleSetting::Off => None,
            RuleSetting::Info => Some(Severity::Info),
            RuleSetting::Warning => Some(Severity::Warning),
            RuleSetting::Error => Some(Severity::Error),
        }
    }
}

/// The contents of `handoff.toml`. Every key is optional.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Gate threshold for every type (overrides the playbooks' own; `--threshold` overrides it).
    pub threshold: Option<u32>,
    /// Folder holding the handoffs, relative to the root.
    #[serde(default = "default_handoffs_dir")]
    pub handoffs_dir: String,
    /// Largest handoff file accepted, in bytes.
    #[serde(default = "default_max_file_size")]
    pub max_file_size: u64,
    /// Days after its trigger date that a draft is reported stale.
    #[serde(default = "default_stale_draft_days")]
    pub stale_draft_days: u32,
    /// The roster of people who can send and receive handoffs, relative to the root.
    #[serde(default = "default_roster")]
    pub roster: String,
    /// Per-rule severity overrides, by code (`HO301`) or name (`unmeasurable-criteria`).
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
    /// The currency of deals whose export names none (ISO 4217, e.g. `USD`), for pre-fill.
    pub default_currency: Option<String>,
    /// Under `--changed-since`, a changed handoff still `status: draft` is blocked (HO105).
    #[serde(default = "default_block_drafts")]
    pub block_drafts: bool,
    /// The routing strategies `handoff route` applies, in order, for playbooks that list none.
    pub routing: Option<Vec<crate::playbook::routing::Strategy>>,
}

fn default_block_drafts() -> bool {
    true
}

fn default_handoffs_dir() -> String {
    "handoffs".to_string()
}
fn default_max_file_size() -> u64 {
    DEFAULT_MAX_FILE_SIZE
}
fn default_stale_draft_days() -> u32 {
    DEFAULT_STALE_DRAFT_DAYS
}
fn default_roster() -> String {
    "roster.yaml".to_string()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            threshold: None,
            handoffs_dir: default_handoffs_dir(),
            max_file_size: default_max_file_size(),
            stale_draft_days: default_stale_draft_days(),
            roster: default_roster(),
            rules: BTreeMap::new(),
            block_drafts: default_block_drafts(),
            default_currency: None,
            routing: None,
        }
    }
}

impl Config {
    /// Reads `handoff.toml` under `root` (through the confined asset reader), or the defaults
    /// when there is none.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let Some(text) = crate::repo::asset::read(root, Path::new(CONFIG_FILE))? else {
            return Ok(Config::default());
        };
        Config::parse(&text).map_err(|message| Error::Config { path, message })
    }

    /// Parses the text of a config file; the error says where (line and column) and what to
    /// fix, and never quotes a value of the file (the `toml` crate's own message quotes the
    /// source line, and serde's quotes values).
    pub fn parse(text: &str) -> std::result::Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|err| {
            let detail = crate::repo::asset::value_free(err.message().trim());
            match err.span() {
                Some(span) => format!("{}: {detail}", position(text, span.start)),
                None => detail,
            }
        })?;
        if let Some(threshold) = config.threshold {
            if threshold > 100 {
                return Err(format!(
                    "{}threshold = {threshold}: a score is 0-100; set a threshold between 0 and 100",
                    key_position(text, "threshold")
                ));
            }
        }
        for (key, value) in [
            ("handoffs_dir", &config.handoffs_dir),
            ("roster", &config.roster),
        ] {
            if crate::repo::asset::normalise(Path::new(value)).is_none() {
                return Err(format!(
                    "{}{key}: the path leaves the repository (it is absolute, or `..` climbs \
                     above the root); give a path relative to the repository root, e.g. \
                     \"{}\"",
                    key_position(text, key),
                    match key {
                        "roster" => default_roster(),
                        _ => default_handoffs_dir(),
                    }
                ));
            }
        }
        if let Some(currency) = &config.default_currency {
            if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(format!(
                    "default_currency = {currency:?}: write an ISO 4217 code in capitals, e.g. \"USD\""
                ));
            }
        }
        Ok(config)
    }
}

/// `line L, column C` of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> String {
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        + 1;
    format!("line {line}, column {column}")
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `line L, column C: ` where top-level `key` is set, or nothing when it cannot be found.
fn key_position(text: &str, key: &str) -> String {
    #[derive(Deserialize)]
    struct Keys {
        threshold: Option<toml::Spanned<toml::Value>>,
        handoffs_dir: Option<toml::Spanned<toml::Value>>,
        roster: Option<toml::Spanned<toml::Value>>,
    }
    let Ok(keys) = toml::from_str::<Keys>(text) else {
        return String::new();
    };
    let spanned = match key {
        "threshold" => keys.threshold,
        "handoffs_dir" => keys.handoffs_dir,
        "roster" => keys.roster,
        _ => None,
    };
    spanned.map_or(String::new(), |value| {
        format!("{}: ", position(text, value.span().start))
    })
}

/// Finds the repository root from `start`: the nearest ancestor holding `handoff.toml` or a
/// `.git` entry; `start` itself when there is none (a plain folder of handoffs works too).
pub fn find_root(start: &Path) -> PathBuf {
    // `GIT_WORK_TREE` names the top of the work tree, as for git (its `.git` is elsewhere).
    let work_tree = std::env::var_os("GIT_WORK_TREE")
        .filter(|value| !value.is_empty())
        .and_then(|value| std::fs::canonicalize(start.join(value)).ok());
    for dir in start.ancestors() {
        if dir.join(CONFIG_FILE).is_file()
            || dir.join(".git").exists()
            || work_tree
                .as_deref()
                .is_some_and(|top| std::fs::canonicalize(dir).is_ok_and(|d| d == top))
        {
            return dir.to_path_buf();
        }
    }
    start.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let config = Config::parse("").unwrap();
        assert_eq!(config.handoffs_dir, "handoffs");
        assert_eq!(config.max_file_size, DEFAULT_MAX_FILE_SIZE);
        assert_eq!(config.threshold, None);
    }

    #[test]
    fn unknown_keys_are_rejected_with_their_line() {
        let err = Config::parse("threshold = 70\nthreshhold = 80\n").unwrap_err();
        assert!(err.starts_with("line 2, column 1:"), "{err}");
        assert!(err.contains("threshhold"), "{err}");
    }

    #[test]
    fn rule_settings_parse() {
        let config = Config::parse("[rules]\nHO301 = \"off\"\nroster = \"warning\"\n").unwrap();
        assert_eq!(config.rules["HO301"], RuleSetting::Off);
        assert_eq!(config.rules["roster"], RuleSetting::Warning);
    }

    #[test]
    fn default_currency_is_an_iso_code() {
        assert_eq!(
            Config::parse("default_currency = \"EUR\"")
                .unwrap()
                .default_currency
                .as_deref(),
            Some("EUR")
        );
        assert!(Config::parse("default_currency = \"euro\"").is_err());
    }

    #[test]
    fn paths_outside_the_root_are_refused_with_their_line_and_no_value() {
        for (text, line) in [
            ("threshold = 70\nroster = \"/etc/passwd\"\n", 2),
            ("handoffs_dir = \"a/../../x\"\n", 1),
            ("\n\nroster = \"../../home/u/.git-credentials\"\n", 3),
        ] {
            let err = Config::parse(text).unwrap_err();
            assert!(err.starts_with(&format!("line {line}, column ")), "{err}");
            assert!(err.contains("leaves the repository"), "{err}");
            assert!(
                !err.contains("passwd") && !err.contains("credentials"),
                "{err}"
            );
        }
        assert!(Config::parse("handoffs_dir = \"a/../b\"\nroster = \"./people.yaml\"\n").is_ok());
    }

    #[test]
    fn toml_errors_quote_no_value() {
        let err = Config::parse("threshold = \"ghp_secret\"\n").unwrap_err();
        assert!(err.starts_with("line 1, column 13:"), "{err}");
        assert!(!err.contains("ghp_secret"), "{err}");
        let err = Config::parse("roster = \"x\"\nhunter2 hunter2\n").unwrap_err();
        assert!(err.starts_with("line 2,"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn threshold_over_100_is_rejected() {
        assert!(Config::parse("threshold = 101").is_err());
    }
}
