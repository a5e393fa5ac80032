//! The user's root `Cargo.toml`: the copies become path dependencies and
//! workspace members, with the rest of the file — formatting and comments
//! included — left as the user wrote it.

use std::path::Path;

use ps_harness::Failure;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

/// A copied crate as the root manifest sees it.
#[derive(Debug)]
pub(crate) struct Member<'a> {
    /// Its package name, the dependency's key.
    pub(crate) name: &'a str,
    /// Its folder under `crates/`.
    pub(crate) folder: &'a str,
    /// Whether the root package depends on it (the rest are only members).
    pub(crate) dependency: bool,
    /// Whether an identical copy is already there, from an earlier copy.
    pub(crate) already_there: bool,
}

/// The root manifest after the copy.
#[derive(Debug)]
pub(crate) struct Root {
    /// The new text of `DIR/Cargo.toml`.
    pub(crate) text: String,
    /// The package name, when the manifest is new: `src/main.rs` is then
    /// written too, as `cargo new` would.
    pub(crate) new_package: Option<String>,
    /// Whether the manifest has a `[package]` (a virtual one has none, so
    /// there is no `cargo run` and nothing to depend from).
    pub(crate) has_package: bool,
}

/// Plans the root manifest at `path`: `existing` is its text, `None` when
/// there is none and a bin package named after `dir` is created. Every
/// refusal is a usage error, decided before anything is written.
pub(crate) fn plan(
    dir: &Path,
    path: &Path,
    existing: Option<&str>,
    members: &[Member<'_>],
    edition: &str,
) -> Result<Root, Failure> {
    let refuse =
        |why: &str| Failure::Usage(format!("{} cannot be edited safely: {why}", path.display()));
    let (text, new_package) = if let Some(text) = existing {
        (text.to_owned(), None)
    } else {
        let name = package_name(dir)?;
        let text = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"{edition}\"\n\n[dependencies]\n"
        );
        (text, Some(name))
    };
    let mut document: DocumentMut = text.parse().map_err(|error: toml_edit::TomlError| {
        let line = error
            .span()
            .map_or(1, |span| text[..span.start].lines().count().max(1));
        refuse(&format!("it is not valid TOML (line {line})"))
    })?;
    let has_package = document.contains_key("package");
    if has_package {
        if document["package"].get("workspace").is_some() {
            return Err(refuse(
                "its package belongs to another workspace (`package.workspace`); copy into that workspace's root",
            ));
        }
        add_dependencies(&mut document, members).map_err(|why| refuse(&why))?;
    }
    add_members(&mut document, members).map_err(|why| refuse(&why))?;
    Ok(Root {
        text: document.to_string(),
        new_package,
        has_package,
    })
}

/// The name `cargo new` would give a package in `dir`: the folder's name,
/// refused when cargo would refuse it.
fn package_name(dir: &Path) -> Result<String, Failure> {
    let absolute = std::path::absolute(dir)
        .map_err(|error| Failure::io(dir, "find the absolute path of", error))?;
    let name = absolute
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    let valid = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
    if valid {
        Ok(name.to_owned())
    } else {
        Err(Failure::Usage(format!(
            "{} has no Cargo.toml, and `{name}` cannot name the package created there: use a folder named with letters, digits, `-` and `_`",
            dir.display()
        )))
    }
}

fn add_dependencies(document: &mut DocumentMut, members: &[Member<'_>]) -> Result<(), String> {
    let dependencies = document
        .entry("dependencies")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_like_mut()
        .ok_or("`dependencies` is not a table")?;
    for member in members.iter().filter(|member| member.dependency) {
        let path = format!("crates/{}", member.folder);
        if let Some(existing) = dependencies.get(member.name) {
            // A crate an earlier copy brought, depended on as that copy left it.
            let same = existing.get("path").and_then(Item::as_str) == Some(path.as_str());
            if member.already_there && same {
                continue;
            }
            return Err(format!("it already depends on `{}`", member.name));
        }
        let mut entry = InlineTable::new();
        entry.insert("path", Value::from(path));
        dependencies.insert(member.name, Item::Value(Value::InlineTable(entry)));
    }
    Ok(())
}

fn add_members(document: &mut DocumentMut, members: &[Member<'_>]) -> Result<(), String> {
    let workspace = document
        .entry("workspace")
        .or_insert_with(|| {
            let mut table = Table::new();
            table.decor_mut().set_prefix("\n");
            Item::Table(table)
        })
        .as_table_like_mut()
        .ok_or("`workspace` is not a table")?;
    let list = workspace
        .entry("members")
        .or_insert(Item::Value(Value::Array(Array::new())))
        .as_array_mut()
        .ok_or("`workspace.members` is not a list")?;
    if list.iter().any(|member| member.as_str().is_none()) {
        return Err("`workspace.members` holds something other than paths".to_owned());
    }
    for member in members {
        let path = format!("crates/{}", member.folder);
        let listed = list
            .iter()
            .filter_map(Value::as_str)
            .any(|listed| listed == path || listed == "crates/*");
        if !listed {
            // Laid out like the last entry, so a one-per-line list stays one
            // per line.
            let decor = list
                .iter()
                .last()
                .map(|last| last.decor().clone())
                .filter(|decor| {
                    decor
                        .prefix()
                        .and_then(|p| p.as_str())
                        .is_some_and(|p| p.contains('\n'))
                });
            match decor {
                Some(decor) => {
                    let mut value = Value::from(path);
                    *value.decor_mut() = decor;
                    list.push_formatted(value);
                }
                None => list.push(path),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &'static str, dependency: bool) -> Member<'static> {
        Member {
            name,
            folder: name.trim_start_matches("ps-"),
            dependency,
            already_there: false,
        }
    }

    fn edit(existing: &str) -> Result<String, Failure> {
        let members = [member("ps-strategy", true), member("ps-threads", true)];
        plan(
            Path::new("app"),
            Path::new("app/Cargo.toml"),
            Some(existing),
            &members,
            "2024",
        )
        .map(|root| root.text)
    }

    #[test]
    fn a_one_per_line_member_list_stays_one_per_line() {
        let before = "[package]\nname = \"app\"\n\n[workspace]\nmembers = [\n    \"tools\",\n]\n";
        let after = edit(before).unwrap();
        assert!(
            after.contains(
                "members = [\n    \"tools\",\n    \"crates/strategy\",\n    \"crates/threads\",\n]"
            ),
            "{after}"
        );
    }

    #[test]
    fn a_new_package_is_named_after_its_folder() {
        let root = plan(
            Path::new("my-app"),
            Path::new("my-app/Cargo.toml"),
            None,
            &[member("ps-serial", true)],
            "2024",
        )
        .unwrap();
        assert_eq!(root.new_package.as_deref(), Some("my-app"));
        assert!(root.text.contains("name = \"my-app\""), "{}", root.text);
        assert!(
            root.text
                .contains("ps-serial = { path = \"crates/serial\" }"),
            "{}",
            root.text
        );
        let failure = plan(
            Path::new("9 lives"),
            Path::new("9 lives/Cargo.toml"),
            None,
            &[],
            "2024",
        )
        .unwrap_err();
        assert_eq!(failure.exit_code(), 2);
    }

    #[test]
    fn what_cannot_be_edited_safely_is_refused_in_one_line() {
        for (text, why) in [
            ("[package\nname = 1", "not valid TOML (line 1)"),
            (
                "[package]\nname = \"a\"\nworkspace = \"..\"\n",
                "another workspace",
            ),
            (
                "[package]\nname = \"a\"\n[workspace]\nmembers = \"x\"\n",
                "is not a list",
            ),
            (
                "[package]\nname = \"a\"\n[dependencies]\nps-threads = \"1\"\n",
                "already depends on `ps-threads`",
            ),
            (
                "dependencies = 3\n[package]\nname = \"a\"\n",
                "`dependencies` is not a table",
            ),
        ] {
            let failure = edit(text).unwrap_err();
            assert_eq!(failure.exit_code(), 2, "{text}");
            assert!(failure.to_string().contains(why), "{text}: {failure}");
            assert_eq!(failure.to_string().lines().count(), 1, "{failure}");
        }
    }
}
