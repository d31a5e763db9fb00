//! HubSpot CSV exports of deals, contacts and companies (Export → CSV in a record index),
//! joined with each other and with HubSpot JSON by `Record ID`. Headers are property labels in
//! the export's language; an alias table maps them to the API's internal names (case, spacing
//! and punctuation do not matter, and an internal name is its own alias). A header that is
//! not in the table keeps its own text as the property name.
//!
//! Values are kept as the export writes them, except: dates become `YYYY-MM-DD` (see
//! [`super::csv::normalise_date`]); `hs_is_*` yes/no columns become `true`/`false`; a default
//! pipeline's stage label (`Closed Won`, `Abgeschlossen und gewonnen`) becomes its internal id
//! (`closedwon`), and the English labels of buying roles (`Decision Maker`) become the API's
//! values (`DECISION_MAKER`), as the API writes them. Multi-values stay `;`-joined, as in the
//! API.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use super::csv::{cell, header_key as key, normalise_bool, normalise_date, Table};
use super::export::Record;
use super::hubspot::{Edge, Kind, Pool, MARKERS};
use super::value::export_error;
use crate::error::Result;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Column {
    /// `Record ID`: the join key.
    Id,
    /// A property, by internal name.
    Property(String),
    /// `Associated Company IDs` (`primary`: the `(Primary)` column).
    CompanyIds { primary: bool },
    /// `Associated Company` names, in the order of the ids.
    CompanyNames { primary: bool },
    /// `Associated Contact IDs`.
    ContactIds,
    /// `Associated Contact`: `Name (email)` items, in the order of the ids.
    ContactNames,
    /// `Associated Deal IDs` (in a contacts or companies export).
    DealIds,
    /// `Associated Line Item IDs`.
    LineItemIds,
}

// Pseudo internal names for the association columns in the alias tables.
const ID: &str = "@id";
const COMPANY_IDS: &str = "@company_ids";
const PRIMARY_COMPANY_IDS: &str = "@primary_company_ids";
const COMPANY_NAMES: &str = "@company_names";
const PRIMARY_COMPANY_NAMES: &str = "@primary_company_names";
const CONTACT_IDS: &str = "@contact_ids";
const CONTACT_NAMES: &str = "@contact_names";
const DEAL_IDS: &str = "@deal_ids";
const LINE_ITEM_IDS: &str = "@line_item_ids";

/// Labels every export may have: English, German, French, Spanish.
const COMMON: &[(&str, &[&str])] = &[
    (
        ID,
        &[
            "Record ID",
            "Object ID",
            "hs_object_id",
            "Datensatz-ID",
            "ID du record",
            "ID de fiche d'informations",
            "ID de registro",
        ],
    ),
    (
        "createdate",
        &[
            "Create Date",
            "Erstelldatum",
            "Erstellungsdatum",
            "Date de création",
            "Fecha de creación",
        ],
    ),
    (
        // CSV exports show the owner's name where the API has `hubspot_owner_id`; the name
        // is kept under its own key so it is never taken for an owner id.
        "hubspot_owner_name",
        &[
            "Deal owner",
            "Contact owner",
            "Company owner",
            "Deal-Inhaber",
            "Kontaktinhaber",
            "Unternehmensinhaber",
            "Propriétaire de la transaction",
            "Propriétaire du contact",
            "Propriétaire de l'entreprise",
            "Propietario del negocio",
            "Propietario del contacto",
            "Propietario de la empresa",
        ],
    ),
    ("hubspot_owner_id", &["Owner ID", "HubSpot Owner ID"]),
    (
        PRIMARY_COMPANY_IDS,
        &[
            "Associated Company IDs (Primary)",
            "Zugeordnete Unternehmens-IDs (primär)",
            "ID des entreprises associées (principale)",
            "ID de empresas asociadas (principal)",
        ],
    ),
    (
        COMPANY_IDS,
        &[
            "Associated Company IDs",
            "Zugeordnete Unternehmens-IDs",
            "ID des entreprises associées",
            "ID de empresas asociadas",
        ],
    ),
    (
        PRIMARY_COMPANY_NAMES,
        &[
            "Associated Company (Primary)",
            "Zugeordnetes Unternehmen (primär)",
            "Entreprise associée (principale)",
            "Empresa asociada (principal)",
        ],
    ),
    (
        COMPANY_NAMES,
        &[
            "Associated Company",
            "Zugeordnetes Unternehmen",
            "Entreprise associée",
            "Empresa asociada",
        ],
    ),
    (
        CONTACT_IDS,
        &[
            "Associated Contact IDs",
            "Zugeordnete Kontakt-IDs",
            "ID des contacts associés",
            "ID de contactos asociados",
        ],
    ),
    (
        CONTACT_NAMES,
        &[
            "Associated Contact",
            "Zugeordneter Kontakt",
            "Contact associé",
            "Contacto asociado",
        ],
    ),
    (
        DEAL_IDS,
        &[
            "Associated Deal IDs",
            "Zugeordnete Deal-IDs",
            "ID des transactions associées",
            "ID de negocios asociados",
        ],
    ),
    (
        LINE_ITEM_IDS,
        &[
            "Associated Line Item IDs",
            "Zugeordnete Artikel-IDs",
            "ID des produits associés",
            "ID de elementos de pedido asociados",
        ],
    ),
    ("city", &["City", "Stadt", "Ort", "Ville", "Ciudad"]),
    (
        "state",
        &[
            "State/Region",
            "Bundesland/Region",
            "État/Région",
            "Estado/Región",
        ],
    ),
    (
        "country",
        &[
            "Country/Region",
            "Land/Region",
            "Pays/Région",
            "País/Región",
        ],
    ),
];

const DEALS: &[(&str, &[&str])] = &[
    (
        "dealname",
        &[
            "Deal Name",
            "Deal-Name",
            "Nom de la transaction",
            "Nombre del negocio",
        ],
    ),
    (
        "amount",
        &["Amount", "Betrag", "Montant", "Importe", "Monto"],
    ),
    (
        "closedate",
        &[
            "Close Date",
            "Abschlussdatum",
            "Date de fermeture",
            "Fecha de cierre",
        ],
    ),
    (
        "dealstage",
        &[
            "Deal Stage",
            "Deal-Phase",
            "Phase de la transaction",
            "Etapa del negocio",
        ],
    ),
    ("pipeline", &["Pipeline"]),
    (
        "hs_is_closed_won",
        &[
            "Is Closed Won",
            "Is closed won",
            "Ist gewonnen",
            "Est gagnée",
            "Está ganado",
        ],
    ),
    ("hs_is_closed", &["Is Deal Closed?", "Is Closed"]),
    (
        "deal_currency_code",
        &[
            "Currency",
            "Deal currency code",
            "Währung",
            "Devise",
            "Moneda",
        ],
    ),
    (
        "description",
        &[
            "Deal Description",
            "Deal-Beschreibung",
            "Description de la transaction",
            "Descripción del negocio",
        ],
    ),
    (
        "dealtype",
        &[
            "Deal Type",
            "Deal-Typ",
            "Type de transaction",
            "Tipo de negocio",
        ],
    ),
    (
        "hs_acv",
        &[
            "Annual contract value",
            "Jährlicher Vertragswert",
            "Valeur annuelle du contrat",
        ],
    ),
    (
        "hs_tcv",
        &[
            "Total contract value",
            "Gesamtvertragswert",
            "Valeur totale du contrat",
        ],
    ),
    (
        "hs_next_step",
        &[
            "Next Step",
            "Nächster Schritt",
            "Prochaine étape",
            "Siguiente paso",
        ],
    ),
];

const CONTACTS: &[(&str, &[&str])] = &[
    ("firstname", &["First Name", "Vorname", "Prénom", "Nombre"]),
    (
        "lastname",
        &["Last Name", "Nachname", "Nom", "Apellidos", "Apellido"],
    ),
    (
        "email",
        &[
            "Email",
            "E-Mail",
            "Adresse e-mail",
            "Correo",
            "Correo electrónico",
        ],
    ),
    (
        "jobtitle",
        &[
            "Job Title",
            "Jobtitel",
            "Berufsbezeichnung",
            "Intitulé du poste",
            "Cargo",
        ],
    ),
    (
        "hs_buying_role",
        &[
            "Buying Role",
            "Buying Roles",
            "Einkaufsrolle",
            "Rôle d'achat",
            "Rol de compra",
        ],
    ),
    (
        "phone",
        &[
            "Phone Number",
            "Telefonnummer",
            "Numéro de téléphone",
            "Número de teléfono",
        ],
    ),
    (
        "company",
        &[
            "Company Name",
            "Name des Unternehmens",
            "Nom de l'entreprise",
            "Nombre de la empresa",
        ],
    ),
    (
        "lifecyclestage",
        &[
            "Lifecycle Stage",
            "Lebenszyklusphase",
            "Phase du cycle de vie",
            "Etapa del ciclo de vida",
        ],
    ),
];

const COMPANIES: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "Company name",
            "Name",
            "Name des Unternehmens",
            "Firmenname",
            "Nom de l'entreprise",
            "Nombre de la empresa",
        ],
    ),
    (
        "domain",
        &[
            "Company Domain Name",
            "Domain-Name des Unternehmens",
            "Nom de domaine de l'entreprise",
            "Nombre de dominio de la empresa",
        ],
    ),
    (
        "industry",
        &["Industry", "Branche", "Secteur d'activité", "Sector"],
    ),
    (
        "numberofemployees",
        &[
            "Number of Employees",
            "Anzahl der Mitarbeiter",
            "Anzahl der Beschäftigten",
            "Nombre d'employés",
            "Número de empleados",
        ],
    ),
    (
        "annualrevenue",
        &[
            "Annual Revenue",
            "Jahresumsatz",
            "Chiffre d'affaires annuel",
            "Ingresos anuales",
        ],
    ),
    (
        "website",
        &[
            "Website URL",
            "Website-URL",
            "URL du site web",
            "URL del sitio web",
        ],
    ),
];

/// Stage labels of HubSpot's default sales pipeline → the stage ids the API writes.
const DEFAULT_STAGES: &[(&str, &[&str])] = &[
    (
        "appointmentscheduled",
        &["Appointment Scheduled", "Termin vereinbart"],
    ),
    ("qualifiedtobuy", &["Qualified To Buy", "Kaufbereit"]),
    (
        "presentationscheduled",
        &["Presentation Scheduled", "Präsentation geplant"],
    ),
    (
        "decisionmakerboughtin",
        &["Decision Maker Bought-In", "Entscheidungsträger überzeugt"],
    ),
    (
        "contractsent",
        &[
            "Contract Sent",
            "Vertrag gesendet",
            "Contrat envoyé",
            "Contrato enviado",
        ],
    ),
    (
        "closedwon",
        &[
            "Closed Won",
            "Abgeschlossen und gewonnen",
            "Conclue gagnée",
            "Cerrado ganado",
        ],
    ),
    (
        "closedlost",
        &[
            "Closed Lost",
            "Abgeschlossen und verloren",
            "Conclue perdue",
            "Cerrado perdido",
        ],
    ),
];

fn table_of(kind: Kind) -> &'static [(&'static str, &'static [&'static str])] {
    match kind {
        Kind::Deal => DEALS,
        Kind::Contact => CONTACTS,
        Kind::Company | Kind::LineItem => COMPANIES,
    }
}

/// Header key → column, for an export of `kind` (its own table first, then the common one).
fn aliases(kind: Kind) -> HashMap<String, &'static str> {
    let mut map = HashMap::new();
    for (internal, labels) in table_of(kind).iter().chain(COMMON) {
        if !internal.starts_with('@') {
            map.entry(key(internal)).or_insert(*internal);
        }
        for label in labels.iter() {
            map.entry(key(label)).or_insert(*internal);
        }
    }
    map
}

fn column(aliases: &HashMap<String, &'static str>, label: &str) -> Column {
    match aliases.get(&key(label)).copied() {
        Some(ID) => Column::Id,
        Some(COMPANY_IDS) => Column::CompanyIds { primary: false },
        Some(PRIMARY_COMPANY_IDS) => Column::CompanyIds { primary: true },
        Some(COMPANY_NAMES) => Column::CompanyNames { primary: false },
        Some(PRIMARY_COMPANY_NAMES) => Column::CompanyNames { primary: true },
        Some(CONTACT_IDS) => Column::ContactIds,
        Some(CONTACT_NAMES) => Column::ContactNames,
        Some(DEAL_IDS) => Column::DealIds,
        Some(LINE_ITEM_IDS) => Column::LineItemIds,
        Some(internal) => Column::Property(internal.to_string()),
        None => Column::Property(label.trim().to_string()),
    }
}

/// Whether the header has a `Record ID` column (in any language the table knows).
fn has_record_id(header: &[String]) -> bool {
    let common = aliases(Kind::Deal);
    header
        .iter()
        .any(|label| common.get(&key(label)) == Some(&ID))
}

/// Which object an export's header is of, if it is a HubSpot export at all.
fn kind_of(header: &[String]) -> Option<Kind> {
    if !has_record_id(header) {
        return None;
    }
    let mut best = None;
    let mut best_hits = 0;
    // The properties that tell a record's type in the API tell an export's type too (a CSV
    // export is never of line items).
    for (kind, markers) in MARKERS.iter().filter(|(kind, _)| *kind != Kind::LineItem) {
        let aliases = aliases(*kind);
        let hits = header
            .iter()
            .filter(|label| {
                aliases
                    .get(&key(label))
                    .is_some_and(|internal| markers.contains(internal))
            })
            .count();
        if hits > best_hits {
            best = Some(*kind);
            best_hits = hits;
        }
    }
    best
}

/// Whether a CSV header is a HubSpot export's: it has a `Record ID` column (whether its other
/// labels say deals, contacts or companies is for [`read`] to tell, with a message).
pub(crate) fn looks_like(header: &[String]) -> bool {
    has_record_id(header)
}

/// Reads one HubSpot CSV export into the pool.
pub(crate) fn read(file_index: usize, path: &Path, table: &Table, pool: &mut Pool) -> Result<()> {
    let Some(kind) = kind_of(&table.header) else {
        return Err(export_error(
            path,
            "not a HubSpot CSV export of deals, contacts or companies: expected a Record ID \
             column and property labels such as Deal Name, First Name or Company name \
             (export with the Record ID column; see docs/crm-hubspot.md)",
        ));
    };
    let aliases = aliases(kind);
    let columns: Vec<Column> = table
        .header
        .iter()
        .map(|label| column(&aliases, label))
        .collect();
    for row in &table.rows {
        if row.is_blank() {
            continue;
        }
        let mut record = Record::default();
        let mut lists: HashMap<&Column, Vec<String>> = HashMap::new();
        let mut seen: HashSet<(&Column, String)> = HashSet::new();
        for (column, value) in columns.iter().zip(&row.fields) {
            let Some(value) = cell(value) else {
                continue;
            };
            let value = value.as_str();
            match column {
                Column::Id => {
                    if record.id.is_empty() {
                        record.id = value.to_string();
                    }
                }
                Column::Property(name) => {
                    // A repeated header: the first non-empty value is kept.
                    if !record.properties.contains_key(name) {
                        record
                            .properties
                            .insert(name.clone(), normalise(name, value));
                    }
                }
                list => {
                    let items = lists.entry(list).or_default();
                    for item in split(value) {
                        if seen.insert((list, item.clone())) {
                            items.push(item);
                        }
                    }
                }
            }
        }
        if record.id.is_empty() {
            return Err(export_error(
                path,
                format!(
                    "line {}: the row has no Record ID; export with the Record ID column (it \
                     joins the deal, contact and company files)",
                    row.line
                ),
            ));
        }
        let id = record.id.clone();
        let list = |column: Column| lists.get(&column).cloned().unwrap_or_default();
        match kind {
            Kind::Deal => {
                let edge = |kind, to: &String, labels: Vec<String>| Edge {
                    file: path.to_path_buf(),
                    deal: Some(id.clone()),
                    kind: Some(kind),
                    to: to.clone(),
                    labels,
                };
                let primary = list(Column::CompanyIds { primary: true });
                let companies = list(Column::CompanyIds { primary: false });
                let named_companies = [
                    (&primary, list(Column::CompanyNames { primary: true })),
                    (&companies, list(Column::CompanyNames { primary: false })),
                ];
                let contacts = list(Column::ContactIds);
                let contact_names = list(Column::ContactNames);
                let line_items = list(Column::LineItemIds);
                pool.add(Kind::Deal, file_index, path, record);
                for to in &primary {
                    pool.associate(edge(Kind::Company, to, vec!["Primary".to_string()]));
                }
                for to in &companies {
                    pool.associate(edge(Kind::Company, to, Vec::new()));
                }
                for to in &contacts {
                    pool.associate(edge(Kind::Contact, to, Vec::new()));
                }
                for to in &line_items {
                    pool.associate(edge(Kind::LineItem, to, Vec::new()));
                }
                // Names in the deal export stand in for the companies' and contacts' own
                // exports, when they pair with the ids one to one.
                for (ids, names) in named_companies {
                    if ids.len() == names.len() {
                        for (id, name) in ids.iter().zip(names) {
                            let mut company = Record {
                                id: id.clone(),
                                ..Record::default()
                            };
                            company.properties.insert("name".to_string(), name);
                            pool.add(Kind::Company, file_index, path, company);
                        }
                    }
                }
                if contacts.len() == contact_names.len() {
                    for (id, item) in contacts.iter().zip(&contact_names) {
                        pool.add(Kind::Contact, file_index, path, named_contact(id, item));
                    }
                }
            }
            Kind::Contact | Kind::Company | Kind::LineItem => {
                let deals = list(Column::DealIds);
                pool.add(kind, file_index, path, record);
                for deal in deals {
                    pool.associate(Edge {
                        file: path.to_path_buf(),
                        deal: Some(deal),
                        kind: Some(kind),
                        to: id.clone(),
                        labels: Vec::new(),
                    });
                }
            }
        }
    }
    Ok(())
}

/// The items of a multi-value association column (`;`-joined; names hold commas, not
/// semicolons).
fn split(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_string)
}

/// A contact from an `Associated Contact` item, `Pat Kim (pat.kim@example.com)`: the name is
/// split at its first space into `firstname` and `lastname` (joined with a space they give
/// the name back), the part in parentheses is the `email`.
fn named_contact(id: &str, item: &str) -> Record {
    let mut record = Record {
        id: id.to_string(),
        ..Record::default()
    };
    let (name, email) = match item
        .strip_suffix(')')
        .and_then(|rest| rest.rsplit_once('('))
    {
        Some((name, email)) if email.contains('@') => (name.trim(), Some(email.trim())),
        _ => (item.trim(), None),
    };
    if let Some(email) = email {
        record.properties.insert("email".into(), email.to_string());
    }
    if !name.is_empty() && !name.contains('@') {
        let (first, last) = name.split_once(' ').unwrap_or((name, ""));
        record
            .properties
            .insert("firstname".into(), first.to_string());
        if !last.trim().is_empty() {
            record
                .properties
                .insert("lastname".into(), last.trim().to_string());
        }
    } else if email.is_none() && name.contains('@') {
        record.properties.insert("email".into(), name.to_string());
    }
    record
}

/// HubSpot's buying roles, as the API writes them.
const BUYING_ROLES: &[&str] = &[
    "BLOCKER",
    "BUDGET_HOLDER",
    "CHAMPION",
    "DECISION_MAKER",
    "END_USER",
    "EXECUTIVE_SPONSOR",
    "INFLUENCER",
    "LEGAL_AND_COMPLIANCE",
    "OTHER",
];

/// `Decision Maker;Budget Holder` → `DECISION_MAKER;BUDGET_HOLDER`: the English labels of
/// HubSpot's buying roles become the values the API writes; other items stay as written.
fn buying_roles(value: &str) -> String {
    let items: Vec<String> = value
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let id: String = item
                .replace('&', "and")
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| !word.is_empty())
                .map(str::to_uppercase)
                .collect::<Vec<_>>()
                .join("_");
            if BUYING_ROLES.contains(&id.as_str()) {
                id
            } else {
                item.to_string()
            }
        })
        .collect();
    items.join(";")
}

/// A cell's value as the API would write it (see the module doc).
fn normalise(name: &str, value: &str) -> String {
    if name.starts_with("hs_is_") {
        if let Some(flag) = normalise_bool(value) {
            return flag.to_string();
        }
    }
    if name == "hs_buying_role" {
        return buying_roles(value);
    }
    if name == "dealstage" {
        static STAGES: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
            let mut stages = HashMap::new();
            for (id, labels) in DEFAULT_STAGES {
                stages.insert(key(id), *id);
                for label in labels.iter() {
                    stages.insert(key(label), *id);
                }
            }
            stages
        });
        if let Some(id) = STAGES.get(&key(value)) {
            return id.to_string();
        }
    }
    normalise_date(value).unwrap_or_else(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Instant;

    use super::*;
    use crate::prefill::export::{Associated, Deal, Vendor};
    use crate::prefill::read::parse_exports;
    use crate::prefill::value::testing::{read, record};

    #[test]
    fn headers_match_labels_internal_names_and_other_languages() {
        let deals = aliases(Kind::Deal);
        for label in [
            "Deal Name",
            "deal name",
            "dealname",
            "DEAL_NAME",
            "Nombre del negocio",
        ] {
            assert_eq!(
                column(&deals, label),
                Column::Property("dealname".into()),
                "{label}"
            );
        }
        assert_eq!(column(&deals, " Record ID "), Column::Id);
        assert_eq!(column(&deals, "Datensatz-ID"), Column::Id);
        assert_eq!(
            column(&deals, "Associated Company IDs (Primary)"),
            Column::CompanyIds { primary: true }
        );
        assert_eq!(
            column(&deals, "Implementation Partner"),
            Column::Property("Implementation Partner".into())
        );
        let contacts = aliases(Kind::Contact);
        assert_eq!(
            column(&contacts, "Company Name"),
            Column::Property("company".into())
        );
        let companies = aliases(Kind::Company);
        assert_eq!(
            column(&companies, "Company name"),
            Column::Property("name".into())
        );
    }

    #[test]
    fn the_csv_trio_joins_by_record_id() {
        let exports = read(&[
            "hubspot-deals.csv",
            "hubspot-contacts.csv",
            "hubspot-companies.csv",
        ]);
        let ids: Vec<_> = exports.deals.iter().map(|d| d.record.id.as_str()).collect();
        assert_eq!(ids, ["9001001", "9001002", "9001003"]);
        let northwind = &exports.deals[0];
        let expected = Deal {
            vendor: Vendor::HubSpot,
            file: PathBuf::from("hubspot-deals.csv"),
            record: record(
                "9001001",
                &[
                    ("amount", "48000.0"),
                    ("closedate", "2026-10-15"),
                    ("createdate", "2026-08-03"),
                    ("deal_currency_code", "USD"),
                    ("dealname", "Northwind Freight - Platform"),
                    ("dealstage", "closedwon"),
                    (
                        "description",
                        "Platform, 3 warehouses.\nGo-live before the February peak.",
                    ),
                    ("hs_is_closed_won", "true"),
                    ("hubspot_owner_name", "Jordan Lee"),
                    ("pipeline", "Sales Pipeline"),
                    ("Implementation Partner", "Keystone Integrations"),
                ],
            ),
            companies: vec![
                Associated {
                    record: record(
                        "5501",
                        &[
                            ("city", "Columbus"),
                            ("country", "United States"),
                            ("createdate", "2025-03-11"),
                            ("domain", "northwind-freight.example"),
                            ("industry", "Logistics and Supply Chain"),
                            ("name", "Northwind Freight"),
                            ("numberofemployees", "850"),
                            ("state", "Ohio"),
                        ],
                    ),
                    labels: vec!["Primary".into()],
                },
                Associated {
                    record: record(
                        "5502",
                        &[
                            ("city", "Chicago"),
                            ("country", "United States"),
                            ("createdate", "2025-03-11"),
                            ("domain", "northwind-holdings.example"),
                            ("name", "Northwind Holdings"),
                            ("state", "Illinois"),
                        ],
                    ),
                    labels: vec![],
                },
            ],
            contacts: vec![
                Associated {
                    record: record(
                        "7301",
                        &[
                            ("company", "Northwind Freight"),
                            ("email", "pat.kim@northwind-freight.example"),
                            ("firstname", "Pat"),
                            ("hs_buying_role", "CHAMPION"),
                            ("jobtitle", "VP Operations"),
                            ("lastname", "Kim"),
                        ],
                    ),
                    labels: vec![],
                },
                Associated {
                    record: record(
                        "7302",
                        &[
                            ("company", "Northwind Freight"),
                            ("email", "dana.ruiz@northwind-freight.example"),
                            ("firstname", "Dana"),
                            ("hs_buying_role", "DECISION_MAKER;BUDGET_HOLDER"),
                            ("jobtitle", "CFO"),
                            ("lastname", "Ruiz"),
                        ],
                    ),
                    labels: vec![],
                },
                Associated {
                    // Associated through the contacts export's Associated Deal IDs only.
                    record: record(
                        "7303",
                        &[
                            ("email", "lee.ng@northwind-freight.example"),
                            ("firstname", "Lee"),
                            ("jobtitle", "IT Director"),
                            ("lastname", "Ng"),
                        ],
                    ),
                    labels: vec![],
                },
            ],
            line_items: vec![],
        };
        assert_eq!(northwind, &expected);
        // The lost deal: a stage label of the default pipeline, `No` for Is Closed Won.
        assert_eq!(exports.deals[2].record.get("dealstage"), Some("closedlost"));
        assert_eq!(
            exports.deals[2].record.get("hs_is_closed_won"),
            Some("false")
        );
        assert_eq!(exports.deals[2].record.get("closedate"), Some("2026-11-02"));
    }

    #[test]
    fn a_deals_export_alone_names_companies_and_contacts() {
        let exports = read(&["hubspot-deals.csv"]);
        let contoso = &exports.deals[1];
        assert_eq!(contoso.companies.len(), 1);
        assert_eq!(
            contoso.companies[0].record,
            record("5601", &[("name", "Contoso Health")])
        );
        assert_eq!(contoso.companies[0].labels, ["Primary"]);
        assert_eq!(
            contoso.contacts[0].record,
            record(
                "7401",
                &[
                    ("email", "sam.okafor@contoso-health.example"),
                    ("firstname", "Sam"),
                    ("lastname", "Okafor"),
                ]
            )
        );
        assert_eq!(
            contoso.contacts[1].record,
            record(
                "7402",
                &[
                    ("email", "maria.de.la.cruz@contoso-health.example"),
                    ("firstname", "María"),
                    ("lastname", "de la Cruz"),
                ]
            )
        );
    }

    #[test]
    fn a_repeated_header_keeps_the_first_value_that_is_not_empty() {
        // hubspot-deals.csv has `Amount` twice; the first is empty for deal 9001002.
        let exports = read(&["hubspot-deals.csv"]);
        assert_eq!(exports.deals[0].record.get("amount"), Some("48000.0"));
        assert_eq!(exports.deals[1].record.get("amount"), Some("125000.0"));
    }

    #[test]
    fn a_german_export_reads_as_the_english_one() {
        let german = read(&["hubspot-deals-de.csv", "hubspot-contacts-de.csv"]);
        let english = read(&["hubspot-deals.csv", "hubspot-contacts.csv"]);
        let deal = &german.deals[0];
        assert_eq!(deal.file, PathBuf::from("hubspot-deals-de.csv"));
        for name in [
            "dealname",
            "amount",
            "closedate",
            "dealstage",
            "hs_is_closed_won",
        ] {
            assert_eq!(
                deal.record.get(name),
                english.deals[0].record.get(name),
                "{name}"
            );
        }
        assert_eq!(deal.companies[0].labels, ["Primary"]);
        let contact = &deal.contacts[0].record;
        assert_eq!(contact.get("firstname"), Some("Pat"));
        assert_eq!(contact.get("jobtitle"), Some("VP Operations"));
        assert_eq!(contact.get("hs_buying_role"), Some("CHAMPION"));
    }

    #[test]
    fn associated_contact_items_give_name_and_email() {
        let contact = named_contact("1", "Pat Kim (Ops) (pat@example.com)");
        assert_eq!(
            contact,
            record(
                "1",
                &[
                    ("email", "pat@example.com"),
                    ("firstname", "Pat"),
                    ("lastname", "Kim (Ops)"),
                ]
            )
        );
        assert_eq!(
            named_contact("2", "Madonna"),
            record("2", &[("firstname", "Madonna")])
        );
        assert_eq!(
            named_contact("3", "pat@example.com"),
            record("3", &[("email", "pat@example.com")])
        );
    }

    #[test]
    fn a_record_id_export_of_no_known_object_says_so() {
        let csv = "Record ID,Ticket name,Priority\n1,Printer,HIGH\n";
        let err = parse_exports(&[(PathBuf::from("tickets.csv"), csv.into())], None)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "tickets.csv: not a HubSpot CSV export of deals, contacts or companies"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_row_without_record_id_names_its_line() {
        let csv = "Record ID,Deal Name,Amount\n1,A,10\n,B,20\n";
        let err = parse_exports(&[(PathBuf::from("deals.csv"), csv.into())], None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "deals.csv: line 3: the row has no Record ID; export with the Record ID column (it \
             joins the deal, contact and company files)"
        );
    }

    #[test]
    fn a_thousand_deals_read_in_well_under_a_second() {
        let mut csv = String::from(
            "Record ID,Deal Name,Amount,Close Date,Deal Stage,Is Closed Won,\
             Associated Company IDs (Primary),Associated Company (Primary),\
             Associated Contact IDs,Associated Contact\n",
        );
        for i in 0..1000 {
            csv.push_str(&format!(
                "{id},\"Company {i}, Inc. - Platform\",{amount}.0,2026-10-{day:02} 14:30,\
                 Closed Won,true,{company},\"Company {i}, Inc.\",{c1};{c2},\
                 Pat Kim{i} (pat{i}@example.com);Dana Ruiz{i} (dana{i}@example.com)\n",
                id = 9_000_000 + i,
                amount = 10_000 + i,
                day = i % 28 + 1,
                company = 5_000_000 + i,
                c1 = 7_000_000 + 2 * i,
                c2 = 7_000_001 + 2 * i,
            ));
        }
        let files = [(PathBuf::from("deals.csv"), csv.into_bytes())];
        let started = Instant::now();
        let exports = parse_exports(&files, None).unwrap();
        let took = started.elapsed();
        eprintln!("read 1,000 deals from CSV in {took:?}");
        assert_eq!(exports.deals.len(), 1000);
        assert_eq!(exports.deals[999].contacts.len(), 2);
        assert_eq!(
            exports.deals[999].companies[0].record.get("name"),
            Some("Company 999, Inc.")
        );
        // Generous for a debug build on a shared machine (3.5 s seen at a load average of 20
        // on 2 cores); a bound that catches a quadratic slip, not a measurement.
        assert!(took.as_secs_f64() < 30.0, "{took:?}");
    }
}
