//! The minijinja environment: one template per handoff type (`TYPE.md.j2`) plus the partials
//! they include (`_summary.md.j2`, `_sources.md.j2`). The repository's `templates/NAME`
//! replaces the embedded default of the same name. Undefined values are errors, auto-escaping
//! is off (Markdown is escaped by the formatter in [`super::filters`]), and template errors
//! become [`Error::Template`] naming the file and line.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use crate::error::Error;

/// The folder, at the repository root, whose files override the embedded templates.
pub const TEMPLATES_DIR: &str = "templates";

/// The embedded templates (the project's own `templates/` folder).
pub static EMBEDDED: &[(&str, &str)] = &[
    (
        "_summary.md.j2",
        include_str!("../../templates/_summary.md.j2"),
    ),
    (
        "_sources.md.j2",
        include_str!("../../templates/_sources.md.j2"),
    ),
    ("sdr-ae.md.j2", include_str!("../../templates/sdr-ae.md.j2")),
    (
        "sales-cs.md.j2",
        include_str!("../../templates/sales-cs.md.j2"),
    ),
    ("ae-se.md.j2", include_str!("../../templates/ae-se.md.j2")),
    (
        "sales-implementation.md.j2",
        include_str!("../../templates/sales-implementation.md.j2"),
    ),
    (
        "cs-sales.md.j2",
        include_str!("../../templates/cs-sales.md.j2"),
    ),
];

/// The instructions one render may run (minijinja's fuel).
pub const TEMPLATE_FUEL: u64 = 20_000_000;

/// The template that renders a handoff type.
pub fn template_name(handoff_type: &str) -> String {
    format!("{handoff_type}.md.j2")
}

/// The templates of one repository, compiled on first use.
pub struct Templates {
    env: Environment<'static>,
    /// Why the loader refused a repository template (a link, a pipe, too large), reported as
    /// such: minijinja turns a loader error inside an include into "non-existing template".
    refused: Arc<Mutex<Option<String>>>,
    root: PathBuf,
    dir: PathBuf,
}

impl Templates {
    /// Templates from `ROOT/templates/` over the embedded defaults.
    pub fn new(root: &Path) -> Result<Templates, Error> {
        let dir = root.join(TEMPLATES_DIR);
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Debug mode makes an undefined-value error name the expression (`handoff.custmer`).
        env.set_debug(true);
        env.set_auto_escape_callback(|_| AutoEscape::None);
        // Block tags on their own line leave no blank line behind: templates read like the
        // Markdown they produce.
        let syntax = SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(|err| Error::Template(format!("template syntax settings: {err}")))?;
        env.set_syntax(syntax);
        super::filters::register(&mut env);
        // A repository's template is untrusted: a loop that never ends (or one over a huge
        // range) runs out of fuel and fails naming its file and line. Rendering the largest
        // handoff (1 MiB) with the embedded templates uses a small fraction of this.
        env.set_fuel(Some(TEMPLATE_FUEL));
        let loader_root = root.to_path_buf();
        let refused = Arc::new(Mutex::new(None));
        let loader_refused = Arc::clone(&refused);
        env.set_loader(move |name| {
            load(&loader_root, name).inspect_err(|err| {
                if let Ok(mut slot) = loader_refused.lock() {
                    slot.get_or_insert_with(|| err.detail().unwrap_or_default().to_string());
                }
            })
        });
        Ok(Templates {
            env,
            refused,
            root: root.to_path_buf(),
            dir,
        })
    }

    /// Loads (and compiles) `name`, so a broken template is reported before anything renders.
    pub fn check(&self, name: &str) -> Result<(), Error> {
        self.env
            .get_template(name)
            .map(|_| ())
            .map_err(|err| self.error(name, &err))
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: Value) -> Result<String, Error> {
        self.env
            .get_template(name)
            .and_then(|template| template.render(context))
            .map_err(|err| self.error(name, &err))
    }

    /// Where a template comes from: the repository's file, or the embedded default.
    pub fn origin(&self, name: &str) -> String {
        if self.dir.join(name).is_file() {
            format!("{TEMPLATES_DIR}/{name}")
        } else {
            format!("{TEMPLATES_DIR}/{name} (embedded default)")
        }
    }

    /// A minijinja error as a tool failure naming the template file and line.
    fn error(&self, requested: &str, err: &minijinja::Error) -> Error {
        if let Some(refused) = self.refused.lock().ok().and_then(|slot| slot.clone()) {
            return Error::Template(refused);
        }
        // An error inside an included template arrives wrapped ("could not render include");
        // the innermost one says where the problem is.
        let mut innermost = err;
        let mut source = std::error::Error::source(err);
        while let Some(next) = source {
            if let Some(inner) = next.downcast_ref::<minijinja::Error>() {
                innermost = inner;
            }
            source = next.source();
        }
        let name = innermost.name().unwrap_or(requested);
        let mut message = format!("{}: ", self.location(name, innermost.line()));
        match innermost.detail() {
            Some(detail) if innermost.kind() == minijinja::ErrorKind::TemplateNotFound => {
                message.push_str(detail);
            }
            Some(detail) => message.push_str(&format!("{}: {detail}", innermost.kind())),
            None => message.push_str(&innermost.kind().to_string()),
        }
        if innermost.kind() == minijinja::ErrorKind::OutOfFuel {
            message.push_str(&format!(
                " (it ran over {TEMPLATE_FUEL} instructions: a loop that never ends, or one too long)"
            ));
        }
        if innermost.kind() == minijinja::ErrorKind::SyntaxError {
            let unclosed = load(&self.root, name)
                .ok()
                .flatten()
                .and_then(|text| unclosed_block(&text));
            if let Some((tag, line)) = unclosed {
                message.push_str(&format!(
                    " (the `{{% {tag} %}}` opened on line {line} is never closed)"
                ));
            }
        }
        if !std::ptr::eq(innermost, err) {
            let parent = err.name().unwrap_or(requested);
            message.push_str(&format!(
                ", included from {}",
                self.location(parent, err.line())
            ));
        }
        message.push_str(if self.dir.join(name).is_file() {
            "; fix the template or delete it to use the embedded default (an optional key needs `is defined`, `is filled` or `default_text`)"
        } else {
            "; this is a bug in handoff's embedded template, please report it"
        });
        Error::Template(message)
    }

    fn location(&self, name: &str, line: Option<usize>) -> String {
        match line {
            Some(line) => format!("{} line {line}", self.origin(name)),
            None => self.origin(name),
        }
    }
}

/// The innermost block tag (`if`, `for`, ...) that `source` opens and never closes, with its
/// line: minijinja reports a missing `endif` where the input ends, not where the block began.
fn unclosed_block(source: &str) -> Option<(String, usize)> {
    const BLOCKS: [&str; 9] = [
        "if",
        "for",
        "macro",
        "call",
        "filter",
        "with",
        "block",
        "autoescape",
        "raw",
    ];
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut rest = source;
    let mut line = 1;
    while let Some(start) = [rest.find("{%"), rest.find("{#")]
        .into_iter()
        .flatten()
        .min()
    {
        let close = if rest[start..].starts_with("{#") {
            "#}"
        } else {
            "%}"
        };
        line += rest[..start].matches('\n').count();
        rest = &rest[start + 2..];
        let end = rest.find(close)?;
        let inside = &rest[..end];
        if close == "%}" {
            let inside = inside.trim_start_matches(['-', '+']).trim();
            let keyword: String = inside
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let block_set = keyword == "set" && !inside.contains('=');
            if BLOCKS.contains(&keyword.as_str()) || block_set {
                open.push((keyword, line));
            } else if let Some(closed) = keyword.strip_prefix("end") {
                if let Some(at) = open.iter().rposition(|(name, _)| name == closed) {
                    open.truncate(at);
                }
            }
        }
        line += inside.matches('\n').count();
        rest = &rest[end + 2..];
    }
    open.pop()
}

/// The repository's `templates/NAME` (through the confined asset reader: a link, pipe or
/// oversized file is refused), else the embedded default.
fn load(root: &Path, name: &str) -> Result<Option<String>, minijinja::Error> {
    // Only plain file names: an include cannot reach outside the templates folder.
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return Ok(None);
    }
    match crate::repo::asset::read(root, &Path::new(TEMPLATES_DIR).join(name)) {
        Ok(Some(text)) => Ok(Some(text)),
        Ok(None) => Ok(EMBEDDED
            .iter()
            .find(|(embedded, _)| *embedded == name)
            .map(|(_, text)| text.to_string())),
        Err(err) => Err(minijinja::Error::new(
            minijinja::ErrorKind::TemplateNotFound,
            err.to_string(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unclosed_block_is_found_where_it_opens() {
        assert_eq!(
            unclosed_block(
                "a\n{# {% if x %} #}\n{% if x %}\n{% for y in z %}\n{% endfor %}\nend\n"
            ),
            Some(("if".to_string(), 3))
        );
        assert_eq!(unclosed_block("{% if x %}{% set a = 1 %}{% endif %}"), None);
        assert_eq!(
            unclosed_block("{% set a %}\n{%- if b -%}{% endif %}"),
            Some(("set".to_string(), 1))
        );
    }

    #[test]
    fn every_embedded_template_compiles() {
        let templates = Templates::new(Path::new("/nonexistent")).unwrap();
        for (name, _) in EMBEDDED {
            templates.check(name).unwrap();
        }
    }
}
