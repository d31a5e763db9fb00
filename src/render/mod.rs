//! `handoff render`: handoffs as Markdown (fit for a pull-request body) or one self-contained
//! HTML page, for the people who receive them. Each file is read and parsed once and scored by
//! the same [`Linter`] as the gate; its value is fitted to its schema ([`shape`]) and rendered
//! by its type's minijinja template ([`templates`]) with Markdown-escaping filters
//! ([`filters`]); HTML comes from that Markdown ([`html`]). One handoff goes to standard
//! output or `-o FILE`; several (or a folder) go to `-o DIR`, one file per handoff.

pub mod context;
pub mod filters;
pub mod html;
pub mod shape;
pub mod templates;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::cli::{RenderArgs, RenderFormat};
use crate::error::{Error, ExitStatus, Result};
use crate::lint::{FileReport, Linter};
use crate::repo::{Candidate, Workspace};

use self::shape::Shapes;
use self::templates::{template_name, Templates};

/// Where the rendered handoffs go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Destination {
    /// One handoff, to standard output.
    Stdout,
    /// One handoff, to this file (as given, and resolved against the working directory).
    File { shown: PathBuf, path: PathBuf },
    /// One file per handoff under this folder.
    Dir { shown: PathBuf, path: PathBuf },
}

/// One handoff rendered, or the reason it could not be.
enum Outcome {
    Rendered {
        candidate: Candidate,
        report: Box<FileReport>,
        text: String,
    },
    Failed(String),
}

/// Runs `handoff render`.
pub fn command(
    args: RenderArgs,
    cwd: &Path,
    today: jiff::civil::Date,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let today = args.now.unwrap_or(today);
    let workspace = Workspace::open(cwd)?;
    let several = args.paths.len() > 1 || args.paths.iter().any(|p| cwd.join(p).is_dir());
    let destination = destination(&args, cwd, several)?;
    let candidates = workspace.discover(&args.paths)?;
    if candidates.is_empty() {
        return Err(Error::Usage(format!(
            "no handoff files (.yaml, .yml) under {}; pass handoff files or a folder that holds some",
            join_paths(&args.paths)
        )));
    }
    if let Destination::File { shown, path } = &destination {
        refuse_overwriting_input(shown, path, &candidates)?;
    }

    let linter = Linter::new(&workspace, None, today)?;
    let templates = Templates::new(&workspace.root)?;
    let evaluated: Vec<_> = candidates
        .par_iter()
        .map(|candidate| (candidate, linter.lint_file_with_document(candidate)))
        .collect();
    // Compile every template needed before rendering anything: a broken override stops the
    // run (exit 2) before a single file is written.
    let types: BTreeSet<&str> = evaluated
        .iter()
        .filter_map(|(_, (document, report))| {
            document.as_ref()?;
            report.handoff_type.as_deref()
        })
        .collect();
    for handoff_type in &types {
        templates.check(&template_name(handoff_type))?;
    }
    let shapes = Shapes::new(linter.schemas().documents());
    let outcomes: Vec<Outcome> = evaluated
        .into_par_iter()
        .map(|(candidate, (document, report))| {
            render_one(
                &templates,
                &shapes,
                args.format,
                candidate,
                document,
                report,
            )
        })
        .collect::<Result<_>>()?;

    let mut failures = Vec::new();
    let mut rendered = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Rendered {
                candidate,
                report,
                text,
            } => rendered.push((candidate, report, text)),
            Outcome::Failed(message) => failures.push(message),
        }
    }
    let total = rendered.len() + failures.len();
    match &destination {
        Destination::Stdout => {
            for (_, _, text) in &rendered {
                out.write_all(text.as_bytes())
                    .map_err(|err| Error::io("<stdout>", "cannot write output", err))?;
            }
        }
        Destination::File { shown, path } => {
            if let Some((_, report, text)) = rendered.first() {
                crate::atomic::refuse_special_target(path, shown)?;
                if !args.force && path.symlink_metadata().is_ok() {
                    return Err(Error::Exists {
                        path: shown.clone(),
                    });
                }
                write_atomically(shown, path, text, args.force)?;
                written(out, shown, report)?;
            }
        }
        Destination::Dir { shown, path } => {
            let extension = match args.format {
                RenderFormat::Md => "md",
                RenderFormat::Html => "html",
            };
            let handoffs_dir = workspace.config.handoffs_dir.trim_end_matches('/');
            let mut planned: BTreeMap<PathBuf, &str> = BTreeMap::new();
            for (candidate, _, _) in &rendered {
                let relative = output_name(&candidate.display, handoffs_dir, extension);
                if let Some(other) = planned.insert(relative.clone(), &candidate.display) {
                    return Err(Error::Usage(format!(
                        "{} and {} would both be written to {}; render them separately with -o FILE",
                        other,
                        candidate.display,
                        shown.join(&relative).display()
                    )));
                }
            }
            if !args.force {
                for relative in planned.keys() {
                    if path.join(relative).symlink_metadata().is_ok() {
                        return Err(Error::Exists {
                            path: shown.join(relative),
                        });
                    }
                }
            }
            for (candidate, report, text) in &rendered {
                let relative = output_name(&candidate.display, handoffs_dir, extension);
                write_atomically(
                    &shown.join(&relative),
                    &path.join(&relative),
                    text,
                    args.force,
                )?;
                written(out, &shown.join(&relative), report)?;
            }
        }
    }
    if failures.is_empty() {
        Ok(ExitStatus::Success)
    } else {
        Err(Error::Unrenderable { failures, total })
    }
}

/// Validates `-o` against the number of inputs.
fn destination(args: &RenderArgs, cwd: &Path, several: bool) -> Result<Destination> {
    let Some(output) = args
        .output
        .as_ref()
        .filter(|o| !crate::atomic::is_stdout(o))
    else {
        if several {
            return Err(Error::Usage(format!(
                "{} holds several handoffs: pass -o DIR to write one file per handoff (standard output takes one handoff)",
                join_paths(&args.paths)
            )));
        }
        return Ok(Destination::Stdout);
    };
    let path = cwd.join(output);
    let names_a_folder =
        path.is_dir() || output.as_os_str().to_string_lossy().ends_with(['/', '\\']);
    if several || names_a_folder {
        if path.exists() && !path.is_dir() {
            return Err(Error::Usage(format!(
                "-o {}: is a file; several handoffs need a folder (one file per handoff)",
                output.display()
            )));
        }
        return Ok(Destination::Dir {
            shown: output.clone(),
            path,
        });
    }
    Ok(Destination::File {
        shown: output.clone(),
        path,
    })
}

fn join_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `-o` naming the handoff itself would replace the YAML with its rendering.
fn refuse_overwriting_input(shown: &Path, path: &Path, candidates: &[Candidate]) -> Result<()> {
    let Ok(output) = path.canonicalize() else {
        return Ok(());
    };
    if candidates
        .iter()
        .any(|c| c.path.canonicalize().is_ok_and(|input| input == output))
    {
        return Err(Error::Usage(format!(
            "-o {}: that is the handoff being rendered; write the output to another file",
            shown.display()
        )));
    }
    Ok(())
}

/// Parses, fits and renders one handoff. A file that cannot be parsed (or has no known type)
/// is an [`Outcome::Failed`]; a template failure is an error for the whole run.
fn render_one(
    templates: &Templates,
    shapes: &Shapes,
    format: RenderFormat,
    candidate: &Candidate,
    document: Option<crate::document::Document>,
    report: FileReport,
) -> Result<Outcome> {
    let rendered = match &document {
        Some(document) => render_document(templates, shapes, format, document, &report)?,
        None => None,
    };
    Ok(match rendered {
        Some(text) => Outcome::Rendered {
            candidate: candidate.clone(),
            report: Box::new(report),
            text,
        },
        None => Outcome::Failed(describe_failure(&report)),
    })
}

/// Renders one parsed handoff with its verdict, or `None` when it has no known type. Used by
/// the command and by the fuzz target (parse → validate → score → render).
pub fn render_document(
    templates: &Templates,
    shapes: &Shapes,
    format: RenderFormat,
    document: &crate::document::Document,
    report: &FileReport,
) -> Result<Option<String>> {
    let Some(handoff_type) = report.handoff_type.as_deref() else {
        return Ok(None);
    };
    let fitted = shapes.fit(handoff_type, &document.value);
    let markdown = templates.render(
        &template_name(handoff_type),
        context::build(&fitted, report),
    )?;
    Ok(Some(match format {
        RenderFormat::Md => markdown,
        RenderFormat::Html => {
            let title = fitted
                .get("title")
                .and_then(serde_json::Value::as_str)
                .filter(|t| !t.trim().is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| format!("Handoff {}", report.path));
            html::page_with_verdict(&title, &markdown, Some(report.passed))
        }
    }))
}

/// The rendered Markdown of each handoff in a lint report that can be rendered (a known type,
/// parsed), by report path, for `lint --format markdown`'s `<details>`. The files are read
/// again, under the same rules as the gate's reader: regular files (not links) under the size
/// cap. A broken template override is an error, as for `handoff render`.
pub fn markdown_for_report(
    workspace: &Workspace,
    report: &crate::lint::LintReport,
) -> Result<BTreeMap<String, String>> {
    let mut rendered = BTreeMap::new();
    let wanted: Vec<&FileReport> = report
        .files
        .iter()
        .filter(|f| f.handoff_type.is_some())
        .collect();
    if wanted.is_empty() {
        return Ok(rendered);
    }
    let templates = Templates::new(&workspace.root)?;
    let schemas = workspace.load_schemas()?;
    let shapes = Shapes::new(schemas.documents());
    let max_size = workspace.config.max_file_size;
    for file in wanted {
        let path = workspace.root.join(&file.path);
        let regular = std::fs::symlink_metadata(&path)
            .is_ok_and(|meta| meta.is_file() && meta.len() <= max_size);
        let Some(bytes) = regular.then(|| std::fs::read(&path).ok()).flatten() else {
            continue;
        };
        let Ok(document) = crate::document::parse(&bytes, max_size) else {
            continue;
        };
        if let Some(text) = render_document(&templates, &shapes, RenderFormat::Md, &document, file)?
        {
            rendered.insert(file.path.clone(), text);
        }
    }
    Ok(rendered)
}

/// "path:line:column: what is wrong; what to do" for a file that cannot be rendered.
fn describe_failure(report: &FileReport) -> String {
    let Some(diagnostic) = report.diagnostics.first() else {
        return format!("{}: cannot be rendered", report.path);
    };
    let location = if diagnostic.line > 0 {
        format!("{}:{}:{}", report.path, diagnostic.line, diagnostic.column)
    } else {
        report.path.clone()
    };
    let mut message = format!("{location}: {}", diagnostic.message);
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("; {help}"));
    }
    message
}

/// `handoffs/sales-cs/acme.yaml` → `sales-cs/acme.md`: the path under the handoffs folder
/// (under the repository root for files elsewhere, the bare name for files outside it), with
/// the output's extension. Only plain components, so it stays inside the output folder.
fn output_name(display: &str, handoffs_dir: &str, extension: &str) -> PathBuf {
    let relative = display
        .strip_prefix(handoffs_dir)
        .and_then(|rest| rest.strip_prefix('/'))
        .unwrap_or(display);
    let parts: Vec<&str> = relative.split('/').collect();
    let plain = parts.iter().all(|part| {
        matches!(
            Path::new(part).components().next(),
            Some(Component::Normal(_))
        ) && !part.contains('\\')
    });
    let mut path: PathBuf = if plain {
        parts.iter().collect()
    } else {
        PathBuf::from(
            parts
                .last()
                .copied()
                .filter(|name| !name.is_empty())
                .unwrap_or("handoff"),
        )
    };
    path.set_extension(extension);
    path
}

/// Writes `text` to `path` through a temporary file in the same folder, so a reader never sees
/// half a file; without `force`, an existing file is never replaced.
fn write_atomically(shown: &Path, path: &Path, text: &str, force: bool) -> Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    crate::atomic::refuse_special_target(path, shown)?;
    std::fs::create_dir_all(&folder)
        .map_err(|err| Error::io(folder.clone(), "cannot create the output folder", err))?;
    let mut temporary = crate::atomic::temporary_in(&folder, ".tmp")
        .map_err(|err| Error::io(folder.clone(), "cannot create a file in", err))?;
    temporary
        .write_all(text.as_bytes())
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|err| Error::io(shown, "cannot write", err))?;
    let persisted = if force {
        temporary.persist(path)
    } else {
        temporary.persist_noclobber(path)
    };
    persisted.map_err(|err| {
        if err.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Exists {
                path: shown.to_path_buf(),
            }
        } else {
            Error::io(shown, "cannot write", err.error)
        }
    })?;
    Ok(())
}

fn written(out: &mut dyn Write, shown: &Path, report: &FileReport) -> Result<()> {
    writeln!(
        out,
        "wrote {} ({}: {}/100, {})",
        shown.display(),
        report.path,
        report.score,
        if report.passed { "PASS" } else { "FAIL" }
    )
    .map_err(|err| Error::io("<stdout>", "cannot write output", err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_keep_the_type_folder_and_stay_inside() {
        assert_eq!(
            output_name("handoffs/sales-cs/acme.yaml", "handoffs", "md"),
            PathBuf::from("sales-cs/acme.md")
        );
        assert_eq!(
            output_name("tests/fixtures/x.yml", "handoffs", "html"),
            PathBuf::from("tests/fixtures/x.html")
        );
        assert_eq!(
            output_name("../elsewhere/y.yaml", "handoffs", "md"),
            PathBuf::from("y.md")
        );
        assert_eq!(
            output_name("/abs/z.yaml", "handoffs", "md"),
            PathBuf::from("z.md")
        );
    }

    /// The fuzz target's pipeline, bounded for CI: mutated real handoffs go through parse,
    /// validation, scoring, rules and rendering without a panic or a template error, and the
    /// HTML never carries raw markup from the input.
    mod pipeline {
        use super::super::*;
        use proptest::prelude::*;
        use std::sync::LazyLock;

        static EXAMPLES: &[&str] = &[
            include_str!("../../handoffs/sales-cs/brightline-insurance.yaml"),
            include_str!("../../handoffs/sdr-ae/orchid-payroll.yaml"),
            include_str!("../../handoffs/ae-se/kestrel-analytics.yaml"),
            include_str!("../../handoffs/sales-implementation/copperleaf-manufacturing.yaml"),
            include_str!("../../handoffs/cs-sales/alder-biotech.yaml"),
        ];

        struct Pipeline {
            linter: Linter,
            templates: Templates,
        }

        static PIPELINE: LazyLock<Pipeline> = LazyLock::new(|| {
            let empty = tempfile::tempdir().expect("temp dir").keep();
            let workspace = Workspace::open(&empty).expect("workspace");
            Pipeline {
                linter: Linter::new(&workspace, None, "2026-11-22".parse().expect("date"))
                    .expect("linter"),
                templates: Templates::new(&empty).expect("templates"),
            }
        });

        /// Replaces the value of one line's `key: value` with hostile or odd text.
        fn mutate(example: &str, line: usize, value: &str) -> String {
            let mut lines: Vec<String> = example.lines().map(str::to_string).collect();
            let at = line % lines.len();
            if let Some((key, _)) = lines[at].clone().split_once(": ") {
                lines[at] = format!("{key}: {value}");
            }
            lines.join("\n")
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

            #[test]
            fn any_mutation_renders_or_is_reported(
                which in 0..EXAMPLES.len(),
                line in 0usize..400,
                value in prop_oneof![
                    Just("<script>alert(1)</script>".to_string()),
                    Just("\"<img src=x onerror=alert(1)>\"".to_string()),
                    Just("[a, {b: c}, [d]]".to_string()),
                    Just("{x: 1}".to_string()),
                    Just("~".to_string()),
                    Just("12.5".to_string()),
                    Just("'| # - ` {{ x }}'".to_string()),
                    "[ -~]{0,40}",
                ],
            ) {
                let pipeline = &*PIPELINE;
                let text = mutate(EXAMPLES[which], line, &value);
                let report = pipeline.linter.evaluate("handoffs/x.yaml", text.as_bytes());
                prop_assert!(report.score <= 100);
                if let Ok(document) = crate::document::parse(text.as_bytes(), 1 << 20) {
                    let shapes = Shapes::new(pipeline.linter.schemas().documents());
                    let html = render_document(&pipeline.templates, &shapes, RenderFormat::Html, &document, &report);
                    prop_assert!(html.is_ok(), "{:?}", html.err());
                    if let Ok(Some(page)) = html {
                        let lower = page.to_lowercase();
                        prop_assert!(!lower.contains("<script") && !lower.contains("onerror="));
                    }
                }
            }
        }
    }
}
