//! The enum passes the conformance suite for every kind it wraps: delegation
//! loses nothing (order, panics, payloads).

use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::conformance::Workers;
use ps_strategy::{Config, Strategy};

fn build(kind: StrategyKind) -> impl Fn(Config) -> AnyStrategy + Clone + Send + 'static {
    move |config| AnyStrategy::build(kind, config).expect("the test machine can start threads")
}

/// Rayon's pool threads outlive each call by design; the suite then checks
/// that no user code runs after the call instead of that the threads ended.
fn workers(kind: StrategyKind) -> Workers {
    if kind.keeps_threads_between_calls() {
        Workers::Pooled
    } else {
        Workers::PerCall
    }
}

#[test]
fn every_kind_conforms_through_the_enum() {
    for kind in StrategyKind::ALL {
        ps_strategy::conformance::run_all(build(kind), workers(kind));
    }
}

#[test]
fn names_round_trip() {
    for kind in StrategyKind::ALL {
        assert_eq!(kind.name().parse::<StrategyKind>(), Ok(kind));
        let strategy = AnyStrategy::build(kind, Config::new(3, 8).unwrap()).unwrap();
        assert_eq!((strategy.kind(), strategy.name()), (kind, kind.name()));
    }
}
