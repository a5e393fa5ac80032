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
    ($build:expr, $workers:expr $(,)?) => {
        mod conformance {
            #[allow(unused_imports)]
            use super::*;

            $crate::__conformance_checks!($crate::__conformance_test_fns { $build, $workers });
        }
    };
    ($build:expr $(,)?) => {
        $crate::conformance_tests!($build, $crate::conformance::Workers::PerCall);
    };
}

/// Every conformance check, listed once: the checks that need only the
/// strategy's builder (`each`), then those that also need its
/// [`Workers`](crate::conformance::Workers) (`panics`). Expands to
/// `CALLBACK! { ARGS; each: [..]; panics: [..] }`, so that
/// [`conformance_tests!`] and [`run_all`](crate::conformance::run_all) walk
/// the same list.
#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_checks {
    ($($callback:ident)::+ { $($args:tt)* }) => {
        $($callback)::+! {
            $($args)*;
            each: [
                empty_input, single_element, fewer_elements_than_threads,
                lengths_not_multiple_of_grain, large_input, every_element_visited_once,
                float_reduction_is_reproducible
            ];
            panics: [
                panic_in_map_reaches_caller, panic_in_fold_reaches_caller,
                panic_in_combine_reaches_caller, panic_in_chunk_closure_reaches_caller,
                panic_in_task_reaches_caller
            ]
        }
    };
}

/// One `#[test]` per check of [`__conformance_checks!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_test_fns {
    ($build:expr, $workers:expr; each: [$($each:ident),*]; panics: [$($panics:ident),*]) => {
        $(
            #[test]
            fn $each() {
                $crate::conformance::$each($build);
            }
        )*
        $(
            #[test]
            fn $panics() {
                $crate::conformance::$panics($build, $workers);
            }
        )*
    };
}
