//! Every command that writes a file (`init`, `new`, `render -o`, `metrics -o`, `review`) goes
//! through a temporary file renamed into place: an existing file is never replaced without
//! `--force` (review appends by design), and a run that fails leaves it byte for byte as it
//! was. A hard link to the old file tells a rename from an in-place rewrite: after a rename
//! the link still holds the old bytes.

use std::path::Path;

use crate::util::{spec_sales_cs, GitRepo, Repo};

const ACME: &str = "handoffs/sales-cs/acme.yaml";

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// Names in `dir` that look like a temporary file left behind.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".tmp") || n.starts_with(".handoff-") || n.starts_with(".review-")
        })
        .collect()
}

/// The permissions a file written with `std::fs::write` gets here (0666 minus the umask):
/// what a written file should have too, not the owner-only 0600 of a temporary file.
#[cfg(unix)]
fn assert_usual_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let reference = path.with_file_name(".reference-permissions");
    std::fs::write(&reference, "x").unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        format!("{:o}", mode(path)),
        format!("{:o}", mode(&reference)),
        "{}",
        path.display()
    );
    std::fs::remove_file(reference).unwrap();
}

#[cfg(not(unix))]
fn assert_usual_permissions(_: &Path) {}

#[test]
fn render_output_is_replaced_by_rename_only_with_force_and_kept_when_rendering_fails() {
    let repo = Repo::new();
    repo.write(ACME, spec_sales_cs());
    let out = repo.path().join("acme.md");
    repo.cmd()
        .args(["render", ACME, "-o", "acme.md"])
        .assert()
        .code(0);
    let first = bytes(&out);
    assert_usual_permissions(&out);
    std::fs::hard_link(&out, repo.path().join("old.md")).unwrap();

    let run = repo
        .cmd()
        .args(["render", ACME, "-o", "acme.md"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("acme.md: already exists; pass --force"));
    assert_eq!(bytes(&out), first);

    repo.write(
        ACME,
        spec_sales_cs().replacen("company: Acme Corp", "company: Acme Renewal", 1),
    );
    repo.cmd()
        .args(["render", ACME, "-o", "acme.md", "--force"])
        .assert()
        .code(0);
    let second = bytes(&out);
    assert!(String::from_utf8_lossy(&second).contains("# Customer Handoff: Acme Renewal"));
    assert_eq!(
        bytes(&repo.path().join("old.md")),
        first,
        "rewritten in place"
    );

    // A broken override template: the render fails, the output stays as it was.
    repo.write("templates/sales-cs.md.j2", "{% if title %}never closed\n");
    let run = repo
        .cmd()
        .args(["render", ACME, "-o", "acme.md", "--force"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("templates/sales-cs.md.j2 line 1"));
    assert_eq!(bytes(&out), second);
    assert_eq!(leftovers(repo.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_render_into_a_read_only_folder_fails_without_touching_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new();
    repo.write(ACME, spec_sales_cs());
    repo.cmd()
        .args(["render", ACME, "-o", "out/acme.md"])
        .assert()
        .code(0);
    let folder = repo.path().join("out");
    let out = folder.join("acme.md");
    let before = bytes(&out);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root (and some CI containers) write into read-only folders anyway: nothing to test then.
    let probe = folder.join("probe");
    if std::fs::write(&probe, "x").is_ok() {
        std::fs::remove_file(&probe).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: this user can write into a read-only folder");
        return;
    }
    let run = repo
        .cmd()
        .args(["render", ACME, "-o", "out/acme.md", "--force"])
        .output()
        .unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("out"));
    assert_eq!(bytes(&out), before);
}

#[test]
fn metrics_output_is_replaced_only_with_force_and_survives_a_failed_run() {
    let git = GitRepo::new();
    let landed = git.commit(
        "2026-11-02T09:00:00Z",
        "Acme",
        &[(ACME, Some(&spec_sales_cs()))],
    );
    let out = git.path().join("metrics.json");
    git.cmd()
        .args(["metrics", "--format", "json", "-o", "metrics.json"])
        .assert()
        .code(0)
        .stdout(predicates::str::starts_with("wrote metrics.json (json: "));
    let first = bytes(&out);
    assert_usual_permissions(&out);
    std::fs::hard_link(&out, git.path().join("old.json")).unwrap();
    git.cmd()
        .args(["metrics", "--format", "json", "-o", "metrics.json"])
        .assert()
        .code(2);
    assert_eq!(bytes(&out), first);

    git.commit(
        "2026-11-03T09:00:00Z",
        "Bolt",
        &[("handoffs/sales-cs/bolt.yaml", Some(&spec_sales_cs()))],
    );
    git.cmd()
        .args([
            "metrics",
            "--format",
            "json",
            "-o",
            "metrics.json",
            "--force",
        ])
        .assert()
        .code(0);
    let second = bytes(&out);
    let report: serde_json::Value = serde_json::from_slice(&second).unwrap();
    assert_eq!(report["summary"]["count"], 2);
    assert_eq!(
        bytes(&git.path().join("old.json")),
        first,
        "rewritten in place"
    );

    // The history breaks: the run fails before writing, the file is as it was.
    std::fs::remove_file(git.object_file(git.blob_at(landed, ACME))).unwrap();
    git.cmd()
        .args([
            "metrics",
            "--format",
            "json",
            "-o",
            "metrics.json",
            "--force",
        ])
        .assert()
        .code(2);
    assert_eq!(bytes(&out), second);
    assert_eq!(leftovers(git.path()), Vec::<String>::new());
}

#[test]
fn init_writes_nothing_when_it_cannot_write_everything() {
    let repo = Repo::new();
    let dir = repo.path().join("team");
    repo.cmd().args(["init", "team"]).assert().code(0);
    let config = dir.join("handoff.toml");
    assert_usual_permissions(&config);
    let mut ours = bytes(&config);
    ours.extend_from_slice(b"# ours\n");
    std::fs::write(&config, &ours).unwrap();
    let run = repo.cmd().args(["init", "team"]).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("nothing was written"));
    assert_eq!(bytes(&config), ours);

    std::fs::hard_link(&config, dir.join("old.toml")).unwrap();
    repo.cmd()
        .args(["init", "team", "--force"])
        .assert()
        .code(0);
    assert!(!String::from_utf8_lossy(&bytes(&config)).contains("# ours"));
    assert_eq!(bytes(&dir.join("old.toml")), ours, "rewritten in place");

    // A file where init needs a folder: refused before anything is written.
    let blocked = repo.path().join("blocked");
    std::fs::create_dir_all(&blocked).unwrap();
    std::fs::write(blocked.join(".github"), "not a folder\n").unwrap();
    let run = repo.cmd().args(["init", "blocked"]).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(".github: a file is where init writes a folder; move it away first"),
        "{stderr}"
    );
    let names: Vec<String> = std::fs::read_dir(&blocked)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [".github"]);
}

#[test]
fn new_never_replaces_a_handoff() {
    let repo = Repo::new();
    repo.cmd()
        .args(["new", "sales-cs", "acme", "--date", "2026-11-02"])
        .assert()
        .code(0);
    let path = repo.path().join(ACME);
    assert_usual_permissions(&path);
    let mut ours = bytes(&path);
    ours.extend_from_slice(b"# my notes\n");
    std::fs::write(&path, &ours).unwrap();
    let run = repo
        .cmd()
        .args(["new", "sales-cs", "acme", "--date", "2026-11-02"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains(&format!("{ACME}: already exists")));
    assert_eq!(bytes(&path), ours);
}

#[test]
fn review_appends_by_rename_and_leaves_an_unreadable_file_alone() {
    let repo = Repo::new();
    repo.write(ACME, spec_sales_cs());
    let review = |reviewer: &str| {
        repo.cmd()
            .args(["review", ACME, "--reviewer", reviewer, "--verdict", "ok"])
            .args(["--week", "2026-W47"])
            .output()
            .unwrap()
    };
    assert_eq!(review("Ann").status.code(), Some(0));
    let file = repo.path().join("reviews/2026-W47.yaml");
    assert_usual_permissions(&file);
    let one = bytes(&file);
    std::fs::hard_link(&file, repo.path().join("old.yaml")).unwrap();
    assert_eq!(review("Bob").status.code(), Some(0));
    let two = String::from_utf8_lossy(&bytes(&file)).into_owned();
    assert!(
        two.contains("reviewer: Ann") && two.contains("reviewer: Bob"),
        "{two}"
    );
    assert_eq!(
        bytes(&repo.path().join("old.yaml")),
        one,
        "rewritten in place"
    );

    let broken = b"week: 2026-W47\nreviews: [oops\n";
    std::fs::write(&file, broken).unwrap();
    let run = review("Cy");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("reviews/2026-W47.yaml"));
    assert_eq!(bytes(&file), broken);
    assert_eq!(
        leftovers(&repo.path().join("reviews")),
        Vec::<String>::new()
    );
}
