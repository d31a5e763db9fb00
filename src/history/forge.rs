//! Links to a forge's pages for files, commits and pull requests, derived locally from the
//! `origin` remote's URL (read from git config through [`super::git::GitRepository`]); nothing
//! is fetched. GitHub (`github.com`, or a host whose name starts with `github.`) and GitLab
//! (`gitlab.com`, or a host whose name starts with `gitlab.`) are known; any other URL gives no
//! links, and the reports show plain text. Credentials in the URL are dropped, never shown.

/// Which forge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForgeKind {
    /// GitHub or GitHub Enterprise.
    GitHub,
    /// GitLab.
    GitLab,
}

/// A repository on a forge: its web address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forge {
    /// Which forge.
    pub kind: ForgeKind,
    /// `https://HOST/OWNER/REPO`, without a trailing `/` or `.git`.
    pub base: String,
}

impl Forge {
    /// The forge of a remote URL (`https://github.com/acme/handoffs.git`,
    /// `git@gitlab.com:acme/sales/handoffs.git`, `ssh://git@github.com/acme/handoffs`), or
    /// `None` for another host or a URL it cannot read.
    pub fn from_remote(url: &str) -> Option<Forge> {
        let url = url.trim();
        let (host, path) = if let Some((scheme, rest)) = url.split_once("://") {
            if !matches!(scheme, "https" | "http" | "ssh" | "git" | "git+ssh") {
                return None;
            }
            let (authority, path) = rest.split_once('/')?;
            // user:password@host:port: credentials are dropped, and an ssh port means nothing
            // on the web.
            let host = authority.rsplit('@').next()?;
            let host = match scheme {
                "https" | "http" => host,
                _ => host.split(':').next()?,
            };
            (host, path)
        } else {
            // scp-like: [user@]host:path
            let (authority, path) = url.split_once(':')?;
            if authority.contains('/') {
                return None;
            }
            (authority.rsplit('@').next()?, path)
        };
        let host = host.to_ascii_lowercase();
        let name = host.split(':').next().unwrap_or(&host);
        let kind =
            if name == "github.com" || name == "www.github.com" || name.starts_with("github.") {
                ForgeKind::GitHub
            } else if name == "gitlab.com" || name.starts_with("gitlab.") {
                ForgeKind::GitLab
            } else {
                return None;
            };
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
        let path = path.trim_matches('/');
        let path = path.strip_suffix(".git").unwrap_or(path);
        let segments: Vec<&str> = path.split('/').collect();
        let segments_ok = segments.iter().all(|s| {
            !s.is_empty()
                && *s != "."
                && *s != ".."
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        });
        let count_ok = match kind {
            ForgeKind::GitHub => segments.len() == 2,
            ForgeKind::GitLab => segments.len() >= 2,
        };
        if !host_ok || !segments_ok || !count_ok {
            return None;
        }
        Some(Forge {
            kind,
            base: format!("https://{host}/{}", segments.join("/")),
        })
    }

    fn section(&self) -> &'static str {
        match self.kind {
            ForgeKind::GitHub => "",
            ForgeKind::GitLab => "/-",
        }
    }

    /// The file `path` (relative to the repository root) as of `commit`.
    pub fn file(&self, commit: &str, path: &str) -> String {
        format!(
            "{}{}/blob/{commit}/{}",
            self.base,
            self.section(),
            encode(path)
        )
    }

    /// The commits that changed `path`, up to `commit`: the forge's view of its history.
    pub fn history(&self, commit: &str, path: &str) -> String {
        format!(
            "{}{}/commits/{commit}/{}",
            self.base,
            self.section(),
            encode(path)
        )
    }

    /// One commit.
    pub fn commit(&self, commit: &str) -> String {
        format!("{}{}/commit/{commit}", self.base, self.section())
    }

    /// A pull request (GitHub) or merge request (GitLab).
    pub fn pull_request(&self, number: u64) -> String {
        match self.kind {
            ForgeKind::GitHub => format!("{}/pull/{number}", self.base),
            ForgeKind::GitLab => format!("{}/-/merge_requests/{number}", self.base),
        }
    }

    /// The number of the pull request a commit message says it landed: GitHub's merge
    /// (`Merge pull request #12 from ...`) and squash (`Subject (#12)`) subjects, GitLab's
    /// `See merge request group/project!12` line.
    pub fn request_number(&self, message: &str) -> Option<u64> {
        let subject = message.lines().next().unwrap_or("").trim();
        match self.kind {
            ForgeKind::GitHub => {
                if let Some(rest) = subject.strip_prefix("Merge pull request #") {
                    return number_prefix(rest);
                }
                let inner = subject.strip_suffix(')')?;
                let (_, number) = inner.rsplit_once("(#")?;
                number.parse().ok()
            }
            ForgeKind::GitLab => message.lines().find_map(|line| {
                let rest = line.trim().strip_prefix("See merge request ")?;
                let (_, number) = rest.rsplit_once('!')?;
                number.trim().parse().ok()
            }),
        }
    }
}

/// Links for one ref of one repository: a [`Forge`], the head commit the file links point at,
/// and where the workspace lies in the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// The forge.
    pub forge: Forge,
    /// The head commit (full id): file links show the files as of it.
    pub head: String,
    /// The workspace root relative to the repository root, with `/` (`""`: the same).
    pub root_in_repo: String,
}

impl Links {
    fn in_repo(&self, path: &str) -> String {
        if self.root_in_repo.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.root_in_repo)
        }
    }

    /// The handoff at `path` (relative to the workspace root) as of the head.
    pub fn file(&self, path: &str) -> String {
        self.forge.file(&self.head, &self.in_repo(path))
    }

    /// The forge's list of the commits that changed `path`, up to the head: the web view of
    /// `handoff log PATH`.
    pub fn history(&self, path: &str) -> String {
        self.forge.history(&self.head, &self.in_repo(path))
    }

    /// One commit.
    pub fn commit(&self, commit: &str) -> String {
        self.forge.commit(commit)
    }
}

fn number_prefix(text: &str) -> Option<u64> {
    let digits: &str = &text[..text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len())];
    digits.parse().ok()
}

/// `path` with every byte outside `A-Z a-z 0-9 - . _ ~ /` percent-encoded.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(url: &str) -> Option<String> {
        Forge::from_remote(url).map(|f| f.base)
    }

    #[test]
    fn github_and_gitlab_urls_in_every_form() {
        let acme = Some("https://github.com/acme/handoffs".to_string());
        assert_eq!(base("https://github.com/acme/handoffs.git"), acme);
        assert_eq!(base("https://github.com/acme/handoffs/"), acme);
        assert_eq!(base("git@github.com:acme/handoffs.git"), acme);
        assert_eq!(base("ssh://git@github.com:22/acme/handoffs.git"), acme);
        assert_eq!(
            base("https://x-access-token:secret@github.com/acme/handoffs"),
            acme
        );
        assert_eq!(
            base("git@gitlab.com:acme/sales/handoffs.git"),
            Some("https://gitlab.com/acme/sales/handoffs".to_string())
        );
        assert_eq!(
            base("https://gitlab.example.com:8443/ops/handoffs"),
            Some("https://gitlab.example.com:8443/ops/handoffs".to_string())
        );
    }

    #[test]
    fn other_hosts_and_odd_urls_give_no_forge() {
        for url in [
            "https://bitbucket.org/acme/handoffs.git",
            "/srv/git/handoffs.git",
            "file:///srv/git/handoffs",
            "https://github.com/acme",
            "https://github.com/acme/handoffs/extra",
            "https://github.com/acme/<script>",
            "https://github.com/../handoffs",
            "",
        ] {
            assert_eq!(base(url), None, "{url}");
        }
    }

    #[test]
    fn links_and_request_numbers() {
        let github = Forge::from_remote("git@github.com:acme/handoffs.git").unwrap();
        assert_eq!(
            github.file("abc", "handoffs/sales-cs/a b.yaml"),
            "https://github.com/acme/handoffs/blob/abc/handoffs/sales-cs/a%20b.yaml"
        );
        assert_eq!(
            github.commit("abc"),
            "https://github.com/acme/handoffs/commit/abc"
        );
        assert_eq!(
            github.pull_request(7),
            "https://github.com/acme/handoffs/pull/7"
        );
        assert_eq!(
            github.request_number("Merge pull request #12 from acme/x\n\nbody"),
            Some(12)
        );
        assert_eq!(github.request_number("Add Acme handoff (#31)"), Some(31));
        assert_eq!(github.request_number("Add Acme handoff"), None);
        let gitlab = Forge::from_remote("https://gitlab.com/acme/handoffs").unwrap();
        assert_eq!(
            gitlab.history("abc", "handoffs/x.yaml"),
            "https://gitlab.com/acme/handoffs/-/commits/abc/handoffs/x.yaml"
        );
        assert_eq!(
            gitlab.request_number(
                "Merge branch 'x' into 'main'\n\nSee merge request acme/handoffs!9"
            ),
            Some(9)
        );
        assert_eq!(
            gitlab.pull_request(9),
            "https://gitlab.com/acme/handoffs/-/merge_requests/9"
        );
    }
}
