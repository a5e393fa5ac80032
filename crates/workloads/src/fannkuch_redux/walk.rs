//! The benchmark's order of permutations, entered at any position: the
//! permutation at a position from its factorial-base digits, the step to the
//! next one, and the flips a permutation needs.

use super::MAX_N;

/// `n!`, the number of permutations, or `None` if it does not fit a
/// `usize`.
///
/// ```
/// assert_eq!(ps_workloads::fannkuch_redux::permutations(5), Some(120));
/// ```
#[must_use]
pub fn permutations(n: usize) -> Option<usize> {
    (1..=n).try_fold(1_usize, usize::checked_mul)
}

/// A position in the benchmark's order of permutations: the permutation and
/// its factorial-base digits.
///
/// ```
/// use ps_workloads::fannkuch_redux::Walk;
///
/// let mut walk = Walk::at(3, 0);
/// assert_eq!(walk.permutation(), [0, 1, 2]);
/// walk.advance();
/// assert_eq!(walk.permutation(), [1, 0, 2]);
/// assert_eq!(Walk::at(3, 3).permutation(), [2, 1, 0]);
/// ```
#[derive(Debug, Clone)]
pub struct Walk {
    n: usize,
    perm: [u8; MAX_N],
    digits: [u8; MAX_N],
}

impl Walk {
    /// The permutation of `0..n` at `position` (below `n!`), from the
    /// position's factorial-base digits.
    ///
    /// # Panics
    ///
    /// If `n` is larger than [`MAX_N`] or `position` is not below `n!`.
    #[must_use]
    pub fn at(n: usize, position: usize) -> Walk {
        assert!(n <= MAX_N, "fannkuch-redux accepts n up to {MAX_N}, got {n}");
        assert!(
            permutations(n).is_some_and(|count| position < count),
            "position {position} is past the last permutation of {n}"
        );
        let mut walk = Walk {
            n,
            perm: std::array::from_fn(|i| i as u8),
            digits: [0; MAX_N],
        };
        let mut rest = position;
        for i in (1..n).rev() {
            // i! ≤ position < n!, so it fits.
            let place = permutations(i).unwrap_or(usize::MAX);
            let digit = rest / place;
            rest %= place;
            walk.digits[i] = digit as u8;
            walk.perm[..=i].rotate_left(digit);
        }
        walk
    }

    /// The current permutation.
    #[must_use]
    pub fn permutation(&self) -> &[u8] {
        &self.perm[..self.n]
    }

    /// Steps to the next position: the lowest digit that does not wrap
    /// rotates its prefix; those that wrap have made a full turn, which
    /// leaves their prefix as it was, and start again from 0.
    ///
    /// # Panics
    ///
    /// If called at the last position.
    #[inline]
    pub fn advance(&mut self) {
        // Digit 1 wraps only every other step; rotating two elements is a
        // swap, which the general rotation below does not compile to.
        if self.digits[1] == 0 {
            self.digits[1] = 1;
            self.perm.swap(0, 1);
            return;
        }
        self.digits[1] = 0;
        self.perm.swap(0, 1);
        let mut i = 2;
        assert!(i < self.n, "advanced past the last permutation");
        loop {
            self.perm[..=i].rotate_left(1);
            self.digits[i] += 1;
            if usize::from(self.digits[i]) <= i {
                return;
            }
            self.digits[i] = 0;
            i += 1;
            assert!(i < self.n, "advanced past the last permutation");
        }
    }

    /// The flips this permutation needs (see the [module](super) docs).
    /// Its tests compare it with reversing the prefix as a slice.
    ///
    /// ```
    /// use ps_workloads::fannkuch_redux::Walk;
    ///
    /// // 2 1 0 → 0 1 2: one flip of the first three.
    /// assert_eq!(Walk::at(3, 3).flips(), 1);
    /// ```
    #[must_use]
    #[inline]
    pub fn flips(&self) -> u32 {
        let mut first = self.perm[0];
        if first == 0 {
            return 0;
        }
        // The sixteen bytes as one integer, element 0 the lowest byte: a
        // prefix is reversed by reversing all the bytes and shifting the
        // prefix back down, with no loop over the elements.
        let mut perm = u128::from_le_bytes(self.perm);
        let mut flips = 0;
        while first != 0 {
            let len = u32::from(first) + 1;
            let reversed = perm.swap_bytes() >> (8 * (MAX_N as u32 - len));
            let rest = perm & u128::MAX.checked_shl(8 * len).unwrap_or(0);
            perm = rest | reversed;
            flips += 1;
            first = perm as u8;
        }
        flips
    }
}
