//! Conformance of the one YAML reader (`document::parse`, what `lint` reads a handoff with)
//! against the official YAML test suite (`../shared/yaml-test-suite/`, MIT; its README says
//! what each case folder holds). Skipped, with a message, when the suite is not there.
//!
//! For every single-document case with an `in.json`, the reader must give exactly that
//! value or refuse it for a documented reason (README, "YAML"): tags other than YAML's core
//! ones, a file with no value (empty, comments only, `null`), and the few documented limits
//! listed in [`documented_refusal`]. For every case with an `error` file it must refuse.
//! A wrong value or an accepted error case fails the test; the counts are printed.

use std::path::{Path, PathBuf};

use handoffs::document;
use serde_json::Value;

use super::util::project_root;

fn suite() -> Option<PathBuf> {
    let dir = project_root().join("../shared/yaml-test-suite");
    dir.is_dir().then_some(dir)
}

/// Every case folder: one holding `in.yaml` (a case, or a sub-case `ID/NN`).
fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.join("in.yaml").is_file() {
                out.push(path.clone());
            }
            cases(&path, out);
        }
    }
}

/// Numbers compare by value (`1.0` in JSON is the YAML integer `1` read as a float or not).
fn same(ours: &Value, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        _ => ours == theirs,
    }
}

/// The reasons a valid document may be refused, as README documents them: a message that
/// starts with one of these.
const DOCUMENTED: [&str; 4] = [
    // Tags other than the core ones (`!foo`, `!!set`, `%TAG` handles).
    "YAML tags",
    // Nothing in the file.
    "the file is empty",
    "the file holds no value",
    // A key that is a list or mapping (JSON has no such keys; none has an in.json).
    "a mapping key must be a plain name",
];

fn documented_refusal(message: &str) -> bool {
    DOCUMENTED.iter().any(|reason| message.starts_with(reason))
}

#[test]
fn the_reader_conforms_to_the_yaml_test_suite() {
    let Some(dir) = suite() else {
        println!("skipped: ../shared/yaml-test-suite is not present");
        return;
    };
    let mut all = Vec::new();
    cases(&dir, &mut all);
    let mut counted = 0;
    let mut as_the_suite_says = 0;
    let mut refused_for_a_reason: Vec<String> = Vec::new();
    let mut refused_otherwise: Vec<String> = Vec::new();
    let mut wrong: Vec<String> = Vec::new();
    let mut accepted_errors: Vec<String> = Vec::new();
    for case in &all {
        let name = case
            .strip_prefix(&dir)
            .unwrap_or(case)
            .display()
            .to_string();
        let input = std::fs::read(case.join("in.yaml")).expect("in.yaml");
        let parsed = document::parse(&input, u64::MAX);
        if case.join("error").is_file() {
            counted += 1;
            match parsed {
                Err(_) => as_the_suite_says += 1,
                Ok(doc) => accepted_errors.push(format!("{name}: read as {}", doc.value)),
            }
            continue;
        }
        let Ok(json) = std::fs::read_to_string(case.join("in.json")) else {
            continue;
        };
        let documents: Vec<Value> = serde_json::Deserializer::from_str(&json)
            .into_iter::<Value>()
            .collect::<Result<_, _>>()
            .expect("in.json is JSON");
        if documents.len() != 1 {
            continue;
        }
        counted += 1;
        match parsed {
            Ok(doc) if same(&doc.value, &documents[0]) => as_the_suite_says += 1,
            Ok(doc) => wrong.push(format!(
                "{name}: read as {}, the suite says {}",
                doc.value, documents[0]
            )),
            Err(failure) if documented_refusal(&failure.message) => {
                refused_for_a_reason.push(format!("{name}: {}", failure.message))
            }
            Err(failure) => refused_otherwise.push(format!(
                "{name}: {} (line {}, column {})",
                failure.message, failure.line, failure.column
            )),
        }
    }
    println!(
        "yaml-test-suite: {counted} cases (single-document with in.json, or error); \
         {as_the_suite_says} as the suite says; {} valid refused for a documented reason; \
         {} valid refused otherwise; {} wrong values; {} invalid accepted",
        refused_for_a_reason.len(),
        refused_otherwise.len(),
        wrong.len(),
        accepted_errors.len()
    );
    for line in refused_for_a_reason.iter().chain(&refused_otherwise) {
        println!("  refused {line}");
    }
    // The suite as stored has 350 such cases; fewer means the folder is not the suite.
    assert!(
        counted >= 300,
        "only {counted} cases found in {}",
        dir.display()
    );
    assert!(
        wrong.is_empty() && accepted_errors.is_empty() && refused_otherwise.is_empty(),
        "wrong values:\n{}\ninvalid YAML accepted:\n{}\nvalid YAML refused without a documented reason:\n{}",
        wrong.join("\n"),
        accepted_errors.join("\n"),
        refused_otherwise.join("\n")
    );
}
