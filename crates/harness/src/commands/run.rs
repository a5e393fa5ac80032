//! `run`: one workload, one strategy, one run, and its result — to check
//! against a published reference.

use ps_catalog::AnyStrategy;

use crate::Failure;
use crate::cli::RunArgs;
use crate::registry::Registry;
use crate::timed::{config, read_input, write_file};

/// Runs `args.workload` once, verifies it, prints its one-line result and
/// writes `--out`.
///
/// # Errors
///
/// [`Failure::Usage`] for a bad name or size, [`Failure::Io`] for a file
/// that cannot be read or written, [`Failure::WrongResult`] for a wrong
/// result or a panic, and [`Failure::Refused`] for threads the system will
/// not start.
pub fn run(args: &RunArgs, registry: &Registry) -> Result<(), Failure> {
    let workload = registry.find(&args.workload)?;
    let kernel = workload.kernel_named(args.kernel.as_deref())?;
    let prepared = match &args.input.path {
        Some(path) => workload.prepare_from_text(read_input(path)?, kernel)?,
        None => {
            workload.prepare_kernel(args.n.unwrap_or_else(|| workload.sizes().default), kernel)?
        }
    };
    let threads = args.threads.or_available();
    let grain = args.grain.or_workload(workload, prepared.n());
    let strategy = AnyStrategy::build(registry.strategy(&args.strategy)?, config(threads, grain)?)
        .map_err(crate::refusal::from_config)?;
    let (line, bytes) = prepared.run_once(&strategy)?;
    println!("{line}");
    if let Some(path) = &args.out {
        write_file(path, bytes)?;
    }
    Ok(())
}
