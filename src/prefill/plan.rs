//! One deal through a vendor mapping: the values its export answers for a handoff type, each
//! with its citation (`HubSpot deal 9001001 · amount`) and, for a fallback, why it is inferred.
//! Pure: plain records, the mapping, the roster and the configuration in; a [`Plan`] out.
//! Nothing is guessed: a rule whose sources are empty stays unanswered.

use serde_json::{Map, Value};

use super::export::{Associated, Deal, Record};
use super::mapping::{How, Rule, Source, VendorMapping, When};
use crate::roster::Roster;

/// A value to write at a handoff path.
#[derive(Debug, Clone, PartialEq)]
pub struct Fill {
    /// Dotted handoff path (`deal.amount`, `customer.primary_contact`).
    pub path: String,
    /// The value (a string, number, `{name, title, email}`, or a list of people).
    pub value: Value,
    /// Where it came from.
    pub citation: String,
    /// Why it is a guess (`first contact`), for fallbacks.
    pub inferred: Option<String>,
    /// Whether a different written value is worth reporting (not for the title, which a
    /// person words as they like).
    pub compare: bool,
}

impl Fill {
    /// The provenance entry: the citation, with `(inferred: …)` for a fallback.
    pub fn provenance(&self) -> String {
        match &self.inferred {
            Some(why) => format!("{} (inferred: {why})", self.citation),
            None => self.citation.clone(),
        }
    }
}

/// What one deal answers for one handoff type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// The deal's citation (`HubSpot deal 9001001`), also its `sources` entry after `CRM: `.
    pub deal: String,
    /// The fields the mapping names for the type.
    pub fields: usize,
    /// The values found, in mapping order.
    pub fills: Vec<Fill>,
    /// The fields the export could not answer.
    pub unanswered: Vec<String>,
    /// Whether the deal is won (`None`: the export does not say).
    pub won: Option<bool>,
    /// The primary company's name, for the file name.
    pub company: Option<String>,
    /// The deal's name.
    pub deal_name: Option<String>,
    /// Things the reader should know (a deal not won, an owner not in the roster).
    pub warnings: Vec<String>,
    /// Email addresses of the deal's contacts (to match calls to deals).
    pub contact_emails: Vec<String>,
}

/// What a plan needs besides the deal and the vendor's mapping.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The handoff type.
    pub handoff_type: &'a str,
    /// The type's playbook title (`Sales → CS handoff`), for `as: title`.
    pub playbook_title: &'a str,
    /// The playbook's sender role (`AE`), for `as: owner` when the roster names none.
    pub from_role: Option<&'a str>,
    /// The roster, when the repository has one.
    pub roster: Option<&'a Roster>,
    /// `default_currency` in `handoff.toml`.
    pub default_currency: Option<&'a str>,
    /// The roster file's name, for messages.
    pub roster_path: &'a str,
}

/// A value and where it came from.
struct Answer {
    value: Value,
    citation: String,
}

struct Deals<'a> {
    deal: &'a Deal,
    mapping: &'a VendorMapping,
    context: &'a Context<'a>,
    company: Option<&'a Associated>,
}

/// Applies the mapping's rules for the context's type to `deal`.
pub fn plan(deal: &Deal, mapping: &VendorMapping, context: &Context) -> Plan {
    let deals = Deals {
        deal,
        mapping,
        context,
        company: primary_company(deal, mapping),
    };
    let won = is_won(&deal.record, mapping);
    let mut plan = Plan {
        deal: format!(
            "{} {} {}",
            mapping.vendor,
            mapping.records.deal,
            clean(&deal.record.id)
        ),
        won,
        company: deals
            .company
            .and_then(|c| c.record.get("name").or_else(|| c.record.get("Name")))
            .map(clean),
        deal_name: deal
            .record
            .get("dealname")
            .or_else(|| deal.record.get("Name"))
            .map(clean),
        contact_emails: deal
            .contacts
            .iter()
            .filter_map(|c| first_of(&c.record, &mapping.person.email))
            .map(|(email, _)| email.to_lowercase())
            .collect(),
        ..Plan::default()
    };
    if won == Some(false) {
        plan.warnings.push(format!(
            "{} is not won ({}); pre-filled all the same",
            plan.deal,
            mapping
                .won
                .properties
                .iter()
                .filter_map(|p| deal.record.get(p).map(|v| format!("{p} {}", clean(v))))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if deals.company.is_none() && !deal.companies.is_empty() {
        plan.warnings.push(format!(
            "{}: {} companies and none labelled {}; the company fields are left empty",
            plan.deal,
            deal.companies.len(),
            mapping.companies.primary.join(" or ")
        ));
    }
    let rules = mapping.rules(context.handoff_type);
    plan.fields = rules.len();
    for rule in rules {
        match deals.answer(rule, &mut plan.warnings) {
            Some((answer, inferred)) => plan.fills.push(Fill {
                path: rule.path.clone(),
                value: answer.value,
                citation: answer.citation,
                inferred,
                compare: rule.how != How::Title,
            }),
            None => plan.unanswered.push(rule.path.clone()),
        }
    }
    plan
}

/// Whether the deal is won, by the mapping's `won` rule; `None` when the export has none of
/// its properties.
pub fn is_won(record: &Record, mapping: &VendorMapping) -> Option<bool> {
    let mut seen = false;
    for property in &mapping.won.properties {
        if let Some(value) = record.get(property) {
            seen = true;
            if mapping
                .won
                .values
                .iter()
                .any(|w| w.trim().eq_ignore_ascii_case(value.trim()))
            {
                return Some(true);
            }
        }
    }
    seen.then_some(false)
}

/// The primary company: the first with a preferred label (in the mapping's order), else the
/// only one.
fn primary_company<'a>(deal: &'a Deal, mapping: &VendorMapping) -> Option<&'a Associated> {
    for label in &mapping.companies.primary {
        if let Some(company) = deal.companies.iter().find(|c| {
            c.labels
                .iter()
                .any(|l| l.trim().eq_ignore_ascii_case(label))
        }) {
            return Some(company);
        }
    }
    match deal.companies.as_slice() {
        [only] => Some(only),
        _ => None,
    }
}

/// One line of text: control characters and runs of white space become one space.
pub fn clean(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first alternative that answers: each is one property or several joined by spaces.
fn first_of(record: &Record, alternatives: &[String]) -> Option<(String, Vec<String>)> {
    alternatives.iter().find_map(|alternative| {
        let names: Vec<&str> = alternative.split_whitespace().collect();
        let parts: Vec<(String, String)> = names
            .iter()
            .filter_map(|n| record.get(n).map(|v| (n.to_string(), clean(v))))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if parts.is_empty() {
            return None;
        }
        let text = parts
            .iter()
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Some((text, parts.into_iter().map(|(n, _)| n).collect()))
    })
}

impl Deals<'_> {
    fn vendor(&self) -> &str {
        &self.mapping.vendor
    }

    /// `HubSpot company 5501 · industry`. Ids come from the export: cleaned of control
    /// characters, so a citation is one line of plain text wherever it is printed.
    fn cite(&self, kind: &str, ids: &[&str], properties: &[String]) -> String {
        let ids: Vec<String> = ids.iter().map(|id| clean(id)).collect();
        format!(
            "{} {kind} {} · {}",
            self.vendor(),
            ids.join(", "),
            properties.join(", ")
        )
    }

    fn deal_cite(&self, properties: &[String]) -> String {
        self.cite(
            &self.mapping.records.deal,
            &[self.deal.record.id.as_str()],
            properties,
        )
    }

    /// The rule's value: the first source that answers, then the inferred fallbacks.
    fn answer(&self, rule: &Rule, warnings: &mut Vec<String>) -> Option<(Answer, Option<String>)> {
        let won = is_won(&self.deal.record, self.mapping) == Some(true);
        match rule.when {
            Some(When::Won) if !won => return None,
            Some(When::Open) if won => return None,
            _ => {}
        }
        if let Some(value) = &rule.value {
            let cited: Vec<String> = rule
                .from
                .iter()
                .filter_map(|s| match s {
                    Source::Deal(p) if self.deal.record.get(p).is_some() => Some(p.clone()),
                    _ => None,
                })
                .collect();
            let citation = if cited.is_empty() {
                format!(
                    "{} · mapping {}",
                    self.deal_cite(&[]).trim_end_matches(" · "),
                    self.mapping.origin
                )
            } else {
                self.deal_cite(&cited)
            };
            return Some((
                Answer {
                    value: Value::String(value.clone()),
                    citation,
                },
                None,
            ));
        }
        match rule.how {
            How::Join => return self.join(&rule.from).map(|a| (a, None)),
            How::Bought => return self.bought(&rule.from).map(|a| (a, None)),
            _ => {}
        }
        if let Some(answer) = rule
            .from
            .iter()
            .find_map(|s| self.one(s, rule.how, warnings))
        {
            return Some((answer, None));
        }
        rule.inferred.iter().find_map(|source| {
            self.one(source, rule.how, warnings)
                .map(|answer| (answer, Some(source.inferred_label())))
        })
    }

    fn text_of(&self, source: &Source) -> Option<(String, String)> {
        let records = &self.mapping.records;
        match source {
            Source::Deal(p) => self
                .deal
                .record
                .get(p)
                .map(|v| (clean(v), self.deal_cite(std::slice::from_ref(p)))),
            Source::Company(p) => {
                let company = self.company?;
                company.record.get(p).map(|v| {
                    (
                        clean(v),
                        self.cite(
                            &records.company,
                            &[company.record.id.as_str()],
                            std::slice::from_ref(p),
                        ),
                    )
                })
            }
            Source::Contact(role, Some(p)) => {
                let contact = self.contact(role)?;
                contact.record.get(p).map(|v| {
                    (
                        clean(v),
                        self.cite(
                            &records.contact,
                            &[contact.record.id.as_str()],
                            std::slice::from_ref(p),
                        ),
                    )
                })
            }
            Source::LineItems(Some(p)) => {
                let item = self.deal.line_items.iter().find(|i| i.get(p).is_some())?;
                item.get(p).map(|v| {
                    (
                        clean(v),
                        self.cite(
                            &records.line_item,
                            &[item.id.as_str()],
                            std::slice::from_ref(p),
                        ),
                    )
                })
            }
            Source::Config(key) if key == "default_currency" => self
                .context
                .default_currency
                .map(|c| (c.to_string(), "config · default_currency".to_string())),
            _ => None,
        }
    }

    /// One source's answer, written as `how` says; `None` when it is empty or unusable.
    fn one(&self, source: &Source, how: How, warnings: &mut Vec<String>) -> Option<Answer> {
        match how {
            How::Person => {
                let Source::Contact(role, None) = source else {
                    return None;
                };
                return self.person(self.contact(role)?);
            }
            How::People => return self.people(),
            How::Owner => return self.owner(warnings),
            _ => {}
        }
        let (text, citation) = self.text_of(source)?;
        let value = match how {
            How::Text => Value::String(text),
            How::Number => number(&text)?,
            How::Integer => Value::from(whole(&text)?),
            How::Date => Value::String(date(&text)?.to_string()),
            How::Months => Value::from(months(&text)?),
            How::Employees => Value::String(format!("{} employees", grouped(whole(&text)?))),
            How::Enum => Value::String(humanise(&text)),
            How::Currency => {
                let code = text.trim().to_ascii_uppercase();
                if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
                    return None;
                }
                Value::String(code)
            }
            How::Title => Value::String(format!("{text} — {}", self.context.playbook_title)),
            How::Join | How::Bought | How::Person | How::People | How::Owner => return None,
        };
        Some(Answer { value, citation })
    }

    /// Every source that answers, joined with `, `; one citation per record.
    fn join(&self, sources: &[Source]) -> Option<Answer> {
        let mut parts = Vec::new();
        let mut citations: Vec<(String, Vec<String>)> = Vec::new();
        for source in sources {
            let Some((text, citation)) = self.text_of(source) else {
                continue;
            };
            parts.push(text);
            let (head, property) = citation
                .split_once(" · ")
                .map(|(h, p)| (h.to_string(), p.to_string()))
                .unwrap_or((citation.clone(), String::new()));
            match citations.iter_mut().find(|(h, _)| *h == head) {
                Some((_, properties)) => properties.push(property),
                None => citations.push((head, vec![property])),
            }
        }
        if parts.is_empty() {
            return None;
        }
        Some(Answer {
            value: Value::String(parts.join(", ")),
            citation: citations
                .into_iter()
                .map(|(head, properties)| format!("{head} · {}", properties.join(", ")))
                .collect::<Vec<_>>()
                .join("; "),
        })
    }

    /// Line items as `name × quantity`, then the deal's description.
    fn bought(&self, sources: &[Source]) -> Option<Answer> {
        let mapping = self.mapping;
        let mut texts = Vec::new();
        let mut citations = Vec::new();
        for source in sources {
            match source {
                Source::LineItems(_) => {
                    let mut ids = Vec::new();
                    let mut properties: Vec<String> = Vec::new();
                    let mut items = Vec::new();
                    for item in &self.deal.line_items {
                        let Some((name, used)) = first_of(item, &mapping.line_items.name) else {
                            continue;
                        };
                        ids.push(item.id.as_str());
                        for p in used {
                            if !properties.contains(&p) {
                                properties.push(p);
                            }
                        }
                        match first_of(item, &mapping.line_items.quantity)
                            .and_then(|(q, used)| quantity(&q).map(|q| (q, used)))
                        {
                            Some((quantity, used)) => {
                                for p in used {
                                    if !properties.contains(&p) {
                                        properties.push(p);
                                    }
                                }
                                items.push(format!("{name} × {quantity}"));
                            }
                            None => items.push(name),
                        }
                    }
                    if !items.is_empty() {
                        texts.push(items.join(", "));
                        citations.push(self.cite(&mapping.records.line_item, &ids, &properties));
                    }
                }
                other => {
                    if let Some((text, citation)) = self.text_of(other) {
                        texts.push(text);
                        citations.push(citation);
                    }
                }
            }
        }
        if texts.is_empty() {
            return None;
        }
        let mut value = String::new();
        for text in texts {
            if !value.is_empty() {
                if !value.ends_with(['.', '!', '?']) {
                    value.push('.');
                }
                value.push(' ');
            }
            value.push_str(&text);
        }
        Some(Answer {
            value: Value::String(value),
            citation: citations.join("; "),
        })
    }

    /// The roles a contact has, by the mapping's label and property maps.
    fn roles(&self, contact: &Associated) -> Vec<String> {
        let map = &self.mapping.contacts;
        let mut roles: Vec<String> = Vec::new();
        let mut add = |role: &String| {
            if !roles.contains(role) {
                roles.push(role.clone());
            }
        };
        for label in &contact.labels {
            if let Some((_, role)) = map
                .labels
                .iter()
                .find(|(l, _)| l.trim().eq_ignore_ascii_case(label.trim()))
            {
                add(role);
            }
        }
        if let Some(property) = &map.property {
            if let Some(values) = contact.record.get(property) {
                for value in values.split(';') {
                    if let Some((_, role)) = map
                        .values
                        .iter()
                        .find(|(v, _)| v.trim().eq_ignore_ascii_case(value.trim()))
                    {
                        add(role);
                    }
                }
            }
        }
        roles
    }

    fn contact(&self, role: &str) -> Option<&Associated> {
        if role == "first" {
            return self.deal.contacts.first();
        }
        self.deal
            .contacts
            .iter()
            .find(|c| self.roles(c).iter().any(|r| r == role))
    }

    fn person_value(&self, contact: &Associated) -> Option<(Map<String, Value>, Vec<String>)> {
        let keys = &self.mapping.person;
        let (name, mut used) = first_of(&contact.record, &keys.name)?;
        let mut person = Map::new();
        person.insert("name".into(), Value::String(name));
        if let Some((title, more)) = first_of(&contact.record, &keys.title) {
            person.insert("title".into(), Value::String(title));
            used.extend(more);
        }
        if let Some((email, more)) = first_of(&contact.record, &keys.email) {
            if plausible_email(&email) {
                person.insert("email".into(), Value::String(email));
                used.extend(more);
            }
        }
        Some((person, used))
    }

    fn person(&self, contact: &Associated) -> Option<Answer> {
        let (person, used) = self.person_value(contact)?;
        Some(Answer {
            value: Value::Object(person),
            citation: self.cite(
                &self.mapping.records.contact,
                &[contact.record.id.as_str()],
                &used,
            ),
        })
    }

    /// Every contact with a name, with its roles (or its labels, when no role map names them).
    fn people(&self) -> Option<Answer> {
        let mut people = Vec::new();
        let mut ids = Vec::new();
        let mut properties: Vec<String> = Vec::new();
        for contact in &self.deal.contacts {
            let Some((mut person, used)) = self.person_value(contact) else {
                continue;
            };
            let roles: Vec<String> = self
                .roles(contact)
                .iter()
                .filter(|r| *r != "primary")
                .map(|r| humanise_role(r))
                .collect();
            let labels: Vec<String> = contact
                .labels
                .iter()
                .filter(|l| !l.contains("_to_") && !l.eq_ignore_ascii_case("primary"))
                .map(|l| clean(l))
                .collect();
            let role = if roles.is_empty() { labels } else { roles };
            if !role.is_empty() {
                let email = person.remove("email");
                person.insert("role".into(), Value::String(role.join(", ")));
                if let Some(email) = email {
                    person.insert("email".into(), email);
                }
            }
            people.push(Value::Object(person));
            ids.push(contact.record.id.as_str());
            for p in used {
                if !properties.contains(&p) {
                    properties.push(p);
                }
            }
        }
        if people.is_empty() {
            return None;
        }
        Some(Answer {
            value: Value::Array(people),
            citation: self.cite(&self.mapping.records.contact, &ids, &properties),
        })
    }

    /// The deal owner, when the roster names them.
    fn owner(&self, warnings: &mut Vec<String>) -> Option<Answer> {
        let keys = &self.mapping.owner;
        let record = &self.deal.record;
        let ids: Vec<(&str, &str)> = keys
            .id
            .iter()
            .filter_map(|p| record.get(p).map(|v| (p.as_str(), v)))
            .collect();
        let emails: Vec<(&str, &str)> = keys
            .email
            .iter()
            .filter_map(|p| record.get(p).map(|v| (p.as_str(), v)))
            .collect();
        if ids.is_empty() && emails.is_empty() {
            return None;
        }
        let found = self.context.roster.and_then(|roster| {
            roster.find_owner(
                &ids.iter().map(|(_, v)| *v).collect::<Vec<_>>(),
                &emails.iter().map(|(_, v)| *v).collect::<Vec<_>>(),
            )
        });
        let Some(person) = found else {
            let named: Vec<String> = ids
                .iter()
                .chain(&emails)
                .map(|(p, v)| format!("{p} {}", clean(v)))
                .collect();
            warnings.push(format!(
                "the deal owner ({}) is not in {}: add `hubspot_owner_id` / `crm_owner_id` or their email to their entry, or pass --from",
                named.join(", "),
                self.context.roster_path
            ));
            return None;
        };
        let used: Vec<String> = ids
            .iter()
            .chain(&emails)
            .map(|(p, _)| p.to_string())
            .collect();
        let mut value = Map::new();
        value.insert("name".into(), Value::String(person.name.clone()));
        if let Some(role) = person.role.as_deref().or(self.context.from_role) {
            value.insert("role".into(), Value::String(role.to_string()));
        }
        if let Some(email) = &person.email {
            value.insert("email".into(), Value::String(email.clone()));
        }
        Some(Answer {
            value: Value::Object(value),
            citation: format!(
                "{} (owner, in {})",
                self.deal_cite(&used),
                self.context.roster_path
            ),
        })
    }
}

fn humanise_role(role: &str) -> String {
    humanise(&role.to_ascii_uppercase())
}

/// `LOGISTICS_AND_SUPPLY_CHAIN` → `Logistics and supply chain`; text that is not an enum
/// constant (`Healthcare`) stays as it is.
pub fn humanise(text: &str) -> String {
    let text = text.trim();
    let constant = text.chars().any(|c| c.is_ascii_uppercase())
        && text
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !constant {
        return text.to_string();
    }
    let words = text.to_lowercase().replace('_', " ");
    let words = clean(&words);
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A plain number >= 0 (`48000.00`, `25000.0`, `120000`): an integer when whole.
pub fn number(text: &str) -> Option<Value> {
    let text = text.trim();
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    if value.fract() == 0.0 && value < 9.0e15 {
        return Some(Value::from(value as u64));
    }
    serde_json::Number::from_f64(value).map(Value::Number)
}

/// A whole number >= 0 (`850`, `850.0`).
pub fn whole(text: &str) -> Option<u64> {
    match number(text)? {
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// `1` for `1.0`, `2.5` stays: a quantity as people write it.
fn quantity(text: &str) -> Option<String> {
    match number(text)? {
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `12`, `12.0`, `P12M`, `P1Y`, `P1Y6M` → months.
pub fn months(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Some(period) = text.strip_prefix('P').or_else(|| text.strip_prefix('p')) {
        let mut total = 0u64;
        let mut digits = String::new();
        let mut any = false;
        for c in period.chars() {
            match c {
                '0'..='9' => digits.push(c),
                'Y' | 'y' | 'M' | 'm' => {
                    let n: u64 = digits.parse().ok()?;
                    digits.clear();
                    total = total.checked_add(if matches!(c, 'Y' | 'y') {
                        n.checked_mul(12)?
                    } else {
                        n
                    })?;
                    any = true;
                }
                _ => return None,
            }
        }
        return (any && digits.is_empty()).then_some(total);
    }
    whole(text)
}

/// `850000` → `850,000`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The day a CRM date or timestamp names: RFC 3339 timestamps (`2026-10-30T17:20:45.123Z`) and
/// epoch milliseconds by their UTC day; `2026-10-30`, `2026-10-30 13:00` and `10/30/2026 1:00
/// PM` (export times, without a zone) as written.
pub fn date(text: &str) -> Option<jiff::civil::Date> {
    let text = text.trim();
    if text.len() >= 12 && text.len() <= 14 && text.chars().all(|c| c.is_ascii_digit()) {
        let ms: i64 = text.parse().ok()?;
        let timestamp = jiff::Timestamp::from_millisecond(ms).ok()?;
        return Some(timestamp.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        return Some(timestamp.to_zoned(jiff::tz::TimeZone::UTC).date());
    }
    let day = text.split([' ', 'T']).next().unwrap_or("");
    if let Ok(date) = day.parse::<jiff::civil::Date>() {
        return Some(date);
    }
    let mut parts = day.split('/');
    let (Some(m), Some(d), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let (m, d, y): (i8, i8, i16) = (m.parse().ok()?, d.parse().ok()?, y.parse().ok()?);
    if y < 1000 {
        return None;
    }
    jiff::civil::Date::new(y, m, d).ok()
}

/// Whether `text` looks enough like an email address for the schema's `format: email`.
pub fn plausible_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefill::export::Vendor;
    use crate::prefill::mapping::{embedded, VendorMapping};
    use std::path::PathBuf;

    fn record(id: &str, properties: &[(&str, &str)]) -> Record {
        Record {
            id: id.into(),
            properties: properties
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn associated(id: &str, labels: &[&str], properties: &[(&str, &str)]) -> Associated {
        Associated {
            record: record(id, properties),
            labels: labels.iter().map(|l| l.to_string()).collect(),
        }
    }

    /// A HubSpot deal as the readers produce it from a v4 bundle.
    pub fn hubspot_deal() -> Deal {
        Deal {
            vendor: Vendor::HubSpot,
            file: PathBuf::from("deal.json"),
            record: record(
                "9001001",
                &[
                    ("dealname", "Northwind Freight — Platform"),
                    ("amount", "48000.00"),
                    ("closedate", "2026-10-30T23:30:00.000Z"),
                    ("dealstage", "closedwon"),
                    ("hs_is_closed_won", "true"),
                    ("deal_currency_code", "usd"),
                    ("hubspot_owner_id", "31415926"),
                    (
                        "description",
                        "Replace spreadsheets for dispatch across three depots",
                    ),
                ],
            ),
            companies: vec![
                associated("5502", &["Reseller"], &[("name", "Channel Partner Ltd")]),
                associated(
                    "5501",
                    &["Primary", "deal_to_company"],
                    &[
                        ("name", "Northwind Freight"),
                        ("industry", "LOGISTICS_AND_SUPPLY_CHAIN"),
                        ("numberofemployees", "850"),
                        ("city", "Rotterdam"),
                        ("state", ""),
                        ("country", "Netherlands"),
                    ],
                ),
            ],
            contacts: vec![
                associated(
                    "701",
                    &["deal_to_contact"],
                    &[
                        ("firstname", "Pat"),
                        ("lastname", "Kim"),
                        ("jobtitle", "VP Operations"),
                        ("email", "pat.kim@northwind.example"),
                        ("hs_buying_role", "CHAMPION;END_USER"),
                    ],
                ),
                associated(
                    "702",
                    &["deal_to_contact"],
                    &[
                        ("firstname", "Lee"),
                        ("lastname", "Chan"),
                        ("jobtitle", "COO"),
                        ("email", "not an email"),
                        ("hs_buying_role", "DECISION_MAKER"),
                    ],
                ),
            ],
            line_items: vec![
                record(
                    "801",
                    &[
                        ("name", "Platform Pro"),
                        ("quantity", "120.0"),
                        ("hs_recurring_billing_start_date", "2026-12-01"),
                        ("hs_recurring_billing_period", "P12M"),
                    ],
                ),
                record("802", &[("name", "Onboarding package"), ("quantity", "1")]),
            ],
        }
    }

    fn roster() -> Roster {
        Roster::parse(
            "roster.yaml",
            "people:\n  - {name: Jane Doe, email: jane.doe@example.com, role: AE, hubspot_owner_id: 31415926}\n",
        )
        .unwrap()
    }

    fn plan_for(deal: &Deal, roster: Option<&Roster>, currency: Option<&str>) -> Plan {
        let mapping = VendorMapping::parse("crm/hubspot.yaml", embedded::HUBSPOT).unwrap();
        plan(
            deal,
            &mapping,
            &Context {
                handoff_type: "sales-cs",
                playbook_title: "Sales → CS handoff",
                from_role: Some("AE"),
                roster,
                default_currency: currency,
                roster_path: "roster.yaml",
            },
        )
    }

    fn value<'a>(plan: &'a Plan, path: &str) -> Option<&'a Fill> {
        plan.fills.iter().find(|f| f.path == path)
    }

    #[test]
    fn a_won_hubspot_deal_answers_the_sales_cs_fields_with_citations() {
        let roster = roster();
        let plan = plan_for(&hubspot_deal(), Some(&roster), None);
        let get = |path: &str| value(&plan, path).map(|f| (f.value.clone(), f.provenance()));
        assert_eq!(
            get("customer.company").unwrap(),
            (
                "Northwind Freight".into(),
                "HubSpot company 5501 · name".into()
            )
        );
        assert_eq!(
            get("customer.industry").unwrap().0,
            "Logistics and supply chain"
        );
        assert_eq!(get("customer.size").unwrap().0, "850 employees");
        assert_eq!(
            get("customer.hq").unwrap(),
            (
                "Rotterdam, Netherlands".into(),
                "HubSpot company 5501 · city, country".into()
            )
        );
        assert_eq!(
            get("deal.amount").unwrap(),
            (Value::from(48000), "HubSpot deal 9001001 · amount".into())
        );
        assert_eq!(get("deal.currency").unwrap().0, "USD");
        assert_eq!(get("deal.contract_start").unwrap().0, "2026-12-01");
        assert_eq!(get("deal.term_months").unwrap().0, Value::from(12));
        assert_eq!(
            get("deal.bought").unwrap().0,
            "Platform Pro × 120, Onboarding package × 1. Replace spreadsheets for dispatch across three depots"
        );
        // The close date's UTC day.
        assert_eq!(get("trigger.date").unwrap().0, "2026-10-30");
        assert_eq!(
            get("trigger.event").unwrap(),
            (
                "closed-won".into(),
                "HubSpot deal 9001001 · hs_is_closed_won, dealstage".into()
            )
        );
        assert_eq!(
            get("title").unwrap().0,
            "Northwind Freight — Sales → CS handoff"
        );
        // No contact is labelled primary: the champion is, inferred.
        let contact = value(&plan, "customer.primary_contact").unwrap();
        assert_eq!(contact.value["name"], "Pat Kim");
        assert_eq!(contact.inferred.as_deref(), Some("champion contact"));
        assert!(contact
            .provenance()
            .ends_with("(inferred: champion contact)"));
        assert_eq!(
            get("relationships.champion").unwrap().0["title"],
            "VP Operations"
        );
        // An address that is not one is left out rather than written.
        let sponsor = get("relationships.executive_sponsor").unwrap().0;
        assert_eq!(sponsor["name"], "Lee Chan");
        assert!(sponsor.get("email").is_none());
        assert_eq!(get("from").unwrap().0["name"], "Jane Doe");
        assert!(get("relationships.blocker").is_none());
        assert_eq!(
            plan.unanswered,
            vec!["customer.technical_lead", "relationships.blocker"]
        );
        assert_eq!(plan.fields, plan.fills.len() + plan.unanswered.len());
        assert_eq!(plan.won, Some(true));
        assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
        assert_eq!(plan.company.as_deref(), Some("Northwind Freight"));
    }

    #[test]
    fn nothing_is_guessed() {
        let mut deal = hubspot_deal();
        deal.line_items.clear();
        deal.record.properties.remove("deal_currency_code");
        deal.record
            .properties
            .insert("dealstage".into(), "contractsent".into());
        deal.record
            .properties
            .insert("hs_is_closed_won".into(), "false".into());
        deal.contacts.truncate(1);
        deal.contacts[0].record.properties.remove("hs_buying_role");
        let plan = plan_for(&deal, None, None);
        // No line items: no contract start or term, and never the close date instead.
        for path in [
            "deal.contract_start",
            "deal.term_months",
            "deal.currency",
            "trigger.event",
            "from",
        ] {
            assert!(value(&plan, path).is_none(), "{path}");
        }
        assert_eq!(
            value(&plan, "deal.bought").unwrap().value,
            "Replace spreadsheets for dispatch across three depots"
        );
        let contact = value(&plan, "customer.primary_contact").unwrap();
        assert_eq!(contact.inferred.as_deref(), Some("first contact"));
        assert_eq!(plan.won, Some(false));
        assert!(
            plan.warnings[0].contains("is not won"),
            "{:?}",
            plan.warnings
        );
        assert!(
            plan.warnings[1].contains("not in roster.yaml"),
            "{:?}",
            plan.warnings
        );
        // The configured currency, cited as configuration.
        let plan = plan_for(&deal, None, Some("EUR"));
        let currency = value(&plan, "deal.currency").unwrap();
        assert_eq!(
            (currency.value.clone(), currency.citation.as_str()),
            ("EUR".into(), "config · default_currency")
        );
    }

    #[test]
    fn citations_are_one_line_of_plain_text_whatever_the_ids() {
        let mut deal = hubspot_deal();
        deal.record.id = "9001\u{1b}[31m\n001".into();
        let plan = plan_for(&deal, None, None);
        assert_eq!(plan.deal, "HubSpot deal 9001 [31m 001");
        for fill in &plan.fills {
            assert!(
                !fill.citation.chars().any(char::is_control),
                "{:?}",
                fill.citation
            );
        }
    }

    #[test]
    fn the_v3_primary_company_and_the_only_company() {
        let mut deal = hubspot_deal();
        deal.companies[1].labels =
            vec!["deal_to_company_unlabeled".into(), "deal_to_company".into()];
        deal.companies[0].labels = vec!["deal_to_company_unlabeled".into()];
        assert_eq!(
            plan_for(&deal, None, None).company.as_deref(),
            Some("Northwind Freight")
        );
        deal.companies[1].labels.clear();
        let plan = plan_for(&deal, None, None);
        assert_eq!(plan.company, None);
        assert!(value(&plan, "customer.company").is_none());
        deal.companies.remove(0);
        assert_eq!(
            plan_for(&deal, None, None).company.as_deref(),
            Some("Northwind Freight")
        );
    }

    #[test]
    fn values_as_written() {
        assert_eq!(
            humanise("LOGISTICS_AND_SUPPLY_CHAIN"),
            "Logistics and supply chain"
        );
        assert_eq!(humanise("Healthcare"), "Healthcare");
        assert_eq!(humanise("COMPUTER_SOFTWARE"), "Computer software");
        assert_eq!(number("48000.00"), Some(Value::from(48000)));
        assert_eq!(number("25000.5"), Some(serde_json::json!(25000.5)));
        for bad in ["-5", "1e3", "$100", "", "1.2.3", "NaN"] {
            assert_eq!(number(bad), None, "{bad}");
        }
        assert_eq!(months("P12M"), Some(12));
        assert_eq!(months("P1Y6M"), Some(18));
        assert_eq!(months("24"), Some(24));
        assert_eq!(months("P"), None);
        assert_eq!(months("P12D"), None);
        assert_eq!(grouped(1800), "1,800");
        assert_eq!(grouped(850), "850");
        assert_eq!(grouped(1234567), "1,234,567");
        let day = |t: &str| date(t).map(|d| d.to_string());
        assert_eq!(
            day("2026-10-30T23:30:00.000Z").as_deref(),
            Some("2026-10-30")
        );
        assert_eq!(
            day("2026-10-31T01:30:00+02:00").as_deref(),
            Some("2026-10-30")
        );
        assert_eq!(day("2026-10-30 13:00").as_deref(), Some("2026-10-30"));
        assert_eq!(day("10/30/2026 1:00").as_deref(), Some("2026-10-30"));
        assert_eq!(day("1793318400000").as_deref(), Some("2026-10-30"));
        assert_eq!(day("2026-02-30"), None);
        assert_eq!(day("soon"), None);
        assert!(plausible_email("pat@acme.example"));
        assert!(!plausible_email("pat@acme"));
        assert!(!plausible_email("pat kim@acme.example"));
        assert_eq!(clean(" a\n b\t\u{7}c "), "a b c");
    }
}
