//! `handoff`: arguments in, exit code out, and the progress bar of history walks drawn on
//! standard error (the library only reports numbers to a callback).

use std::io::IsTerminal;

use clap::Parser;
use handoffs::history::Stage;

// Parsing thousands of handoffs (`lint`, and `metrics` over their history) is mostly small
// allocations from several threads: mimalloc takes about 16% off `handoff metrics`' CPU time
// against the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = handoffs::cli::Cli::parse();
    // Buffered: reports for thousands of files are many small writes.
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut progress = ProgressDisplay::new();
    let result = handoffs::run(cli, &mut stdout, &mut |stage, done, total| {
        progress.update(stage, done, total)
    })
    .and_then(|status| {
        std::io::Write::flush(&mut stdout)
            .map(|()| status)
            .map_err(|err| handoffs::Error::io("<stdout>", "cannot write output", err))
    });
    progress.finish();
    let code = match result {
        Ok(status) => status.code(),
        // A closed pipe (`handoff lint | head`) is not a failure.
        Err(handoffs::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            0
        }
        Err(err) => {
            // Data in a message (a path, a key, a value) is escaped: it cannot start a line.
            eprintln!("error: {}", handoffs::report::escape::error_text(&err));
            err.exit_code()
        }
    };
    std::process::exit(code);
}

/// A progress bar on standard error, drawn only when it is a terminal, and cleared when a walk
/// has scored its last version (before the command writes its report).
struct ProgressDisplay {
    enabled: bool,
    bar: Option<indicatif::ProgressBar>,
    stage: Option<Stage>,
}

impl ProgressDisplay {
    fn new() -> ProgressDisplay {
        ProgressDisplay {
            enabled: std::io::stderr().is_terminal(),
            bar: None,
            stage: None,
        }
    }

    fn update(&mut self, stage: Stage, done: u64, total: u64) {
        if !self.enabled {
            return;
        }
        // The walk ends with its last version scored: clear the bar before the report.
        if stage == Stage::Score && done >= total {
            self.finish();
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg:9} [{bar:40}] {pos}/{len} ({elapsed})",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        if self.stage != Some(stage) {
            self.stage = Some(stage);
            bar.set_position(0);
            bar.set_length(total);
            bar.set_message(match stage {
                Stage::Walk => "commits",
                Stage::Score => "versions",
            });
        }
        bar.set_position(done);
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        self.stage = None;
    }
}
