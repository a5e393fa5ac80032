//! What a rank can send: values written to bytes and read back.

use std::fmt;

/// A bad message: bytes that do not decode to the expected type.
///
/// Only a bug (or ranks built from different code) can cause one, since
/// every rank runs the same binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(pub String);

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WireError {}

/// A value that can travel between ranks as bytes.
///
/// MPI moves buffers, not Rust values: a `Vec<(String, u64)>` holds
/// pointers that mean nothing in another process. A `Wire` type writes
/// itself as plain little-endian bytes and reads itself back. Implemented
/// for the integers, floats, strings and vectors the built-in jobs send;
/// implement it for your own partial result the same way.
///
/// ```
/// use ps_mpi::Wire;
///
/// let counts = vec![("be".to_owned(), 2_u64), ("to".to_owned(), 2)];
/// let mut bytes = Vec::new();
/// counts.encode(&mut bytes);
/// assert_eq!(Vec::<(String, u64)>::decode(&bytes).unwrap(), counts);
/// ```
pub trait Wire: Sized {
    /// Appends this value's bytes to `out`.
    fn encode(&self, out: &mut Vec<u8>);

    /// Reads a value from the front of `bytes`, advancing past it.
    ///
    /// # Errors
    ///
    /// A [`WireError`] if `bytes` ends early or holds something else.
    fn read(bytes: &mut &[u8]) -> Result<Self, WireError>;

    /// Appends the bytes of every item of `items`, one after another: what
    /// a `Vec<Self>` writes after its length. The default encodes each in
    /// turn; a fixed-size type overrides it to write the slice in one go.
    fn encode_all(items: &[Self], out: &mut Vec<u8>) {
        for item in items {
            item.encode(out);
        }
    }

    /// Reads `count` values from the front of `bytes`: the inverse of
    /// [`encode_all`](Wire::encode_all).
    ///
    /// # Errors
    ///
    /// A [`WireError`] if `bytes` ends early or holds something else.
    fn read_all(bytes: &mut &[u8], count: usize) -> Result<Vec<Self>, WireError> {
        // Never trust a count for the allocation: each item needs at least
        // one byte, so a corrupt count fails on `take`, not on `reserve`.
        let mut items = Vec::with_capacity(count.min(bytes.len()));
        for _ in 0..count {
            items.push(Self::read(bytes)?);
        }
        Ok(items)
    }

    /// Reads a value that must be all of `bytes`.
    ///
    /// # Errors
    ///
    /// A [`WireError`] if the bytes are not exactly one value.
    fn decode(mut bytes: &[u8]) -> Result<Self, WireError> {
        let value = Self::read(&mut bytes)?;
        if bytes.is_empty() {
            Ok(value)
        } else {
            Err(WireError(format!("{} bytes left over", bytes.len())))
        }
    }
}

fn take<'a>(bytes: &mut &'a [u8], count: usize) -> Result<&'a [u8], WireError> {
    if bytes.len() < count {
        return Err(WireError(format!(
            "message ends early: wanted {count} bytes, {} left",
            bytes.len()
        )));
    }
    let (head, tail) = bytes.split_at(count);
    *bytes = tail;
    Ok(head)
}

macro_rules! fixed {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }

            fn read(bytes: &mut &[u8]) -> Result<Self, WireError> {
                let raw = take(bytes, size_of::<$t>())?;
                Ok(<$t>::from_le_bytes(raw.try_into().expect("took exactly its size")))
            }

            // A whole slice in one reservation and one tight loop, which
            // the compiler turns into a copy: a million squares are 8 MB,
            // and a push per value with its capacity check cost more than
            // squaring them.
            fn encode_all(items: &[Self], out: &mut Vec<u8>) {
                out.reserve(size_of_val(items));
                for item in items {
                    out.extend_from_slice(&item.to_le_bytes());
                }
            }

            fn read_all(bytes: &mut &[u8], count: usize) -> Result<Vec<Self>, WireError> {
                let length = count
                    .checked_mul(size_of::<$t>())
                    .ok_or_else(|| WireError("length too large".to_owned()))?;
                let raw = take(bytes, length)?;
                Ok(raw
                    .chunks_exact(size_of::<$t>())
                    .map(|chunk| <$t>::from_le_bytes(chunk.try_into().expect("chunks of its size")))
                    .collect())
            }
        }
    )*};
}

fixed!(u8, u32, u64, i64, f64);

/// Lengths travel as `u64`, whatever the rank's pointer width.
impl Wire for usize {
    fn encode(&self, out: &mut Vec<u8>) {
        (*self as u64).encode(out);
    }

    fn read(bytes: &mut &[u8]) -> Result<Self, WireError> {
        usize::try_from(u64::read(bytes)?).map_err(|_| WireError("length too large".to_owned()))
    }
}

impl Wire for String {
    fn encode(&self, out: &mut Vec<u8>) {
        self.len().encode(out);
        out.extend_from_slice(self.as_bytes());
    }

    fn read(bytes: &mut &[u8]) -> Result<Self, WireError> {
        let len = usize::read(bytes)?;
        String::from_utf8(take(bytes, len)?.to_vec())
            .map_err(|_| WireError("a string that is not UTF-8".to_owned()))
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn encode(&self, out: &mut Vec<u8>) {
        self.0.encode(out);
        self.1.encode(out);
    }

    fn read(bytes: &mut &[u8]) -> Result<Self, WireError> {
        Ok((A::read(bytes)?, B::read(bytes)?))
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        self.len().encode(out);
        T::encode_all(self, out);
    }

    fn read(bytes: &mut &[u8]) -> Result<Self, WireError> {
        let len = usize::read(bytes)?;
        T::read_all(bytes, len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Wire + PartialEq + fmt::Debug>(value: &T) {
        let mut bytes = Vec::new();
        value.encode(&mut bytes);
        assert_eq!(&T::decode(&bytes).unwrap(), value);
    }

    #[test]
    fn values_round_trip() {
        round_trip(&u64::MAX);
        round_trip(&-0.0_f64);
        round_trip(&vec![1.5_f64, f64::MIN_POSITIVE]);
        round_trip(&vec![0_u8, 255]);
        round_trip(&Vec::<u64>::new());
        round_trip(&vec![("naïve".to_owned(), 3_u64)]);
    }

    #[test]
    fn short_and_long_messages_are_refused() {
        let mut bytes = Vec::new();
        vec![1_u64, 2].encode(&mut bytes);
        assert!(Vec::<u64>::decode(&bytes[..bytes.len() - 1]).is_err());
        bytes.push(0);
        assert_eq!(
            Vec::<u64>::decode(&bytes).unwrap_err().to_string(),
            "1 bytes left over"
        );
        let huge_length = u64::MAX.to_le_bytes();
        assert!(Vec::<u64>::decode(&huge_length).is_err());
    }
}
