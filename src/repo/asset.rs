//! The one reader of repository assets (`handoff.toml`, the roster, playbooks and their
//! archives, schemas, templates, `reviews/*.yaml`, `.mailmap`): every file a pull request can
//! change that is not a handoff. An asset is read only from a regular file inside the
//! repository root: no path component may be a symbolic link (the last one is also opened with
//! `O_NOFOLLOW`, so a link swapped in between the check and the open is refused too), a FIFO or
//! device is refused before a byte is read (opened with `O_NONBLOCK` and checked with `fstat`,
//! so a pipe cannot block the gate), and at most [`ASSET_SIZE_CAP`] bytes are read. Errors name
//! the path and never quote the file's content.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// The largest asset read, in bytes. Assets are written by hand: a 4 MiB roster holds tens of
/// thousands of people, and the cap keeps `roster = "/dev/zero"`-like files from growing
/// without bound.
pub const ASSET_SIZE_CAP: u64 = 4 * 1024 * 1024;

/// `relative` with `.` dropped and `..` applied, or `None` when it is absolute or climbs above
/// the root (`../x`, `a/../../x`).
pub fn normalise(relative: &Path) -> Option<PathBuf> {
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// `path` relative to `root`, with `/` (for messages).
fn shown(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn refused(relative: &Path, why: &str) -> Error {
    Error::Asset {
        path: shown(relative),
        message: format!(
            "{why}; a repository file is read only from a regular file inside the repository \
             (replace it with the file itself)"
        ),
    }
}

/// Checks that no component of `relative` under `root` is a symbolic link. `Ok(false)` when a
/// component does not exist (the asset is absent).
pub fn check_components(root: &Path, relative: &Path) -> Result<bool> {
    let mut path = root.to_path_buf();
    let mut walked = PathBuf::new();
    for component in relative.components() {
        path.push(component);
        walked.push(component);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(refused(
                    &walked,
                    "a symbolic link: not followed (it could point outside the repository)",
                ));
            }
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound || is_not_a_directory(&err) => {
                // Absent, or a parent is a plain file (ENOTDIR): there is no such asset.
                return Ok(false);
            }
            Err(err) => return Err(Error::io(path, "cannot read", err)),
        }
    }
    Ok(true)
}

/// Reads the asset at `relative` (a path relative to `root`) as UTF-8 text: `Ok(None)` when it
/// does not exist; an error naming it when the path leaves the root, goes through a symbolic
/// link, is not a regular file, is over [`ASSET_SIZE_CAP`], or is not UTF-8.
pub fn read(root: &Path, relative: &Path) -> Result<Option<String>> {
    read_capped(root, relative, ASSET_SIZE_CAP)
}

/// [`read`] with another size cap.
pub fn read_capped(root: &Path, relative: &Path, cap: u64) -> Result<Option<String>> {
    let Some(relative) = normalise(relative) else {
        return Err(refused(
            relative,
            "outside the repository (an absolute path, or `..` above the root)",
        ));
    };
    if relative.as_os_str().is_empty() || !check_components(root, &relative)? {
        return Ok(None);
    }
    let path = root.join(&relative);
    let file = match open_no_follow(&path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        // ELOOP: the last component became a link after the check.
        Err(err) if is_loop(&err) => {
            return Err(refused(
                &relative,
                "a symbolic link: not followed (it could point outside the repository)",
            ))
        }
        Err(err) => return Err(Error::io(path, "cannot read", err)),
    };
    let meta = file
        .metadata()
        .map_err(|err| Error::io(path.clone(), "cannot read", err))?;
    if !meta.is_file() {
        return Err(refused(
            &relative,
            "not a regular file (a folder, pipe, socket or device); it was not read",
        ));
    }
    let too_large = || Error::Asset {
        path: shown(&relative),
        message: format!(
            "larger than {cap} bytes, the most read from a repository file; make it smaller"
        ),
    };
    if meta.len() > cap {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // One byte over the cap tells a file that grew since the check.
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| Error::io(path.clone(), "cannot read", err))?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|err| Error::Asset {
            path: shown(&relative),
            message: format!(
                "not UTF-8 text (an invalid byte at offset {}); save it as UTF-8",
                err.utf8_error().valid_up_to()
            ),
        })
}

/// The entries of the folder `relative` under `root` (sorted file names), `None` when it does
/// not exist; an error when the folder (or a parent) is a symbolic link.
pub fn list_dir(root: &Path, relative: &Path) -> Result<Option<Vec<String>>> {
    let Some(relative) = normalise(relative) else {
        return Err(refused(
            relative,
            "outside the repository (an absolute path, or `..` above the root)",
        ));
    };
    if !check_components(root, &relative)? {
        return Ok(None);
    }
    let path = root.join(&relative);
    let entries = match std::fs::read_dir(&path) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound || is_not_a_directory(&err) => {
            return Ok(None)
        }
        Err(err) => return Err(Error::io(path, "cannot read", err)),
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    Ok(Some(names))
}

/// Refuses a folder the tool writes into (`reviews/`) when it, or a parent inside the root, is
/// a symbolic link: a write must land inside the repository.
pub fn check_writable_dir(root: &Path, relative: &Path) -> Result<()> {
    let Some(relative) = normalise(relative) else {
        return Err(refused(relative, "outside the repository"));
    };
    check_components(root, &relative)
        .map(drop)
        .map_err(|_| Error::Asset {
            path: shown(&relative),
            message: "a symbolic link (or under one): not written through (it could point outside \
                  the repository); replace it with a folder"
                .into(),
        })
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

/// A parser's message (serde, YAML, TOML, JSON, JSON Schema) without the values it quotes, so
/// that a parse error of a credential file cannot print the credential. Kept: the position
/// (`line 3 column 5`), the kind of problem, field and key names (``unknown field `x` ``,
/// ``duplicate key `x` ``) and what was expected (from the tool's own types). Dropped: every
/// `"..."` (serde quotes strings with `{:?}`), every `` `...` `` that is not a field or key name
/// nor in the `expected` clause (serde's ``integer `5` ``, ``unknown variant `x` ``), and
/// everything from a newline on (a TOML error's source excerpt).
pub fn value_free(message: &str) -> String {
    let message = message.lines().next().unwrap_or_default();
    let mut out = String::with_capacity(message.len());
    let mut chars = message.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' | '\'' if c == '"' || starts_quote(&message[..at]) => {
                let mut escaped = false;
                for (_, next) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if next == '\\' {
                        escaped = true;
                    } else if next == c {
                        break;
                    }
                }
                trim_trailing_space(&mut out);
            }
            '`' => {
                let before = &message[..at];
                let keep = before.trim_end().ends_with("field")
                    || before.trim_end().ends_with("fields")
                    || before.trim_end().ends_with("key")
                    || before.contains("expected");
                let mut quoted = String::new();
                for (_, next) in chars.by_ref() {
                    if next == '`' {
                        break;
                    }
                    quoted.push(next);
                }
                if keep {
                    out.push('`');
                    out.push_str(&quoted);
                    out.push('`');
                } else {
                    trim_trailing_space(&mut out);
                }
            }
            _ => out.push(c),
        }
    }
    out.trim().to_string()
}

/// A parser's error as `line L, column C: message`, value-free (see [`value_free`]), when the
/// parser gives a position (serde's YAML errors also end with `at line L column C`: dropped).
pub fn parse_error(message: &str, line_column: Option<(usize, usize)>) -> String {
    let message = value_free(message);
    match line_column {
        Some((line, column)) => {
            let suffix = format!(" at line {line} column {column}");
            let message = message.replacen(&suffix, "", 1);
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

/// A `'` that opens a quotation (after a space or at the start), not an apostrophe.
fn starts_quote(before: &str) -> bool {
    before.is_empty() || before.ends_with([' ', '(', ':'])
}

fn trim_trailing_space(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
}

#[cfg(unix)]
fn is_not_a_directory(err: &std::io::Error) -> bool {
    err.raw_os_error() == Some(libc::ENOTDIR)
}

#[cfg(unix)]
fn is_loop(err: &std::io::Error) -> bool {
    err.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_not_a_directory(_: &std::io::Error) -> bool {
    false
}

#[cfg(not(unix))]
fn is_loop(_: &std::io::Error) -> bool {
    false
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_messages_lose_their_values() {
        assert_eq!(
            value_free(
                "invalid type: string \"root:x:0:0:root:/root:/bin/bash\", expected struct Roster at line 1 column 1"
            ),
            "invalid type: string, expected struct Roster at line 1 column 1"
        );
        assert_eq!(
            value_free(
                "unknown variant `hunter2`, expected `ok` or `needs-work` at line 3 column 12"
            ),
            "unknown variant, expected `ok` or `needs-work` at line 3 column 12"
        );
        assert_eq!(
            value_free("unknown field `pasword`, expected one of `name`, `email`"),
            "unknown field `pasword`, expected one of `name`, `email`"
        );
        assert_eq!(
            value_free("invalid type: integer `4111`, expected a string"),
            "invalid type: integer, expected a string"
        );
        assert_eq!(
            value_free("'ghp_secret' is not valid under any of the schemas"),
            "is not valid under any of the schemas"
        );
        assert_eq!(
            value_free("duplicate key `roster`"),
            "duplicate key `roster`"
        );
        assert_eq!(value_free("it's fine\n1 | token = x"), "it's fine");
    }

    #[test]
    fn parse_errors_lead_with_their_position() {
        assert_eq!(
            parse_error(
                "unknown variant `x`, expected `ok` at line 3 column 12",
                Some((3, 12))
            ),
            "line 3, column 12: unknown variant, expected `ok`"
        );
        assert_eq!(parse_error("EOF", None), "EOF");
    }

    #[test]
    fn paths_are_normalised_inside_the_root() {
        assert_eq!(normalise(Path::new("a/./b")), Some(PathBuf::from("a/b")));
        assert_eq!(normalise(Path::new("a/../b")), Some(PathBuf::from("b")));
        assert_eq!(normalise(Path::new("a/../../b")), None);
        assert_eq!(normalise(Path::new("../b")), None);
        assert_eq!(normalise(Path::new("/etc/passwd")), None);
    }

    #[test]
    fn an_absent_asset_is_none_and_a_present_one_is_read() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path(), Path::new("x/y.yaml")).unwrap(), None);
        std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
        assert_eq!(
            read(dir.path(), Path::new("a.yaml")).unwrap().as_deref(),
            Some("a: 1\n")
        );
        // A parent that is a file: absent, not an error.
        assert_eq!(read(dir.path(), Path::new("a.yaml/b")).unwrap(), None);
    }

    #[test]
    fn an_oversized_asset_is_refused_without_its_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.yaml"), "secret-value ".repeat(100)).unwrap();
        let err = read_capped(dir.path(), Path::new("big.yaml"), 64)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("big.yaml: larger than 64 bytes"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn links_and_pipes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::fs::write(dir.path().join("real/a.yaml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
        let err = read(dir.path(), Path::new("link/a.yaml")).unwrap_err();
        assert!(
            err.to_string().starts_with("link: a symbolic link"),
            "{err}"
        );
        std::os::unix::fs::symlink("real/a.yaml", dir.path().join("b.yaml")).unwrap();
        let err = read(dir.path(), Path::new("b.yaml")).unwrap_err();
        assert!(
            err.to_string().starts_with("b.yaml: a symbolic link"),
            "{err}"
        );
        let fifo = dir.path().join("pipe.yaml");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
        let err = read(dir.path(), Path::new("pipe.yaml")).unwrap_err();
        assert!(
            err.to_string().starts_with("pipe.yaml: not a regular file"),
            "{err}"
        );
        let err = list_dir(dir.path(), Path::new("link")).unwrap_err();
        assert!(
            err.to_string().starts_with("link: a symbolic link"),
            "{err}"
        );
    }
}
