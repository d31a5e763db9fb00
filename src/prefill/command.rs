//! `handoff new TYPE [NAME] --prefill FILE...` (one handoff, or `--each` one per won deal) and
//! `handoff prefill PATH FILE... [--dry-run]`: read the exports, apply the mapping, write the
//! handoff (a new skeleton with the answers in place, or the existing file edited at its
//! nodes' positions), score it, and report what was filled, from where, and what is left.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::calls::{self, Candidates};
use super::edit;
use super::export::{Call, Deal, Exports, Vendor};
use super::mapping::{self, GongMapping, VendorMapping};
use super::plan::{self, Fill, Plan};
use super::report::{self, FilledField, HandoffReport, NotPlaced, RunReport, Skipped};
use crate::cli::{NewArgs, PrefillArgs, PrefillReportFormat};
use crate::error::{Error, ExitStatus, Result};
use crate::history::branch::HandoffBranch;
use crate::lint::Linter;
use crate::playbook::{Playbook, HANDOFF_TYPES};
use crate::repo::Workspace;
use crate::scaffold::new as new_command;
use crate::scaffold::skeleton::{fold_line, yaml_text, PersonFields, Prefilled, Skeleton};

fn check_type(handoff_type: &str) -> Result<()> {
    if HANDOFF_TYPES.contains(&handoff_type) {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "no handoff type {handoff_type:?}; use one of {}",
        HANDOFF_TYPES.join(", ")
    )))
}

/// The mappings a run needs, each read once.
struct Mappings {
    root: PathBuf,
    vendors: BTreeMap<Vendor, VendorMapping>,
    gong: Option<GongMapping>,
}

impl Mappings {
    fn new(root: &Path, exports: &Exports) -> Result<Mappings> {
        let mut vendors = BTreeMap::new();
        for deal in &exports.deals {
            if let std::collections::btree_map::Entry::Vacant(entry) = vendors.entry(deal.vendor) {
                if let Some(mapping) = mapping::load_vendor(root, deal.vendor)? {
                    entry.insert(mapping);
                }
            }
        }
        let gong = if exports.calls.is_empty() {
            None
        } else {
            Some(mapping::load_gong(root)?)
        };
        Ok(Mappings {
            root: root.to_path_buf(),
            vendors,
            gong,
        })
    }

    fn vendor(&self, vendor: Vendor) -> Result<&VendorMapping> {
        self.vendors.get(&vendor).ok_or_else(|| Error::Asset {
            path: self.root.join("crm").display().to_string(),
            message: format!("no mapping for {} deals", vendor.name()),
        })
    }
}

/// What one handoff is filled with.
struct Filling {
    plan: Option<Plan>,
    candidates: Candidates,
    sources: Vec<String>,
}

impl Filling {
    fn new(
        deal: Option<&Deal>,
        calls: &[&Call],
        mappings: &Mappings,
        context: &plan::Context,
        handoff_type: &str,
    ) -> Result<Filling> {
        let plan = match deal {
            Some(deal) => Some(plan::plan(deal, mappings.vendor(deal.vendor)?, context)),
            None => None,
        };
        let candidates = match &mappings.gong {
            Some(rules) => calls::candidates(calls, rules, handoff_type),
            None => Candidates::default(),
        };
        let mut sources: Vec<String> = plan.iter().map(|p| format!("CRM: {}", p.deal)).collect();
        sources.extend(candidates.sources.iter().cloned());
        Ok(Filling {
            plan,
            candidates,
            sources,
        })
    }
}

/// The calls that belong to a deal when several deals are filled at once: those whose customer
/// side includes one of the deal's contacts (by email).
fn calls_for<'a>(calls: &'a [Call], plan: &Plan) -> Vec<&'a Call> {
    calls
        .iter()
        .filter(|call| {
            call.parties.iter().any(|p| {
                p.email
                    .as_deref()
                    .is_some_and(|e| plan.contact_emails.contains(&e.trim().to_lowercase()))
            })
        })
        .collect()
}

/// `Acme Corp` → `acme-corp` (ASCII letters and digits; others become dashes), or `None`.
fn slug_of(text: &str) -> Option<String> {
    let slug = new_command::slugify(text);
    let slug: String = slug.chars().take(60).collect();
    let slug = slug.trim_end_matches('-').to_string();
    crate::scaffold::is_slug(&slug).then_some(slug)
}

/// A value as the skeleton writes it: one line, or block lines after a line break.
fn preset_text(value: &Value, depth: usize) -> String {
    match value {
        Value::String(s) => edit::block_text(s),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        Value::Array(items) if items.iter().any(Value::is_object) => {
            // Block lines relative to the key's children's indentation, which the skeleton
            // adds: a long item is a block mapping (80 columns at `depth`).
            let mut text = String::new();
            for item in items {
                for line in edit::item_lines(item, depth * 2) {
                    text.push('\n');
                    text.push_str(line.get(depth * 2..).unwrap_or(&line));
                }
            }
            text
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(_) => flow(value),
    }
}

fn flow(value: &Value) -> String {
    match value {
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", yaml_text(k), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Value::String(s) => yaml_text(s),
        other => preset_text(other, 0),
    }
}

/// The `provenance` block for the fills.
fn provenance_block(fills: &[&Fill]) -> String {
    if fills.is_empty() {
        return String::new();
    }
    let mut text = String::from(
        "# Where each pre-filled value came from (written by `handoff new --prefill`).\n# When you change a value, change or remove its entry.\nprovenance:\n",
    );
    for fill in fills {
        let head = format!("{}:", yaml_text(&fill.path));
        for line in fold_line(2, &head, &edit::block_text(&fill.provenance())) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    text
}

/// Inputs shared by every handoff of a `new --prefill` run.
struct NewRun<'a> {
    workspace: &'a Workspace,
    linter: &'a Linter,
    playbook: &'a Playbook,
    schemas: BTreeMap<String, Value>,
    handoff_type: &'a str,
    from_flag: Option<PersonFields>,
    to: PersonFields,
    date_flag: Option<jiff::civil::Date>,
    /// The run's date: the trigger date when neither `--date` nor the export gives one.
    today: jiff::civil::Date,
    git_from: Option<PersonFields>,
}

/// A new handoff's text and report.
struct Drafted {
    text: String,
    report: HandoffReport,
}

impl NewRun<'_> {
    fn draft(&self, name: &str, filling: &Filling) -> Drafted {
        let handoff_type = self.handoff_type;
        let folder = self.workspace.handoffs_dir().join(handoff_type);
        let display = self
            .workspace
            .display_path(&folder.join(format!("{name}.yaml")));
        let depth = Path::new(&self.workspace.config.handoffs_dir)
            .components()
            .count()
            + 1;
        let mut fills: Vec<&Fill> = Vec::new();
        let mut already = 0;
        let mut from = self.from_flag.clone();
        let mut trigger_date = self.date_flag;
        let mut title = format!(
            "{} — {}",
            new_command::title_from_slug(name),
            self.playbook.title
        );
        let mut values = BTreeMap::new();
        if let Some(plan) = &filling.plan {
            for fill in &plan.fills {
                match fill.path.as_str() {
                    "from" if from.is_some() => {
                        already += 1;
                        continue;
                    }
                    "from" => {
                        let field = |k: &str| {
                            fill.value
                                .get(k)
                                .and_then(Value::as_str)
                                .map(str::to_string)
                        };
                        from = Some(PersonFields {
                            name: field("name"),
                            role: field("role"),
                            email: field("email"),
                        });
                    }
                    "trigger.date" if trigger_date.is_some() => {
                        already += 1;
                        continue;
                    }
                    "trigger.date" => {
                        trigger_date = fill.value.as_str().and_then(|d| d.parse().ok());
                    }
                    "title" => {
                        if let Some(text) = fill.value.as_str() {
                            title = text.to_string();
                        }
                    }
                    _ => match &fill.value {
                        Value::Object(map) => {
                            for (key, value) in map {
                                let path = format!("{}.{key}", fill.path);
                                let depth = path.split('.').count();
                                values.insert(path, preset_text(value, depth));
                            }
                        }
                        value => {
                            let depth = fill.path.split('.').count();
                            values.insert(fill.path.clone(), preset_text(value, depth));
                        }
                    },
                }
                fills.push(fill);
            }
        }
        if !filling.sources.is_empty() {
            let mut list = String::new();
            for source in &filling.sources {
                list.push_str("\n- ");
                list.push_str(&edit::block_text(source));
            }
            values.insert("sources".into(), list);
        }
        let from = from
            .or_else(|| self.git_from.clone())
            .unwrap_or(PersonFields {
                name: None,
                role: self.playbook.from_role.clone(),
                email: None,
            });
        let render = |fills: &[&Fill]| {
            Skeleton {
                playbook: self.playbook,
                schemas: &self.schemas,
                schema_link: format!("{}schema/{handoff_type}.json", "../".repeat(depth)),
                display_path: display.clone(),
                title: title.clone(),
                from: from.clone(),
                to: self.to.clone(),
                trigger_event: new_command::default_trigger_event(handoff_type).to_string(),
                trigger_date: trigger_date.unwrap_or(self.today),
                prefilled: Prefilled {
                    values: values.clone(),
                    notes: filling.candidates.by_field.clone(),
                    trailer: provenance_block(fills),
                },
            }
            .render()
        };
        let mut text = render(&fills);
        // A value the skeleton had no place for (a mapping path the schema lacks) is reported,
        // and its provenance left out. The document parsed for this check is the one scored.
        let mut not_placed = Vec::new();
        let mut parsed = crate::document::parse_value(text.as_bytes(), u64::MAX).ok();
        if let Some(document) = &parsed {
            let (placed, missing): (Vec<&Fill>, Vec<&Fill>) = fills.iter().partition(|fill| {
                let pointer: String = fill.path.split('.').map(|k| format!("/{k}")).collect();
                document
                    .value
                    .pointer(&pointer)
                    .is_some_and(|v| !edit::is_empty(Some(v)))
            });
            if !missing.is_empty() {
                for fill in &missing {
                    not_placed.push(NotPlaced {
                        path: fill.path.clone(),
                        reason: format!(
                            "schema/{handoff_type}.json has no place for it; fix the path in the CRM mapping"
                        ),
                    });
                }
                fills = placed;
                text = render(&fills);
                parsed = None;
            }
        }
        // Scored with the playbook alone: the content rules judge what a person wrote, and
        // nobody has written into a draft yet (`handoff lint` runs them once someone has).
        let scored = match parsed {
            Some(document) => Some(self.linter.score_document(&document)),
            None => crate::document::parse_value(text.as_bytes(), u64::MAX)
                .ok()
                .map(|document| self.linter.score_document(&document)),
        };
        let (score, threshold, sections) = match scored {
            Some(only) => (only.score, only.threshold, only.sections),
            None => (0, self.linter.default_threshold(), Vec::new()),
        };
        let plan = filling.plan.as_ref();
        let filled_fields: Vec<FilledField> = fills
            .iter()
            .map(|f| FilledField {
                path: f.path.clone(),
                citation: f.citation.clone(),
                inferred: f.inferred.clone(),
            })
            .collect();
        let report = HandoffReport {
            path: display,
            deal: plan.map(|p| p.deal.clone()),
            written: true,
            fields: plan.map_or(0, |p| p.fields),
            filled: filled_fields.len(),
            inferred: filled_fields
                .iter()
                .filter(|f| f.inferred.is_some())
                .count(),
            already_written: already,
            score,
            threshold,
            still_to_write: report::still_to_write(&sections),
            filled_fields,
            unanswered: plan.map(|p| p.unanswered.clone()).unwrap_or_default(),
            disagreements: Vec::new(),
            not_placed,
            candidates: filling.candidates.count(),
            sources: filling.sources.clone(),
            warnings: plan.map(|p| p.warnings.clone()).unwrap_or_default(),
            commit: None,
        };
        Drafted { text, report }
    }
}

fn exists(folder: &Path, name: &str) -> bool {
    ["yaml", "yml"]
        .iter()
        .any(|ext| std::fs::symlink_metadata(folder.join(format!("{name}.{ext}"))).is_ok())
}

/// Runs `handoff new TYPE [NAME] --prefill FILE... [--each]`.
pub fn new_prefilled(
    args: NewArgs,
    cwd: &Path,
    today: jiff::civil::Date,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let handoff_type = args.handoff_type.as_str();
    check_type(handoff_type)?;
    if let Some(name) = &args.name {
        if !crate::scaffold::is_slug(name) {
            return Err(Error::Usage(format!(
                "NAME {name:?} is not a slug: use lower-case letters, digits and dashes (it becomes handoffs/{handoff_type}/NAME.yaml){}",
                slug_of(name).map(|s| format!(", e.g. `{s}`")).unwrap_or_default()
            )));
        }
    }
    let date_flag = args.date;
    let workspace = Workspace::open(cwd)?;
    let linter = Linter::new(&workspace, None, today)?;
    let playbook = linter.current_playbook(handoff_type)?;
    let roster = linter.roster();
    let roster_path = workspace.config.roster.clone();
    let from_flag = match &args.from {
        Some(name) => Some(new_command::person(
            "--from",
            Some(name),
            roster,
            &roster_path,
            playbook.from_role.as_deref(),
        )?),
        None => None,
    };
    if args.to.as_deref().is_some_and(new_command::is_auto) {
        return Err(Error::Usage(
            "--to auto does not work with --prefill yet: pre-fill first, then `handoff route PATH` suggests the receiver for to.name".into(),
        ));
    }
    let to = new_command::person(
        "--to",
        args.to.as_deref(),
        roster,
        &roster_path,
        playbook.to_role.as_deref(),
    )?;
    let exports = super::read_exports(cwd, &args.prefill, args.prefill_format)?;
    if exports.deals.is_empty() && exports.calls.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no deals or calls in the exports; export the deal (and its company, contacts and line items) from the CRM",
            crate::repo::shown_paths(&args.prefill)
        )));
    }
    if args.each && exports.deals.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no deals in the exports; --each makes one handoff per won deal",
            crate::repo::shown_paths(&args.prefill)
        )));
    }
    if !args.each && exports.deals.len() > 1 {
        return Err(Error::Usage(format!(
            "{}: {} deals in the exports; pass --each for one handoff per won deal, or export only this handoff's deal",
            crate::repo::shown_paths(&args.prefill),
            exports.deals.len()
        )));
    }
    let mappings = Mappings::new(&workspace.root, &exports)?;
    let mut schemas = BTreeMap::new();
    for name in ["common.json".to_string(), format!("{handoff_type}.json")] {
        let text = workspace.schema_text(&name)?;
        let value: Value = serde_json::from_str(&text).map_err(|err| Error::Asset {
            path: format!("schema/{name}"),
            message: format!("not valid JSON: {err}"),
        })?;
        schemas.insert(name, value);
    }
    let git_user = match &args.from {
        Some(_) => None,
        None => crate::history::branch::user_name(&workspace.root),
    };
    let git_from = git_user
        .as_deref()
        .and_then(|name| roster.and_then(|r| r.find(name)))
        .map(|person| PersonFields {
            name: Some(person.name.clone()),
            role: person.role.clone().or_else(|| playbook.from_role.clone()),
            email: person.email.clone(),
        });
    let run = NewRun {
        workspace: &workspace,
        linter: &linter,
        playbook,
        schemas,
        handoff_type,
        from_flag,
        to,
        date_flag,
        today,
        git_from,
    };
    let context = plan::Context {
        handoff_type,
        playbook_title: &playbook.title,
        from_role: playbook.from_role.as_deref(),
        roster,
        default_currency: workspace.config.default_currency.as_deref(),
        roster_path: &roster_path,
    };
    let folder = workspace.handoffs_dir().join(handoff_type);
    let mut run_report = RunReport {
        handoffs: Vec::new(),
        skipped: Vec::new(),
    };

    if args.each {
        let mut taken: HashSet<String> = HashSet::new();
        // Each file is written as it is drafted and flushed in the background; none is
        // renamed into place before all are on the disk (src/atomic.rs). A failure leaves none
        // of the new handoffs behind, unless a file appeared at a chosen name meanwhile.
        let mut batch = crate::atomic::Batch::new(false);
        for deal in &exports.deals {
            let mapping = mappings.vendor(deal.vendor)?;
            let deal_plan = plan::plan(deal, mapping, &context);
            if deal_plan.won != Some(true) {
                run_report.skipped.push(Skipped {
                    deal: deal_plan.deal.clone(),
                    reason: match deal_plan.won {
                        Some(_) => "not won".into(),
                        None => format!(
                            "the export does not say whether it is won (no {})",
                            mapping.won.properties.join(" or ")
                        ),
                    },
                });
                continue;
            }
            let base = deal_plan
                .company
                .as_deref()
                .and_then(slug_of)
                .or_else(|| deal_plan.deal_name.as_deref().and_then(slug_of))
                .or_else(|| slug_of(&format!("deal-{}", deal.record.id)))
                .unwrap_or_else(|| "deal".to_string());
            let mut name = base.clone();
            let mut n = 2;
            while taken.contains(&name) || exists(&folder, &name) {
                name = format!("{base}-{n}");
                n += 1;
            }
            taken.insert(name.clone());
            let deal_calls = calls_for(&exports.calls, &deal_plan);
            let candidates = match &mappings.gong {
                Some(rules) => calls::candidates(&deal_calls, rules, handoff_type),
                None => Candidates::default(),
            };
            let mut sources = vec![format!("CRM: {}", deal_plan.deal)];
            sources.extend(candidates.sources.iter().cloned());
            let filling = Filling {
                plan: Some(deal_plan),
                candidates,
                sources,
            };
            let drafted = run.draft(&name, &filling);
            batch.stage(
                &folder.join(format!("{name}.yaml")),
                drafted.text.as_bytes(),
            )?;
            run_report.handoffs.push(drafted.report);
        }
        batch.commit()?;
        match args.format {
            PrefillReportFormat::Json => report::write_json(&run_report, false, out),
            PrefillReportFormat::Human => report::write_human(&run_report, out).and_then(|()| {
                writeln!(
                    out,
                    "Created {} handoff{} in {}/{handoff_type}/ from {} deal{} ({} skipped). Each one's `provenance` cites its sources; finish them and open a pull request per handoff.",
                    run_report.handoffs.len(),
                    if run_report.handoffs.len() == 1 { "" } else { "s" },
                    workspace.config.handoffs_dir,
                    exports.deals.len(),
                    if exports.deals.len() == 1 { "" } else { "s" },
                    run_report.skipped.len()
                )
            }),
        }
        .map_err(Error::stdout)?;
        return Ok(ExitStatus::Success);
    }

    let deal = exports.deals.first();
    let all_calls: Vec<&Call> = exports.calls.iter().collect();
    let filling = Filling::new(deal, &all_calls, &mappings, &context, handoff_type)?;
    let name = match (&args.name, &filling.plan) {
        (Some(name), _) => name.clone(),
        (None, Some(plan)) => plan
            .company
            .as_deref()
            .and_then(slug_of)
            .or_else(|| plan.deal_name.as_deref().and_then(slug_of))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{} names no company to name the file after; give NAME: handoff new {handoff_type} NAME --prefill ...",
                    plan.deal
                ))
            })?,
        (None, None) => {
            return Err(Error::Usage(format!(
                "the exports hold calls but no deal to name the file after; give NAME: handoff new {handoff_type} NAME --prefill ..."
            )))
        }
    };
    if exists(&folder, &name) {
        return Err(Error::Usage(format!(
            "{}: already exists; fill it with `handoff prefill {} FILE...`, or choose another NAME",
            workspace.display_path(&folder.join(format!("{name}.yaml"))),
            workspace.display_path(&folder.join(format!("{name}.yaml")))
        )));
    }
    let branch_name = format!("handoff/{name}");
    let branch = if args.branch {
        Some(HandoffBranch::prepare(&workspace.root, &branch_name)?)
    } else {
        None
    };
    let path = folder.join(format!("{name}.yaml"));
    let mut drafted = run.draft(&name, &filling);
    crate::scaffold::write_atomic(&path, &drafted.text, false)?;
    let display = drafted.report.path.clone();
    let message = format!("Start handoff {name} ({handoff_type}), pre-filled from the CRM");
    if let Some(branch) = branch {
        let committed = branch.commit_file(&path, &message).map_err(|err| {
            Error::Git(format!(
                "{display} was written, but not committed on {branch_name}: {err}"
            ))
        })?;
        drafted.report.commit = Some(format!("{} {}", committed.branch, committed.commit));
    }
    let from_missing = args.from.is_none()
        && !drafted
            .report
            .filled_fields
            .iter()
            .any(|f| f.path == "from");
    let note = if from_missing && run.git_from.is_none() {
        new_command::git_user_note(
            git_user.as_deref(),
            roster,
            &roster_path,
            playbook.from_role.as_deref(),
        )
    } else {
        None
    };
    run_report.handoffs.push(drafted.report);
    match args.format {
        PrefillReportFormat::Json => report::write_json(&run_report, true, out),
        PrefillReportFormat::Human => {
            let shown = new_command::shown_path(&path, cwd, &display);
            let report = &run_report.handoffs[0];
            let mut text = format!(
                "Created {display} ({}, playbook {}), pre-filled from {}.\n",
                playbook.title,
                playbook.id(),
                report.deal.as_deref().unwrap_or("the calls")
            );
            if let Some(commit) = &report.commit {
                text.push_str(&format!("On branch {commit}: \"{message}\".\n"));
            }
            text.push_str(&report.human());
            if let Some(note) = note {
                text.push_str(&note);
                text.push('\n');
            }
            text.push_str(&format!(
                "\nNext: check the pre-filled values against `provenance`, answer the questions still open, then `handoff lint {shown}`.\n"
            ));
            out.write_all(text.as_bytes())
        }
    }
    .map_err(Error::stdout)?;
    Ok(ExitStatus::Success)
}

/// Runs `handoff prefill PATH FILE... [--dry-run]`.
pub fn prefill_command(
    args: PrefillArgs,
    cwd: &Path,
    today: jiff::civil::Date,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let workspace = Workspace::open(cwd)?;
    let linter = Linter::new(&workspace, None, today)?;
    let path = cwd.join(&args.path);
    let shown = args.path.display().to_string();
    let metadata = std::fs::symlink_metadata(&path)
        .map_err(|err| Error::io(&args.path, "cannot read the handoff", err))?;
    if !metadata.is_file() {
        return Err(Error::Usage(format!(
            "{shown}: not a regular file (a folder or symbolic link); give the handoff file itself"
        )));
    }
    let max = workspace.config.max_file_size;
    if metadata.len() > max {
        return Err(Error::Usage(format!(
            "{shown}: {} bytes, over the {max}-byte limit (max_file_size in handoff.toml)",
            metadata.len()
        )));
    }
    let bytes = std::fs::read(&path)
        .map_err(|err| Error::io(&args.path, "cannot read the handoff", err))?;
    let document = crate::document::parse(&bytes, max).map_err(|failure| {
        Error::Usage(format!(
            "{shown}:{}:{}: {}; {} (then run `handoff prefill` again)",
            failure.line, failure.column, failure.message, failure.help
        ))
    })?;
    let handoff_type = document
        .value
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| HANDOFF_TYPES.contains(t))
        .ok_or_else(|| {
            Error::Usage(format!(
                "{shown}: no known `type:`; write one of {} first",
                HANDOFF_TYPES.join(", ")
            ))
        })?
        .to_string();
    let playbook = linter.current_playbook(&handoff_type)?;
    let exports = super::read_exports(cwd, &args.files, args.prefill_format)?;
    if exports.deals.is_empty() && exports.calls.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no deals or calls in the exports",
            crate::repo::shown_paths(&args.files)
        )));
    }
    if exports.deals.len() > 1 {
        return Err(Error::Usage(format!(
            "{}: {} deals in the exports; give the export of this handoff's deal only",
            crate::repo::shown_paths(&args.files),
            exports.deals.len()
        )));
    }
    let mappings = Mappings::new(&workspace.root, &exports)?;
    let roster = linter.roster();
    let roster_path = workspace.config.roster.clone();
    let context = plan::Context {
        handoff_type: &handoff_type,
        playbook_title: &playbook.title,
        from_role: playbook.from_role.as_deref(),
        roster,
        default_currency: workspace.config.default_currency.as_deref(),
        roster_path: &roster_path,
    };
    let all_calls: Vec<&Call> = exports.calls.iter().collect();
    let filling = Filling::new(
        exports.deals.first(),
        &all_calls,
        &mappings,
        &context,
        &handoff_type,
    )?;
    let fills: Vec<Fill> = filling
        .plan
        .as_ref()
        .map(|p| p.fills.clone())
        .unwrap_or_default();
    let edited = edit::apply(
        &document.source,
        &fills,
        &filling.candidates,
        &filling.sources,
    )
    .map_err(|reason| Error::Usage(format!("{shown}: {reason}")))?;
    let display = workspace.display_path(&path);
    let file_report = linter.evaluate(&display, edited.text.as_bytes());
    let plan = filling.plan.as_ref();
    let filled_fields: Vec<FilledField> = edited
        .filled
        .iter()
        .map(|f| FilledField {
            path: f.path.clone(),
            citation: f.citation.clone(),
            inferred: f.inferred.clone(),
        })
        .collect();
    let changed = edited.text != document.source;
    let report = HandoffReport {
        path: display.clone(),
        deal: plan.map(|p| p.deal.clone()),
        written: changed && !args.dry_run,
        fields: plan.map_or(0, |p| p.fields),
        filled: filled_fields.len(),
        inferred: filled_fields
            .iter()
            .filter(|f| f.inferred.is_some())
            .count(),
        already_written: edited.agreed.len(),
        score: file_report.score,
        threshold: file_report.threshold,
        still_to_write: report::still_to_write(&file_report.sections),
        filled_fields,
        unanswered: plan.map(|p| p.unanswered.clone()).unwrap_or_default(),
        disagreements: edited.disagreements.clone(),
        not_placed: edited.not_placed.clone(),
        candidates: edited.candidates,
        sources: filling.sources.clone(),
        warnings: plan.map(|p| p.warnings.clone()).unwrap_or_default(),
        commit: None,
    };
    if changed && !args.dry_run {
        crate::scaffold::write_atomic(&path, &edited.text, true)?;
    }
    let run_report = RunReport {
        handoffs: vec![report],
        skipped: Vec::new(),
    };
    match args.format {
        PrefillReportFormat::Json => report::write_json(&run_report, true, out),
        PrefillReportFormat::Human => {
            let mut text = String::new();
            if args.dry_run {
                text.push_str(&unified_diff(&display, &document.source, &edited.text));
                if !changed {
                    text.push_str(&format!("{display}: nothing to fill\n"));
                }
            }
            text.push_str(&run_report.handoffs[0].human());
            if args.dry_run && changed {
                text.push_str("(dry run: nothing was written)\n");
            }
            out.write_all(text.as_bytes())
        }
    }
    .map_err(Error::stdout)?;
    Ok(ExitStatus::Success)
}

/// A unified diff of the file before and after, as `git diff` shows it.
fn unified_diff(display: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{display}"), &format!("b/{display}"))
        .to_string()
}
