//! The temporary file every atomic write goes through: created in the target's folder (so the
//! rename that puts it in place never crosses file systems) with the permissions a new file
//! gets from the user's umask (0666 minus the umask, usually 0644). `tempfile` alone creates
//! owner-only (0600) files, which a rename would turn into a handoff, config or report nobody
//! else on a shared machine can read.

use std::path::Path;

use tempfile::NamedTempFile;

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
