//! The `casedesk` binary: hands over to the command line.

// A faster allocator: loading and checking a large store allocates millions of small records.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Everything casedesk creates (stores, journals, exports) is the owner's alone.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    casedesk::cli::main()
}
