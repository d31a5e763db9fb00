//! Data never becomes a command (issue 11 §2): values, file names and config keys with line
//! breaks and escape sequences, through every text output (lint human and github with its step
//! summary, metrics table, csv and html, sample Markdown, error messages), and secrets masked on
//! every source line shown.

use crate::util::{only_file, spec_sales_cs, GitRepo, Repo};

/// Who commits the hostile histories.
const COMMITTER: (&str, &str) = ("Dev", "dev@example.com");

/// A line break followed by a workflow command, an OSC 8 hyperlink, a colour, BEL and a C1 CSI.
const PAYLOAD: &str = "\n::add-mask::LEAK\u{1b}]8;;https:evil.example\u{7}x\u{1b}[31m\u{9b}2J";
/// The same in YAML double-quoted escapes.
const YAML_PAYLOAD: &str = r"\n::add-mask::LEAK\e]8;;https:evil.example\ax\e[31m\x9b2J";

/// No line of `text` starts a workflow command from data, and no control character that a
/// terminal acts on is left.
fn assert_inert(text: &str, what: &str) {
    // CSV ends its records with CRLF; any other carriage return would be data.
    let text = &text.replace("\r\n", "\n");
    for line in text.lines() {
        let line = line.trim_start();
        assert!(
            !line.starts_with("::add-mask::"),
            "{what}: a line starts a workflow command:\n{text}"
        );
    }
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\r'] {
        assert!(
            !text.contains(c),
            "{what}: holds {:?}:\n{text}",
            c.escape_unicode().to_string()
        );
    }
}

/// A handoff file whose name and values carry the payload.
fn hostile_name() -> String {
    format!("handoffs/sales-cs/evil{PAYLOAD}.yaml")
}

fn hostile_yaml() -> String {
    spec_sales_cs()
        .replacen(
            "title: Acme Corp — Sales to CS",
            &format!("title: \"Acme{YAML_PAYLOAD}\""),
            1,
        )
        .replacen(
            "from: {name: Jane Doe,",
            &format!("from: {{name: \"Jane{YAML_PAYLOAD}\","),
            1,
        )
}

#[test]
fn lint_human_and_github_escape_values_and_file_names() {
    let repo = Repo::new();
    repo.write(&hostile_name(), hostile_yaml());
    // An unknown type is quoted in the message; a roster makes the owner names findings.
    repo.write(
        "handoffs/sales-cs/type.yaml",
        format!("type: \"x{YAML_PAYLOAD}\"\nstatus: draft\n"),
    );
    repo.write(
        "roster.yaml",
        "people:\n  - {name: Sam Lee, role: CSM, team: customer-success}\n",
    );
    let summary = repo.path().join("summary.md");
    for format in ["human", "github", "junit"] {
        let output = repo
            .cmd()
            .args(["lint", "--format", format])
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8(output.stdout).expect("utf-8");
        assert_inert(&stdout, format);
        assert_inert(&String::from_utf8_lossy(&output.stderr), format);
        // The data is still there, shown escaped (github lists only files with findings).
        if format == "human" {
            assert!(
                stdout.contains(r"evil\n::add-mask::LEAK\u{1b}]8;;"),
                "{stdout}"
            );
        }
        assert!(stdout.contains(r"`type: x\n::add-mask::LEAK"), "{stdout}");
    }
    let summary = std::fs::read_to_string(&summary).expect("step summary written");
    assert_inert(&summary, "step summary");
    assert!(summary.contains(r"evil\n::add-mask::LEAK"), "{summary}");
}

#[test]
fn error_messages_escape_what_they_quote() {
    let repo = Repo::new();
    repo.write(
        "handoff.toml",
        "[rules]\n\"x\\n::add-mask::LEAK\\u001b[31m\" = \"off\"\n",
    );
    let output = repo.cmd().arg("lint").output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_inert(&stderr, "stderr");
    assert!(
        stderr.contains(r"x\n::add-mask::LEAK\u{1b}[31m"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// A repository whose history merged the hostile handoff in 2026-W47.
fn hostile_history() -> GitRepo {
    let repo = Repo::new();
    repo.write(&hostile_name(), hostile_yaml());
    let repo = GitRepo::init(repo).author(COMMITTER);
    repo.commit_all("2026-11-17T10:00:00Z", "Add a handoff");
    repo
}

#[test]
fn metrics_and_sample_escape_paths_names_and_titles() {
    let repo = hostile_history();
    for format in ["table", "csv", "html"] {
        let output = repo
            .cmd()
            .args(["metrics", "--format", format])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(0), "{format}");
        let text = String::from_utf8(output.stdout).expect("utf-8");
        assert_inert(&text, format);
        // The author (the handoff's `from.name`) is in every format, shown escaped; in HTML
        // the control characters are dropped instead, `<title>` and attributes included.
        match format {
            "html" => assert!(text.contains("Jane ::add-mask::LEAK]8;;"), "{text}"),
            _ => assert!(text.contains(r"Jane\n::add-mask::LEAK"), "{format}: {text}"),
        }
        if format == "csv" {
            // One record per line: no field spans lines.
            assert_eq!(text.split_terminator("\r\n").count(), 2, "{text}");
        }
    }
    let output = repo
        .cmd()
        .args(["sample", "--week", "2026-W47"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert_inert(&text, "sample");
    // The path stays inside its code span, on its line: no blank line ends the paragraph.
    let path_line = text
        .lines()
        .find(|line| line.starts_with("`handoffs/"))
        .expect("the path is shown");
    assert!(path_line.starts_with("`handoffs/sales-cs/evil\\n::add-mask::LEAK"));
    assert!(path_line.contains(".yaml`"), "{path_line}");
    assert!(!text.contains("\n\n::"), "{text}");
}

#[test]
fn sample_markdown_cannot_render_an_image_from_a_file_name() {
    let repo = Repo::new();
    let name = "handoffs/sales-cs/a\n\n![x](evil.png)\n.yaml";
    repo.write(name, spec_sales_cs());
    let repo = GitRepo::init(repo).author(COMMITTER);
    repo.commit_all("2026-11-17T10:00:00Z", "Add");
    let output = repo
        .cmd()
        .args(["sample", "--week", "2026-W47"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        !text.lines().any(|line| line.starts_with("![")),
        "an image line:\n{text}"
    );
    assert!(
        text.contains("`handoffs/sales-cs/a\\n\\n![x](evil.png)\\n.yaml`"),
        "{text}"
    );
}

/// The human report of one file.
fn human(yaml: &str) -> String {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", yaml);
    let output = repo
        .cmd()
        .args(["lint", "--format", "human"])
        .output()
        .expect("run");
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn every_secret_of_a_shown_line_is_masked() {
    let yaml = spec_sales_cs().replacen(
        "\nrisks:",
        "\n  notes: 'password: Winter2026! api_key=9f8e7d6c5b4a39281706f5e4 card 4111 1111 1111 1111'\nrisks:",
        1,
    );
    let text = human(&yaml);
    assert_eq!(text.matches("error[HO203").count(), 2, "{text}");
    assert_eq!(text.matches("error[HO201").count(), 1, "{text}");
    for secret in ["Winter2026!", "9f8e7d6c5b4a39281706f5e4", "4111 1111"] {
        assert!(!text.contains(secret), "{secret} is shown:\n{text}");
    }
}

#[test]
fn a_slack_token_is_one_finding_and_its_digits_are_not_shown() {
    let yaml = spec_sales_cs().replacen(
        "\nrisks:",
        "\n  notes: 'bot token xoxb-4111111111111111-abcdefABCDEF0123'\nrisks:",
        1,
    );
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", &yaml);
    let (_, report) = repo.lint_json(&[]);
    // (The `notes` key is also a schema error; only the sensitive-data rules count here.)
    let codes: Vec<&str> = only_file(&report)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .filter(|code| code.starts_with("HO2"))
        .collect();
    assert_eq!(codes, ["HO203"], "{report:#}");
    let text = human(&yaml);
    assert!(!text.contains("4111111111111111"), "{text}");
    assert!(!text.contains("abcdefABCDEF"), "{text}");
}

#[test]
fn a_private_key_is_masked_to_its_end_line() {
    let key = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAw3Hc9yXb2VbJfG7example0example1example2example3\\nq8Vv0Zexample4example5\\n-----END RSA PRIVATE KEY-----";
    // A block scalar, so the key spans lines in the source.
    let block = key.replace("\\n", "\n    ");
    let yaml = spec_sales_cs().replacen(
        "\nrisks:",
        &format!("\n  notes: |\n    {block}\n    see: the shared vault\nrisks:"),
        1,
    );
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", &yaml);
    // A second finding on the key's last line shows that line, which must be masked too.
    let yaml_with_card = yaml.replacen(
        "-----END RSA PRIVATE KEY-----",
        "-----END RSA PRIVATE KEY----- 4111111111111111",
        1,
    );
    let text = human(&yaml_with_card);
    assert!(text.contains("error[HO203"), "{text}");
    for part in ["MIIEow", "q8Vv0Z", "END RSA PRIVATE"] {
        assert!(!text.contains(part), "{part} is shown:\n{text}");
    }
    assert!(!text.contains("4111111111111111"), "{text}");
}
