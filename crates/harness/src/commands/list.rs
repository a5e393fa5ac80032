//! `list`: what can be run.

use crate::registry::Registry;

/// Prints every workload (with what its `n` means) and every strategy.
pub fn list(registry: &Registry) {
    println!("Workloads:");
    let width = registry
        .entries()
        .map(|w| w.name().len())
        .max()
        .unwrap_or(0);
    for workload in registry.entries() {
        println!("  {:width$}  {}", workload.name(), workload.summary());
        println!("  {:width$}  n: {}", "", workload.n_means());
    }
    println!("\nStrategies:");
    let width = registry
        .strategies()
        .iter()
        .map(|s| s.name().len())
        .max()
        .unwrap_or(0);
    for strategy in registry.strategies() {
        println!("  {:width$}  {}", strategy.name(), strategy.summary());
    }
}
