//! Integration tests: the real `handoff` binary on fixture repositories built in temp dirs.
//! One test binary, a module per feature.

mod accept;
mod changed;
mod ci_lint;
mod detectors;
mod escaping;
mod first_day;
mod formats;
mod git_edges;
mod history;
mod hostile;
mod install;
mod lint;
mod log;
mod metrics_html;
mod msrv;
mod pr_report;
mod prefill;
mod qualify;
mod render;
mod repo_shapes;
mod reporters;
mod route;
mod rules;
mod scaffold;
mod untrusted;
mod util;
mod worst_case;
mod writes;
mod yaml_config;
mod yaml_suite;
mod yaml_worst_case;
