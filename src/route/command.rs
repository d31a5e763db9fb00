//! `handoff route PATH [--format human|json]`: reads one handoff, the roster, the playbook and
//! the repository's other handoffs, and prints the receivers [`super::route`] suggests, best
//! first, each with its reasons. No candidate is exit 1, with what to do.

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};

use super::{Ledger, Routing};
use crate::cli::{RouteArgs, RouteFormat};
use crate::error::{Error, ExitStatus, Result};
use crate::playbook::routing::{Strategy, DEFAULT_ORDER};
use crate::playbook::{Playbook, HANDOFF_TYPES};
use crate::repo::Workspace;
use crate::report::escape::control;
use crate::roster::Roster;

/// The strategies for handoffs scored by `playbook`: its own `routing`, else `handoff.toml`'s,
/// else the default order.
pub fn strategies(workspace: &Workspace, playbook: &Playbook) -> Vec<Strategy> {
    playbook
        .routing
        .clone()
        .or_else(|| workspace.config.routing.clone())
        .unwrap_or_else(|| DEFAULT_ORDER.to_vec())
}

/// The roster, which routing cannot do without.
pub fn require_roster(workspace: &Workspace, roster: Option<&Roster>) -> Result<()> {
    match roster {
        Some(_) => Ok(()),
        None => Err(Error::Usage(format!(
            "{}: no roster in this repository, so there is nobody to suggest; add one (`handoff init` writes an example, `handoff schema roster` lists its keys)",
            workspace.config.roster
        ))),
    }
}

/// Runs `handoff route`.
pub fn route_command(
    args: RouteArgs,
    cwd: &Path,
    today: jiff::civil::Date,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let workspace = Workspace::open(cwd)?;
    let candidates = workspace.discover(std::slice::from_ref(&args.path))?;
    let candidate = match candidates.as_slice() {
        [one] if !cwd.join(&args.path).is_dir() => one,
        _ => {
            return Err(Error::Usage(format!(
                "{}: a folder; `handoff route` takes one handoff file",
                workspace.display_path(&cwd.join(&args.path))
            )))
        }
    };
    let path = candidate.display.clone();
    let cap = workspace.config.max_file_size;
    let unroutable = |message: String| Error::Unroutable {
        path: path.clone(),
        message,
    };
    if std::fs::metadata(&candidate.path).is_ok_and(|m| m.len() > cap) {
        return Err(unroutable(format!(
            "the file is over the {cap}-byte limit (max_file_size); `handoff lint` says more"
        )));
    }
    let bytes = std::fs::read(&candidate.path)
        .map_err(|err| Error::io(&candidate.path, "cannot read", err))?;
    let document = crate::document::parse(&bytes, cap).map_err(|failure| {
        unroutable(format!(
            "line {}, column {}: {}; {}",
            failure.line, failure.column, failure.message, failure.help
        ))
    })?;
    let value = &document.value;
    let Some(handoff_type) = value
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| HANDOFF_TYPES.contains(t))
    else {
        return Err(unroutable(format!(
            "no known `type`, so no playbook names the receiving role; set `type:` to one of {}",
            HANDOFF_TYPES.join(", ")
        )));
    };
    let playbooks = workspace.load_playbooks()?;
    let pin = value
        .get("playbook")
        .and_then(Value::as_str)
        .filter(|p| !p.trim().is_empty());
    let playbook = match playbooks.resolve(handoff_type, pin, value) {
        Ok(playbook) => playbook,
        Err(_) => playbooks
            .current(handoff_type)
            .ok_or_else(|| Error::Asset {
                path: format!("playbooks/{handoff_type}.yaml"),
                message: "no current playbook for this type".into(),
            })?,
    };
    let roster = workspace.load_roster()?;
    require_roster(&workspace, roster.as_ref())?;
    let roster = roster.unwrap_or_default();
    let ledger = Ledger::load(&workspace);
    let routing = super::route(
        &roster,
        playbook.to_role.as_deref(),
        &strategies(&workspace, playbook),
        (&path, value),
        &ledger,
        today,
    );
    let text = match args.format {
        RouteFormat::Json => {
            let mut text = serde_json::to_string_pretty(&json!({
                "path": path,
                "candidates": routing.candidates,
            }))
            .unwrap_or_default();
            text.push('\n');
            text
        }
        RouteFormat::Human => human(&path, &routing, &workspace.config.roster),
    };
    out.write_all(text.as_bytes())
        .map_err(|err| Error::io("<stdout>", "cannot write output", err))?;
    Ok(if routing.candidates.is_empty() {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// The human report: one line per candidate, best first, then who was left out and why.
pub fn human(path: &str, routing: &Routing, roster_path: &str) -> String {
    let role = routing.role.as_deref().map(|r| control(r).into_owned());
    let date = match routing.date_is_trigger {
        true => format!("{} (trigger date)", routing.date),
        false => format!("{} (today; the handoff has no trigger.date)", routing.date),
    };
    let order: Vec<&str> = routing.strategies.iter().map(|s| s.as_str()).collect();
    let mut text = format!(
        "{} · receivers{} on {date} · by {}\n",
        control(path),
        role.as_ref()
            .map(|r| format!(" with role {r}"))
            .unwrap_or_default(),
        if order.is_empty() {
            "name".to_string()
        } else {
            order.join(", ")
        }
    );
    for (rank, candidate) in routing.candidates.iter().enumerate() {
        text.push_str(&format!(
            "  {}. {} — {}\n",
            rank + 1,
            control(&candidate.name),
            control(&candidate.reasons.join("; "))
        ));
    }
    if !routing.excluded.is_empty() {
        let left_out: Vec<String> = routing
            .excluded
            .iter()
            .map(|e| format!("{} ({})", control(&e.name), control(&e.why)))
            .collect();
        text.push_str(&format!("  not suggested: {}\n", left_out.join("; ")));
    }
    if routing.candidates.is_empty() {
        text.push_str(&format!("{}\n", no_candidate(routing, roster_path)));
    }
    text
}

/// Why nobody is suggested, and what to do.
pub fn no_candidate(routing: &Routing, roster_path: &str) -> String {
    let role = routing
        .role
        .as_deref()
        .map(|r| control(r).into_owned())
        .unwrap_or_else(|| "any role".into());
    if routing.excluded.is_empty() {
        format!(
            "no receiver to suggest: nobody in {} has the role {role} (the playbook's to_role); add them to the roster with `role: {role}`, or fix the playbook's to_role",
            control(roster_path)
        )
    } else {
        format!(
            "no receiver to suggest: every {role} in {} is away on {} or at capacity; write to.name yourself (a colleague covering), or raise a capacity in the roster",
            control(roster_path),
            routing.date
        )
    }
}
