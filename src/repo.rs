//! The handoff repository on disk: its root and config, finding handoff files (walkdir), and
//! the assets (schemas, playbooks, roster, templates) with the repository's own files layered
//! over the defaults embedded in the binary.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

pub mod asset;

use crate::config::{find_root, Config};
use crate::error::{Error, Result};
use crate::playbook::{Playbook, PlaybookSet, HANDOFF_TYPES};
use crate::roster::Roster;
use crate::schema::SchemaSet;

/// Defaults compiled into the binary, so it works in a repository that has only `handoffs/`.
pub mod embedded {
    /// `schema/*.json`.
    pub static SCHEMAS: &[(&str, &str)] = &[
        ("common.json", include_str!("../schema/common.json")),
        ("sdr-ae.json", include_str!("../schema/sdr-ae.json")),
        ("sales-cs.json", include_str!("../schema/sales-cs.json")),
        ("ae-se.json", include_str!("../schema/ae-se.json")),
        (
            "sales-implementation.json",
            include_str!("../schema/sales-implementation.json"),
        ),
        ("cs-sales.json", include_str!("../schema/cs-sales.json")),
    ];
    /// `playbooks/*.yaml`.
    pub static PLAYBOOKS: &[(&str, &str)] = &[
        ("sdr-ae.yaml", include_str!("../playbooks/sdr-ae.yaml")),
        ("sales-cs.yaml", include_str!("../playbooks/sales-cs.yaml")),
        (
            "sales-cs.enterprise.yaml",
            include_str!("../playbooks/sales-cs.enterprise.yaml"),
        ),
        ("ae-se.yaml", include_str!("../playbooks/ae-se.yaml")),
        (
            "sales-implementation.yaml",
            include_str!("../playbooks/sales-implementation.yaml"),
        ),
        ("cs-sales.yaml", include_str!("../playbooks/cs-sales.yaml")),
    ];
    /// The example roster written by `handoff init`.
    pub static ROSTER: &str = include_str!("../roster.yaml");
}

/// A handoff repository: where it is and how it is configured.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The repository root (nearest ancestor with `handoff.toml` or `.git`).
    pub root: PathBuf,
    /// The directory the command was run from (relative paths are taken from here).
    pub cwd: PathBuf,
    /// `handoff.toml`, or the defaults.
    pub config: Config,
}

/// A handoff file found on disk.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Absolute (or cwd-joined) path.
    pub path: PathBuf,
    /// Path relative to the repository root, with `/`.
    pub display: String,
    /// A symbolic link found while walking a folder: reported, never followed (it could
    /// point outside the repository).
    pub symlink: bool,
}

impl Workspace {
    /// Opens the repository that contains `cwd`.
    pub fn open(cwd: &Path) -> Result<Workspace> {
        let root = find_root(cwd);
        let config = Config::load(&root)?;
        Ok(Workspace {
            root,
            cwd: cwd.to_path_buf(),
            config,
        })
    }

    /// The configured handoffs folder.
    pub fn handoffs_dir(&self) -> PathBuf {
        self.root.join(&self.config.handoffs_dir)
    }

    /// `path` relative to the root, with `/` separators (as given when outside the root).
    pub fn display_path(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let text = slash_path(relative);
        if text.is_empty() {
            ".".to_string()
        } else {
            text
        }
    }

    /// Finds the handoff files under `paths` (default: the handoffs folder), sorted. A path
    /// that does not exist is an error; inside folders only `.yaml`/`.yml` files count, hidden
    /// folders and symbolic links are skipped (a link could point outside the repository).
    pub fn discover(&self, paths: &[PathBuf]) -> Result<Vec<Candidate>> {
        let roots: Vec<PathBuf> = if paths.is_empty() {
            let dir = self.handoffs_dir();
            // A linked handoffs folder would be walked wherever it points: refused.
            asset::check_components(&self.root, Path::new(&self.config.handoffs_dir)).map_err(
                |_| {
                    Error::Usage(format!(
                        "{}: the handoffs folder is a symbolic link (or under one); it is not \
                         followed (it could point outside the repository); make it a folder",
                        self.config.handoffs_dir
                    ))
                },
            )?;
            if !dir.is_dir() {
                return Err(Error::Usage(format!(
                    "{}: no handoffs folder here; run `handoff init` to scaffold a repository, or pass the files to lint",
                    dir.display()
                )));
            }
            vec![dir]
        } else {
            paths.iter().map(|p| self.cwd.join(p)).collect()
        };
        let mut found = Vec::new();
        let mut links = std::collections::HashSet::new();
        for root in roots {
            let meta = std::fs::symlink_metadata(&root)
                .map_err(|err| Error::io(root.clone(), "cannot read", err))?;
            if meta.is_symlink() && !root.exists() {
                return Err(Error::NotFound { path: root });
            }
            if meta.is_symlink() && root.is_dir() && root.starts_with(&self.root) {
                // A committed link to a folder would be walked wherever it points.
                return Err(Error::Usage(format!(
                    "{}: a symbolic link to a folder; it is not followed (it could point \
                     outside the repository); pass the folder it points to, or make it a folder",
                    self.display_path(&root)
                )));
            }
            if !root.is_dir() {
                // Named on the command line: the user chose it, so a link is followed.
                found.push(root);
                continue;
            }
            let walker = walkdir::WalkDir::new(&root)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    // Hidden entries are skipped, and so is a nested git checkout (a submodule
                    // has its own `.git`): its files are not this repository's handoffs, as
                    // metrics and --changed-since also see it.
                    e.depth() == 0
                        || !(e.file_name().to_string_lossy().starts_with('.')
                            || (e.file_type().is_dir() && e.path().join(".git").exists()))
                });
            for entry in walker {
                match entry {
                    Ok(entry) => {
                        if entry.file_type().is_symlink() && is_handoff_file(entry.path()) {
                            links.insert(entry.path().to_path_buf());
                            found.push(entry.into_path());
                        } else if entry.file_type().is_file() && is_handoff_file(entry.path()) {
                            found.push(entry.into_path());
                        }
                    }
                    Err(err) => {
                        // An unreadable folder: report it as a file the gate could not read.
                        if let Some(path) = err.path() {
                            found.push(path.to_path_buf());
                        }
                    }
                }
            }
        }
        found.sort();
        found.dedup();
        Ok(found
            .into_iter()
            .map(|path| Candidate {
                display: self.display_path(&path),
                symlink: links.contains(&path),
                path,
            })
            .collect())
    }

    /// The text of an asset: the repository's own file when it exists, else the embedded one.
    /// Returns the origin (a path, or "embedded …") with the text.
    fn layered(
        &self,
        dir: &str,
        name: &str,
        embedded: &[(&str, &str)],
    ) -> Result<Option<(String, String)>> {
        match asset::read(&self.root, &Path::new(dir).join(name))? {
            Some(text) => Ok(Some((format!("{dir}/{name}"), text))),
            None => Ok(embedded
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| (format!("{dir}/{name} (embedded default)"), text.to_string()))),
        }
    }

    /// Compiles the schemas (repository files over embedded defaults).
    pub fn load_schemas(&self) -> Result<SchemaSet> {
        let mut names: Vec<String> = embedded::SCHEMAS
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        // The repository may add schema files of its own that its schemas reference.
        if let Some(entries) = asset::list_dir(&self.root, Path::new("schema"))? {
            for name in entries {
                if name.ends_with(".json") && !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let mut files = HashMap::new();
        let mut origins = HashMap::new();
        for name in names {
            let Some((origin, text)) = self.layered("schema", &name, embedded::SCHEMAS)? else {
                continue;
            };
            let value: Value = serde_json::from_str(&text).map_err(|err| Error::Asset {
                path: origin.clone(),
                message: format!("not valid JSON: {}", asset::value_free(&err.to_string())),
            })?;
            origins.insert(name.clone(), origin);
            files.insert(name, value);
        }
        SchemaSet::compile(files, &|name| {
            origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| format!("schema/{name}"))
        })
    }

    /// Loads every playbook: the repository's `playbooks/TYPE.yaml` and archived
    /// `playbooks/TYPE@N.yaml`, with the embedded defaults for types it does not define.
    pub fn load_playbooks(&self) -> Result<PlaybookSet> {
        let mut set = PlaybookSet::default();
        if let Some(names) = asset::list_dir(&self.root, Path::new("playbooks"))? {
            for name in names {
                let Some(stem) = name
                    .strip_suffix(".yaml")
                    .or_else(|| name.strip_suffix(".yml"))
                else {
                    continue;
                };
                let origin = format!("playbooks/{name}");
                let Some(text) = asset::read(&self.root, Path::new(&origin))? else {
                    continue;
                };
                let mut playbook = Playbook::parse(&origin, &text)?;
                let (file_name, file_version) = match stem.split_once('@') {
                    Some((t, v)) => (t, v.parse::<u32>().ok()),
                    None => (stem, None),
                };
                let (file_type, file_segment) = match file_name.split_once('.') {
                    Some((t, segment)) => (t, Some(segment)),
                    None => (file_name, None),
                };
                if file_type != playbook.handoff_type {
                    return Err(Error::Asset {
                        path: origin,
                        message: format!(
                            "the file is named for `{file_type}` but says `type: {}`; rename it or fix the type",
                            playbook.handoff_type
                        ),
                    });
                }
                if let Some(segment) = file_segment {
                    if !crate::playbook::is_segment_name(segment) {
                        return Err(Error::Asset {
                            path: origin,
                            message: "a segment playbook is named TYPE.SEGMENT.yaml, the segment a slug of lower-case letters, digits and `-`".into(),
                        });
                    }
                }
                match (file_segment, playbook.segment.as_deref()) {
                    (Some(named), Some(written)) if named != written => {
                        return Err(Error::Asset {
                            path: origin,
                            message: "the file is named for another segment than its `segment:`; rename it or fix the segment".into(),
                        });
                    }
                    (None, Some(_)) => {
                        return Err(Error::Asset {
                            path: origin,
                            message: "a playbook with `segment:` is named TYPE.SEGMENT.yaml; rename it or remove `segment:`".into(),
                        });
                    }
                    (Some(named), None) => {
                        playbook.segment = Some(named.to_string());
                    }
                    _ => {}
                }
                if playbook.when.is_some() && playbook.segment.is_none() {
                    return Err(Error::Asset {
                        path: origin,
                        message: "`when` chooses a segment playbook; name the file playbooks/TYPE.SEGMENT.yaml".into(),
                    });
                }
                if stem.contains('@') && file_version != Some(playbook.version) {
                    return Err(Error::Asset {
                        path: origin,
                        message: format!(
                            "an archived playbook must be named NAME@VERSION.yaml; this one says `version: {}`",
                            playbook.version
                        ),
                    });
                }
                set.insert(playbook, !stem.contains('@'));
            }
        }
        for (name, text) in embedded::PLAYBOOKS {
            let stem = name.trim_end_matches(".yaml");
            if !set.has_name(stem) {
                let mut playbook =
                    Playbook::parse(&format!("playbooks/{name} (embedded default)"), text)?;
                if let Some((_, segment)) = stem.split_once('.') {
                    playbook.segment = Some(segment.to_string());
                }
                set.insert(playbook, true);
            }
        }
        debug_assert!(HANDOFF_TYPES.iter().all(|t| set.has_type(t)));
        Ok(set)
    }

    /// Every handoff of the handoffs folder in the work tree that can be read and parsed, mapped
    /// by `f` (path relative to the root, value), in parallel, in path order. Files that cannot
    /// be read or parsed are left out (`handoff lint` reports them); symbolic links are not
    /// followed; a file over the size cap is not read.
    pub fn map_handoffs<T: Send>(&self, f: impl Fn(&str, &Value) -> T + Sync) -> Vec<T> {
        use rayon::prelude::*;
        let Ok(candidates) = self.discover(&[]) else {
            return Vec::new();
        };
        let cap = self.config.max_file_size;
        candidates
            .par_iter()
            .filter(|c| !c.symlink)
            .filter_map(|c| {
                let meta = std::fs::metadata(&c.path).ok()?;
                if !meta.is_file() || meta.len() > cap {
                    return None;
                }
                let bytes = std::fs::read(&c.path).ok()?;
                let document = crate::document::parse_value(&bytes, cap).ok()?;
                Some(f(&c.display, &document.value))
            })
            .collect()
    }

    /// The open handoffs per receiver in the work tree (`capacity`: `handoff route`, HO106).
    pub fn workload(&self) -> crate::roster::Workload {
        let open = self.map_handoffs(|path, value| {
            let submitted = value.get("status").and_then(Value::as_str) == Some("submitted");
            let receiver = value.pointer("/to/name").and_then(Value::as_str);
            (submitted, receiver.map(str::to_string), path.to_string())
        });
        let mut workload = crate::roster::Workload::default();
        for (_, receiver, path) in open.into_iter().filter(|o| o.0) {
            if let Some(receiver) = receiver.filter(|r| !r.trim().is_empty()) {
                workload.add(&receiver, &path);
            }
        }
        workload
    }

    /// The roster, when the repository has one.
    pub fn load_roster(&self) -> Result<Option<Roster>> {
        match asset::read(&self.root, Path::new(&self.config.roster))? {
            Some(text) => Roster::parse(&self.config.roster, &text).map(Some),
            None => Ok(None),
        }
    }
}

fn is_handoff_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

impl Workspace {
    /// The text of `schema/NAME` (the repository's file over the embedded default).
    pub fn schema_text(&self, name: &str) -> Result<String> {
        self.layered("schema", name, embedded::SCHEMAS)?
            .map(|(_, text)| text)
            .ok_or_else(|| Error::Asset {
                path: format!("schema/{name}"),
                message: "no such schema".into(),
            })
    }
}

/// A path's components joined with `/`, as git and every report write paths.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Paths given on the command line, as shown in a message: `a.json, b.csv`.
pub fn shown_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
