//! HO203 `secret`: passwords, API keys, tokens and private keys in the source text (values and
//! comments alike): the token shapes of `secret_rules/tokens.toml` (a reviewed subset of
//! gitleaks' default rules, MIT, with a keyword prefilter), private key blocks, credentials in
//! URLs, `password: ...` / `api_key=...` assignments and passwords in prose. The secret itself
//! never appears in the message, and reports mask it.

use std::sync::{LazyLock, OnceLock};

use aho_corasick::AhoCorasick;
use regex::Regex;
use serde::Deserialize;

use super::{Claimed, Rule, RuleContext, SourceLines};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::playbook::score::is_placeholder;

/// The rule's doc, printed by `handoff explain HO203`.
pub const DOC: &str = "## What it checks
The whole file, comments included, for credentials:

- token shapes, most from gitleaks' maintained default rules (MIT; a reviewed subset is embedded
  with its keyword prefilter): AWS access key ids and `aws_secret_access_key = …`; GitHub
  (`ghp_…`, `github_pat_…`) and GitLab (`glpat-…`, deploy, runner and trigger tokens); Slack
  tokens (`xoxb-…`, `xapp-…`) and webhook URLs, Microsoft Teams webhook URLs; Stripe and Square
  keys; Google API keys (`AIza…`); private key blocks (`-----BEGIN … PRIVATE KEY-----` to its
  `END` line, all masked); JSON Web Tokens (`eyJ….eyJ….…`); `Authorization: Bearer|Basic|Token …`
  and other bearer tokens; Azure storage `AccountKey=`, `SharedAccessKey=` and SAS `sig=`, Azure
  AD client secrets; Salesforce access and refresh tokens; HubSpot private app tokens
  (`pat-na1-…`) and API keys; Atlassian (Jira, Confluence), Okta, Zendesk, Intercom, Datadog,
  Mailchimp, Mailgun, SendGrid, Twilio, OpenAI, Anthropic, npm, PyPI, Shopify, DigitalOcean,
  Postman, Linear, Notion, Heroku, 1Password secret keys, HashiCorp Vault, Hugging Face,
  Databricks, Grafana, Sentry, Doppler, age and Telegram tokens. The rule ids, in order:
  aws-access-token, aws-secret-access-key, github-pat, github-fine-grained-pat, gitlab-pat,
  gitlab-tokens, gitlab-ptt, gitlab-rrt, slack-token, slack-app-token, slack-webhook-url,
  microsoft-teams-webhook, stripe-access-token, square-access-token, gcp-api-key, private-key,
  private-key-header, jwt, authorization-header, bearer-token, azure-storage-account-key,
  azure-shared-access-key, azure-ad-client-secret, salesforce-access-token,
  salesforce-refresh-token, hubspot-private-app-token, hubspot-api-key, atlassian-api-token,
  atlassian-api-token-near, okta-access-token, zendesk-secret-key, intercom-api-key,
  datadog-access-token, mailchimp-api-key, mailgun-private-api-token, sendgrid-api-token,
  twilio-api-key, openai-api-key, anthropic-api-key, npm-access-token, pypi-upload-token,
  shopify-token, digitalocean-token, postman-api-token, linear-api-key, notion-api-token,
  heroku-api-key-v2, 1password-secret-key, vault-token, huggingface-access-token,
  databricks-api-token, grafana-token, sentry-user-token, doppler-api-token, age-secret-key,
  telegram-bot-api-token;
- credentials in a URL (`https://user:secret@host`);
- `password: …`, `passwd=…`, `pwd: …`, `pw: …` followed by a value (not a placeholder such as
  `TBD` or `<in 1Password>`; a plain word followed by more prose, as in \"no password: users sign
  in with SSO\", is not taken for a password);
- passwords in prose: \"the admin password is hunter2\" (the word after `password is` must hold a
  digit or a symbol: \"the password is managed in Okta\" passes);
- `api_key`, `access_token`, `auth_token`, `client_secret`, `secret_key` assignments whose value
  is 16+ characters mixing letters and digits.

A card or id number inside a token (the digits of a Slack token) is part of the token: one
finding. The finding names the line and column and what kind of secret it is, never the secret;
the human report masks every secret on every source line it shows.

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

/// The rule, declared once (HO203 `secret`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO203",
    name: "secret",
    severity: Severity::Error,
    configurable: true,
    summary: "A password, API key, token or private key is in the file.",
    fix: "delete it, rotate it (git history keeps it), and point to the password manager entry instead",
    doc: DOC,
    check: Some(check),
};

/// The token shapes, embedded: a reviewed subset of gitleaks' default rules and a few of our
/// own (`secret_rules/tokens.toml`, with gitleaks' license beside it).
const TOKENS_TOML: &str = include_str!("secret_rules/tokens.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenFile {
    token: Vec<TokenSpec>,
}

/// One rule as written in the asset (see its header for the keys).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenSpec {
    id: String,
    #[allow(dead_code)]
    from: String,
    what: String,
    keywords: Vec<String>,
    regex: Option<String>,
    near: Option<String>,
    value: Option<String>,
    #[serde(default)]
    needs_digit: bool,
    #[allow(dead_code)]
    example: String,
}

/// A compiled token shape.
struct TokenRule {
    id: String,
    what: String,
    /// The pattern, compiled the first time a file holds one of the rule's keywords (most
    /// runs need few of the 56: a one-file lint should not compile them all).
    pattern: String,
    regex: OnceLock<Regex>,
    needs_digit: bool,
}

impl TokenRule {
    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            // The unit tests compile every rule and run its example.
            Regex::new(&self.pattern).unwrap_or_else(|err| panic!("{}: {err}", self.id))
        })
    }
}

/// The checks beyond the token shapes, each gated by keywords of its own in the same
/// prefilter pass: their indexes in `enabled` follow the token rules'.
#[derive(Clone, Copy)]
enum Heuristic {
    /// `://`: credentials in a URL.
    Url = 0,
    /// `password`, `passwd`, `passcode`, `pw` (and so `pwd`): `password: value` and passwords
    /// in prose.
    Password = 1,
    /// `api_key`, `access_token`, `client_secret`, ... (each with `_`, `-` or nothing):
    /// `api_key = value` and its relatives.
    KeyAssignment = 2,
}

/// How many [`Heuristic`]s there are.
const HEURISTICS: usize = 3;

/// Each heuristic's keywords: the words its pattern starts with, spelled out (`api[_-]?key` is
/// `apikey`, `api_key`, `api-key`), so that it runs only on a file that holds one.
const HEURISTIC_KEYWORDS: [(&str, Heuristic); 23] = [
    ("://", Heuristic::Url),
    ("password", Heuristic::Password),
    ("passwd", Heuristic::Password),
    ("passcode", Heuristic::Password),
    ("pw", Heuristic::Password),
    ("apikey", Heuristic::KeyAssignment),
    ("api_key", Heuristic::KeyAssignment),
    ("api-key", Heuristic::KeyAssignment),
    ("apitoken", Heuristic::KeyAssignment),
    ("api_token", Heuristic::KeyAssignment),
    ("api-token", Heuristic::KeyAssignment),
    ("accesstoken", Heuristic::KeyAssignment),
    ("access_token", Heuristic::KeyAssignment),
    ("access-token", Heuristic::KeyAssignment),
    ("authtoken", Heuristic::KeyAssignment),
    ("auth_token", Heuristic::KeyAssignment),
    ("auth-token", Heuristic::KeyAssignment),
    ("clientsecret", Heuristic::KeyAssignment),
    ("client_secret", Heuristic::KeyAssignment),
    ("client-secret", Heuristic::KeyAssignment),
    ("secretkey", Heuristic::KeyAssignment),
    ("secret_key", Heuristic::KeyAssignment),
    ("secret-key", Heuristic::KeyAssignment),
];

/// The compiled shapes and their keyword prefilter (one pass over the text says which shapes
/// can match at all).
struct Tokens {
    rules: Vec<TokenRule>,
    keywords: AhoCorasick,
    /// For each keyword pattern, the rule it enables.
    keyword_rule: Vec<usize>,
}

static TOKENS: LazyLock<Tokens> = LazyLock::new(|| {
    // The asset is part of the binary; the unit tests compile every rule and run its example.
    let file: TokenFile = toml::from_str(TOKENS_TOML).expect("secret_rules/tokens.toml parses");
    let mut rules = Vec::new();
    let mut keywords = Vec::new();
    let mut keyword_rule = Vec::new();
    for spec in file.token {
        let pattern = match (&spec.regex, &spec.near, &spec.value) {
            (Some(regex), None, None) => format!("(?m){regex}"),
            // gitleaks' "keyword ... = value" form, its secret followed by a delimiter.
            (None, Some(near), Some(value)) => format!(
                r#"(?im)(?:{near})[A-Za-z0-9_ .\t-]{{0,20}}["']{{0,3}}[ \t]*(?:=>|:=|=|:)[ \t"'=`]{{0,5}}({value})(?:[`'"\s;,]|$)"#
            ),
            _ => panic!("{}: give `regex`, or `near` and `value`", spec.id),
        };
        for keyword in &spec.keywords {
            keywords.push(keyword.clone());
            keyword_rule.push(rules.len());
        }
        rules.push(TokenRule {
            id: spec.id,
            what: spec.what,
            pattern,
            regex: OnceLock::new(),
            needs_digit: spec.needs_digit,
        });
    }
    for (keyword, heuristic) in HEURISTIC_KEYWORDS {
        keywords.push(keyword.to_string());
        keyword_rule.push(rules.len() + heuristic as usize);
    }
    // A DFA: the overlapping search visits every byte once (the keywords are short and
    // common enough, e.g. `sk`, that a prefilter finds candidates everywhere), and at a
    // table lookup per byte it is several times faster than the default NFA.
    let keywords = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(&keywords)
        .expect("keywords build");
    Tokens {
        rules,
        keywords,
        keyword_rule,
    }
});

/// Credentials in a URL (`https://user:secret@host`).
static URL_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[a-z][a-z0-9+.\-]*://[^\s/:@]+:([^\s/@]+)@").expect("valid regex")
});

/// `password: value` and its spellings; the value is checked separately.
static PASSWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?-u:\b)(?:password|passwd|pwd|passcode|pw)["']?[ \t]*[:=][ \t]*["']?([^\s"'#,;]+)"#,
    )
    .expect("valid regex")
});

/// Prose: "the admin password is hunter2".
static PASSWORD_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?-u:\b)(?:password|passwd|passcode|pw)[ \t]+(?:is|was)[ \t]+["']?([^\s"'#,;]+)"#,
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
    // One finding per secret, whichever shape saw it first (the asset's order, then the
    // heuristics): the claimed ranges answer an overlap in O(log n).
    let mut claimed = Claimed::default();
    let mut hits: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut add = |start: usize, end: usize, what: &'static str| {
        if claimed.claim(start, end) {
            hits.push((start, end, what));
        }
    };
    let tokens = &*TOKENS;
    let mut enabled = vec![false; tokens.rules.len() + HEURISTICS];
    for found in tokens.keywords.find_overlapping_iter(source) {
        enabled[tokens.keyword_rule[found.pattern().as_usize()]] = true;
    }
    for (token, _) in tokens.rules.iter().zip(&enabled).filter(|(_, on)| **on) {
        for caps in token.regex().captures_iter(source) {
            // The secret is the first group that took part, else the whole match.
            let Some(secret) = caps.iter().skip(1).flatten().next().or_else(|| caps.get(0)) else {
                continue;
            };
            if token.needs_digit && !mixes_letters_and_digits(secret.as_str()) {
                continue;
            }
            add(secret.start(), secret.end(), what_of(token));
        }
    }
    // The heuristics' patterns are case-insensitive in Unicode's sense (`ſ` matches `s`), the
    // keyword pass in ASCII's: a text that is not all ASCII runs them all.
    let ascii = source.is_ascii();
    let wanted = |heuristic: Heuristic| !ascii || enabled[tokens.rules.len() + heuristic as usize];
    if wanted(Heuristic::Url) {
        for caps in URL_CREDENTIALS.captures_iter(source) {
            if let Some(secret) = caps.get(1) {
                add(secret.start(), secret.end(), "credentials in a URL");
            }
        }
    }
    if wanted(Heuristic::Password) {
        for caps in PASSWORD.captures_iter(source) {
            let Some(value) = caps.get(1) else { continue };
            let after = &source[value.end()..];
            let rest = &after[..after.find('\n').unwrap_or(after.len())];
            if looks_like_password(value.as_str(), rest) {
                add(value.start(), value.end(), "a password");
            }
        }
        for caps in PASSWORD_PROSE.captures_iter(source) {
            let Some(value) = caps.get(1) else { continue };
            let word = value.as_str().trim_end_matches(['.', '!', '?', ')']);
            // In prose a password is only trusted when it is not a plain word.
            if word.chars().any(|c| !c.is_alphabetic()) && looks_like_password(value.as_str(), "") {
                add(value.start(), value.end(), "a password");
            }
        }
    }
    if wanted(Heuristic::KeyAssignment) {
        for caps in KEY_ASSIGNMENT.captures_iter(source) {
            let Some(value) = caps.get(1) else { continue };
            if mixes_letters_and_digits(value.as_str()) {
                add(value.start(), value.end(), "an API key or token");
            }
        }
    }
    hits.sort_unstable();
    hits.into_iter()
        .map(|(start, end, what)| {
            lines.at(start, end).diagnostic(
                rule,
                format!("{what} must not be in a handoff (it is readable by everyone with the repository, forever)"),
            )
        })
        .collect()
}

/// The static name of a token rule's kind (the rules live as long as the program).
fn what_of(token: &'static TokenRule) -> &'static str {
    token.what.as_str()
}

/// The ids of the embedded token shapes, in order (for `handoff explain HO203` and tests).
pub fn token_ids() -> Vec<&'static str> {
    TOKENS.rules.iter().map(|t| t.id.as_str()).collect()
}

fn mixes_letters_and_digits(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit()) && text.chars().any(|c| c.is_ascii_alphabetic())
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
            (
                "a: sk_live_4eC39HqLyjWDarjtT1zdp7dc\n",
                "a Stripe secret key",
            ),
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
    fn the_keyword_pass_gates_the_heuristics_without_missing_a_spelling() {
        // Capitals pass the ASCII keyword pass as the case-insensitive patterns do.
        assert_eq!(
            run("a: PASSWORD: Winter2026!\n"),
            [(1, 14, 11, "a password".to_string())]
        );
        assert_eq!(
            run("a: see https://admin:s3cret@crm.acme.example\n"),
            [(1, 22, 6, "credentials in a URL".to_string())]
        );
        // `ſ` (long s) folds to `s` in the patterns but not in an ASCII keyword pass: a text
        // that is not all ASCII runs every heuristic.
        assert_eq!(
            run("a: paſſword: Winter2026!\n"),
            [(1, 14, 11, "a password".to_string())]
        );
        assert_eq!(
            run("a: Client_Secret = 9f8e7d6c5b4a39281706f5e4\n"),
            [(1, 20, 24, "an API key or token".to_string())]
        );
        assert!(run("a: nothing to see, no pass word here\n").is_empty());
        // Every spelling the key-assignment pattern takes passes the keyword pass.
        for word in ["api", "access", "auth", "client", "secret"] {
            let nouns: &[&str] = match word {
                "api" => &["key", "token"],
                "access" | "auth" => &["token"],
                "client" => &["secret"],
                _ => &["key"],
            };
            for noun in nouns {
                for separator in ["", "_", "-"] {
                    let key = format!("{word}{separator}{noun}").to_uppercase();
                    let found = run(&format!("a: {key}=9f8e7d6c5b4a39281706f5e4\n"));
                    assert_eq!(found.len(), 1, "{key}");
                    assert_eq!(found[0].3, "an API key or token", "{key}");
                }
            }
        }
        for word in ["password", "passwd", "pwd", "passcode", "pw"] {
            let found = run(&format!("a: {}: Winter2026!\n", word.to_uppercase()));
            assert_eq!(found.len(), 1, "{word}");
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
    fn every_embedded_shape_compiles_and_finds_its_example() {
        let file: super::TokenFile = toml::from_str(super::TOKENS_TOML).expect("asset parses");
        assert!(file.token.len() >= 40, "{}", file.token.len());
        for spec in &file.token {
            let text = format!("a: {}\n", spec.example);
            let found = run(&text);
            assert_eq!(found.len(), 1, "{}: {found:?} in {text}", spec.id);
            assert!(
                found[0].2 >= 8,
                "{}: masks {} characters",
                spec.id,
                found[0].2
            );
            for keyword in &spec.keywords {
                assert_eq!(keyword, &keyword.to_lowercase(), "{}", spec.id);
            }
            assert!(
                super::DOC.contains(&spec.id),
                "{} is not listed in the doc",
                spec.id
            );
        }
        assert_eq!(super::token_ids().len(), file.token.len());
    }

    #[test]
    fn shapes_the_issue_names() {
        let cases = [
            ("a: 'Authorization: Bearer 7f3a9c2e1b'\n", "an Authorization header credential"),
            ("a: glpat-AbCdEfGh1234567890xy\n", "a GitLab token"),
            (
                "a: https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/abcdefghijklmnopqrstuvwx\n",
                "a Slack webhook URL",
            ),
            (
                "a: aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKE\n",
                "an AWS secret access key",
            ),
            ("a: pat-eu1-a1b2c3d4-e5f6-a7b8-c9d0-e1f2a3b4c5d6\n", "a HubSpot token"),
            ("a: the admin password is hunter2\n", "a password"),
            ("a: {user: admin, pw: Tr0ub4dor}\n", "a password"),
        ];
        for (text, what) in cases {
            let found = run(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(found[0].3, what, "{text}");
        }
        for text in [
            "a: the password is managed in Okta\n",
            "a: the password was changed.\n",
            "a: bearer tokens expire after an hour\n",
            "a: we use JWTs for SSO\n",
        ] {
            assert!(run(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn a_private_key_is_masked_to_its_end_line() {
        let text = "key: |\n  -----BEGIN PRIVATE KEY-----\n  MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n  abcdefghijklmnopqrstuvwxyz0123456789\n  -----END PRIVATE KEY-----\nnext: 1\n";
        let found = crate::playbook::rules::testing::on_text("HO203", text);
        assert_eq!(found.len(), 1);
        let ranges = crate::findings::redacted_ranges(text, &found);
        let masked = crate::findings::mask(text, &ranges);
        assert!(
            !masked.contains("MIIE") && !masked.contains("END PRIVATE"),
            "{masked}"
        );
        assert!(masked.ends_with("*\nnext: 1\n"), "{masked}");
    }

    #[test]
    fn one_finding_per_secret() {
        assert_eq!(run("a: api_key=AKIAIOSFODNN7EXAMPLE\n").len(), 1);
    }
}
