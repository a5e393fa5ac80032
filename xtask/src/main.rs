//! The `cargo xtask` binary; its code is the `xtask` library (whose docs say
//! why).

fn main() -> std::process::ExitCode {
    xtask::main()
}
