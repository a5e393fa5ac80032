//! Refusing a size that cannot fit before anything is allocated.

use crate::Failure;

/// `Ok` when `bytes` (what a workload says size `n` needs) fits in the
/// address space and in the machine's memory.
///
/// # Errors
///
/// A usage error: one line naming the workload, `n`, what it needs and what
/// the machine has.
pub(crate) fn check_fits(workload: &str, n: usize, bytes: Option<u128>) -> Result<(), Failure> {
    let Some(bytes) = bytes else { return Ok(()) };
    if bytes > isize::MAX as u128 {
        return Err(Failure::Usage(format!(
            "--n for {workload}: n = {n} needs {} of memory, more than this machine can address",
            gib(bytes)
        )));
    }
    match physical_memory() {
        Some(total) if bytes > u128::from(total) => Err(Failure::Usage(format!(
            "--n for {workload}: n = {n} needs {} of memory and this machine has {}",
            gib(bytes),
            gib(u128::from(total))
        ))),
        _ => Ok(()),
    }
}

/// The machine's memory in bytes, where the system says (Linux's
/// `/proc/meminfo`); `None` elsewhere, and then only the address space is
/// checked.
///
/// ```
/// if let Some(bytes) = ps_harness::physical_memory() {
///     assert!(bytes > 0);
/// }
/// ```
#[must_use]
pub fn physical_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|line| line.starts_with("MemTotal:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

fn gib(bytes: u128) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_beyond_the_address_space_are_refused() {
        let error = check_fits("squares", usize::MAX, Some(u128::from(u64::MAX) * 3)).unwrap_err();
        assert_eq!(error.exit_code(), 2);
        assert!(
            error
                .to_string()
                .contains("more than this machine can address"),
            "{error}"
        );
        assert!(check_fits("squares", 10, Some(80)).is_ok());
        assert!(check_fits("squares", 10, None).is_ok());
    }

    #[test]
    fn sizes_beyond_the_machines_memory_are_refused() {
        let Some(total) = physical_memory() else {
            eprintln!("no /proc/meminfo here: only the address-space check applies");
            return;
        };
        let error = check_fits("squares", 1, Some(u128::from(total) + 1)).unwrap_err();
        assert!(
            error.to_string().contains("and this machine has"),
            "{error}"
        );
    }
}
