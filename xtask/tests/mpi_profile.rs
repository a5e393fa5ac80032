//! crates/mpi is a workspace of its own, so it cannot inherit the main
//! workspace's release profile: it repeats it. This holds the copy to the
//! original — every entry for a crate the MPI workspace builds, and nothing
//! else — so that a crate both workspaces build is built the same way (and,
//! in a shared target folder, once).

use std::collections::BTreeMap;
use std::path::Path;

/// The `[profile.release…]` tables of a manifest: each header with its
/// lines, comments and blank lines left out.
fn release_profile(manifest: &str) -> BTreeMap<String, Vec<String>> {
    let mut tables = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            current = (line == "[profile.release]" || line.starts_with("[profile.release."))
                .then(|| line.to_owned());
            if let Some(header) = &current {
                assert!(
                    tables.insert(header.clone(), Vec::new()).is_none(),
                    "{header} appears twice"
                );
            }
        } else if let Some(header) = &current {
            if !line.is_empty() && !line.starts_with('#') {
                tables.get_mut(header).unwrap().push(line.to_owned());
            }
        }
    }
    tables
}

#[test]
fn the_mpi_workspace_builds_shared_crates_as_the_main_one_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let mpi_lock = read("crates/mpi/Cargo.lock");
    let built_by_mpi = |header: &String| {
        header
            .strip_prefix("[profile.release.package.")
            .and_then(|rest| rest.strip_suffix(']'))
            .is_none_or(|package| mpi_lock.contains(&format!("name = \"{package}\"\n")))
    };
    let main = release_profile(&read("Cargo.toml"));
    let expected: BTreeMap<_, _> = main
        .into_iter()
        .filter(|(header, _)| built_by_mpi(header))
        .collect();
    assert!(expected.contains_key("[profile.release.package.ps-harness]"));
    assert_eq!(release_profile(&read("crates/mpi/Cargo.toml")), expected);
}
