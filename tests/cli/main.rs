//! Integration tests: the real `handoff` binary on fixture repositories built in temp dirs.
//! One test binary, a module per feature.

mod changed;
mod ci_lint;
mod formats;
mod git_edges;
mod history;
mod hostile;
mod install;
mod lint;
mod msrv;
mod render;
mod rules;
mod scaffold;
mod util;
mod writes;
