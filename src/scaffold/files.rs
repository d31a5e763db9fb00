//! The files `handoff init` writes: the embedded schemas, playbooks and example roster, the
//! templates in `scaffold/files/` (config, CI workflow or `.gitlab-ci.yml`, pull- or
//! merge-request template, pre-commit, editor recommendations), the install script, and the
//! two generated from the roster and playbooks: CODEOWNERS and the editor's schema mapping.

use crate::cli::CiSystem;
use crate::playbook::{Playbook, HANDOFF_TYPES};
use crate::repo::embedded;
use crate::roster::Roster;

/// The CI workflow; `@HANDOFF_VERSION@` becomes the version of the binary that writes it.
pub const WORKFLOW: &str = include_str!("files/handoff.yml");
/// `.gitlab-ci.yml`; `@HANDOFF_VERSION@` as in the workflow, `@HANDOFF_IMAGE@` the image.
pub const GITLAB_CI: &str = include_str!("files/gitlab-ci.yml");
/// The project's release installer (`scripts/install.sh`), which the workflow runs.
pub const INSTALL_SCRIPT: &str = include_str!("../../scripts/install.sh");
/// Where `init` writes the installer.
pub const INSTALL_SCRIPT_PATH: &str = ".github/install-handoff.sh";
/// The repository whose releases hold the binaries and whose registry holds the image: one
/// place, Cargo.toml's `repository`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");
/// The receiver's checklist.
pub const PULL_REQUEST_TEMPLATE: &str = include_str!("files/pull_request_template.md");
/// `handoff.toml` with every key commented out at its default.
pub const CONFIG: &str = include_str!("files/handoff.toml");
/// `.vscode/extensions.json`.
pub const VSCODE_EXTENSIONS: &str = include_str!("files/extensions.json");
/// `.pre-commit-config.yaml`.
pub const PRE_COMMIT_CONFIG: &str = include_str!("files/pre-commit-config.yaml");
/// `handoffs/README.md`.
pub const HANDOFFS_README: &str = include_str!("files/handoffs-README.md");

/// Path of the roster `init` writes (or keeps).
pub const ROSTER_PATH: &str = "roster.yaml";

/// One file to write, relative to the scaffolded folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldFile {
    /// Relative path with `/`.
    pub path: String,
    /// The contents.
    pub contents: String,
}

/// Every file of a new handoff repository, in the order they are listed to the user. The
/// roster routes CODEOWNERS; `playbooks` say who receives each type.
pub fn scaffold_files(roster: &Roster, playbooks: &[Playbook], ci: CiSystem) -> Vec<ScaffoldFile> {
    let mut files = Vec::new();
    let mut add = |path: &str, contents: String| {
        files.push(ScaffoldFile {
            path: path.to_string(),
            contents,
        })
    };
    add("handoff.toml", CONFIG.to_string());
    add(ROSTER_PATH, embedded::ROSTER.to_string());
    for (name, text) in embedded::SCHEMAS {
        add(&format!("schema/{name}"), text.to_string());
    }
    for (name, text) in embedded::PLAYBOOKS {
        add(&format!("playbooks/{name}"), text.to_string());
    }
    add("handoffs/README.md", HANDOFFS_README.to_string());
    match ci {
        CiSystem::Github => {
            add(".github/workflows/handoff.yml", github_workflow());
            add(INSTALL_SCRIPT_PATH, install_script());
            add(
                ".github/pull_request_template.md",
                PULL_REQUEST_TEMPLATE.to_string(),
            );
            add(".github/CODEOWNERS", codeowners(roster, playbooks));
        }
        CiSystem::Gitlab => {
            add(".gitlab-ci.yml", gitlab_ci());
            add(
                ".gitlab/merge_request_templates/Default.md",
                merge_request_template(),
            );
            add(
                ".gitlab/CODEOWNERS",
                codeowners(roster, playbooks)
                    .replace("GitHub asks", "GitLab asks")
                    .replace(
                        ".github/pull_request_template.md",
                        ".gitlab/merge_request_templates/Default.md",
                    )
                    .replace(
                        "Turn on \"Require review from Code Owners\" in the\n# default branch's protection rule",
                        "Turn on \"Code owner approval\" on the protected\n# default branch",
                    )
                    .replace("GitHub handles", "GitLab usernames")
                    .replace("GitHub team", "GitLab group"),
            );
        }
    }
    add(".vscode/settings.json", vscode_settings());
    add(".vscode/extensions.json", VSCODE_EXTENSIONS.to_string());
    add(".pre-commit-config.yaml", PRE_COMMIT_CONFIG.to_string());
    files
}

/// The workflow `init` writes, pinned to the version of this binary.
pub fn github_workflow() -> String {
    WORKFLOW.replace("@HANDOFF_VERSION@", env!("CARGO_PKG_VERSION"))
}

/// The installer `init` writes: `scripts/install.sh` with this binary's repository.
pub fn install_script() -> String {
    INSTALL_SCRIPT.replace(
        "${HANDOFF_REPOSITORY:-https://github.com/handoffs-dev/handoffs}",
        &format!("${{HANDOFF_REPOSITORY:-{REPOSITORY}}}"),
    )
}

/// The container image the release workflow pushes: `ghcr.io/OWNER/REPO` (lower case).
pub fn container_image() -> String {
    let path = REPOSITORY
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .trim_start_matches("https://github.com/");
    format!("ghcr.io/{}", path.to_lowercase())
}

/// `.gitlab-ci.yml`, pinned to the version of this binary and its image.
pub fn gitlab_ci() -> String {
    GITLAB_CI
        .replace("@HANDOFF_VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@HANDOFF_IMAGE@", &container_image())
}

/// The merge-request template: the pull-request template with GitLab's path and `glab`.
pub fn merge_request_template() -> String {
    PULL_REQUEST_TEMPLATE
        .replace(
            ".github/pull_request_template.md",
            ".gitlab/merge_request_templates/Default.md",
        )
        .replace(
            "gh pr create --title \"Handoff: Acme Corp\" --body-file -",
            "glab mr create --title \"Handoff: Acme Corp\" --description \"$(cat)\"",
        )
        .replace(
            "The \"gate\" check must pass",
            "The handoff-gate job must pass",
        )
        .replace(
            " The \"comment\" job posts the score and what to complete.",
            "",
        )
}

/// The team that receives each type when the roster names nobody with the playbook's `to_role`.
fn fallback_team(handoff_type: &str) -> &'static str {
    match handoff_type {
        "sales-cs" => "customer-success",
        "ae-se" => "solutions",
        "sales-implementation" => "implementation",
        _ => "sales",
    }
}

/// `.github/CODEOWNERS`: each type's folder to the people who receive that type (the roster's
/// people whose role is the playbook's `to_role`): their GitHub handles when the roster has
/// them, else a team placeholder to replace.
pub fn codeowners(roster: &Roster, playbooks: &[Playbook]) -> String {
    let mut text = String::from(
        "# CODEOWNERS: GitHub asks these owners to review pull requests that touch the paths.\n\
         # Each handoff type's folder goes to the team that RECEIVES that handoff: the receiver\n\
         # reviews it and accepts it by setting `status: accepted` and `accepted_by` (see\n\
         # .github/pull_request_template.md). Turn on \"Require review from Code Owners\" in the\n\
         # default branch's protection rule to make that review required.\n\
         # Written by `handoff init` from roster.yaml: people's `github:` handles where the roster\n\
         # has them, a team placeholder (@your-org/TEAM) to replace where it does not.\n",
    );
    for handoff_type in HANDOFF_TYPES {
        let playbook = playbooks.iter().find(|p| p.handoff_type == handoff_type);
        let role = playbook.and_then(|p| p.to_role.as_deref());
        let receivers: Vec<_> = roster
            .people
            .iter()
            .filter(|p| {
                role.is_some_and(|role| {
                    p.role
                        .as_deref()
                        .is_some_and(|r| r.eq_ignore_ascii_case(role))
                })
            })
            .collect();
        let handles: Vec<String> = receivers
            .iter()
            .filter_map(|p| p.github.as_deref())
            .map(|h| format!("@{}", h.trim().trim_start_matches('@')))
            .collect();
        let team = receivers
            .iter()
            .find_map(|p| p.team.as_deref())
            .unwrap_or_else(|| fallback_team(handoff_type));
        let route = match (playbook, role) {
            (Some(p), Some(role)) => {
                format!("{} → {role}", p.from_role.as_deref().unwrap_or("writer"))
            }
            _ => "its receivers".to_string(),
        };
        text.push('\n');
        text.push_str(&format!("# {handoff_type}: {route} ({team})\n"));
        let owners = if handles.is_empty() {
            text.push_str(&format!(
                "# Nobody in roster.yaml with role {} has a `github:` handle: replace the placeholder with\n# your GitHub team, or list the receivers' handles.\n",
                role.unwrap_or("?")
            ));
            format!("@your-org/{team}")
        } else {
            handles.join(" ")
        };
        text.push_str(&format!("/handoffs/{handoff_type}/ {owners}\n"));
    }
    text.push_str(
        "\n# Playbooks and schemas decide how every handoff is scored: route them to RevOps.\n\
         # /playbooks/ @your-org/revops\n\
         # /schema/ @your-org/revops\n",
    );
    text
}

/// `.vscode/settings.json`: each type's schema onto its folder, for files without the modeline.
pub fn vscode_settings() -> String {
    let mut schemas = serde_json::Map::new();
    for handoff_type in HANDOFF_TYPES {
        schemas.insert(
            format!("./schema/{handoff_type}.json"),
            serde_json::json!([
                format!("handoffs/{handoff_type}/**/*.yaml"),
                format!("handoffs/{handoff_type}/**/*.yml")
            ]),
        );
    }
    let settings = serde_json::json!({ "yaml.schemas": schemas });
    let mut text = serde_json::to_string_pretty(&settings).unwrap_or_default();
    text.push('\n');
    text
}

/// The embedded playbooks, parsed (they are checked by the test suite, so this cannot fail in
/// a released binary; an error still names the file).
pub fn embedded_playbooks() -> crate::error::Result<Vec<Playbook>> {
    embedded::PLAYBOOKS
        .iter()
        .map(|(name, text)| Playbook::parse(&format!("playbooks/{name} (embedded default)"), text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::roster::Person;

    #[test]
    fn the_config_template_comments_out_every_key_at_its_default() {
        let uncommented: String = CONFIG
            .lines()
            .filter_map(|line| line.strip_prefix("# "))
            .filter(|line| line.contains(" = ") || line.starts_with('['))
            .map(|line| format!("{line}\n"))
            .collect();
        let config = Config::parse(&uncommented).unwrap();
        let defaults = Config::default();
        assert_eq!(config.threshold, Some(crate::config::DEFAULT_THRESHOLD));
        assert_eq!(config.handoffs_dir, defaults.handoffs_dir);
        assert_eq!(config.max_file_size, defaults.max_file_size);
        assert_eq!(config.stale_draft_days, defaults.stale_draft_days);
        assert_eq!(config.roster, defaults.roster);
        assert_eq!(config.block_drafts, defaults.block_drafts);
        assert_eq!(config.rules.len(), 1);
        // As written (all commented), the file is the defaults.
        assert_eq!(Config::parse(CONFIG).unwrap().threshold, None);
    }

    #[test]
    fn codeowners_prefers_github_handles_and_falls_back_to_teams() {
        let person = |name: &str, role: &str, team: &str, github: Option<&str>| Person {
            name: name.into(),
            email: None,
            role: Some(role.into()),
            team: Some(team.into()),
            github: github.map(str::to_string),
            ..Person::default()
        };
        let roster = Roster {
            people: vec![
                person("Sam Lee", "CSM", "customer-success", Some("samlee")),
                person("Aisha Okafor", "CSM", "customer-success", Some("@aokafor")),
                person("Priya Nair", "SE", "solutions", None),
            ],
        };
        let text = codeowners(&roster, &embedded_playbooks().unwrap());
        assert!(
            text.contains("\n/handoffs/sales-cs/ @samlee @aokafor\n"),
            "{text}"
        );
        assert!(
            text.contains("\n/handoffs/ae-se/ @your-org/solutions\n"),
            "{text}"
        );
        // Nobody with the receiving role: the default team for the type.
        assert!(
            text.contains("\n/handoffs/sales-implementation/ @your-org/implementation\n"),
            "{text}"
        );
        assert!(
            text.contains("\n/handoffs/sdr-ae/ @your-org/sales\n"),
            "{text}"
        );
        assert!(
            text.contains("\n/handoffs/cs-sales/ @your-org/sales\n"),
            "{text}"
        );
    }

    #[test]
    fn vscode_settings_map_each_schema_onto_its_folder() {
        let settings: serde_json::Value = serde_json::from_str(&vscode_settings()).unwrap();
        assert_eq!(
            settings["yaml.schemas"]["./schema/sales-cs.json"][0],
            "handoffs/sales-cs/**/*.yaml"
        );
        assert_eq!(settings["yaml.schemas"].as_object().unwrap().len(), 5);
    }
}
