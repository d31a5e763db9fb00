//! Markdown → HTML with comrak (GitHub-flavoured: tables, strikethrough, autolinks), wrapped in
//! one self-contained printable page: inline stylesheet, no scripts, no external resources.
//! Raw HTML is never rendered (comrak's safe mode replaces it with a comment and drops
//! `javascript:` links), and user text reaches the Markdown already escaped, so a `<script>`
//! in a handoff comes out as `&lt;script&gt;`. A Content-Security-Policy forbids scripts and
//! remote loads even if something slipped through. The page's text writes `=` and `:` as
//! character references, so even text that merely mentions `onerror=` or `javascript:` leaves
//! no such sequence in the file for a scanner or mail filter to trip on.

/// The comrak options used for every page.
fn options() -> comrak::Options<'static> {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    // Never pass raw HTML through (the default; stated because it is the point).
    options.render.r#unsafe = false;
    options
}

/// Markdown → an HTML fragment.
pub fn fragment(markdown: &str) -> String {
    let html = comrak::markdown_to_html(markdown, &options());
    // Wide tables scroll inside their own box instead of widening the page; comrak writes
    // exactly these tags (text from a handoff cannot: its `<` is escaped).
    let html = html
        .replace("<table>", "<div class=\"table\"><table>")
        .replace("</table>", "</table></div>");
    encode_text(&html)
}

/// Writes `=` and `:` outside tags as `&#61;` and `&#58;` (browsers show them unchanged), and
/// wraps each `YYYY-MM-DD` date of the text in `<span class="date">` (kept on one line).
/// Drops control characters (C0, DEL, C1) that the Markdown may still hold.
/// comrak escapes `<` and `>` in text and attribute values, so every `<` starts a tag.
fn encode_text(html: &str) -> String {
    let mut encoded = String::with_capacity(html.len() + html.len() / 16);
    let mut in_tag = false;
    let chars: Vec<char> = html.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let ch = chars[index];
        index += 1;
        if ch.is_control() && ch != '\n' && ch != '\t' {
            continue;
        }
        if !in_tag && is_date_at(&chars, index - 1) {
            encoded.push_str("<span class=\"date\">");
            encoded.extend(&chars[index - 1..index + 9]);
            encoded.push_str("</span>");
            index += 9;
            continue;
        }
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '=' if !in_tag => {
                encoded.push_str("&#61;");
                continue;
            }
            ':' if !in_tag => {
                encoded.push_str("&#58;");
                continue;
            }
            _ => {}
        }
        encoded.push(ch);
    }
    encoded
}

/// A `YYYY-MM-DD` starting at `at`, not inside a longer run of digits or letters.
fn is_date_at(chars: &[char], at: usize) -> bool {
    let Some(window) = chars.get(at..at + 10) else {
        return false;
    };
    let shape = window.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == '-',
        _ => c.is_ascii_digit(),
    });
    let before = at.checked_sub(1).and_then(|i| chars.get(i));
    let after = chars.get(at + 10);
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '-');
    shape && !word(before) && !word(after)
}

/// Markdown → one self-contained HTML page titled `title`.
pub fn page(title: &str, markdown: &str) -> String {
    page_with_verdict(title, markdown, None)
}

/// [`page`], marked with the gate's verdict (`<main class="verdict-pass|verdict-fail">`), so
/// the stylesheet sets the opening score banner apart: a FAIL reads differently even printed
/// in greyscale (a thick dashed frame and hatching, against a thin solid line).
pub fn page_with_verdict(title: &str, markdown: &str, passed: Option<bool>) -> String {
    let body = fragment(markdown);
    let class = match passed {
        Some(true) => " class=\"verdict-pass\"",
        Some(false) => " class=\"verdict-fail\"",
        None => "",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"handoff render\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main{class}>\n{body}</main>\n</body>\n</html>\n",
        title = title_text(title),
    )
}

/// The page title: white space folded, escaped by the one HTML escaper, and `=` and `:` written
/// as in the body (`&#61;`, `&#58;`).
fn title_text(title: &str) -> String {
    let folded = title.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::report::escape::html(&folded)
        .replace('=', "&#61;")
        .replace(':', "&#58;")
}

/// A small stylesheet: readable on screen, compact on paper. Long words and addresses wrap
/// anywhere rather than widen the page; a table too wide for the page scrolls in its own box;
/// dates never break at their hyphens; the FAIL banner differs in shape, not only in colour.
const STYLE: &str = r#":root { color-scheme: light; }
body { margin: 0; background: #f6f7f9; color: #1f2328; font: 15px/1.55 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 52rem; margin: 2rem auto; padding: 2rem 2.5rem; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; overflow-wrap: anywhere; }
.table { max-width: 100%; overflow-x: auto; }
td, th { overflow-wrap: anywhere; }
/* A label column keeps its words whole (no "Com|pany" at 390 px); only a word longer than the
   column breaks. */
td:first-child, th:first-child { overflow-wrap: break-word; }
.date { white-space: nowrap; }
main > blockquote:first-of-type { border-left-width: 4px; }
.verdict-pass > blockquote:first-of-type { border: 1px solid #1a7f37; border-left: 6px solid #1a7f37; background: #eefbf1; }
.verdict-fail > blockquote:first-of-type { border: 3px dashed #a40e26; border-left: 12px double #a40e26; background: #fff1f1 repeating-linear-gradient(135deg, transparent 0 10px, rgba(0, 0, 0, .07) 10px 20px); }
.verdict-fail > blockquote:first-of-type strong { text-transform: uppercase; letter-spacing: .03em; }
@media (max-width: 40rem) {
  main { margin: 0; padding: 1rem; border: 0; border-radius: 0; }
}
h1 { font-size: 1.7rem; margin: 0 0 1rem; padding-bottom: .4rem; border-bottom: 2px solid #d0d7de; }
h2 { font-size: 1.25rem; margin: 1.8rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid #d8dee4; }
h3 { font-size: 1.05rem; margin: 1.3rem 0 .4rem; }
blockquote { margin: 1rem 0; padding: .5rem 1rem; border-left: 4px solid #0969da; background: #f1f6fd; }
blockquote p { margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .35rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
tr:nth-child(even) td { background: #fbfcfd; }
code { font: .88em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3; padding: .1em .3em; border-radius: 4px; }
hr { border: 0; border-top: 1px solid #d8dee4; margin: 2rem 0 1rem; }
a { color: #0969da; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; margin: 0; padding: 0; border: 0; }
  h2 { break-after: avoid; }
  table, blockquote, li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .table { overflow: visible; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_script_links_do_not_survive() {
        let html = page(
            "<b>x</b>",
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1))\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(
            html.contains("<title>&lt;b&gt;x&lt;/b&gt;</title>"),
            "{html}"
        );
    }

    #[test]
    fn text_mentioning_handlers_or_schemes_leaves_no_such_sequence() {
        let html = fragment("onerror=alert(1) and javascript:alert(1) in `code=x:y`\n");
        assert_eq!(
            html,
            "<p>onerror&#61;alert(1) and javascript&#58;alert(1) in <code>code&#61;x&#58;y</code></p>\n"
        );
        let table = fragment("| a |\n|:--|\n| b |\n");
        assert!(table.contains("<th align=\"left\">a</th>"), "{table}");
    }

    #[test]
    fn the_page_is_self_contained() {
        let html = page("t", "| a |\n|---|\n| b |\n");
        assert!(html.contains("<td>b</td>"), "{html}");
        assert!(html.contains("@media print"));
        for remote in ["http://", "https://", "<link", "<script", "src="] {
            assert!(!html.contains(remote), "{remote} in {html}");
        }
    }
}
