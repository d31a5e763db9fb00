//! `handoff`: arguments in, exit code out.

use clap::Parser;

fn main() {
    let cli = handoffs::cli::Cli::parse();
    let mut stdout = std::io::stdout().lock();
    let code = match handoffs::run(cli, &mut stdout) {
        Ok(status) => status.code(),
        // A closed pipe (`handoff lint | head`) is not a failure.
        Err(handoffs::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            0
        }
        Err(err) => {
            eprintln!("error: {err}");
            err.exit_code()
        }
    };
    std::process::exit(code);
}
