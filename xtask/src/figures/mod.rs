//! Every figure the book includes, in one table, and the command that
//! measures them.
//!
//! A figure is a file stem under `book/src/generated/` (`STEM.md`,
//! `STEM.json`, and `STEM.svg` for a chart), the group `--only` names it by,
//! the recipe that makes it, and the sets it belongs to: the book's own,
//! measured by `cargo xtask book --measure`, and the many-core set that
//! `scripts/many-core` measures into a folder named after a larger
//! machine. The book's check of missing figures, `--only`'s choices, the
//! staging and the many-core script all read this table, so a figure is
//! added, renamed or given another command in one place.
//!
//! The pitfalls lab and `ps-mpi` write their own figures (they are other
//! programs); their files are listed here too, so the book's checks know
//! every file it includes.

mod measure;

use std::fmt::Write as _;
use std::path::PathBuf;

pub(crate) use measure::{harness, measure, program};

/// Which machine's figures a figure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Set {
    /// The book's figures, from the machine it is built on.
    Book,
    /// The figures `scripts/many-core` measures on a machine with many
    /// cores, which the sixteen-core chapter reads.
    ManyCore,
}

const BOOK: &[Set] = &[Set::Book];
const MANY_CORE: &[Set] = &[Set::ManyCore];
const BOTH: &[Set] = &[Set::Book, Set::ManyCore];

/// How a figure is made.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Recipe {
    /// `cargo xtask ARGS`, at the default sizes (or `--quick`).
    Harness(&'static [&'static str]),
    /// `cargo xtask ARGS --size large` (or `--quick`): where uneven work
    /// shows.
    HarnessLarge(&'static [&'static str]),
    /// `cargo run --release -p PACKAGE -- ARGS`: a program of its own that
    /// measures through the harness, as a reader's would.
    Program {
        package: &'static str,
        args: &'static [&'static str],
    },
    /// A criterion bench of the `benches` package, titled.
    Bench {
        bench: &'static str,
        title: &'static str,
    },
    /// Binary trees under three allocators, merged (see `allocators`).
    Allocators,
}

/// One figure of the table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Figure {
    /// The name `--only` takes; several figures may share one.
    pub(crate) group: &'static str,
    /// The files' name under `generated/`, without extension.
    pub(crate) stem: &'static str,
    pub(crate) recipe: Recipe,
    /// Whether the command also draws `STEM.svg`.
    pub(crate) chart: bool,
    pub(crate) sets: &'static [Set],
}

/// The workloads and strategies of the timelines: uneven rows and primes
/// under every schedule.
const SCHEDULES: &str = "threads-static,threads-dynamic,rayon,work-stealing";

/// Every figure, in the order `--measure` makes them.
pub(crate) const FIGURES: &[Figure] = &[
    figure("compare", "compare", Recipe::Harness(&["compare"]), BOOK),
    // The many-core folder has no chart module of its own: the harness's
    // bars stand in for the book's speedup chart.
    chart(
        "compare",
        "compare",
        Recipe::Harness(&["compare"]),
        MANY_CORE,
    ),
    figure(
        "processes",
        "processes",
        Recipe::Harness(&["compare", "--processes", "5"]),
        BOOK,
    ),
    figure(
        "advise",
        "advise-primes",
        Recipe::Harness(&["advise", "primes"]),
        BOOK,
    ),
    figure(
        "advise",
        "advise-squares",
        Recipe::Harness(&["advise", "squares"]),
        BOOK,
    ),
    figure(
        "blur",
        "blur-compare",
        Recipe::Program {
            package: "own-loop",
            args: &["compare"],
        },
        BOOK,
    ),
    figure(
        "uneven",
        "uneven",
        Recipe::HarnessLarge(&["compare", "--workload", "mandelbrot,primes"]),
        BOTH,
    ),
    figure(
        "simd",
        "simd",
        Recipe::Harness(&[
            "compare",
            "--workload",
            "mandelbrot,spectral-norm",
            "--kernel",
            "scalar,simd",
        ]),
        BOTH,
    ),
    figure(
        crate::allocators::FIGURE,
        crate::allocators::STEM,
        Recipe::Allocators,
        BOOK,
    ),
    figure(
        "squares-python",
        "squares-python",
        Recipe::Harness(&["compare", "--workload", "squares", "--python"]),
        BOOK,
    ),
    chart(
        "sweep",
        "sweep-squares",
        Recipe::Harness(&["sweep", "squares"]),
        BOOK,
    ),
    chart(
        "sweep",
        "sweep-primes",
        Recipe::Harness(&["sweep", "primes"]),
        BOOK,
    ),
    chart(
        "scaling",
        "scaling-mandelbrot",
        Recipe::Harness(&["scaling", "mandelbrot"]),
        MANY_CORE,
    ),
    chart(
        "scaling",
        "scaling-spectral-norm",
        Recipe::Harness(&["scaling", "spectral-norm"]),
        BOTH,
    ),
    chart(
        "scaling",
        "scaling-primes",
        Recipe::Harness(&["scaling", "primes"]),
        BOTH,
    ),
    chart(
        "scaling",
        "scaling-latency",
        Recipe::Harness(&["scaling", "latency"]),
        BOOK,
    ),
    figure(
        "pipeline",
        "pipeline",
        Recipe::Harness(&["pipeline", "--workers", "1,1"]),
        BOOK,
    ),
    figure(
        "pipeline",
        "pipeline-moved",
        Recipe::Harness(&["pipeline", "--workers", "2,1"]),
        BOOK,
    ),
    chart(
        "traces",
        "trace-mandelbrot",
        Recipe::Harness(&["trace", "mandelbrot", "--strategy", SCHEDULES]),
        BOTH,
    ),
    chart(
        "traces",
        "trace-primes",
        Recipe::Harness(&["trace", "primes", "--strategy", SCHEDULES]),
        BOTH,
    ),
    chart(
        "traces",
        "trace-pipeline",
        Recipe::Harness(&["trace", "mandelbrot", "--strategy", "pipeline"]),
        BOOK,
    ),
    figure(
        "benches",
        "overheads",
        Recipe::Bench {
            bench: "overheads",
            title: "What each building block costs, per operation",
        },
        BOOK,
    ),
    figure(
        "benches",
        "data-sharing",
        Recipe::Bench {
            bench: "data_sharing",
            title: "Summing with several threads, four ways of sharing",
        },
        BOOK,
    ),
    figure(
        "benches",
        "abstraction",
        Recipe::Bench {
            bench: "abstraction",
            title: "A workload through the trait against the same strategy by hand",
        },
        BOOK,
    ),
];

/// A table and its JSON report.
const fn figure(
    group: &'static str,
    stem: &'static str,
    recipe: Recipe,
    sets: &'static [Set],
) -> Figure {
    Figure {
        group,
        stem,
        recipe,
        chart: false,
        sets,
    }
}

/// A table, its JSON report and its chart.
const fn chart(
    group: &'static str,
    stem: &'static str,
    recipe: Recipe,
    sets: &'static [Set],
) -> Figure {
    Figure {
        chart: true,
        ..figure(group, stem, recipe, sets)
    }
}

impl Figure {
    /// The files it writes, by name.
    pub(crate) fn files(&self) -> Vec<String> {
        let mut files = vec![format!("{}.md", self.stem), format!("{}.json", self.stem)];
        if self.chart {
            files.push(format!("{}.svg", self.stem));
        }
        files
    }

    /// The command that makes it, as a reader would type it.
    pub(crate) fn command(&self) -> String {
        match self.recipe {
            Recipe::Harness(args) => format!("cargo xtask {}", args.join(" ")),
            Recipe::HarnessLarge(args) => format!("cargo xtask {} --size large", args.join(" ")),
            Recipe::Program { package, args } => {
                format!("cargo run --release -p {package} -- {}", args.join(" "))
            }
            Recipe::Bench { bench, .. } => format!("cargo bench -p benches --bench {bench}"),
            Recipe::Allocators => crate::allocators::command(),
        }
    }
}

/// The figures of `set`.
pub(crate) fn of(set: Set) -> impl Iterator<Item = &'static Figure> {
    FIGURES
        .iter()
        .filter(move |figure| figure.sets.contains(&set))
}

/// The groups `--only` takes, in order, each once.
pub(crate) fn groups() -> Vec<&'static str> {
    let mut groups: Vec<&'static str> = Vec::new();
    for figure in FIGURES {
        if !groups.contains(&figure.group) {
            groups.push(figure.group);
        }
    }
    groups
}

/// Every file of the book's own set, each with the command that makes it.
#[cfg(test)]
pub(crate) fn book_files() -> Vec<(String, String)> {
    of(Set::Book)
        .flat_map(|figure| {
            figure
                .files()
                .into_iter()
                .map(|file| (file, figure.command()))
        })
        .collect()
}

/// The table of the book's measured figures and their commands, under
/// `generated/`, which the reproducing chapter includes. It is written by
/// `cargo xtask book` from [`FIGURES`], and states commands, not
/// measurements, so no claim reads it.
pub(crate) const COMMANDS_MD: &str = "figure-commands.md";

/// [`COMMANDS_MD`]'s contents: every figure of the book's set, with the
/// group `--only` takes and the command that makes it.
pub(crate) fn commands_markdown() -> String {
    let mut out =
        String::from("| files under `generated/` | `--only` | made by |\n| --- | --- | --- |\n");
    for figure in of(Set::Book) {
        let files: Vec<String> = figure
            .files()
            .iter()
            .map(|file| format!("`{file}`"))
            .collect();
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` |",
            files.join(", "),
            figure.group,
            figure.command()
        );
    }
    out
}

/// Writes [`COMMANDS_MD`] into `generated` if it changed.
pub(crate) fn write_commands(generated: &std::path::Path) -> Result<(), String> {
    crate::charts::write_changed(generated, [(COMMANDS_MD, commands_markdown())])
}

/// The figures of the pitfalls lab, which `cargo run --release -p ps-lab --
/// generate` writes into `book/src/generated/`: each table as Markdown, and
/// beside it a JSON report of the same figures, table by table
/// (`details.tables.K.ROW.COLUMN`, times in seconds), for the claims.
pub(crate) const LAB_GENERATED: &[(&str, &str)] = &[
    ("lab-mutex.md", "ps-lab generate mutex"),
    ("lab-mutex.json", "ps-lab generate mutex"),
    ("lab-blocking.md", "ps-lab generate blocking"),
    ("lab-blocking.json", "ps-lab generate blocking"),
    (
        "lab-oversubscription.md",
        "ps-lab generate oversubscription",
    ),
    (
        "lab-oversubscription.json",
        "ps-lab generate oversubscription",
    ),
    ("lab-waiting.md", "ps-lab generate waiting"),
    ("lab-waiting.json", "ps-lab generate waiting"),
    ("lab-async-cpu.md", "ps-lab generate async-cpu"),
    ("lab-async-cpu.json", "ps-lab generate async-cpu"),
];

/// The figures `ps-mpi` writes into `book/src/generated/` (the commands are
/// in `crates/mpi/README.md`). They need `OpenMPI`, which the book's own
/// commands must not, so `--measure` leaves them alone; the book still fails
/// to build without them, and claims may read their JSON.
pub(crate) const MPI_GENERATED: &[(&str, &str)] = &[
    ("mpi-shapes.md", "ps-mpi shapes --cores 2 --markdown"),
    ("mpi-shapes.json", "ps-mpi shapes --cores 2 --json"),
    (
        "mpi-shapes-rayon.md",
        "ps-mpi shapes --cores 2 --strategy rayon --workload spectral-norm --markdown",
    ),
    (
        "mpi-shapes-rayon.json",
        "ps-mpi shapes --cores 2 --strategy rayon --workload spectral-norm --json",
    ),
    (
        "mpi-crossover.md",
        "ps-mpi launch -n 2 -- crossover --threads 1 --markdown",
    ),
    (
        "mpi-crossover.json",
        "ps-mpi launch -n 2 -- crossover --threads 1 --json",
    ),
];

/// Options of measuring figures, shared by `figures` and `book --measure`.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct MeasureOptions {
    /// Smaller sizes and shorter benches (a smoke test, not figures)
    #[arg(long)]
    pub(crate) quick: bool,
    /// Keep figures even if other processes kept the machine busy while
    /// they were measured (each report says so)
    #[arg(long)]
    pub(crate) allow_busy: bool,
    /// Measure only this group of figures and leave the others as they are
    #[arg(long, value_name = "GROUP", value_parser = clap::builder::PossibleValuesParser::new(groups()))]
    pub(crate) only: Option<String>,
}

impl MeasureOptions {
    /// Whether any option was given: `book` takes them only with
    /// `--measure`.
    pub(crate) fn any(&self) -> bool {
        self.quick || self.allow_busy || self.only.is_some()
    }
}

/// Options of `figures`.
#[derive(Debug, clap::Args)]
pub(crate) struct FiguresArgs {
    /// Which figures: the book's own, or the set a machine with many cores
    /// measures for the sixteen-core chapter
    #[arg(long, value_enum, default_value_t = Set::Book)]
    pub(crate) set: Set,
    /// The folder to write them into [default: book/src/generated]
    #[arg(long, value_name = "DIR")]
    pub(crate) into: Option<PathBuf>,
    /// Print the files the set writes, one per line, and measure nothing
    #[arg(long)]
    pub(crate) list: bool,
    #[command(flatten)]
    pub(crate) options: MeasureOptions,
}

/// `cargo xtask figures`.
pub(crate) fn figures(args: &FiguresArgs) -> Result<(), ps_harness::Failure> {
    if args.list {
        for figure in of(args.set) {
            if args
                .options
                .only
                .as_deref()
                .is_none_or(|only| only == figure.group)
            {
                for file in figure.files() {
                    println!("{file}");
                }
            }
        }
        return Ok(());
    }
    let into = args
        .into
        .clone()
        .unwrap_or_else(|| crate::workspace_root().join("book/src/generated"));
    measure(&into, args.set, &args.options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stem_is_written_once_per_set() {
        for set in [Set::Book, Set::ManyCore] {
            let mut stems: Vec<&str> = of(set).map(|figure| figure.stem).collect();
            let count = stems.len();
            stems.sort_unstable();
            stems.dedup();
            assert_eq!(stems.len(), count, "{set:?} writes a stem twice");
        }
    }

    /// The sixteen-core chapter reads these from a many-core folder.
    #[test]
    fn the_many_core_set_holds_what_its_chapter_reads() {
        let files: Vec<String> = of(Set::ManyCore).flat_map(Figure::files).collect();
        for file in [
            "compare.svg",
            "scaling-mandelbrot.svg",
            "uneven.json",
            "simd.md",
        ] {
            assert!(files.iter().any(|f| f == file), "{file}");
        }
    }

    /// `cargo xtask book` rewrites the table; a figure added to the table
    /// without rebuilding the book fails here.
    #[test]
    fn the_committed_command_table_is_current() {
        let committed = std::fs::read_to_string(
            crate::workspace_root()
                .join("book/src/generated")
                .join(COMMANDS_MD),
        )
        .unwrap();
        assert!(
            committed == commands_markdown(),
            "generated/{COMMANDS_MD} is stale: run `cargo xtask book`"
        );
    }

    #[test]
    fn commands_read_as_typed() {
        let uneven = FIGURES.iter().find(|f| f.stem == "uneven").unwrap();
        assert_eq!(
            uneven.command(),
            "cargo xtask compare --workload mandelbrot,primes --size large"
        );
        assert_eq!(groups().first(), Some(&"compare"));
    }
}
