//! Generates N realistic handoff files for the lint benchmark: variations of the repository's
//! own examples (3–6 KB each), about 60% complete, 25% partial (placeholders and blanks) and
//! 15% invalid (impossible dates, unknown keys). Deterministic: the same N gives the same files.
//!
//! `cargo run --release --example gen_handoffs -- 10000 /tmp/bench/handoffs`

use std::path::PathBuf;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().ok_or("usage: gen_handoffs N DIR")?.parse()?;
    let out = PathBuf::from(args.next().ok_or("usage: gen_handoffs N DIR")?);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("handoffs");
    let mut bases = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry?;
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            bases.push(std::fs::read_to_string(entry.path())?);
        }
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let companies = [
        "Acme",
        "Globex",
        "Initech",
        "Umbrella",
        "Hooli",
        "Vandelay",
        "Stark",
        "Wayne",
        "Tyrell",
        "Cyberdyne",
    ];
    for i in 0..count {
        let base = &bases[i % bases.len()];
        let company = format!("{} {}", companies[rng.below(companies.len())], i);
        let mut lines: Vec<String> = base
            .lines()
            .map(|l| l.replace("Northwind Freight", &company))
            .collect();
        let roll = rng.below(100);
        if roll >= 60 {
            // Partial: blank or placeholder a few scalar values (not the required keys).
            for _ in 0..(2 + rng.below(4)) {
                let at = rng.below(lines.len());
                let line = lines[at].clone();
                if let Some((key, value)) = line.split_once(": ") {
                    let bare = key.trim_start_matches([' ', '-']);
                    if !value.is_empty()
                        && !value.starts_with(['{', '[', '"'])
                        && !["type", "status", "name"].contains(&bare)
                        && !value.chars().next().is_some_and(|c| c.is_ascii_digit())
                    {
                        lines[at] =
                            format!("{key}: {}", if rng.below(2) == 0 { "TBD" } else { "" });
                    }
                }
            }
        }
        if roll >= 85 {
            // Invalid: an impossible date or an unknown key.
            if rng.below(2) == 0 {
                lines.push("notes_typo: this key is not in the schema".to_string());
            } else if let Some(line) = lines.iter_mut().find(|l| l.contains("date: 2026-")) {
                let (key, _) = line.split_once("date: ").unwrap_or((line.as_str(), ""));
                *line = format!("{key}date: 2026-02-30");
            }
        }
        let kind = base
            .lines()
            .find_map(|l| l.strip_prefix("type: "))
            .unwrap_or("other")
            .trim()
            .to_string();
        let dir = out.join(kind);
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join(format!("handoff-{i:05}.yaml")),
            lines.join("\n") + "\n",
        )?;
    }
    eprintln!("wrote {count} handoffs under {}", out.display());
    Ok(())
}
