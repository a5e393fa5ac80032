//! The enum passes the conformance suite for every kind it wraps: delegation
//! loses nothing (order, panics, payloads).

use ps_catalog::{AnyStrategy, StrategyKind};
use ps_strategy::{Config, Strategy};

fn build(kind: StrategyKind) -> impl Fn(Config) -> AnyStrategy + Clone + Send + 'static {
    move |config| AnyStrategy::build(kind, config).expect("the test machine can start threads")
}

#[test]
fn every_kind_conforms_through_the_enum() {
    for kind in StrategyKind::ALL {
        ps_strategy::conformance::run_all(build(kind));
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
