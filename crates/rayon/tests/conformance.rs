//! The rayon strategy passes the conformance suite.
//!
//! Its threads belong to a pool built once, in the constructor, and kept
//! between calls by design, so the panic checks cannot demand that they have
//! ended when a call returns. They check instead what matters to the caller:
//! no user code is running once the call has returned, and none starts later
//! (see `ps_strategy::conformance::Workers::Pooled`).

use ps_rayon::RayonPool;
use ps_strategy::Config;
use ps_strategy::conformance::Workers;

ps_strategy::conformance_tests!(
    |config: Config| RayonPool::from_config(config)
        .expect("the test machine can start a small pool"),
    Workers::Pooled
);
