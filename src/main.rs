//! The `casedesk` binary: hands over to the command line.

fn main() -> std::process::ExitCode {
    // Everything casedesk creates (stores, journals, exports) is the owner's alone.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    casedesk::cli::main()
}
