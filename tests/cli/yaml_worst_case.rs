//! Worst-case handoffs (issue 11 §3): files near the 1 MiB cap full of nodes and schema errors
//! are parsed, located and validated in time linear in their size. The bounds are generous
//! (seconds, in a debug build) so that a loaded CI machine cannot flake them; a quadratic pass
//! takes minutes on these files (the process is killed at the bound).

use std::time::{Duration, Instant};

use crate::util::{spec_sales_cs, Repo};

// CPU time is about 1.5 s for each file in a debug build; the bound leaves room for a machine
// shared with other builds (wall time there was 3-5 times the CPU time).
const BOUND: Duration = Duration::from_secs(30);

/// `handoff lint --format json` on one file, killed at [`BOUND`]: (exit code, the file's
/// report, seconds taken).
fn lint_within_bound(yaml: &str) -> (i32, serde_json::Value, f64) {
    assert!(yaml.len() < 1 << 20, "{} bytes: over the cap", yaml.len());
    let repo = Repo::new();
    repo.write("handoffs/big.yaml", yaml);
    let started = Instant::now();
    let output = repo
        .cmd()
        .args(["lint", "--format", "json"])
        .timeout(BOUND)
        .output()
        .expect("run");
    let took = started.elapsed();
    let code = output.status.code();
    assert!(
        code.is_some() && took < BOUND,
        "killed or too slow: {took:?} ({} bytes)",
        yaml.len()
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    (
        code.unwrap_or_default(),
        report["files"][0].clone(),
        took.as_secs_f64(),
    )
}

/// The SPEC example with its `risks:` block replaced by `risks` (the text after the key).
fn with_risks(risks: &str) -> String {
    let spec = spec_sales_cs();
    let start = spec.find("risks:\n").expect("risks");
    let end = spec.find("technical:\n").expect("technical");
    format!("{}risks:{risks}{}", &spec[..start], &spec[end..])
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.starts_with(needle))
        .expect("line")
        + 1
}

/// The index in `risks[N]...` at the start of a message.
fn risk_index(message: &str) -> Option<usize> {
    message
        .strip_prefix("risks[")?
        .split(']')
        .next()?
        .parse()
        .ok()
}

/// 40,000 one-character risk items (80 KB): every item is a schema error (a risk is a
/// mapping), each located exactly at its own column. On 690ab02 this took 155 s.
#[test]
fn forty_thousand_one_character_items_are_located_in_linear_time() {
    let items = vec!["x"; 40_000].join(",");
    let yaml = with_risks(&format!(" [{items}]\n"));
    let risks_line = line_of(&yaml, "risks:");
    let (code, file, took) = lint_within_bound(&yaml);
    assert_eq!(code, 1);
    assert_eq!(file["valid"], false);
    let diagnostics = file["diagnostics"].as_array().expect("diagnostics");
    let mut located = 0;
    for diagnostic in diagnostics {
        let message = diagnostic["message"].as_str().unwrap_or_default();
        let Some(index) = risk_index(message) else {
            continue;
        };
        // `risks: [` is 8 characters: item N starts at column 9 + 2N.
        assert_eq!(diagnostic["line"], risks_line, "{diagnostic}");
        assert_eq!(diagnostic["column"], 9 + 2 * index, "{diagnostic}");
        located += 1;
    }
    assert!(located >= 100, "only {located} item findings: {file:#}");
    println!("40,000 items: {took:.2} s, {located} item findings located");
}

/// Close to the cap (about 1 MB): 10,000 risks, each with a severity that is not one of the
/// allowed ones, and 7,000 action items due `soon` (which fails both the date pattern and
/// the date format: one finding, not two) — some 17,000 findings.
#[test]
fn seventeen_thousand_schema_errors_near_the_cap_take_seconds_not_minutes() {
    let mut risks = String::from("\n");
    for n in 0..10_000 {
        risks.push_str(&format!(
            "  - {{risk: Risk {n}, severity: severe, mitigation: Plan {n}}}\n"
        ));
    }
    let mut yaml = with_risks(&risks);
    let cut = yaml.find("action_items:\n").expect("action_items");
    yaml.truncate(cut);
    yaml.push_str("action_items:\n");
    for n in 0..7_000 {
        yaml.push_str(&format!(
            "  - {{action: Call {n}, owner: Sam Lee, due: soon}}\n"
        ));
    }
    assert!(yaml.len() > 900_000, "{} bytes", yaml.len());
    let first_risk = line_of(&yaml, "risks:") + 1;
    let first_action = line_of(&yaml, "action_items:") + 1;
    let (code, file, took) = lint_within_bound(&yaml);
    assert_eq!(code, 1);
    let diagnostics = file["diagnostics"].as_array().expect("diagnostics");
    let mut severities = 0;
    let mut dues = 0;
    for diagnostic in diagnostics {
        let message = diagnostic["message"].as_str().unwrap_or_default();
        let line = diagnostic["line"].as_u64().unwrap_or_default() as usize;
        if let Some(index) = risk_index(message) {
            assert!(message.contains(".severity"), "{message}");
            assert_eq!(line, first_risk + index, "{diagnostic}");
            severities += 1;
        } else if let Some(rest) = message.strip_prefix("action_items[") {
            let index: usize = rest.split(']').next().unwrap().parse().unwrap();
            assert!(message.contains("not a real date"), "{message}");
            assert_eq!(line, first_action + index, "{diagnostic}");
            dues += 1;
        }
    }
    // Every one is located exactly; the report keeps the first 200 of the rule and counts the
    // rest in one finding.
    assert_eq!(severities + dues, 200, "{severities} {dues}");
    assert!(
        diagnostics.iter().any(|d| d["message"]
            .as_str()
            .is_some_and(|m| m.contains("more HO001 schema findings"))),
        "no count of the findings left out"
    );
    // One finding per bad date, not one for the pattern and one for the format.
    let reported_dues: std::collections::HashSet<u64> = diagnostics
        .iter()
        .filter(|d| {
            d["message"]
                .as_str()
                .unwrap_or_default()
                .contains("not a real date")
        })
        .filter_map(|d| d["line"].as_u64())
        .collect();
    assert_eq!(reported_dues.len(), dues, "a date reported twice");
    println!(
        "{} bytes, {} findings: {took:.2} s",
        yaml.len(),
        diagnostics.len()
    );
}
