//! The one condition language of playbooks: qualification signals, a field's `when:` and a
//! segment playbook's `when:` all use it (docs/playbook-format.md, "Conditions").
//!
//! ```text
//! condition := or
//! or        := and ("or" and)*
//! and       := unary ("and" unary)*
//! unary     := "not" unary | "(" or ")" | test
//! test      := PATH "is" ["not"] "filled"
//!            | PATH ("==" | "!=" | ">=" | ">" | "<=" | "<") VALUE
//!            | PATH ["not"] "in" "[" VALUE ("," VALUE)* "]"
//!            | PATH "matches" STRING
//! VALUE     := NUMBER | STRING | true | false | WORD
//! ```
//!
//! Playbooks are repository files, so hostile input: a condition is at most
//! [`MAX_CONDITION_LEN`] bytes and [`MAX_DEPTH`] levels deep (the parser is recursive), a list
//! at most [`MAX_LIST`] values, and a pattern at most [`MAX_PATTERN_LEN`] bytes, compiled by the
//! `regex` crate (finite automata: matching is linear in the text) under a size limit. Parse
//! errors say where (a character offset) and what to write, never the condition's text.

use std::fmt;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The longest condition accepted, in bytes.
pub const MAX_CONDITION_LEN: usize = 1024;
/// The deepest nesting of `not`, `and`/`or` and parentheses.
pub const MAX_DEPTH: usize = 32;
/// The most values in an `in [...]` list.
pub const MAX_LIST: usize = 100;
/// The longest `matches` pattern, in bytes.
pub const MAX_PATTERN_LEN: usize = 256;
/// The compiled size a pattern may take (the `regex` crate's `size_limit`).
const PATTERN_SIZE_LIMIT: usize = 1 << 18;
/// The most dotted steps in a path.
const MAX_PATH_STEPS: usize = 16;

/// A parsed condition, with its source text for reports.
#[derive(Clone)]
pub struct Condition {
    source: String,
    expr: Expr,
}

#[derive(Clone, Debug)]
enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    Test(Test),
}

#[derive(Clone, Debug)]
struct Test {
    path: String,
    op: Op,
}

#[derive(Clone, Debug)]
enum Op {
    Filled(bool),
    Compare(Compare, Literal),
    In(bool, Vec<Literal>),
    Matches(Regex),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compare {
    Eq,
    Ne,
    Ge,
    Gt,
    Le,
    Lt,
}

#[derive(Clone, Debug, PartialEq)]
enum Literal {
    Number(f64),
    Text(String),
    Bool(bool),
}

impl fmt::Debug for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Condition").field(&self.source).finish()
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Condition {
    /// Parses a condition; the error says where and what to write, without quoting it.
    pub fn parse(source: &str) -> Result<Condition, String> {
        if source.len() > MAX_CONDITION_LEN {
            return Err(format!(
                "the condition is {} bytes; at most {MAX_CONDITION_LEN} are allowed",
                source.len()
            ));
        }
        let tokens = tokenize(source)?;
        if tokens.is_empty() {
            return Err("the condition is empty; write e.g. `deal.amount >= 100000`".into());
        }
        let mut parser = Parser {
            tokens: &tokens,
            at: 0,
        };
        let expr = parser.or(0)?;
        if let Some(token) = parser.peek() {
            return Err(format!(
                "unexpected {} at character {}; join tests with `and` or `or`",
                token.kind.describe(),
                token.offset + 1
            ));
        }
        Ok(Condition {
            source: source.trim().to_string(),
            expr,
        })
    }

    /// The condition as written (trimmed). Playbook text: escape it before printing.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the condition holds for a handoff.
    pub fn holds(&self, handoff: &Value) -> bool {
        self.expr.holds(handoff)
    }

    /// The dotted paths it reads, in order (for pointing a finding at the first).
    pub fn paths(&self) -> Vec<&str> {
        let mut paths = Vec::new();
        self.expr.paths(&mut paths);
        paths
    }
}

impl Expr {
    fn holds(&self, handoff: &Value) -> bool {
        match self {
            Expr::Or(items) => items.iter().any(|e| e.holds(handoff)),
            Expr::And(items) => items.iter().all(|e| e.holds(handoff)),
            Expr::Not(inner) => !inner.holds(handoff),
            Expr::Test(test) => test.holds(handoff),
        }
    }

    fn paths<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Or(items) | Expr::And(items) => items.iter().for_each(|e| e.paths(out)),
            Expr::Not(inner) => inner.paths(out),
            Expr::Test(test) => out.push(&test.path),
        }
    }
}

impl Test {
    fn holds(&self, handoff: &Value) -> bool {
        let value = super::score::lookup(handoff, &self.path);
        let filled = super::score::is_filled(value);
        let Some(value) = value.filter(|_| filled) else {
            // A test on a field that is not filled is false, whatever the operator; only
            // `is not filled` holds.
            return matches!(self.op, Op::Filled(false));
        };
        // A list is tested item by item: `==`, `in`, `matches` and the orderings hold when an
        // item does; `!=` and `not in` when no filled item is equal.
        let items: Vec<&Value> = match value {
            Value::Array(items) => items
                .iter()
                .filter(|v| super::score::is_filled(Some(v)))
                .collect(),
            other => vec![other],
        };
        match &self.op {
            Op::Filled(want) => *want,
            Op::Compare(Compare::Ne, literal) => !items.iter().any(|v| equals(v, literal)),
            Op::Compare(Compare::Eq, literal) => items.iter().any(|v| equals(v, literal)),
            Op::Compare(order, literal) => items.iter().any(|v| ordered(v, *order, literal)),
            Op::In(true, list) => items.iter().any(|v| list.iter().any(|l| equals(v, l))),
            Op::In(false, list) => !items.iter().any(|v| list.iter().any(|l| equals(v, l))),
            Op::Matches(regex) => items
                .iter()
                .any(|v| v.as_str().is_some_and(|text| regex.is_match(text))),
        }
    }
}

/// Text compares trimmed and case-insensitively; numbers as numbers; booleans as booleans.
fn equals(value: &Value, literal: &Literal) -> bool {
    match (value, literal) {
        (Value::String(text), Literal::Text(want)) => {
            text.trim().to_lowercase() == want.trim().to_lowercase()
        }
        (Value::Number(n), Literal::Number(want)) => n.as_f64() == Some(*want),
        (Value::Bool(b), Literal::Bool(want)) => b == want,
        _ => false,
    }
}

fn ordered(value: &Value, order: Compare, literal: &Literal) -> bool {
    let (Some(n), Literal::Number(want)) = (value.as_f64(), literal) else {
        return false;
    };
    match order {
        Compare::Ge => n >= *want,
        Compare::Gt => n > *want,
        Compare::Le => n <= *want,
        Compare::Lt => n < *want,
        Compare::Eq | Compare::Ne => false,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Word(String),
    Text(String),
    Op(Compare),
    Open,
    Close,
    OpenList,
    CloseList,
    Comma,
}

impl Kind {
    fn describe(&self) -> &'static str {
        match self {
            Kind::Word(_) => "a word",
            Kind::Text(_) => "a quoted text",
            Kind::Op(_) => "an operator",
            Kind::Open => "`(`",
            Kind::Close => "`)`",
            Kind::OpenList => "`[`",
            Kind::CloseList => "`]`",
            Kind::Comma => "`,`",
        }
    }
}

#[derive(Debug)]
struct Token {
    kind: Kind,
    /// Character offset, for errors.
    offset: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+')
}

fn tokenize(source: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        let offset = at;
        let kind = match c {
            c if c.is_whitespace() => {
                at += 1;
                continue;
            }
            '(' => Kind::Open,
            ')' => Kind::Close,
            '[' => Kind::OpenList,
            ']' => Kind::CloseList,
            ',' => Kind::Comma,
            '>' | '<' | '=' | '!' => {
                let next = chars.get(at + 1).copied();
                let (op, width) = match (c, next) {
                    ('>', Some('=')) => (Compare::Ge, 2),
                    ('<', Some('=')) => (Compare::Le, 2),
                    ('=', Some('=')) => (Compare::Eq, 2),
                    ('!', Some('=')) => (Compare::Ne, 2),
                    ('>', _) => (Compare::Gt, 1),
                    ('<', _) => (Compare::Lt, 1),
                    ('=', _) => {
                        return Err(format!(
                            "`=` at character {}: compare with `==`",
                            offset + 1
                        ))
                    }
                    _ => {
                        return Err(format!(
                            "`!` at character {}: write `!=`, or `not` before a test",
                            offset + 1
                        ))
                    }
                };
                tokens.push(Token {
                    kind: Kind::Op(op),
                    offset,
                });
                at += width;
                continue;
            }
            '"' | '\'' => {
                let quote = c;
                let mut text = String::new();
                at += 1;
                loop {
                    match chars.get(at) {
                        None => {
                            return Err(format!(
                                "the quoted text starting at character {} has no closing {quote}",
                                offset + 1
                            ))
                        }
                        Some('\\') if matches!(chars.get(at + 1), Some(&n) if n == quote || n == '\\') =>
                        {
                            text.push(chars[at + 1]);
                            at += 2;
                        }
                        Some(&n) if n == quote => {
                            at += 1;
                            break;
                        }
                        Some(&n) => {
                            text.push(n);
                            at += 1;
                        }
                    }
                }
                tokens.push(Token {
                    kind: Kind::Text(text),
                    offset,
                });
                continue;
            }
            c if is_word_char(c) => {
                let start = at;
                while at < chars.len() && is_word_char(chars[at]) {
                    at += 1;
                }
                tokens.push(Token {
                    kind: Kind::Word(chars[start..at].iter().collect()),
                    offset,
                });
                continue;
            }
            _ => {
                return Err(format!(
                    "character {} is not allowed here; quote texts with \"...\"",
                    offset + 1
                ))
            }
        };
        tokens.push(Token { kind, offset });
        at += 1;
    }
    Ok(tokens)
}

const KEYWORDS: [&str; 9] = [
    "and", "or", "not", "is", "filled", "in", "matches", "true", "false",
];

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn end_offset(&self) -> usize {
        self.tokens.last().map_or(0, |t| t.offset + 1)
    }

    fn keyword(&mut self, word: &str) -> bool {
        match self.peek() {
            Some(Token {
                kind: Kind::Word(w),
                ..
            }) if w == word => {
                self.at += 1;
                true
            }
            _ => false,
        }
    }

    fn deeper(depth: usize) -> Result<usize, String> {
        if depth >= MAX_DEPTH {
            Err(format!(
                "the condition nests more than {MAX_DEPTH} levels; simplify it"
            ))
        } else {
            Ok(depth + 1)
        }
    }

    fn or(&mut self, depth: usize) -> Result<Expr, String> {
        let depth = Self::deeper(depth)?;
        let mut items = vec![self.and(depth)?];
        while self.keyword("or") {
            items.push(self.and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Expr, String> {
        let mut items = vec![self.unary(depth)?];
        while self.keyword("and") {
            items.push(self.unary(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, String> {
        let depth = Self::deeper(depth)?;
        if self.keyword("not") {
            return Ok(Expr::Not(Box::new(self.unary(depth)?)));
        }
        if let Some(Token {
            kind: Kind::Open, ..
        }) = self.peek()
        {
            self.at += 1;
            let inner = self.or(depth)?;
            return match self.peek() {
                Some(Token {
                    kind: Kind::Close, ..
                }) => {
                    self.at += 1;
                    Ok(inner)
                }
                Some(token) => Err(format!(
                    "expected `)` at character {}, found {}",
                    token.offset + 1,
                    token.kind.describe()
                )),
                None => Err("a `(` is never closed; add `)`".into()),
            };
        }
        self.test().map(Expr::Test)
    }

    fn test(&mut self) -> Result<Test, String> {
        let path = match self.peek() {
            Some(Token {
                kind: Kind::Word(word),
                offset,
            }) => {
                check_path(word, *offset)?;
                word.clone()
            }
            Some(token) => {
                return Err(format!(
                    "expected a field path (e.g. `deal.amount`) at character {}, found {}",
                    token.offset + 1,
                    token.kind.describe()
                ))
            }
            None => {
                return Err(format!(
                    "the condition ends at character {} where a field path is expected",
                    self.end_offset()
                ))
            }
        };
        self.at += 1;
        let after_path = self.end_offset();
        let Some(token) = self.peek() else {
            return Err(format!(
                "a path alone is not a test (character {after_path}); write `PATH is filled`, `PATH >= N`, `PATH in [...]` or `PATH matches \"...\"`"
            ));
        };
        let offset = token.offset;
        let op = match &token.kind {
            Kind::Op(compare) => {
                let compare = *compare;
                self.at += 1;
                let literal = self.literal()?;
                if !matches!(literal, Literal::Number(_))
                    && !matches!(compare, Compare::Eq | Compare::Ne)
                {
                    return Err(format!(
                        "the operator at character {} orders numbers; compare a text or true/false with `==` or `!=`",
                        offset + 1
                    ));
                }
                Op::Compare(compare, literal)
            }
            Kind::Word(w) if w == "is" => {
                self.at += 1;
                let negated = self.keyword("not");
                if !self.keyword("filled") {
                    return Err(format!(
                        "expected `filled` after `is` (character {}): write `PATH is filled` or `PATH is not filled`",
                        offset + 1
                    ));
                }
                Op::Filled(!negated)
            }
            Kind::Word(w) if w == "in" || w == "not" => {
                let negated = w == "not";
                self.at += 1;
                if negated && !self.keyword("in") {
                    return Err(format!(
                        "expected `in` after `not` (character {}): write `PATH not in [a, b]`",
                        offset + 1
                    ));
                }
                Op::In(!negated, self.list()?)
            }
            Kind::Word(w) if w == "matches" => {
                self.at += 1;
                match self.peek() {
                    Some(Token {
                        kind: Kind::Text(pattern),
                        offset,
                    }) => {
                        let regex = compile(pattern, *offset)?;
                        self.at += 1;
                        Op::Matches(regex)
                    }
                    _ => {
                        return Err(format!(
                            "`matches` at character {} needs a quoted pattern: `PATH matches \"^[0-9]+\"`",
                            offset + 1
                        ))
                    }
                }
            }
            other => {
                return Err(format!(
                    "expected an operator after the path at character {}, found {}; write `is filled`, `>=`, `==`, `in [...]` or `matches \"...\"`",
                    offset + 1,
                    other.describe()
                ))
            }
        };
        Ok(Test { path, op })
    }

    fn literal(&mut self) -> Result<Literal, String> {
        let Some(token) = self.peek() else {
            return Err(format!(
                "the condition ends at character {} where a value is expected",
                self.end_offset()
            ));
        };
        let literal = match &token.kind {
            Kind::Text(text) => Literal::Text(text.clone()),
            Kind::Word(w) if w == "true" => Literal::Bool(true),
            Kind::Word(w) if w == "false" => Literal::Bool(false),
            Kind::Word(w) if KEYWORDS.contains(&w.as_str()) => {
                return Err(format!(
                    "a value is expected at character {}, not the keyword `{w}`; quote it to mean the text",
                    token.offset + 1
                ))
            }
            Kind::Word(w) => match number(w) {
                Some(n) => Literal::Number(n),
                None => Literal::Text(w.clone()),
            },
            other => {
                return Err(format!(
                    "a value is expected at character {}, found {}",
                    token.offset + 1,
                    other.describe()
                ))
            }
        };
        self.at += 1;
        Ok(literal)
    }

    fn list(&mut self) -> Result<Vec<Literal>, String> {
        match self.peek() {
            Some(Token {
                kind: Kind::OpenList,
                ..
            }) => self.at += 1,
            _ => return Err("`in` needs a list: `PATH in [a, b, \"c d\"]`".into()),
        }
        let mut items = Vec::new();
        loop {
            items.push(self.literal()?);
            if items.len() > MAX_LIST {
                return Err(format!("a list holds at most {MAX_LIST} values"));
            }
            match self.peek() {
                Some(Token {
                    kind: Kind::Comma, ..
                }) => self.at += 1,
                Some(Token {
                    kind: Kind::CloseList,
                    ..
                }) => {
                    self.at += 1;
                    return Ok(items);
                }
                Some(token) => {
                    return Err(format!(
                        "expected `,` or `]` at character {}, found {}",
                        token.offset + 1,
                        token.kind.describe()
                    ))
                }
                None => return Err("a `[` is never closed; add `]`".into()),
            }
        }
    }
}

/// A plain decimal number (`100000`, `-2.5`); `1e9`, `0x10` and `inf` are words.
fn number(word: &str) -> Option<f64> {
    let digits = word.strip_prefix('-').unwrap_or(word);
    let plain = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.matches('.').count() <= 1;
    if plain {
        word.parse().ok()
    } else {
        None
    }
}

fn check_path(word: &str, offset: usize) -> Result<(), String> {
    let steps: Vec<&str> = word.split('.').collect();
    let well_formed = steps.len() <= MAX_PATH_STEPS
        && steps.iter().all(|step| {
            !step.is_empty()
                && step
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        && !KEYWORDS.contains(&word)
        && number(word).is_none();
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "expected a field path at character {} (dotted keys like `deal.amount`, at most {MAX_PATH_STEPS} steps)",
            offset + 1
        ))
    }
}

fn compile(pattern: &str, offset: usize) -> Result<Regex, String> {
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(format!(
            "the pattern at character {} is {} bytes; at most {MAX_PATTERN_LEN} are allowed",
            offset + 1,
            pattern.len()
        ));
    }
    RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .dfa_size_limit(PATTERN_SIZE_LIMIT)
        .nest_limit(MAX_DEPTH as u32)
        .build()
        .map_err(|err| {
            let why = match err {
                regex::Error::CompiledTooBig(_) => "it compiles too big; simplify it",
                _ => "it is not a valid regular expression (Rust `regex` syntax: no look-around, no back-references)",
            };
            format!("the pattern at character {}: {why}", offset + 1)
        })
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Condition::parse(&text).map_err(|why| serde::de::Error::custom(format!("condition: {why}")))
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(condition: &str, value: Value) -> bool {
        Condition::parse(condition)
            .unwrap_or_else(|e| panic!("{condition}: {e}"))
            .holds(&value)
    }

    fn error(condition: &str) -> String {
        Condition::parse(condition).expect_err(condition)
    }

    #[test]
    fn comparisons_on_numbers() {
        let deal = json!({"deal": {"amount": 120000}});
        assert!(holds("deal.amount >= 100000", deal.clone()));
        assert!(holds("deal.amount > 119999.5", deal.clone()));
        assert!(!holds("deal.amount < 100000", deal.clone()));
        assert!(holds("deal.amount == 120000", deal.clone()));
        assert!(holds("deal.amount != 1", deal.clone()));
        assert!(!holds(
            "deal.amount >= 100000",
            json!({"deal": {"amount": 99999}})
        ));
        // Text is never a number.
        assert!(!holds(
            "deal.amount >= 1",
            json!({"deal": {"amount": "120000"}})
        ));
    }

    #[test]
    fn unfilled_fields_fail_every_test_but_is_not_filled() {
        for value in [
            json!({}),
            json!({"x": null}),
            json!({"x": "TBD"}),
            json!({"x": " "}),
            json!({"x": []}),
        ] {
            assert!(!holds("x != none", value.clone()), "{value}");
            assert!(!holds("x not in [a]", value.clone()), "{value}");
            assert!(!holds("x is filled", value.clone()), "{value}");
            assert!(holds("x is not filled", value.clone()), "{value}");
            assert!(holds("not x == a", value.clone()), "{value}");
        }
    }

    #[test]
    fn text_is_trimmed_and_case_insensitive() {
        let value = json!({"segment": " Enterprise ", "t": {"data_migration": "None"}});
        assert!(holds("segment == enterprise", value.clone()));
        assert!(holds("segment == 'ENTERPRISE'", value.clone()));
        assert!(!holds("t.data_migration != none", value.clone()));
        assert!(holds("segment in [mid-market, enterprise]", value.clone()));
        assert!(holds("segment not in [smb, \"mid market\"]", value.clone()));
        assert!(holds("t.data_migration != \"two years\"", value));
    }

    #[test]
    fn lists_test_their_items() {
        let value = json!({"c": ["Competitor A", "TBD", "Spreadsheets"]});
        assert!(holds("c == spreadsheets", value.clone()));
        assert!(holds("c in [x, 'competitor a']", value.clone()));
        assert!(!holds("c != spreadsheets", value.clone()));
        assert!(holds("c != tbd", value.clone()));
        assert!(holds("c matches \"^Comp\"", value));
    }

    #[test]
    fn patterns_booleans_and_logic() {
        let value = json!({"size": "350 employees", "ok": false, "n": 3});
        assert!(holds(r#"size matches "[0-9]+ employees""#, value.clone()));
        assert!(!holds(r#"size matches "^[a-z]""#, value.clone()));
        assert!(holds("ok == false", value.clone()));
        assert!(holds("ok is filled", value.clone()));
        assert!(holds(
            "n >= 3 and (ok == true or size is filled)",
            value.clone()
        ));
        assert!(!holds("n >= 3 and not size is filled", value.clone()));
        assert!(holds("n < 0 or n > 2 and ok == false", value.clone()));
        assert!(holds("not not n == 3", value));
    }

    #[test]
    fn bad_conditions_say_where_without_quoting() {
        assert_eq!(
            error(""),
            "the condition is empty; write e.g. `deal.amount >= 100000`"
        );
        assert_eq!(
            error("deal.amount = 5"),
            "`=` at character 13: compare with `==`"
        );
        assert!(error("deal.amount").starts_with("a path alone is not a test"));
        assert!(error("deal.amount >= 5 deal.x is filled").contains("character 18"));
        assert!(error("x is empty").contains("expected `filled` after `is`"));
        assert!(error("x > abc").contains("orders numbers"));
        assert!(error("(x is filled").contains("never closed"));
        assert!(error("x in [a, b").contains("never closed"));
        assert!(error("x matches abc").contains("needs a quoted pattern"));
        assert!(error("x matches \"(\"").contains("not a valid regular expression"));
        assert!(error("x matches \"(?=a)\"").contains("not a valid regular expression"));
        assert!(error("x == 'open").contains("no closing"));
        assert!(error("x; y").contains("character 2 is not allowed"));
        assert!(error("a..b is filled").contains("expected a field path"));
        assert!(error("and is filled").contains("expected a field path"));
        let secret = "sk_live_abcdefgh";
        assert!(!error(&format!("{secret} ==")).contains(secret));
    }

    #[test]
    fn hostile_conditions_are_capped() {
        assert!(error(&"x".repeat(MAX_CONDITION_LEN + 1)).contains("bytes"));
        let deep = format!("{}x is filled{}", "(".repeat(40), ")".repeat(40));
        assert!(error(&deep).contains("nests more than"));
        let nots = format!("{}x is filled", "not ".repeat(200));
        assert!(error(&nots).contains("nests more than"));
        let long_pattern = format!("x matches \"{}\"", "a".repeat(MAX_PATTERN_LEN + 1));
        assert!(error(&long_pattern).contains("at most"));
        assert!(error("x matches \"(a{1000}){1000}\"").contains("too big"));
        let list = format!("x in [{}]", vec!["a"; MAX_LIST + 1].join(","));
        assert!(error(&list).contains("at most"));
    }

    #[test]
    fn paths_in_order_and_source_kept() {
        let condition = Condition::parse("  a.b is filled or (c > 1 and not d in [x])  ").unwrap();
        assert_eq!(condition.paths(), ["a.b", "c", "d"]);
        assert_eq!(
            condition.source(),
            "a.b is filled or (c > 1 and not d in [x])"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_errors_without_panicking(text in "\\PC{0,200}") {
            let _ = Condition::parse(&text).map(|c| c.holds(&json!({"a": [1, "x"]})));
        }

        #[test]
        fn generated_conditions_parse(
            path in "[a-z_]{1,8}(\\.[a-z_]{1,8}){0,3}",
            n in -1000i64..1000,
            op in proptest::sample::select(vec![">=", ">", "<=", "<", "==", "!="]),
        ) {
            let keyword = KEYWORDS.iter().any(|k| path.split('.').next() == Some(k) && path == *k);
            proptest::prop_assume!(!keyword);
            let text = format!("{path} {op} {n} or not {path} is filled");
            proptest::prop_assert!(Condition::parse(&text).is_ok(), "{}", text);
        }
    }
}
