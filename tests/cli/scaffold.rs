//! `handoff init`, `handoff new` (with `--branch`), the CI files they write, and completions.

use std::path::Path;

use assert_cmd::Command;
use handoffs::cli::Cli;

use crate::util::{project_root, Repo};

fn handoff(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("handoff").expect("binary");
    cmd.current_dir(dir);
    cmd.env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

/// Runs the command; returns (exit code, stdout, stderr).
fn run(cmd: &mut Command) -> (i32, String, String) {
    let output = cmd.output().expect("run");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn project_roster() -> String {
    std::fs::read_to_string(project_root().join("roster.yaml")).expect("roster.yaml")
}

/// A repository with the project's roster (Jane Doe AE, Sam Lee CSM, ...).
fn repo_with_roster() -> Repo {
    let repo = Repo::new();
    repo.write("roster.yaml", project_roster());
    repo
}

const SCAFFOLD: [&str; 22] = [
    "handoff.toml",
    "roster.yaml",
    "schema/common.json",
    "schema/sdr-ae.json",
    "schema/sales-cs.json",
    "schema/ae-se.json",
    "schema/sales-implementation.json",
    "schema/cs-sales.json",
    "playbooks/sdr-ae.yaml",
    "playbooks/sales-cs.yaml",
    "playbooks/sales-cs.enterprise.yaml",
    "playbooks/ae-se.yaml",
    "playbooks/sales-implementation.yaml",
    "playbooks/cs-sales.yaml",
    "handoffs/README.md",
    ".github/workflows/handoff.yml",
    ".github/install-handoff.sh",
    ".github/pull_request_template.md",
    ".github/CODEOWNERS",
    ".vscode/settings.json",
    ".vscode/extensions.json",
    ".pre-commit-config.yaml",
];

#[test]
fn init_into_a_new_folder_writes_the_scaffold_and_lint_passes_on_it() {
    let temp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(handoff(temp.path()).args(["init", "team-handoffs"]));
    assert_eq!(code, 0, "{stderr}");
    let root = temp.path().join("team-handoffs");
    for path in SCAFFOLD {
        assert!(root.join(path).is_file(), "{path} not written");
        assert!(
            stdout.contains(&format!("  {path}\n")),
            "{path} not listed:\n{stdout}"
        );
    }
    assert!(stdout.contains("(22 files)"), "{stdout}");
    assert!(stdout.contains("git init"), "{stdout}");
    assert!(
        stdout.contains("handoff new sales-cs acme-corp --from \"Jane Doe\" --to \"Sam Lee\""),
        "{stdout}"
    );
    // The schemas and playbooks are the defaults the binary embeds.
    for path in [
        "schema/sales-cs.json",
        "playbooks/sdr-ae.yaml",
        "roster.yaml",
    ] {
        assert_eq!(
            std::fs::read_to_string(root.join(path)).unwrap(),
            std::fs::read_to_string(project_root().join(path)).unwrap(),
            "{path}"
        );
    }
    // No temporary files are left behind.
    let leftovers: Vec<_> = walk(&root)
        .into_iter()
        .filter(|p| p.contains(".handoff-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let (code, stdout, stderr) = run(handoff(&root).args(["lint", "--format", "json"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["passed"], true);
    assert_eq!(report["files"], serde_json::json!([]));
}

fn walk(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap().path().display().to_string())
        .collect()
}

#[test]
fn init_refuses_to_overwrite_anything_and_force_overwrites() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    assert_eq!(run(handoff(root).arg("init")).0, 0);
    std::fs::write(root.join("playbooks/sales-cs.yaml"), "edited by the team\n").unwrap();
    std::fs::remove_file(root.join(".vscode/settings.json")).unwrap();

    let (code, stdout, stderr) = run(handoff(root).arg("init"));
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert!(stderr.contains("20 files already exist"), "{stderr}");
    for path in [
        "handoff.toml",
        "playbooks/sales-cs.yaml",
        ".github/CODEOWNERS",
    ] {
        assert!(stderr.contains(path), "{path} not named: {stderr}");
    }
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    // Nothing was written: not even the one file that was missing.
    assert!(!root.join(".vscode/settings.json").exists());
    assert_eq!(
        std::fs::read_to_string(root.join("playbooks/sales-cs.yaml")).unwrap(),
        "edited by the team\n"
    );

    let (code, stdout, stderr) = run(handoff(root).args(["init", "--force"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("  playbooks/sales-cs.yaml (overwritten)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  .vscode/settings.json\n"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(root.join("playbooks/sales-cs.yaml")).unwrap(),
        std::fs::read_to_string(project_root().join("playbooks/sales-cs.yaml")).unwrap()
    );
    assert!(root.join(".vscode/settings.json").is_file());
}

#[test]
fn init_keeps_an_existing_roster_and_routes_codeowners_to_the_receivers() {
    let temp = tempfile::tempdir().unwrap();
    let roster = "people:\n\
        \x20 - {name: Sam Lee, role: CSM, team: customer-success, github: samlee}\n\
        \x20 - {name: Aisha Okafor, role: CSM, team: customer-success, github: aokafor}\n\
        \x20 - {name: Jane Doe, role: AE, team: sales, github: janedoe}\n\
        \x20 - {name: Priya Nair, role: SE, team: solutions}\n";
    std::fs::write(temp.path().join("roster.yaml"), roster).unwrap();
    let (code, stdout, stderr) = run(handoff(temp.path()).arg("init"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("kept your roster.yaml"), "{stdout}");
    assert!(stdout.contains("(21 files)"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(temp.path().join("roster.yaml")).unwrap(),
        roster
    );
    let codeowners = std::fs::read_to_string(temp.path().join(".github/CODEOWNERS")).unwrap();
    let routes: Vec<&str> = codeowners
        .lines()
        .filter(|line| line.starts_with('/'))
        .collect();
    assert_eq!(
        routes,
        vec![
            // sdr-ae goes to the AEs, sales-cs to the CSMs, ae-se to the SEs (no handles:
            // their team), sales-implementation to a team nobody in this roster belongs to,
            // cs-sales back to the AEs.
            "/handoffs/sdr-ae/ @janedoe",
            "/handoffs/sales-cs/ @samlee @aokafor",
            "/handoffs/ae-se/ @your-org/solutions",
            "/handoffs/sales-implementation/ @your-org/implementation",
            "/handoffs/cs-sales/ @janedoe",
        ]
    );
}

#[test]
fn init_with_the_example_roster_routes_codeowners_to_team_placeholders() {
    let temp = tempfile::tempdir().unwrap();
    assert_eq!(run(handoff(temp.path()).arg("init")).0, 0);
    let codeowners = std::fs::read_to_string(temp.path().join(".github/CODEOWNERS")).unwrap();
    let routes: Vec<&str> = codeowners
        .lines()
        .filter(|line| line.starts_with('/'))
        .collect();
    assert_eq!(
        routes,
        vec![
            "/handoffs/sdr-ae/ @your-org/sales",
            "/handoffs/sales-cs/ @your-org/customer-success",
            "/handoffs/ae-se/ @your-org/solutions",
            "/handoffs/sales-implementation/ @your-org/implementation",
            "/handoffs/cs-sales/ @your-org/sales",
        ]
    );
    let settings: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(temp.path().join(".vscode/settings.json")).unwrap(),
    )
    .unwrap();
    for handoff_type in [
        "sdr-ae",
        "sales-cs",
        "ae-se",
        "sales-implementation",
        "cs-sales",
    ] {
        let schema = format!("./schema/{handoff_type}.json");
        assert_eq!(
            settings["yaml.schemas"][&schema][0],
            format!("handoffs/{handoff_type}/**/*.yaml")
        );
        assert!(temp.path().join(&schema).is_file());
    }
    let template =
        std::fs::read_to_string(temp.path().join(".github/pull_request_template.md")).unwrap();
    for item in [
        "5 minutes",
        "customer's own words",
        "measurable",
        "mitigation",
        "owner",
        "`status: accepted` and `accepted_by",
    ] {
        assert!(template.contains(item), "checklist lacks {item:?}");
    }
}

#[test]
fn init_refuses_a_file_as_its_folder() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("notes.txt"), "x").unwrap();
    let (code, _, stderr) = run(handoff(temp.path()).args(["init", "notes.txt"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("notes.txt: not a folder"), "{stderr}");
}

/// Splits a shell command line into words (quotes removed), as far as the workflow needs.
pub(crate) fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// Every `handoff ...` command in the `run:` blocks of a workflow, with `${{ ... }}` replaced
/// by plausible values, split into words without redirections.
pub(crate) fn handoff_commands(workflow: &serde_norway::Value) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let jobs = workflow["jobs"].as_mapping().expect("jobs");
    for (_, job) in jobs {
        for step in job["steps"].as_sequence().expect("steps") {
            let Some(script) = step.get("run").and_then(|r| r.as_str()) else {
                continue;
            };
            let script = script
                .replace("${{ github.base_ref }}", "main")
                .replace("${{ inputs.args }}", "lint --format github")
                .replace("\\\n", " ");
            assert!(!script.contains("${{"), "unhandled expression in {script}");
            for line in script.lines() {
                for segment in line.split("||").flat_map(|s| s.split("&&")) {
                    for part in segment.split(['|', ';']) {
                        let words = shell_words(part);
                        if words.first().map(String::as_str) != Some("handoff") {
                            continue;
                        }
                        let words: Vec<String> = words
                            .into_iter()
                            .take_while(|w| !w.starts_with('>') && !w.starts_with("2>"))
                            .collect();
                        commands.push(words);
                    }
                }
            }
        }
    }
    commands
}

#[test]
fn the_generated_workflow_gates_pull_requests_and_its_commands_parse() {
    let temp = tempfile::tempdir().unwrap();
    assert_eq!(run(handoff(temp.path()).arg("init")).0, 0);
    let text = std::fs::read_to_string(temp.path().join(".github/workflows/handoff.yml")).unwrap();
    let workflow: serde_norway::Value = serde_norway::from_str(&text).unwrap();

    let on = &workflow["on"];
    // No path filter: the gate runs on every pull request, so it can be a required check.
    assert_eq!(on["pull_request"], serde_norway::Value::Null, "{text}");
    assert_eq!(on["push"], serde_norway::Value::Null, "{text}");
    assert_eq!(on["schedule"][0]["cron"].as_str(), Some("0 7 * * 1"));
    assert!(on.get("workflow_dispatch").is_some());
    assert_eq!(
        on["repository_dispatch"]["types"][0].as_str(),
        Some("crm-deal-won")
    );
    assert_eq!(
        workflow["env"]["HANDOFF_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );

    let gate = &workflow["jobs"]["gate"];
    assert_eq!(gate["name"].as_str(), Some("gate"));
    assert_eq!(
        gate["if"].as_str(),
        Some("github.event_name == 'pull_request'")
    );
    let steps = gate["steps"].as_sequence().unwrap();
    assert_eq!(steps[0]["with"]["fetch-depth"].as_u64(), Some(0));
    // Installs the released binary with the script init writes; nothing is compiled.
    assert_eq!(
        steps[1]["run"].as_str(),
        Some("sh .github/install-handoff.sh")
    );
    assert!(!text.contains("cargo"), "a job compiles the tool:\n{text}");

    let scanning = &workflow["jobs"]["code-scanning"];
    assert_eq!(
        scanning["permissions"]["security-events"].as_str(),
        Some("write")
    );
    let condition = scanning["if"].as_str().unwrap();
    assert!(
        condition.contains("github.event.repository.default_branch"),
        "{condition}"
    );
    let upload = scanning["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("SARIF upload");
    assert_eq!(upload["with"]["sarif_file"].as_str(), Some("handoff.sarif"));

    let comment = &workflow["jobs"]["comment"];
    assert_eq!(
        comment["permissions"]["pull-requests"].as_str(),
        Some("write")
    );
    let post = comment["steps"][3]["run"].as_str().unwrap();
    assert!(post.contains("<!-- handoff-gate -->"), "{post}");
    assert!(post.contains("--method PATCH"), "{post}");
    assert!(post.contains("GITHUB_STEP_SUMMARY"), "{post}");

    let draft = &workflow["jobs"]["draft"];
    assert_eq!(
        draft["if"].as_str(),
        Some("github.event_name == 'repository_dispatch'")
    );
    let draft_steps = draft["steps"].as_sequence().unwrap();
    assert_eq!(
        draft_steps[2]["env"]["PAYLOAD"].as_str(),
        Some("${{ toJSON(github.event.client_payload) }}")
    );
    assert!(draft_steps[4]["run"]
        .as_str()
        .unwrap()
        .contains("gh pr create --draft"));

    let weekly = &workflow["jobs"]["weekly"];
    let steps = weekly["steps"].as_sequence().unwrap();
    assert_eq!(steps[0]["with"]["fetch-depth"].as_u64(), Some(0));
    let artifact = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-artifact@"))
        })
        .expect("artifact upload");
    assert_eq!(
        artifact["with"]["path"].as_str(),
        Some("handoff-metrics.html")
    );

    let commands = handoff_commands(&workflow);
    let lines: Vec<String> = commands.iter().map(|c| c.join(" ")).collect();
    assert_eq!(
        lines,
        vec![
            "handoff lint --changed-since origin/$BASE_REF --format github",
            "handoff lint --changed-since origin/$BASE_REF --format markdown",
            "handoff lint --format sarif",
            "handoff metrics --format html -o handoff-metrics.html",
            "handoff sample --format md",
            "handoff new sales-cs --prefill $RUNNER_TEMP/payload.json --branch",
        ]
    );
    for command in &commands {
        if let Err(err) = <Cli as clap::Parser>::try_parse_from(command) {
            panic!("`{}` does not parse:\n{err}", command.join(" "));
        }
    }
}

#[test]
fn init_for_gitlab_writes_a_gitlab_ci_whose_commands_parse() {
    let temp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(handoff(temp.path()).args(["init", "--ci", "gitlab"]));
    assert_eq!(code, 0, "{stderr}");
    for path in [
        ".gitlab-ci.yml",
        ".gitlab/merge_request_templates/Default.md",
        ".gitlab/CODEOWNERS",
    ] {
        assert!(temp.path().join(path).is_file(), "{path}");
        assert!(stdout.contains(&format!("  {path}\n")), "{stdout}");
    }
    assert!(!temp.path().join(".github").exists());
    assert!(stdout.contains("Pipelines must succeed"), "{stdout}");

    let text = std::fs::read_to_string(temp.path().join(".gitlab-ci.yml")).unwrap();
    let ci: serde_norway::Value = serde_norway::from_str(&text).unwrap();
    assert_eq!(ci["variables"]["GIT_DEPTH"].as_str(), Some("0"));
    assert_eq!(
        ci["variables"]["HANDOFF_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        ci["default"]["image"]["name"].as_str(),
        Some("ghcr.io/handoffs-dev/handoffs:$HANDOFF_VERSION")
    );
    let gate = &ci["handoff-gate"];
    assert_eq!(
        gate["rules"][0]["if"].as_str(),
        Some("$CI_PIPELINE_SOURCE == \"merge_request_event\"")
    );
    assert_eq!(
        gate["artifacts"]["reports"]["codequality"].as_str(),
        Some("gl-code-quality-report.json")
    );
    assert_eq!(
        gate["artifacts"]["reports"]["junit"].as_str(),
        Some("handoff-junit.xml")
    );
    assert_eq!(gate["artifacts"]["when"].as_str(), Some("always"));
    assert_eq!(
        ci["handoff-weekly"]["rules"][0]["if"].as_str(),
        Some("$CI_PIPELINE_SOURCE == \"schedule\"")
    );

    let mut lines = Vec::new();
    for job in ["handoff-gate", "handoff-weekly"] {
        for line in ci[job]["script"].as_sequence().unwrap() {
            let line = line.as_str().unwrap();
            let command = line.split("||").next().unwrap();
            let words: Vec<String> = shell_words(command)
                .into_iter()
                .take_while(|w| !w.starts_with('>'))
                .collect();
            assert_eq!(words[0], "handoff", "{line}");
            if let Err(err) = <Cli as clap::Parser>::try_parse_from(&words) {
                panic!("`{}` does not parse:\n{err}", words.join(" "));
            }
            lines.push(words.join(" "));
        }
    }
    assert_eq!(
        lines,
        [
            "handoff lint --changed-since $CI_MERGE_REQUEST_DIFF_BASE_SHA --format gitlab",
            "handoff lint --changed-since $CI_MERGE_REQUEST_DIFF_BASE_SHA --format junit",
            "handoff lint --changed-since $CI_MERGE_REQUEST_DIFF_BASE_SHA",
            "handoff metrics --format html -o handoff-metrics.html",
            "handoff sample --format md",
        ]
    );
}

#[test]
fn the_projects_action_hook_and_ci_call_the_cli_correctly() {
    let root = project_root();
    let action: serde_norway::Value =
        serde_norway::from_str(&std::fs::read_to_string(root.join("action.yml")).unwrap()).unwrap();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let default_args = action["inputs"]["args"]["default"].as_str().unwrap();
    let mut words = vec!["handoff".to_string()];
    words.extend(shell_words(default_args));
    <Cli as clap::Parser>::try_parse_from(&words).expect("action.yml default args parse");
    assert!(action["inputs"].get("version").is_some());

    let hooks: serde_norway::Value = serde_norway::from_str(
        &std::fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    let hook = &hooks[0];
    assert_eq!(hook["id"].as_str(), Some("handoff-lint"));
    assert_eq!(hook["pass_filenames"].as_bool(), Some(true));
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    assert!(files.is_match("handoffs/sales-cs/acme.yaml"));
    assert!(files.is_match("handoffs/sdr-ae/orchid.yml"));
    assert!(!files.is_match("playbooks/sales-cs.yaml"));
    let mut words = shell_words(hook["entry"].as_str().unwrap());
    words.push("handoffs/sales-cs/acme.yaml".to_string());
    assert_eq!(words[0], "handoff");
    <Cli as clap::Parser>::try_parse_from(&words).expect("hook entry parses");

    let ci = std::fs::read_to_string(root.join(".github/workflows/ci.yml")).unwrap();
    let ci: serde_norway::Value = serde_norway::from_str(&ci).unwrap();
    let runs: Vec<&str> = ci["jobs"]
        .as_mapping()
        .unwrap()
        .iter()
        .flat_map(|(_, job)| job["steps"].as_sequence().unwrap())
        .filter_map(|step| step.get("run").and_then(|r| r.as_str()))
        .collect();
    for expected in [
        "cargo fmt --all -- --check",
        "cargo clippy --all-targets --locked -- -D warnings",
        "cargo test --locked",
        "cargo run --locked -- lint",
    ] {
        assert!(
            runs.contains(&expected),
            "ci.yml lacks `{expected}`: {runs:?}"
        );
    }
}

#[test]
fn new_writes_the_playbook_skeleton() {
    let repo = repo_with_roster();
    let (code, stdout, stderr) = run(repo.cmd().args([
        "new",
        "sales-cs",
        "acme-corp",
        "--from",
        "jane doe",
        "--to",
        "Sam Lee",
        "--date",
        "2026-11-20",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(
            "Created handoffs/sales-cs/acme-corp.yaml (Sales → CS handoff, playbook sales-cs@1): score 0/100, threshold 70.\n"
        ),
        "{stdout}"
    );
    for step in [
        "handoff lint handoffs/sales-cs/acme-corp.yaml",
        "git push -u origin handoff/acme-corp",
        "handoff render handoffs/sales-cs/acme-corp.yaml --format md | gh pr create --title 'Acme Corp — Sales → CS handoff' --body-file -",
    ] {
        assert!(stdout.contains(step), "{step:?} not in:\n{stdout}");
    }
    let text = repo.read("handoffs/sales-cs/acme-corp.yaml");
    assert!(text.starts_with("# yaml-language-server: $schema=../../schema/sales-cs.json\n"));
    // The roster's spelling, role and email win over the flag's.
    assert!(
        text.contains("  name: Jane Doe\n  role: AE\n  email: jane.doe@example.com\n"),
        "{text}"
    );
    insta::assert_snapshot!("new_sales_cs_acme_corp", text);
}

#[test]
fn a_new_handoff_of_every_type_is_valid_scores_low_and_lint_names_what_to_fill_in() {
    let repo = repo_with_roster();
    let people = [
        ("sdr-ae", "Maya Patel", "Jane Doe"),
        ("sales-cs", "Jane Doe", "Sam Lee"),
        ("ae-se", "Jane Doe", "Priya Nair"),
        ("sales-implementation", "Jane Doe", "Lukas Novak"),
        ("cs-sales", "Sam Lee", "Marcus Chen"),
    ];
    for (handoff_type, from, to) in people {
        let (code, _, stderr) =
            run(repo
                .cmd()
                .args(["new", handoff_type, "acme", "--from", from, "--to", to]));
        assert_eq!(code, 0, "{handoff_type}: {stderr}");
    }
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(report["passed"], false);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 5);
    for file in files {
        assert_eq!(file["valid"], true, "{file:#}");
        assert_eq!(file["passed"], false);
        assert!(file["score"].as_u64().unwrap() < 70, "{file:#}");
        let errors: Vec<_> = file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        // An empty SDR -> AE skeleton is not qualified yet (HO007): the one error it may have.
        if file["path"].as_str().unwrap().contains("sdr-ae") {
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0]["code"], "HO007");
        } else {
            assert!(errors.is_empty(), "{errors:?}");
        }
        let sections = file["sections"].as_array().unwrap();
        assert_eq!(sections.len(), 6);
        for section in sections {
            assert!(
                section["status"] == "missing" || section["status"] == "partial",
                "{section}"
            );
            assert!(!section["missing"].as_array().unwrap().is_empty());
        }
    }
    let sales_cs = files
        .iter()
        .find(|f| f["path"] == "handoffs/sales-cs/acme.yaml")
        .unwrap();
    assert_eq!(sales_cs["score"], 0);
    assert_eq!(
        crate::util::section(sales_cs, "customer_context")["missing"],
        serde_json::json!([
            "customer.company",
            "customer.industry",
            "customer.size",
            "customer.primary_contact",
            "deal.amount",
            "deal.bought"
        ])
    );
    // The human report names the fields to fill in.
    let (code, stdout, _) = run(repo.cmd().args(["lint", "handoffs/sales-cs/acme.yaml"]));
    assert_eq!(code, 1);
    assert!(stdout.contains("BLOCKED: below 70"), "{stdout}");
    for field in [
        "customer.company",
        "expectations.success_criteria",
        "action_items",
    ] {
        assert!(stdout.contains(field), "{field} not named:\n{stdout}");
    }
}

#[test]
fn new_refuses_names_that_are_not_slugs_and_unknown_types() {
    let repo = repo_with_roster();
    for name in ["../x", "a/b", "Bad Name", "..", "-x", "x.yaml"] {
        let (code, stdout, stderr) = run(repo.cmd().args(["new", "sales-cs", "--", name]));
        assert_eq!(code, 2, "{name}");
        assert_eq!(stdout, "");
        assert!(stderr.contains("is not a slug"), "{name}: {stderr}");
    }
    let (_, _, stderr) = run(repo.cmd().args(["new", "sales-cs", "Bad Name"]));
    assert!(stderr.contains("e.g. `bad-name`"), "{stderr}");
    let (code, _, stderr) = run(repo.cmd().args(["new", "sales-to-cs", "acme"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("use one of sdr-ae, sales-cs, ae-se, sales-implementation, cs-sales"),
        "{stderr}"
    );
    assert_eq!(
        walk(&repo.path().join("handoffs")).len(),
        1,
        "nothing written"
    );
    assert!(!repo.path().join("x").exists());
}

#[test]
fn new_refuses_an_existing_file() {
    let repo = repo_with_roster();
    repo.write("handoffs/sales-cs/acme.yaml", "kept: true\n");
    let (code, _, stderr) = run(repo.cmd().args(["new", "sales-cs", "acme"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("handoffs/sales-cs/acme.yaml: already exists"),
        "{stderr}"
    );
    assert_eq!(repo.read("handoffs/sales-cs/acme.yaml"), "kept: true\n");
    // The other extension counts as the same handoff.
    repo.write("handoffs/sales-cs/beta.yml", "kept: true\n");
    let (code, _, stderr) = run(repo.cmd().args(["new", "sales-cs", "beta"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("beta.yml: already exists"), "{stderr}");
}

#[test]
fn new_checks_from_and_to_against_the_roster() {
    let repo = repo_with_roster();
    let (code, _, stderr) = run(repo
        .cmd()
        .args(["new", "sales-cs", "acme", "--to", "Sam Le"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--to \"Sam Le\": not in roster.yaml; did you mean Sam Lee?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("(the CSMs there: Sam Lee, Aisha Okafor)"),
        "{stderr}"
    );
    let (code, _, stderr) =
        run(repo
            .cmd()
            .args(["new", "sales-cs", "acme", "--from", "Nobody Known"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--from \"Nobody Known\": not in roster.yaml"),
        "{stderr}"
    );
    assert!(!repo.path().join("handoffs/sales-cs/acme.yaml").exists());

    // Without a roster any name goes, with the playbook's roles.
    let repo = Repo::new();
    let (code, _, stderr) = run(repo.cmd().args([
        "new", "sales-cs", "acme", "--from", "Ann Vale", "--to", "Bo Lund",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let text = repo.read("handoffs/sales-cs/acme.yaml");
    assert!(text.contains("  name: Ann Vale\n  role: AE\n"), "{text}");
    assert!(text.contains("  name: Bo Lund\n  role: CSM\n"), "{text}");
}

#[test]
fn new_without_names_leaves_them_for_the_writer_and_says_so() {
    let repo = repo_with_roster();
    // A git identity that is not in the roster is not used as the writer.
    let (code, stdout, stderr) = run(repo
        .cmd()
        .env("HOME", repo.path())
        .env("XDG_CONFIG_HOME", repo.path())
        .args(["new", "sales-cs", "acme"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Fill these in before anything else (the schema requires them):"),
        "{stdout}"
    );
    assert!(stdout.contains("from.name"), "{stdout}");
    assert!(stdout.contains("to.name"), "{stdout}");
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(report["files"][0]["valid"], false);
}

#[test]
fn new_says_how_to_get_editor_schemas_when_the_repository_has_none() {
    let repo = repo_with_roster();
    let (_, stdout, _) = run(repo.cmd().args([
        "new",
        "sdr-ae",
        "orchid",
        "--from",
        "Maya Patel",
        "--to",
        "Jane Doe",
    ]));
    assert!(
        stdout.contains("handoff schema common > schema/common.json && handoff schema sdr-ae > schema/sdr-ae.json"),
        "{stdout}"
    );
    let (code, schema, _) = run(repo.cmd().args(["schema", "common"]));
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    assert!(schema["$defs"]["date"].is_object());
}

#[test]
fn new_respects_a_configured_handoffs_folder_in_the_modeline() {
    let repo = repo_with_roster();
    repo.write("handoff.toml", "handoffs_dir = \"docs/handoffs\"\n");
    let (code, _, stderr) = run(repo.cmd().args([
        "new",
        "ae-se",
        "kestrel",
        "--from",
        "Jane Doe",
        "--to",
        "Priya Nair",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let text = repo.read("docs/handoffs/ae-se/kestrel.yaml");
    assert!(
        text.starts_with("# yaml-language-server: $schema=../../../schema/ae-se.json\n"),
        "{text}"
    );
}

mod branch {
    use super::*;
    use crate::util::{day, GitRepo, JANE};

    /// A git repository with the roster committed once (pinned dates) and an identity in its
    /// own config.
    fn git_repo() -> GitRepo {
        let repo = repo_with_roster();
        repo.write("handoffs/.gitkeep", "");
        let repo = GitRepo::init(repo).identity(JANE);
        repo.stage(&["roster.yaml", "handoffs/.gitkeep"]);
        repo.commit_staged(("Setup", "setup@example.com"), day(0), "Initial");
        repo
    }

    #[test]
    fn branch_gets_one_commit_holding_only_the_new_file() {
        let repo = git_repo();
        let git = &repo.git;
        let initial = git.head().unwrap().peel_to_commit().unwrap().id();
        let main = git.head().unwrap().shorthand().unwrap().to_string();
        // Uncommitted, unstaged work stays out of the commit.
        repo.write(
            "roster.yaml",
            format!("{}# a local edit\n", project_roster()),
        );
        let (code, stdout, stderr) = run(repo.cmd().args([
            "new",
            "sales-cs",
            "acme-corp",
            "--to",
            "Sam Lee",
            "--branch",
        ]));
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.contains("On branch handoff/acme-corp: commit "),
            "{stdout}"
        );
        assert!(
            stdout.contains("git push -u origin handoff/acme-corp"),
            "{stdout}"
        );

        let head = git.head().unwrap();
        assert_eq!(head.shorthand().ok(), Some("handoff/acme-corp"));
        let commit = head.peel_to_commit().unwrap();
        assert_eq!(
            commit.message().ok(),
            Some("Start handoff acme-corp (sales-cs)")
        );
        assert_eq!(commit.author().name().ok(), Some("Jane Doe"));
        assert_eq!(commit.parent_count(), 1);
        assert_eq!(commit.parent_id(0).unwrap(), initial);
        let diff = git
            .diff_tree_to_tree(
                Some(&commit.parent(0).unwrap().tree().unwrap()),
                Some(&commit.tree().unwrap()),
                None,
            )
            .unwrap();
        let changed: Vec<String> = diff
            .deltas()
            .map(|d| d.new_file().path().unwrap().display().to_string())
            .collect();
        assert_eq!(changed, vec!["handoffs/sales-cs/acme-corp.yaml"]);
        let delta = diff.deltas().next().unwrap();
        assert_eq!(delta.status(), git2::Delta::Added);
        // The branch it started from did not move; the local edit is still in the work tree.
        let main = git.find_branch(&main, git2::BranchType::Local).unwrap();
        assert_eq!(main.get().target(), Some(initial));
        assert!(repo.read("roster.yaml").ends_with("# a local edit\n"));
        // The writer came from git's user.name, since the roster knows them.
        assert!(repo
            .read("handoffs/sales-cs/acme-corp.yaml")
            .contains("from:\n  # Who writes this handoff?"));
        assert!(repo
            .read("handoffs/sales-cs/acme-corp.yaml")
            .contains("  name: Jane Doe\n  role: AE\n"));
    }

    #[test]
    fn branch_refuses_staged_changes_and_an_existing_branch_before_writing() {
        let repo = git_repo();
        let git = &repo.git;
        repo.write("notes.md", "staged\n");
        let mut index = git.index().unwrap();
        index.add_path(Path::new("notes.md")).unwrap();
        index.write().unwrap();
        let (code, _, stderr) = run(repo.cmd().args(["new", "sales-cs", "acme", "--branch"]));
        assert_eq!(code, 2);
        assert!(
            stderr.contains("staged changes would be swept into the handoff's commit (notes.md)"),
            "{stderr}"
        );
        assert!(!repo.path().join("handoffs/sales-cs/acme.yaml").exists());
        index.remove_path(Path::new("notes.md")).unwrap();
        index.write().unwrap();

        let head = git.head().unwrap().peel_to_commit().unwrap();
        git.branch("handoff/acme", &head, false).unwrap();
        let (code, _, stderr) = run(repo.cmd().args(["new", "sales-cs", "acme", "--branch"]));
        assert_eq!(code, 2);
        assert!(
            stderr.contains("branch `handoff/acme` already exists"),
            "{stderr}"
        );
        assert!(!repo.path().join("handoffs/sales-cs/acme.yaml").exists());
    }

    #[test]
    fn branch_needs_a_git_repository_and_an_identity() {
        let repo = repo_with_roster();
        let (code, _, stderr) = run(repo.cmd().args(["new", "sales-cs", "acme", "--branch"]));
        assert_eq!(code, 2);
        assert!(stderr.contains("not a git repository"), "{stderr}");
        assert!(!repo.path().join("handoffs/sales-cs/acme.yaml").exists());

        let repo = git_repo();
        let mut config = repo.git.config().unwrap();
        config.remove("user.name").unwrap();
        config.remove("user.email").unwrap();
        let (code, _, stderr) = run(repo
            .cmd()
            .env("HOME", repo.path())
            .env("XDG_CONFIG_HOME", repo.path())
            .args(["new", "sales-cs", "acme", "--branch"]));
        assert_eq!(code, 2);
        assert!(stderr.contains("git config user.name"), "{stderr}");
        assert!(!repo.path().join("handoffs/sales-cs/acme.yaml").exists());
    }
}

#[test]
fn completions_are_printed_for_each_shell() {
    let repo = Repo::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, stdout, stderr) = run(repo.cmd().args(["completions", shell]));
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains("handoff"), "{shell}");
        assert!(
            stdout.contains("changed-since"),
            "{shell}: lint's flags are completed"
        );
    }
    let (code, _, _) = run(repo.cmd().args(["completions", "tcsh"]));
    assert_eq!(code, 2);
}
