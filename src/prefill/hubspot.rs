//! HubSpot CRM API JSON: v3 objects (`{"id", "properties", "associations"}`), v3
//! list/search/batch responses (`{"results": [...]}`), v4 association responses
//! (`results[].to[].toObjectId` or `results[].toObjectId`, with `associationTypes`), and one
//! bundle object holding them (`deal`, `companies`, `contacts`, `line_items`, `associations`).
//! Records and associations from every HubSpot file (JSON or CSV) go into one [`Pool`], joined
//! by id into deals at the end.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::export::{Associated, Deal, Record, Vendor};
use super::value::{export_error, id_key, id_text, scalar_text, AssociatedSet, Order};
use crate::error::Result;

/// The HubSpot object types a deal's export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Deal,
    Company,
    Contact,
    LineItem,
}

impl Kind {
    /// The object type an association key or a bundle key names (`companies`, `line items`).
    fn from_key(key: &str) -> Option<Kind> {
        match key.to_ascii_lowercase().replace([' ', '-'], "_").as_str() {
            "deal" | "deals" => Some(Kind::Deal),
            "company" | "companies" => Some(Kind::Company),
            "contact" | "contacts" => Some(Kind::Contact),
            "line_item" | "line_items" | "lineitem" | "lineitems" => Some(Kind::LineItem),
            _ => None,
        }
    }
}

/// Properties that tell a record's object type when nothing else does, checked in this order
/// (line items and contacts before companies: they share `name`, `city`, `country`).
pub(crate) const MARKERS: &[(Kind, &[&str])] = &[
    (
        Kind::Deal,
        &[
            "dealname",
            "dealstage",
            "pipeline",
            "closedate",
            "hs_is_closed_won",
            "deal_currency_code",
        ],
    ),
    (
        Kind::LineItem,
        &[
            "hs_product_id",
            "quantity",
            "price",
            "hs_sku",
            "hs_line_item_currency_code",
            "hs_recurring_billing_period",
            "hs_term_in_months",
            "hs_recurring_billing_start_date",
        ],
    ),
    (
        Kind::Contact,
        &[
            "firstname",
            "lastname",
            "email",
            "jobtitle",
            "hs_buying_role",
        ],
    ),
    (
        Kind::Company,
        &[
            "domain",
            "name",
            "industry",
            "numberofemployees",
            "annualrevenue",
        ],
    ),
];

fn kind_of(record: &Record) -> Option<Kind> {
    MARKERS.iter().find_map(|(kind, names)| {
        names
            .iter()
            .any(|name| record.get(name).is_some())
            .then_some(*kind)
    })
}

/// An association of a deal to a record, as one export states it.
#[derive(Debug, Clone)]
pub(crate) struct Edge {
    /// The file that states it.
    pub file: PathBuf,
    /// The deal's id; `None` for a v4 response of one deal (`GET .../deals/ID/associations/X`),
    /// which does not repeat it.
    pub deal: Option<String>,
    /// The associated record's type, when the export says it (else found by id).
    pub kind: Option<Kind>,
    /// The associated record's id.
    pub to: String,
    /// Labels / types of the association, in order.
    pub labels: Vec<String>,
}

/// Records of one type by id, in the order first seen; a record seen again (in another file)
/// adds the properties the first one lacked.
#[derive(Debug, Default)]
pub(crate) struct Records {
    list: Vec<(Order, PathBuf, Record)>,
    index: HashMap<String, usize>,
}

impl Records {
    fn add(&mut self, order: Order, file: &Path, record: Record) {
        match self.index.get(&record.id) {
            Some(&at) => {
                let known = &mut self.list[at].2.properties;
                for (name, value) in record.properties {
                    let slot = known.entry(name).or_default();
                    if slot.trim().is_empty() {
                        *slot = value;
                    }
                }
            }
            None => {
                self.index.insert(record.id.clone(), self.list.len());
                self.list.push((order, file.to_path_buf(), record));
            }
        }
    }

    fn get(&self, id: &str) -> Option<&Record> {
        self.index.get(id).map(|&at| &self.list[at].2)
    }

    fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }
}

/// Everything the HubSpot files of one command say, before the join.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    deals: Records,
    companies: Records,
    contacts: Records,
    line_items: Records,
    edges: Vec<Edge>,
    /// Records read so far per file, for the order of deals.
    positions: HashMap<usize, usize>,
}

impl Pool {
    /// Adds a record of a known type, read from file number `file_index`.
    pub(crate) fn add(&mut self, kind: Kind, file_index: usize, file: &Path, record: Record) {
        let position = self.positions.entry(file_index).or_default();
        let order = (file_index, *position);
        *position += 1;
        let records = match kind {
            Kind::Deal => &mut self.deals,
            Kind::Company => &mut self.companies,
            Kind::Contact => &mut self.contacts,
            Kind::LineItem => &mut self.line_items,
        };
        records.add(order, file, record);
    }

    /// Adds an association.
    pub(crate) fn associate(&mut self, edge: Edge) {
        self.edges.push(edge);
    }

    /// The deals with their companies, contacts and line items, joined by id. A record that
    /// only an association names (its own export was not given) is kept with its id alone.
    pub(crate) fn join(self) -> Result<Vec<(Order, Deal)>> {
        if self.deals.list.is_empty() {
            let orphan = [&self.companies, &self.contacts, &self.line_items]
                .into_iter()
                .find_map(|records| records.list.first().map(|(_, file, _)| file.clone()))
                .or_else(|| self.edges.first().map(|edge| edge.file.clone()));
            return match orphan {
                Some(file) => Err(export_error(
                    &file,
                    "HubSpot records or associations, but no deal in the files given; add the \
                     deal's export (see docs/crm-hubspot.md)",
                )),
                None => Ok(Vec::new()),
            };
        }
        let single_deal = (self.deals.list.len() == 1).then(|| self.deals.list[0].2.id.clone());
        for edge in &self.edges {
            if edge.deal.is_none() && single_deal.is_none() {
                return Err(export_error(
                    &edge.file,
                    format!(
                        "a v4 association response of one deal (it does not say which), with {} \
                         deals given; use the batch read endpoint \
                         (POST /crm/v4/associations/deals/X/batch/read, which names each deal in \
                         from.id) or give one deal per command",
                        self.deals.list.len()
                    ),
                ));
            }
        }
        let mut edges_of: HashMap<&str, Vec<&Edge>> = HashMap::new();
        for edge in &self.edges {
            let deal = match (&edge.deal, &single_deal) {
                (Some(id), _) | (None, Some(id)) => id.as_str(),
                (None, None) => continue,
            };
            edges_of.entry(deal).or_default().push(edge);
        }
        let mut deals = Vec::with_capacity(self.deals.list.len());
        for (order, file, record) in &self.deals.list {
            let mut companies = AssociatedSet::new(id_key);
            let mut contacts = AssociatedSet::new(id_key);
            let mut line_items = AssociatedSet::new(id_key);
            for edge in edges_of.remove(record.id.as_str()).unwrap_or_default() {
                let kind = edge.kind.or_else(|| self.kind_by_id(&edge.to));
                let (set, records) = match kind {
                    Some(Kind::Company) => (&mut companies, &self.companies),
                    Some(Kind::Contact) => (&mut contacts, &self.contacts),
                    Some(Kind::LineItem) => (&mut line_items, &self.line_items),
                    // Deal-to-deal associations, and ids of records not exported (their
                    // type is unknown): nothing to attach.
                    Some(Kind::Deal) | None => continue,
                };
                // A record that only the association names keeps its id alone.
                let record = records.get(&edge.to).cloned().unwrap_or(Record {
                    id: edge.to.clone(),
                    ..Record::default()
                });
                set.add(Associated {
                    record,
                    labels: edge.labels.clone(),
                });
            }
            let deal = Deal {
                vendor: Vendor::HubSpot,
                file: file.clone(),
                record: record.clone(),
                companies: companies.into_vec(),
                contacts: contacts.into_vec(),
                line_items: line_items
                    .into_vec()
                    .into_iter()
                    .map(|item| item.record)
                    .collect(),
            };
            deals.push((*order, deal));
        }
        Ok(deals)
    }

    fn kind_by_id(&self, id: &str) -> Option<Kind> {
        if self.companies.contains(id) {
            Some(Kind::Company)
        } else if self.contacts.contains(id) {
            Some(Kind::Contact)
        } else if self.line_items.contains(id) {
            Some(Kind::LineItem)
        } else {
            None
        }
    }
}

/// The object type a HubSpot-defined deal association type points to (`typeId` 3: contact,
/// 5 and 341: company, 19: line item); custom (`USER_DEFINED`) ids say nothing.
fn defined_kind(association_type: &Value) -> Option<Kind> {
    if association_type.get("category").and_then(Value::as_str) != Some("HUBSPOT_DEFINED") {
        return None;
    }
    match association_type.get("typeId").and_then(Value::as_u64)? {
        3 => Some(Kind::Contact),
        5 | 341 => Some(Kind::Company),
        19 => Some(Kind::LineItem),
        _ => None,
    }
}

/// The object type a v3 association type of a deal names (`deal_to_company`,
/// `deal_to_contact_unlabeled`, `deal_to_line_item`); a custom label's name says nothing.
fn v3_kind(association_type: &str) -> Option<Kind> {
    let rest = association_type.strip_prefix("deal_to_")?;
    let name = rest.strip_suffix("_unlabeled").unwrap_or(rest);
    match name {
        "company" => Some(Kind::Company),
        "contact" => Some(Kind::Contact),
        "line_item" => Some(Kind::LineItem),
        _ => None,
    }
}

/// Whether a JSON value has one of the HubSpot shapes.
pub(crate) fn looks_like(json: &Value) -> bool {
    match json {
        Value::Object(object) => {
            object.get("results").is_some_and(Value::is_array)
                || object.get("properties").is_some_and(Value::is_object)
                || object.get("deal").is_some_and(Value::is_object)
        }
        Value::Array(items) => items
            .first()
            .is_some_and(|item| item.get("properties").is_some_and(Value::is_object)),
        _ => false,
    }
}

/// Context for reading one file.
struct Reader<'a> {
    file_index: usize,
    path: &'a Path,
    pool: &'a mut Pool,
}

/// Reads one HubSpot JSON file into the pool.
pub(crate) fn read_json(
    file_index: usize,
    path: &Path,
    json: &Value,
    pool: &mut Pool,
) -> Result<()> {
    let mut reader = Reader {
        file_index,
        path,
        pool,
    };
    match json {
        Value::Object(object) if object.get("deal").is_some_and(Value::is_object) => {
            reader.bundle(object)
        }
        Value::Object(object) if object.contains_key("results") => {
            reader.response(object.get("results"), "results", None, None)
        }
        Value::Object(object) if object.contains_key("properties") => {
            reader.object(json, "the object", None).map(|_| ())
        }
        Value::Array(items) => reader.objects(items, "", None),
        _ => Err(export_error(
            path,
            "not a HubSpot CRM API response: expected a v3 object ({\"id\", \"properties\"}), \
             a list/search/batch response ({\"results\": [...]}), a v4 association response, or \
             a bundle ({\"deal\", \"companies\", \"contacts\", \"line_items\", \
             \"associations\"}); see docs/crm-hubspot.md",
        )),
    }
}

impl Reader<'_> {
    fn error(&self, message: impl Into<String>) -> crate::error::Error {
        export_error(self.path, message)
    }

    /// `{"deal": {...}, "companies": [...], "contacts": [...], "line_items": [...],
    /// "associations": {"companies": <v4 or v3 response>, ...}}`.
    fn bundle(&mut self, bundle: &Map<String, Value>) -> Result<()> {
        let deal_value = bundle.get("deal").unwrap_or(&Value::Null);
        let deal_id = self.object(deal_value, "deal", Some(Kind::Deal))?;
        for (key, value) in bundle {
            let Some(kind) = Kind::from_key(key) else {
                continue;
            };
            if key == "deal" {
                continue;
            }
            match value {
                Value::Array(items) => self.objects(items, key, Some(kind))?,
                Value::Object(object) if object.contains_key("results") => self.response(
                    object.get("results"),
                    &format!("{key}.results"),
                    Some(kind),
                    None,
                )?,
                Value::Object(_) => {
                    self.object(value, key, Some(kind))?;
                }
                Value::Null => {}
                _ => {
                    return Err(self.error(format!(
                        "`{key}` is neither a list of records nor a response \
                         ({{\"results\": [...]}})"
                    )))
                }
            }
        }
        match bundle.get("associations") {
            None | Some(Value::Null) => {}
            Some(Value::Object(associations)) => {
                for (key, value) in associations {
                    let kind = Kind::from_key(key);
                    let at = format!("associations.{}", safe_key(key));
                    let results = match value {
                        Value::Object(object) => object.get("results"),
                        Value::Array(_) => Some(value),
                        _ => None,
                    };
                    self.response(results, &at, kind, Some(&deal_id))?;
                }
            }
            Some(_) => {
                return Err(self.error(
                    "`associations` is not an object keyed by object type \
                     ({\"companies\": {\"results\": [...]}, ...})",
                ))
            }
        }
        Ok(())
    }

    fn objects(&mut self, items: &[Value], at: &str, kind: Option<Kind>) -> Result<()> {
        for (i, item) in items.iter().enumerate() {
            self.object(item, &format!("{at}[{i}]"), kind)?;
        }
        Ok(())
    }

    /// A `results` array: v3 records, or v4 associations (of `deal`, when the context names it).
    fn response(
        &mut self,
        results: Option<&Value>,
        at: &str,
        kind: Option<Kind>,
        deal: Option<&str>,
    ) -> Result<()> {
        let Some(Value::Array(results)) = results else {
            return Err(self.error(format!("`{at}` is not a list")));
        };
        for (i, result) in results.iter().enumerate() {
            let at = format!("{at}[{i}]");
            let Value::Object(object) = result else {
                return Err(self.error(format!("`{at}` is not an object")));
            };
            if let Some(to) = object.get("to") {
                // v4 batch read: {"from": {"id"}, "to": [{"toObjectId", "associationTypes"}]}
                let from = object.get("from").and_then(|from| from.get("id"));
                let from = match from.and_then(id_text) {
                    Some(id) => Some(id),
                    None => deal.map(str::to_string),
                };
                let Value::Array(targets) = to else {
                    return Err(self.error(format!("`{at}.to` is not a list")));
                };
                for (j, target) in targets.iter().enumerate() {
                    self.v4_target(target, &format!("{at}.to[{j}]"), kind, from.clone())?;
                }
            } else if object.contains_key("toObjectId") {
                // v4 of one record: {"toObjectId", "associationTypes"}
                self.v4_target(result, &at, kind, deal.map(str::to_string))?;
            } else if object.contains_key("type") && !object.contains_key("properties") {
                // v3 association list: {"id", "type"}
                let Some(to) = object.get("id").and_then(id_text) else {
                    return Err(self.error(format!("`{at}` has no `id`")));
                };
                let labels: Vec<String> = object
                    .get("type")
                    .and_then(scalar_text)
                    .into_iter()
                    .collect();
                let kind = kind.or_else(|| labels.first().and_then(|label| v3_kind(label)));
                self.pool.associate(Edge {
                    file: self.path.to_path_buf(),
                    deal: deal.map(str::to_string),
                    kind,
                    to,
                    labels,
                });
            } else {
                self.object(result, &at, kind)?;
            }
        }
        Ok(())
    }

    fn v4_target(
        &mut self,
        target: &Value,
        at: &str,
        kind: Option<Kind>,
        deal: Option<String>,
    ) -> Result<()> {
        let Some(to) = target.get("toObjectId").and_then(id_text) else {
            return Err(self.error(format!("`{at}` has no `toObjectId`")));
        };
        let mut labels = Vec::new();
        let mut kind = kind;
        match target.get("associationTypes") {
            None | Some(Value::Null) => {}
            Some(Value::Array(types)) => {
                for association_type in types {
                    kind = kind.or_else(|| defined_kind(association_type));
                    // An unlabeled association has `"label": null`. (Repeats are dropped
                    // when the deal is joined.)
                    if let Some(label) = association_type.get("label").and_then(scalar_text) {
                        labels.push(label);
                    }
                }
            }
            Some(_) => {
                return Err(self.error(format!("`{at}.associationTypes` is not a list")));
            }
        }
        self.pool.associate(Edge {
            file: self.path.to_path_buf(),
            deal,
            kind,
            to,
            labels,
        });
        Ok(())
    }

    /// One v3 object; returns its id.
    fn object(&mut self, value: &Value, at: &str, kind: Option<Kind>) -> Result<String> {
        let Value::Object(object) = value else {
            return Err(self.error(format!("`{at}` is not a HubSpot object")));
        };
        let properties = match object.get("properties") {
            Some(Value::Object(properties)) => properties,
            None | Some(Value::Null) => &Map::new(),
            Some(_) => return Err(self.error(format!("`{at}.properties` is not an object"))),
        };
        let id = object
            .get("id")
            .and_then(id_text)
            .or_else(|| properties.get("hs_object_id").and_then(id_text));
        let Some(id) = id else {
            return Err(self.error(format!(
                "`{at}` has no `id` (nor `properties.hs_object_id`)"
            )));
        };
        let mut record = Record {
            id: id.clone(),
            ..Record::default()
        };
        for (name, value) in properties {
            if let Some(text) = scalar_text(value) {
                record.properties.insert(name.clone(), text);
            }
        }
        let associations = match object.get("associations") {
            Some(Value::Object(associations)) => Some(associations),
            None | Some(Value::Null) => None,
            Some(_) => return Err(self.error(format!("`{at}.associations` is not an object"))),
        };
        let has_deal_associations = associations.is_some_and(|associations| {
            associations.keys().any(|key| {
                matches!(
                    Kind::from_key(key),
                    Some(Kind::Company | Kind::Contact | Kind::LineItem)
                )
            })
        });
        let kind = kind.or_else(|| kind_of(&record)).or_else(|| {
            // A deal read without its properties still names its companies and contacts.
            has_deal_associations.then_some(Kind::Deal)
        });
        let Some(kind) = kind else {
            return Err(self.error(format!(
                "`{at}`: a HubSpot record whose object type cannot be told from its properties \
                 (a deal has dealname or dealstage, a contact email or firstname, a company name \
                 or domain); request those properties, or put the record in a bundle under \
                 deal, companies, contacts or line_items"
            )));
        };
        if let Some(associations) = associations {
            for (key, value) in associations {
                let Some(to_kind) = Kind::from_key(key) else {
                    continue;
                };
                let at = format!("{at}.associations.{}", safe_key(key));
                let results = value.get("results");
                let Some(Value::Array(results)) = results else {
                    return Err(self.error(format!("`{at}.results` is not a list")));
                };
                for (i, result) in results.iter().enumerate() {
                    let Some(to) = result.get("id").and_then(id_text) else {
                        return Err(self.error(format!("`{at}.results[{i}]` has no `id`")));
                    };
                    let labels: Vec<String> = result
                        .get("type")
                        .and_then(scalar_text)
                        .into_iter()
                        .collect();
                    let edge = match (kind, to_kind) {
                        (Kind::Deal, Kind::Deal) => continue,
                        (Kind::Deal, _) => Edge {
                            file: self.path.to_path_buf(),
                            deal: Some(id.clone()),
                            kind: Some(to_kind),
                            to,
                            labels,
                        },
                        // A company's or contact's own associations to deals: the same link
                        // seen from the other end (its `contact_to_deal` type says nothing
                        // about the role).
                        (_, Kind::Deal) => Edge {
                            file: self.path.to_path_buf(),
                            deal: Some(to),
                            kind: Some(kind),
                            to: id.clone(),
                            labels: Vec::new(),
                        },
                        _ => continue,
                    };
                    self.pool.associate(edge);
                }
            }
        }
        self.pool.add(kind, self.file_index, self.path, record);
        Ok(id)
    }
}

/// An object key for a message: the known association keys, else a neutral word (keys are
/// the file's text and are not quoted).
fn safe_key(key: &str) -> &str {
    let plain = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ' ');
    if Kind::from_key(key).is_some() && plain {
        key
    } else {
        "(key)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefill::export::Exports;
    use crate::prefill::read::parse_exports;
    use crate::prefill::value::testing::{fixture, read, read_err, record};

    fn labels(list: &[&str]) -> Vec<String> {
        list.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn v3_object_dedupes_the_primary_company_and_keeps_custom_labels() {
        let exports = read(&["hubspot-v3-deal.json"]);
        assert_eq!(exports.calls, []);
        let [deal] = &exports.deals[..] else {
            panic!("one deal: {exports:?}")
        };
        assert_eq!(deal.vendor, Vendor::HubSpot);
        assert_eq!(deal.file, PathBuf::from("hubspot-v3-deal.json"));
        assert_eq!(deal.record.id, "9001001");
        assert_eq!(
            deal.record.get("dealname"),
            Some("Northwind Freight - Platform")
        );
        assert_eq!(deal.record.get("amount"), Some("48000.00"));
        // `""` and null are absent.
        assert_eq!(deal.record.properties.get("description"), None);
        assert_eq!(deal.record.properties.get("hs_next_step"), None);
        let companies: Vec<_> = deal
            .companies
            .iter()
            .map(|c| (c.record.id.as_str(), c.labels.clone()))
            .collect();
        assert_eq!(
            companies,
            [
                (
                    "5501",
                    labels(&["deal_to_company", "deal_to_company_unlabeled"])
                ),
                ("5502", labels(&["deal_to_company_unlabeled"])),
            ]
        );
        let contacts: Vec<_> = deal
            .contacts
            .iter()
            .map(|c| (c.record.id.as_str(), c.labels.clone()))
            .collect();
        assert_eq!(
            contacts,
            [
                ("7301", labels(&["deal_to_contact", "champion"])),
                ("7302", labels(&["deal_to_contact"])),
            ]
        );
        // Only ids: the companies' own exports were not given.
        assert!(deal.companies[0].record.properties.is_empty());
        assert_eq!(deal.line_items, [record("4401", &[])]);
    }

    #[test]
    fn separate_responses_join_by_id_with_v4_labels() {
        let exports = read(&[
            "hubspot-v3-deal.json",
            "hubspot-v3-companies-search.json",
            "hubspot-v3-contacts-batch.json",
            "hubspot-v4-deal-contacts.json",
        ]);
        let [deal] = &exports.deals[..] else {
            panic!("one deal: {exports:?}")
        };
        assert_eq!(
            deal.companies[0].record.get("name"),
            Some("Northwind Freight")
        );
        assert_eq!(
            deal.companies[0].record.get("industry"),
            Some("LOGISTICS_AND_SUPPLY_CHAIN")
        );
        assert_eq!(
            deal.companies[1].record.get("name"),
            Some("Northwind Holdings")
        );
        let contacts: Vec<_> = deal
            .contacts
            .iter()
            .map(|c| {
                (
                    c.record.id.as_str(),
                    c.record.get("email"),
                    c.labels.clone(),
                )
            })
            .collect();
        assert_eq!(
            contacts,
            [
                (
                    "7301",
                    Some("pat.kim@northwind-freight.example"),
                    labels(&["deal_to_contact", "champion", "Champion"])
                ),
                (
                    "7302",
                    Some("dana.ruiz@northwind-freight.example"),
                    labels(&["deal_to_contact", "Decision maker"])
                ),
                (
                    "7303",
                    Some("lee.ng@northwind-freight.example"),
                    labels(&[])
                ),
            ]
        );
    }

    #[test]
    fn bundle_reads_as_the_same_deal_as_its_parts() {
        let exports = read(&["hubspot-bundle.json"]);
        let expected = Exports {
            deals: vec![Deal {
                vendor: Vendor::HubSpot,
                file: PathBuf::from("hubspot-bundle.json"),
                record: record(
                    "9001001",
                    &[
                        ("amount", "48000.00"),
                        ("closedate", "2026-10-15T16:00:00Z"),
                        ("deal_currency_code", "USD"),
                        ("dealname", "Northwind Freight - Platform"),
                        ("dealstage", "closedwon"),
                        ("hs_is_closed_won", "true"),
                        ("hs_object_id", "9001001"),
                        ("hubspot_owner_id", "61234567"),
                        ("pipeline", "default"),
                    ],
                ),
                companies: vec![Associated {
                    record: record(
                        "5501",
                        &[
                            ("city", "Columbus"),
                            ("country", "United States"),
                            ("domain", "northwind-freight.example"),
                            ("industry", "LOGISTICS_AND_SUPPLY_CHAIN"),
                            ("name", "Northwind Freight"),
                            ("numberofemployees", "850"),
                            ("state", "Ohio"),
                        ],
                    ),
                    labels: labels(&["Primary"]),
                }],
                contacts: vec![
                    Associated {
                        record: record(
                            "7301",
                            &[
                                ("email", "pat.kim@northwind-freight.example"),
                                ("firstname", "Pat"),
                                ("hs_buying_role", "CHAMPION"),
                                ("jobtitle", "VP Operations"),
                                ("lastname", "Kim"),
                            ],
                        ),
                        labels: labels(&["Champion"]),
                    },
                    Associated {
                        record: record(
                            "7302",
                            &[
                                ("email", "dana.ruiz@northwind-freight.example"),
                                ("firstname", "Dana"),
                                ("hs_buying_role", "DECISION_MAKER;BUDGET_HOLDER"),
                                ("jobtitle", "CFO"),
                                ("lastname", "Ruiz"),
                            ],
                        ),
                        labels: labels(&[]),
                    },
                ],
                line_items: vec![record(
                    "4401",
                    &[
                        ("amount", "48000.00"),
                        ("hs_line_item_currency_code", "USD"),
                        ("hs_recurring_billing_period", "P12M"),
                        ("hs_recurring_billing_start_date", "2026-11-01"),
                        ("name", "Platform - Enterprise"),
                        ("price", "4000.00"),
                        ("quantity", "12"),
                    ],
                )],
            }],
            calls: vec![],
        };
        assert_eq!(exports, expected);
    }

    #[test]
    fn v4_of_one_deal_with_several_deals_is_refused() {
        let message = read_err(&[
            "hubspot-v3-deals-search.json",
            "hubspot-v4-deal-contacts.json",
        ]);
        assert!(
            message.starts_with(
                "hubspot-v4-deal-contacts.json: a v4 association response of one deal"
            ),
            "{message}"
        );
    }

    #[test]
    fn search_response_gives_deals_in_order() {
        let exports = read(&["hubspot-v3-deals-search.json"]);
        let ids: Vec<_> = exports.deals.iter().map(|d| d.record.id.as_str()).collect();
        assert_eq!(ids, ["9001001", "9001002", "9001003"]);
        assert_eq!(
            exports.deals[2].record.get("hs_is_closed_won"),
            Some("false")
        );
    }

    #[test]
    fn a_v3_associations_response_names_the_object_type_in_its_types() {
        // GET /crm/v3/objects/deals/9001001/associations/companies, with the deal alone.
        let associations = br#"{"results": [
            {"id": "5501", "type": "deal_to_company"},
            {"id": "5501", "type": "deal_to_company_unlabeled"}
        ]}"#;
        let files = [
            fixture("hubspot-v3-deals-search.json"),
            (PathBuf::from("assoc.json"), associations.to_vec()),
        ];
        // Three deals: the response does not say whose companies these are.
        assert!(parse_exports(&files, None).is_err());
        let deal =
            br#"{"id": "9001001", "properties": {"dealname": "Northwind Freight - Platform"}}"#;
        let files = [
            (PathBuf::from("deal.json"), deal.to_vec()),
            (PathBuf::from("assoc.json"), associations.to_vec()),
        ];
        let exports = parse_exports(&files, None).unwrap();
        let companies = &exports.deals[0].companies;
        assert_eq!(companies.len(), 1);
        assert_eq!(companies[0].record, record("5501", &[]));
        assert_eq!(
            companies[0].labels,
            labels(&["deal_to_company", "deal_to_company_unlabeled"])
        );
    }

    #[test]
    fn contacts_without_a_deal_are_refused() {
        let message = read_err(&["hubspot-v3-contacts-batch.json"]);
        assert!(message.contains("no deal in the files given"), "{message}");
    }
}
