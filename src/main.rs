use std::process::ExitCode;

/// mimalloc: `apicli serve` spends about a tenth less CPU per call than with the system malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // mimalloc's arenas would otherwise be backed by transparent huge pages, each counted whole
    // in resident memory: a 10-million-item stream client took 16 MiB instead of 12.
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag on this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    ExitCode::from(apicli::run(std::env::args_os()))
}
