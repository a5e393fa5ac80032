//! `conformance_tests!`: one `#[test]` per check, in one line.

/// Generates one `#[test]` per conformance check in a module named
/// `conformance`. The first argument builds the strategy from a
/// [`Config`](crate::Config); it is evaluated once per check, inside a
/// module that sees the caller's imports. The optional second argument is
/// the strategy's [`Workers`](crate::conformance::Workers) (default
/// [`Workers::PerCall`](crate::conformance::Workers::PerCall)).
///
/// ```ignore
/// ps_strategy::conformance_tests!(|config: Config| Dynamic::from_config(config));
/// ps_strategy::conformance_tests!(
///     |config: Config| RayonPool::from_config(config).unwrap(),
///     ps_strategy::conformance::Workers::Pooled
/// );
/// ```
#[macro_export]
macro_rules! conformance_tests {
    (@each $build:expr; $($check:ident),*) => {
        $(
            #[test]
            fn $check() {
                $crate::conformance::$check($build);
            }
        )*
    };
    (@panics $build:expr, $workers:expr; $($check:ident),*) => {
        $(
            #[test]
            fn $check() {
                $crate::conformance::$check($build, $workers);
            }
        )*
    };
    ($build:expr, $workers:expr $(,)?) => {
        mod conformance {
            #[allow(unused_imports)]
            use super::*;

            $crate::conformance_tests!(@each $build;
                empty_input, single_element, fewer_elements_than_threads,
                lengths_not_multiple_of_grain, large_input, every_element_visited_once,
                float_reduction_is_reproducible);
            $crate::conformance_tests!(@panics $build, $workers;
                panic_in_map_reaches_caller, panic_in_fold_reaches_caller,
                panic_in_combine_reaches_caller, panic_in_chunk_closure_reaches_caller,
                panic_in_task_reaches_caller);
        }
    };
    ($build:expr $(,)?) => {
        $crate::conformance_tests!($build, $crate::conformance::Workers::PerCall);
    };
}
