//! Small things a first day hits (issue 12 §6): `metrics -o` says what it wrote, `sample` of an
//! empty week names the nearest weeks that have handoffs, `review` of a handoff outside the
//! week's sample warns, and an unquoted `: ` in a list item gets a hint to quote it.

use crate::util::{day, spec_sales_cs, GitRepo, Repo, JANE};

/// Handoffs merged in 2026-W39 (day 0) and 2026-W43 (day 28); nothing in between.
fn two_weeks() -> GitRepo {
    let repo = GitRepo::init(Repo::new()).author(JANE);
    repo.write("handoffs/sales-cs/early.yaml", spec_sales_cs());
    repo.commit_all(day(0), "early");
    repo.write(
        "handoffs/sales-cs/late.yaml",
        spec_sales_cs().replace("Acme Corp", "Late Co"),
    );
    repo.commit_all(day(28), "late");
    repo
}

fn run(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let output = repo.cmd().args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn metrics_to_a_file_says_what_it_wrote() {
    let repo = two_weeks();
    let (code, out, err) = run(
        &repo,
        &["metrics", "--format", "json", "-o", "metrics.json"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "wrote metrics.json (json: 2 handoffs from HEAD)\n");
    let written: serde_json::Value = serde_json::from_str(&repo.read("metrics.json")).unwrap();
    assert_eq!(written["summary"]["count"], 2);
}

#[test]
fn an_empty_week_names_the_nearest_weeks_with_handoffs() {
    let repo = two_weeks();
    let (code, out, err) = run(&repo, &["sample", "--week", "2026-W41"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("No handoff merged in 2026-W41"), "{out}");
    assert!(
        out.contains("The nearest weeks with merged handoffs: `2026-W39` before, `2026-W43` after"),
        "{out}"
    );
    let (_, json, _) = run(&repo, &["sample", "--week", "2026-W44", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["nearest_weeks"],
        serde_json::json!({"before": "2026-W43", "after": null})
    );
    // A week with handoffs needs no pointer.
    let (_, out, _) = run(&repo, &["sample", "--week", "2026-W43"]);
    assert!(!out.contains("nearest"), "{out}");
}

#[test]
fn reviewing_a_handoff_outside_the_weeks_sample_warns() {
    let repo = two_weeks();
    let review = |week: &str| {
        run(
            &repo,
            &[
                "review",
                "handoffs/sales-cs/early.yaml",
                "--reviewer",
                "Dana",
                "--verdict",
                "ok",
                "--week",
                week,
            ],
        )
    };
    let (code, out, err) = review("2026-W43");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("recorded: handoffs/sales-cs/early.yaml"),
        "{out}"
    );
    assert!(
        out.contains("warning: handoffs/sales-cs/early.yaml merged in 2026-W39, not in 2026-W43"),
        "{out}"
    );
    let (code, out, _) = review("2026-W39");
    assert_eq!(code, 0);
    assert!(!out.contains("warning"), "{out}");
}

#[test]
fn an_unquoted_colon_in_a_list_item_gets_a_hint_to_quote_it() {
    let repo = Repo::new();
    repo.write(
        "handoffs/sales-cs/acme.yaml",
        spec_sales_cs().replace(
            "success_criteria: [Onboard 500 users by March 31,",
            "success_criteria: [Goal: onboard 500 users by March 31,",
        ),
    );
    let (code, report) = repo.lint_json(&["--now", "2026-11-30"]);
    assert_eq!(code, 1);
    let diagnostic = &crate::util::only_file(&report)["diagnostics"][0];
    assert_eq!(diagnostic["code"], "HO001");
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("is not a string"),
        "{diagnostic}"
    );
    assert_eq!(
        diagnostic["help"],
        "an unquoted `: ` made this a `key: value` pair; quote the whole text: \"Goal: onboard 500 users by March 31\""
    );
}
