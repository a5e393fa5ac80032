//! The little language of a claim: what a sentence says about a report.
//!
//! ```text
//! claim     = FILE ":" assertion
//! assertion = SEL "faster-than" SEL | SEL "slower-than" SEL | SEL "not-faster-than" SEL
//!           | SEL "vs-serial" VERDICT | SEL "speedup" OP (NUMBER | SEL)
//!           | SEL "efficiency" OP NUMBER
//!           | "crossover" STRATEGY ("none" | "found" | OP NUMBER)
//!           | "fit" STRATEGY ("none" | "s" OP NUMBER)
//!           | "oversubscription" STRATEGY ("helps" | "hurts" | "no-clear-difference")
//!           | "python" APPROACH "slower-than" APPROACH
//!           | "python" APPROACH "over" APPROACH OP NUMBER
//!           | "stage" STAGE FIELD OP NUMBER | "bottleneck" STAGE
//!           | "detail" PATH (OP NUMBER | ("is" | "all" | "some" | "none") WORD)
//!           | "detail" PATH "over" PATH OP NUMBER
//! SEL       = WORKLOAD ["[" KERNEL "]"] "/" (STRATEGY | "*") { "@" BOUND | "#" BOUND | "n=" BOUND }
//! BOUND     = [OP] (NUMBER | "cores" | "top")
//! ```
//!
//! `[KERNEL]` picks one kernel's cells (`mandelbrot[simd]/rayon`); without
//! it a selector matches every kernel. `@` bounds the threads, `#` the
//! grain and `n=` the size; `cores` is the
//! report's logical core count and `top` the largest size in the report;
//! a qualifier may be given twice (`#>=16#<=262144`), and both must hold.
//! An APPROACH is the first word of a row of the Python table; `over` is
//! the ratio of the two medians. A STAGE is the first word of a staged
//! pipeline's stage name, a FIELD one of its numbers in the report
//! (`busy_share`, `blocked_in_share`, …).
//! A PATH walks the report's details by dotted keys, a number indexing a
//! list (`decision.strategy`, `agreement.3.verdicts`); `all` claims that
//! every item of a list is the word, `some` that one is, `none` that none
//! is. `detail A over B OP NUMBER` bounds the ratio of two numbers of the
//! details, as in `detail t.mutex.median_s over t.locals.median_s >= 10`:
//! a ratio, not a time, is what carries over to another machine.
//! `*` is every strategy but serial. A selector that matches several cells
//! claims the same of every one of them.

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Less,
    AtMost,
    Equal,
    AtLeast,
    Greater,
}

impl Op {
    pub(crate) fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Op::Less => left < right,
            Op::AtMost => left <= right,
            Op::Equal => (left - right).abs() < f64::EPSILON * right.abs().max(1.0),
            Op::AtLeast => left >= right,
            Op::Greater => left > right,
        }
    }

    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Op::Less => "<",
            Op::AtMost => "<=",
            Op::Equal => "=",
            Op::AtLeast => ">=",
            Op::Greater => ">",
        }
    }

    /// An operator at the start of `text`, and the rest.
    fn split(text: &str) -> (Op, &str) {
        for (symbol, op) in [
            ("<=", Op::AtMost),
            (">=", Op::AtLeast),
            ("<", Op::Less),
            (">", Op::Greater),
            ("=", Op::Equal),
        ] {
            if let Some(rest) = text.strip_prefix(symbol) {
                return (op, rest);
            }
        }
        (Op::Equal, text)
    }
}

/// A value a bound compares with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value {
    Number(f64),
    /// The report machine's logical cores.
    Cores,
    /// The largest `n` in the report.
    Top,
}

/// `OP VALUE`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bound {
    pub(crate) op: Op,
    pub(crate) value: Value,
}

impl Bound {
    fn parse(text: &str) -> Result<Bound, String> {
        let (op, rest) = Op::split(text);
        let value =
            match rest {
                "cores" => Value::Cores,
                "top" => Value::Top,
                number => Value::Number(number.parse().map_err(|_| {
                    format!("`{text}` is not a bound (a number, `cores` or `top`)")
                })?),
            };
        Ok(Bound { op, value })
    }
}

/// Which cells of a report a claim is about.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Selector {
    pub(crate) workload: String,
    /// `None` when no `[KERNEL]` is given: every kernel.
    pub(crate) kernel: Option<String>,
    /// `None` for `*`: every strategy but serial.
    pub(crate) strategy: Option<String>,
    pub(crate) threads: Vec<Bound>,
    pub(crate) grain: Vec<Bound>,
    pub(crate) n: Vec<Bound>,
}

impl Selector {
    pub(crate) fn parse(text: &str) -> Result<Selector, String> {
        let (workload, rest) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not WORKLOAD/STRATEGY"))?;
        let (workload, kernel) = match workload.strip_suffix(']').map(|w| w.split_once('[')) {
            None => (workload, None),
            Some(Some((workload, kernel))) if !kernel.is_empty() => (workload, Some(kernel)),
            Some(_) => return Err(format!("`{text}` is not WORKLOAD[KERNEL]/STRATEGY")),
        };
        let end = rest.find(['@', '#']).unwrap_or(rest.len());
        let (strategy, mut qualifiers) = rest.split_at(end);
        let (strategy, n_part) = match strategy.split_once(":n=") {
            Some((strategy, n)) => (strategy, Some(n)),
            None => (strategy, None),
        };
        let mut selector = Selector {
            workload: workload.to_owned(),
            kernel: kernel.map(str::to_owned),
            strategy: (strategy != "*").then(|| strategy.to_owned()),
            threads: Vec::new(),
            grain: Vec::new(),
            n: n_part.map(Bound::parse).transpose()?.into_iter().collect(),
        };
        while !qualifiers.is_empty() {
            let kind = &qualifiers[..1];
            let body = &qualifiers[1..];
            let end = body.find(['@', '#']).unwrap_or(body.len());
            let (bound, n) = match body[..end].split_once(":n=") {
                Some((bound, n)) => (bound, Some(n)),
                None => (&body[..end], None),
            };
            let bound = Bound::parse(bound)?;
            if kind == "@" {
                selector.threads.push(bound);
            } else {
                selector.grain.push(bound);
            }
            if let Some(n) = n {
                selector.n.push(Bound::parse(n)?);
            }
            qualifiers = &body[end..];
        }
        if selector.workload.is_empty() || strategy.is_empty() {
            return Err(format!("`{text}` is not WORKLOAD/STRATEGY"));
        }
        Ok(selector)
    }
}

/// What a verdict against serial must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expected {
    Faster,
    Slower,
    NoClearDifference,
    Within,
    NotFaster,
    NotSlower,
}

impl Expected {
    fn parse(text: &str) -> Result<Expected, String> {
        Ok(match text {
            "faster" => Expected::Faster,
            "slower" => Expected::Slower,
            "no-clear-difference" => Expected::NoClearDifference,
            "within-5-percent" => Expected::Within,
            "not-faster" => Expected::NotFaster,
            "not-slower" => Expected::NotSlower,
            other => {
                return Err(format!(
                    "`{other}` is not a verdict (faster, slower, no-clear-difference, within-5-percent, not-faster, not-slower)"
                ));
            }
        })
    }
}

/// One claim about one report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Assertion {
    /// Every left cell against every right cell, by the interval rule.
    Versus {
        left: Selector,
        expected: Expected,
        right: Selector,
    },
    /// Every selected cell against serial on the same input.
    VsSerial { cells: Selector, expected: Expected },
    /// Every selected cell's speedup.
    Speedup { cells: Selector, bound: Bound },
    /// Every selected cell's efficiency (speedup over threads).
    Efficiency { cells: Selector, bound: Bound },
    /// Every left speedup against every right speedup.
    SpeedupVersus {
        left: Selector,
        op: Op,
        right: Selector,
    },
    /// The median of one Python row over another's, against a bound.
    Python {
        approach: String,
        other: String,
        /// `None` for "slower-than" (a ratio above one, ranges apart).
        bound: Option<Bound>,
    },
    /// `sweep`'s crossover.
    Crossover {
        strategy: String,
        expected: Crossing,
    },
    /// `scaling`'s fit: `None` for no fit.
    Fit {
        strategy: String,
        bound: Option<Bound>,
    },
    /// One number of a staged pipeline's stage.
    Stage {
        stage: String,
        field: String,
        bound: Bound,
    },
    /// The staged pipeline's bottleneck.
    Bottleneck { stage: String },
    /// `scaling`'s verdict on threads beyond the cores.
    Oversubscription { strategy: String, verdict: String },
    /// A number (against a bound) or a word in the report's details.
    Detail { path: String, expected: Detail },
}

/// What a `detail` claim expects at its path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Detail {
    Number(Bound),
    Word(String),
    /// A list whose every item is this word.
    Every(String),
    /// A list with at least one item that is this word.
    Some(String),
    /// A list with no item that is this word.
    No(String),
    /// The number at the path over the number at `other`, against a bound.
    Ratio {
        other: String,
        bound: Bound,
    },
}

/// What a claim says of a crossover size n*.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Crossing {
    /// None up to the largest size tried.
    None,
    /// Some size, any.
    Found,
    /// A size within the bound; for `>=` and `>`, none found up to a
    /// largest size within it also holds.
    Within(Bound),
}

/// `FILE: ASSERTION`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Claim {
    pub(crate) file: String,
    pub(crate) assertion: Assertion,
}

impl Claim {
    pub(crate) fn parse(text: &str) -> Result<Claim, String> {
        let (file, rest) = text
            .split_once(':')
            .filter(|(file, _)| {
                std::path::Path::new(file.trim())
                    .extension()
                    .is_some_and(|extension| extension.eq_ignore_ascii_case("json"))
            })
            .ok_or_else(|| {
                "a claim starts with the report it is about: `FILE.json: …`".to_owned()
            })?;
        let words: Vec<&str> = rest.split_whitespace().collect();
        let assertion = parse_assertion(&words)?;
        Ok(Claim {
            file: file.trim().to_owned(),
            assertion,
        })
    }
}

/// `LEFT RELATION RIGHT`: two selections of cells and the verdict between
/// them.
fn parse_versus(left: &str, relation: &str, right: &str) -> Result<Assertion, String> {
    let expected = match relation {
        "faster-than" => Expected::Faster,
        "slower-than" => Expected::Slower,
        "not-faster-than" => Expected::NotFaster,
        "not-slower-than" => Expected::NotSlower,
        "no-clear-difference-from" => Expected::NoClearDifference,
        "within-5-percent-of" => Expected::Within,
        other => return Err(format!("`{other}` is not a relation")),
    };
    Ok(Assertion::Versus {
        left: Selector::parse(left)?,
        expected,
        right: Selector::parse(right)?,
    })
}

/// `PATH OP NUMBER` or `PATH is WORD`, after `detail`.
fn parse_detail(words: &[&str]) -> Result<Assertion, String> {
    let number = |value: &str| -> Result<f64, String> {
        value
            .parse()
            .map_err(|_| format!("`{value}` is not a number"))
    };
    let expected = match words {
        [_, "over", other, op, value] => Detail::Ratio {
            other: (*other).to_owned(),
            bound: Bound {
                op: Op::split(op).0,
                value: Value::Number(number(value)?),
            },
        },
        [_, "is", word] => Detail::Word((*word).to_owned()),
        [_, "all", word] => Detail::Every((*word).to_owned()),
        [_, "some", word] => Detail::Some((*word).to_owned()),
        [_, "none", word] => Detail::No((*word).to_owned()),
        [_, op, value] => Detail::Number(Bound {
            op: Op::split(op).0,
            value: Value::Number(number(value)?),
        }),
        _ => {
            return Err(format!(
                "`detail {}` is not PATH OP NUMBER, PATH over PATH OP NUMBER or PATH is WORD",
                words.join(" ")
            ));
        }
    };
    Ok(Assertion::Detail {
        path: words[0].to_owned(),
        expected,
    })
}

fn parse_assertion(words: &[&str]) -> Result<Assertion, String> {
    let number = |text: &str| -> Result<f64, String> {
        text.parse()
            .map_err(|_| format!("`{text}` is not a number"))
    };
    match words {
        ["crossover", strategy, "none"] => Ok(Assertion::Crossover {
            strategy: (*strategy).to_owned(),
            expected: Crossing::None,
        }),
        ["crossover", strategy, "found"] => Ok(Assertion::Crossover {
            strategy: (*strategy).to_owned(),
            expected: Crossing::Found,
        }),
        ["crossover", strategy, op, value] => Ok(Assertion::Crossover {
            strategy: (*strategy).to_owned(),
            expected: Crossing::Within(Bound::parse(&format!("{op}{value}"))?),
        }),
        ["fit", strategy, "none"] => Ok(Assertion::Fit {
            strategy: (*strategy).to_owned(),
            bound: None,
        }),
        ["fit", strategy, "s", op, value] => Ok(Assertion::Fit {
            strategy: (*strategy).to_owned(),
            bound: Some(Bound::parse(&format!("{op}{value}"))?),
        }),
        ["stage", stage, field, op, value] => Ok(Assertion::Stage {
            stage: (*stage).to_owned(),
            field: (*field).to_owned(),
            bound: Bound {
                op: Op::split(op).0,
                value: Value::Number(number(value)?),
            },
        }),
        ["detail", rest @ ..] => parse_detail(rest),
        ["bottleneck", stage] => Ok(Assertion::Bottleneck {
            stage: (*stage).to_owned(),
        }),
        ["oversubscription", strategy, verdict] => Ok(Assertion::Oversubscription {
            strategy: (*strategy).to_owned(),
            verdict: verdict.replace('-', " "),
        }),
        [cells, "vs-serial", verdict] => Ok(Assertion::VsSerial {
            cells: Selector::parse(cells)?,
            expected: Expected::parse(verdict)?,
        }),
        ["python", approach, "slower-than", other] => Ok(Assertion::Python {
            approach: (*approach).to_owned(),
            other: (*other).to_owned(),
            bound: None,
        }),
        ["python", approach, "over", other, op, value] => Ok(Assertion::Python {
            approach: (*approach).to_owned(),
            other: (*other).to_owned(),
            bound: Some(Bound {
                op: Op::split(op).0,
                value: Value::Number(number(value)?),
            }),
        }),
        [left, "speedup", op, right] if right.contains('/') => Ok(Assertion::SpeedupVersus {
            left: Selector::parse(left)?,
            op: Op::split(op).0,
            right: Selector::parse(right)?,
        }),
        [cells, "efficiency", op, value] => Ok(Assertion::Efficiency {
            cells: Selector::parse(cells)?,
            bound: Bound {
                op: Op::split(op).0,
                value: Value::Number(number(value)?),
            },
        }),
        [cells, "speedup", op, value] => Ok(Assertion::Speedup {
            cells: Selector::parse(cells)?,
            bound: {
                let (op, _) = Op::split(op);
                Bound {
                    op,
                    value: Value::Number(number(value)?),
                }
            },
        }),
        [left, relation, right] => parse_versus(left, relation, right),
        _ => Err(format!(
            "`{}` is not a claim this checker reads",
            words.join(" ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_read_their_bounds() {
        let selector = Selector::parse("primes/*#>=1024@>cores:n=top").unwrap();
        assert_eq!(selector.workload, "primes");
        assert_eq!(selector.strategy, None);
        assert_eq!(
            selector.grain,
            [Bound {
                op: Op::AtLeast,
                value: Value::Number(1024.0)
            }]
        );
        assert_eq!(
            selector.threads,
            [Bound {
                op: Op::Greater,
                value: Value::Cores
            }]
        );
        assert_eq!(
            selector.n,
            [Bound {
                op: Op::Equal,
                value: Value::Top
            }]
        );
        let plain = Selector::parse("mandelbrot/rayon").unwrap();
        assert_eq!(plain.strategy.as_deref(), Some("rayon"));
        assert!(plain.threads.is_empty() && plain.grain.is_empty() && plain.n.is_empty());
        let both = Selector::parse("primes/rayon#>=16#<=262144").unwrap();
        assert_eq!(both.grain.len(), 2);
        assert_eq!(plain.kernel, None);
        let simd = Selector::parse("mandelbrot[simd]/rayon@cores").unwrap();
        assert_eq!(
            (simd.workload.as_str(), simd.kernel.as_deref()),
            ("mandelbrot", Some("simd"))
        );
        assert!(Selector::parse("mandelbrot[]/rayon").is_err());
        assert!(Selector::parse("mandelbrot]/rayon").is_err());
    }

    #[test]
    fn claims_of_every_kind_parse() {
        for text in [
            "compare.json: mandelbrot/rayon not-faster-than mandelbrot/threads-dynamic",
            "compare.json: squares/pipeline vs-serial slower",
            "compare.json: sum-of-squares/rayon speedup >= 1.3",
            "sweep-squares.json: crossover rayon none",
            "sweep-primes.json: crossover rayon <= 100000",
            "scaling-primes.json: fit rayon none",
            "scaling-latency.json: oversubscription rayon helps",
            "compare.json: squares/* speedup < sum-of-squares/rayon",
            "squares-python.json: python ThreadPoolExecutor over serial >= 100",
            "squares-python.json: python ProcessPoolExecutor slower-than serial",
            "overheads.json: detail benchmarks.a.median_s over benchmarks.b.median_s >= 10",
        ] {
            Claim::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"));
        }
    }

    #[test]
    fn malformed_claims_say_why() {
        assert!(
            Claim::parse("mandelbrot/rayon faster-than x/y")
                .unwrap_err()
                .contains("FILE.json")
        );
        assert!(
            Claim::parse("c.json: a/b quicker-than c/d")
                .unwrap_err()
                .contains("`quicker-than` is not a relation")
        );
        assert!(
            Claim::parse("c.json: a/b speedup >= many")
                .unwrap_err()
                .contains("not a number")
        );
        assert!(
            Claim::parse("c.json: rayon")
                .unwrap_err()
                .contains("not a claim")
        );
    }
}
