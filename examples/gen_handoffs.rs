//! Generates N realistic handoff files for the lint benchmark: variations of the repository's
//! own examples (3–6 KB each), about 60% complete, 25% partial (placeholders and blanks) and
//! 15% invalid (impossible dates, unknown keys). Deterministic: the same N gives the same files.
//!
//! `cargo run --release --example gen_handoffs -- 10000 /tmp/bench/handoffs [STYLE]`
//!
//! STYLE rewrites every file in one YAML style, for benchmarks on corpora the reader was not
//! written against (issue 16): `project` (default: the examples as they are), `flow` (nested
//! mappings of scalars and lists of scalars as one-line `{...}` / `[...]`), `long` (plain
//! scalars of 300+ characters), `quoted` (double-quoted values, some `"{{ summary }}"`
//! placeholders), `comments` (a comment line and a trailing comment on many lines), `anchors`
//! (the first owner anchored, later owners aliases), `block` (text values as `>-` / `|-`
//! blocks), `mixed` (all of them), and `issue` (all of them on the two sales-cs examples only,
//! 65% complete and so 35% with findings, like the corpus issue 16 measured).

use std::path::PathBuf;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().ok_or("usage: gen_handoffs N DIR")?.parse()?;
    let out = PathBuf::from(args.next().ok_or("usage: gen_handoffs N DIR")?);
    let style = args.next().unwrap_or_else(|| "project".to_string());
    let styles: &[&str] = match style.as_str() {
        "project" => &[],
        "mixed" | "issue" => &["flow", "long", "quoted", "comments", "anchors", "block"],
        "flow" => &["flow"],
        "long" => &["long"],
        "quoted" => &["quoted"],
        "comments" => &["comments"],
        "anchors" => &["anchors"],
        "block" => &["block"],
        other => return Err(format!("unknown style {other}").into()),
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("handoffs");
    let mut bases = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry?;
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            bases.push(std::fs::read_to_string(entry.path())?);
        }
    }
    if style == "issue" {
        bases.retain(|base| base.lines().any(|l| l == "type: sales-cs"));
    }
    // Files below this roll are complete; the rest are partial, and from 85 invalid too.
    let complete = if style == "issue" { 65 } else { 60 };
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let companies = [
        "Acme",
        "Globex",
        "Initech",
        "Umbrella",
        "Hooli",
        "Vandelay",
        "Stark",
        "Wayne",
        "Tyrell",
        "Cyberdyne",
    ];
    for i in 0..count {
        let base = &bases[i % bases.len()];
        let company = format!("{} {}", companies[rng.below(companies.len())], i);
        let mut lines: Vec<String> = base
            .lines()
            .map(|l| l.replace("Northwind Freight", &company))
            .collect();
        let roll = rng.below(100);
        if roll >= complete {
            // Partial: blank or placeholder a few scalar values (not the required keys).
            for _ in 0..(2 + rng.below(4)) {
                let at = rng.below(lines.len());
                let line = lines[at].clone();
                if let Some((key, value)) = line.split_once(": ") {
                    let bare = key.trim_start_matches([' ', '-']);
                    if !value.is_empty()
                        && !value.starts_with(['{', '[', '"'])
                        && !["type", "status", "name"].contains(&bare)
                        && !value.chars().next().is_some_and(|c| c.is_ascii_digit())
                    {
                        lines[at] =
                            format!("{key}: {}", if rng.below(2) == 0 { "TBD" } else { "" });
                    }
                }
            }
        }
        if roll >= 85 {
            // Invalid: an impossible date or an unknown key.
            if rng.below(2) == 0 {
                lines.push("notes_typo: this key is not in the schema".to_string());
            } else if let Some(line) = lines.iter_mut().find(|l| l.contains("date: 2026-")) {
                let (key, _) = line.split_once("date: ").unwrap_or((line.as_str(), ""));
                *line = format!("{key}date: 2026-02-30");
            }
        }
        for style in styles {
            lines = restyle(style, lines, &mut rng);
        }
        let kind = base
            .lines()
            .find_map(|l| l.strip_prefix("type: "))
            .unwrap_or("other")
            .trim()
            .to_string();
        let dir = out.join(kind);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join(format!("handoff-{i:05}.yaml")),
            lines.join("\n") + "\n",
        )?;
    }
    eprintln!("wrote {count} handoffs under {}", out.display());
    Ok(())
}

/// A `key: value` line whose value is plain text a style may rewrite: not a collection, a
/// quoted or block scalar, a number, a date, an anchor or alias, and not a key the schema
/// needs as it is (type, status, names, emails, enums).
fn plain_text_value(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(": ")?;
    let bare = key.trim_start_matches([' ', '-']);
    let keep = [
        "type",
        "status",
        "name",
        "email",
        "severity",
        "event",
        "playbook",
        "currency",
        "role",
        "owner",
        "accepted_by",
    ];
    let value = value.trim_end();
    (!value.is_empty()
        && !bare.is_empty()
        && !bare.contains([' ', '{', '[', '"', '\''])
        && !keep.contains(&bare)
        && !value.starts_with(['{', '[', '"', '\'', '>', '|', '&', '*', '!', '#'])
        && !value.contains(" #")
        && !value.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !["TBD", "true", "false", "null"].contains(&value))
    .then_some((key, value))
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Rewrites a file's lines in one style (see the module doc).
fn restyle(style: &str, lines: Vec<String>, rng: &mut Rng) -> Vec<String> {
    match style {
        "flow" => to_flow(lines),
        "long" => lines
            .into_iter()
            .map(|line| match plain_text_value(&line) {
                Some((key, value)) if rng.below(2) == 0 => {
                    let mut text = value.to_string();
                    while text.len() < 320 {
                        text.push_str(" and again, as the customer said on the call, ");
                        text.push_str(value);
                    }
                    format!("{key}: {}", text.replace(": ", " - ").replace(" #", " no."))
                }
                _ => line,
            })
            .collect(),
        "quoted" => lines
            .into_iter()
            .map(|line| match plain_text_value(&line) {
                Some((key, _)) if rng.below(8) == 0 => format!("{key}: \"{{{{ summary }}}}\""),
                Some((key, value)) => format!(
                    "{key}: \"{}\"",
                    value.replace('\\', "\\\\").replace('"', "\\\"")
                ),
                None => line,
            })
            .collect(),
        "comments" => {
            let mut out = Vec::new();
            for line in lines {
                if rng.below(4) == 0 && !line.trim().is_empty() {
                    out.push(format!(
                        "{}# checked against the CRM record on the day of the handoff",
                        " ".repeat(indent_of(&line))
                    ));
                }
                match plain_text_value(&line) {
                    Some(_) if rng.below(2) == 0 => {
                        out.push(format!("{line}  # from the call notes"))
                    }
                    _ => out.push(line),
                }
            }
            out
        }
        "anchors" => {
            let mut anchored = false;
            lines
                .into_iter()
                .map(|line| {
                    let Some(at) = line.find("owner: ") else {
                        return line;
                    };
                    let start = at + "owner: ".len();
                    let end = line[start..]
                        .find([',', '}'])
                        .map_or(line.len(), |e| start + e);
                    let name = line[start..end].trim_end();
                    if name.is_empty() || name.starts_with(['&', '*', '"', '\'']) {
                        return line;
                    }
                    let replacement = if anchored {
                        "*first_owner".to_string()
                    } else {
                        anchored = true;
                        format!("&first_owner {name}")
                    };
                    format!(
                        "{}{replacement}{}",
                        &line[..start],
                        &line[start + name.len()..]
                    )
                })
                .collect()
        }
        "block" => {
            let mut out = Vec::new();
            for line in lines {
                match plain_text_value(&line) {
                    Some((key, value))
                        if value.contains(' ') && !key.trim_start().starts_with('-') =>
                    {
                        let pad = " ".repeat(indent_of(key) + 2);
                        out.push(format!(
                            "{key}: {}",
                            if rng.below(2) == 0 { ">-" } else { "|-" }
                        ));
                        let words: Vec<&str> = value.split(' ').collect();
                        for chunk in words.chunks(6) {
                            out.push(format!("{pad}{}", chunk.join(" ")));
                        }
                    }
                    _ => out.push(line),
                }
            }
            out
        }
        _ => lines,
    }
}

/// Nested mappings of plain scalars and lists of plain scalars become one-line flow
/// collections (`key: {a: b, c: d}`, `key: [x, y]`).
fn to_flow(lines: Vec<String>) -> Vec<String> {
    let flow_safe = |value: &str| {
        !value.is_empty()
            && !value.contains([',', '{', '}', '[', ']', '#', '"', '\'', '&', '*', '>', '|'])
            && !value.contains(": ")
    };
    let mut out = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let line = &lines[at];
        let head = line.trim_end();
        let indent = indent_of(head);
        if head.ends_with(':') && !head.trim_start().starts_with(['-', '#']) {
            let body: Vec<&String> = lines[at + 1..]
                .iter()
                .take_while(|l| indent_of(l) > indent && !l.trim().is_empty())
                .collect();
            let child = body.first().map(|l| indent_of(l));
            let same = |l: &&String| Some(indent_of(l)) == child;
            if !body.is_empty() && body.iter().all(same) {
                let items: Option<Vec<String>> = body
                    .iter()
                    .map(|l| {
                        let text = l.trim();
                        if let Some(item) = text.strip_prefix("- ") {
                            flow_safe(item).then(|| item.to_string())
                        } else {
                            text.split_once(": ")
                                .filter(|(k, v)| flow_safe(k) && flow_safe(v))
                                .map(|(k, v)| format!("{k}: {v}"))
                        }
                    })
                    .collect();
                let all_items = body.iter().all(|l| l.trim().starts_with("- "));
                let no_items = body.iter().all(|l| !l.trim().starts_with('-'));
                if let Some(items) = items.filter(|_| all_items || no_items) {
                    let (open, close) = if all_items { ('[', ']') } else { ('{', '}') };
                    out.push(format!("{head} {open}{}{close}", items.join(", ")));
                    at += 1 + body.len();
                    continue;
                }
            }
        }
        out.push(line.clone());
        at += 1;
    }
    out
}
