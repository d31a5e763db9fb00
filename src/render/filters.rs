//! Every filter, test and the output formatter of the render templates, registered in one
//! place ([`register`]). Handoff text is data, never Markdown: the formatter escapes every
//! `{{ }}` output for an inline Markdown context unless a filter already produced safe text, so
//! a template that forgets a filter cannot let user text open a heading, a list, a table cell
//! or raw HTML. Filters return safe strings and pass safe input (text another filter already
//! produced, such as `default_text`'s "_not provided_") through unchanged, so they chain:
//! `x | default_text | date`. Undefined input is an error (the environment is strict), except
//! for `default_text`, which exists to mark a value as optional.

use minijinja::value::ValueKind;
use minijinja::{Environment, Error, ErrorKind, Output, State, Value};

/// Registers the filters, the tests and the Markdown-escaping formatter.
pub fn register(env: &mut Environment<'static>) {
    env.set_formatter(format_output);
    env.add_filter("md", md);
    env.add_filter("cell", cell);
    env.add_filter("code", code);
    env.add_filter("money", money);
    env.add_filter("date", date);
    env.add_filter("severity_icon", severity_icon);
    env.add_filter("join_list", join_list);
    env.add_filter("default_text", default_text);
    env.add_filter("contact", contact);
    env.add_filter("health_icon", health_icon);
    env.add_filter("yes_no", yes_no);
    env.add_test("filled", is_filled);
}

/// Escapes text for an inline Markdown context (a paragraph, a list item, a table cell, a
/// heading). Line breaks and runs of whitespace fold into one space, so the text stays on its
/// line; control characters (C0, DEL, C1: a terminal escape, a NUL) are dropped; characters
/// that open inline constructs (emphasis, code, links, entities, strikethrough, table cells)
/// are backslash-escaped everywhere; `<` and `>` become `&lt;` and `&gt;`, so not even the
/// Markdown source holds a `<script` or `<img`; `=` is escaped (no `onerror=` in the source
/// either) and so is a `(` right after an escaped `]` (no `](url`); and a first character that
/// would start a block (heading, list, quote, thematic break, ordered list) is escaped too.
/// Every escape is a CommonMark backslash escape or entity, so the text reads the same once
/// rendered.
///
/// Web addresses (`http://`, `https://`) and email addresses are the exception: backslash
/// escapes are not undone inside a link (GitHub and comrak would show `\_` and put `%5C` in the
/// href), so each one becomes a CommonMark autolink, `<https://...>` or `<name@host>`, whose
/// text and target are the address exactly. Only those two schemes are linked (never
/// `javascript:`), and an address stops at `<`, `>` and `|` (which stay escaped text), so an
/// autolink can neither be closed early nor split a table cell.
pub fn escape_inline(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    let words = text
        .split_whitespace()
        .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|word| !word.is_empty());
    for (index, word) in words.enumerate() {
        if index > 0 {
            escaped.push(' ');
        }
        let mut rest = word.as_str();
        let mut first = index == 0;
        while !rest.is_empty() {
            let Some((start, end)) = find_address(rest) else {
                escape_word(&mut escaped, rest, first);
                break;
            };
            escape_word(&mut escaped, &rest[..start], first);
            escaped.push('<');
            escaped.push_str(&rest[start..end]);
            escaped.push('>');
            rest = &rest[end..];
            first = false;
        }
    }
    escaped
}

/// Escapes one word (or the part of a word around an address); `at_line_start` when it is the
/// very start of the text.
fn escape_word(escaped: &mut String, word: &str, at_line_start: bool) {
    let mut chars = word.char_indices().peekable();
    while let Some((offset, ch)) = chars.next() {
        let block_start = at_line_start && offset == 0 && matches!(ch, '#' | '-' | '+');
        let after_bracket = ch == '(' && escaped.ends_with("\\]");
        match ch {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            _ if block_start || after_bracket || is_inline_special(ch) => {
                escaped.push('\\');
                escaped.push(ch);
            }
            _ => escaped.push(ch),
        }
        if !ch.is_ascii_digit() || offset > 0 || !at_line_start {
            continue;
        }
        // `1.` / `1)` at the start of a line opens an ordered list.
        while let Some(&(_, next)) = chars.peek() {
            if next.is_ascii_digit() {
                escaped.push(next);
                chars.next();
            } else {
                break;
            }
        }
        if let Some(&(_, '.' | ')')) = chars.peek() {
            escaped.push('\\');
        }
    }
}

/// The first web or email address in `word` (no whitespace, no control characters), as a byte
/// range, when it makes a valid CommonMark autolink.
fn find_address(word: &str) -> Option<(usize, usize)> {
    let url = find_url(word);
    let email = find_email(word);
    match (url, email) {
        (Some(u), Some(e)) => Some(if e.0 < u.0 { e } else { u }),
        (found, None) | (None, found) => found,
    }
}

/// `http://` or `https://` (any case) and what follows up to `<`, `>` or `|`, without trailing
/// punctuation (as GFM's autolinks trim it: `.,:;!?*_~'"` and an unbalanced `)`).
fn find_url(word: &str) -> Option<(usize, usize)> {
    let lower = word.to_ascii_lowercase();
    let start = match (lower.find("https://"), lower.find("http://")) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => return None,
    };
    let scheme_end = start + lower[start..].find("//")? + 2;
    let mut end = word[start..]
        .find(['<', '>', '|'])
        .map_or(word.len(), |at| start + at);
    loop {
        let body = &word[start..end];
        let Some(last) = body.chars().last() else {
            break;
        };
        let unbalanced_paren = last == ')' && body.matches(')').count() > body.matches('(').count();
        if matches!(
            last,
            '.' | ',' | ':' | ';' | '!' | '?' | '*' | '_' | '~' | '\'' | '"'
        ) || unbalanced_paren
        {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    // A host must follow the scheme.
    let host_starts = word[scheme_end..end]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '[');
    if !host_starts {
        // Look further on: the text may mention a bare scheme before a real address.
        let (next_start, next_end) = find_url(&word[scheme_end..])?;
        return Some((scheme_end + next_start, scheme_end + next_end));
    }
    // An address that carries a script scheme or an event handler stays escaped text, so that
    // neither output holds `javascript:` or `onerror=` whatever the text says.
    if looks_scripted(&word[start..end]) {
        return None;
    }
    Some((start, end))
}

/// `javascript:`, `vbscript:`, `data:` or `on<letters>=` anywhere in `text` (any case).
fn looks_scripted(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| lower.contains(scheme))
    {
        return true;
    }
    let bytes = lower.as_bytes();
    (0..bytes.len()).any(|at| {
        bytes[at..].starts_with(b"on") && {
            let letters = bytes[at + 2..]
                .iter()
                .take_while(|b| b.is_ascii_lowercase())
                .count();
            letters > 0 && bytes.get(at + 2 + letters) == Some(&b'=')
        }
    })
}

/// An email address `local@domain.tld` with CommonMark's autolink syntax: local part of
/// letters, digits and `._%+-`, domain labels of letters, digits and `-` (not at their ends).
fn find_email(word: &str) -> Option<(usize, usize)> {
    let bytes = word.as_bytes();
    let is_local =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let is_domain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    let mut search = 0;
    while let Some(found) = word[search..].find('@') {
        let at = search + found;
        search = at + 1;
        let mut start = at;
        while start > 0 && is_local(bytes[start - 1]) {
            start -= 1;
        }
        // No leading or trailing dot in the local part.
        while start < at && bytes[start] == b'.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && is_domain(bytes[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        let local = &word[start..at];
        let domain = &word[at + 1..end];
        let labels_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
        if !local.is_empty() && !local.ends_with('.') && domain.contains('.') && labels_ok {
            return Some((start, end));
        }
    }
    None
}

fn is_inline_special(ch: char) -> bool {
    matches!(
        ch,
        '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '&' | '='
    )
}

/// A Markdown code span holding `text` verbatim (whitespace folded): the fence is one backtick
/// longer than the longest run of backticks inside.
pub fn code_span(text: &str) -> String {
    let folded = text
        .split_whitespace()
        .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if folded.is_empty() {
        return String::new();
    }
    let longest_run = folded.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if folded.starts_with('`') || folded.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{folded}{pad}{fence}")
}

/// `{{ value }}`: safe text as is, everything else Markdown-escaped.
fn format_output(out: &mut Output, _state: &mut State, value: &Value) -> Result<(), Error> {
    let text = if value.is_safe() {
        value.to_string()
    } else {
        escape_inline(&plain_text(value))
    };
    out.write_str(&text).map_err(Error::from)
}

/// The engine's own "undefined" error for `value`, which names the expression that produced it.
fn undefined(value: &Value, filter: &str) -> Error {
    match value.get_attr("") {
        Err(err) => err,
        Ok(_) => Error::new(
            ErrorKind::UndefinedError,
            format!("undefined value passed to `{filter}`"),
        ),
    }
}

/// `Ok(None)` when `value` is to be transformed; `Ok(Some(value))` when it is already safe text
/// (passed through); an error when it is undefined.
fn already_rendered(value: &Value, filter: &str) -> Result<Option<Value>, Error> {
    if value.is_undefined() {
        Err(undefined(value, filter))
    } else if value.is_safe() {
        Ok(Some(value.clone()))
    } else {
        Ok(None)
    }
}

/// A value as readable text: lists joined with ", ", contacts as "name, title, email", none as
/// nothing.
fn plain_text(value: &Value) -> String {
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => String::new(),
        ValueKind::Seq | ValueKind::Iterable => match value.try_iter() {
            Ok(items) => items
                .map(|item| plain_text(&item))
                .filter(|text| !text.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            Err(_) => value.to_string(),
        },
        ValueKind::Map => contact_text(value),
        _ => value.to_string(),
    }
}

/// The filled-in parts of a contact or stakeholder, in reading order.
fn contact_text(value: &Value) -> String {
    const KEYS: [&str; 6] = ["name", "title", "role", "email", "phone", "notes"];
    let mut parts: Vec<String> = Vec::new();
    for key in KEYS {
        if let Ok(part) = value.get_attr(key) {
            if filled(&part) {
                parts.push(plain_text(&part));
            }
        }
    }
    if parts.is_empty() {
        // Not a contact: show whatever it holds, key by key.
        if let Ok(keys) = value.try_iter() {
            for key in keys {
                if let Ok(part) = value.get_item(&key) {
                    if filled(&part) {
                        parts.push(format!("{key}: {}", plain_text(&part)));
                    }
                }
            }
        }
    }
    parts.join(", ")
}

fn safe(text: String) -> Value {
    Value::from_safe_string(text)
}

/// Whether a value counts as given: defined, not none, not blank, not an empty list or map.
fn filled(value: &Value) -> bool {
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => false,
        ValueKind::String => !value.as_str().unwrap_or_default().trim().is_empty(),
        ValueKind::Seq | ValueKind::Map | ValueKind::Iterable => value.len().unwrap_or(1) > 0,
        _ => true,
    }
}

/// `x is filled`: defined, not none, not blank, not empty.
fn is_filled(value: &Value) -> bool {
    filled(value)
}

/// `x | md`: escape for inline Markdown.
fn md(value: &Value) -> Result<Value, Error> {
    if let Some(done) = already_rendered(value, "md")? {
        return Ok(done);
    }
    Ok(safe(escape_inline(&plain_text(value))))
}

/// `x | cell`: escape for a table cell (lists joined with ", "; nothing given shows as "—").
fn cell(value: &Value) -> Result<Value, Error> {
    // Safe text comes from our filters, which never emit an unescaped `|` or a line break.
    if let Some(done) = already_rendered(value, "cell")? {
        return Ok(done);
    }
    let text = escape_inline(&plain_text(value));
    Ok(safe(if text.is_empty() {
        "—".to_string()
    } else {
        text
    }))
}

/// `x | code`: a code span.
fn code(value: &Value) -> Result<Value, Error> {
    if let Some(done) = already_rendered(value, "code")? {
        return Ok(done);
    }
    Ok(safe(code_span(&plain_text(value))))
}

/// `amount | money(currency)`: `120000 | money("USD")` → `$120,000`.
fn money(value: &Value, currency: Option<&Value>) -> Result<Value, Error> {
    if let Some(done) = already_rendered(value, "money")? {
        return Ok(done);
    }
    let code = currency
        .filter(|c| !c.is_undefined() && !c.is_none())
        .map(plain_text)
        .unwrap_or_default();
    let amount = if let Some(whole) = value.as_i64() {
        group_thousands(&whole.unsigned_abs().to_string(), whole < 0)
    } else if let Ok(number) = f64::try_from(value.clone()) {
        if !number.is_finite() {
            return Ok(safe(escape_inline(&value.to_string())));
        }
        let cents = (number.abs() * 100.0).round() as u128;
        let whole = group_thousands(&(cents / 100).to_string(), number < 0.0);
        if cents % 100 == 0 {
            whole
        } else {
            format!("{whole}.{:02}", cents % 100)
        }
    } else {
        // Not a number (a schema error the banner reports): show it as written.
        return Ok(safe(escape_inline(&plain_text(value))));
    };
    let (sign, digits) = match amount.strip_prefix('-') {
        Some(rest) => ("-", rest.to_string()),
        None => ("", amount),
    };
    let text = match code.trim() {
        "USD" | "" => format!("{sign}${digits}"),
        "EUR" => format!("{sign}€{digits}"),
        "GBP" => format!("{sign}£{digits}"),
        "JPY" => format!("{sign}¥{digits}"),
        other => format!("{sign}{digits} {other}"),
    };
    Ok(safe(escape_inline(&text)))
}

fn group_thousands(digits: &str, negative: bool) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if negative {
        grouped.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// `d | date` or `d | date("%-d %B %Y")`: a `YYYY-MM-DD` date, formatted (default: as written);
/// anything that is not a date is shown as written.
fn date(value: &Value, format: Option<&str>) -> Result<Value, Error> {
    if let Some(done) = already_rendered(value, "date")? {
        return Ok(done);
    }
    let text = plain_text(value);
    let Ok(parsed) = text.trim().parse::<jiff::civil::Date>() else {
        return Ok(safe(escape_inline(&text)));
    };
    let formatted = match format {
        None => parsed.to_string(),
        Some(format) => jiff::fmt::strtime::format(format, parsed).map_err(|err| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("date format {format:?}: {err}"),
            )
        })?,
    };
    Ok(safe(escape_inline(&formatted)))
}

/// `severity | severity_icon`: `high` → 🔴 high, `medium` → 🟡 medium, `low` → 🟢 low.
fn severity_icon(value: &Value) -> Result<Value, Error> {
    if let Some(done) = already_rendered(value, "severity_icon")? {
        return Ok(done);
    }
    let text = plain_text(value);
    let icon = match text.trim().to_lowercase().as_str() {
        "high" => "🔴",
        "medium" => "🟡",
        "low" => "🟢",
        "" => return Ok(safe("⚪ not rated".to_string())),
        _ => "⚪",
    };
    Ok(safe(format!("{icon} {}", escape_inline(&text))))
}

/// `list | join_list` or `join_list("; ")`: the items, each escaped, joined.
fn join_list(value: &Value, separator: Option<&str>) -> Result<Value, Error> {
    if let Some(done) = already_rendered(value, "join_list")? {
        return Ok(done);
    }
    let separator = separator.unwrap_or(", ");
    let items: Vec<String> = match value.kind() {
        ValueKind::Seq | ValueKind::Iterable => value
            .try_iter()?
            .map(|item| escape_inline(&plain_text(&item)))
            .filter(|text| !text.is_empty())
            .collect(),
        _ => vec![escape_inline(&plain_text(value))],
    };
    Ok(safe(items.join(separator)))
}

/// `x | default_text("not provided")`: the value when it is filled in, else the text in italics
/// (or, when the text is already safe Markdown such as `not_provided`, that text as is).
/// The one filter that accepts an undefined value: using it says the key is optional.
fn default_text(value: &Value, text: Option<&Value>) -> Result<Value, Error> {
    if filled(value) {
        return Ok(value.clone());
    }
    match text {
        Some(text) if text.is_safe() => Ok(text.clone()),
        Some(text) if !text.is_undefined() => {
            Ok(safe(format!("_{}_", escape_inline(&plain_text(text)))))
        }
        Some(text) => Err(undefined(text, "default_text")),
        None => Ok(safe("_not provided_".to_string())),
    }
}

/// `health | health_icon`: `green` → 🟢 green, `yellow` → 🟡 yellow, `red` → 🔴 red.
fn health_icon(value: &Value) -> Result<Value, Error> {
    if let Some(done) = already_rendered(value, "health_icon")? {
        return Ok(done);
    }
    let text = plain_text(value);
    let icon = match text.trim().to_lowercase().as_str() {
        "green" => "🟢",
        "yellow" => "🟡",
        "red" => "🔴",
        _ => "⚪",
    };
    Ok(safe(format!("{icon} {}", escape_inline(&text))))
}

/// `flag | yes_no`: true → yes, false → no.
fn yes_no(value: &Value) -> Result<Value, Error> {
    if let Some(done) = already_rendered(value, "yes_no")? {
        return Ok(done);
    }
    Ok(safe(match value.kind() {
        ValueKind::Bool if value.is_true() => "yes".to_string(),
        ValueKind::Bool => "no".to_string(),
        _ => escape_inline(&plain_text(value)),
    }))
}

/// `person | contact`: "Pat Kim, VP Operations, pat@acme.example" from whichever keys are set.
fn contact(value: &Value) -> Result<Value, Error> {
    if let Some(done) = already_rendered(value, "contact")? {
        return Ok(done);
    }
    Ok(safe(escape_inline(&plain_text(value))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use comrak::nodes::NodeValue;
    use proptest::prelude::*;

    fn options() -> comrak::Options<'static> {
        let mut options = comrak::Options::default();
        options.extension.table = true;
        options.extension.strikethrough = true;
        options.extension.autolink = true;
        options
    }

    /// The blocks comrak sees in `markdown`, and the text of its inlines.
    fn parse(markdown: &str) -> (Vec<String>, String) {
        let arena = comrak::Arena::new();
        let options = options();
        let root = comrak::parse_document(&arena, markdown, &options);
        let blocks = root
            .children()
            .map(|node| match node.data.borrow().value {
                NodeValue::Paragraph => "paragraph".to_string(),
                ref other => format!("{other:?}"),
            })
            .collect();
        let mut text = String::new();
        for node in root.descendants() {
            match &node.data.borrow().value {
                NodeValue::Text(t) => text.push_str(t),
                NodeValue::Code(c) => text.push_str(&c.literal),
                NodeValue::SoftBreak | NodeValue::LineBreak => text.push('\n'),
                // Raw HTML must never come out of escaped text: make it a mismatch.
                NodeValue::HtmlInline(h) => text.push_str(&format!("<raw html {h}>")),
                _ => {}
            }
        }
        (blocks, text)
    }

    fn render(markdown: &str) -> String {
        comrak::markdown_to_html(markdown, &options())
    }

    fn env() -> Environment<'static> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        register(&mut env);
        env
    }

    fn render_str(template: &str, ctx: Value) -> Result<String, Error> {
        env().render_str(template, ctx)
    }

    #[test]
    fn block_starts_are_escaped() {
        for (input, expected) in [
            ("# heading", "\\# heading"),
            ("- item", "\\- item"),
            ("+ item", "\\+ item"),
            ("1. first", "1\\. first"),
            ("12) twelfth", "12\\) twelfth"),
            ("2026-10-30 kickoff", "2026-10-30 kickoff"),
            ("=== ", "\\=\\=\\="),
            ("> quote", "&gt; quote"),
            ("  indented code", "indented code"),
            ("a\n# b", "a # b"),
            ("```rust", "\\`\\`\\`rust"),
            ("*** ", "\\*\\*\\*"),
        ] {
            assert_eq!(escape_inline(input), expected, "{input:?}");
        }
    }

    #[test]
    fn inline_constructs_are_escaped() {
        assert_eq!(
            escape_inline("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            escape_inline("<img src=x onerror=alert(1)>"),
            "&lt;img src\\=x onerror\\=alert(1)&gt;"
        );
        assert_eq!(escape_inline("a | b"), "a \\| b");
        assert_eq!(
            escape_inline("[link](javascript:alert(1))"),
            "\\[link\\]\\(javascript:alert(1))"
        );
        assert_eq!(escape_inline("{{ x }}"), "{{ x }}");
        assert_eq!(
            escape_inline("a_b *c* ~d~ &amp; \\"),
            "a\\_b \\*c\\* \\~d\\~ \\&amp; \\\\"
        );
    }

    #[test]
    fn addresses_become_exact_autolinks() {
        for (input, expected) in [
            (
                "see https://docs.google.com/document/d/1a_B~c/edit?usp=sharing&x=1.",
                "see <https://docs.google.com/document/d/1a_B~c/edit?usp=sharing&x=1>.",
            ),
            (
                "monica_reyes+cs@brightline.example, VP",
                "<monica_reyes+cs@brightline.example>, VP",
            ),
            ("(https://x.example/a_(b))", "(<https://x.example/a_(b)>)"),
            ("https://a.example|b_c", "<https://a.example>\\|b\\_c"),
            ("<https://a.example>", "&lt;<https://a.example>&gt;"),
            ("javascript:alert(1)//https:", "javascript:alert(1)//https:"),
            (
                "https://x.example/?javascript:alert(1)",
                "https://x.example/?javascript:alert(1)",
            ),
            (
                "https://x.example/?onerror=1",
                "https://x.example/?onerror\\=1",
            ),
            (
                "https://x.example/?session=1",
                "<https://x.example/?session=1>",
            ),
            ("a@b", "a@b"),
            ("x@-bad.example", "x@-bad.example"),
            ("HTTPS://X.EXAMPLE/Q_1", "<HTTPS://X.EXAMPLE/Q_1>"),
            ("- https://x.example", "\\- <https://x.example>"),
        ] {
            assert_eq!(escape_inline(input), expected, "{input:?}");
        }
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(
            escape_inline("a\u{1b}[31mred\u{7}\u{85}b\u{9b}c"),
            "a\\[31mred bc"
        );
        assert_eq!(escape_inline("\u{0}\u{1}"), "");
        assert_eq!(code_span("x\u{1b}y"), "`xy`");
    }

    #[test]
    fn autolinks_render_exact_hrefs_and_text() {
        let url = "https://app.gong.io/call?id=12_34&tab=~notes";
        let html = render(&escape_inline(&format!(
            "call {url} mail ann_lee+cs@x.example"
        )));
        assert!(
            html.contains("<a href=\"https://app.gong.io/call?id=12_34&amp;tab=~notes\">https://app.gong.io/call?id=12_34&amp;tab=~notes</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"mailto:ann_lee+cs@x.example\">ann_lee+cs@x.example</a>"),
            "{html}"
        );
        assert!(!html.contains("%5C") && !html.contains('\\'), "{html}");
    }

    #[test]
    fn hostile_text_renders_inert() {
        let hostile = "<img src=x onerror=alert(1)> <script>alert(1)</script> [x](javascript:alert(1)) `code` | cell";
        let html = render(&format!("| a |\n|---|\n| {} |\n", escape_inline(hostile)));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("href"), "{html}");
        assert!(!html.contains("<code>"), "{html}");
        assert_eq!(html.matches("<td>").count(), 1, "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn code_spans_outlast_backticks() {
        assert_eq!(code_span("a.b"), "`a.b`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        assert_eq!(code_span(""), "");
    }

    #[test]
    fn the_formatter_escapes_unless_safe() {
        let c = ctx(&[("x", Value::from("# *hi* <b>"))]);
        assert_eq!(
            render_str("{{ x }}|{{ x | md }}|{{ x | safe }}", c).unwrap(),
            "\\# \\*hi\\* &lt;b&gt;|\\# \\*hi\\* &lt;b&gt;|# *hi* <b>"
        );
    }

    fn ctx(pairs: &[(&str, Value)]) -> Value {
        Value::from(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<std::collections::BTreeMap<_, _>>(),
        )
    }

    #[test]
    fn money_dates_and_severities() {
        let c = ctx(&[
            ("a", Value::from(120000)),
            ("b", Value::from(74500.5)),
            ("big", Value::from(1234567890_i64)),
            ("d", Value::from("2026-12-01")),
            ("bad", Value::from("TBD")),
        ]);
        assert_eq!(
            render_str(
                "{{ a | money('USD') }} {{ b | money('USD') }} {{ a | money('EUR') }} {{ a | money('CHF') }} {{ big | money }} {{ 0 | money }}",
                c.clone()
            )
            .unwrap(),
            "$120,000 $74,500.50 €120,000 120,000 CHF $1,234,567,890 $0"
        );
        assert_eq!(
            render_str(
                "{{ d | date }} {{ d | date('%-d %B %Y') }} {{ bad | date }}",
                c
            )
            .unwrap(),
            "2026-12-01 1 December 2026 TBD"
        );
        assert_eq!(
            render_str(
                "{{ 'high' | severity_icon }} {{ 'medium' | severity_icon }} {{ 'low' | severity_icon }} {{ '' | severity_icon }} {{ '<x>' | severity_icon }}",
                Value::UNDEFINED
            )
            .unwrap(),
            "🔴 high 🟡 medium 🟢 low ⚪ not rated ⚪ &lt;x&gt;"
        );
    }

    #[test]
    fn lists_contacts_and_defaults() {
        let person = ctx(&[
            ("name", Value::from("Pat Kim")),
            ("title", Value::from("VP | Ops")),
            ("email", Value::from("")),
        ]);
        let c = ctx(&[
            (
                "list",
                Value::from(vec![Value::from("a|b"), Value::from("*c*")]),
            ),
            ("empty", Value::from(Vec::<Value>::new())),
            ("person", person),
            ("blank", Value::from("  ")),
        ]);
        assert_eq!(
            render_str(
                "{{ list | join_list }}/{{ list | join_list('; ') }}/{{ list | cell }}/{{ empty | cell }}/{{ person | contact }}",
                c.clone()
            )
            .unwrap(),
            "a\\|b, \\*c\\*/a\\|b; \\*c\\*/a\\|b, \\*c\\*/—/Pat Kim, VP \\| Ops"
        );
        assert_eq!(
            render_str(
                "{{ nope | default_text }}/{{ blank | default_text('ask [Jane]') }}/{{ list | default_text | join_list }}/{{ empty is filled }}/{{ list is filled }}/{{ nope is filled }}",
                c
            )
            .unwrap(),
            "_not provided_/_ask \\[Jane\\]_/a\\|b, \\*c\\*/False/True/False"
        );
    }

    #[test]
    fn undefined_values_are_errors_except_in_default_text() {
        let c = ctx(&[("handoff", ctx(&[]))]);
        for template in [
            "{{ handoff.nope }}",
            "{{ handoff.nope | md }}",
            "{{ handoff.nope | cell }}",
            "{{ handoff.nope | money }}",
            "{{ handoff.nope | date }}",
            "{{ handoff.nope | join_list }}",
            "{{ handoff.nope | contact }}",
            "{{ handoff.nope | severity_icon }}",
        ] {
            let err = render_str(template, c.clone()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::UndefinedError, "{template}: {err}");
        }
        assert_eq!(
            render_str("{{ handoff.nope | default_text }}", c).unwrap(),
            "_not provided_"
        );
    }

    /// Text dense in Markdown's own characters, or any text at all (NUL aside: a handoff
    /// cannot hold one).
    fn markdownish() -> BoxedStrategy<String> {
        prop_oneof![
            proptest::string::string_regex("[-#>+=*_`~|<>&!\\[\\]()0-9.)\\\\ \\na-z:/{}]{0,40}")
                .expect("valid regex"),
            any::<String>().prop_map(|s| s.replace('\0', "")),
            // Whole constructs, in any order and at any position.
            proptest::collection::vec(
                proptest::sample::select(vec![
                    "<script>alert(1)</script>",
                    "<img src=x onerror=alert(1)>",
                    "</b>",
                    "<div>",
                    "<!-- c -->",
                    "<http://x.example>",
                    "# h",
                    "- i",
                    "+ i",
                    "* i",
                    "1. i",
                    "2)",
                    "> q",
                    "|",
                    "a | b",
                    "`x`",
                    "```",
                    "~~~",
                    "[a](javascript:alert(1))",
                    "![i](x.png)",
                    "[r]: /u",
                    "*e*",
                    "_u_",
                    "~~s~~",
                    "&amp;",
                    "&#60;",
                    "\\",
                    "{{ x }}",
                    "{% if %}",
                    "www.example.com",
                    "https://docs.example/d/1a_B?usp=sharing&x=~1",
                    "(https://x.example/a_(b)).",
                    "ann_lee+cs@brightline.example",
                    "mailto:a@b.example,",
                    "http://",
                    "---",
                    "===",
                    "***",
                    "    code",
                    "\n",
                    "\n\n",
                    "\t",
                    "a\\",
                    "x=y",
                    "[^1]",
                ]),
                0..8,
            )
            .prop_map(|tokens| tokens.join(" ")),
        ]
        .boxed()
    }

    /// What the reader sees of `text`: whitespace folded, control characters dropped.
    fn fold(text: &str) -> String {
        text.split_whitespace()
            .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The text of each cell in the body row of a one-row table.
    fn table_cells(markdown: &str) -> Vec<String> {
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, markdown, &options());
        let Some(table) = root.first_child() else {
            return Vec::new();
        };
        let Some(row) = table.children().nth(1) else {
            return Vec::new();
        };
        row.children()
            .map(|cell| {
                cell.descendants()
                    .filter_map(|node| match &node.data.borrow().value {
                        NodeValue::Text(t) => Some(t.to_string()),
                        NodeValue::Code(c) => Some(c.literal.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn escaped_cells_hold_no_bare_pipe_or_newline(text in markdownish()) {
            let escaped = escape_inline(&text);
            prop_assert!(!escaped.contains('\n') && !escaped.contains('\r'));
            let bytes = escaped.as_bytes();
            for (index, byte) in bytes.iter().enumerate() {
                if *byte == b'|' {
                    // Preceded by an odd number of backslashes: escaped.
                    let backslashes = bytes[..index].iter().rev().take_while(|b| **b == b'\\').count();
                    prop_assert!(backslashes % 2 == 1, "bare | in {escaped:?}");
                }
            }
        }

        #[test]
        fn md_output_is_one_paragraph_of_the_same_text(text in markdownish()) {
            let escaped = escape_inline(&text);
            let (blocks, rendered) = parse(&escaped);
            let folded = fold(&text);
            if folded.is_empty() {
                prop_assert!(blocks.is_empty(), "{text:?} → {blocks:?}");
            } else {
                prop_assert_eq!(&blocks, &vec!["paragraph".to_string()], "{:?} → {:?}", text, escaped);
                prop_assert_eq!(rendered, folded);
            }
        }

        #[test]
        fn cells_keep_the_table_shape(text in markdownish()) {
            let folded = fold(&text);
            let cell = escape_inline(&text);
            let cells = table_cells(&format!("| a | b |\n|---|---|\n| {cell} | {cell} |\n"));
            prop_assert_eq!(cells, vec![folded.clone(), folded], "{}", cell);
        }
    }
}
