//! Binary trees under another global allocator: the whole harness (`compare`,
//! `run`, `scaling`, …) with one workload, binary trees, whose heap kernel is
//! named after the allocator this program was built with.
//!
//! ```text
//! cargo run --release -p ps-workloads --example binary-trees-alloc -- compare -k system,arena
//! cargo run --release -p ps-workloads --features mimalloc --example binary-trees-alloc -- compare -k mimalloc
//! ```
//!
//! A `#[global_allocator]` is chosen once per binary and serves every
//! allocation in it, the harness's included. That is why mimalloc lives in
//! this small example behind a feature and not in the library or in `cargo
//! xtask`: setting it there would change the allocator under every other
//! workload, and every other figure, too. Here it changes only the program
//! that asks for it, and the kernel's name in the report says which
//! allocator ran.

#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The heap kernel's name: the allocator this binary was built with.
const ALLOCATOR: &str = if cfg!(feature = "mimalloc") {
    "mimalloc"
} else {
    "system"
};

fn main() -> std::process::ExitCode {
    ps_harness::main(|registry| {
        registry.add(ps_workloads::binary_trees::BinaryTrees::with_global_allocator(ALLOCATOR));
    })
}
