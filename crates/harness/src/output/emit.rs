//! One way out for every command: a typed result, printed and written by
//! one emitter.
//!
//! A command measures into a value that knows how to say itself — the
//! terminal's text, the Markdown file, the JSON report, the chart — and
//! [`Outputs`] decides which of those are wanted and writes them, always in
//! the same order. So a flag means the same thing for every command, and a
//! command cannot forget one.

use std::path::PathBuf;

use crate::Failure;
use crate::cli::OutputArgs;
use crate::record::Report;
use crate::timed::write_file;

/// What a command measured, in every form the harness writes it.
///
/// ```
/// use ps_harness::{Emit, Failure, Machine, Report};
///
/// struct Counted(usize);
///
/// impl Emit for Counted {
///     fn text(&self) -> String {
///         format!("{} items\n", self.0)
///     }
///     fn markdown(&self) -> String {
///         format!("**{}** items\n", self.0)
///     }
///     fn report(&self) -> Report {
///         Report::new("count", &Machine::detect(), Vec::new()).with_detail("items", self.0)
///     }
/// }
///
/// let counted = Counted(3);
/// assert_eq!(counted.text(), "3 items\n");
/// assert_eq!(counted.svg()?, None, "no chart unless the command draws one");
/// # Ok::<(), Failure>(())
/// ```
pub trait Emit {
    /// Everything the terminal shows once measuring is done.
    fn text(&self) -> String;

    /// The contents of the `--markdown` file.
    fn markdown(&self) -> String;

    /// The `--json` report.
    fn report(&self) -> Report;

    /// The `--svg` chart, for a command that draws one; it is drawn only
    /// when asked for, after the other files are written.
    ///
    /// # Errors
    ///
    /// A failure when the chart cannot be drawn from what was measured.
    fn svg(&self) -> Result<Option<String>, Failure> {
        Ok(None)
    }
}

/// The files a command was asked to write, each checked writable when this
/// was made — before measuring, so a typo in a path costs nothing — and an
/// optional baseline report to print the results against.
///
/// ```
/// use ps_harness::{Emit, Failure, Machine, OutputArgs, Outputs, Report};
///
/// struct Nothing;
/// impl Emit for Nothing {
///     fn text(&self) -> String { String::new() }
///     fn markdown(&self) -> String { "nothing\n".to_owned() }
///     fn report(&self) -> Report { Report::new("nothing", &Machine::detect(), Vec::new()) }
/// }
///
/// let markdown = std::env::temp_dir().join("ps-harness-outputs-example.md");
/// let args = OutputArgs { markdown: Some(markdown.clone()), ..OutputArgs::default() };
/// Outputs::new(&args)?.emit(&Nothing)?;
/// assert_eq!(std::fs::read_to_string(&markdown).unwrap(), "nothing\n");
///
/// let unwritable = OutputArgs { json: Some("/proc/no/such.json".into()), ..OutputArgs::default() };
/// assert!(Outputs::new(&unwritable).is_err());
/// # std::fs::remove_file(markdown).unwrap();
/// # Ok::<(), Failure>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    json: Option<PathBuf>,
    markdown: Option<PathBuf>,
    svg: Option<PathBuf>,
    baseline: Option<PathBuf>,
}

impl Outputs {
    /// The files `args` names, once each is known to be writable.
    ///
    /// # Errors
    ///
    /// As [`OutputArgs::check`], for the first that is not.
    pub fn new(args: &OutputArgs) -> Result<Outputs, Failure> {
        args.check()?;
        Ok(Outputs {
            json: args.json.clone(),
            markdown: args.markdown.clone(),
            svg: args.svg.clone(),
            baseline: None,
        })
    }

    /// Also prints the results against the report at `baseline`, when
    /// given, after the text.
    ///
    /// ```
    /// use ps_harness::{Emit, Failure, Machine, OutputArgs, Outputs, Report};
    ///
    /// struct Nothing;
    /// impl Emit for Nothing {
    ///     fn text(&self) -> String { String::new() }
    ///     fn markdown(&self) -> String { String::new() }
    ///     fn report(&self) -> Report { Report::new("nothing", &Machine::detect(), Vec::new()) }
    /// }
    ///
    /// let missing = std::env::temp_dir().join("ps-harness-no-such-baseline.json");
    /// let outputs = Outputs::new(&OutputArgs::default())?.with_baseline(Some(missing));
    /// assert!(matches!(outputs.emit(&Nothing), Err(Failure::Io { .. })));
    /// # Ok::<(), Failure>(())
    /// ```
    #[must_use]
    pub fn with_baseline(mut self, baseline: Option<PathBuf>) -> Outputs {
        self.baseline = baseline;
        self
    }

    /// Prints `result`'s text (and its differences from the baseline), then
    /// writes its JSON, Markdown and SVG, each where asked.
    ///
    /// # Errors
    ///
    /// [`Failure::Io`] for a file that cannot be read or written,
    /// [`Failure::Invalid`] for a baseline that is not a report, and what
    /// [`Emit::svg`] returns.
    pub fn emit(&self, result: &impl Emit) -> Result<(), Failure> {
        print!("{}", result.text());
        let report = (self.baseline.is_some() || self.json.is_some()).then(|| result.report());
        if let (Some(path), Some(report)) = (&self.baseline, &report) {
            crate::diff::print_against(path, report)?;
        }
        if let (Some(path), Some(report)) = (&self.json, &report) {
            write_file(path, report.to_json())?;
        }
        if let Some(path) = &self.markdown {
            write_file(path, result.markdown())?;
        }
        if let Some(path) = &self.svg {
            if let Some(svg) = result.svg()? {
                write_file(path, svg)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::Machine;

    /// A result that counts how often each form was asked for.
    #[derive(Default)]
    struct Counted {
        chart: bool,
        asked: std::cell::RefCell<Vec<&'static str>>,
    }

    impl Emit for Counted {
        fn text(&self) -> String {
            self.asked.borrow_mut().push("text");
            String::new()
        }
        fn markdown(&self) -> String {
            self.asked.borrow_mut().push("markdown");
            "markdown\n".to_owned()
        }
        fn report(&self) -> Report {
            self.asked.borrow_mut().push("report");
            Report::new("counted", &Machine::detect(), Vec::new())
        }
        fn svg(&self) -> Result<Option<String>, Failure> {
            self.asked.borrow_mut().push("svg");
            Ok(self.chart.then(|| "<svg/>".to_owned()))
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("ps-harness-emit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        folder
    }

    #[test]
    fn only_the_files_asked_for_are_made_and_each_once() {
        let folder = scratch("asked");
        let args = OutputArgs {
            json: Some(folder.join("r.json")),
            svg: Some(folder.join("r.svg")),
            markdown: None,
        };
        let result = Counted {
            chart: true,
            ..Counted::default()
        };
        Outputs::new(&args).unwrap().emit(&result).unwrap();
        assert_eq!(*result.asked.borrow(), ["text", "report", "svg"]);
        let json = std::fs::read_to_string(folder.join("r.json")).unwrap();
        assert_eq!(Report::from_json(&json).unwrap().command, "counted");
        assert_eq!(
            std::fs::read_to_string(folder.join("r.svg")).unwrap(),
            "<svg/>"
        );
        assert!(!folder.join("r.md").exists());
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_result_without_a_chart_writes_no_svg() {
        let folder = scratch("no-chart");
        let args = OutputArgs {
            svg: Some(folder.join("r.svg")),
            markdown: Some(folder.join("r.md")),
            json: None,
        };
        let result = Counted::default();
        Outputs::new(&args).unwrap().emit(&result).unwrap();
        assert_eq!(*result.asked.borrow(), ["text", "markdown", "svg"]);
        assert!(folder.join("r.md").exists());
        assert!(!folder.join("r.svg").exists());
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn an_unreadable_baseline_fails_before_any_file_is_written() {
        let folder = scratch("baseline");
        let args = OutputArgs {
            json: Some(folder.join("r.json")),
            ..OutputArgs::default()
        };
        let outputs = Outputs::new(&args)
            .unwrap()
            .with_baseline(Some(folder.join("missing.json")));
        let failure = outputs.emit(&Counted::default()).unwrap_err();
        assert!(matches!(failure, Failure::Io { .. }), "{failure:?}");
        assert!(!folder.join("r.json").exists());
        let _ = std::fs::remove_dir_all(folder);
    }

    #[test]
    fn an_unwritable_path_is_refused_when_the_outputs_are_made() {
        let args = OutputArgs {
            markdown: Some("/proc/no/such/r.md".into()),
            ..OutputArgs::default()
        };
        assert!(matches!(Outputs::new(&args), Err(Failure::Io { .. })));
    }
}
