//! `cargo xtask run`: one workload, one strategy, one run, and its canonical
//! result — to check against a published reference.

use ps_catalog::AnyStrategy;
use ps_workloads::{Prepared, Size, WorkloadKind};

use crate::Failure;
use crate::cli::RunArgs;
use crate::harness::{checked_n, config, read_input, run_caught, write_file};

pub(crate) fn run(args: &RunArgs) -> Result<(), Failure> {
    let workload = args.workload;
    let prepared = match &args.input {
        Some(path) if workload == WorkloadKind::WordCount => Prepared::from_text(read_input(path)?),
        Some(_) => {
            return Err(Failure::Usage(format!(
                "--input is for word-count, not {}",
                workload.name()
            )));
        }
        None => {
            let n = checked_n(
                workload,
                args.n.unwrap_or_else(|| workload.size(Size::Default)),
            )?;
            workload.prepare(n)
        }
    };
    let threads = args.threads.unwrap_or_else(ps_strategy::available_threads);
    let grain = args.grain.unwrap_or_else(|| workload.grain(prepared.n()));
    let config = config(threads, grain)?;
    let strategy = AnyStrategy::build(args.strategy, config)
        .map_err(|error| Failure::Failed(error.to_string()))?;

    let output = run_caught(&prepared, &strategy).map_err(Failure::Failed)?;
    let result = output.canonical();
    println!("{result}");
    if let Some(path) = &args.out {
        write_file(path, output.canonical_bytes())?;
    }
    Ok(())
}
