//! Integration tests: the real `handoff` binary on fixture repositories built in temp dirs.
//! One test binary, a module per feature.

mod changed;
mod detectors;
mod escaping;
mod first_day;
mod formats;
mod git_edges;
mod history;
mod hostile;
mod lint;
mod pr_report;
mod render;
mod rules;
mod scaffold;
mod untrusted;
mod util;
mod worst_case;
mod writes;
