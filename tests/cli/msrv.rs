//! `rust-version` in Cargo.toml is the true minimum: no locked dependency needs a newer Rust,
//! and the README says the same version.

use std::process::Command;

use crate::util::project_root;

/// `1.89`, `1.85.0` → `[1, 89, 0]` (missing parts are zero).
fn version(text: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = text
        .trim()
        .split('.')
        .map(|part| {
            part.parse()
                .unwrap_or_else(|_| panic!("bad version {text:?}"))
        })
        .collect();
    parts.resize(3, 0);
    parts
}

#[test]
fn no_locked_dependency_needs_a_newer_rust_than_rust_version() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .current_dir(project_root())
        .output()
        .expect("run cargo metadata");
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let ours = packages
        .iter()
        .find(|p| p["name"] == "handoffs" && p["source"].is_null())
        .expect("the handoffs package");
    let declared = ours["rust_version"]
        .as_str()
        .expect("Cargo.toml sets rust-version");
    let needs_more: Vec<String> = packages
        .iter()
        .filter_map(|p| Some((p, p["rust_version"].as_str()?)))
        .filter(|(_, needs)| version(needs) > version(declared))
        .map(|(p, needs)| format!("{} {} needs {needs}", p["name"], p["version"]))
        .collect();
    assert!(
        needs_more.is_empty(),
        "rust-version = {declared:?} in Cargo.toml, but: {needs_more:?}; raise rust-version (and the README)"
    );
    // Not vacuous: the lock file holds crates that declare their minimum.
    let declaring = packages
        .iter()
        .filter(|p| p["source"].is_string() && p["rust_version"].is_string())
        .count();
    assert!(
        declaring > 20,
        "only {declaring} locked crates declare rust_version"
    );

    let readme = std::fs::read_to_string(project_root().join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("Rust toolchain ({declared}+")),
        "README does not state Rust {declared}+"
    );
}
