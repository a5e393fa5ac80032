//! The README's table of which crate uses which is held to the workspace's
//! manifests: a dependency added or removed without updating the table
//! fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// The table under `| crate | uses |`: each row's crates, each with the
/// crates it names as used.
fn readme_table(readme: &str) -> BTreeMap<String, BTreeSet<String>> {
    let names = |cell: &str| -> BTreeSet<String> {
        cell.split(',')
            .map(|name| name.trim().trim_matches('`').to_owned())
            .filter(|name| !name.is_empty() && name != "—")
            .collect()
    };
    let mut table = BTreeMap::new();
    let rows = readme
        .lines()
        .skip_while(|line| line.trim() != "| crate | uses |")
        .skip(2)
        .take_while(|line| line.starts_with('|'));
    for row in rows {
        let cells: Vec<&str> = row.trim().trim_matches('|').split('|').collect();
        let [crates, uses] = cells[..] else {
            panic!("a row of two cells: {row}");
        };
        for name in names(crates) {
            table.insert(name, names(uses));
        }
    }
    table
}

/// Each workspace member with its normal dependencies among the members.
fn manifests(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "cargo metadata failed");
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let members: BTreeSet<String> = packages
        .iter()
        .map(|package| package["name"].as_str().unwrap().to_owned())
        .collect();
    packages
        .iter()
        .map(|package| {
            let uses = package["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|dependency| dependency["kind"].is_null())
                .map(|dependency| dependency["name"].as_str().unwrap().to_owned())
                .filter(|name| members.contains(name))
                .collect();
            (package["name"].as_str().unwrap().to_owned(), uses)
        })
        .collect()
}

#[test]
fn the_readme_says_which_crate_uses_which() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let table = readme_table(&readme);
    assert!(
        table.len() > 5,
        "the README's `| crate | uses |` table is missing"
    );
    assert_eq!(table, manifests(root));
}
