//! Runs a copy: what to copy, the user's manifest planned in memory, then
//! everything written at once (see `files`).

use std::fs;
use std::path::Path;

use ps_harness::Failure;

use crate::CopyArgs;
use crate::files::{self, Plan, Tree};
use crate::manifest::{self, Workspace};
use crate::root::{self, Member};

/// The crate every copy depends on, and the root package depends on too:
/// calling a strategy needs its trait in scope.
const TRAIT_CRATE: &str = "strategy";

/// What `src/main.rs` of a package created by the copy says, as `cargo new`
/// writes it.
const HELLO: &str = "fn main() {\n    println!(\"Hello, world!\");\n}\n";

/// Copies the crate `args.name` and the crates it needs into the package at
/// `args.to`, printing the commands that test and run the copy.
///
/// # Errors
///
/// A usage [`Failure`] when the copy would overwrite something of the
/// user's or their `Cargo.toml` cannot be edited safely (nothing is written
/// then), and an I/O one when a file cannot be read or written.
///
/// ```no_run
/// use xtask_copy::CopyArgs;
///
/// let args = CopyArgs { name: "threads".into(), to: "../my-app".into() };
/// xtask_copy::copy(&args)?;
/// # Ok::<(), ps_harness::Failure>(())
/// ```
pub fn copy(args: &CopyArgs) -> Result<(), Failure> {
    let repository = crate::workspace_root();
    let dir = &args.to;
    // The folder, or the nearest of its parents that exists (the copy creates
    // the rest), must be a folder: found now, not half-way through writing.
    if let Some(existing) = dir.ancestors().find(|path| path.exists()) {
        if !existing.is_dir() {
            return Err(Failure::Usage(format!(
                "{} is not a folder",
                existing.display()
            )));
        }
    }
    let root_manifest = repository.join("Cargo.toml");
    let workspace = Workspace::parse(
        &fs::read_to_string(&root_manifest)
            .map_err(|error| Failure::io(&root_manifest, "read", error))?,
    )?;

    let copies = crates_to_copy(&repository, &workspace, &args.name, dir)?;

    let members: Vec<Member<'_>> = copies
        .iter()
        .map(|copy| Member {
            name: &copy.name,
            folder: &copy.folder,
            dependency: copy.folder == args.name || copy.folder == TRAIT_CRATE,
            already_there: copy.already_there,
        })
        .collect();
    let manifest_path = dir.join("Cargo.toml");
    let existing = if manifest_path.exists() {
        Some(
            fs::read_to_string(&manifest_path)
                .map_err(|error| Failure::io(&manifest_path, "read", error))?,
        )
    } else {
        None
    };
    let edition = workspace
        .package_value("edition")
        .and_then(toml_edit::Value::as_str)
        .unwrap_or("2024");
    let root = root::plan(dir, &manifest_path, existing.as_deref(), &members, edition)?;

    let main = copies
        .iter()
        .find(|copy| copy.folder == args.name)
        .expect("the crate itself");
    let next = next_steps(dir, main, root.has_package);
    files::apply(&Plan {
        dir: dir.clone(),
        crates: copies
            .iter()
            .filter(|copy| !copy.already_there)
            .map(|copy| (copy.folder.clone(), copy.tree.clone()))
            .collect(),
        manifest: root.text,
        main: root.new_package.map(|_| HELLO.to_owned()),
    })?;

    let others: Vec<&str> = copies
        .iter()
        .filter(|copy| copy.folder != args.name)
        .map(|copy| copy.name.as_str())
        .collect();
    let with = if others.is_empty() {
        String::new()
    } else {
        format!(" with {}", others.join(", "))
    };
    println!(
        "Copied {}{with} into {}; {} lists them. Next:",
        main.name,
        dir.join("crates").display(),
        manifest_path.display()
    );
    for command in next {
        println!("    {command}");
    }
    Ok(())
}

/// The crate `name`, then every crate of this repository it depends on, in
/// any way: a dev-dependency's tests and examples must build in the copy
/// too. Sorted by folder.
fn crates_to_copy(
    repository: &Path,
    workspace: &Workspace,
    name: &str,
    dir: &Path,
) -> Result<Vec<Copy>, Failure> {
    let read =
        |path: &Path| fs::read_to_string(path).map_err(|error| Failure::io(path, "read", error));
    let mut copies: Vec<Copy> = Vec::new();
    let mut pending = vec![name.to_owned()];
    while let Some(folder) = pending.pop() {
        if copies.iter().any(|copy| copy.folder == folder) {
            continue;
        }
        let source = repository.join("crates").join(&folder);
        let resolved = manifest::resolve(&folder, &read(&source.join("Cargo.toml"))?, workspace)?;
        let mut tree = Tree::read(&source).map_err(|error| Failure::io(&source, "read", error))?;
        tree.replace("Cargo.toml", resolved.text);
        pending.extend(resolved.path_dependencies);
        let already_there = already_there(dir, &folder, &tree)?;
        if already_there && folder == name {
            return Err(Failure::Usage(format!(
                "{} is already there: remove it to copy {} again",
                dir.join("crates").join(&folder).display(),
                resolved.name
            )));
        }
        copies.push(Copy {
            folder,
            name: resolved.name,
            tree,
            already_there,
        });
    }
    copies.sort_by(|a, b| a.folder.cmp(&b.folder));
    Ok(copies)
}

/// One crate to copy.
#[derive(Debug)]
struct Copy {
    folder: String,
    name: String,
    tree: Tree,
    already_there: bool,
}

/// Whether `DIR/crates/FOLDER` already holds exactly this copy (left by an
/// earlier copy that needed it too). Anything else there is refused: it is
/// the user's, and it would be overwritten.
fn already_there(dir: &Path, folder: &str, tree: &Tree) -> Result<bool, Failure> {
    let target = dir.join("crates").join(folder);
    if !target.exists() {
        return Ok(false);
    }
    match Tree::read(&target) {
        Ok(existing) if existing == *tree => Ok(true),
        _ => Err(Failure::Usage(format!(
            "{} is already there and differs from this repository's crates/{folder}: move it away to copy",
            target.display()
        ))),
    }
}

/// The commands that test the copy and run it: an example of the copied
/// crate if it has one, the user's own program otherwise.
fn next_steps(dir: &Path, copy: &Copy, has_package: bool) -> Vec<String> {
    let cd = format!("cd {}", shell_word(&dir.display().to_string()));
    let mut examples = copy.tree.0.iter().filter_map(|(path, _)| {
        (path.parent() == Some(Path::new("examples")))
            .then(|| path.file_stem().and_then(|stem| stem.to_str()))
            .flatten()
    });
    let mut steps = vec![format!("{cd} && cargo test --workspace")];
    if let Some(example) = examples.next() {
        // Examples time what they show: only an optimised build means anything.
        steps.push(format!(
            "{cd} && cargo run --release -p {} --example {example}",
            copy.name
        ));
    } else if has_package {
        steps.push(format!("{cd} && cargo run"));
    }
    steps
}

/// `word` as one word for a POSIX shell: quoted unless it has only
/// characters no shell treats specially.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./+:@%,=".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    #[test]
    fn printed_folders_are_one_shell_word() {
        assert_eq!(shell_word("../my-app"), "../my-app");
        assert_eq!(shell_word("my app"), "'my app'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
