//! What a CRM or call-recording export says, vendor by vendor but in one shape: the records of
//! a deal (the deal, its companies, contacts and line items) with the vendor's own property
//! names, and the calls with their parties and sentences. The readers (one per vendor format)
//! produce this; the mapping (`crm/*.yaml`) turns it into handoff fields. Nothing here knows a
//! handoff path.
//!
//! How values look, whatever the file format (so the mapping reads one form):
//! - Text as the vendor wrote it; numbers as decimal text (`"48000.00"` from HubSpot JSON is
//!   kept, a JSON number `120000.0` becomes `120000`, a CSV `25000.0` is kept); booleans as
//!   `true` / `false` (CSV yes/no columns included: `Yes`, `Ja`, `1` → `true`).
//! - Dates: JSON dates and times are kept as given, ISO 8601 (`2026-10-15`,
//!   `2026-10-15T16:00:00Z`; the mapping takes the day in UTC). CSV dates (`2026-10-15 16:00`,
//!   `10/15/2026 4:00 PM`, `15.10.2026`) are normalised to the day as shown, `YYYY-MM-DD`: a
//!   CSV export writes times in the exporting user's time zone without naming it, so the time
//!   of day is dropped rather than guessed into UTC.
//! - HubSpot CSV headers are mapped to internal names (`Deal Name` → `dealname`); a header
//!   the alias table does not know keeps its own text (`Implementation Partner`). A default
//!   pipeline's stage label becomes its id (`Closed Won` → `closedwon`), an English buying
//!   role label its value (`Decision Maker` → `DECISION_MAKER`); other enumerations
//!   keep the export's label (`Logistics and Supply Chain` where the API says
//!   `LOGISTICS_AND_SUPPLY_CHAIN`), and multi-values stay `;`-joined. The deal owner, a name
//!   in CSV exports, is `hubspot_owner_name` (the API's `hubspot_owner_id` is an id).
//! - A record whose id the export does not give (a Salesforce report without an ID column)
//!   has the id `""`.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Which vendor an export came from (it selects the mapping and names the citation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vendor {
    /// HubSpot CRM (API JSON or CSV export).
    HubSpot,
    /// Salesforce (SOQL result JSON or report CSV).
    Salesforce,
    /// Gong call recordings (`/v2/calls/extensive`, `/v2/calls/transcript`).
    Gong,
}

impl Vendor {
    /// The name used in citations: `HubSpot`, `Salesforce`, `Gong`.
    pub fn name(self) -> &'static str {
        match self {
            Vendor::HubSpot => "HubSpot",
            Vendor::Salesforce => "Salesforce",
            Vendor::Gong => "Gong",
        }
    }
}

/// One CRM object: its id and its properties under the vendor's internal names (HubSpot
/// `dealname`, `amount`, `closedate`; Salesforce `Name`, `Amount`, `CloseDate`). Values are
/// kept as the vendor wrote them, as text (`"48000.00"`, `"true"`); a property that is null or
/// `""` is absent, so "missing" has one representation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// The vendor's id (`9001001`, `006xx000004TmiQAAS`).
    pub id: String,
    /// Property name (internal, as the vendor's API names it) → value.
    pub properties: BTreeMap<String, String>,
}

impl Record {
    /// A property's value, if present and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.properties
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}

/// A record associated with a deal, with the labels of that association as the export gives
/// them: HubSpot v4 `label`s (`Primary`, `Champion`) and v3 `type`s (`deal_to_company`,
/// `deal_to_company_unlabeled`, a custom label's internal name), HubSpot CSV "(Primary)"
/// columns as `Primary`; Salesforce contact-role `Role` values (`Decision Maker`) and
/// `IsPrimary: true` as `Primary`. Role maps in the mapping data interpret them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Associated {
    /// The associated record (a company or a contact).
    pub record: Record,
    /// The association's labels / types / roles, in the export's order, without duplicates.
    pub labels: Vec<String>,
}

/// One deal (HubSpot deal, Salesforce opportunity) with everything the export associates to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    /// The vendor.
    pub vendor: Vendor,
    /// The export file the deal came from (as given on the command line).
    pub file: PathBuf,
    /// The deal itself. Salesforce's nested objects other than the account and contact roles
    /// are flattened with dots (`Owner.Email`).
    pub record: Record,
    /// Associated companies (Salesforce: the `Account`, labelled `Primary`).
    pub companies: Vec<Associated>,
    /// Associated contacts (Salesforce: `OpportunityContactRoles`, labelled with their `Role`).
    pub contacts: Vec<Associated>,
    /// Line items (HubSpot line items, Salesforce `OpportunityLineItems`), in export order.
    pub line_items: Vec<Record>,
}

/// Whether a call party belongs to the customer's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affiliation {
    /// Gong `External`: the customer's side.
    External,
    /// Gong `Internal`: the seller's side.
    Internal,
    /// Gong `Unknown`, or not given.
    Unknown,
}

/// A participant of a recorded call.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// The id sentences refer to (`speakerId`), when the export gives one.
    pub speaker_id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Customer side or seller side.
    pub affiliation: Affiliation,
}

/// One sentence of a transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// Who said it (`speakerId`).
    pub speaker_id: String,
    /// Gong's topic of the monologue it belongs to (`Objections`, `Pricing`), if any.
    pub topic: Option<String>,
    /// Milliseconds from the start of the call.
    pub start_ms: u64,
    /// What was said.
    pub text: String,
}

/// One recorded call, merged from `calls/extensive` (metadata, parties) and
/// `calls/transcript` (sentences) by call id; either part may be missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The export file(s) the call came from.
    pub files: Vec<PathBuf>,
    /// Gong's call id.
    pub id: String,
    /// The call's title (`Discovery call`).
    pub title: Option<String>,
    /// When it started (`metaData.started`).
    pub started: Option<jiff::Timestamp>,
    /// Participants.
    pub parties: Vec<Party>,
    /// Sentences in time order.
    pub sentences: Vec<Sentence>,
}

/// Everything read from the export files of one command.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exports {
    /// Deals, in file order then export order.
    pub deals: Vec<Deal>,
    /// Calls, in file order then export order.
    pub calls: Vec<Call>,
}
