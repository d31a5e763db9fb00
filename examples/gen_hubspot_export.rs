//! Generates a HubSpot CSV export of N closed-won deals for the `new --prefill --each`
//! benchmark and test (issue 13): the three files a record index's Export → CSV writes
//! (`deals.csv`, `contacts.csv`, `companies.csv`), with HubSpot's English property labels as
//! headers, a byte-order mark, the repeated `Amount` column, `;`-joined associations,
//! `Name (email)` contact cells, `YYYY-MM-DD HH:MM` and `M/D/YYYY H:MM` dates, `25000.0`
//! numbers, quoted cells with commas, quotes and line breaks, and one company for every five
//! deals' worth of repeat customers (so some handoff names collide and get `-2`).
//! Deterministic: the same N gives the same files.
//!
//! `cargo run --release --example gen_hubspot_export -- 1000 /tmp/bench/exports`

use std::fmt::Write as _;

const PREFIXES: [&str; 30] = [
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Wingtip",
    "Litware",
    "Adventure",
    "Alpine",
    "Blue Yonder",
    "Coho",
    "Datum",
    "Fourth",
    "Graphic",
    "Humongous",
    "Lucerne",
    "Margie's",
    "Proseware",
    "Southridge",
    "Trey",
    "Wide World",
    "Woodgrove",
    "Relecloud",
    "Lamna",
    "Bellows",
    "Munson's",
    "Nod",
    "Consolidated",
    "Best For You",
    "VanArsdel",
    "Fincher",
];
const SUFFIXES: [&str; 30] = [
    "Freight",
    "Health",
    "Logistics",
    "Toys",
    "Airlines",
    "Systems",
    "Works",
    "Ski House",
    "Shipping",
    "Winery",
    "Corp",
    "Coffee",
    "Design",
    "Insurance",
    "Publishing",
    "Travel",
    "Software",
    "Video",
    "Research",
    "Importers",
    "Bank",
    "Energy",
    "Foods",
    "College",
    "Pickle Co.",
    "Publishers",
    "Messenger",
    "Organics",
    "Electronics",
    "Studios",
];
const INDUSTRIES: [&str; 6] = [
    "Logistics and Supply Chain",
    "Hospital & Health Care",
    "Computer Software",
    "Financial Services",
    "Retail",
    "",
];
const CITIES: [(&str, &str, &str); 5] = [
    ("Columbus", "Ohio", "United States"),
    ("Boston", "Massachusetts", "United States"),
    ("Toronto", "Ontario", "Canada"),
    ("Berlin", "", "Germany"),
    ("", "", ""),
];
const FIRST: [&str; 8] = [
    "Pat", "Dana", "Sam", "María", "Lukas", "Priya", "Chen", "Amara",
];
const LAST: [&str; 8] = [
    "Kim",
    "Ruiz",
    "Okafor",
    "de la Cruz",
    "Novak",
    "Nair",
    "Wei",
    "Osei",
];
const TITLES: [&str; 4] = ["VP Operations", "CFO", "Head of IT", "Director, Logistics"];
const ROLES: [&str; 4] = ["Champion", "Decision Maker;Budget Holder", "", "End User"];
const OWNERS: [&str; 3] = ["Jordan Lee", "Avery Chen", "Jane Doe"];

/// The three files of one export.
pub struct HubspotCsvExport {
    pub deals: String,
    pub contacts: String,
    pub companies: String,
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// An export of `deals` closed-won deals, each with two contacts and a primary company.
pub fn hubspot_csv_export(deals: usize) -> HubspotCsvExport {
    let companies = deals.saturating_sub(deals / 5).max(1);
    let company_name = |c: usize| {
        let base = format!("{} {}", PREFIXES[c % 30], SUFFIXES[(c / 30) % 30]);
        match c / 900 {
            0 => base,
            n => format!("{base} {}", n + 1),
        }
    };
    let mut out = HubspotCsvExport {
        deals: String::from(
            "\u{feff}Record ID,Deal Name,Deal Stage,Close Date,Amount,Deal owner,Pipeline,\
             Create Date,Currency,Is Closed Won,Deal Description,Associated Company IDs (Primary),\
             Associated Company (Primary),Associated Company IDs,Associated Company,\
             Associated Contact IDs,Associated Contact,Amount\n",
        ),
        contacts: String::from(
            "\u{feff}Record ID,First Name,Last Name,Email,Job Title,Buying Role,Company Name,\
             Associated Deal IDs\n",
        ),
        companies: String::from(
            "\u{feff}Record ID,Company name,Company Domain Name,Industry,Number of Employees,City,\
             State/Region,Country/Region,Create Date,Associated Deal IDs\n",
        ),
    };
    let mut company_deals: Vec<Vec<usize>> = vec![Vec::new(); companies];
    for d in 0..deals {
        company_deals[d % companies].push(d);
    }
    for (c, its_deals) in company_deals.iter().enumerate() {
        let (city, state, country) = CITIES[c % CITIES.len()];
        let name = company_name(c);
        let domain = format!(
            "{}.example",
            name.to_lowercase().replace([' ', '\'', '.'], "-")
        );
        let employees = if c % 7 == 6 {
            String::new()
        } else {
            (50 + c * 37 % 5000).to_string()
        };
        let deal_ids: Vec<String> = its_deals
            .iter()
            .map(|d| (9_000_000 + d).to_string())
            .collect();
        let _ = writeln!(
            out.companies,
            "{},{},{domain},{},{employees},{city},{state},{country},2025-03-11 09:30,{}",
            5_000_000 + c,
            cell(&name),
            cell(INDUSTRIES[c % INDUSTRIES.len()]),
            deal_ids.join(";"),
        );
    }
    for d in 0..deals {
        let c = d % companies;
        let company = company_name(c);
        let domain = format!(
            "{}.example",
            company.to_lowercase().replace([' ', '\'', '.'], "-")
        );
        let contacts: Vec<(usize, String, String)> = (0..2)
            .map(|k| {
                let id = 7_000_000 + 2 * d + k;
                let first = FIRST[(d + 3 * k) % FIRST.len()];
                let last = LAST[(d / 8 + k) % LAST.len()];
                let email = format!(
                    "{}.{}.{d}@{domain}",
                    first.to_lowercase().replace('í', "i"),
                    last.to_lowercase().replace(' ', "-")
                );
                let _ = writeln!(
                    out.contacts,
                    "{id},{first},{last},{email},{},{},{},{}",
                    cell(TITLES[(d + k) % TITLES.len()]),
                    cell(ROLES[(d + 2 * k) % ROLES.len()]),
                    cell(&company),
                    9_000_000 + d
                );
                (id, format!("{first} {last}"), email)
            })
            .collect();
        let close = if d % 2 == 0 {
            format!("2026-{:02}-{:02} 16:00", 10 + d % 3, 1 + d % 28)
        } else {
            format!("{}/{}/2026 9:{:02}", 10 + d % 3, 1 + d % 28, d % 60)
        };
        let amount = format!("{}.0", 12_000 + (d * 7_919) % 240_000);
        let description = match d % 4 {
            0 => "Platform, 3 warehouses.\nGo-live before the \"peak\" season.".to_string(),
            1 => format!("Expansion: {} more seats", 10 + d % 90),
            _ => String::new(),
        };
        let _ = writeln!(
            out.deals,
            "{},{},Closed Won,{close},{amount},{},Sales Pipeline,2026-08-03 14:12,{},true,{},{},{},{},{},{},{},{amount}",
            9_000_000 + d,
            cell(&format!("{company} - {}", if d < companies { "Platform" } else { "Expansion" })),
            OWNERS[d % OWNERS.len()],
            if d % 10 == 9 { "EUR" } else { "USD" },
            cell(&description),
            5_000_000 + c,
            cell(&company),
            5_000_000 + c,
            cell(&company),
            contacts
                .iter()
                .map(|(id, _, _)| id.to_string())
                .collect::<Vec<_>>()
                .join(";"),
            cell(
                &contacts
                    .iter()
                    .map(|(_, name, email)| format!("{name} ({email})"))
                    .collect::<Vec<_>>()
                    .join(";")
            ),
        );
    }
    out
}

#[allow(dead_code)] // Included by the CLI tests, which call only `hubspot_csv_export`.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: gen_hubspot_export N DIR";
    let count: usize = args.next().ok_or(usage)?.parse()?;
    let dir = std::path::PathBuf::from(args.next().ok_or(usage)?);
    std::fs::create_dir_all(&dir)?;
    let export = hubspot_csv_export(count);
    std::fs::write(dir.join("deals.csv"), export.deals)?;
    std::fs::write(dir.join("contacts.csv"), export.contacts)?;
    std::fs::write(dir.join("companies.csv"), export.companies)?;
    println!("wrote {count} deals to {}", dir.display());
    Ok(())
}
