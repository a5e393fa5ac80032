//! `cargo xtask compare`: the harness's compare, with `--python` running the
//! Python article's experiment beside it.

use ps_catalog::StrategyKind;
use ps_harness::{Failure, Registry, Section, optimised};
use ps_workloads::Workload;
use ps_workloads::squares::Squares;

use crate::cli::XCompareArgs;
use crate::python::{self, PythonOutcome};

pub(crate) fn compare(args: &XCompareArgs, registry: &Registry) -> Result<(), Failure> {
    if let Some(count) = args.args.processes {
        return ps_harness::compare_in_processes(&args.args, count);
    }
    let compared = ps_harness::measure_compare(&args.args, registry)?;
    let section = if args.python && optimised() {
        let n = args
            .args
            .n
            .unwrap_or_else(|| Squares.sizes().get(args.args.size()));
        eprintln!("running the Python article's approach on {n} squares");
        Some(python_section(
            &python::run_article(n, args.args.quick)?,
            &compared.cells,
        ))
    } else {
        None
    };
    compared.print_and_write(&args.args, section.as_ref())
}

fn python_section(outcome: &PythonOutcome, cells: &[ps_harness::ComparedCell]) -> Section {
    match outcome {
        PythonOutcome::Missing => {
            let text = "python3 was not found, so the Python article's approach was not run.\n";
            Section {
                text: text.to_owned(),
                markdown: text.to_owned(),
                json: None,
            }
        }
        PythonOutcome::Ran(run) => {
            let rust_serial = cells
                .iter()
                .find(|cell| {
                    cell.workload == Squares.name()
                        && cell.strategy == StrategyKind::SERIAL
                        && cell.n == run.n
                })
                .map(|cell| &cell.timing);
            let heading = format!(
                "The Python article's approach on squares, n = {} ({}); the script checked every result:",
                run.n, run.version
            );
            let table = python::table(run, rust_serial);
            Section {
                text: format!("{heading}\n\n{}", table.to_text()),
                markdown: format!("{heading}\n\n{}", table.to_markdown()),
                json: Some((
                    python::KEY.to_owned(),
                    serde_json::to_value(python::record(run)).expect("records serialise"),
                )),
            }
        }
    }
}
