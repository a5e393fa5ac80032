//! The reference every check compares with: plain serial loops.

use super::describe;
use crate::Strategy;

/// Checks every operation on `0..len` against serial loops.
pub(crate) fn check_all_operations<S: Strategy>(strategy: &S, len: usize) {
    let input: Vec<u64> = (0..len as u64).collect();
    assert_matches_serial(strategy, &input);
}

/// Checks `map`, `map_reduce` with two non-commutative combines (composing
/// affine maps; concatenating strings, for inputs of up to 5000 elements),
/// and `for_each_chunk_mut` on `input` against plain serial loops.
///
/// # Panics
///
/// At the first operation whose result differs, naming the strategy, the
/// operation and the first differing index.
pub fn assert_matches_serial<S: Strategy>(strategy: &S, input: &[u64]) {
    let len = input.len();
    let who = || format!("{} on {len} elements", describe(strategy));

    let mapped = strategy.map(input, |&x| x.wrapping_mul(x) ^ 0x5bd1_e995);
    let expected: Vec<u64> = input
        .iter()
        .map(|&x| x.wrapping_mul(x) ^ 0x5bd1_e995)
        .collect();
    assert_first_difference(&mapped, &expected, &who, "map");

    // Composing affine maps x -> a*x + b is associative but not commutative,
    // so any reordering of partial results changes the answer.
    let affine = |x: u64| Affine {
        a: x | 1,
        b: x.wrapping_mul(31),
    };
    let composed = strategy.map_reduce(
        input,
        Affine::identity,
        |acc, &x| acc.then(affine(x)),
        Affine::then,
    );
    let expected = input
        .iter()
        .fold(Affine::identity(), |acc, &x| acc.then(affine(x)));
    assert_eq!(
        composed,
        expected,
        "{}: map_reduce differs from serial",
        who()
    );

    if len <= 5000 {
        let text = strategy.map_reduce(
            input,
            String::new,
            |mut acc, x| {
                acc.push_str(&x.to_string());
                acc.push(',');
                acc
            },
            |left, right| left + &right,
        );
        let mut expected = String::new();
        for x in input {
            expected.push_str(&x.to_string());
            expected.push(',');
        }
        assert_eq!(
            text,
            expected,
            "{}: string concatenation differs from serial",
            who()
        );
    }

    let mut data = input.to_vec();
    strategy.for_each_chunk_mut(&mut data, |start, chunk| {
        for (offset, x) in chunk.iter_mut().enumerate() {
            *x = x.wrapping_mul(3).wrapping_add((start + offset) as u64);
        }
    });
    let expected: Vec<u64> = input
        .iter()
        .enumerate()
        .map(|(i, &x)| x.wrapping_mul(3).wrapping_add(i as u64))
        .collect();
    assert_first_difference(&data, &expected, &who, "for_each_chunk_mut");
}

fn assert_first_difference(actual: &[u64], expected: &[u64], who: &dyn Fn() -> String, op: &str) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "{}: {op} returned the wrong length",
        who()
    );
    if let Some(index) = actual.iter().zip(expected).position(|(a, e)| a != e) {
        panic!(
            "{}: {op} differs from serial at index {index}: got {}, expected {}",
            who(),
            actual[index],
            expected[index]
        );
    }
}

/// The affine map `x -> a * x + b` over wrapping `u64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Affine {
    a: u64,
    b: u64,
}

impl Affine {
    fn identity() -> Self {
        Affine { a: 1, b: 0 }
    }

    /// `self` first, then `next`.
    fn then(self, next: Affine) -> Affine {
        Affine {
            a: next.a.wrapping_mul(self.a),
            b: next.a.wrapping_mul(self.b).wrapping_add(next.b),
        }
    }
}
