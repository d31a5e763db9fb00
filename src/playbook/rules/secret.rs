//! HO203 `secret`: passwords, API keys, tokens and private keys in the source text (values and
//! comments alike): well-known token shapes (AWS, GitHub, Slack, Stripe, Google), private key
//! headers, credentials in URLs, and `password: ...` / `api_key=...` assignments. The secret
//! itself never appears in the message.

use std::sync::LazyLock;

use regex::Regex;

use super::{Rule, RuleContext, SourceLines};
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::playbook::score::is_placeholder;

/// The rule's doc, printed by `handoff explain HO203`.
pub const DOC: &str = "## What it checks
The whole file, comments included, for credentials:

- token shapes: AWS access key ids (`AKIA…`), GitHub tokens (`ghp_…`, `github_pat_…`), Slack
  tokens (`xoxb-…`), Stripe live keys (`sk_live_…`), Google API keys (`AIza…`);
- private key blocks (`-----BEGIN … PRIVATE KEY-----`);
- credentials in a URL (`https://user:secret@host`);
- `password: …`, `passwd=…`, `pwd: …` followed by a value (not a placeholder such as `TBD` or
  `<in 1Password>`; a plain word followed by more prose, as in \"no password: users sign in with
  SSO\", is not taken for a password);
- `api_key`, `access_token`, `auth_token`, `client_secret`, `secret_key` assignments whose value
  is 16+ characters mixing letters and digits.

The finding names the line and column and what kind of secret it is, never the secret.

## Why it matters
Everyone who can read the repository can use a credential written in it, and git keeps it in the
history after it is deleted. Treat it as leaked: rotate it, then remove it. Share access through
the password manager and write where to find it (\"admin login: in 1Password, vault Acme\").

## Example
```yaml
technical:
  environment: Sandbox at acme.example, password: Winter2026!   # error: a password
```
";

/// Token shapes that are secrets wherever they appear.
static TOKENS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"(?-u:\b)(?:AKIA|ASIA)[0-9A-Z]{16}(?-u:\b)",
            "an AWS access key id",
        ),
        (
            r"(?-u:\b)gh[pousr]_[A-Za-z0-9]{36,255}(?-u:\b)",
            "a GitHub token",
        ),
        (
            r"(?-u:\b)github_pat_[A-Za-z0-9_]{22,255}(?-u:\b)",
            "a GitHub token",
        ),
        (r"(?-u:\b)xox[abposr]-[A-Za-z0-9-]{10,}", "a Slack token"),
        (r"(?-u:\b)[rs]k_live_[A-Za-z0-9]{16,}", "a Stripe live key"),
        (r"(?-u:\b)AIza[0-9A-Za-z_\-]{35}", "a Google API key"),
        (
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
            "a private key",
        ),
        (
            r"(?-u:\b)[a-z][a-z0-9+.\-]*://[^\s/:@]+:[^\s/@]+@",
            "credentials in a URL",
        ),
    ]
    .into_iter()
    .map(|(pattern, what)| (Regex::new(pattern).expect("valid regex"), what))
    .collect()
});

/// `password: value` and its spellings; the value is checked separately.
static PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?-u:\b)(?:password|passwd|pwd|passcode)["']?[ \t]*[:=][ \t]*["']?([^\s"'#,;]+)"#,
    )
    .expect("valid regex")
});

/// `api_key = value` and its relatives.
static KEY_ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?-u:\b)(?:api[_-]?key|api[_-]?token|access[_-]?token|auth[_-]?token|client[_-]?secret|secret[_-]?key)["']?[ \t]*[:=][ \t]*["']?([A-Za-z0-9_\-./+=]{16,})"#)
        .expect("valid regex")
});

/// Finds secrets in the source.
pub fn check(rule: &Rule, _context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let source = document.source.as_str();
    let lines = SourceLines::new(source);
    // (byte range, what): one finding per secret, whichever pattern saw it first.
    let mut hits: Vec<(usize, usize, &str)> = Vec::new();
    let mut add = |start: usize, end: usize, what: &'static str| {
        if !hits.iter().any(|&(s, e, _)| start < e && s < end) {
            hits.push((start, end, what));
        }
    };
    for (pattern, what) in TOKENS.iter() {
        for hit in pattern.find_iter(source) {
            add(hit.start(), hit.end(), what);
        }
    }
    for caps in PASSWORD.captures_iter(source) {
        let Some(value) = caps.get(1) else { continue };
        let after = &source[value.end()..];
        let rest = &after[..after.find('\n').unwrap_or(after.len())];
        if looks_like_password(value.as_str(), rest) {
            add(value.start(), value.end(), "a password");
        }
    }
    for caps in KEY_ASSIGNMENT.captures_iter(source) {
        let Some(value) = caps.get(1) else { continue };
        let text = value.as_str();
        if text.chars().any(|c| c.is_ascii_digit()) && text.chars().any(|c| c.is_ascii_alphabetic())
        {
            add(value.start(), value.end(), "an API key or token");
        }
    }
    hits.sort();
    hits.into_iter()
        .map(|(start, end, what)| {
            lines.at(start, end).diagnostic(
                rule,
                format!("{what} must not be in a handoff (it is readable by everyone with the repository, forever)"),
            )
        })
        .collect()
}

/// Whether the word after `password:` is a password rather than a placeholder or prose.
fn looks_like_password(value: &str, rest_of_line: &str) -> bool {
    let lower = value.to_lowercase();
    if value.chars().count() < 4
        || is_placeholder(value)
        || value.starts_with(['<', '[', '{', '$', '*'])
        || [
            "none",
            "null",
            "redacted",
            "hidden",
            "required",
            "protected",
            "manager",
            "vault",
        ]
        .contains(&lower.as_str())
    {
        return false;
    }
    let plain_word = value.chars().all(|c| c.is_ascii_lowercase());
    let more_prose = rest_of_line
        .split('#')
        .next()
        .is_some_and(|before_comment| before_comment.split_whitespace().next().is_some());
    !(plain_word && more_prose)
}

#[cfg(test)]
mod tests {

    fn run(text: &str) -> Vec<(usize, usize, usize, String)> {
        crate::playbook::rules::testing::on_text("HO203", text)
            .into_iter()
            .map(|d| {
                (
                    d.line,
                    d.column,
                    d.redact.unwrap_or(0),
                    d.message
                        .split(" must")
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn token_shapes() {
        let cases = [
            ("a: AKIAIOSFODNN7EXAMPLE\n", "an AWS access key id"),
            (
                "a: ghp_0123456789abcdefghijABCDEFGHIJ012345\n",
                "a GitHub token",
            ),
            ("a: xoxb-123456789012-abcdefABCDEF\n", "a Slack token"),
            ("a: sk_live_4eC39HqLyjWDarjtT1zdp7dc\n", "a Stripe live key"),
            ("a: '-----BEGIN RSA PRIVATE KEY-----'\n", "a private key"),
            (
                "a: https://admin:s3cret@crm.acme.example/api\n",
                "credentials in a URL",
            ),
        ];
        for (text, what) in cases {
            let found = run(text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].3, what, "{text}");
            assert_eq!(found[0].0, 1);
        }
    }

    #[test]
    fn passwords_and_key_assignments_name_the_value_position() {
        // The value starts at column 39 and is 11 characters long.
        assert_eq!(
            run("a: Sandbox at acme.example, password: Winter2026!\n"),
            [(1, 39, 11, "a password".to_string())]
        );
        assert_eq!(
            run("a: 1  # pwd=letmein\n"),
            [(1, 13, 7, "a password".to_string())]
        );
        assert_eq!(
            run("a: api_key=9f8e7d6c5b4a39281706f5e4\n"),
            [(1, 12, 24, "an API key or token".to_string())]
        );
    }

    #[test]
    fn placeholders_prose_and_plain_mentions_pass() {
        for text in [
            "a: password: TBD\n",
            "a: 'password: <in 1Password, vault Acme>'\n",
            "a: no password: users sign in with Okta SSO\n",
            "a: password reset flow via Okta\n",
            "a: password policy: 12 characters\n",
            "a: api_key=short\n",
            "a: api_key=abcdefghijklmnopqrstuvwx\n",
            // A value on the next line is another field, not this key's value.
            "password:\n  hunter22\n",
        ] {
            assert!(run(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn one_finding_per_secret() {
        assert_eq!(run("a: api_key=AKIAIOSFODNN7EXAMPLE\n").len(), 1);
    }
}
