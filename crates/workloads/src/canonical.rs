//! The one-line descriptions and file bytes the built-in workloads share.

/// FNV-1a, 64 bits: xor each byte in, multiply by the FNV prime.
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// `{count} {unit}, fnv1a64 {hash}`: how a large result is printed, so two
/// runs can be compared by eye.
pub(crate) fn hashed(count: usize, unit: &str, bytes: &[u8]) -> String {
    format!("{count} {unit}, fnv1a64 {:016x}", fnv1a64(bytes))
}

/// Numbers as a file: each as eight little-endian bytes.
pub(crate) fn numbers_bytes(numbers: &[u64]) -> Vec<u8> {
    numbers.iter().flat_map(|n| n.to_le_bytes()).collect()
}

/// Bytes of `count` values of type `T`, for `bytes_for`.
pub(crate) fn bytes_of<T>(count: usize) -> u128 {
    count as u128 * size_of::<T>() as u128
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_published_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn hashed_descriptions() {
        assert_eq!(
            hashed(1, "bytes", b"a"),
            "1 bytes, fnv1a64 af63dc4c8601ec8c"
        );
        assert_eq!(numbers_bytes(&[1]), [1, 0, 0, 0, 0, 0, 0, 0]);
    }
}
