//! The pipeline passes the conformance suite, with its default capacity and
//! with the smallest one, where the feeder blocks on almost every chunk.

mod default_capacity {
    use ps_pipeline::Pipeline;

    ps_strategy::conformance_tests!(Pipeline::from_config);
}

mod capacity_one {
    use ps_pipeline::Pipeline;
    use ps_strategy::Config;

    ps_strategy::conformance_tests!(|config: Config| {
        Pipeline::from_config(config)
            .with_capacity(1)
            .expect("1 is a valid capacity")
    });
}
