//! Starting things: `handoff init` scaffolds a handoff repository (schemas, playbooks, roster,
//! config, CI workflow, pull-request template, CODEOWNERS, editor settings) and `handoff new`
//! writes a handoff skeleton from its playbook. Both write files atomically and never replace a
//! file the user did not ask them to replace.

pub mod files;
pub mod init;
pub mod new;
pub mod skeleton;

use std::path::Path;

use crate::error::Result;

/// Whether `name` is a slug: lower-case ASCII letters, digits and `-`, starting with a letter
/// or digit. A slug cannot climb out of its folder (`..`, `/`) or surprise a shell.
pub fn is_slug(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Writes `contents` to `path` atomically and durably through [`crate::atomic::write_file`],
/// so a reader (or a crash) never sees half a file. With `overwrite` false an existing file is
/// left alone and reported, even if it appeared after the caller checked.
pub fn write_atomic(path: &Path, contents: &str, overwrite: bool) -> Result<()> {
    crate::atomic::write_file(path, contents.as_bytes(), overwrite)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn slugs() {
        for good in ["acme", "acme-corp", "3m", "a", "northwind-freight-2027"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in [
            "",
            "../x",
            "a/b",
            "Bad Name",
            "-acme",
            "acme_corp",
            "Acme",
            "..",
            "a.b",
            "acme\n",
        ] {
            assert!(!is_slug(bad), "{bad:?}");
        }
    }

    #[test]
    fn atomic_write_refuses_to_clobber_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/file.txt");
        write_atomic(&path, "one", false).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        let err = write_atomic(&path, "two", false).unwrap_err();
        assert!(matches!(err, Error::Exists { .. }), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        write_atomic(&path, "two", true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("file.txt")]);
    }
}
