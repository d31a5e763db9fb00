//! Integration tests: the real `handoff` binary on fixture repositories built in temp dirs.
//! One test binary, a module per feature.

mod changed;
mod formats;
mod git_edges;
mod history;
mod hostile;
mod lint;
mod prefill;
mod render;
mod rules;
mod scaffold;
mod util;
mod writes;
