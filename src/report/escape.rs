//! Data never becomes a command: the one place that makes text from a handoff, a file name or a
//! configuration value safe to print. Line breaks and every other C0/C1 control character (ESC,
//! BEL, the CSI and OSC introducers, DEL) and the Unicode line and paragraph separators are shown
//! as Rust-style escapes (`\n`, `\u{1b}`), so a value can neither start a line (a GitHub Actions
//! workflow command such as `::add-mask::`) nor reach a terminal as an escape sequence (colours,
//! cursor moves, OSC 8 hyperlinks). A tab is kept: it moves the cursor and nothing else.
//!
//! Every text emitter (`lint` human, github and its step summary, `metrics` table and csv,
//! `sample` Markdown, the error line `main` prints) passes data through [`control`]; HTML
//! output drops the characters instead ([`html_safe`]).

use std::borrow::Cow;

/// Whether `c` must not reach a terminal or a log as itself.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `text` with line breaks and control characters escaped (`\n`, `\r`, `\u{1b}`); borrowed
/// unchanged when it holds none, which is almost always.
pub fn control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_char(&mut escaped, c);
    }
    Cow::Owned(escaped)
}

/// Appends `c`, escaped when it is unsafe; returns how many characters were written (the width
/// a caret under it must skip).
pub fn push_char(out: &mut String, c: char) -> usize {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        c if is_unsafe(c) => {
            let before = out.len();
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
            return out.len() - before;
        }
        c => {
            out.push(c);
            return 1;
        }
    }
    2
}

/// `text` for HTML: control characters dropped (line breaks become spaces, which HTML folds
/// anyway); the caller still escapes markup.
pub fn html_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\u{2028}' | '\u{2029}' => Some(' '),
                c if is_unsafe(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// An error message as `main` prints it: one line per intended line, every piece of data in it
/// escaped. Only the list of unrenderable handoffs is several lines on purpose; each of its
/// entries is escaped on its own.
pub fn error_text(error: &crate::Error) -> String {
    match error {
        crate::Error::Unrenderable { failures, .. } => {
            let text = error.to_string();
            let header = text.lines().next().unwrap_or_default();
            let mut message = control(header).into_owned();
            for failure in failures {
                message.push_str("\n  ");
                message.push_str(&control(failure));
            }
            message
        }
        other => control(&other.to_string()).into_owned(),
    }
}

/// The one HTML escaper: text for element content and attribute values (`&`, `<`, `>`, `"`,
/// `'`); control characters from data (ESC, BEL, ...) are dropped, line breaks become spaces.
pub fn html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => escaped.push(' '),
            c if is_unsafe(c) => {}
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_escape_sequences_become_visible() {
        assert_eq!(control("plain é\tx"), "plain é\tx");
        assert!(matches!(control("plain"), Cow::Borrowed(_)));
        assert_eq!(control("a\n::add-mask::x"), "a\\n::add-mask::x");
        assert_eq!(control("\r\u{1b}[31mred\u{7}"), "\\r\\u{1b}[31mred\\u{7}");
        // OSC 8 hyperlink, C1 CSI, DEL and the Unicode line separator.
        assert_eq!(
            control("\u{1b}]8;;http://x\u{1b}\\\u{9b}\u{7f}\u{2028}"),
            "\\u{1b}]8;;http://x\\u{1b}\\\\u{9b}\\u{7f}\\u{2028}"
        );
    }

    #[test]
    fn html_drops_them() {
        assert_eq!(html_safe("a\u{1b}[1mb\nc\u{9b}"), "a[1mb c");
    }

    #[test]
    fn error_lines_keep_their_shape_only_where_intended() {
        let error = crate::Error::Usage("bad\n::error::x".into());
        assert_eq!(error_text(&error), "bad\\n::error::x");
        let error = crate::Error::Unrenderable {
            failures: vec!["a.yaml:1:1: x\n::add-mask::y".into(), "b.yaml".into()],
            total: 3,
        };
        let text = error_text(&error);
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.contains("x\\n::add-mask::y"));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            html("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(html("a\u{1b}[31m\nb\u{7}"), "a[31m b");
    }
}
