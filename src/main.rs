//! Entry point: hands the process to `cli`, which owns argument parsing and exit codes.

/// Indexing allocates many short-lived strings on several threads; mimalloc
/// serves them faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kutip::cli::main()
}
