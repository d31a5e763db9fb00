//! The minijinja environment: one template per handoff type (`TYPE.md.j2`) plus the partials
//! they include (`_summary.md.j2`, `_sources.md.j2`). The repository's `templates/NAME`
//! replaces the embedded default of the same name. Undefined values are errors, auto-escaping
//! is off (Markdown is escaped by the formatter in [`super::filters`]), and template errors
//! become [`Error::Template`] naming the file and line.

use std::path::{Path, PathBuf};

use minijinja::syntax::SyntaxConfig;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};

use crate::error::Error;

/// The folder, at the repository root, whose files override the embedded templates.
pub const TEMPLATES_DIR: &str = "templates";

/// The embedded templates (the project's own `templates/` folder).
pub static EMBEDDED: &[(&str, &str)] = &[
    ("_summary.md.j2", include_str!("../../templates/_summary.md.j2")),
    ("_sources.md.j2", include_str!("../../templates/_sources.md.j2")),
    ("sdr-ae.md.j2", include_str!("../../templates/sdr-ae.md.j2")),
    ("sales-cs.md.j2", include_str!("../../templates/sales-cs.md.j2")),
    ("ae-se.md.j2", include_str!("../../templates/ae-se.md.j2")),
    (
        "sales-implementation.md.j2",
        include_str!("../../templates/sales-implementation.md.j2"),
    ),
    ("cs-sales.md.j2", include_str!("../../templates/cs-sales.md.j2")),
];

/// The template that renders a handoff type.
pub fn template_name(handoff_type: &str) -> String {
    format!("{handoff_type}.md.j2")
}

/// The templates of one repository, compiled on first use.
pub struct Templates {
    env: Environment<'static>,
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
        let loader_dir = dir.clone();
        env.set_loader(move |name| load(&loader_dir, name));
        Ok(Templates { env, dir })
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
        if err.kind() == minijinja::ErrorKind::TemplateNotFound {
            return Error::Template(format!(
                "{}: no such template (requested by {}); add it to {TEMPLATES_DIR}/ or fix the name",
                err.name().unwrap_or(requested),
                self.origin(requested)
            ));
        }
        let name = err.name().unwrap_or(requested);
        let origin = self.origin(name);
        let location = match err.line() {
            Some(line) => format!("{origin}:{line}"),
            None => origin,
        };
        let what = match err.detail() {
            Some(detail) => format!("{}: {detail}", err.kind()),
            None => err.kind().to_string(),
        };
        let fix = if self.dir.join(name).is_file() {
            format!(
                "fix the template, or delete it to use the embedded default; an optional key needs `is defined` or `default_text`"
            )
        } else {
            "this is a bug in handoff's embedded template; please report it".to_string()
        };
        let mut message = format!("{location}: template error: {what}; {fix}");
        // Errors raised inside an included template name the template that was rendering.
        if name != requested {
            message.push_str(&format!(" (while rendering {})", self.origin(requested)));
        }
        Error::Template(message)
    }
}

fn load(dir: &Path, name: &str) -> Result<Option<String>, minijinja::Error> {
    // Only plain file names: an include cannot reach outside the templates folder.
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return Ok(None);
    }
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(EMBEDDED
            .iter()
            .find(|(embedded, _)| *embedded == name)
            .map(|(_, text)| text.to_string())),
        Err(err) => Err(minijinja::Error::new(
            minijinja::ErrorKind::TemplateNotFound,
            format!("{TEMPLATES_DIR}/{name}: cannot read: {err}"),
        )),
    }
}
