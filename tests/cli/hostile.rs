//! Hostile inputs (issue 7): each is one invalid (or skipped) file with a clear message, within
//! a time bound, and never hides the verdict on the other files.

use std::time::{Duration, Instant};

use crate::util::{spec_sales_cs, Repo};

/// Lints a repository holding a good handoff and `bad`; returns the bad file's entry and the
/// exit code, asserting the good file is still reported and the run took under `bound`.
fn lint_beside_good(name: &str, bad: &[u8], bound: Duration) -> (i32, serde_json::Value) {
    let repo = Repo::new();
    repo.write("handoffs/good.yaml", spec_sales_cs());
    repo.write(&format!("handoffs/{name}"), bad);
    let started = Instant::now();
    let (code, report) = repo.lint_json(&[]);
    assert!(
        started.elapsed() < bound,
        "{name}: took {:?}",
        started.elapsed()
    );
    let files = report["files"].as_array().unwrap();
    let good = files
        .iter()
        .find(|f| f["path"] == "handoffs/good.yaml")
        .expect("good file reported");
    assert_eq!(good["passed"], true);
    let bad = files
        .iter()
        .find(|f| f["path"] != "handoffs/good.yaml")
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    (code, bad)
}

fn first_message(file: &serde_json::Value) -> String {
    file["diagnostics"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

const SECOND: Duration = Duration::from_secs(3);

#[test]
fn deep_block_nesting_is_refused_quickly() {
    let mut text = String::from("type: sales-cs\n");
    for depth in 0..700 {
        text.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
    }
    let (code, bad) = lint_beside_good("deep-block.yaml", text.as_bytes(), SECOND);
    assert_eq!(code, 1);
    assert!(first_message(&bad).contains("nested too deeply"), "{bad}");
    assert_eq!(bad["diagnostics"][0]["line"], 66);
}

#[test]
fn deep_flow_nesting_is_refused_quickly() {
    let text = format!(
        "type: sales-cs\nx: {}{}\n",
        "{a: ".repeat(100_000),
        "}".repeat(100_000)
    );
    let (code, bad) = lint_beside_good("deep-flow.yaml", text.as_bytes(), SECOND);
    assert_eq!(code, 1);
    assert!(first_message(&bad).contains("nested too deeply"), "{bad}");
}

#[test]
fn the_size_cap_is_configurable() {
    let repo = Repo::new();
    repo.write("handoffs/a.yaml", spec_sales_cs());
    repo.write("handoff.toml", "max_file_size = 500\n");
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 1);
    let message = report["files"][0]["diagnostics"][0]["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("over the 500-byte limit"), "{message}");
    assert!(report["files"][0]["diagnostics"][0]["help"]
        .as_str()
        .unwrap()
        .contains("max_file_size"));
}

#[test]
fn utf16_and_nul_bytes_are_reported() {
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("type: sales-cs\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (_, bad) = lint_beside_good("utf16.yaml", &utf16, SECOND);
    assert!(first_message(&bad).contains("UTF-16"), "{bad}");
    let (_, bad) = lint_beside_good("nul.yaml", b"type: sales-cs\ntitle: a\0b\n", SECOND);
    assert!(first_message(&bad).contains("NUL"), "{bad}");
    assert_eq!(bad["diagnostics"][0]["line"], 2);
}

#[test]
fn tabs_in_indentation_point_at_the_line() {
    let (code, bad) = lint_beside_good(
        "tabs.yaml",
        b"type: sales-cs\ncustomer:\n\tcompany: Acme\n",
        SECOND,
    );
    assert_eq!(code, 1);
    assert_eq!(bad["valid"], false);
    assert_eq!(bad["diagnostics"][0]["line"], 3, "{bad}");
}

#[test]
fn special_floats_huge_integers_and_version_numbers_are_schema_errors_not_crashes() {
    let spec = spec_sales_cs();
    let (code, bad) = lint_beside_good(
        "nan.yaml",
        spec.replace("amount: 120000", "amount: .nan").as_bytes(),
        SECOND,
    );
    assert_eq!(code, 1);
    assert!(first_message(&bad).contains("deal.amount"), "{bad}");
    let (_, bad) = lint_beside_good(
        "inf.yaml",
        spec.replace("amount: 120000", "amount: .inf").as_bytes(),
        SECOND,
    );
    assert_eq!(bad["valid"], false);
    // 30 digits: beyond 64 bits, still a number >= 0.
    let (_, big) = lint_beside_good(
        "big.yaml",
        spec.replace("amount: 120000", "amount: 123456789012345678901234567890")
            .as_bytes(),
        SECOND,
    );
    assert_eq!(big["valid"], true, "{big}");
    // `1.10` unquoted is the number 1.1: where text goes, say to quote it.
    let (_, version) = lint_beside_good(
        "version.yaml",
        spec.replace("hq: Boston, MA", "hq: 1.10").as_bytes(),
        SECOND,
    );
    assert_eq!(version["valid"], false);
    assert!(
        version["diagnostics"][0]["help"]
            .as_str()
            .unwrap()
            .contains("quote it"),
        "{version}"
    );
}

#[test]
fn a_one_megabyte_line_is_fine() {
    let line = "x".repeat(1000 * 1000);
    let text = spec_sales_cs().replace("hq: Boston, MA", &format!("hq: {line}"));
    let repo = Repo::new();
    repo.write("handoff.toml", "max_file_size = 2000000\n");
    repo.write("handoffs/long.yaml", &text);
    let started = Instant::now();
    let (code, _) = repo.lint_json(&[]);
    assert_eq!(code, 0);
    assert!(started.elapsed() < SECOND);
}

#[test]
fn names_with_spaces_and_non_ascii_are_reported_with_their_path() {
    let repo = Repo::new();
    repo.write(
        "handoffs/sales-cs/Zürich Bank ünïcode.yaml",
        spec_sales_cs(),
    );
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 0);
    assert_eq!(
        report["files"][0]["path"],
        "handoffs/sales-cs/Zürich Bank ünïcode.yaml"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_out_of_the_repository() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.yaml"),
        "type: sales-cs\nstatus: draft\n",
    )
    .unwrap();
    let repo = Repo::new();
    repo.write("handoffs/good.yaml", spec_sales_cs());
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        repo.path().join("handoffs/link.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("handoffs/linked-dir")).unwrap();
    let (code, report) = repo.lint_json(&[]);
    let files = report["files"].as_array().unwrap();
    let link = files
        .iter()
        .find(|f| f["path"] == "handoffs/link.yaml")
        .expect("the link is reported");
    assert_eq!(link["diagnostics"][0]["rule"], "symlink");
    assert_eq!(link["diagnostics"][0]["severity"], "warning");
    assert!(files
        .iter()
        .all(|f| !f["path"].as_str().unwrap().contains("linked-dir")));
    assert_eq!(code, 0, "a skipped link warns; it does not block");
}

#[cfg(unix)]
#[test]
fn unreadable_and_special_files_are_one_invalid_file() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new();
    repo.write("handoffs/good.yaml", spec_sales_cs());
    repo.write("handoffs/locked.yaml", spec_sales_cs());
    let locked = repo.path().join("handoffs/locked.yaml");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = std::fs::read(&locked).is_ok(); // root reads through permissions
    let (code, report) = repo.lint_json(&[]);
    let entry = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "handoffs/locked.yaml")
        .unwrap()
        .clone();
    if readable_anyway {
        assert_eq!(code, 0);
    } else {
        assert_eq!(code, 1);
        assert_eq!(entry["diagnostics"][0]["rule"], "unreadable");
    }
    // A FIFO named like a handoff must not hang the gate: it is not a regular file.
    let fifo = repo.path().join("handoffs/pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if made {
        let started = Instant::now();
        let out = repo
            .cmd()
            .args([
                "lint",
                "--format",
                "json",
                "handoffs/pipe.yaml",
                "handoffs/good.yaml",
            ])
            .timeout(Duration::from_secs(10))
            .output()
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(out.status.code(), Some(1));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let pipe = report["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == "handoffs/pipe.yaml")
            .unwrap()
            .clone();
        assert_eq!(pipe["diagnostics"][0]["rule"], "unreadable");
        assert!(pipe["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a regular file"));
    }
}

/// Found by the fuzzer (fuzz/artifacts crash-5311…, input `\r\r:e`): lone carriage returns are
/// line breaks for YAML and for editors, so positions count them.
#[test]
fn carriage_return_line_endings_count_as_lines() {
    let (code, bad) = lint_beside_good("cr.yaml", b"\r\r:e", SECOND);
    assert_eq!(code, 1);
    assert_eq!(bad["diagnostics"][0]["line"], 3, "{bad}");
    let (_, old_mac) = lint_beside_good("mac.yaml", b"type: sales-cs\rstatus: bogus\r", SECOND);
    let status = old_mac["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("bogus"))
        .expect("the status finding");
    assert_eq!(status["line"], 2, "{old_mac}");
}

#[cfg(unix)]
#[test]
fn whole_file_findings_show_no_made_up_position() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.yaml"), "type: sales-cs\n").unwrap();
    let repo = Repo::new();
    repo.write("handoffs/good.yaml", spec_sales_cs());
    std::os::unix::fs::symlink(
        outside.path().join("x.yaml"),
        repo.path().join("handoffs/link.yaml"),
    )
    .unwrap();
    let out = repo.cmd().arg("lint").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("warning[HO006 symlink] handoffs/link.yaml: a symbolic link"),
        "{text}"
    );
    assert!(!text.contains(":0:0"), "{text}");
}

#[test]
fn a_submodule_checkout_inside_handoffs_is_not_linted() {
    let repo = Repo::new();
    repo.write("handoffs/good.yaml", spec_sales_cs());
    repo.write(
        "handoffs/vendor-playbooks/.git",
        "gitdir: ../../.git/modules/vendor-playbooks\n",
    );
    repo.write("handoffs/vendor-playbooks/notes.yaml", "not: a handoff\n");
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 0, "{report:#}");
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["handoffs/good.yaml"]);
}
