//! Reviews managers record with `handoff review`: `reviews/YYYY-Www.yaml`, one file per ISO
//! week. Appending takes an exclusive lock on `reviews/.YYYY-Www.lock`, reads the file, adds
//! the entry and replaces the file atomically (temporary file + rename), so concurrent runs
//! lose nothing and a reader never sees half a file.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::week::IsoWeek;
use crate::error::{Error, Result};

/// The folder holding the review files, at the repository root.
pub const REVIEWS_DIR: &str = "reviews";

/// A reviewer's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The handoff is good.
    Ok,
    /// The handoff needs more work.
    NeedsWork,
}

impl Verdict {
    /// As written in the files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::NeedsWork => "needs-work",
        }
    }
}

/// One review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The handoff, relative to the repository root.
    pub path: String,
    /// Who reviewed it.
    pub reviewer: String,
    /// The verdict.
    pub verdict: Verdict,
    /// A note for the writer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When (RFC 3339, UTC).
    pub reviewed_at: String,
    /// The ISO week whose sample it belongs to.
    pub week: String,
}

/// The contents of one `reviews/YYYY-Www.yaml`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewFile {
    week: String,
    #[serde(default)]
    reviews: Vec<Review>,
}

/// Every review in the repository.
#[derive(Debug, Clone, Default)]
pub struct Reviews {
    reviews: Vec<Review>,
}

impl Reviews {
    /// Reads every `reviews/YYYY-Www.yaml` under `root` (none when the folder is absent).
    pub fn load(root: &Path) -> Result<Reviews> {
        let Some(names) = crate::repo::asset::list_dir(root, Path::new(REVIEWS_DIR))? else {
            return Ok(Reviews::default());
        };
        let mut reviews = Vec::new();
        for name in names {
            let relative = Path::new(REVIEWS_DIR).join(&name);
            if week_of_file(&relative).is_none() {
                continue;
            }
            reviews.extend(
                read_file_at(root, &relative)?
                    .map(|f| f.reviews)
                    .unwrap_or_default(),
            );
        }
        Ok(Reviews { reviews })
    }

    /// The paths that have at least one review.
    pub fn reviewed_paths(&self) -> HashSet<String> {
        self.reviews.iter().map(|r| r.path.clone()).collect()
    }

    /// The reviews of one handoff, oldest first.
    pub fn of(&self, path: &str) -> Vec<&Review> {
        self.reviews.iter().filter(|r| r.path == path).collect()
    }
}

/// The file holding `week`'s reviews.
pub fn file_for(root: &Path, week: IsoWeek) -> PathBuf {
    root.join(REVIEWS_DIR).join(format!("{week}.yaml"))
}

/// Appends `review` to its week's file under `root`, and returns that file's path.
pub fn append(root: &Path, week: IsoWeek, review: Review) -> Result<PathBuf> {
    let dir = root.join(REVIEWS_DIR);
    // A linked `reviews/` would be written through, wherever it points.
    crate::repo::asset::check_writable_dir(root, Path::new(REVIEWS_DIR))?;
    std::fs::create_dir_all(&dir)
        .map_err(|err| Error::io(dir.clone(), "cannot create the reviews folder", err))?;
    ignore_lock_files(&dir)?;
    let lock_path = dir.join(format!(".{week}.lock"));
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        // A committed link in place of the lock file is not followed.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let lock = options
        .open(&lock_path)
        .map_err(|err| Error::io(lock_path.clone(), "cannot open the lock file", err))?;
    fs4::FileExt::lock(&lock).map_err(|err| Error::io(lock_path.clone(), "cannot lock", err))?;
    // Everything below runs with the lock held; it is released when `lock` is closed.
    let path = file_for(root, week);
    let relative = Path::new(REVIEWS_DIR).join(format!("{week}.yaml"));
    let mut file = match read_file_at(root, &relative)? {
        Some(file) => file,
        None => ReviewFile {
            week: week.to_string(),
            reviews: Vec::new(),
        },
    };
    file.reviews.push(review);
    let text = reviews_text(&file).map_err(|err| Error::Reviews {
        path: path.clone(),
        message: format!("cannot write the reviews: {err}"),
    })?;
    let mut temp = crate::atomic::temporary_in(&dir, ".review-")
        .map_err(|err| Error::io(dir.clone(), "cannot create a temporary file", err))?;
    temp.write_all(text.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|err| Error::io(temp.path().to_path_buf(), "cannot write", err))?;
    temp.persist(&path)
        .map_err(|err| Error::io(path.clone(), "cannot replace", err.error))?;
    drop(lock);
    Ok(path)
}

/// The reviews file as YAML that passes yamllint's defaults: a header comment, `---`, and the
/// list indented under its key (each entry is written on its own and indented as a whole, so
/// a multi-line note keeps its block scalar).
fn reviews_text(file: &ReviewFile) -> std::result::Result<String, String> {
    let week = crate::document::to_yaml(&file.week)?;
    let mut text = format!(
        "# Reviews of the {} sample, recorded with `handoff review`.\n---\nweek: {}\nreviews:",
        file.week,
        week.trim_end()
    );
    if file.reviews.is_empty() {
        text.push_str(" []");
    }
    text.push('\n');
    for review in &file.reviews {
        let entry = crate::document::to_yaml(review)?;
        for (index, line) in entry.lines().enumerate() {
            let lead = if index == 0 { "  - " } else { "    " };
            if line.is_empty() {
                text.push('\n');
            } else {
                text.push_str(lead);
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    Ok(text)
}

/// Lock files are not history: a `.gitignore` beside them keeps them out of commits.
fn ignore_lock_files(dir: &Path) -> Result<()> {
    let path = dir.join(".gitignore");
    if path.exists() {
        return Ok(());
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut file) => file
            .write_all(b"# Lock files of `handoff review`.\n.*.lock\n")
            .map_err(|err| Error::io(path.clone(), "cannot write", err)),
        // Another `handoff review` wrote it first.
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(Error::io(path, "cannot create", err)),
    }
}

fn week_of_file(path: &Path) -> Option<IsoWeek> {
    let name = path.file_name()?.to_str()?;
    IsoWeek::parse(name.strip_suffix(".yaml")?).ok()
}

/// Reads `relative` (`reviews/YYYY-Www.yaml`) through the confined asset reader; an error
/// says where and what is wrong without quoting the file's values.
fn read_file_at(root: &Path, relative: &Path) -> Result<Option<ReviewFile>> {
    let Some(text) = crate::repo::asset::read(root, relative)? else {
        return Ok(None);
    };
    let origin = relative.display().to_string();
    let file: ReviewFile =
        crate::document::from_yaml(&text, &origin).map_err(|err| Error::Reviews {
            path: root.join(relative),
            message: format!(
                "{}; a reviews file holds `week:` and a list `reviews:` of entries with \
                 path, reviewer, verdict (ok or needs-work), note, reviewed_at and week",
                err.located()
            ),
        })?;
    Ok(Some(file))
}
