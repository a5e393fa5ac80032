use super::*;

/// A scratch book that removes itself.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("ps-book-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/generated")).unwrap();
        Scratch(dir)
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn with_all_generated(scratch: &Scratch) {
    let fixed = MPI_GENERATED.iter().chain(LAB_GENERATED);
    let names = crate::figures::book_files()
        .into_iter()
        .map(|(name, _)| name)
        .chain(fixed.map(|(name, _)| (*name).to_owned()));
    for name in names {
        scratch.write(
            &format!("src/generated/{name}"),
            "Measured on a test machine.",
        );
    }
}

#[test]
fn a_sound_book_passes() {
    let book = Scratch::new("sound");
    with_all_generated(&book);
    book.write(
        "code/lib.rs",
        "// ANCHOR: trait\npub trait T {}\n// ANCHOR_END: trait\n",
    );
    book.write(
        "src/chapter.md",
        "{{#include ../code/lib.rs:trait}}\n[next](other.md#part) [web](https://example.org)\n![chart](generated/compare.md)\n```\n[not](a-link.md)\n```\n",
    );
    book.write("src/other.md", "# Other\n");
    assert_eq!(check(&book.0.join("src")), Vec::<String>::new());
}

#[test]
fn broken_includes_links_and_missing_figures_are_reported() {
    let book = Scratch::new("broken");
    book.write("code/lib.rs", "// ANCHOR: trait\npub trait T {}\n");
    book.write(
        "src/chapter.md",
        "{{#include ../code/lib.rs:trait}}\n{{#include ../code/gone.rs}}\n[x](missing.md)\n",
    );
    let problems = check(&book.0.join("src"));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("generated/compare.md is missing")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("no complete ANCHOR `trait`")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("missing file `../code/gone.rs`")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("link to missing file `missing.md`")),
        "{problems:?}"
    );
}

/// The book as committed: every claim holds against the committed
/// figures. After `cargo xtask book --measure`, this is the test that
/// names a sentence the new figures contradict.
#[test]
fn the_books_sentences_hold_against_its_figures() {
    let problems = check(&workspace_root().join("book/src"));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every claim in the book is well formed and names a report that
/// `--measure` writes, whether or not the reports are here yet, or one
/// of another machine's that `scripts/many-core` wrote and the book
/// keeps under `generated/machines/`, or the decision's thresholds that
/// `cargo xtask book` computes from them.
#[test]
fn the_books_claims_name_generated_reports() {
    let src = workspace_root().join("book/src");
    let mut chapters = Vec::new();
    collect_markdown(&src, &mut chapters);
    let mut count = 0;
    for chapter in chapters {
        let text = std::fs::read_to_string(&chapter).unwrap();
        for marker in crate::claims::markers(&text) {
            count += 1;
            let file = crate::claims::report_of(&marker.text)
                .unwrap_or_else(|reason| panic!("{}:{}: {reason}", chapter.display(), marker.line));
            let another_machines =
                file.starts_with("machines/") && src.join("generated").join(&file).is_file();
            assert!(
                another_machines
                    || file == crate::decision::JSON
                    || crate::figures::book_files()
                        .iter()
                        .any(|(name, _)| *name == file)
                    || MPI_GENERATED
                        .iter()
                        .chain(LAB_GENERATED)
                        .any(|(name, _)| *name == file),
                "{}:{}: `{file}` is not a report `cargo xtask book --measure` writes, nor one under generated/machines/",
                chapter.display(),
                marker.line
            );
        }
    }
    assert!(count > 0, "the book checks no sentence at all");
}

#[test]
fn an_included_table_needs_a_claim_about_its_report() {
    let silent = unread_tables("page.md", "{{#include generated/compare.md}}\n\nA table.\n");
    assert_eq!(
        silent,
        [
            "page.md: includes generated/compare.md but no sentence of the page carries a claim about generated/compare.json: say what the table shows, with a claim"
        ]
    );
    let about_another = "{{#include generated/compare.md}}\n\nFaster. <!-- claim: uneven.json: primes/rayon vs-serial faster -->\n";
    assert_eq!(unread_tables("page.md", about_another).len(), 1);
    let read = "{{#include generated/machines/m/compare.md}}\n\nFaster. <!-- claim: machines/m/compare.json: primes/rayon vs-serial faster -->\n";
    assert_eq!(unread_tables("page.md", read), Vec::<String>::new());
    // Code included from the crates is not a table.
    assert_eq!(
        unread_tables("page.md", "{{#include ../../crates/x/src/lib.rs:run}}\n"),
        Vec::<String>::new()
    );
}

#[test]
fn figures_must_name_their_machine() {
    let book = Scratch::new("unnamed");
    with_all_generated(&book);
    book.write("src/generated/compare.md", "| a table |");
    let problems = check(&book.0.join("src"));
    assert_eq!(
        problems,
        ["generated/compare.md does not say what machine it was measured on"]
    );
}

#[test]
fn a_marker_at_the_start_of_a_line_inside_a_paragraph_is_refused() {
    let split = "Static blocks are slower.\n<!-- claim: uneven.json: primes/threads-static slower-than primes/threads-dynamic -->\nThe next sentence.\n";
    assert_eq!(
        markers_that_break_paragraphs("page.md", split),
        [
            "page.md:2: a marker that starts a line ends the paragraph above it: put it at the end of the line it checks"
        ]
    );
    let joined = "Static blocks are slower. <!-- claim: uneven.json: primes/threads-static slower-than primes/threads-dynamic -->\nThe next sentence.\n";
    assert!(markers_that_break_paragraphs("page.md", joined).is_empty());
    // After a table or on a line of its own between paragraphs, a marker
    // splits nothing.
    let own_line =
        "| a | b |\n<!-- claim: x.json: detail a > 1 -->\n\n<!-- claim: x.json: detail a > 1 -->\n";
    assert!(markers_that_break_paragraphs("page.md", own_line).is_empty());
}
