//! The rayon strategy passes the conformance suite.

use ps_rayon::RayonPool;
use ps_strategy::Config;

ps_strategy::conformance_tests!(|config: Config| {
    RayonPool::from_config(config).expect("the test machine can start a small pool")
});
