//! `handoff`: arguments in, exit code out.

use clap::Parser;

// Parsing thousands of handoffs (`lint`, and `metrics` over their history) is mostly small
// allocations from several threads: mimalloc takes about 16% off `handoff metrics`' CPU time
// against the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = handoffs::cli::Cli::parse();
    // Buffered: reports for thousands of files are many small writes.
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let result = handoffs::run(cli, &mut stdout).and_then(|status| {
        std::io::Write::flush(&mut stdout)
            .map(|()| status)
            .map_err(|err| handoffs::Error::io("<stdout>", "cannot write output", err))
    });
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
