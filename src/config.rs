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
            default_currency: None,
        }
    }
}

impl Config {
    /// Reads `handoff.toml` under `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(err) => return Err(Error::io(path, "cannot read the configuration", err)),
        };
        Config::parse(&text).map_err(|message| Error::Config { path, message })
    }

    /// Parses the text of a config file; the error says where and what to fix.
    pub fn parse(text: &str) -> std::result::Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|err| {
            let line = err
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            let detail = err.message().trim().to_string();
            match line {
                Some(line) => format!("line {line}: {detail}"),
                None => detail,
            }
        })?;
        if let Some(threshold) = config.threshold {
            if threshold > 100 {
                return Err(format!(
                    "threshold = {threshold}: a score is 0-100; set a threshold between 0 and 100"
                ));
            }
        }
        if Path::new(&config.handoffs_dir).is_absolute() || config.handoffs_dir.contains("..") {
            return Err(format!(
                "handoffs_dir = {:?}: give a folder inside the repository, e.g. \"handoffs\"",
                config.handoffs_dir
            ));
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

/// Finds the repository root from `start`: the nearest ancestor holding `handoff.toml` or a
/// `.git` entry; `start` itself when there is none (a plain folder of handoffs works too).
pub fn find_root(start: &Path) -> PathBuf {
    for dir in start.ancestors() {
        if dir.join(CONFIG_FILE).is_file() || dir.join(".git").exists() {
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
        assert!(err.starts_with("line 2:"), "{err}");
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
    fn threshold_over_100_is_rejected() {
        assert!(Config::parse("threshold = 101").is_err());
    }
}
