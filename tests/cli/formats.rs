//! CI output formats: GitHub workflow commands parsed back (and the step summary file), SARIF
//! validated against the official SARIF 2.1.0 JSON Schema, JUnit XML parsed back; the SPEC's
//! exit codes in every format.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};
use serde_json::Value;

use crate::util::{project_root, spec_sales_cs, Repo};

/// A passing handoff with one warning (HO301 at 21:53).
fn good() -> String {
    spec_sales_cs().replacen("Cut reporting time by half", "Happier reps", 1)
}

/// A handoff that scores 0 and holds a password (HO203 at 3:33).
const BLOCKED: &str = "type: sales-cs\nstatus: submitted\ntitle: \"Acme: sandbox password: Harbor2027!\"\nfrom: {name: Jane Doe}\nto: {name: Sam Lee}\n";

const ALL_MISSING: &str = "Customer context (missing), Expectations & success criteria (missing), Risk flags (missing), Technical requirements (missing), Relationship context (missing), Action items (missing)";

fn repo_with_good_and_blocked() -> Repo {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/good.yaml", good());
    repo.write("handoffs/sales-cs/blocked.yaml", BLOCKED);
    repo
}

fn run(repo: &Repo, format: &str) -> (i32, String) {
    let output = repo
        .cmd()
        .args(["lint", "--format", format])
        .output()
        .expect("run");
    (
        output.status.code().expect("exit code"),
        String::from_utf8(output.stdout).expect("utf-8"),
    )
}

/// One GitHub workflow command, unescaped.
#[derive(Debug, PartialEq)]
struct Command {
    kind: String,
    properties: BTreeMap<String, String>,
    message: String,
}

fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Parses `::kind key=value,key=value::message` as the runner does.
fn parse_command(line: &str) -> Option<Command> {
    let rest = line.strip_prefix("::")?;
    let (head, message) = rest.split_once("::")?;
    let (kind, properties) = head.split_once(' ').unwrap_or((head, ""));
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (key, value) = p.split_once('=').expect("key=value");
            (key.to_string(), unescape(value))
        })
        .collect();
    Some(Command {
        kind: kind.to_string(),
        properties,
        message: unescape(message),
    })
}

fn props(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn github_annotations_parse_back_to_file_line_column_and_title() {
    let repo = repo_with_good_and_blocked();
    // A file name with the characters GitHub's property escaping exists for.
    repo.write(
        "handoffs/odd,name:1.yaml",
        spec_sales_cs().replacen("go_live: 2027-01-15", "go_live: 2026-01-15", 1),
    );
    let (code, stdout) = run(&repo, "github");
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=handoffs/odd%2Cname%3A1.yaml,")),
        "{stdout}"
    );
    let commands: Vec<Command> = lines.iter().filter_map(|l| parse_command(l)).collect();
    let summary: Vec<(String, BTreeMap<String, String>)> = commands
        .iter()
        .map(|c| (c.kind.clone(), c.properties.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "error".to_string(),
                props(&[
                    ("file", "handoffs/odd,name:1.yaml"),
                    ("line", "22"),
                    ("col", "3"),
                    ("title", "HO101 date-order")
                ])
            ),
            (
                "error".to_string(),
                props(&[
                    ("file", "handoffs/odd,name:1.yaml"),
                    ("title", "handoff blocked")
                ])
            ),
            (
                "error".to_string(),
                props(&[
                    ("file", "handoffs/sales-cs/blocked.yaml"),
                    ("line", "3"),
                    ("col", "33"),
                    ("title", "HO203 secret")
                ])
            ),
            (
                "error".to_string(),
                props(&[
                    ("file", "handoffs/sales-cs/blocked.yaml"),
                    ("title", "HO000 below-threshold")
                ])
            ),
            (
                "warning".to_string(),
                props(&[
                    ("file", "handoffs/sales-cs/good.yaml"),
                    ("line", "21"),
                    ("col", "53"),
                    ("title", "HO301 unmeasurable-criteria")
                ])
            ),
        ]
    );
    // Messages carry the fix on a second line and never the secret.
    assert!(commands[2]
        .message
        .starts_with("a password must not be in a handoff"));
    assert!(commands[2].message.contains("\nhelp: delete it, rotate it"));
    assert!(!stdout.contains("Harbor2027"), "{stdout}");
    assert_eq!(
        commands[3].message,
        format!("handoffs/sales-cs/blocked.yaml is below the threshold: score 0/100, threshold 70; to complete: {ALL_MISSING}")
    );
    assert_eq!(
        commands[1].message,
        "handoffs/odd,name:1.yaml has error findings (see above): score 100/100, threshold 70"
    );
    assert_eq!(
        lines.last(),
        Some(&"3 handoffs: 1 passed, 2 blocked; threshold 70")
    );
}

#[test]
fn github_step_summary_is_appended_when_the_variable_is_set() {
    let repo = repo_with_good_and_blocked();
    let summary = repo.path().join("step-summary.md");
    std::fs::write(&summary, "# earlier step\n").unwrap();
    let output = repo
        .cmd()
        .args(["lint", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        "# earlier step\n\
         ### Handoff gate: 1 passed, 1 blocked (threshold 70)\n\
         \n\
         | Handoff | Type | Score | Verdict |\n\
         |---|---|---:|---|\n\
         | `handoffs/sales-cs/blocked.yaml` | sales-cs | 0 | ❌ BLOCKED: below 70 |\n\
         | `handoffs/sales-cs/good.yaml` | sales-cs | 100 | ✅ PASS |\n\
         \n"
    );
    // Without the variable nothing is written anywhere.
    let before = std::fs::read_to_string(&summary).unwrap();
    run(&repo, "github");
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), before);
}

/// The official SARIF 2.1.0 JSON Schema, as shipped inside the `serde-sarif` package (which
/// generates its types from it): found through `cargo metadata`, so no copy is kept here.
fn sarif_validator() -> jsonschema::Validator {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(project_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("metadata is JSON");
    let manifest = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dependency");
    let path = std::path::Path::new(manifest)
        .with_file_name("src")
        .join("schema.json");
    let text = std::fs::read_to_string(&path).expect("serde-sarif ships src/schema.json");
    // Upstream's `run.language` pattern has a stray `]`, a literal in ECMAScript regexes but
    // an error for Rust's engine; escaping it keeps the same meaning.
    let text = text.replace(r#"{2}-[a-zA-Z]{2}]?$"#, r#"{2}-[a-zA-Z]{2}\\]?$"#);
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the official SARIF 2.1.0 schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, log: &Value) -> Vec<String> {
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_is_valid_against_the_official_schema_and_lists_rules_and_results() {
    let repo = repo_with_good_and_blocked();
    let (code, stdout) = run(&repo, "sarif");
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
    let validator = sarif_validator();
    assert_eq!(schema_errors(&validator, &log), Vec::<String>::new());

    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "handoff");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "HO000", "HO001", "HO002", "HO003", "HO004", "HO005", "HO006", "HO007", "HO101",
            "HO102", "HO103", "HO104", "HO105", "HO106", "HO107", "HO108", "HO201", "HO202",
            "HO203", "HO301", "HO302", "HO901"
        ]
    );
    for rule in rules {
        assert!(rule["name"].is_string(), "{rule}");
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
        assert!(rule["fullDescription"]["text"].is_string(), "{rule}");
        let help = rule["help"]["text"].as_str().unwrap();
        assert!(
            help.starts_with("Fix: ") && help.contains("## What it checks"),
            "{rule}"
        );
    }
    let mut messages = Vec::new();
    let places: Vec<String> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(
                rules[index]["id"], r["ruleId"],
                "ruleIndex points at the rule"
            );
            messages.push(r["message"]["text"].as_str().unwrap().to_string());
            format!(
                "{} {} {} {}:{}",
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                location["artifactLocation"]["uri"].as_str().unwrap(),
                location["region"]["startLine"],
                location["region"]["startColumn"],
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            "HO203 error handoffs/sales-cs/blocked.yaml 3:33",
            "HO000 error handoffs/sales-cs/blocked.yaml 1:null",
            "HO301 warning handoffs/sales-cs/good.yaml 21:53",
        ]
    );
    assert_eq!(
        messages[1],
        format!("score 0 is below the threshold 70; to complete: {ALL_MISSING}")
    );
    assert!(!stdout.contains("Harbor2027"));
}

#[test]
fn the_sarif_schema_check_is_not_vacuous() {
    let validator = sarif_validator();
    let repo = repo_with_good_and_blocked();
    let (_, stdout) = run(&repo, "sarif");
    let mut log: Value = serde_json::from_str(&stdout).unwrap();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        serde_json::json!(0);
    log["runs"][0]["results"][1]["level"] = serde_json::json!("fatal");
    assert_eq!(schema_errors(&validator, &log).len(), 2);
}

/// A testcase as parsed back: name, classname, failure (message, type, text), system-out.
#[derive(Debug, Default, PartialEq)]
struct TestCase {
    name: String,
    classname: String,
    failure: Option<(String, String, String)>,
    system_out: Option<String>,
}

fn parse_junit(xml: &str) -> (BTreeMap<String, String>, usize, Vec<TestCase>) {
    let mut reader = Reader::from_str(xml);
    let mut suite = BTreeMap::new();
    let mut suites = 0;
    let mut cases: Vec<TestCase> = Vec::new();
    let mut text = String::new();
    let mut open: Vec<String> = Vec::new();
    let attributes = |e: &quick_xml::events::BytesStart| -> BTreeMap<String, String> {
        e.attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    a.key.as_ref().to_string(),
                    a.normalized_value(XmlVersion::Explicit1_0)
                        .expect("value")
                        .to_string(),
                )
            })
            .collect()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "testsuite" => {
                suites += 1;
                suite = attributes(&e);
                open.push("testsuite".into());
            }
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                let attrs = attributes(&e);
                match name.as_str() {
                    "testcase" => cases.push(TestCase {
                        name: attrs["name"].clone(),
                        classname: attrs["classname"].clone(),
                        ..TestCase::default()
                    }),
                    "failure" => {
                        cases.last_mut().unwrap().failure = Some((
                            attrs["message"].clone(),
                            attrs["type"].clone(),
                            String::new(),
                        ))
                    }
                    _ => {}
                }
                text.clear();
                open.push(name);
            }
            Event::Empty(e) if e.name().as_ref() == "testcase" => {
                let attrs = attributes(&e);
                cases.push(TestCase {
                    name: attrs["name"].clone(),
                    classname: attrs["classname"].clone(),
                    ..TestCase::default()
                });
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name = r.as_ref().to_string();
                text.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_string();
                let case = cases.last_mut();
                match (name.as_str(), case) {
                    ("failure", Some(case)) => {
                        if let Some(failure) = &mut case.failure {
                            failure.2 = text.clone();
                        }
                    }
                    ("system-out", Some(case)) => case.system_out = Some(text.clone()),
                    _ => {}
                }
                open.pop();
            }
            _ => {}
        }
    }
    (suite, suites, cases)
}

#[test]
fn junit_has_a_testcase_per_handoff_and_a_failure_naming_score_and_gaps() {
    let repo = repo_with_good_and_blocked();
    let (code, stdout) = run(&repo, "junit");
    assert_eq!(code, 1);
    assert!(stdout.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let (suite, suites, cases) = parse_junit(&stdout);
    assert_eq!(suites, 1);
    assert_eq!(suite["tests"], "2");
    assert_eq!(suite["failures"], "1");
    assert_eq!(
        cases,
        [
            TestCase {
                name: "handoffs/sales-cs/blocked.yaml".into(),
                classname: "sales-cs".into(),
                failure: Some((
                    format!("blocked (below the threshold): score 0/100, threshold 70; to complete: {ALL_MISSING}; 1 error finding"),
                    "below-threshold".into(),
                    "handoffs/sales-cs/blocked.yaml:3:33: error HO203 secret: a password must not be in a handoff (it is readable by everyone with the repository, forever)".into(),
                )),
                system_out: None,
            },
            TestCase {
                name: "handoffs/sales-cs/good.yaml".into(),
                classname: "sales-cs".into(),
                failure: None,
                system_out: Some("handoffs/sales-cs/good.yaml:21:53: warning HO301 unmeasurable-criteria: success criterion \"Happier reps\" has no number, percentage or date to measure it by".into()),
            },
        ]
    );
}

#[test]
fn every_format_keeps_the_spec_exit_codes() {
    let passing = Repo::new();
    passing.write("handoffs/a.yaml", spec_sales_cs());
    let blocked = repo_with_good_and_blocked();
    for format in ["human", "json", "github", "sarif", "junit"] {
        assert_eq!(run(&passing, format).0, 0, "{format}");
        assert_eq!(run(&blocked, format).0, 1, "{format}");
    }
    let output = passing
        .cmd()
        .args(["lint", "--format", "sarif", "handoffs/missing.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
