//! `handoff accept` and `handoff reject`: the receiver's answer written into the file in place
//! (every other line byte for byte), who may answer, `--as`, `--force`, `--branch`, and the
//! flags' limits.

use std::path::Path;

use crate::util::{day, GitRepo, Repo};

const ROSTER: &str = "\
people:
  - {name: Jane Doe, email: jane.doe@example.com, role: AE}
  - {name: Sam Lee, email: sam.lee@example.com, role: CSM}
  - {name: Aisha Okafor, email: aisha.okafor@example.com, role: CSM}
";

/// A submitted handoff with comments, blank lines, a flow mapping and quoting to keep.
const HANDOFF: &str = "\
# Acme: written by Jane after the closing call.
type: sales-cs
status: submitted   # ready for Sam
title: \"Acme Corp — Sales to CS\"
from: {name: Jane Doe, role: AE}
to: {name: Sam Lee, role: CSM}

# The deal as signed.
trigger: {event: closed-won, date: 2026-10-30}
customer:
  company: Acme Corp   # legal name on the order form
  industry: Healthcare
action_items:
  - {action: Schedule kickoff call, owner: Sam Lee, due: 2026-11-10}
";

const PATH: &str = "handoffs/sales-cs/acme.yaml";

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("roster.yaml", ROSTER).write(PATH, HANDOFF);
    repo
}

/// Runs `handoff ARGS` in `repo` with no git identity from the machine (HOME is the temp dir).
fn run(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let output = repo
        .cmd()
        .env("HOME", repo.path())
        .env("XDG_CONFIG_HOME", repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .expect("run");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Makes `repo` a git repository with one commit holding everything, whose config says the
/// user is `who`.
fn git_init(repo: Repo, who: (&str, &str)) -> GitRepo {
    let repo = GitRepo::init(repo)
        .author(("Dev", "dev@example.com"))
        .identity(who);
    repo.commit_all(day(0), "Start");
    repo
}

/// `handoff lint --format json PATH`.
fn lint_json(repo: &Repo) -> serde_json::Value {
    let (_, json) = repo.lint_json(&[PATH]);
    json
}

#[test]
fn accept_writes_status_accepted_by_and_feedback_and_keeps_every_other_line() {
    let repo = repo();
    let (code, stdout, stderr) = run(
        &repo,
        &[
            "accept",
            PATH,
            "--as",
            "sam lee",
            "--rating",
            "4",
            "--note",
            "Missing: who signs off on go-live",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = repo.read(PATH);
    insta::assert_snapshot!("accept_in_place", text);
    assert!(stdout.contains("handoffs/sales-cs/acme.yaml: accepted by Sam Lee, rating 4 of 5."));
    // Byte for byte outside the changed lines: the old text is the new one minus the status
    // line's value and the added block.
    let expected = HANDOFF.replace(
        "status: submitted   # ready for Sam\n",
        "status: accepted   # ready for Sam\naccepted_by: Sam Lee\nfeedback:\n  rating: 4\n  note: \"Missing: who signs off on go-live\"\n",
    );
    assert_eq!(text, expected);
    let json = lint_json(&repo);
    let file = crate::util::only_file(&json);
    assert_eq!(file["valid"], true, "{json}");
    let rules: Vec<&str> = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert!(!rules.contains(&"acceptance"), "{rules:?}");
}

#[test]
fn reject_writes_status_and_rejection_and_keeps_every_other_line() {
    let repo = repo();
    let (code, stdout, stderr) = run(
        &repo,
        &[
            "reject",
            PATH,
            "--as",
            "Sam Lee",
            "--reason",
            "No success criteria: ask the customer what done means",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = repo.read(PATH);
    insta::assert_snapshot!("reject_in_place", text);
    assert_eq!(
        text,
        HANDOFF.replace(
            "status: submitted   # ready for Sam\n",
            "status: rejected   # ready for Sam\nrejection:\n  by: Sam Lee\n  reason: \"No success criteria: ask the customer what done means\"\n",
        )
    );
    assert!(stdout.contains("rejected by Sam Lee"), "{stdout}");
    assert!(stdout.contains("goes back to Jane Doe"), "{stdout}");
    let json = lint_json(&repo);
    assert_eq!(crate::util::only_file(&json)["valid"], true, "{json}");
}

#[test]
fn crlf_files_keep_their_line_endings() {
    let repo = repo();
    let crlf = HANDOFF.replace('\n', "\r\n");
    repo.write(PATH, &crlf);
    let (code, _, stderr) = run(&repo, &["accept", PATH, "--as", "Sam Lee"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        repo.read(PATH),
        crlf.replace(
            "status: submitted   # ready for Sam\r\n",
            "status: accepted   # ready for Sam\r\naccepted_by: Sam Lee\r\n"
        )
    );
}

#[test]
fn the_wrong_person_is_refused_and_the_file_is_untouched() {
    let repo = repo();
    let (code, stdout, stderr) = run(&repo, &["accept", PATH, "--as", "Aisha Okafor"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains(
            "handoffs/sales-cs/acme.yaml:6: `to.name` is someone else, not you (named by --as)"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(repo.read(PATH), HANDOFF);
    let (code, _, stderr) = run(
        &repo,
        &["reject", PATH, "--as", "Aisha Okafor", "--reason", "x"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("not you"), "{stderr}");
    assert_eq!(repo.read(PATH), HANDOFF);
}

#[test]
fn force_lets_someone_else_answer_and_records_who_did() {
    let repo = repo();
    let (code, _, stderr) = run(&repo, &["accept", PATH, "--as", "Aisha Okafor", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(repo.read(PATH).contains("\naccepted_by: Aisha Okafor\n"));
}

#[test]
fn as_must_be_a_roster_name() {
    let repo = repo();
    let (code, _, stderr) = run(&repo, &["accept", PATH, "--as", "Nobody Here"]);
    assert_eq!(code, 2);
    assert!(
        stderr
            .contains("--as Nobody Here: not in roster.yaml; use the name as it is written there"),
        "{stderr}"
    );
    assert_eq!(repo.read(PATH), HANDOFF);
}

#[test]
fn the_acting_person_comes_from_git_email_then_name() {
    // By email: the git name is a nickname the roster does not know.
    let repo = git_init(repo(), ("sammy", "Sam.Lee@example.com"));
    let (code, stdout, stderr) = run(&repo, &["accept", PATH, "--rating", "5"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("accepted by Sam Lee"), "{stdout}");
    assert!(repo.read(PATH).contains("\naccepted_by: Sam Lee\n"));

    // By name, when the email is not the roster's.
    let repo = git_init(self::repo(), ("Sam Lee", "sam@home.example"));
    let (code, _, stderr) = run(&repo, &["accept", PATH]);
    assert_eq!(code, 0, "{stderr}");

    // Someone else by git identity: refused, saying how they were identified.
    let repo = git_init(self::repo(), ("Aisha Okafor", "aisha.okafor@example.com"));
    let (code, _, stderr) = run(&repo, &["accept", PATH]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("not you (the roster person with your git user.email)"),
        "{stderr}"
    );

    // Nobody the roster knows, and no --as.
    let repo = git_init(self::repo(), ("Guest", "guest@example.com"));
    let (code, _, stderr) = run(&repo, &["accept", PATH]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot tell who you are"), "{stderr}");
    assert!(stderr.contains("--as"), "{stderr}");
    assert_eq!(repo.read(PATH), HANDOFF);
}

#[test]
fn rating_must_be_one_to_five_and_reason_is_required() {
    let repo = repo();
    for bad in ["0", "6", "four", "4.5"] {
        let (code, _, stderr) = run(&repo, &["accept", PATH, "--as", "Sam Lee", "--rating", bad]);
        assert_eq!(code, 2, "--rating {bad}: {stderr}");
        assert!(stderr.contains("--rating"), "{stderr}");
    }
    let (code, _, stderr) = run(&repo, &["reject", PATH, "--as", "Sam Lee"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--reason"), "{stderr}");
    let (code, _, stderr) = run(
        &repo,
        &["reject", PATH, "--as", "Sam Lee", "--reason", "  "],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("--reason is empty"), "{stderr}");
    assert_eq!(repo.read(PATH), HANDOFF);
}

#[test]
fn only_a_submitted_handoff_is_answered_without_force() {
    let repo = repo();
    repo.write(PATH, HANDOFF.replace("status: submitted", "status: draft"));
    let (code, _, stderr) = run(&repo, &["accept", PATH, "--as", "Sam Lee"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("still a draft"), "{stderr}");

    repo.write(PATH, HANDOFF);
    let (code, _, _) = run(&repo, &["accept", PATH, "--as", "Sam Lee", "--rating", "2"]);
    assert_eq!(code, 0);
    let (code, _, stderr) = run(&repo, &["accept", PATH, "--as", "Sam Lee"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already accepted"), "{stderr}");

    // Rejecting an accepted handoff with --force takes `accepted_by` and `feedback` away
    // (HO104: they belong to an accepted handoff).
    let (code, _, stderr) = run(
        &repo,
        &[
            "reject",
            PATH,
            "--as",
            "Sam Lee",
            "--reason",
            "Wrong account",
            "--force",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        repo.read(PATH),
        HANDOFF.replace(
            "status: submitted   # ready for Sam\n",
            "status: rejected   # ready for Sam\nrejection:\n  by: Sam Lee\n  reason: Wrong account\n",
        )
    );
    // Accepting it again (resubmitted) takes the old rejection away and updates in place.
    repo.write(
        PATH,
        repo.read(PATH)
            .replace("status: rejected", "status: submitted"),
    );
    let (code, _, stderr) = run(
        &repo,
        &["accept", PATH, "--as", "Sam Lee", "--note", "Fixed"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        repo.read(PATH),
        HANDOFF.replace(
            "status: submitted   # ready for Sam\n",
            "status: accepted   # ready for Sam\naccepted_by: Sam Lee\nfeedback:\n  note: Fixed\n",
        )
    );
}

#[test]
fn an_existing_feedback_block_is_updated_at_its_keys() {
    let repo = repo();
    let text = format!("{HANDOFF}feedback:\n  # how useful was it?\n  rating: 2\n");
    repo.write(PATH, &text);
    let (code, _, stderr) = run(
        &repo,
        &[
            "accept", PATH, "--as", "Sam Lee", "--rating", "5", "--note", "Great",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        repo.read(PATH),
        format!(
            "{}feedback:\n  # how useful was it?\n  rating: 5\n  note: Great\n",
            HANDOFF.replace(
                "status: submitted   # ready for Sam\n",
                "status: accepted   # ready for Sam\naccepted_by: Sam Lee\n"
            )
        )
    );
}

#[test]
fn branch_commits_the_answer_alone_on_a_new_branch() {
    let repo = git_init(repo(), ("Sam Lee", "sam.lee@example.com"));
    let git = &repo.git;
    let (code, stdout, stderr) = run(&repo, &["accept", PATH, "--rating", "3", "--branch"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("On branch handoff/accept-acme: commit "),
        "{stdout}"
    );
    assert!(stdout.contains("\"Accept handoff acme\""), "{stdout}");
    let head = git.head().unwrap();
    assert_eq!(head.shorthand().unwrap(), "handoff/accept-acme");
    let commit = head.peel_to_commit().unwrap();
    assert_eq!(commit.summary().unwrap(), Some("Accept handoff acme"));
    let author = commit.author();
    assert_eq!(author.name().unwrap(), "Sam Lee");
    let parent = commit.parent(0).unwrap();
    let diff = git
        .diff_tree_to_tree(
            Some(&parent.tree().unwrap()),
            Some(&commit.tree().unwrap()),
            None,
        )
        .unwrap();
    let paths: Vec<String> = diff
        .deltas()
        .map(|d| d.new_file().path().unwrap().display().to_string())
        .collect();
    assert_eq!(paths, vec![PATH.to_string()]);
    let blob = commit
        .tree()
        .unwrap()
        .get_path(Path::new(PATH))
        .unwrap()
        .to_object(git)
        .unwrap()
        .peel_to_blob()
        .unwrap();
    assert_eq!(
        std::str::from_utf8(blob.content()).unwrap(),
        repo.read(PATH)
    );

    // The branch exists now: a second answer on it is refused before anything is written.
    repo.write(PATH, HANDOFF);
    let (code, _, stderr) = run(&repo, &["accept", PATH, "--branch"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("branch `handoff/accept-acme` already exists"),
        "{stderr}"
    );
    assert_eq!(repo.read(PATH), HANDOFF);
}

#[test]
fn branch_outside_git_is_refused_before_writing() {
    let repo = repo();
    let (code, _, stderr) = run(
        &repo,
        &[
            "reject", PATH, "--as", "Sam Lee", "--reason", "x", "--branch",
        ],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("not a git repository"), "{stderr}");
    assert_eq!(repo.read(PATH), HANDOFF);
}

#[test]
fn unreadable_inputs_are_refused_without_quoting_them() {
    let repo = repo();
    let (code, _, stderr) = run(
        &repo,
        &["accept", "handoffs/sales-cs/nope.yaml", "--as", "Sam Lee"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("nope.yaml"), "{stderr}");
    repo.write(
        PATH,
        "type: sales-cs\nstatus: submitted\nto: {name: SECRET-VALUE\n",
    );
    let (code, _, stderr) = run(&repo, &["accept", PATH, "--as", "Sam Lee"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("acme.yaml:"), "{stderr}");
    assert!(!stderr.contains("SECRET-VALUE"), "{stderr}");
    #[cfg(unix)]
    {
        repo.write("elsewhere.yaml", HANDOFF);
        std::os::unix::fs::symlink(
            repo.path().join("elsewhere.yaml"),
            repo.path().join("handoffs/sales-cs/link.yaml"),
        )
        .unwrap();
        let (code, _, stderr) = run(
            &repo,
            &["accept", "handoffs/sales-cs/link.yaml", "--as", "Sam Lee"],
        );
        assert_eq!(code, 2);
        assert!(stderr.contains("symbolic link"), "{stderr}");
        assert_eq!(repo.read("elsewhere.yaml"), HANDOFF);
    }
}
