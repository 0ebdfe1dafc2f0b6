//! The memory allocator of every command, the benchmarks and the tests: mimalloc.
//!
//! Why not the system's: on a 100,000-document build glibc's `malloc` took 9.5 % of the CPU time
//! (3.8 % at 10,000: its free lists grow with the heap), so the build grew faster than the
//! number of documents, and each thread's heap kept freed memory resident (it needed
//! `M_ARENA_MAX` and `malloc_trim`). musl's allocator, in the static release binaries, is slower
//! still under many threads. mimalloc returns freed memory to the system by itself, after a
//! short delay, and behaves the same on every platform. docs/scale.md gives the figures.
//!
//! One build default is changed (`.cargo/config.toml`): memory is committed as it is used, not
//! a whole arena at once, which on Linux kept pages resident that were freed long ago.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(test)]
mod tests {
    /// `mi_option_arena_eager_commit` in mimalloc's `mi_option_t` (v2 and v3 alike).
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

    #[test]
    fn the_allocator_commits_memory_as_it_is_used() {
        let boxed = vec![1u8; 1 << 20];
        // SAFETY: reads an option; mimalloc is initialised (the vector above).
        let eager = unsafe { libmimalloc_sys::mi_option_get(ARENA_EAGER_COMMIT) };
        assert_eq!(
            eager, 0,
            "mimalloc was built without .cargo/config.toml's CFLAGS (is CFLAGS set in the environment?)"
        );
        assert_eq!(boxed.len(), 1 << 20);
    }
}
