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

/// One test per kind, so that a failure names the kind and the test
/// harness runs the kinds side by side.
macro_rules! conforms_through_the_enum {
    ($($kind:ident: $test:ident,)*) => {
        $(
            #[test]
            fn $test() {
                let kind = StrategyKind::$kind;
                ps_strategy::conformance::run_all(build(kind), workers(kind));
            }
        )*

        /// Every kind has its test.
        #[test]
        fn every_kind_is_covered() {
            assert_eq!([$(StrategyKind::$kind),*], StrategyKind::ALL);
        }
    };
}

conforms_through_the_enum! {
    SERIAL: serial_conforms_through_the_enum,
    THREADS_STATIC: threads_static_conforms_through_the_enum,
    THREADS_DYNAMIC: threads_dynamic_conforms_through_the_enum,
    PIPELINE: pipeline_conforms_through_the_enum,
    RAYON: rayon_conforms_through_the_enum,
    WORK_STEALING: work_stealing_conforms_through_the_enum,
}

#[test]
fn names_round_trip() {
    for kind in StrategyKind::ALL {
        assert_eq!(kind.name().parse::<StrategyKind>(), Ok(kind));
        let strategy = AnyStrategy::build(kind, Config::new(3, 8).unwrap()).unwrap();
        assert_eq!((strategy.kind(), strategy.name()), (kind, kind.name()));
    }
}
