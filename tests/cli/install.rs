//! `scripts/install.sh` against a fake GitHub release served from a loopback HTTP server:
//! the happy path installs the binary, a tampered archive is refused with nothing installed,
//! a platform (or version) without a release falls back to `cargo install` and says so.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use crate::util::project_root;

const VERSION: &str = "0.1.0";
const TARGET: &str = "x86_64-unknown-linux-musl";

/// A release server on 127.0.0.1: path → body; anything else is a 404. It answers at most
/// `MAX_REQUESTS` requests, then stops by itself.
struct FakeRelease {
    base: String,
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

const MAX_REQUESTS: usize = 20;

impl FakeRelease {
    fn start() -> FakeRelease {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base = format!(
            "http://{}/releases/download",
            listener.local_addr().unwrap()
        );
        let files: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (served, log) = (Arc::clone(&files), Arc::clone(&requests));
        std::thread::spawn(move || {
            for stream in listener.incoming().take(MAX_REQUESTS) {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
                let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                // Read the headers up to the blank line.
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request_line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("")
                    .to_string();
                log.lock().unwrap().push(path.clone());
                let body = served.lock().unwrap().get(&path).cloned();
                let response = match body {
                    Some(body) => {
                        let mut head = format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .into_bytes();
                        head.extend(body);
                        head
                    }
                    None => b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"
                        .to_vec(),
                };
                let _ = stream.write_all(&response);
            }
        });
        FakeRelease {
            base,
            files,
            requests,
        }
    }

    fn serve(&self, name: &str, body: Vec<u8>) {
        self.files
            .lock()
            .unwrap()
            .insert(format!("/releases/download/v{VERSION}/{name}"), body);
    }
}

fn sha256_hex(path: &Path) -> String {
    let output = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    String::from_utf8(output.stdout).unwrap()[..64].to_string()
}

/// `handoff-VERSION-TARGET.tar.gz` laid out as the release workflow packs it. The "binary" is a
/// small script that prints its version (packing the 100+ MB debug binary takes seconds).
fn release_archive(dir: &Path, target: &str) -> PathBuf {
    let folder = format!("handoff-{VERSION}-{target}");
    std::fs::create_dir_all(dir.join(&folder)).unwrap();
    let binary = dir.join(&folder).join("handoff");
    std::fs::write(
        &binary,
        format!("#!/bin/sh\necho 'handoff {VERSION} ({target})'\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&binary, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let archive = dir.join(format!("{folder}.tar.gz"));
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(dir)
        .arg(&folder)
        .status()
        .expect("tar");
    assert!(status.success());
    archive
}

/// A fake release of VERSION with the linux archive and its SHA256SUMS.
fn release_with_linux_archive(work: &Path) -> (FakeRelease, Vec<u8>) {
    let release = FakeRelease::start();
    let archive = release_archive(work, TARGET);
    let sums = format!(
        "{}  handoff-{VERSION}-{TARGET}.tar.gz\n{}  handoff-{VERSION}-x86_64-pc-windows-msvc.zip\n",
        sha256_hex(&archive),
        "0".repeat(64)
    );
    release.serve("SHA256SUMS", sums.into_bytes());
    let bytes = std::fs::read(&archive).unwrap();
    (release, bytes)
}

/// Runs the script; returns (exit code, stderr).
fn install(
    release: &FakeRelease,
    target: &str,
    install_dir: &Path,
    extra: &[(&str, &str)],
) -> (i32, String) {
    let mut cmd = Command::new("sh");
    cmd.arg(project_root().join("scripts/install.sh"))
        .arg(VERSION)
        .env("HANDOFF_RELEASES_URL", &release.base)
        .env("HANDOFF_TARGET", target)
        .env("HANDOFF_INSTALL_DIR", install_dir)
        .env_remove("GITHUB_PATH")
        .env_remove("HANDOFF_SOURCE");
    for (key, value) in extra {
        cmd.env(key, value);
    }
    let output = cmd.output().expect("run sh scripts/install.sh");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn install_downloads_verifies_and_installs_the_release_binary() {
    let work = tempfile::tempdir().unwrap();
    let (release, archive) = release_with_linux_archive(work.path());
    release.serve(&format!("handoff-{VERSION}-{TARGET}.tar.gz"), archive);
    let bin = work.path().join("bin");
    let github_path = work.path().join("github_path");
    std::fs::write(&github_path, "").unwrap();
    let (code, stderr) = install(
        &release,
        TARGET,
        &bin,
        &[("GITHUB_PATH", github_path.to_str().unwrap())],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("installed handoff {VERSION} ({TARGET})")),
        "{stderr}"
    );
    // The installed file is the binary: it runs.
    let output = Command::new(bin.join("handoff"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("handoff {VERSION} ({TARGET})\n")
    );
    // In GitHub Actions the folder goes onto PATH for the next steps.
    assert_eq!(
        std::fs::read_to_string(&github_path).unwrap(),
        format!("{}\n", bin.display())
    );
    let requests = release.requests.lock().unwrap().clone();
    assert_eq!(
        requests,
        [
            format!("/releases/download/v{VERSION}/SHA256SUMS"),
            format!("/releases/download/v{VERSION}/handoff-{VERSION}-{TARGET}.tar.gz"),
        ]
    );
}

#[test]
fn install_refuses_a_tampered_archive_and_installs_nothing() {
    let work = tempfile::tempdir().unwrap();
    let (release, mut archive) = release_with_linux_archive(work.path());
    // One byte changed after SHA256SUMS was written.
    let last = archive.len() - 1;
    archive[last] ^= 0xff;
    release.serve(&format!("handoff-{VERSION}-{TARGET}.tar.gz"), archive);
    let bin = work.path().join("bin");
    let (code, stderr) = install(&release, TARGET, &bin, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "checksum mismatch for handoff-{VERSION}-{TARGET}.tar.gz"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was installed"), "{stderr}");
    assert!(!bin.exists(), "the install folder was created");
}

/// A `cargo` that records its arguments instead of building.
fn fake_cargo(dir: &Path) -> (PathBuf, PathBuf) {
    let bin = dir.join("fake-cargo-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("cargo-args");
    let script = bin.join("cargo");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s\\n' \"$*\" > '{}'\n", log.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (PathBuf::from(path), log)
}

#[test]
fn install_falls_back_to_cargo_install_when_the_platform_has_no_release_and_says_so() {
    let work = tempfile::tempdir().unwrap();
    let (release, archive) = release_with_linux_archive(work.path());
    release.serve(&format!("handoff-{VERSION}-{TARGET}.tar.gz"), archive);
    let (path, log) = fake_cargo(work.path());
    let source = work.path().join("action-source");
    let bin = work.path().join("bin");
    let target = "riscv64gc-unknown-linux-musl";
    let (code, stderr) = install(
        &release,
        target,
        &bin,
        &[
            ("PATH", path.to_str().unwrap()),
            ("HANDOFF_SOURCE", source.to_str().unwrap()),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "no release of handoff {VERSION} for {target} at {}/v{VERSION} (SHA256SUMS lists no handoff-{VERSION}-{target}.tar.gz)",
            release.base
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("building it from source instead: cargo install --locked --path"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!("install --locked --path {}\n", source.display())
    );
    assert!(!bin.exists());
    // The archive of another platform was never downloaded.
    assert_eq!(release.requests.lock().unwrap().len(), 1);
}

#[test]
fn install_without_any_release_of_the_version_builds_the_tag_from_source() {
    let work = tempfile::tempdir().unwrap();
    let release = FakeRelease::start();
    let (path, log) = fake_cargo(work.path());
    let bin = work.path().join("bin");
    let (code, stderr) = install(&release, TARGET, &bin, &[("PATH", path.to_str().unwrap())]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("(it has no SHA256SUMS)"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!(
            "install --locked --git {} --tag v{VERSION} handoffs\n",
            env!("CARGO_PKG_REPOSITORY")
        )
    );
}

#[test]
fn install_defaults_to_the_repository_in_cargo_toml_and_needs_a_version() {
    let script = std::fs::read_to_string(project_root().join("scripts/install.sh")).unwrap();
    assert!(
        script.contains(&format!(
            "repository=\"${{HANDOFF_REPOSITORY:-{}}}\"",
            env!("CARGO_PKG_REPOSITORY")
        )),
        "scripts/install.sh does not default to Cargo.toml's repository"
    );
    let output = Command::new("sh")
        .arg(project_root().join("scripts/install.sh"))
        .env_remove("HANDOFF_VERSION")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("give the version to install"));
}

#[test]
fn install_picks_the_archive_the_release_workflow_builds_for_each_platform() {
    let release_yml =
        std::fs::read_to_string(project_root().join(".github/workflows/release.yml")).unwrap();
    let release: serde_norway::Value = serde_norway::from_str(&release_yml).unwrap();
    let built: Vec<String> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|entry| entry["target"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(built.len(), 5, "{built:?}");
    // The archive names the workflow packs are the ones the script asks for.
    assert!(release_yml.contains(r#"name="handoff-$version-$TARGET""#));

    let work = tempfile::tempdir().unwrap();
    let release = FakeRelease::start();
    let (path, _) = fake_cargo(work.path());
    let fake_uname = work.path().join("fake-cargo-bin/uname");
    std::fs::write(
        &fake_uname,
        "#!/bin/sh\ncase \"$1\" in -s) echo \"$FAKE_OS\" ;; -m) echo \"$FAKE_ARCH\" ;; esac\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake_uname, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut detected = Vec::new();
    for (os, arch) in [
        ("Linux", "x86_64"),
        ("Linux", "aarch64"),
        ("Darwin", "x86_64"),
        ("Darwin", "arm64"),
        ("MINGW64_NT-10.0-20348", "x86_64"),
    ] {
        let output = Command::new("sh")
            .arg(project_root().join("scripts/install.sh"))
            .arg(VERSION)
            .env("PATH", &path)
            .env("FAKE_OS", os)
            .env("FAKE_ARCH", arch)
            .env("HANDOFF_RELEASES_URL", &release.base)
            .env("HANDOFF_INSTALL_DIR", work.path().join("bin"))
            .env_remove("HANDOFF_TARGET")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        // No release on this server: the message names the target it looked for.
        let target = stderr
            .split(&format!("no release of handoff {VERSION} for "))
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap_or_else(|| panic!("{os} {arch}: {stderr}"))
            .to_string();
        detected.push(target);
    }
    assert_eq!(detected, built);
}
