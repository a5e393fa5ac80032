//! `cargo xtask list`: what can be run.

use ps_catalog::StrategyKind;
use ps_workloads::WorkloadKind;

pub(crate) fn list() {
    println!("Workloads:");
    let width = WorkloadKind::ALL
        .iter()
        .map(|w| w.name().len())
        .max()
        .unwrap_or(0);
    for workload in WorkloadKind::ALL {
        println!("  {:width$}  {}", workload.name(), workload.summary());
    }
    println!("\nStrategies:");
    let width = StrategyKind::ALL
        .iter()
        .map(|s| s.name().len())
        .max()
        .unwrap_or(0);
    for strategy in StrategyKind::ALL {
        println!("  {:width$}  {}", strategy.name(), strategy.summary());
    }
}
