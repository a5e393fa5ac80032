//! The work-stealing strategy passes the conformance suite.

use ps_steal::WorkStealing;

ps_strategy::conformance_tests!(WorkStealing::from_config);
