//! One strategy used in two places at once, so that a boxed and an unboxed
//! caller can share one rayon pool.

use std::sync::Arc;

use ps_strategy::{Chunks, Strategy};

/// Forwards every call to the strategy behind the [`Arc`].
///
/// The `abstraction` bench boxes a [`RayonPool`](ps_rayon::RayonPool) as the
/// harness does while its hand-written rival runs on the same pool's
/// threads: two pools on the same cores would take turns spinning.
///
/// ```
/// use std::sync::Arc;
/// use benches::shared::Shared;
/// use ps_strategy::{BoxedStrategy, Strategy};
///
/// let pool = Arc::new(ps_rayon::RayonPool::new(2, 4)?);
/// let boxed = BoxedStrategy::new(Shared(Arc::clone(&pool)));
/// assert_eq!(boxed.map(&[1, 2, 3], |x| x + 1), pool.map(&[1, 2, 3], |x| x + 1));
/// # Ok::<(), ps_strategy::ConfigError>(())
/// ```
#[derive(Debug)]
pub struct Shared<S>(pub Arc<S>);

impl<S: Strategy> Strategy for Shared<S> {
    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn threads(&self) -> usize {
        self.0.threads()
    }

    fn chunks(&self, len: usize) -> Chunks {
        self.0.chunks(len)
    }

    fn run_tasks<R, F>(&self, count: usize, task: F) -> Vec<R>
    where
        R: Send,
        F: Fn(usize) -> R + Sync,
    {
        self.0.run_tasks(count, task)
    }
}
