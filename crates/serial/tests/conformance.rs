//! The serial strategy passes the conformance suite (it is also the suite's
//! own sanity check: the reference must agree with the plain loops).

use ps_serial::Serial;

ps_strategy::conformance_tests!(Serial::from_config);
