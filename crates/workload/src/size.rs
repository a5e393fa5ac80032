//! How big a run is: the three named sizes every workload declares.

use std::fmt;
use std::str::FromStr;

/// A named run size; each workload turns it into its own `n` with
/// [`Sizes::get`].
///
/// The built-in workloads aim at these times for the *serial* run of an
/// optimised build on a two-core machine: `quick` a few milliseconds (smoke
/// tests and CI), `default` up to about half a second, `large` a few seconds.
///
/// ```
/// use ps_workload::Size;
///
/// assert_eq!("quick".parse::<Size>(), Ok(Size::Quick));
/// assert_eq!(Size::Large.to_string(), "large");
/// assert_eq!(Size::default(), Size::Default);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Size {
    /// A few milliseconds serially: enough to check that everything runs.
    Quick,
    /// Up to about half a second serially: the size to compare strategies at.
    #[default]
    Default,
    /// A few seconds serially: where parallelism has room to pay off.
    Large,
}

impl Size {
    /// Every size, smallest first.
    pub const ALL: [Size; 3] = [Size::Quick, Size::Default, Size::Large];

    /// The name used on the command line.
    ///
    /// ```
    /// assert_eq!(ps_workload::Size::Quick.name(), "quick");
    /// ```
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Size::Quick => "quick",
            Size::Default => "default",
            Size::Large => "large",
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Size {
    type Err = String;

    /// Parses `quick`, `default` or `large`.
    ///
    /// ```
    /// use ps_workload::Size;
    ///
    /// let error = "huge".parse::<Size>().unwrap_err();
    /// assert_eq!(error, "unknown size `huge` (expected one of: quick, default, large)");
    /// ```
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Size::ALL
            .into_iter()
            .find(|size| size.name() == name)
            .ok_or_else(|| {
                format!(
                    "unknown size `{name}` (expected one of: {})",
                    Size::ALL.map(Size::name).join(", ")
                )
            })
    }
}

/// The `n` of each named [`Size`] for one workload.
///
/// ```
/// use ps_workload::{Size, Sizes};
///
/// let sizes = Sizes { quick: 1_000, default: 100_000, large: 10_000_000 };
/// assert_eq!(sizes.get(Size::Default), 100_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// `n` for [`Size::Quick`].
    pub quick: usize,
    /// `n` for [`Size::Default`].
    pub default: usize,
    /// `n` for [`Size::Large`].
    pub large: usize,
}

impl Sizes {
    /// The `n` that `size` stands for.
    #[must_use]
    pub fn get(self, size: Size) -> usize {
        match size {
            Size::Quick => self.quick,
            Size::Default => self.default,
            Size::Large => self.large,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for size in Size::ALL {
            assert_eq!(size.name().parse(), Ok(size));
            assert_eq!(size.to_string(), size.name());
        }
    }
}
