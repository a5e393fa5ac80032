//! Turning a panic in measured code, or a strategy that could not start,
//! into a [`Failure`]: a refused resource is [`Failure::Refused`] and names
//! the limit; any other panic is a [`Failure::WrongResult`].

use std::any::Any;

use ps_strategy::{ConfigError, SpawnRefused};

use crate::Failure;

/// The message a panic carried, or a note that it carried none.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .or_else(|| {
            payload
                .downcast_ref::<SpawnRefused>()
                .map(ToString::to_string)
        })
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// The failure a panic in `context` (a workload, size and strategy) stands
/// for: the strategies raise a [`SpawnRefused`] when the system will not
/// start their threads.
pub(crate) fn from_panic(payload: &(dyn Any + Send), context: &str) -> Failure {
    match payload.downcast_ref::<SpawnRefused>() {
        Some(refused) => Failure::Refused(format!("{context}: {refused}")),
        None => Failure::WrongResult(format!("{context} panicked: {}", panic_message(payload))),
    }
}

/// The failure of a strategy that could not be built: a refused thread
/// start (rayon starts its pool when built) is [`Failure::Refused`], an
/// invalid configuration [`Failure::Usage`].
pub(crate) fn from_config(error: ConfigError) -> Failure {
    match error {
        ConfigError::ThreadStart(refused) => Failure::Refused(refused.to_string()),
        other => Failure::Usage(other.to_string()),
    }
}

/// Whether the panic hook should stay quiet: a refusal is reported once,
/// by the harness, as one line.
pub(crate) fn is_refusal(payload: &(dyn Any + Send)) -> bool {
    payload.is::<SpawnRefused>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_refused_and_other_panics_a_wrong_result() {
        let error = std::io::Error::from(std::io::ErrorKind::WouldBlock);
        let refused = SpawnRefused::from_os(8, 3, &error);
        assert!(is_refusal(&refused));
        let failure = from_panic(&refused, "squares under rayon");
        assert!(matches!(failure, Failure::Refused(_)), "{failure:?}");
        assert_eq!(failure.exit_code(), 3, "{failure}");
        assert!(failure.to_string().starts_with("squares under rayon: "));
        let other = from_panic(&"boom", "squares under rayon");
        assert!(matches!(other, Failure::WrongResult(_)), "{other:?}");
        assert_eq!(
            (other.exit_code(), other.to_string()),
            (1, "squares under rayon panicked: boom".to_owned())
        );
        let zero = from_config(ConfigError::ZeroThreads);
        assert!(matches!(zero, Failure::Usage(_)), "{zero:?}");
        assert_eq!(zero.exit_code(), 2);
    }
}
