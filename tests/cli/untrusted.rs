//! A pull request's own files are untrusted (issue 11 §1): nothing outside the repository is
//! read, no repository file's content is echoed in an error, a symbolic link or a pipe never
//! stands in for an asset, a linked handoff is skipped (not passed) in every format, `-o` never
//! replaces a special file, and hostile playbooks and templates cannot wrap a sum or hang.

use std::path::Path;
use std::time::Duration;

use crate::util::{project_root, spec_sales_cs, GitRepo, Repo, DEV};

/// Content that must never reach the output: what a credential file holds.
const SECRET: &str = "ghp_S3cretT0kenValue0123456789abcdefABCD";

/// A folder outside the repository holding a credential-like file, `secret`.
fn outside_secret() -> tempfile::TempDir {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret"),
        format!("root:x:0:0:{SECRET}:/root:/bin/bash\n"),
    )
    .unwrap();
    outside
}

/// Runs `handoff ARGS` in `repo` (killed after 20 s) and returns (code, stdout, stderr).
fn run(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let output = repo
        .cmd()
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asserts exit 2, that stderr contains `wanted`, and that the secret appears nowhere.
fn refused(repo: &Repo, args: &[&str], wanted: &[&str]) -> String {
    let (code, stdout, stderr) = run(repo, args);
    assert_eq!(code, 2, "stdout:\n{stdout}\nstderr:\n{stderr}");
    for part in wanted {
        assert!(stderr.contains(part), "wanted {part:?} in:\n{stderr}");
    }
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET) && !stderr.contains("root:x"),
        "the secret was echoed:\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    stderr
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

fn a_repo() -> Repo {
    let repo = Repo::new();
    repo.write("handoffs/acme.yaml", spec_sales_cs());
    repo
}

#[test]
fn a_configured_path_outside_the_repository_is_refused_with_its_key_and_line() {
    let outside = outside_secret();
    let secret = outside.path().join("secret");
    let repo = a_repo();
    repo.write(
        "handoff.toml",
        format!("threshold = 70\nroster = \"{}\"\n", secret.display()),
    );
    let stderr = refused(
        &repo,
        &["lint"],
        &["handoff.toml: line 2, column 10: roster: the path leaves the repository"],
    );
    assert!(!stderr.contains("secret"), "{stderr}");

    repo.write("handoff.toml", "handoffs_dir = \"handoffs/../../..\"\n");
    refused(
        &repo,
        &["lint"],
        &["handoff.toml: line 1, column 16: handoffs_dir: the path leaves the repository"],
    );

    repo.write(
        "handoff.toml",
        "\nroster = \"../../../../../../dev/zero\"\n",
    );
    refused(&repo, &["lint"], &["line 2, column 10: roster"]);
}

#[test]
fn parse_errors_of_repository_files_quote_no_value() {
    let repo = a_repo();
    // A credential file committed as the roster: a YAML scalar, not a roster.
    repo.write(
        "roster.yaml",
        format!("root:x:0:0:{SECRET}:/root:/bin/bash\n"),
    );
    let stderr = refused(
        &repo,
        &["lint"],
        &["roster.yaml: not a valid roster", "line 1"],
    );
    assert!(stderr.contains("expected struct Roster"), "{stderr}");
    std::fs::remove_file(repo.path().join("roster.yaml")).unwrap();

    // A TOML value of the wrong type: the toml crate's message would quote the source line.
    repo.write("handoff.toml", format!("threshold = \"{SECRET}\"\n"));
    refused(&repo, &["lint"], &["handoff.toml: line 1, column 13:"]);
    repo.write("handoff.toml", format!("threshold = 70\n{SECRET}\n"));
    refused(&repo, &["lint"], &["handoff.toml: line 2"]);
    std::fs::remove_file(repo.path().join("handoff.toml")).unwrap();

    // A playbook whose type is the secret, and a schema that is not JSON.
    let playbook = std::fs::read_to_string(project_root().join("playbooks/sales-cs.yaml"))
        .unwrap()
        .replace("type: sales-cs", &format!("type: {SECRET}"));
    repo.write("playbooks/sales-cs.yaml", playbook);
    refused(
        &repo,
        &["lint"],
        &["playbooks/sales-cs.yaml: `type` is not a handoff type"],
    );
    std::fs::remove_dir_all(repo.path().join("playbooks")).unwrap();
    repo.write("schema/extra.json", format!("{{\"type\": \"{SECRET}\"\n"));
    refused(
        &repo,
        &["lint"],
        &["schema/extra.json: not valid JSON", "line 2"],
    );
    std::fs::remove_dir_all(repo.path().join("schema")).unwrap();

    // A reviews file with the secret as its verdict.
    repo.write(
        "reviews/2026-W01.yaml",
        format!(
            "week: 2026-W01\nreviews:\n- path: handoffs/acme.yaml\n  reviewer: Dana\n  verdict: {SECRET}\n  reviewed_at: 2026-01-05T10:00:00Z\n  week: 2026-W01\n"
        ),
    );
    refused(
        &repo,
        &[
            "review",
            "handoffs/acme.yaml",
            "--reviewer",
            "Dana",
            "--verdict",
            "ok",
            "--week",
            "2026-W01",
        ],
        &[
            "reviews/2026-W01.yaml",
            "not one of the allowed values",
            "line 5",
        ],
    );
}

#[cfg(unix)]
#[test]
fn a_linked_asset_is_refused_naming_it() {
    let outside = outside_secret();
    let secret = outside.path().join("secret");
    for asset in [
        "handoff.toml",
        "roster.yaml",
        "playbooks/sales-cs.yaml",
        "playbooks/sales-cs@0.yaml",
        "schema/x.json",
        "schema/common.json",
    ] {
        let repo = a_repo();
        symlink(&secret, &repo.path().join(asset));
        refused(&repo, &["lint"], &[&format!("{asset}: a symbolic link")]);
    }
    // A linked folder of assets, too.
    let repo = a_repo();
    symlink(outside.path(), &repo.path().join("playbooks"));
    refused(&repo, &["lint"], &["playbooks: a symbolic link"]);
}

#[cfg(unix)]
#[test]
fn a_linked_template_is_not_rendered() {
    let outside = outside_secret();
    let repo = a_repo();
    symlink(
        &outside.path().join("secret"),
        &repo.path().join("templates/_summary.md.j2"),
    );
    refused(
        &repo,
        &["render", "handoffs/acme.yaml"],
        &["templates/_summary.md.j2: a symbolic link"],
    );
}

#[cfg(unix)]
#[test]
fn a_linked_reviews_file_or_folder_is_neither_read_nor_written_through() {
    let outside = outside_secret();
    let review = [
        "review",
        "handoffs/acme.yaml",
        "--reviewer",
        "Dana",
        "--verdict",
        "ok",
        "--week",
        "2026-W01",
    ];
    let repo = a_repo();
    symlink(
        &outside.path().join("secret"),
        &repo.path().join("reviews/2026-W01.yaml"),
    );
    refused(&repo, &review, &["reviews/2026-W01.yaml: a symbolic link"]);

    let repo = a_repo();
    symlink(outside.path(), &repo.path().join("reviews"));
    refused(&repo, &review, &["reviews: a symbolic link"]);
    let names: Vec<_> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["secret"], "nothing was written outside");
}

#[cfg(unix)]
#[test]
fn a_pipe_or_an_oversized_asset_is_refused_at_once() {
    let repo = a_repo();
    mkfifo(&repo.path().join("roster.yaml"));
    let started = std::time::Instant::now();
    refused(&repo, &["lint"], &["roster.yaml: not a regular file"]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "a pipe blocked"
    );

    let repo = a_repo();
    symlink(Path::new("/dev/zero"), &repo.path().join("roster.yaml"));
    refused(&repo, &["lint"], &["roster.yaml: a symbolic link"]);

    let repo = a_repo();
    repo.write(
        "playbooks/sales-cs.yaml",
        "# padding\n".repeat(5 * 1024 * 1024 / 10),
    );
    refused(
        &repo,
        &["lint"],
        &["playbooks/sales-cs.yaml: larger than 4194304 bytes"],
    );
}

#[cfg(unix)]
#[test]
fn a_linked_handoffs_folder_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("acme.yaml"), spec_sales_cs()).unwrap();
    let repo = Repo::new();
    std::fs::remove_dir(repo.path().join("handoffs")).unwrap();
    symlink(outside.path(), &repo.path().join("handoffs"));
    refused(
        &repo,
        &["lint"],
        &["handoffs: the handoffs folder is a symbolic link"],
    );
    refused(
        &repo,
        &["lint", "handoffs"],
        &["handoffs: a symbolic link to a folder"],
    );
}

/// A repository with one good handoff and one symbolic link to a handoff outside it.
#[cfg(unix)]
fn repo_with_a_link() -> (Repo, tempfile::TempDir) {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("x.yaml"),
        "type: sales-cs\nstatus: draft\n",
    )
    .unwrap();
    let repo = a_repo();
    symlink(
        &outside.path().join("x.yaml"),
        &repo.path().join("handoffs/link.yaml"),
    );
    (repo, outside)
}

#[cfg(unix)]
#[test]
fn a_linked_handoff_is_skipped_in_every_format() {
    let (repo, _outside) = repo_with_a_link();

    // Found in a folder (a file named on the command line is the user's choice, and read).
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 0, "a skipped file does not fail the gate: {report:#}");
    assert_eq!(report["passed"], true, "{report:#}");
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["path"], "handoffs/acme.yaml");
    assert!(files[0].get("skipped").is_none(), "{:#}", files[0]);
    assert_eq!(files[0]["passed"], true);
    let link = &files[1];
    assert_eq!(link["path"], "handoffs/link.yaml");
    assert_eq!(link["skipped"], true, "{link:#}");
    assert_eq!(link["passed"], false, "{link:#}");
    assert!(link["score"].is_null(), "{link:#}");

    let (code, human, _) = run(&repo, &["lint"]);
    assert_eq!(code, 0, "{human}");
    assert!(human.contains("handoffs/link.yaml · SKIPPED\n"), "{human}");
    assert!(
        human.contains("2 handoffs: 1 passed, 0 blocked (0 invalid), 1 skipped; threshold 70"),
        "{human}"
    );

    let (code, junit, _) = run(&repo, &["lint", "--format", "junit"]);
    assert_eq!(code, 0, "{junit}");
    assert!(junit.contains("failures=\"0\""), "{junit}");
    assert!(junit.contains("skipped=\"1\""), "{junit}");
    assert!(
        junit.contains("<skipped message=\"a symbolic link"),
        "{junit}"
    );

    let (code, sarif, _) = run(&repo, &["lint", "--format", "sarif"]);
    assert_eq!(code, 0, "{sarif}");
    assert!(!sarif.contains("below the threshold"), "{sarif}");
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let rules: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["HO006"], "only the link's own warning: {sarif}");

    let (code, github, _) = run(&repo, &["lint", "--format", "github"]);
    assert_eq!(code, 0, "{github}");
    assert!(!github.contains("::error"), "{github}");
    assert!(!github.contains("score 0"), "{github}");
    assert!(
        github.contains("2 handoffs: 1 passed, 0 blocked, 1 skipped; threshold 70"),
        "{github}"
    );

    let summary = repo.path().join("summary.md");
    let output = repo
        .cmd()
        .args(["lint", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let summary = std::fs::read_to_string(summary).unwrap();
    assert!(
        summary.contains("### Handoff gate: 1 passed, 0 blocked, 1 skipped (threshold 70)"),
        "{summary}"
    );
    assert!(
        summary.contains("| `handoffs/link.yaml` | ? | — | ⏭️ SKIPPED |"),
        "{summary}"
    );

    // Configured as an error, the link blocks: it is then a failure, not a skip.
    repo.write("handoff.toml", "[rules]\nsymlink = \"error\"\n");
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 1, "{report:#}");
    let link = &report["files"][1];
    assert_eq!(link["path"], "handoffs/link.yaml");
    assert!(link.get("skipped").is_none(), "{link:#}");
    assert_eq!(link["passed"], false);
}

#[cfg(unix)]
#[test]
fn output_onto_a_pipe_or_a_link_is_refused_even_with_force() {
    let repo = a_repo();
    let fifo = repo.path().join("out.fifo");
    mkfifo(&fifo);
    refused(
        &repo,
        &["render", "handoffs/acme.yaml", "-o", "out.fifo", "--force"],
        &["out.fifo: not a regular file (a pipe, socket or device); it is not replaced"],
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());

    let outside = outside_secret();
    symlink(&outside.path().join("secret"), &repo.path().join("out.md"));
    refused(
        &repo,
        &["render", "handoffs/acme.yaml", "-o", "out.md", "--force"],
        &["out.md: a symbolic link; it is not replaced"],
    );
    assert!(std::fs::symlink_metadata(repo.path().join("out.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    refused(
        &repo,
        &["metrics", "-o", "out.md", "--force"],
        &["out.md: a symbolic link; it is not replaced"],
    );
    refused(
        &repo,
        &["metrics", "-o", "/dev/null", "--force"],
        &["/dev/null: not a regular file"],
    );
}

#[test]
fn output_dash_is_standard_output() {
    let repo = a_repo();
    let (code, stdout, stderr) = run(&repo, &["render", "handoffs/acme.yaml", "-o", "-"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("# "), "{stdout}");
    assert!(!repo.path().join("-").exists());
}

#[test]
fn playbook_weights_cannot_wrap_around_to_100() {
    let repo = a_repo();
    let mut weights = ["4294967295", "101", "0", "0", "0", "0"].into_iter();
    let playbook: String = std::fs::read_to_string(project_root().join("playbooks/sales-cs.yaml"))
        .unwrap()
        .lines()
        .map(|line| match line.strip_prefix("    weight: ") {
            Some(_) => format!("    weight: {}\n", weights.next().unwrap()),
            None => format!("{line}\n"),
        })
        .collect();
    assert!(weights.next().is_none(), "six sections");
    repo.write("playbooks/sales-cs.yaml", playbook);
    refused(
        &repo,
        &["lint"],
        &["playbooks/sales-cs.yaml: section weights add up to 4294967396; they must add up to 100"],
    );
}

#[test]
fn a_template_that_runs_for_ever_is_stopped_naming_its_file_and_line() {
    let repo = a_repo();
    repo.write(
        "templates/sales-cs.md.j2",
        "# {{ handoff.customer.company }}\n{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}x{% endfor %}{% endfor %}{% endfor %}\n",
    );
    let started = std::time::Instant::now();
    let stderr = refused(
        &repo,
        &["render", "handoffs/acme.yaml"],
        &["templates/sales-cs.md.j2 line 2"],
    );
    assert!(stderr.contains("fuel"), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

#[cfg(unix)]
#[test]
fn a_linked_mailmap_in_the_work_tree_is_refused() {
    let outside = outside_secret();
    let repo = GitRepo::init(a_repo());
    repo.stage(&["handoffs/acme.yaml"]);
    repo.commit_staged(DEV, 1_767_225_600, "acme");
    // `-o -` is standard output.
    let (code, stdout, stderr) = run(&repo, &["metrics", "--format", "json", "-o", "-"]);
    assert_eq!(code, 0, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(report["handoffs"].is_array(), "{report:#}");
    assert!(!repo.path().join("-").exists());
    symlink(
        &outside.path().join("secret"),
        &repo.path().join(".mailmap"),
    );
    refused(
        &repo,
        &["metrics", "--format", "json"],
        &[".mailmap: a symbolic link"],
    );
}
