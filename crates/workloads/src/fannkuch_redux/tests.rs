use super::*;

/// The benchmark's reference program taken literally: a counter per
/// level that counts *down*, the prefix rotated by shifting, the flips
/// counted on a copy. Returns (checksum, maximum) and every
/// permutation in order.
fn literal(n: usize) -> (i64, u32, Vec<Vec<u8>>) {
    let mut perm1: Vec<u8> = (0..n as u8).collect();
    let mut count = vec![0_usize; n];
    let (mut checksum, mut max_flips, mut seen) = (0_i64, 0_u32, Vec::new());
    let mut r = n;
    let mut perm_count = 0_usize;
    loop {
        while r != 1 {
            count[r - 1] = r;
            r -= 1;
        }
        seen.push(perm1.clone());
        let mut perm = perm1.clone();
        let mut flips = 0_u32;
        while perm[0] != 0 {
            let k = usize::from(perm[0]);
            perm[..=k].reverse();
            flips += 1;
        }
        max_flips = max_flips.max(flips);
        checksum += if perm_count % 2 == 0 {
            i64::from(flips)
        } else {
            -i64::from(flips)
        };
        loop {
            if r == n {
                return (checksum, max_flips, seen);
            }
            let first = perm1[0];
            for i in 0..r {
                perm1[i] = perm1[i + 1];
            }
            perm1[r] = first;
            count[r] -= 1;
            if count[r] > 0 {
                break;
            }
            r += 1;
        }
        perm_count += 1;
    }
}

#[test]
fn flips_by_byte_reversal_match_reversing_the_slice() {
    let slice_flips = |perm: &[u8]| {
        let mut perm = perm.to_vec();
        let mut flips = 0;
        while perm[0] != 0 {
            let k = usize::from(perm[0]);
            perm[..=k].reverse();
            flips += 1;
        }
        flips
    };
    for n in [1, 2, 5, 8] {
        for position in (0..permutations(n).unwrap()).step_by(7) {
            let walk = Walk::at(n, position);
            assert_eq!(walk.flips(), slice_flips(walk.permutation()), "n = {n}, at {position}");
        }
    }
    // Digit 15 at 15 and the rest 0: 15 0 1 … 14, whose first flip
    // reverses all sixteen elements.
    let whole = Walk::at(MAX_N, 15 * permutations(MAX_N - 1).unwrap());
    assert_eq!(whole.permutation()[0], 15);
    assert_eq!(whole.flips(), slice_flips(whole.permutation()));
}

#[test]
fn n_7_gives_the_published_answer() {
    let tally = fannkuch_redux_serial(7);
    assert_eq!((tally.checksum, tally.max_flips), (228, 16));
}

#[test]
fn agrees_with_the_literal_program() {
    for n in 1..=8 {
        let (checksum, max_flips, _) = literal(n);
        assert_eq!(
            fannkuch_redux_serial(n),
            Tally {
                checksum,
                max_flips
            },
            "n = {n}"
        );
    }
}

#[test]
fn every_position_starts_where_the_walk_arrives() {
    for n in 1..=6 {
        let (_, _, order) = literal(n);
        assert_eq!(Some(order.len()), permutations(n));
        let mut walk = Walk::at(n, 0);
        for (position, expected) in order.iter().enumerate() {
            assert_eq!(walk.permutation(), expected, "n = {n}, stepped to {position}");
            assert_eq!(Walk::at(n, position).permutation(), expected, "n = {n}, at {position}");
            if position + 1 < order.len() {
                walk.advance();
            }
        }
    }
}

#[test]
fn any_cut_into_ranges_gives_the_same_tally() {
    let whole = fannkuch_redux_serial(6);
    for cut in 1..720 {
        assert_eq!(
            tally_range(6, 0..cut).join(tally_range(6, cut..720)),
            whole,
            "cut at {cut}"
        );
    }
}

/// The book says ranges of equal length are not equal work: at the
/// workload's own grain, the range with the most flips has more than
/// twice the flips of the range with the fewest.
#[test]
fn ranges_of_equal_length_are_not_equal_work() {
    let n = 8;
    let grain = FannkuchRedux.grain(n);
    let flips: Vec<u64> = (0..permutations(n).unwrap())
        .step_by(grain)
        .map(|start| {
            let mut walk = Walk::at(n, start);
            (0..grain)
                .map(|step| {
                    let flips = u64::from(walk.flips());
                    if step + 1 < grain {
                        walk.advance();
                    }
                    flips
                })
                .sum()
        })
        .collect();
    let (fewest, most) = (flips.iter().min().unwrap(), flips.iter().max().unwrap());
    assert!(*most > 2 * fewest, "{most} against {fewest}");
}

/// The book says a range of the grain keeps its last two elements, and
/// has no free permutation when they hold the smallest.
#[test]
fn a_range_of_the_grain_keeps_its_last_two_elements() {
    let n = 7;
    let grain = FannkuchRedux.grain(n);
    let (mut with_free, mut without) = (0, 0);
    for start in (0..permutations(n).unwrap()).step_by(grain) {
        let mut walk = Walk::at(n, start);
        let tail = walk.permutation()[n - 2..].to_vec();
        let mut free = 0;
        for step in 0..grain {
            assert_eq!(walk.permutation()[n - 2..], tail, "range at {start}");
            free += usize::from(walk.flips() == 0);
            if step + 1 < grain {
                walk.advance();
            }
        }
        if tail.contains(&0) {
            assert_eq!(free, 0, "range at {start}");
            without += 1;
        } else {
            assert!(free > 0, "range at {start}");
            with_free += 1;
        }
    }
    assert!(with_free > 0 && without > 0);
}

#[test]
#[should_panic(expected = "past the last permutation")]
fn a_position_past_the_end_is_refused() {
    let _ = Walk::at(4, 24);
}

#[test]
fn sizes_outside_the_range_are_refused_in_one_line() {
    for n in [0, MAX_N + 1] {
        let message = FannkuchRedux.check_n(n).unwrap_err();
        assert_eq!(message, format!("fannkuch-redux needs n from 1 to {MAX_N}, got {n}"));
    }
}
