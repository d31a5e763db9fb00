//! The rule files of one commit (`handoff.toml`, the roster, `playbooks/`, `schema/`), read
//! from its tree for `--changed-since` when the rules changed on the branch: the handoffs are
//! then also linted with the rules as they were at the merge base, to tell which verdicts moved.
//! Only regular files of a bounded size are read, under plain names (no `..`, no separators).

use std::path::Path;

use git2::{ObjectType, Repository, Tree};

use crate::config::{Config, CONFIG_FILE};

/// Largest rule file read from history (a playbook or schema is a few kilobytes).
const MAX_RULE_FILE: usize = 4 * 1024 * 1024;

/// The rule files in `tree` under `root_in_repo`, as (path relative to the root, bytes),
/// sorted. Files that cannot be read are left out: the linter then uses its embedded default,
/// as it would in a checkout without them.
pub fn rule_files(repo: &Repository, tree: &Tree, root_in_repo: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let prefix: Vec<String> = root_in_repo
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let Some(root) = subtree(repo, tree, &prefix) else {
        return files;
    };
    let config_bytes = blob_at(repo, &root, &[CONFIG_FILE.to_string()]);
    let roster = config_bytes
        .as_deref()
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .and_then(|text| Config::parse(text).ok())
        .unwrap_or_default()
        .roster;
    if let Some(bytes) = config_bytes {
        files.push((CONFIG_FILE.to_string(), bytes));
    }
    let roster_parts: Vec<String> = roster
        .trim_start_matches("./")
        .split('/')
        .map(str::to_string)
        .collect();
    if roster_parts.iter().all(|part| plain(part)) {
        if let Some(bytes) = blob_at(repo, &root, &roster_parts) {
            files.push((roster_parts.join("/"), bytes));
        }
    }
    for folder in ["playbooks", "schema"] {
        let Some(dir) = subtree(repo, &root, &[folder.to_string()]) else {
            continue;
        };
        for entry in dir.iter() {
            let Some(name) = entry.name().ok().filter(|name| plain(name)) else {
                continue;
            };
            if entry.kind() != Some(ObjectType::Blob) || entry.filemode() == 0o120000 {
                continue;
            }
            if let Some(bytes) = read_blob(repo, entry.id()) {
                files.push((format!("{folder}/{name}"), bytes));
            }
        }
    }
    files.sort();
    files
}

/// A name that stays inside the folder it is written to.
fn plain(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
}

fn subtree<'r>(repo: &'r Repository, tree: &Tree<'r>, parts: &[String]) -> Option<Tree<'r>> {
    let mut current = tree.clone();
    for part in parts {
        let id = current.get_name(part)?.id();
        current = repo.find_tree(id).ok()?;
    }
    Some(current)
}

fn blob_at(repo: &Repository, tree: &Tree, parts: &[String]) -> Option<Vec<u8>> {
    let (name, folders) = parts.split_last()?;
    let folder = subtree(repo, tree, folders)?;
    let entry = folder.get_name(name)?;
    if entry.kind() != Some(ObjectType::Blob) || entry.filemode() == 0o120000 {
        return None;
    }
    read_blob(repo, entry.id())
}

fn read_blob(repo: &Repository, id: git2::Oid) -> Option<Vec<u8>> {
    let (size, _) = repo.odb().ok()?.read_header(id).ok()?;
    if size > MAX_RULE_FILE {
        return None;
    }
    Some(repo.find_blob(id).ok()?.content().to_vec())
}
