//! The mapping from exports to handoff fields, as data: `crm/hubspot.yaml`,
//! `crm/salesforce.yaml` (per handoff type, which handoff path comes from which record and
//! property, and how it is written; the role maps) and `crm/gong.yaml` (which call sentences
//! become candidates under which field). The binary embeds the defaults; a repository's own
//! `crm/NAME.yaml` is read instead, whole (like playbooks). A broken file is an
//! [`Error::Asset`] naming the file and line.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::export::Vendor;
use crate::error::{Error, Result};
use crate::playbook::HANDOFF_TYPES;

/// The defaults compiled into the binary.
pub mod embedded {
    /// `crm/hubspot.yaml`.
    pub static HUBSPOT: &str = include_str!("../../crm/hubspot.yaml");
    /// `crm/salesforce.yaml`.
    pub static SALESFORCE: &str = include_str!("../../crm/salesforce.yaml");
    /// `crm/gong.yaml`.
    pub static GONG: &str = include_str!("../../crm/gong.yaml");
}

/// Largest mapping file read (a mapping is a few kilobytes).
const MAX_MAPPING_SIZE: u64 = 256 * 1024;

/// One or several values in YAML (`from: deal.amount` or `from: [a, b]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// How a value is written into the handoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// The text as the export has it.
    Text,
    /// A number >= 0 (`"48000.00"` → 48000).
    Number,
    /// A whole number >= 0.
    Integer,
    /// A date: the UTC day of a timestamp, or the date as written.
    Date,
    /// A number of months: `12`, `P12M`, `P1Y`.
    Months,
    /// `850` → `850 employees`.
    Employees,
    /// `LOGISTICS_AND_SUPPLY_CHAIN` → `Logistics and supply chain`; other text as it is.
    Enum,
    /// Every source that answers, joined with `, `.
    Join,
    /// An ISO 4217 code (`usd` → `USD`).
    Currency,
    /// A contact as `{name, title, email}`.
    Person,
    /// Every contact as `{name, title, role, email}`.
    People,
    /// Line items as `name × quantity`, then the deal's description.
    Bought,
    /// `COMPANY — playbook title`.
    Title,
    /// The deal owner, found in the roster: `{name, role, email}`.
    Owner,
}

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A property of the deal.
    Deal(String),
    /// A property of the primary company.
    Company(String),
    /// The first contact with this role (`first`: the first contact), or one of its properties.
    Contact(String, Option<String>),
    /// Every associated contact.
    Contacts,
    /// Every line item, or the first line item's property.
    LineItems(Option<String>),
    /// A key of `handoff.toml`.
    Config(String),
    /// The deal owner, through the roster.
    Owner,
}

/// The roles the contact role maps can name (plus `first` in sources).
pub const ROLES: [&str; 5] = [
    "primary",
    "champion",
    "executive_sponsor",
    "technical_lead",
    "blocker",
];

impl Source {
    fn parse(text: &str) -> std::result::Result<Source, String> {
        let text = text.trim();
        if text == "contacts" {
            return Ok(Source::Contacts);
        }
        if text == "owner" {
            return Ok(Source::Owner);
        }
        if text == "line_items" {
            return Ok(Source::LineItems(None));
        }
        if let Some(rest) = text.strip_prefix("contact(") {
            let (role, after) = rest.split_once(')').ok_or_else(|| {
                format!("`{text}`: close the role with `)`, e.g. contact(champion)")
            })?;
            let role = role.trim();
            if role != "first" && !ROLES.contains(&role) {
                return Err(format!(
                    "`{text}`: no role `{role}`; use first, {}",
                    ROLES.join(", ")
                ));
            }
            let property = match after {
                "" => None,
                _ => Some(
                    after
                        .strip_prefix('.')
                        .filter(|p| !p.is_empty())
                        .ok_or_else(|| format!("`{text}`: write contact(ROLE).PROPERTY"))?
                        .to_string(),
                ),
            };
            return Ok(Source::Contact(role.to_string(), property));
        }
        let (record, property) = text.split_once('.').ok_or_else(|| {
            format!("`{text}`: write RECORD.PROPERTY, e.g. deal.amount or company.name")
        })?;
        if property.is_empty() {
            return Err(format!("`{text}`: the property name is missing"));
        }
        let property = property.to_string();
        match record {
            "deal" => Ok(Source::Deal(property)),
            "company" => Ok(Source::Company(property)),
            "line_items" => Ok(Source::LineItems(Some(property))),
            "config" if property == "default_currency" => Ok(Source::Config(property)),
            "config" => Err(format!(
                "`{text}`: the only configuration key a mapping reads is config.default_currency"
            )),
            _ => Err(format!(
                "`{text}`: no record `{record}`; use deal, company, contact(ROLE), contacts, line_items, config or owner"
            )),
        }
    }

    /// What an inferred fallback is called in the report and the provenance.
    pub fn inferred_label(&self) -> String {
        match self {
            Source::Contact(role, _) if role == "first" => "first contact".to_string(),
            Source::Contact(role, _) => format!("{} contact", role.replace('_', " ")),
            Source::Deal(p) => format!("deal {p}"),
            Source::Company(p) => format!("company {p}"),
            Source::Contacts => "contacts".into(),
            Source::LineItems(_) => "line items".into(),
            Source::Config(key) => format!("config {key}"),
            Source::Owner => "owner".into(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    path: String,
    from: Option<OneOrMany>,
    #[serde(default)]
    inferred: Vec<String>,
    #[serde(rename = "as")]
    how: Option<How>,
    value: Option<String>,
    when: Option<When>,
}

/// A condition on a constant value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum When {
    /// Only for a won deal.
    Won,
    /// Only for a deal not won (yet): an open deal's close date is its expected close.
    Open,
}

/// One handoff field and where its value comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Dotted handoff path (`deal.amount`).
    pub path: String,
    /// Sources, tried in order (`join` and `bought` use them all).
    pub from: Vec<Source>,
    /// Fallbacks whose answer is marked inferred.
    pub inferred: Vec<Source>,
    /// How the value is written.
    pub how: How,
    /// A constant instead of a source's value.
    pub value: Option<String>,
    /// When the constant applies.
    pub when: Option<When>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VendorFile {
    vendor: String,
    records: RecordNames,
    won: WonRule,
    owner: OwnerKeys,
    person: PersonKeys,
    line_items: LineItemKeys,
    companies: Companies,
    contacts: ContactRoles,
    types: BTreeMap<String, Vec<RuleFile>>,
}

/// Record kinds as citations name them (`deal`, `opportunity`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordNames {
    /// The deal.
    pub deal: String,
    /// A company.
    pub company: String,
    /// A contact.
    pub contact: String,
    /// A line item.
    pub line_item: String,
}

/// When a deal counts as won.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WonRule {
    /// Deal properties to look at.
    pub properties: Vec<String>,
    /// Values (case-insensitive) that mean won.
    pub values: Vec<String>,
}

/// The deal properties naming its owner.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerKeys {
    /// Owner id properties (matched against the roster's `hubspot_owner_id` / `crm_owner_id`).
    #[serde(default)]
    pub id: Vec<String>,
    /// Owner email properties (matched against the roster's `email`).
    #[serde(default)]
    pub email: Vec<String>,
}

/// How a contact reads as a person: alternatives, each one property or several joined with
/// spaces (`firstname lastname`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonKeys {
    /// The name.
    pub name: Vec<String>,
    /// The job title.
    #[serde(default)]
    pub title: Vec<String>,
    /// The email.
    #[serde(default)]
    pub email: Vec<String>,
}

/// How a line item reads in `deal.bought`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineItemKeys {
    /// The product's name.
    pub name: Vec<String>,
    /// The quantity.
    #[serde(default)]
    pub quantity: Vec<String>,
}

/// Which company is the primary one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Companies {
    /// Association labels, in order of preference.
    pub primary: Vec<String>,
}

/// Contact role maps.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRoles {
    /// Association label → role.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// A contact property holding roles (`;`-joined).
    pub property: Option<String>,
    /// That property's values → role.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// A CRM vendor's mapping, checked.
#[derive(Debug, Clone)]
pub struct VendorMapping {
    /// Where it was read from (`crm/hubspot.yaml`, or "… (embedded default)").
    pub origin: String,
    /// The vendor's name in citations.
    pub vendor: String,
    /// Record kinds in citations.
    pub records: RecordNames,
    /// When a deal is won.
    pub won: WonRule,
    /// The owner's properties.
    pub owner: OwnerKeys,
    /// Contact → person.
    pub person: PersonKeys,
    /// Line item → text.
    pub line_items: LineItemKeys,
    /// The primary company.
    pub companies: Companies,
    /// Contact roles.
    pub contacts: ContactRoles,
    /// Per handoff type, its rules in file order.
    pub types: BTreeMap<String, Vec<Rule>>,
}

/// The line of the first occurrence of `needle` in `text` (1-based), for errors about values
/// the YAML parser accepted.
fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.find(needle)
        .map(|offset| text[..offset].matches('\n').count() + 1)
}

fn asset_error(origin: &str, text: &str, needle: &str, message: String) -> Error {
    let message = match line_of(text, needle) {
        Some(line) => format!("line {line}: {message}"),
        None => message,
    };
    Error::Asset {
        path: origin.to_string(),
        message,
    }
}

impl VendorMapping {
    /// Parses and checks a vendor mapping; `origin` names the file in errors.
    pub fn parse(origin: &str, text: &str) -> Result<VendorMapping> {
        let file: VendorFile =
            crate::document::from_yaml(text, origin).map_err(|err| Error::Asset {
                path: origin.to_string(),
                message: format!(
                    "not a valid CRM mapping (see the comments of the embedded default, `docs/crm-hubspot.md`): {}",
                    err.located()
                ),
            })?;
        let fail = |needle: &str, message: String| asset_error(origin, text, needle, message);
        for (label, role) in file.contacts.labels.iter().chain(&file.contacts.values) {
            if !ROLES.contains(&role.as_str()) {
                return Err(fail(
                    &format!("{label}: {role}"),
                    format!(
                        "`{label}: {role}`: no role `{role}`; use one of {}",
                        ROLES.join(", ")
                    ),
                ));
            }
        }
        let mut types = BTreeMap::new();
        for (handoff_type, rules) in file.types {
            if !HANDOFF_TYPES.contains(&handoff_type.as_str()) {
                return Err(fail(
                    &format!("{handoff_type}:"),
                    format!(
                        "`{handoff_type}` is not a handoff type; use one of {}",
                        HANDOFF_TYPES.join(", ")
                    ),
                ));
            }
            let mut checked = Vec::new();
            for rule in rules {
                checked.push(check_rule(rule, &fail)?);
            }
            types.insert(handoff_type, checked);
        }
        Ok(VendorMapping {
            origin: origin.to_string(),
            vendor: file.vendor,
            records: file.records,
            won: file.won,
            owner: file.owner,
            person: file.person,
            line_items: file.line_items,
            companies: file.companies,
            contacts: file.contacts,
            types,
        })
    }

    /// The rules for a handoff type (none when the mapping does not name it).
    pub fn rules(&self, handoff_type: &str) -> &[Rule] {
        self.types
            .get(handoff_type)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

fn check_rule(rule: RuleFile, fail: &dyn Fn(&str, String) -> Error) -> Result<Rule> {
    let path = rule.path.trim().to_string();
    let anchor = format!("path: {}", rule.path);
    if path.is_empty() || path.split('.').any(|segment| segment.trim().is_empty()) {
        return Err(fail(
            &anchor,
            format!(
                "path `{}`: write a dotted handoff path such as deal.amount",
                rule.path
            ),
        ));
    }
    let parse_all = |texts: Vec<String>| -> Result<Vec<Source>> {
        texts
            .iter()
            .map(|t| Source::parse(t).map_err(|message| fail(t, format!("{path}: {message}"))))
            .collect()
    };
    let from = parse_all(rule.from.map(OneOrMany::into_vec).unwrap_or_default())?;
    let inferred = parse_all(rule.inferred)?;
    let how = rule.how.unwrap_or(How::Text);
    if rule.value.is_none() && from.is_empty() {
        return Err(fail(
            &anchor,
            format!("{path}: give `from` (where the value comes from) or `value`"),
        ));
    }
    if rule.value.is_none() {
        for source in from.iter().chain(&inferred) {
            let fits = match how {
                How::Person => matches!(source, Source::Contact(_, None)),
                How::People => matches!(source, Source::Contacts),
                How::Owner => matches!(source, Source::Owner),
                How::Bought => matches!(
                    source,
                    Source::LineItems(None) | Source::Deal(_) | Source::LineItems(Some(_))
                ),
                _ => !matches!(
                    source,
                    Source::Contact(_, None)
                        | Source::Contacts
                        | Source::Owner
                        | Source::LineItems(None)
                ),
            };
            if !fits {
                return Err(fail(
                    &anchor,
                    format!(
                        "{path}: `as: {}` cannot be written from {source:?}; person takes contact(ROLE), people takes contacts, owner takes owner, and the others a RECORD.PROPERTY",
                        format!("{how:?}").to_lowercase()
                    ),
                ));
            }
        }
    }
    Ok(Rule {
        path,
        from,
        inferred,
        how,
        value: rule.value,
        when: rule.when,
    })
}

/// The Gong rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GongMapping {
    /// Where it was read from (set after parsing).
    #[serde(skip)]
    pub origin: String,
    /// Gong topic → candidate kind.
    #[serde(default)]
    pub topics: BTreeMap<String, CandidateKind>,
    /// Words that make a sentence a goal.
    #[serde(default)]
    pub goal_words: Vec<String>,
    /// At most this many candidates per field.
    #[serde(default = "default_max_per_field")]
    pub max_per_field: usize,
    /// Per handoff type, where each kind goes.
    #[serde(default)]
    pub types: BTreeMap<String, GongTargets>,
}

fn default_max_per_field() -> usize {
    5
}

/// What a call sentence or party can be a candidate for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CandidateKind {
    /// An objection or worry.
    Concerns,
    /// A goal in the customer's words.
    Goals,
    /// A measurable goal (numbers, dates).
    Numbers,
    /// A person on the customer's side.
    Stakeholders,
}

/// Per handoff type, the field each kind of candidate is written under.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GongTargets {
    /// Concerns and objections.
    pub concerns: Option<String>,
    /// Goals.
    pub goals: Option<String>,
    /// Measurable goals.
    pub numbers: Option<String>,
    /// External parties with a title.
    pub stakeholders: Option<String>,
}

impl GongTargets {
    /// The field for a kind.
    pub fn target(&self, kind: CandidateKind) -> Option<&str> {
        match kind {
            CandidateKind::Concerns => self.concerns.as_deref(),
            CandidateKind::Goals => self.goals.as_deref(),
            CandidateKind::Numbers => self.numbers.as_deref(),
            CandidateKind::Stakeholders => self.stakeholders.as_deref(),
        }
    }
}

impl GongMapping {
    /// Parses and checks the Gong rules.
    pub fn parse(origin: &str, text: &str) -> Result<GongMapping> {
        let mut mapping: GongMapping =
            crate::document::from_yaml(text, origin).map_err(|err| Error::Asset {
                path: origin.to_string(),
                message: format!(
                    "not a valid Gong mapping (see `docs/crm-gong.md`): {}",
                    err.located()
                ),
            })?;
        for handoff_type in mapping.types.keys() {
            if !HANDOFF_TYPES.contains(&handoff_type.as_str()) {
                return Err(asset_error(
                    origin,
                    text,
                    &format!("{handoff_type}:"),
                    format!(
                        "`{handoff_type}` is not a handoff type; use one of {}",
                        HANDOFF_TYPES.join(", ")
                    ),
                ));
            }
        }
        mapping.origin = origin.to_string();
        Ok(mapping)
    }
}

/// Reads `crm/NAME` under `root` through the confined reader (no links, regular files only,
/// size cap), or the embedded default: (origin, text).
fn layered(root: &Path, name: &str, embedded: &str) -> Result<(String, String)> {
    let relative = Path::new("crm").join(name);
    match crate::repo::asset::read_capped(root, &relative, MAX_MAPPING_SIZE)? {
        Some(text) => Ok((format!("crm/{name}"), text)),
        None => Ok((
            format!("crm/{name} (embedded default)"),
            embedded.to_string(),
        )),
    }
}

/// The mapping for a CRM vendor (`None` for Gong, which has [`load_gong`]).
pub fn load_vendor(root: &Path, vendor: Vendor) -> Result<Option<VendorMapping>> {
    let (name, embedded) = match vendor {
        Vendor::HubSpot => ("hubspot.yaml", embedded::HUBSPOT),
        Vendor::Salesforce => ("salesforce.yaml", embedded::SALESFORCE),
        Vendor::Gong => return Ok(None),
    };
    let (origin, text) = layered(root, name, embedded)?;
    VendorMapping::parse(&origin, &text).map(Some)
}

/// The Gong rules.
pub fn load_gong(root: &Path) -> Result<GongMapping> {
    let (origin, text) = layered(root, "gong.yaml", embedded::GONG)?;
    GongMapping::parse(&origin, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_mappings_parse() {
        let hubspot = VendorMapping::parse("crm/hubspot.yaml", embedded::HUBSPOT).unwrap();
        assert_eq!(hubspot.vendor, "HubSpot");
        for handoff_type in HANDOFF_TYPES {
            assert!(!hubspot.rules(handoff_type).is_empty(), "{handoff_type}");
        }
        let salesforce = VendorMapping::parse("crm/salesforce.yaml", embedded::SALESFORCE).unwrap();
        assert_eq!(salesforce.records.deal, "opportunity");
        let gong = GongMapping::parse("crm/gong.yaml", embedded::GONG).unwrap();
        assert_eq!(gong.topics["Objections"], CandidateKind::Concerns);
        assert_eq!(gong.types.len(), 5);
    }

    /// Whether a dotted path names a property in a type's schema (following `$ref`s).
    fn in_schema(handoff_type: &str, path: &str) -> bool {
        let schemas: BTreeMap<&str, serde_json::Value> = crate::repo::embedded::SCHEMAS
            .iter()
            .map(|(name, text)| (*name, serde_json::from_str(text).unwrap()))
            .collect();
        let file = format!("{handoff_type}.json");
        let mut doc = file.as_str();
        let mut node = &schemas[doc];
        for key in path.split('.') {
            while let Some(reference) = node.get("$ref").and_then(|r| r.as_str()) {
                let (target, pointer) = reference.split_once('#').unwrap();
                if !target.is_empty() {
                    doc = schemas.get_key_value(target).unwrap().0;
                }
                node = schemas[doc].pointer(pointer).unwrap();
            }
            match node.get("properties").and_then(|p| p.get(key)) {
                Some(child) => node = child,
                None => return false,
            }
        }
        true
    }

    #[test]
    fn every_embedded_path_is_in_its_schema() {
        for (origin, text) in [
            ("crm/hubspot.yaml", embedded::HUBSPOT),
            ("crm/salesforce.yaml", embedded::SALESFORCE),
        ] {
            let mapping = VendorMapping::parse(origin, text).unwrap();
            for (handoff_type, rules) in &mapping.types {
                for rule in rules {
                    assert!(
                        in_schema(handoff_type, &rule.path),
                        "{origin} {handoff_type} {}",
                        rule.path
                    );
                }
            }
        }
        let gong = GongMapping::parse("crm/gong.yaml", embedded::GONG).unwrap();
        for (handoff_type, targets) in &gong.types {
            for kind in [
                CandidateKind::Concerns,
                CandidateKind::Goals,
                CandidateKind::Numbers,
                CandidateKind::Stakeholders,
            ] {
                if let Some(path) = targets.target(kind) {
                    assert!(in_schema(handoff_type, path), "gong {handoff_type} {path}");
                }
            }
        }
        assert!(!in_schema("sales-cs", "deal.Amount"));
    }

    #[test]
    fn sources_parse() {
        assert_eq!(
            Source::parse("deal.amount").unwrap(),
            Source::Deal("amount".into())
        );
        assert_eq!(
            Source::parse("contact(champion)").unwrap(),
            Source::Contact("champion".into(), None)
        );
        assert_eq!(
            Source::parse("contact(first).email").unwrap(),
            Source::Contact("first".into(), Some("email".into()))
        );
        assert_eq!(
            Source::parse("line_items.name").unwrap(),
            Source::LineItems(Some("name".into()))
        );
        for bad in [
            "amount",
            "deal.",
            "contact(boss)",
            "contact(first",
            "config.x",
            "x.y",
        ] {
            assert!(Source::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_broken_mapping_names_its_line() {
        let text = embedded::HUBSPOT.replace("from: company.industry", "from: compny.industry");
        let err = VendorMapping::parse("crm/hubspot.yaml", &text).unwrap_err();
        let message = err.to_string();
        let line = text
            .lines()
            .position(|l| l.contains("compny.industry"))
            .unwrap()
            + 1;
        assert!(message.starts_with("crm/hubspot.yaml: line "), "{message}");
        assert!(message.contains(&format!("line {line}:")), "{message}");
        assert!(message.contains("no record `compny`"), "{message}");

        let err = VendorMapping::parse("crm/hubspot.yaml", "vendor: HubSpot\nrecordz: 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");

        let text = embedded::HUBSPOT.replace("CHAMPION: champion", "CHAMPION: hero");
        let err = VendorMapping::parse("crm/hubspot.yaml", &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no role `hero`"), "{err}");

        let text = embedded::HUBSPOT.replace("as: employees", "as: employes");
        let err = VendorMapping::parse("crm/hubspot.yaml", &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("line "), "{err}");
    }
}
