//! The `casedesk` binary: hands over to the command line.

fn main() -> std::process::ExitCode {
    casedesk::cli::main()
}
