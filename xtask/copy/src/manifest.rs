//! A copied crate's `Cargo.toml` made self-contained: every value it
//! inherits from this workspace written out, so that it builds the same in a
//! package that knows nothing of this repository.

use ps_harness::Failure;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, TableLike, Value};

/// The tables of this repository's root `Cargo.toml` that members inherit
/// from.
#[derive(Debug)]
pub(crate) struct Workspace {
    package: Table,
    dependencies: Table,
    lints: Table,
}

impl Workspace {
    /// Reads `[workspace.package]`, `[workspace.dependencies]` and
    /// `[workspace.lints]` from the root manifest `text`.
    pub(crate) fn parse(text: &str) -> Result<Self, Failure> {
        let document: DocumentMut = text
            .parse()
            .map_err(|error| Failure::Invalid(format!("the root Cargo.toml: {error}")))?;
        let table = |key: &str| {
            document["workspace"]
                .get(key)
                .and_then(Item::as_table)
                .cloned()
                .ok_or_else(|| {
                    Failure::Invalid(format!("the root Cargo.toml has no [workspace.{key}]"))
                })
        };
        Ok(Self {
            package: table("package")?,
            dependencies: table("dependencies")?,
            lints: table("lints")?,
        })
    }

    /// The workspace's value of a `[workspace.package]` key.
    pub(crate) fn package_value(&self, key: &str) -> Option<&Value> {
        self.package.get(key).and_then(Item::as_value)
    }
}

/// A crate's manifest with nothing left to inherit, and the crates of this
/// repository it depends on, in any table (normal, dev, build, per target).
#[derive(Debug)]
pub(crate) struct Resolved {
    /// The package's name.
    pub(crate) name: String,
    /// The new `Cargo.toml`.
    pub(crate) text: String,
    /// The folder names under `crates/` of its path dependencies.
    pub(crate) path_dependencies: Vec<String>,
}

/// Resolves the manifest `text` of the crate in `crates/FOLDER` against
/// `workspace`, for a copy that sits in `crates/FOLDER` of another package.
pub(crate) fn resolve(
    folder: &str,
    text: &str,
    workspace: &Workspace,
) -> Result<Resolved, Failure> {
    let context =
        |message: String| Failure::Invalid(format!("crates/{folder}/Cargo.toml: {message}"));
    let mut document: DocumentMut = text.parse().map_err(|error| context(format!("{error}")))?;
    let name = document["package"]["name"]
        .as_str()
        .ok_or_else(|| context("no package name".to_owned()))?
        .to_owned();
    resolve_package(&mut document, workspace).map_err(context)?;
    let mut path_dependencies = Vec::new();
    for table in dependency_tables(&mut document) {
        resolve_dependencies(table, workspace, &mut path_dependencies).map_err(context)?;
    }
    resolve_lints(&mut document, workspace).map_err(context)?;
    path_dependencies.sort();
    path_dependencies.dedup();
    Ok(Resolved {
        name,
        text: document.to_string(),
        path_dependencies,
    })
}

fn inherits(item: &Item) -> bool {
    item.as_table_like()
        .and_then(|table| table.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

/// `[package]`: each `KEY.workspace = true` becomes the workspace's value,
/// except `repository` (the copy lives in the user's repository) and
/// `publish` (below).
fn resolve_package(document: &mut DocumentMut, workspace: &Workspace) -> Result<(), String> {
    let package = document["package"]
        .as_table_like_mut()
        .ok_or("no [package] table")?;
    let inherited: Vec<String> = package
        .iter()
        .filter(|(_, item)| inherits(item))
        .map(|(key, _)| key.to_owned())
        .collect();
    for key in inherited {
        match key.as_str() {
            "repository" | "publish" => {
                package.remove(&key);
            }
            _ => {
                let value = workspace
                    .package_value(&key)
                    .ok_or_else(|| format!("inherits `{key}`, which [workspace.package] lacks"))?;
                replace(package, &key, Item::Value(bare(value.clone())));
            }
        }
    }
    // A copy is not the original crate: publishing it under the same name
    // would collide with the original, so it is never published, whatever
    // this workspace decides for its own crates.
    package.insert("publish", Item::Value(Value::from(false)));
    Ok(())
}

/// Every dependency table: `[dependencies]`, `[dev-dependencies]`,
/// `[build-dependencies]` and each of them under `[target.'…']`.
fn dependency_tables(document: &mut DocumentMut) -> Vec<&mut dyn TableLike> {
    const KINDS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables = Vec::new();
    for (key, item) in document.as_table_mut().iter_mut() {
        if key == "target" {
            if let Some(targets) = item.as_table_like_mut() {
                for (_, target) in targets.iter_mut() {
                    if let Some(target) = target.as_table_like_mut() {
                        for (kind, table) in target.iter_mut() {
                            if KINDS.contains(&kind.get()) {
                                tables.extend(table.as_table_like_mut());
                            }
                        }
                    }
                }
            }
        } else if KINDS.contains(&key.get()) {
            tables.extend(item.as_table_like_mut());
        }
    }
    tables
}

/// Replaces each `NAME.workspace = true` of one dependency table with the
/// workspace's entry merged with the member's own keys (`features` adds to
/// the workspace's, `optional` and the rest apply as written), and records
/// the path dependencies.
fn resolve_dependencies(
    table: &mut dyn TableLike,
    workspace: &Workspace,
    path_dependencies: &mut Vec<String>,
) -> Result<(), String> {
    let names: Vec<String> = table.iter().map(|(key, _)| key.to_owned()).collect();
    for name in names {
        let item = table.get_mut(&name).expect("a key just listed");
        if inherits(item) {
            let base = workspace
                .dependencies
                .get(&name)
                .ok_or_else(|| format!("`{name}` is not in [workspace.dependencies]"))?;
            let mut entry = dependency_entry(base).ok_or_else(|| {
                format!("[workspace.dependencies] `{name}` is neither a version nor a table")
            })?;
            if let Some(path) = entry.get("path").and_then(Value::as_str) {
                let folder = crate_folder(path, "crates/")?;
                entry.insert("path", Value::from(format!("../{folder}")));
            }
            let own = item.as_table_like().expect("inherits() saw a table");
            for (key, value) in own.iter().filter(|(key, _)| *key != "workspace") {
                let value = value
                    .as_value()
                    .ok_or_else(|| format!("`{name}.{key}` is not a value"))?;
                if key == "features" {
                    append_features(&mut entry, value);
                } else {
                    entry.insert(key, bare(value.clone()));
                }
            }
            // `{ version = "1" }` alone reads better as the plain string.
            let value = match (entry.len(), entry.get("version")) {
                (1, Some(version)) => Item::Value(version.clone()),
                _ => Item::Value(Value::InlineTable(entry)),
            };
            replace(table, &name, value);
        }
        let item = table.get(&name).expect("a key just listed");
        if let Some(path) = item.get("path").and_then(Item::as_str) {
            path_dependencies.push(crate_folder(path, "../")?.to_owned());
        }
    }
    Ok(())
}

/// Sets `key` to `value`, keeping the comment above the line: on a dotted
/// key (`name.workspace = true`) it belongs to the inner key, which goes.
fn replace(table: &mut dyn TableLike, key: &str, value: Item) {
    let (mut outer, item) = table.get_key_value_mut(key).expect("a key of the table");
    let comment = item
        .as_table_like()
        .filter(|inner| inner.is_dotted())
        .and_then(|inner| inner.iter().next().and_then(|(first, _)| inner.key(first)))
        .and_then(|first| first.leaf_decor().prefix().cloned());
    *item = value;
    if let Some(comment) = comment {
        outer.leaf_decor_mut().set_prefix(comment);
    }
}

/// A `[workspace.dependencies]` entry as an inline table: a bare version
/// string becomes `{ version = "…" }`.
fn dependency_entry(base: &Item) -> Option<InlineTable> {
    match base {
        Item::Value(Value::String(version)) => {
            let mut entry = InlineTable::new();
            entry.insert("version", Value::from(version.value().as_str()));
            Some(entry)
        }
        Item::Value(Value::InlineTable(table)) => Some(bare_table(table)),
        Item::Table(table) => Some(bare_table(&table.clone().into_inline_table())),
        _ => None,
    }
}

fn append_features(entry: &mut InlineTable, features: &Value) {
    let mut merged: Array = entry
        .get("features")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for feature in features.as_array().into_iter().flatten() {
        if !merged
            .iter()
            .any(|known| known.as_str() == feature.as_str())
        {
            merged.push(bare(feature.clone()));
        }
    }
    merged.fmt();
    entry.insert("features", Value::Array(merged));
}

/// The crate folder a path dependency names: `crates/NAME` from the root,
/// `../NAME` from a crate. Anything else would not survive the copy.
fn crate_folder<'a>(path: &'a str, prefix: &str) -> Result<&'a str, String> {
    path.strip_prefix(prefix)
        .filter(|folder| !folder.is_empty() && !folder.contains('/'))
        .ok_or_else(|| format!("the path dependency `{path}` is not a sibling crate"))
}

/// `[lints] workspace = true` becomes the workspace's own lint tables, with
/// their comments: the code was written against them, and the `loom` cfg
/// they declare keeps `cfg(loom)` from warning.
fn resolve_lints(document: &mut DocumentMut, workspace: &Workspace) -> Result<(), String> {
    let Some(lints) = document.get("lints") else {
        return Ok(());
    };
    if !inherits(lints) {
        return Ok(());
    }
    if lints.as_table_like().is_some_and(|table| table.len() > 1) {
        return Err("[lints] both inherits and sets lints".to_owned());
    }
    let position = lints.as_table().and_then(Table::position);
    let mut table = Table::new();
    table.set_implicit(true);
    for (offset, (tool, lints)) in (0..).zip(workspace.lints.iter()) {
        let mut lints = lints
            .as_table()
            .ok_or_else(|| format!("[workspace.lints.{tool}] is not a table"))?
            .clone();
        // Table headers print in document order: keep the copied tables
        // where `[lints]` was, in the workspace's order.
        lints.set_position(position.map(|start| start + offset));
        table.insert(tool, Item::Table(lints));
    }
    document.insert("lints", Item::Table(table));
    Ok(())
}

/// A value without the spacing and comments it had in its own file.
fn bare(mut value: Value) -> Value {
    value.decor_mut().clear();
    value
}

fn bare_table(table: &InlineTable) -> InlineTable {
    let mut copy = InlineTable::new();
    for (key, value) in table {
        copy.insert(key, bare(value.clone()));
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> Workspace {
        let root = crate::workspace_root();
        Workspace::parse(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap()
    }

    #[test]
    fn nothing_is_left_to_inherit_and_values_are_the_workspaces() {
        let workspace = workspace();
        for folder in crate::COPYABLE {
            let path = crate::workspace_root()
                .join("crates")
                .join(folder)
                .join("Cargo.toml");
            let resolved =
                resolve(folder, &std::fs::read_to_string(path).unwrap(), &workspace).unwrap();
            assert!(
                !resolved.text.contains("workspace = true"),
                "{folder}:\n{}",
                resolved.text
            );
            let copy: DocumentMut = resolved.text.parse().unwrap();
            for key in ["version", "edition", "rust-version", "license"] {
                assert_eq!(
                    copy["package"][key].as_str(),
                    workspace.package_value(key).and_then(Value::as_str),
                    "{folder}: {key}"
                );
            }
            assert_eq!(
                copy["package"]["publish"].as_bool(),
                Some(false),
                "{folder}"
            );
            assert!(
                copy["lints"]["rust"]["unexpected_cfgs"].is_inline_table(),
                "{folder}"
            );
        }
    }

    #[test]
    fn dependencies_keep_their_versions_features_and_paths() {
        let workspace = workspace();
        let member = "[package]\nname = \"x\"\n\n[dependencies]\n# why\nps-strategy.workspace = true\n\
                      rayon = { workspace = true, optional = true }\n\
                      [target.'cfg(loom)'.dev-dependencies]\nloom = { workspace = true, features = [\"checkpoint\"] }\n";
        let resolved = resolve("x", member, &workspace).unwrap();
        let copy: DocumentMut = resolved.text.parse().unwrap();
        assert_eq!(
            copy["dependencies"]["ps-strategy"]["path"].as_str(),
            Some("../strategy")
        );
        assert_eq!(
            copy["dependencies"]["rayon"]["optional"].as_bool(),
            Some(true)
        );
        assert_eq!(
            copy["dependencies"]["rayon"]["version"].as_str(),
            workspace.dependencies["rayon"].as_str()
        );
        let loom = &copy["target"]["cfg(loom)"]["dev-dependencies"]["loom"];
        assert_eq!(loom["features"].as_array().unwrap().len(), 1);
        assert!(
            resolved.text.contains("# why\nps-strategy = {"),
            "{}",
            resolved.text
        );
        assert_eq!(resolved.path_dependencies, ["strategy"]);
    }
}
