//! Hand-written SVG charts: a frame with axes, grid and legend, lines of points, and bars. No
//! crate draws SVG charts without bringing in far more than these few shapes need.

use std::fmt::Write as _;

/// The drawing's size, in SVG units; the page scales it to its width.
pub const WIDTH: f64 = 960.0;
pub const HEIGHT: f64 = 300.0;
/// Room for the y axis's labels on the left, the x axis's below, and the legend above.
const LEFT: f64 = 80.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 50.0;

/// Text for HTML, in an element or an attribute: `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A linear map of `0..=max` onto `from..=to` (pixels); values outside are held at the ends.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub max: f64,
    pub from: f64,
    pub to: f64,
}

impl Scale {
    pub fn at(&self, value: f64) -> f64 {
        if self.max.is_nan() || self.max <= 0.0 || !value.is_finite() {
            return self.from;
        }
        self.from + (self.to - self.from) * (value / self.max).clamp(0.0, 1.0)
    }
}

/// Round ticks from 0 up to `max` or just past it, steps of 1, 2 or 5 times a power of ten,
/// about `count` of them, and no step under `least` (1 for whole microseconds).
pub fn ticks(max: f64, count: usize, least: f64) -> Vec<f64> {
    let count = count.max(1) as f64;
    if !max.is_finite() || max <= 0.0 {
        return vec![0.0, least.max(1.0)];
    }
    let raw = max / count;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude)
        .max(least);
    let n = (max / step).ceil().max(1.0) as u64;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// One line of a chart: points joined, each with its words when pointed at.
pub struct Line {
    pub name: String,
    pub colour: &'static str,
    pub dashed: bool,
    /// (x, y, what the point is, in words)
    pub points: Vec<(f64, f64, String)>,
}

/// A chart's axes: their scales, ticks with their labels, and their names.
pub struct Frame {
    pub x: Scale,
    pub y: Scale,
    pub x_ticks: Vec<(f64, String)>,
    pub y_ticks: Vec<(f64, String)>,
    pub x_name: String,
    pub y_name: String,
}

impl Frame {
    /// Axes for x in `0..=x_max` and y in `0..=y_max`, the last tick of each at or past its
    /// maximum, so that every point falls inside.
    pub fn new(
        x_ticks: Vec<(f64, String)>,
        y_ticks: Vec<(f64, String)>,
        x_name: &str,
        y_name: &str,
    ) -> Frame {
        let last = |ticks: &[(f64, String)]| ticks.last().map_or(1.0, |(v, _)| *v);
        Frame {
            x: Scale {
                max: last(&x_ticks),
                from: LEFT,
                to: WIDTH - RIGHT,
            },
            y: Scale {
                max: last(&y_ticks),
                from: HEIGHT - BOTTOM,
                to: TOP,
            },
            x_ticks,
            y_ticks,
            x_name: x_name.to_owned(),
            y_name: y_name.to_owned(),
        }
    }
}

/// A chart being drawn: an `<svg>` with its title (which names it, for people and for tests).
pub struct Chart {
    svg: String,
}

impl Chart {
    pub fn new(id: &str, title: &str) -> Chart {
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg id="{id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title"><title id="{id}-title">{}</title>"#,
            escape(title)
        );
        Chart { svg }
    }

    /// The grid, the axes, their ticks and names.
    pub fn frame(&mut self, frame: &Frame) {
        let (left, right) = (frame.x.from, frame.x.to);
        let (bottom, top) = (frame.y.from, frame.y.to);
        self.svg.push_str(r#"<g class="grid">"#);
        for (value, label) in &frame.y_ticks {
            let y = frame.y.at(*value);
            let _ = write!(
                self.svg,
                r#"<line x1="{left:.1}" y1="{y:.1}" x2="{right:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 6.0,
                y + 4.0,
                escape(label)
            );
        }
        for (value, label) in &frame.x_ticks {
            let x = frame.x.at(*value);
            let _ = write!(
                self.svg,
                r#"<line class="tick-mark" x1="{x:.1}" y1="{bottom:.1}" x2="{x:.1}" y2="{:.1}"/><text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                bottom + 5.0,
                bottom + 18.0,
                escape(label)
            );
        }
        self.svg.push_str("</g>");
        let _ = write!(
            self.svg,
            r#"<g class="axes"><line x1="{left:.1}" y1="{top:.1}" x2="{left:.1}" y2="{bottom:.1}"/><line x1="{left:.1}" y1="{bottom:.1}" x2="{right:.1}" y2="{bottom:.1}"/></g>"#
        );
        let _ = write!(
            self.svg,
            r#"<text class="axis-name" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            (left + right) / 2.0,
            HEIGHT - 10.0,
            escape(&frame.x_name)
        );
        let _ = write!(
            self.svg,
            r#"<text class="axis-name" x="16" y="{:.1}" text-anchor="middle" transform="rotate(-90 16 {:.1})">{}</text>"#,
            (top + bottom) / 2.0,
            (top + bottom) / 2.0,
            escape(&frame.y_name)
        );
    }

    /// The lines' names and colours, in a row above the chart, from the right.
    pub fn legend(&mut self, entries: &[(&str, &'static str, bool)]) {
        self.svg.push_str(r#"<g class="legend">"#);
        let mut x = WIDTH - RIGHT;
        for (name, colour, dashed) in entries.iter().rev() {
            // About 7 units a character at the legend's size.
            x -= 7.0 * name.chars().count() as f64 + 34.0;
            let dash = if *dashed {
                r#" stroke-dasharray="6 4""#
            } else {
                ""
            };
            let _ = write!(
                self.svg,
                r#"<line x1="{x:.1}" y1="12" x2="{:.1}" y2="12" stroke="{colour}" stroke-width="3"{dash}/><text x="{:.1}" y="16">{}</text>"#,
                x + 22.0,
                x + 27.0,
                escape(name)
            );
        }
        self.svg.push_str("</g>");
    }

    /// A line through its points, each point a dot that says what it is when pointed at.
    pub fn line(&mut self, frame: &Frame, line: &Line) {
        let points: Vec<String> = (line.points.iter())
            .map(|(x, y, _)| format!("{:.1},{:.1}", frame.x.at(*x), frame.y.at(*y)))
            .collect();
        let dash = if line.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            self.svg,
            r#"<g class="line" data-name="{}"><polyline fill="none" stroke="{}" stroke-width="2"{dash} points="{}"/>"#,
            escape(&line.name),
            line.colour,
            points.join(" ")
        );
        for (x, y, words) in &line.points {
            self.dot((frame.x.at(*x), frame.y.at(*y)), 3.0, line.colour, words);
        }
        self.svg.push_str("</g>");
    }

    /// A dot of radius `r` at (x, y) in pixels, with its words.
    pub fn dot(&mut self, (x, y): (f64, f64), r: f64, colour: &str, words: &str) {
        let _ = write!(
            self.svg,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{colour}"><title>{}</title></circle>"#,
            escape(words)
        );
    }

    /// A bar from the x axis up to `y`, between `left` and `right` in pixels. A bar of any
    /// count is at least a pixel high, as the text bars are at least a character long.
    pub fn bar(&mut self, frame: &Frame, (left, right): (f64, f64), y: f64, words: &str) {
        let base = frame.y.from;
        let mut top = frame.y.at(y);
        if y > 0.0 {
            top = top.min(base - 1.0);
        }
        let _ = write!(
            self.svg,
            r#"<rect class="bar" x="{left:.1}" y="{top:.1}" width="{:.1}" height="{:.1}"><title>{}</title></rect>"#,
            (right - left).max(1.0),
            base - top,
            escape(words)
        );
    }

    pub fn finish(mut self) -> String {
        self.svg.push_str("</svg>");
        self.svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_elements_and_attributes() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
        assert_eq!(escape("api.Api/sayHello µs"), "api.Api/sayHello µs");
    }

    #[test]
    fn ticks_are_round_and_reach_the_maximum() {
        assert_eq!(ticks(10.0, 5, 0.0), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(
            ticks(7_300.0, 5, 1.0),
            [0.0, 2000.0, 4000.0, 6000.0, 8000.0]
        );
        assert_eq!(ticks(0.9, 4, 0.0).last(), Some(&1.0));
        // Whole microseconds never tick in fractions.
        assert_eq!(ticks(3.0, 10, 1.0), [0.0, 1.0, 2.0, 3.0]);
        // Nothing to show still makes an axis.
        assert_eq!(ticks(0.0, 5, 1.0), [0.0, 1.0]);
        assert_eq!(ticks(f64::NAN, 5, 0.0), [0.0, 1.0]);
        for max in [0.3, 1.0, 17.0, 999.0, 12_345.0, 3e9] {
            let ticks = ticks(max, 5, 0.0);
            assert!(*ticks.last().unwrap() >= max, "{max}: {ticks:?}");
            assert!(ticks.len() <= 12, "{max}: {ticks:?}");
        }
    }

    #[test]
    fn scales_map_onto_pixels_and_hold_at_the_ends() {
        let scale = Scale {
            max: 100.0,
            from: 250.0,
            to: 50.0,
        };
        assert_eq!(scale.at(0.0), 250.0);
        assert_eq!(scale.at(50.0), 150.0);
        assert_eq!(scale.at(100.0), 50.0);
        assert_eq!(scale.at(400.0), 50.0);
        assert_eq!(scale.at(f64::INFINITY), 250.0);
        let empty = Scale { max: 0.0, ..scale };
        assert_eq!(empty.at(5.0), 250.0);
    }

    #[test]
    fn a_chart_is_titled_and_its_words_escaped() {
        let frame = Frame::new(
            vec![(0.0, "0s".into()), (2.0, "2s".into())],
            vec![(0.0, "0".into()), (10.0, "10".into())],
            "seconds <from start>",
            "calls",
        );
        let mut chart = Chart::new("c", "Calls & more");
        chart.frame(&frame);
        chart.legend(&[("p99 \"tail\"", "#c05621", false)]);
        chart.line(
            &frame,
            &Line {
                name: "p99".into(),
                colour: "#c05621",
                dashed: false,
                points: vec![(1.0, 5.0, "<1s>".into())],
            },
        );
        let svg = chart.finish();
        assert!(svg.starts_with(r#"<svg id="c" "#), "{svg}");
        assert!(svg.contains(r#"<title id="c-title">Calls &amp; more</title>"#));
        assert!(svg.contains("seconds &lt;from start&gt;"));
        assert!(svg.contains("p99 &quot;tail&quot;"));
        assert!(svg.contains(r#"points="510.0,140.0""#), "{svg}");
        assert!(svg.contains("<title>&lt;1s&gt;</title>"));
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains('\n'));
    }
}
