//! Entry point: hands the process to `cli`, which owns argument parsing and exit codes.

/// Indexing allocates many short-lived strings on several threads; mimalloc
/// serves them faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the 16th option of `mi_option_t` in
/// mimalloc.h, v2 and v3 alike), which the sys crate names no constant for.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Memory freed during a run is kept for reuse rather than handed back to
    // the OS and faulted in again, zeroed, a moment later: indexing frees
    // and reallocates its buffers chunk after chunk. A run peaks about 10%
    // higher (340 → 370 MB at 200,000 passages, 420 MB at 1,000,000) and
    // takes about 7% less time (8 alternating pairs at 200,000 passages).
    // SAFETY: setting an option is an atomic store, valid at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    kutip::cli::main()
}
