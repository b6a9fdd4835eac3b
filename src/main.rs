//! Entry point: hands the process to `cli`, which owns argument parsing and exit codes.

fn main() -> std::process::ExitCode {
    kutip::cli::main()
}
