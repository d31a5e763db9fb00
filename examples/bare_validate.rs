//! The lint benchmark's baseline: a bare loop that reads each file, parses it with the YAML
//! crate straight into JSON, and validates it with a compiled `jsonschema` validator (formats
//! on). No scoring, no rules, no positions, no report: the floor any linter stands on.
//!
//! `cargo run --release --example bare_validate -- DIR SCHEMA_DIR [THREADS]`
//!
//! THREADS (default 1) spreads the files over that many threads, like `handoff lint` does
//! over the machine's cores: compare the two on the same number of threads.

use std::collections::HashMap;
use std::sync::Arc;

use jsonschema::{Retrieve, Uri};
use serde_json::Value;

struct Files(Arc<HashMap<String, Value>>);

impl Retrieve for Files {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.as_str().rsplit('/').next().unwrap_or_default();
        self.0
            .get(name)
            .cloned()
            .ok_or_else(|| format!("no schema {name}").into())
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: bare_validate DIR SCHEMA_DIR")?;
    let schema_dir = args.next().ok_or("usage: bare_validate DIR SCHEMA_DIR")?;
    let mut schemas = HashMap::new();
    for entry in std::fs::read_dir(&schema_dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        schemas.insert(
            name,
            serde_json::from_str::<Value>(&std::fs::read_to_string(&path)?)?,
        );
    }
    let schemas = Arc::new(schemas);
    let mut validators = HashMap::new();
    for name in schemas.keys().filter(|n| *n != "common.json") {
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .with_base_uri(format!("file:///schema/{name}"))
            .with_retriever(Files(Arc::clone(&schemas)))
            .build(&schemas[name])?;
        validators.insert(name.trim_end_matches(".json").to_string(), validator);
    }
    let threads: usize = args.next().map_or(Ok(1), |t| t.parse())?;
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            paths.push(entry.into_path());
        }
    }
    let check = |path: &std::path::PathBuf| -> Result<(usize, usize), String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let Ok(value) = serde_norway::from_str::<Value>(&text) else {
            return Ok((0, 0));
        };
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Ok(match validators.get(kind) {
            Some(validator) => {
                let count = validator.iter_errors(&value).count();
                (usize::from(count == 0), count)
            }
            None => (0, 0),
        })
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let (valid, errors) = pool.install(|| {
        use rayon::prelude::*;
        paths
            .par_iter()
            .map(check)
            .try_reduce(|| (0, 0), |a, b| Ok((a.0 + b.0, a.1 + b.1)))
    })?;
    let files = paths.len();
    println!("{files} files, {valid} valid, {errors} schema errors");
    Ok(())
}
