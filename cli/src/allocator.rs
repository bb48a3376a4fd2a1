//! The allocator of the binaries that generate code: `oas` and, through `#[path]`, `xtask`.

// Generation allocates and frees millions of small token trees on every core; this allocator
// does that with about a third less processor time than the system's (`cargo xtask bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc hands freed pages back to the system 10 ms after they empty and faults fresh ones in
/// when it needs memory again. A generation ends within a second, so that only adds page faults,
/// and on a virtual machine whose host reclaims free memory those faults were up to a third of
/// the run (`cargo xtask bench`, Kubernetes: 0.28 s of system time instead of 0.07 s). Call it
/// first thing in `main`.
pub fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc.h (v2 and v3); the bindings name no constant for it.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is allowed at any time; -1 means "never purge".
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}
