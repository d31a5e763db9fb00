//! Salesforce opportunities: a SOQL query result as the REST API returns it
//! (`{"totalSize", "done", "records": [...]}`) or as `sf data query --json` wraps it
//! (`{"status": 0, "result": {...}}`), and a report exported as CSV (Details Only) with label
//! headers, one row per opportunity or per contact role.
//!
//! An opportunity's `Account` becomes its company (labelled `Primary`), its
//! `OpportunityContactRoles` its contacts (labelled with the `Role`, and `Primary` when
//! `IsPrimary`), its `OpportunityLineItems` its line items; other nested objects are
//! flattened into the deal with dots (`Owner.Email`). JSON numbers and booleans become text
//! (`120000.0` → `120000`, `true`).

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::csv::{cell, header_key as key, normalise_bool, normalise_date, Table};
use super::export::{Associated, Deal, Record, Vendor};
use super::value::{export_error, id_text, scalar_text, AssociatedSet};
use crate::error::Result;

/// The `sf` CLI's wrapper around a result, if this is one.
fn unwrap_cli(json: &Value) -> &Value {
    match json.get("result") {
        Some(result) if json.get("status").is_some() => result,
        _ => json,
    }
}

/// Whether a JSON value is a SOQL result (or the `sf` CLI's answer).
pub(crate) fn looks_like(json: &Value) -> bool {
    if json.get("status").is_some() && (json.get("result").is_some() || json.get("name").is_some())
    {
        return true;
    }
    let Some(Value::Array(records)) = json.get("records") else {
        return false;
    };
    json.get("totalSize").is_some()
        || json.get("done").is_some()
        || records
            .first()
            .is_some_and(|record| record.get("attributes").is_some())
}

/// Reads the opportunities of a SOQL result.
pub(crate) fn read_json(path: &Path, json: &Value) -> Result<Vec<Deal>> {
    let error = |message: String| export_error(path, message);
    if let Some(status) = json.get("status") {
        if status.as_i64() != Some(0) {
            return Err(error(
                "the sf command failed (its status is not 0), so the file holds its error, not \
                 a result; run the query again and check its output"
                    .into(),
            ));
        }
    }
    let result = unwrap_cli(json);
    let Some(Value::Array(records)) = result.get("records") else {
        return Err(error(
            "not a SOQL query result: expected {\"totalSize\", \"done\", \"records\": [...]} as \
             the REST API or `sf data query --json` returns it; see docs/crm-salesforce.md"
                .into(),
        ));
    };
    let mut deals = Vec::with_capacity(records.len());
    for (i, value) in records.iter().enumerate() {
        let at = format!("records[{i}]");
        let Value::Object(object) = value else {
            return Err(error(format!("`{at}` is not an object")));
        };
        let kind = object
            .get("attributes")
            .and_then(|attributes| attributes.get("type"))
            .and_then(Value::as_str);
        if kind.is_some_and(|kind| kind != "Opportunity") {
            return Err(error(format!(
                "`{at}` is not an Opportunity; the query must select FROM Opportunity (see the \
                 SOQL in docs/crm-salesforce.md)"
            )));
        }
        let Some(id) = object_id(object) else {
            return Err(error(format!(
                "`{at}` has no Id; add Id to the SELECT list"
            )));
        };
        let mut deal = Deal {
            vendor: Vendor::Salesforce,
            file: path.to_path_buf(),
            record: Record {
                id,
                ..Record::default()
            },
            companies: Vec::new(),
            contacts: Vec::new(),
            line_items: Vec::new(),
        };
        for (name, value) in object {
            match (name.as_str(), value) {
                ("attributes", _) => {}
                ("Account", Value::Object(account)) => {
                    let id = object_id(account)
                        .or_else(|| object.get("AccountId").and_then(id_text))
                        .unwrap_or_default();
                    let mut record = Record {
                        id,
                        ..Record::default()
                    };
                    flatten("", account, &mut record);
                    deal.companies.push(Associated {
                        record,
                        labels: vec!["Primary".to_string()],
                    });
                }
                ("OpportunityContactRoles", value) => {
                    for (j, role) in subquery(value).iter().enumerate() {
                        let Value::Object(role) = role else {
                            return Err(error(format!(
                                "`{at}.OpportunityContactRoles.records[{j}]` is not an object"
                            )));
                        };
                        deal.contacts.push(contact_role(role));
                    }
                }
                ("OpportunityLineItems", value) => {
                    for (j, item) in subquery(value).iter().enumerate() {
                        let Value::Object(item) = item else {
                            return Err(error(format!(
                                "`{at}.OpportunityLineItems.records[{j}]` is not an object"
                            )));
                        };
                        let mut record = Record {
                            id: object_id(item).unwrap_or_default(),
                            ..Record::default()
                        };
                        flatten("", item, &mut record);
                        deal.line_items.push(record);
                    }
                }
                // Another subquery (related list): not part of the model.
                (_, Value::Object(nested)) if nested.contains_key("records") => {}
                (_, Value::Object(nested)) => {
                    flatten(&format!("{name}."), nested, &mut deal.record)
                }
                (_, value) => {
                    if let Some(text) = scalar_text(value) {
                        deal.record.properties.insert(name.clone(), text);
                    }
                }
            }
        }
        deals.push(deal);
    }
    Ok(deals)
}

/// The records of a subquery field (`{"totalSize", "done", "records": [...]}`, or null).
fn subquery(value: &Value) -> &[Value] {
    match value.get("records") {
        Some(Value::Array(records)) => records,
        _ => &[],
    }
}

/// An object's `Id`, else the last segment of its `attributes.url`.
fn object_id(object: &Map<String, Value>) -> Option<String> {
    object.get("Id").and_then(id_text).or_else(|| {
        let url = object.get("attributes")?.get("url")?.as_str()?;
        let last = url.rsplit('/').next()?;
        (!last.is_empty() && last.chars().all(|c| c.is_ascii_alphanumeric()))
            .then(|| last.to_string())
    })
}

/// Scalars of an object under `prefix`, nested objects with dots; `attributes` and
/// subqueries left out.
fn flatten(prefix: &str, object: &Map<String, Value>, record: &mut Record) {
    for (name, value) in object {
        match value {
            _ if name == "attributes" => {}
            Value::Object(nested) if nested.contains_key("records") => {}
            Value::Object(nested) => flatten(&format!("{prefix}{name}."), nested, record),
            value => {
                if let Some(text) = scalar_text(value) {
                    record.properties.insert(format!("{prefix}{name}"), text);
                }
            }
        }
    }
}

/// An `OpportunityContactRole`: the contact, labelled with its role (and `Primary`).
fn contact_role(role: &Map<String, Value>) -> Associated {
    let contact = role.get("Contact").and_then(Value::as_object);
    let id = contact
        .and_then(object_id)
        .or_else(|| role.get("ContactId").and_then(id_text))
        .unwrap_or_default();
    let mut record = Record {
        id,
        ..Record::default()
    };
    if let Some(contact) = contact {
        flatten("", contact, &mut record);
    }
    let mut labels = Vec::new();
    if let Some(role) = role.get("Role").and_then(scalar_text) {
        labels.push(role);
    }
    if role.get("IsPrimary").and_then(Value::as_bool) == Some(true) {
        labels.push("Primary".to_string());
    }
    Associated { record, labels }
}

/// Where a report column goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Opportunity,
    Account,
    Contact,
    Role,
}

/// Report column labels (English, as Salesforce names the standard fields in reports) → the
/// field's API name. The API names themselves (`StageName`, `Account.Name`) work too.
const REPORT_COLUMNS: &[(Target, &str, &[&str])] = &[
    (
        Target::Opportunity,
        "Id",
        &["Opportunity ID", "Opportunity Id"],
    ),
    (Target::Opportunity, "Name", &["Opportunity Name"]),
    (Target::Opportunity, "Amount", &["Amount"]),
    (
        Target::Opportunity,
        "CurrencyIsoCode",
        &["Opportunity Currency", "Amount Currency", "Currency"],
    ),
    (Target::Opportunity, "CloseDate", &["Close Date"]),
    (Target::Opportunity, "StageName", &["Stage"]),
    (Target::Opportunity, "IsWon", &["Won"]),
    (Target::Opportunity, "IsClosed", &["Closed"]),
    (Target::Opportunity, "Description", &["Description"]),
    (Target::Opportunity, "Type", &["Type"]),
    (Target::Opportunity, "LeadSource", &["Lead Source"]),
    (Target::Opportunity, "NextStep", &["Next Step"]),
    (Target::Opportunity, "Probability", &["Probability (%)"]),
    (Target::Opportunity, "CreatedDate", &["Created Date"]),
    (
        Target::Opportunity,
        "Owner.Name",
        &["Opportunity Owner", "Owner Name"],
    ),
    (
        Target::Opportunity,
        "Owner.Email",
        &[
            "Opportunity Owner Email",
            "Opportunity Owner: Email",
            "Owner Email",
        ],
    ),
    (Target::Account, "Id", &["Account ID", "AccountId"]),
    (Target::Account, "Name", &["Account Name"]),
    (Target::Account, "Industry", &["Industry"]),
    (Target::Account, "NumberOfEmployees", &["Employees"]),
    (Target::Account, "AnnualRevenue", &["Annual Revenue"]),
    (Target::Account, "BillingCity", &["Billing City"]),
    (
        Target::Account,
        "BillingState",
        &["Billing State/Province", "Billing State"],
    ),
    (Target::Account, "BillingCountry", &["Billing Country"]),
    (Target::Account, "Website", &["Website"]),
    (Target::Contact, "Id", &["Contact ID", "ContactId"]),
    (
        Target::Contact,
        "Name",
        &["Contact Name", "Full Name", "Contact: Full Name"],
    ),
    (Target::Contact, "FirstName", &["First Name"]),
    (Target::Contact, "LastName", &["Last Name"]),
    (Target::Contact, "Title", &["Title"]),
    (Target::Contact, "Email", &["Email"]),
    (Target::Contact, "Phone", &["Phone"]),
    (Target::Role, "Role", &["Contact Role", "Role"]),
    (
        Target::Role,
        "IsPrimary",
        &["Primary", "Is Primary", "Primary Contact"],
    ),
];

fn report_column(label: &str) -> (Target, String) {
    let wanted = key(label);
    for (target, name, labels) in REPORT_COLUMNS {
        let api_name = match target {
            Target::Opportunity => key(name),
            Target::Account => key(&format!("Account.{name}")),
            Target::Contact => key(&format!("Contact.{name}")),
            Target::Role => key(name),
        };
        if api_name == wanted || labels.iter().any(|label| key(label) == wanted) {
            return (*target, name.to_string());
        }
    }
    (Target::Opportunity, label.trim().to_string())
}

/// Whether a CSV header is a Salesforce opportunity report's: by the report labels only
/// (`Opportunity Name`, `Opportunity ID`, `Opportunity Owner`); a bare `Name` column is not
/// enough to tell (`--prefill-format salesforce-csv` accepts it).
pub(crate) fn csv_looks_like(header: &[String]) -> bool {
    header.iter().any(|label| {
        matches!(
            key(label).as_str(),
            "opportunityname" | "opportunityid" | "opportunityowner"
        )
    })
}

/// Whether the header has a column that names or identifies the opportunity.
fn has_opportunity_column(header: &[String]) -> bool {
    header.iter().any(|label| {
        matches!(
            report_column(label),
            (Target::Opportunity, name) if name == "Name" || name == "Id"
        )
    })
}

/// Reads a report export: rows grouped into opportunities (by `Opportunity ID`, else by name
/// and account), each row's contact (if any) added with its role. The export's footer (after
/// the first blank line: report name, copyright, "Generated By") is not data.
pub(crate) fn read_csv(path: &Path, table: &Table) -> Result<Vec<Deal>> {
    let columns: Vec<(Target, String)> = table.header.iter().map(|l| report_column(l)).collect();
    if !has_opportunity_column(&table.header) {
        return Err(export_error(
            path,
            "not a Salesforce opportunity report: expected an Opportunity Name or Opportunity ID \
             column (see docs/crm-salesforce.md)",
        ));
    }
    let mut deals: Vec<Deal> = Vec::new();
    let mut contacts: Vec<AssociatedSet> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        if row.is_blank() {
            break;
        }
        let mut parts: HashMap<Target, Record> = HashMap::new();
        for ((target, name), value) in columns.iter().zip(&row.fields) {
            let Some(value) = cell(value) else {
                continue;
            };
            let record = parts.entry(*target).or_default();
            if name == "Id" {
                if record.id.is_empty() {
                    record.id = value;
                }
                continue;
            }
            let value = match name.as_str() {
                "IsWon" | "IsClosed" | "IsPrimary" => {
                    normalise_bool(&value).map(str::to_string).unwrap_or(value)
                }
                _ => normalise_date(&value).unwrap_or(value),
            };
            record.properties.entry(name.clone()).or_insert(value);
        }
        let opportunity = parts.remove(&Target::Opportunity).unwrap_or_default();
        let account = parts.remove(&Target::Account);
        let group = if !opportunity.id.is_empty() {
            opportunity.id.clone()
        } else if let Some(name) = opportunity.get("Name") {
            let account_name = account.as_ref().and_then(|a| a.get("Name")).unwrap_or("");
            format!("{name}\u{0}{account_name}")
        } else {
            return Err(export_error(
                path,
                format!(
                    "line {}: the row has no Opportunity Name or Opportunity ID",
                    row.line
                ),
            ));
        };
        let at = match index.get(&group) {
            Some(&at) => at,
            None => {
                index.insert(group, deals.len());
                deals.push(Deal {
                    vendor: Vendor::Salesforce,
                    file: path.to_path_buf(),
                    record: Record {
                        id: opportunity.id.clone(),
                        ..Record::default()
                    },
                    companies: Vec::new(),
                    contacts: Vec::new(),
                    line_items: Vec::new(),
                });
                contacts.push(AssociatedSet::new(record_keys));
                deals.len() - 1
            }
        };
        let deal = &mut deals[at];
        for (name, value) in opportunity.properties {
            deal.record.properties.entry(name).or_insert(value);
        }
        if let Some(account) = account {
            if deal.companies.is_empty() {
                deal.companies.push(Associated {
                    record: account,
                    labels: vec!["Primary".to_string()],
                });
            }
        }
        if let Some(contact) = parts.remove(&Target::Contact) {
            let role = parts.remove(&Target::Role).unwrap_or_default();
            let mut labels = Vec::new();
            if let Some(role) = role.get("Role") {
                labels.push(role.to_string());
            }
            if role.get("IsPrimary") == Some("true") {
                labels.push("Primary".to_string());
            }
            contacts[at].add(Associated {
                record: contact,
                labels,
            });
        }
    }
    for (deal, contacts) in deals.iter_mut().zip(contacts) {
        deal.contacts = contacts.into_vec();
    }
    Ok(deals)
}

/// The keys that tell a Salesforce record (a contact, an account, a line item) given twice:
/// its id, else its e-mail, else its name (a report has no ids unless its ID columns were
/// added).
pub(crate) fn record_keys(record: &Record) -> Vec<String> {
    let mut keys = Vec::new();
    if !record.id.is_empty() {
        keys.push(format!("id\u{0}{}", record.id));
    }
    for field in ["Email", "Name"] {
        if let Some(value) = record.get(field) {
            keys.push(format!("{field}\u{0}{}", value.trim().to_lowercase()));
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::prefill::read::parse_exports;
    use crate::prefill::value::testing::{read, record};

    fn northwind(file: &str) -> Deal {
        Deal {
            vendor: Vendor::Salesforce,
            file: PathBuf::from(file),
            record: record(
                "006Dn00000A1b2cIAB",
                &[
                    ("AccountId", "001Dn00000B2c3dIAB"),
                    ("Amount", "120000"),
                    ("CloseDate", "2026-10-15"),
                    ("CurrencyIsoCode", "USD"),
                    (
                        "Description",
                        "Platform for 3 warehouses; go-live before the February peak.",
                    ),
                    ("Id", "006Dn00000A1b2cIAB"),
                    ("IsWon", "true"),
                    ("Name", "Northwind Freight - Platform"),
                    ("Owner.Email", "jordan.lee@seller.example"),
                    ("Owner.Name", "Jordan Lee"),
                    ("OwnerId", "005Dn00000E5f6gIAB"),
                    ("StageName", "Closed Won"),
                ],
            ),
            companies: vec![Associated {
                record: record(
                    "001Dn00000B2c3dIAB",
                    &[
                        ("BillingCity", "Columbus"),
                        ("BillingCountry", "United States"),
                        ("BillingState", "OH"),
                        ("Industry", "Transportation"),
                        ("Name", "Northwind Freight"),
                        ("NumberOfEmployees", "850"),
                    ],
                ),
                labels: vec!["Primary".into()],
            }],
            contacts: vec![
                Associated {
                    record: record(
                        "003Dn00000C3d4eIAB",
                        &[
                            ("Email", "dana.ruiz@northwind-freight.example"),
                            ("FirstName", "Dana"),
                            ("LastName", "Ruiz"),
                            ("Name", "Dana Ruiz"),
                            ("Title", "CFO"),
                        ],
                    ),
                    labels: vec!["Decision Maker".into(), "Primary".into()],
                },
                Associated {
                    record: record(
                        "003Dn00000C3d4fIAB",
                        &[
                            ("Email", "pat.kim@northwind-freight.example"),
                            ("FirstName", "Pat"),
                            ("LastName", "Kim"),
                            ("Name", "Pat Kim"),
                            ("Title", "VP Operations"),
                        ],
                    ),
                    labels: vec!["Executive Sponsor".into()],
                },
            ],
            line_items: vec![record(
                "00kDn00000D4e5fIAB",
                &[
                    ("Id", "00kDn00000D4e5fIAB"),
                    ("Name", "Northwind Freight - Platform Enterprise"),
                    ("Product2.Name", "Platform Enterprise"),
                    ("Quantity", "12"),
                    ("ServiceDate", "2026-11-01"),
                    ("TotalPrice", "120000"),
                    ("UnitPrice", "10000"),
                ],
            )],
        }
    }

    #[test]
    fn soql_rest_result_with_and_without_contact_roles() {
        let exports = read(&["salesforce-soql.json"]);
        assert_eq!(exports.deals.len(), 2);
        assert_eq!(exports.deals[0], northwind("salesforce-soql.json"));
        let contoso = &exports.deals[1];
        assert_eq!(contoso.record.id, "006Dn00000A9z8yIAB");
        assert_eq!(contoso.record.get("Amount"), Some("87500.5"));
        assert_eq!(contoso.record.get("IsWon"), Some("true"));
        // `Description: null` is absent; `OpportunityContactRoles: null` is no contacts.
        assert_eq!(contoso.record.properties.get("Description"), None);
        assert_eq!(contoso.contacts, []);
        assert_eq!(contoso.line_items, []);
        // The account's id from its attributes.url, as AccountId was not selected.
        assert_eq!(contoso.companies[0].record.id, "001Dn00000B9z8yIAB");
        assert_eq!(contoso.companies[0].record.get("BillingState"), None);
    }

    #[test]
    fn the_sf_cli_wrapper_reads_as_the_rest_result() {
        let exports = read(&["salesforce-sf-cli.json"]);
        assert_eq!(exports.deals, [northwind("salesforce-sf-cli.json")]);
    }

    #[test]
    fn a_failed_sf_command_is_refused() {
        let json = br#"{"status": 1, "name": "MALFORMED_QUERY", "message": "unexpected token: FORM", "exitCode": 1}"#;
        let err = parse_exports(&[(PathBuf::from("won.json"), json.to_vec())], None)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("won.json: the sf command failed"), "{err}");
        assert!(!err.contains("FORM"), "{err}");
    }

    #[test]
    fn other_objects_than_opportunities_are_refused() {
        let json = br#"{"totalSize": 1, "done": true, "records": [{"attributes": {"type": "Account"}, "Id": "001", "Name": "Acme"}]}"#;
        let err = parse_exports(&[(PathBuf::from("q.json"), json.to_vec())], None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`records[0]` is not an Opportunity"), "{err}");
    }

    #[test]
    fn a_report_with_a_row_per_contact_role_groups_by_opportunity() {
        let exports = read(&["salesforce-report.csv"]);
        let names: Vec<_> = exports
            .deals
            .iter()
            .map(|d| d.record.get("Name").unwrap_or(""))
            .collect();
        assert_eq!(
            names,
            ["Northwind Freight - Platform", "Contoso Health - Expansion"]
        );
        let deal = &exports.deals[0];
        assert_eq!(deal.record.id, "006Dn00000A1b2cIAB");
        assert_eq!(
            deal.record,
            record(
                "006Dn00000A1b2cIAB",
                &[
                    ("Amount", "120000.00"),
                    ("CloseDate", "2026-10-15"),
                    ("CurrencyIsoCode", "USD"),
                    ("IsWon", "true"),
                    ("Name", "Northwind Freight - Platform"),
                    ("Owner.Name", "Jordan Lee"),
                    ("StageName", "Closed Won"),
                    ("Fiscal Period", "Q4-2026"),
                ]
            )
        );
        assert_eq!(
            deal.companies[0].record,
            record(
                "",
                &[
                    ("BillingCity", "Columbus"),
                    ("BillingCountry", "United States"),
                    ("BillingState", "OH"),
                    ("Industry", "Transportation"),
                    ("Name", "Northwind Freight"),
                    ("NumberOfEmployees", "850"),
                ]
            )
        );
        let contacts: Vec<_> = deal
            .contacts
            .iter()
            .map(|c| (c.record.get("Email"), c.labels.clone()))
            .collect();
        assert_eq!(
            contacts,
            [
                (
                    Some("dana.ruiz@northwind-freight.example"),
                    vec!["Decision Maker".to_string(), "Primary".to_string()]
                ),
                (
                    Some("pat.kim@northwind-freight.example"),
                    vec!["Executive Sponsor".to_string()]
                ),
            ]
        );
        // The second opportunity has no contact role: no contacts.
        assert_eq!(exports.deals[1].contacts, []);
        assert_eq!(exports.deals[1].record.get("CloseDate"), Some("2026-10-28"));
    }
}
