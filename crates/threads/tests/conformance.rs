//! Both schedules pass the conformance suite.

mod static_blocks {
    use ps_threads::StaticBlocks;

    ps_strategy::conformance_tests!(StaticBlocks::from_config);
}

mod dynamic {
    use ps_threads::Dynamic;

    ps_strategy::conformance_tests!(Dynamic::from_config);
}
