//! The decision drawn as an SVG flowchart: questions down the left, each
//! "yes" leading right to a strategy and the figures behind it, each "no"
//! leading down to the next question. Written by hand, with no drawing
//! library: boxes, lines and text are all it needs, and the text is wrapped
//! by a character budget that the chosen font size keeps inside each box.

use std::fmt::Write as _;

use ps_harness::human;

use super::figures::Figures;

/// The drawing's width; the book's text column is about as wide, so the
/// chart is shown near its natural size.
const WIDTH: f64 = 760.0;
const FONT: f64 = 14.0;
const LINE: f64 = 19.0;
const PAD: f64 = 10.0;
const QUESTION_X: f64 = 10.0;
const QUESTION_W: f64 = 320.0;
const ANSWER_X: f64 = 400.0;
const ANSWER_W: f64 = 350.0;
/// Vertical room for a "no" arrow between two rows.
const GAP: f64 = 34.0;
/// Characters per line: a sans-serif character is at most about 0.56 of
/// the font size wide on average, so these fit their boxes.
const QUESTION_CHARS: usize = 38;
const ANSWER_CHARS: usize = 43;
const BOLD_CHARS: usize = 39;

/// One row: a question and the answer its "yes" leads to.
struct Row {
    question: String,
    answer: String,
    /// Lines under the answer: the figures behind it.
    evidence: Vec<String>,
    /// Where the book shows those figures.
    chapter: String,
}

/// A time as the tables print it, its number and unit kept on one line.
pub(super) fn seconds(us: f64) -> String {
    human(std::time::Duration::from_secs_f64(us / 1e6)).replace(' ', "\u{a0}")
}

// One literal per branch, in the order the chart asks them: split up, the
// chart's text would be scattered over functions that each draw nothing.
#[allow(clippy::too_many_lines)]
fn rows(f: &Figures) -> Vec<Row> {
    let (cores, many) = (f.cores, f.many_cores);
    vec![
        Row {
            question: "Does the loop mostly wait (network, disk, sleep) rather than compute?"
                .to_owned(),
            answer: "An async runtime for many waits; a few: threads, more than cores. Never rayon's pool."
                .to_owned(),
            evidence: vec![
                format!(
                    "{} waits: tokio {:.0} ms, fastest threads ({} × {}) {:.0} ms.",
                    f.waiting.items,
                    f.waiting.async_ms,
                    f.waiting.threads_runner,
                    f.waiting.threads,
                    f.waiting.threads_ms
                ),
                format!(
                    "Computing inside async tasks held a ping {}; spawn_blocking {}.",
                    seconds(f.waiting.ping_inside_us),
                    seconds(f.waiting.ping_blocking_us)
                ),
            ],
            chapter: "When parallel code goes wrong: waiting".to_owned(),
        },
        Row {
            question: format!(
                "Is one call's serial time under {}? (a thread starts in {}, rayon's pool is entered in {})",
                seconds(f.work.serial_us),
                seconds(f.start.thread_us),
                seconds(f.start.rayon_install_us)
            ),
            answer: "Serial.".to_owned(),
            evidence: vec![format!(
                "Primes, {cores} cores: no strategy beat serial below {} of serial work ({}'s crossover).",
                seconds(f.work.serial_us),
                f.work.strategy
            )],
            chapter: "Granularity: the crossover size".to_owned(),
        },
        Row {
            question: format!(
                "Does the serial loop already move memory at {:.0}% or more of one core's rate (copy, or read if it only reads)?",
                f.memory.serial_share * 100.0
            ),
            answer: "Serial, or static blocks of a large grain: memory caps the gain.".to_owned(),
            evidence: vec![
                format!(
                    "All cores over one: copy {:.2}x, read {:.2}x ({cores} cores).",
                    f.memory.copy_gain, f.memory.read_gain
                ),
                format!(
                    "On {many} cores: copy {:.1}x, read {:.1}x.",
                    f.memory.many_copy_gain, f.memory.many_read_gain
                ),
            ],
            chapter: "Bottlenecks: memory; Sixteen cores".to_owned(),
        },
        Row {
            question: "Does an item's cost vary with its position (primes, Mandelbrot's rows)?"
                .to_owned(),
            answer: format!(
                "Dynamic claims or rayon, a grain giving {:.0}+ chunks per thread.",
                f.uneven.chunks_per_thread.floor()
            ),
            evidence: vec![
                format!(
                    "Static blocks took {:.2}x dynamic claims' time on primes ({cores} cores),",
                    f.uneven.primes_static_over_dynamic
                ),
                format!(
                    "{:.2}x on Mandelbrot ({many} cores).",
                    f.uneven.many_mandelbrot_static_over_dynamic
                ),
            ],
            chapter: "Bottlenecks: load imbalance; Sixteen cores".to_owned(),
        },
        Row {
            question: format!(
                "Many short calls in a row, each under {} of work per thread?",
                seconds(f.phases.per_thread_us)
            ),
            answer: "Rayon: its pool stays warm between calls.".to_owned(),
            evidence: vec![
                format!(
                    "Spectral-norm, {} calls: {} per thread per call on {cores} cores, rayon and dynamic claims tie;",
                    f.phases.calls,
                    seconds(f.phases.per_thread_us)
                ),
                format!(
                    "{} on {many} cores, rayon {:.2}x dynamic's speedup.",
                    seconds(f.phases.many_per_thread_us),
                    f.phases.many_rayon_over_dynamic
                ),
            ],
            chapter: "Bottlenecks: Amdahl; Sixteen cores: short phases".to_owned(),
        },
        Row {
            question: "Otherwise: even cost per item, compute-bound, few long calls.".to_owned(),
            answer: "Dynamic claims or rayon: little dearer than static blocks, never caught out by uneven cost."
                .to_owned(),
            evidence: vec![
                "No workload here is even and called once: too little data for a threshold."
                    .to_owned(),
            ],
            chapter: "std::thread; Rayon".to_owned(),
        },
    ]
}

/// Words of `text` in lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    // Split at plain spaces only: a no-break space holds a number to its unit.
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Lines of a box: (text, style) with style one of the CSS classes below.
type Lines = Vec<(String, &'static str)>;

fn height(lines: &Lines) -> f64 {
    #[allow(clippy::cast_precision_loss)] // a handful of lines
    let count = lines.len() as f64;
    count * LINE + 2.0 * PAD
}

fn draw_box(svg: &mut String, x: f64, y: f64, w: f64, lines: &Lines, class: &str) {
    let h = height(lines);
    let _ = writeln!(
        svg,
        r#"<rect class="{class}" x="{x}" y="{y}" width="{w}" height="{h}" rx="8"/>"#
    );
    for (i, (text, style)) in lines.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)] // a handful of lines
        let baseline = y + PAD + LINE * (i as f64) + FONT;
        let _ = writeln!(
            svg,
            r#"<text class="{style}" x="{}" y="{baseline}">{}</text>"#,
            x + PAD,
            escape(text)
        );
    }
}

/// One row laid out: its two boxes' lines, its top and its height.
struct Placed {
    question: Lines,
    answer: Lines,
    top: f64,
    height: f64,
}

impl Placed {
    fn question_top(&self) -> f64 {
        self.top + (self.height - height(&self.question)) / 2.0
    }
}

fn layout(rows: &[Row]) -> Vec<Placed> {
    let mut placed = Vec::new();
    let mut y = 44.0;
    for row in rows {
        let question: Lines = wrap(&row.question, QUESTION_CHARS)
            .into_iter()
            .map(|line| (line, "q"))
            .collect();
        // Bold text is wider: its lines get fewer characters.
        let mut answer: Lines = wrap(&row.answer, BOLD_CHARS)
            .into_iter()
            .map(|line| (line, "a"))
            .collect();
        for evidence in &row.evidence {
            answer.extend(wrap(evidence, ANSWER_CHARS).into_iter().map(|l| (l, "e")));
        }
        answer.extend(
            wrap(&format!("→ {}", row.chapter), ANSWER_CHARS)
                .into_iter()
                .map(|l| (l, "c")),
        );
        let row_h = height(&question).max(height(&answer));
        placed.push(Placed {
            question,
            answer,
            top: y,
            height: row_h,
        });
        y += row_h + GAP;
    }
    placed
}

/// The flowchart of `figures` as a standalone SVG document.
pub(crate) fn svg(figures: &Figures) -> String {
    let placed = layout(&rows(figures));
    let mut body = String::new();
    for (index, row) in placed.iter().enumerate() {
        let qy = row.question_top();
        let ay = row.top + (row.height - height(&row.answer)) / 2.0;
        draw_box(
            &mut body,
            QUESTION_X,
            qy,
            QUESTION_W,
            &row.question,
            "question",
        );
        draw_box(&mut body, ANSWER_X, ay, ANSWER_W, &row.answer, "answer");
        let mid = row.top + row.height / 2.0;
        let next = placed.get(index + 1);
        let _ = writeln!(
            body,
            r#"<line class="arrow" x1="{}" y1="{mid}" x2="{}" y2="{mid}"/><text class="label" x="{}" y="{}">{}</text>"#,
            QUESTION_X + QUESTION_W,
            ANSWER_X - 2.0,
            QUESTION_X + QUESTION_W + 14.0,
            mid - 6.0,
            if next.is_some() { "yes" } else { "then" }
        );
        if let Some(next) = next {
            let x = QUESTION_X + QUESTION_W / 2.0;
            let from = qy + height(&row.question);
            let to = next.question_top() - 1.0;
            let _ = writeln!(
                body,
                r#"<line class="arrow" x1="{x}" y1="{from}" x2="{x}" y2="{to}"/><text class="label" x="{}" y="{}">no</text>"#,
                x + 8.0,
                f64::midpoint(from, to) + 5.0
            );
        }
    }
    let y = placed.last().map_or(44.0, |row| row.top + row.height + GAP);
    let footer = y - GAP + 30.0;
    let total = footer + LINE + 14.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{total}" viewBox="0 0 {WIDTH} {total}" font-family="sans-serif" font-size="{FONT}">"#
    );
    svg.push_str(
        "<title>Which strategy for my loop: a flowchart</title>\n\
         <defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444\"/></marker></defs>\n\
         <style>\n\
         .question { fill: #e8f0fe; stroke: #3b6fd8; stroke-width: 1.5; }\n\
         .answer { fill: #e9f6ec; stroke: #2f8f4e; stroke-width: 1.5; }\n\
         .arrow { stroke: #444; stroke-width: 1.5; marker-end: url(#head); }\n\
         .q { fill: #1a1a1a; }\n\
         .a { fill: #1a1a1a; font-weight: bold; }\n\
         .e { fill: #333; }\n\
         .c { fill: #2f5fb0; font-style: italic; }\n\
         .label { fill: #444; font-weight: bold; }\n\
         .title { fill: #1a1a1a; font-size: 16px; font-weight: bold; }\n\
         .foot { fill: #333; }\n\
         </style>\n",
    );
    let _ = writeln!(
        svg,
        r##"<rect x="0" y="0" width="{WIDTH}" height="{total}" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        svg,
        r#"<text class="title" x="{QUESTION_X}" y="26">Which strategy for my loop? Start at the top.</text>"#
    );
    svg.push_str(&body);
    let _ = writeln!(
        svg,
        r#"<text class="foot" x="{QUESTION_X}" y="{footer}">Thresholds from this book's {}-core figures; {}-core ones from generated/machines/.</text>"#,
        figures.cores, figures.many_cores,
    );
    let _ = writeln!(
        svg,
        r#"<text class="foot" x="{QUESTION_X}" y="{}">For your own loop, on your machine: cargo xtask advise WORKLOAD</text>"#,
        footer + LINE
    );
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_within_the_width() {
        let lines = wrap("one two three four five six seven", 9);
        assert_eq!(lines, ["one two", "three", "four five", "six seven"]);
        assert!(wrap("", 9).is_empty());
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(escape("a < b & c > d"), "a &lt; b &amp; c &gt; d");
    }
}
