//! Every figure the book includes, and the command that makes it.

/// The figures `cargo xtask book --measure` writes into `book/src/generated/`,
/// each with the command that makes it. The book fails to build without them.
/// Every `.json` is the report the claims in the chapters are checked against.
pub(crate) const GENERATED: &[(&str, &str)] = &[
    ("compare.md", "compare --markdown"),
    ("compare.json", "compare --json"),
    ("processes.md", "compare --processes 5 --markdown"),
    ("processes.json", "compare --processes 5 --json"),
    ("advise-primes.md", "advise primes --markdown"),
    ("advise-primes.json", "advise primes --json"),
    ("advise-squares.md", "advise squares --markdown"),
    ("advise-squares.json", "advise squares --json"),
    (
        "uneven.json",
        "compare --workload mandelbrot,primes --size large --json",
    ),
    (
        "squares-python.json",
        "compare --workload squares --python --json",
    ),
    (
        "simd.json",
        "compare --workload mandelbrot,spectral-norm --kernel scalar,simd --json",
    ),
    (
        crate::allocators::JSON,
        "compare --workload binary-trees --threads 2 --json, once per allocator",
    ),
    ("sweep-squares.json", "sweep squares --json"),
    ("sweep-primes.json", "sweep primes --json"),
    ("scaling-spectral-norm.json", "scaling spectral-norm --json"),
    ("scaling-primes.json", "scaling primes --json"),
    ("scaling-latency.json", "scaling latency --json"),
    ("pipeline.json", "pipeline --workers 1,1 --json"),
    ("pipeline-moved.json", "pipeline --workers 2,1 --json"),
    (
        "uneven.md",
        "compare --workload mandelbrot,primes --size large --markdown",
    ),
    (
        "squares-python.md",
        "compare --workload squares --python --markdown",
    ),
    (
        "simd.md",
        "compare --workload mandelbrot,spectral-norm --kernel scalar,simd --markdown",
    ),
    (
        crate::allocators::MARKDOWN,
        "compare --workload binary-trees --threads 2 --markdown, once per allocator",
    ),
    ("sweep-squares.md", "sweep squares --markdown"),
    ("sweep-squares.svg", "sweep squares --svg"),
    ("sweep-primes.md", "sweep primes --markdown"),
    ("sweep-primes.svg", "sweep primes --svg"),
    (
        "scaling-spectral-norm.md",
        "scaling spectral-norm --markdown",
    ),
    ("scaling-spectral-norm.svg", "scaling spectral-norm --svg"),
    ("scaling-primes.md", "scaling primes --markdown"),
    ("scaling-primes.svg", "scaling primes --svg"),
    ("scaling-latency.md", "scaling latency --markdown"),
    ("scaling-latency.svg", "scaling latency --svg"),
    ("pipeline.md", "pipeline --workers 1,1 --markdown"),
    ("pipeline-moved.md", "pipeline --workers 2,1 --markdown"),
    (
        "trace-mandelbrot.md",
        "trace mandelbrot --strategy threads-static,threads-dynamic,rayon,work-stealing --markdown",
    ),
    (
        "trace-mandelbrot.svg",
        "trace mandelbrot --strategy threads-static,threads-dynamic,rayon,work-stealing --svg",
    ),
    (
        "trace-mandelbrot.json",
        "trace mandelbrot --strategy threads-static,threads-dynamic,rayon,work-stealing --json",
    ),
    (
        "trace-primes.md",
        "trace primes --strategy threads-static,threads-dynamic,rayon,work-stealing --markdown",
    ),
    (
        "trace-primes.svg",
        "trace primes --strategy threads-static,threads-dynamic,rayon,work-stealing --svg",
    ),
    (
        "trace-primes.json",
        "trace primes --strategy threads-static,threads-dynamic,rayon,work-stealing --json",
    ),
    (
        "trace-pipeline.md",
        "trace mandelbrot --strategy pipeline --markdown",
    ),
    (
        "trace-pipeline.svg",
        "trace mandelbrot --strategy pipeline --svg",
    ),
    (
        "trace-pipeline.json",
        "trace mandelbrot --strategy pipeline --json",
    ),
    ("overheads.md", "cargo bench --bench overheads"),
    ("overheads.json", "cargo bench --bench overheads"),
    ("data-sharing.md", "cargo bench --bench data_sharing"),
    ("data-sharing.json", "cargo bench --bench data_sharing"),
    ("abstraction.md", "cargo bench --bench abstraction"),
    ("abstraction.json", "cargo bench --bench abstraction"),
];

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
