//! What `compare` prints and writes: the timing table, the verified
//! table, the sections below them, and the report.

use super::*;

impl Compared {
    /// The cells of the strategies asked for.
    #[must_use]
    pub fn shown(&self) -> Vec<&ComparedCell> {
        self.cells
            .iter()
            .filter(|cell| self.strategies.contains(&cell.strategy))
            .collect()
    }

    /// The report `--json` writes, with the memory ceilings as a detail.
    #[must_use]
    pub fn report(&self) -> Report {
        let mut report = self.cells_report();
        if let Some(ceilings) = &self.ceilings {
            report = report.with_detail("memory_ceilings_gb_per_s", ceilings);
        }
        if let Some(touch) = &self.first_touch {
            report = report.with_detail(
                "first_touch",
                serde_json::json!({
                    "bytes": touch.bytes,
                    "one_thread_s": touch.one_thread.as_secs_f64(),
                    "threads": touch.threads,
                    "all_threads_s": touch.all_threads.as_secs_f64(),
                }),
            );
        }
        report
    }

    fn cells_report(&self) -> Report {
        Report::new(
            "compare",
            &self.machine,
            self.shown().iter().map(|cell| cell.to_cell()).collect(),
        )
    }

    /// The table: timings in an optimised build, only "verified" in a debug one.
    #[must_use]
    pub fn table(&self) -> Table {
        let shown = self.shown();
        if optimised() {
            timing_table(&shown)
        } else {
            verified_table(&shown)
        }
    }

    /// Prints the results, then writes the files `args` asks for, with
    /// `extra` below the table.
    ///
    /// # Errors
    ///
    /// A failure if a file cannot be written or the baseline read.
    pub fn print_and_write(
        &self,
        args: &CompareArgs,
        extra: Option<&Section>,
    ) -> Result<(), Failure> {
        Outputs::new(&args.output)?
            .with_baseline(args.baseline.clone())
            .emit(&WithSection {
                compared: self,
                extra,
            })
    }

    fn chart(&self) -> crate::chart::Chart {
        let shown = self.shown();
        let names: Vec<&str> = {
            let mut names: Vec<&str> = shown.iter().map(|c| c.workload.as_str()).collect();
            names.dedup();
            names
        };
        let by_strategy = self
            .strategies
            .iter()
            .flat_map(|&strategy| shown.iter().filter(move |cell| cell.strategy == strategy));
        let x_of = |workload: &str| {
            names.iter().position(|&name| name == workload).unwrap_or(0) as f64 + 1.0
        };
        let mut series = crate::chart::measured_series(
            by_strategy.map(|cell| (cell.strategy.name(), (x_of(&cell.workload), cell.speedup))),
        );
        // The memory ceiling as the speedup it allows: serial time over the
        // time the traffic takes at the all-threads rate.
        let limits: Vec<(f64, f64)> = shown
            .iter()
            .filter(|cell| cell.strategy == StrategyKind::SERIAL && cell.kernel == shown[0].kernel)
            .filter_map(|cell| {
                let traffic = cell.traffic?;
                let ceilings = self.ceilings.as_ref()?;
                let floor = traffic.total() as f64 / (ceilings.bound(traffic, self.threads) * 1e9);
                Some((
                    x_of(&cell.workload),
                    cell.timing.median().as_secs_f64() / floor,
                ))
            })
            .collect();
        if !limits.is_empty() {
            series.push(crate::chart::Series {
                label: "memory ceiling".to_owned(),
                points: limits,
                kind: crate::chart::LineKind::Reference,
            });
        }
        crate::chart::Chart {
            title: format!("Speedup over serial by workload ({})", names.join(", ")),
            caption: measured_on(&self.machine),
            x_label: "workload (in the order listed)",
            y_label: "speedup over serial",
            series,
            whole_x: true,
        }
    }
}

/// What `compare` prints and writes: the results, with a caller's section
/// below the table.
struct WithSection<'a> {
    compared: &'a Compared,
    extra: Option<&'a Section>,
}

impl Emit for WithSection<'_> {
    fn text(&self) -> String {
        let compared = self.compared;
        // Everything has been verified by now: a wrong result returned early.
        let mut text = format!(
            "{}\n{} × {} with {}; every result verified against the serial reference.\n\n{}",
            measured_on(&compared.machine),
            plural(compared.workloads, "workload"),
            plural(compared.strategies.len(), "strategy"),
            plural(compared.threads, "thread"),
            compared.table().to_text()
        );
        if optimised() {
            text.push_str("\nspeedup = serial median / median; efficiency = speedup / threads.\n");
            if let Some(ceilings) = &compared.ceilings {
                let _ = writeln!(text, "{} {ROOFLINE_NOTE}", ceilings.describe());
            }
            if let Some(touch) = &compared.first_touch {
                let _ = writeln!(text, "{}", touch.describe());
            }
            if several_kernels(&compared.shown()) {
                text.push_str("With several kernels, every speedup is over the first kernel's serial run, so a faster kernel's gain and the threads' multiply.\n");
            }
        } else {
            text.push_str("\nThis is a debug build, so no timings are shown: build in release mode (`cargo xtask` and `cargo bench` do).\n");
        }
        if let Some(section) = self.extra {
            let _ = write!(text, "\n{}", section.text);
        }
        text
    }

    fn markdown(&self) -> String {
        let compared = self.compared;
        let mut text = format!(
            "{}\n\n{}",
            measured_on(&compared.machine),
            compared.table().to_markdown()
        );
        if let Some(ceilings) = &compared.ceilings {
            text = format!("{text}\n{} {ROOFLINE_NOTE}\n", ceilings.describe());
        }
        if let Some(touch) = &compared.first_touch {
            text = format!("{text}\n{}\n", touch.describe());
        }
        if optimised() {
            text.push('\n');
            text.push_str(VERDICT_RULE);
            text.push('\n');
        }
        if let Some(section) = self.extra {
            text.push('\n');
            text.push_str(&section.markdown);
        }
        text
    }

    fn report(&self) -> Report {
        let mut report = self.compared.report();
        if let Some((key, value)) = self.extra.and_then(|section| section.json.clone()) {
            report.details.insert(key, value);
        }
        report
    }

    fn svg(&self) -> Result<Option<String>, Failure> {
        Ok(Some(self.compared.chart().to_svg_linear()))
    }
}

fn grain_text(grain: Option<usize>) -> String {
    grain.map_or_else(|| "-".to_owned(), |grain| grain.to_string())
}

fn timing_table(cells: &[&ComparedCell]) -> Table {
    let mut header = identity_header(cells);
    header.extend([
        "median",
        "min",
        "max",
        "runs",
        "speedup",
        "efficiency",
        "time vs serial [95%]",
        "verdict",
    ]);
    let roofline = cells.iter().any(|cell| cell.roofline.is_some());
    if roofline {
        header.extend(["GB/s", "of ceiling"]);
    }
    Table {
        header,
        rows: cells
            .iter()
            .map(|cell| {
                let mut row = cell_columns(cell, cells);
                let (interval, verdict) = cell.vs_serial.map_or_else(
                    || ("-".to_owned(), "-".to_owned()),
                    |c| (c.interval_text(), c.verdict.to_string()),
                );
                row.extend([
                    human(cell.timing.median()),
                    human(cell.timing.min()),
                    human(cell.timing.max()),
                    cell.timing.runs().to_string(),
                    format!("{:.2}x", cell.speedup),
                    format!("{:.0}%", cell.efficiency() * 100.0),
                    interval,
                    verdict,
                ]);
                if roofline {
                    row.extend(match cell.roofline {
                        Some(r) => [
                            format!("{:.1}", r.achieved),
                            format!("{:.0}%", r.fraction() * 100.0),
                        ],
                        None => ["-".to_owned(), "-".to_owned()],
                    });
                }
                row
            })
            .collect(),
        left_columns: 2,
    }
}

/// Whether the table needs a kernel column: only when kernels differ.
fn several_kernels(cells: &[&ComparedCell]) -> bool {
    cells.iter().any(|cell| cell.kernel != cells[0].kernel)
}

/// The header of the columns that say which cell a row is.
fn identity_header(cells: &[&ComparedCell]) -> Vec<&'static str> {
    let mut header = vec!["workload"];
    if several_kernels(cells) {
        header.push("kernel");
    }
    header.extend(["strategy", "n", "threads", "grain"]);
    header
}

/// The columns that say which cell a row is.
fn cell_columns(cell: &ComparedCell, all: &[&ComparedCell]) -> Vec<String> {
    let mut row = vec![cell.workload.clone()];
    if several_kernels(all) {
        row.push(cell.kernel.clone());
    }
    row.extend([
        cell.strategy.name().to_owned(),
        cell.n.to_string(),
        cell.threads.to_string(),
        grain_text(cell.grain),
    ]);
    row
}

fn verified_table(cells: &[&ComparedCell]) -> Table {
    let mut header = identity_header(cells);
    header.push("result");
    Table {
        header,
        rows: cells
            .iter()
            .map(|cell| {
                let mut row = cell_columns(cell, cells);
                row.push("verified".to_owned());
                row
            })
            .collect(),
        left_columns: 2,
    }
}
