//! Turning a panic in measured code into a [`Failure`]: a refused resource
//! is exit code 3, anything else a failed run.

use std::any::Any;

use crate::Failure;

/// The message a panic carried, or a note that it carried none.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// The failure a panic in `context` (a workload, size and strategy) stands for.
pub(crate) fn from_panic(payload: &(dyn Any + Send), context: &str) -> Failure {
    Failure::Failed(format!("{context} panicked: {}", panic_message(payload)))
}
