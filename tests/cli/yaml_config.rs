//! The one YAML reader on files that are not handoffs (roster, playbooks) and on a handoff
//! with a byte-order mark: errors give the file, line and column, and never a value (a roster
//! that is really a credential file must not be printed in a public CI log).

use crate::util::{spec_sales_cs, Repo};

const SECRET: &str = "ghp_Zq9SECRETSECRETSECRET";

/// `handoff lint` in `repo`: (exit code, stderr).
fn lint_stderr(repo: &Repo) -> (i32, String) {
    let output = repo.cmd().arg("lint").output().expect("run");
    (
        output.status.code().unwrap_or_default(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_roster_of_the_wrong_shape_is_named_with_line_and_column_and_no_value() {
    for (roster, at) in [
        // A string where the list of people goes.
        (format!("people: {SECRET}\n"), "line 1, column 9"),
        // A string where a person's fields go.
        (format!("people:\n  - {SECRET}\n"), "line 2, column 5"),
        // A list where a name goes.
        (
            format!("people:\n  - name: [{SECRET}]\n"),
            "line 2, column 11",
        ),
        // An unknown key: its name is shown (it points at the typo), its value is not.
        (
            format!("people:\n  - name: Sam\n    token: {SECRET}\n"),
            "line 3, column 5",
        ),
        // Not YAML at all (an unclosed flow list).
        (format!("people: [{SECRET}\n"), "line 2, column 1"),
        // A duplicate key.
        (
            format!("people: []\npeople: [{SECRET}]\n"),
            "line 2, column 1",
        ),
    ] {
        let repo = Repo::new();
        repo.write("handoffs/a.yaml", spec_sales_cs());
        repo.write("roster.yaml", &roster);
        let (code, stderr) = lint_stderr(&repo);
        assert_eq!(code, 2, "{roster}: {stderr}");
        assert!(stderr.contains("roster.yaml"), "{stderr}");
        assert!(stderr.contains(at), "{roster:?}: wants {at}: {stderr}");
        assert!(!stderr.contains("SECRET"), "{roster:?}: {stderr}");
    }
}

#[test]
fn a_playbook_error_names_the_line_and_column() {
    let repo = Repo::new();
    repo.write("handoffs/a.yaml", spec_sales_cs());
    let playbook =
        std::fs::read_to_string(crate::util::project_root().join("playbooks/sales-cs.yaml"))
            .expect("playbook");
    let line = playbook
        .lines()
        .position(|l| l.starts_with("version:"))
        .expect("version line")
        + 1;
    let broken = playbook.replacen("version: 1", &format!("version: {SECRET}"), 1);
    assert_ne!(broken, playbook);
    repo.write("playbooks/sales-cs.yaml", &broken);
    let (code, stderr) = lint_stderr(&repo);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("line {line}, column 10")),
        "{stderr}"
    );
    assert!(stderr.contains("expected u32"), "{stderr}");
    assert!(!stderr.contains("SECRET"), "{stderr}");
}

/// YAML allows a byte-order mark at the start of a stream: the handoff reads as it would
/// without one, at the same lines and columns.
#[test]
fn a_handoff_with_a_byte_order_mark_reads_as_without_it() {
    let repo = Repo::new();
    let good = spec_sales_cs();
    repo.write("handoffs/bom.yaml", format!("\u{feff}{good}"));
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["files"][0]["score"], 100);
    assert_eq!(report["files"][0]["passed"], true);

    let placeholder = good.replacen("go_live: 2027-01-15", "go_live: TBD", 1);
    repo.write("handoffs/bom.yaml", format!("\u{feff}{placeholder}"));
    repo.write("handoffs/plain.yaml", &placeholder);
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 1);
    let files = report["files"].as_array().expect("files");
    assert_eq!(files.len(), 2);
    assert_eq!(
        files[0]["diagnostics"], files[1]["diagnostics"],
        "{report:#}"
    );
    assert_eq!(files[0]["diagnostics"][0]["line"], 22, "{report:#}");
}
