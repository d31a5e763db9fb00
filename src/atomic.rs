//! The project's one atomic writer: every file the tool writes goes to a temporary file in the
//! target's folder (so the rename that puts it in place never crosses file systems), is flushed
//! to the disk, then renamed over (or, without `overwrite`, next to) the target, and the folder
//! is flushed so the rename itself survives a crash. A reader, or a crash, sees the old file or
//! the whole new one, never half of one, and a file reported written is on the disk.
//!
//! [`write_file`] writes one file. [`Batch`] writes many (`handoff new --prefill --each`: a
//! thousand handoffs) with the same guarantees but the durability batched:
//!
//! 1. each file is written to its temporary file as it is staged, and handed to a small pool of
//!    flusher threads that `fsync` it while the caller renders the next one (the open files in
//!    flight are bounded, so a thousand files never hold a thousand descriptors);
//! 2. [`Batch::commit`] waits for every flush; if any failed, nothing is renamed and every
//!    temporary file is removed;
//! 3. then renames each file into place, in the order staged;
//! 4. then `fsync`s each folder once (not once per file), and the parent of any folder it
//!    created.
//!
//! Why `fsync` per file from a pool rather than one `syncfs(2)` or `sync_file_range(2)`:
//! `sync_file_range` does not flush metadata or the disk's cache and is documented as unfit
//! for durability; `syncfs` flushes the whole file system, so it waits for every other
//! process's dirty data too (on a shared build machine, seconds), is Linux-only, and before
//! Linux 5.8 did not report write-back errors. Concurrent `fsync`s are portable, report each
//! file's error, and file systems with a journal (ext4, XFS, btrfs) commit the ones that
//! arrive together in one journal transaction, which is where the time per file went. On
//! Windows a folder cannot be opened to flush it; NTFS journals the rename itself, so step 4
//! is Unix-only.
//!
//! Temporary files get the permissions a new file gets from the user's umask (0666 minus the
//! umask, usually 0644). `tempfile` alone creates owner-only (0600) files, which a rename
//! would turn into a handoff, config or report nobody else on a shared machine can read.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

use tempfile::{NamedTempFile, TempPath};

use crate::error::{Error, Result};

/// A new temporary file in `dir`, named `PREFIX…`, with a new file's usual permissions.
pub fn temporary_in(dir: &Path, prefix: &str) -> std::io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // open(2) applies the umask to this.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// `-o -`: standard output, as most tools read it.
pub fn is_stdout(output: &Path) -> bool {
    output.as_os_str() == "-"
}

/// Refuses to replace `path` when it is a symbolic link, a FIFO, a socket or a device: the
/// rename that puts a written file in place would replace the link or the special file itself
/// (as root, `-o /dev/stdout --force` turned `/dev/stdout` into a regular file). `shown` is the
/// path as the user gave it.
pub fn refuse_special_target(path: &Path, shown: &Path) -> crate::error::Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let what = if meta.file_type().is_symlink() {
        "a symbolic link"
    } else if meta.is_file() || meta.is_dir() {
        return Ok(());
    } else {
        "not a regular file (a pipe, socket or device)"
    };
    Err(crate::error::Error::Usage(format!(
        "{}: {what}; it is not replaced, even with --force. Give the path of a regular file \
         (or `-o -` for standard output)",
        shown.display()
    )))
}

/// The folder a file goes in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Creates `dir` and any missing parents; returns the folders whose entries changed (the
/// parent of each folder created), to be flushed once the files are in place.
fn create_folders(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(folder) = at {
        if folder.as_os_str().is_empty() || std::fs::symlink_metadata(folder).is_ok() {
            break;
        }
        missing.push(folder);
        at = folder.parent();
    }
    std::fs::create_dir_all(dir).map_err(|err| Error::io(dir, "cannot create the folder", err))?;
    Ok(missing
        .iter()
        .map(|folder| folder_of(folder).to_path_buf())
        .collect())
}

/// Flushes a folder's entries (the renames and creations in it) to the disk.
#[cfg(unix)]
fn sync_folder(dir: &Path) -> Result<()> {
    std::fs::File::open(dir)
        .and_then(|folder| folder.sync_all())
        .map_err(|err| Error::io(dir, "cannot flush the folder to the disk", err))
}

/// Windows cannot open a folder to flush it; NTFS journals the rename.
#[cfg(not(unix))]
fn sync_folder(_dir: &Path) -> Result<()> {
    Ok(())
}

/// Puts a flushed temporary file in place: over `path` with `overwrite`, else only if there
/// is no file there (even one that appeared after the caller checked).
fn place(temp: TempPath, path: &Path, overwrite: bool) -> Result<()> {
    let placed = if overwrite {
        temp.persist(path)
    } else {
        temp.persist_noclobber(path)
    };
    placed.map_err(|err| {
        if err.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Exists {
                path: path.to_path_buf(),
            }
        } else {
            Error::io(path, "cannot write", err.error)
        }
    })
}

/// Writes `contents` to `path` atomically and durably (see the module's description). With
/// `overwrite` false an existing file is left alone and reported as [`Error::Exists`].
pub fn write_file(path: &Path, contents: &[u8], overwrite: bool) -> Result<()> {
    let dir = folder_of(path);
    let created = create_folders(dir)?;
    let mut temp = temporary_in(dir, ".handoff-")
        .map_err(|err| Error::io(dir, "cannot create a temporary file in the folder", err))?;
    temp.write_all(contents)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|err| Error::io(temp.path().to_path_buf(), "cannot write", err))?;
    place(temp.into_temp_path(), path, overwrite)?;
    sync_folder(dir)?;
    for parent in created {
        sync_folder(&parent)?;
    }
    Ok(())
}

/// Flusher threads of a [`Batch`]: `fsync` waits on the disk, not the CPU, so a few more
/// than the cores keep the journal busy.
const FLUSHERS: usize = 4;
/// Written files waiting for a flusher, at most: bounds the open descriptors.
const IN_FLIGHT: usize = 32;

/// A file handed to a flusher, and what came back.
struct Job {
    index: usize,
    file: NamedTempFile,
}

struct Flushed {
    index: usize,
    result: std::io::Result<TempPath>,
}

/// Many files written atomically and durably, flushed together (see the module's
/// description): [`Batch::stage`] each, then [`Batch::commit`]. Dropping a batch without
/// committing it removes its temporary files and writes nothing.
pub struct Batch {
    overwrite: bool,
    targets: Vec<PathBuf>,
    /// Folders to flush after the renames: the targets' own and the parents of those created.
    folders: BTreeSet<PathBuf>,
    jobs: Option<mpsc::SyncSender<Job>>,
    flushed: mpsc::Receiver<Flushed>,
    flushed_sender: mpsc::Sender<Flushed>,
    flushers: Vec<JoinHandle<()>>,
}

impl Batch {
    /// A batch whose files replace existing ones only with `overwrite`.
    pub fn new(overwrite: bool) -> Batch {
        let (flushed_sender, flushed) = mpsc::channel();
        Batch {
            overwrite,
            targets: Vec::new(),
            folders: BTreeSet::new(),
            jobs: None,
            flushed,
            flushed_sender,
            flushers: Vec::new(),
        }
    }

    /// How many files are staged.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether no file is staged.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Starts the flushers on the first file.
    fn sender(&mut self) -> &mpsc::SyncSender<Job> {
        self.jobs.get_or_insert_with(|| {
            let (sender, receiver) = mpsc::sync_channel::<Job>(IN_FLIGHT);
            let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
            for _ in 0..FLUSHERS {
                let receiver = std::sync::Arc::clone(&receiver);
                let done = self.flushed_sender.clone();
                self.flushers.push(std::thread::spawn(move || loop {
                    let job = match receiver.lock() {
                        Ok(jobs) => jobs.recv(),
                        Err(_) => return,
                    };
                    let Ok(Job { index, file }) = job else {
                        return;
                    };
                    let result = file.as_file().sync_all().map(|()| file.into_temp_path());
                    if done.send(Flushed { index, result }).is_err() {
                        return;
                    }
                }));
            }
            sender
        })
    }

    /// Writes `contents` to a temporary file next to `path` and queues its flush; nothing is
    /// at `path` until [`Batch::commit`].
    pub fn stage(&mut self, path: &Path, contents: &[u8]) -> Result<()> {
        let dir = folder_of(path).to_path_buf();
        if !self.folders.contains(&dir) {
            let created = create_folders(&dir)?;
            self.folders.extend(created);
            self.folders.insert(dir.clone());
        }
        let mut temp = temporary_in(&dir, ".handoff-")
            .map_err(|err| Error::io(&dir, "cannot create a temporary file in the folder", err))?;
        temp.write_all(contents)
            .map_err(|err| Error::io(temp.path().to_path_buf(), "cannot write", err))?;
        let index = self.targets.len();
        self.targets.push(path.to_path_buf());
        let job = Job { index, file: temp };
        if let Err(mpsc::SendError(job)) = self.sender().send(job) {
            // The flushers are gone (a thread could not run): flush here.
            let result = job
                .file
                .as_file()
                .sync_all()
                .map(|()| job.file.into_temp_path());
            let _ = self.flushed_sender.send(Flushed {
                index: job.index,
                result,
            });
        }
        Ok(())
    }

    /// Waits for every flush, then renames each file into place in the order staged, then
    /// flushes each folder once. A failed flush renames nothing; a failed rename (a file that
    /// appeared at a target without `overwrite`) stops there, with the files before it in
    /// place and the rest removed.
    pub fn commit(mut self) -> Result<()> {
        self.jobs = None;
        for flusher in std::mem::take(&mut self.flushers) {
            let _ = flusher.join();
        }
        let (done, flushed) = {
            let (sender, receiver) = mpsc::channel();
            (
                std::mem::replace(&mut self.flushed_sender, sender),
                std::mem::replace(&mut self.flushed, receiver),
            )
        };
        drop(done);
        let mut temps: Vec<Option<TempPath>> = (0..self.targets.len()).map(|_| None).collect();
        let mut failed = None;
        for Flushed { index, result } in flushed {
            match result {
                Ok(temp) => temps[index] = Some(temp),
                Err(err) => {
                    failed.get_or_insert(Error::io(
                        &self.targets[index],
                        "cannot flush to the disk",
                        err,
                    ));
                }
            }
        }
        if let Some(err) = failed {
            return Err(err);
        }
        let mut outcome = Ok(());
        for (temp, target) in temps.into_iter().zip(&self.targets) {
            let Some(temp) = temp else {
                outcome = Err(Error::io(
                    target,
                    "cannot write",
                    std::io::Error::other("the file was not flushed"),
                ));
                break;
            };
            if let Err(err) = place(temp, target, self.overwrite) {
                outcome = Err(err);
                break;
            }
        }
        for folder in &self.folders {
            sync_folder(folder)?;
        }
        outcome
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Stops the flushers; the temporary files they hold are removed as they are dropped.
        self.jobs = None;
        for flusher in std::mem::take(&mut self.flushers) {
            let _ = flusher.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_temporary_file_is_readable_by_others_unless_the_umask_says_no() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = temporary_in(dir.path(), ".x-").unwrap();
        let mode = file.path().metadata().unwrap().permissions().mode() & 0o777;
        // No execute bits, and more than the owner's read/write (every usual umask keeps
        // the group's read bit at least).
        assert_eq!(mode & 0o111, 0, "{mode:o}");
        assert_ne!(mode, 0o600, "{mode:o}");
        assert!(file
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".x-"));
    }
}
