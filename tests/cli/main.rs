//! Integration tests: the real `handoff` binary on fixture repositories built in temp dirs.
//! One test binary, a module per feature.

mod history;
mod lint;
mod util;
