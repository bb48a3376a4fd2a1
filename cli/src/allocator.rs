//! The allocator of the binaries that generate code: `oas` and, through `#[path]`, `xtask`.

// Generation allocates and frees millions of small token trees on every core; this allocator
// does that with about a third less processor time than the system's (`cargo xtask bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3); the bindings name no constant for it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc hands freed pages back to the system 10 ms after they empty and faults fresh ones in
/// when it needs memory again. A generation ends within a second, so that only adds page faults,
/// and on a virtual machine whose host reclaims free memory those faults were up to a third of
/// the run (`cargo xtask bench`, Kubernetes: 0.28 s of system time instead of 0.07 s). Call it
/// first thing in `main`.
pub fn keep_freed_memory() {
    // SAFETY: setting an option is allowed at any time; -1 means "never purge".
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

/// Drops `value`, handing the pages it empties back to the system at once.
///
/// [`keep_freed_memory`] keeps every freed page for reuse, but a page only serves blocks of its
/// own size and its own thread. A document's tree is millions of small blocks on the thread that
/// read it; what comes after it (the emitted files, megabytes each, built on other threads) cannot
/// use those pages, so without this they stayed resident beside the new memory. For GitHub's
/// description (a tree of 63 MB, freed before emission begins) the peak went from 191–196 MB to
/// 161 MB. The cost is a page fault for each page emission later takes afresh instead of reusing,
/// about 25 ms of that run.
pub fn release<T>(value: T) {
    // A delay long enough that nothing is purged while dropping: the freed pages are only marked,
    // and the forced collection below purges them in contiguous runs, a few calls to the kernel
    // instead of one per page.
    const MARK_ONLY_MS: libc::c_long = 3_600_000;
    // SAFETY: mimalloc allows setting an option at any time. The option is a plain word that the
    // thread running beside the drop (the documentation's index) may read as it frees; it sees
    // either delay, and both are valid settings. What that thread frees meanwhile may be purged
    // with the document's pages, which costs it at most a fault when it allocates again.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, MARK_ONLY_MS) };
    drop(value);
    // SAFETY: as above; collecting is allowed at any time, and -1 restores "never purge".
    unsafe {
        libmimalloc_sys::mi_collect(true);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
    }
}

/// Turns transparent huge pages off for this process and the processes it starts.
///
/// mimalloc asks for them over its whole arena, and where the system grants them on request
/// (`madvise`, a common setting) the first touch of every 2 MB faults in and zeroes a whole huge
/// page. A generation touches its memory once, thinly spread over many size classes, so that was
/// the largest single cost of a run: GitHub's description spent a quarter of its processor time
/// zeroing huge pages and peaked about 50 MB higher; the dereferenced GitHub Enterprise
/// description spent 1.5 s in the kernel instead of 0.4 s (`perf`, `cargo xtask bench`). The
/// arena is reserved before `main` runs, too early for mimalloc's own option, so the process
/// says it to the kernel. Call it before the work; a command that starts processes it measures
/// against others (the benchmarks) leaves it to the process that generates.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    {
        let (off, zero): (libc::c_ulong, libc::c_ulong) = (1, 0);
        // SAFETY: `PR_SET_THP_DISABLE` reads one integer argument and no memory of ours; a kernel
        // without it refuses it, which leaves things as they were.
        let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, off, zero, zero, zero) };
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn the_kernel_is_told_to_give_no_huge_pages() {
        super::no_huge_pages();
        let zero: libc::c_ulong = 0;
        // SAFETY: `PR_GET_THP_DISABLE` takes no arguments and returns the process's setting.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, zero, zero, zero, zero) };
        assert_eq!(disabled, 1);
    }
}
