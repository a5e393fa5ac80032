//! Crate folders held in memory, and a planned copy put in place: each crate
//! is written whole into a staging folder and then renamed into place, the
//! root manifest is renamed over the old one last, and a failure part-way
//! removes what was added, so a copy is all there or not there.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use ps_harness::Failure;

/// The files of a folder, by path relative to it, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tree(pub(crate) Vec<(PathBuf, Vec<u8>)>);

impl Tree {
    /// Reads every file under `dir`, except build output (`target/`).
    pub(crate) fn read(dir: &Path) -> io::Result<Self> {
        let mut files = Vec::new();
        read_into(dir, Path::new(""), &mut files)?;
        files.sort();
        Ok(Self(files))
    }

    /// Replaces the contents of the file at `path`, which must be there.
    pub(crate) fn replace(&mut self, path: &str, contents: String) {
        let file = self
            .0
            .iter_mut()
            .find(|(file, _)| file == Path::new(path))
            .expect("the file was read with the tree");
        file.1 = contents.into_bytes();
    }

    fn write(&self, dir: &Path) -> io::Result<()> {
        for (path, contents) in &self.0 {
            let path = dir.join(path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(path, contents)?;
        }
        Ok(())
    }
}

fn read_into(dir: &Path, relative: &Path, files: &mut Vec<(PathBuf, Vec<u8>)>) -> io::Result<()> {
    for entry in fs::read_dir(dir.join(relative))? {
        let entry = entry?;
        let path = relative.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            if entry.file_name() != "target" {
                read_into(dir, &path, files)?;
            }
        } else {
            files.push((path.clone(), fs::read(dir.join(&path))?));
        }
    }
    Ok(())
}

/// Everything a copy writes, decided before anything is.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The package folder copied into.
    pub(crate) dir: PathBuf,
    /// The crates to add, by folder name under `crates/`.
    pub(crate) crates: Vec<(String, Tree)>,
    /// The new `Cargo.toml`.
    pub(crate) manifest: String,
    /// `src/main.rs`, for a new package that has none.
    pub(crate) main: Option<String>,
}

/// What has been added so far, to take back on failure.
#[derive(Debug, Default)]
struct Added(Vec<PathBuf>);

impl Added {
    fn create_dir(&mut self, dir: &Path) -> io::Result<()> {
        if !dir.exists() {
            fs::create_dir(dir)?;
            self.0.push(dir.to_owned());
        }
        Ok(())
    }

    fn undo(&self) {
        for path in self.0.iter().rev() {
            // Best effort: the error that caused the undo is what is reported.
            let _ = if path.is_dir() {
                fs::remove_dir_all(path)
            } else {
                fs::remove_file(path)
            };
        }
    }
}

/// Writes `plan`: all of it, or (on an I/O error) none of it.
pub(crate) fn apply(plan: &Plan) -> Result<(), Failure> {
    let mut added = Added::default();
    let outcome = write_all(plan, &mut added);
    if let Err(error) = outcome {
        added.undo();
        return Err(Failure::io(&plan.dir, "copy into", error));
    }
    Ok(())
}

fn write_all(plan: &Plan, added: &mut Added) -> io::Result<()> {
    if !plan.dir.exists() {
        fs::create_dir_all(&plan.dir)?;
        added.0.push(plan.dir.clone());
    }
    let crates = plan.dir.join("crates");
    added.create_dir(&crates)?;
    let staging = crates.join(format!(".copy-{}", std::process::id()));
    added.create_dir(&staging)?;
    for (folder, tree) in &plan.crates {
        tree.write(&staging.join(folder))?;
    }
    for (folder, _) in &plan.crates {
        let target = crates.join(folder);
        fs::rename(staging.join(folder), &target)?;
        added.0.push(target);
    }
    fs::remove_dir(&staging)?;
    added.0.retain(|path| *path != staging);
    if let Some(main) = &plan.main {
        let src = plan.dir.join("src");
        added.create_dir(&src)?;
        let path = src.join("main.rs");
        if !path.exists() {
            fs::write(&path, main)?;
            added.0.push(path);
        }
    }
    // Last, and by a rename: the old manifest is whole until the new one is.
    let manifest = plan.dir.join("Cargo.toml");
    let temporary = plan
        .dir
        .join(format!(".Cargo.toml.copy-{}", std::process::id()));
    fs::write(&temporary, &plan.manifest)?;
    added.0.push(temporary.clone());
    fs::rename(&temporary, manifest)?;
    Ok(())
}
