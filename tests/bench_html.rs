//! `apicli bench --html FILE` and `apicli bench merge --html FILE`: the real binary against
//! `apicli serve` on 127.0.0.1, writing the page of charts beside the report; and the page in
//! Debian's headless chromium (`tests/interop/node/chromium.sh` finds or installs it), whose DOM
//! must hold the charts and whose screenshot must be a picture of them.

mod common;

use std::{
    fs,
    io::Read as _,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use common::{
    LIMIT, Server, apicli, assert_exit, assert_one_error_line, output_of, output_within,
    peers::{chromium, no_proxy},
    run, stdout,
};
use serde_json::Value;

/// The charts of a run's page, by the titles of their `<svg>`.
const RUN_CHARTS: [&str; 3] = [
    "Latency over time: p50 and p99",
    "Requests and errors over time",
    "Latency histogram",
];

/// Runs a 1 s load against `server` with `args`, writing the page to `dir/report.html`; the
/// exit status is checked, and stdout returned with the page.
fn bench_page(server: &Server, dir: &Path, args: &[&str]) -> (String, String) {
    let page = dir.join("report.html");
    let output = output_of(
        apicli()
            .args(["bench", "api.Api/sayHello", "--addr", &server.url()])
            .args(["-c", "4", "-z", "1s", "--html"])
            .arg(&page)
            .args(args),
    );
    assert_exit(&output, 0);
    let html = fs::read_to_string(&page).expect("the page is written");
    (stdout(&output), html)
}

/// The page is one file of HTML that fetches nothing and runs nothing.
fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.trim_end().ends_with("</html>"));
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    for reference in ["http://", "https://", " src=", " href="] {
        assert!(!html.contains(reference), "{reference} in {html}");
    }
}

fn assert_charts(html: &str, titles: &[&str]) {
    for title in titles {
        let svg = format!("-title\">{}</title>", title.replace('\'', "&#39;"));
        assert!(html.contains(&svg), "no chart titled {title}: {html}");
    }
    assert_eq!(html.matches("<svg ").count(), titles.len(), "{html}");
}

#[test]
fn the_page_draws_the_intervals_the_histogram_and_the_summary() {
    let server = Server::start(&["-q"]);
    let dir = tempfile::tempdir().unwrap();
    let (table, html) = bench_page(&server, dir.path(), &["--interval", "200ms"]);
    // The report still goes to stdout as it did; the page is added.
    assert!(table.starts_with("Summary\n"), "{table}");
    assert!(table.contains("\nIntervals "), "{table}");
    assert_self_contained(&html);
    assert_charts(&html, &RUN_CHARTS);
    for caption in ["Summary", "Latency", "Statuses"] {
        assert!(html.contains(&format!("<caption>{caption}</caption>")));
    }
    assert!(html.contains("api.Api/sayHello"));
    // Five intervals of 200 ms: a dot each, p50 and p99, req/s and errors/s.
    let dots = html.matches("<circle").count();
    assert!((4 * 4..=7 * 4).contains(&dots), "{dots} dots: {html}");
    // The page was written beside, then renamed: nothing else is left.
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn without_interval_the_page_still_draws_seconds_and_the_report_is_unchanged() {
    let server = Server::start(&["-q"]);
    let dir = tempfile::tempdir().unwrap();
    let (json, html) = bench_page(&server, dir.path(), &["-o", "json"]);
    let report: Value = serde_json::from_str(&json).expect("the report is JSON");
    assert_eq!(report["intervals"], Value::Array(Vec::new()), "{report}");
    assert_self_contained(&html);
    assert_charts(&html, &RUN_CHARTS);
    assert!(!html.contains("no intervals"));
}

#[test]
fn a_page_that_cannot_be_written_is_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing/report.html");
    let missing = missing.to_str().unwrap();
    let dir_name = dir.path().to_str().unwrap();
    // No server listens on port 1: a refusal comes before any connection.
    for (args, needle) in [
        (&[missing][..], "cannot write --html '"),
        (&[dir_name][..], "is a directory"),
    ] {
        let output = run(&[
            &[
                "bench",
                "api.Api/sayHello",
                "--addr",
                "127.0.0.1:1",
                "--html",
            ],
            args,
        ]
        .concat());
        assert_exit(&output, 2);
        assert_one_error_line(&output, needle);
        assert_eq!(stdout(&output), "");
        let output = run(&[&["bench", "merge", "no-such-report.json", "--html"], args].concat());
        assert_exit(&output, 2);
        assert_one_error_line(&output, needle);
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_merged_page_draws_each_part_and_the_merged_histogram() {
    let server = Server::start(&["-q"]);
    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<PathBuf> = (0..3)
        .map(|i| {
            let output = output_of(apicli().args([
                "bench",
                "api.Api/sayHello",
                "--addr",
                &server.url(),
                "-n",
                "300",
                "-c",
                "3",
                "--split",
                &format!("{i}/3"),
                "-o",
                "json",
            ]));
            assert_exit(&output, 0);
            let path = dir.path().join(format!("part-{i}.json"));
            fs::write(&path, &output.stdout).unwrap();
            path
        })
        .collect();
    let page = dir.path().join("merged.html");
    let output = output_of(
        apicli()
            .args(["bench", "merge"])
            .args(&parts)
            .arg("--html")
            .arg(&page),
    );
    assert_exit(&output, 0);
    assert!(stdout(&output).contains("\nParts "), "{}", stdout(&output));
    let html = fs::read_to_string(&page).unwrap();
    assert_self_contained(&html);
    assert_charts(
        &html,
        &[
            "Each part's requests per second",
            "Each part's latency: p50 and p99",
            "Latency histogram",
        ],
    );
    assert!(html.contains("<h1>apicli bench merge: api.Api/sayHello"));
    assert!(html.contains("need the parts' intervals"));
    for i in 0..3 {
        assert!(html.contains(&format!(">part-{i}.json</text>")), "{html}");
    }
}

#[test]
fn a_merged_page_draws_a_line_for_each_part_over_time() {
    let server = Server::start(&["-q"]);
    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<PathBuf> = (0..2)
        .map(|i| {
            let output = output_of(apicli().args([
                "bench",
                "api.Api/sayHello",
                "--addr",
                &server.url(),
                "--rps",
                "200",
                "-z",
                "1s",
                "--interval",
                "250ms",
                "--split",
                &format!("{i}/2"),
                "-o",
                "json",
            ]));
            assert_exit(&output, 0);
            let path = dir.path().join(format!("part-{i}.json"));
            fs::write(&path, &output.stdout).unwrap();
            path
        })
        .collect();
    let merged = output_of(apicli().args(["bench", "merge", "-o", "json"]).args(&parts));
    assert_exit(&merged, 0);
    let report: serde_json::Value = serde_json::from_slice(&merged.stdout).unwrap();
    // The merged report has no intervals of its own; each part keeps its own.
    assert_eq!(report["intervals"], serde_json::json!([]));
    for part in report["parts"].as_array().unwrap() {
        let intervals = part["intervals"].as_array().unwrap();
        assert!((4..=5).contains(&intervals.len()), "{part}");
        let count: u64 = intervals.iter().map(|i| i["count"].as_u64().unwrap()).sum();
        assert_eq!(count, part["count"].as_u64().unwrap());
    }

    let page = dir.path().join("merged.html");
    let output = output_of(
        apicli()
            .args(["bench", "merge"])
            .args(&parts)
            .arg("--html")
            .arg(&page),
    );
    assert_exit(&output, 0);
    let html = fs::read_to_string(&page).unwrap();
    assert_self_contained(&html);
    assert_charts(
        &html,
        &[
            "Each part's requests per second over time",
            "Each part's p99 over time",
            "Each part's requests per second",
            "Each part's latency: p50 and p99",
            "Latency histogram",
        ],
    );
    for i in 0..2 {
        let line = format!(r#"<g class="line" data-name="part-{i}.json"><polyline"#);
        assert_eq!(html.matches(&line).count(), 2, "{i}: {html}");
    }
    assert!(!html.contains("need the parts' intervals"));
}

// ---------------------------------------------------------------------------------------------
// In the browser
// ---------------------------------------------------------------------------------------------

/// Runs headless chromium on the page with `args`, its profile in `profile`; its stdout.
fn chromium_on(chromium: &Path, profile: &Path, page: &Path, args: &[&str]) -> Vec<u8> {
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--disable-gpu",
        "--no-sandbox",
        "--no-first-run",
        "--hide-scrollbars",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .args(args)
    .arg(page)
    .env("XDG_CONFIG_HOME", profile)
    .env("XDG_CACHE_HOME", profile)
    .stdin(Stdio::null());
    // A browser on a busy machine takes its time: twice what a call of apicli may.
    let output =
        output_within(no_proxy(&mut cmd), LIMIT * 2).unwrap_or_else(|why| panic!("chromium {why}"));
    assert!(
        output.status.success(),
        "chromium {args:?}: {:?}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn chromium_shows_the_charts() {
    let Some(chromium) = chromium("the page in chromium") else {
        return;
    };
    let server = Server::start(&["-q"]);
    let dir = tempfile::tempdir().unwrap();
    let (_, html) = bench_page(&server, dir.path(), &["--interval", "200ms"]);
    let page = dir.path().join("report.html");
    let profile = tempfile::tempdir().unwrap();

    let dom = chromium_on(chromium, profile.path(), &page, &["--dump-dom"]);
    let dom = String::from_utf8_lossy(&dom);
    // The browser read the whole page: every chart and table, as written.
    assert_eq!(dom.matches("<svg ").count(), 3, "{dom}");
    for title in RUN_CHARTS {
        assert!(
            dom.contains(&format!("-title\">{title}</title>")),
            "{title}: {dom}"
        );
    }
    assert_eq!(
        dom.matches("<polyline").count(),
        html.matches("<polyline").count()
    );
    assert!(dom.contains("<caption>Summary</caption>"));

    let shot = dir.path().join("page.png");
    chromium_on(
        chromium,
        profile.path(),
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,2000",
        ],
    );
    let png = Png::read(&shot);
    assert_eq!((png.width, png.height), (1200, 2000));
    let colours = png.colours();
    assert!(colours.len() > 1, "one colour only: {colours:?}");
    // The histogram's bars are drawn in their colour.
    assert!(
        colours.iter().any(|c| near(*c, [0x31, 0x82, 0xce])),
        "no bar colour among {} colours",
        colours.len()
    );
}

fn near(colour: [u8; 3], want: [u8; 3]) -> bool {
    colour.iter().zip(want).all(|(c, w)| c.abs_diff(w) <= 4)
}

/// A PNG of 8-bit RGB or RGBA pixels, as chromium writes its screenshots: enough of the format
/// to read its size and its pixels.
struct Png {
    width: u32,
    height: u32,
    /// Bytes a pixel: 3 (RGB) or 4 (RGBA).
    depth: usize,
    /// The rows, unfiltered, one after the other.
    pixels: Vec<u8>,
}

impl Png {
    fn read(path: &Path) -> Png {
        let bytes = fs::read(path).expect("the screenshot is written");
        assert!(bytes.len() > 8, "an empty screenshot");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
        let mut at = 8;
        let (mut width, mut height, mut depth) = (0, 0, 0);
        let mut data = Vec::new();
        while at + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let kind = &bytes[at + 4..at + 8];
            let body = &bytes[at + 8..at + 8 + len];
            match kind {
                b"IHDR" => {
                    width = u32::from_be_bytes(body[0..4].try_into().unwrap());
                    height = u32::from_be_bytes(body[4..8].try_into().unwrap());
                    assert_eq!(body[8], 8, "8 bits a channel");
                    assert_eq!(body[12], 0, "not interlaced");
                    depth = match body[9] {
                        2 => 3,
                        6 => 4,
                        other => panic!("colour type {other}"),
                    };
                }
                b"IDAT" => data.extend_from_slice(body),
                b"IEND" => break,
                _ => {}
            }
            at += 12 + len;
        }
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&data[..])
            .read_to_end(&mut raw)
            .expect("the pixels inflate");
        let pixels = unfilter(&raw, width as usize * depth, height as usize, depth);
        Png {
            width,
            height,
            depth,
            pixels,
        }
    }

    /// The picture's colours, without alpha.
    fn colours(&self) -> Vec<[u8; 3]> {
        let mut colours: Vec<[u8; 3]> = self
            .pixels
            .chunks_exact(self.depth)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        colours.sort_unstable();
        colours.dedup();
        colours
    }
}

/// PNG's rows undone of their filters (none, sub, up, average, Paeth).
fn unfilter(raw: &[u8], stride: usize, height: usize, depth: usize) -> Vec<u8> {
    assert_eq!(raw.len(), (stride + 1) * height, "the pixels' length");
    let mut out = vec![0u8; stride * height];
    for row in 0..height {
        let filter = raw[row * (stride + 1)];
        let line = &raw[row * (stride + 1) + 1..(row + 1) * (stride + 1)];
        for i in 0..stride {
            let a = if i >= depth {
                out[row * stride + i - depth]
            } else {
                0
            };
            let b = if row > 0 {
                out[(row - 1) * stride + i]
            } else {
                0
            };
            let c = if row > 0 && i >= depth {
                out[(row - 1) * stride + i - depth]
            } else {
                0
            };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                other => panic!("PNG filter {other}"),
            };
            out[row * stride + i] = line[i].wrapping_add(predicted);
        }
    }
    out
}

#[test]
fn the_png_reader_undoes_every_filter() {
    // Two RGB pixels a row, two rows: filter "sub" then "Paeth".
    let raw = [1, 10, 20, 30, 5, 5, 5, 4, 1, 1, 1, 2, 2, 2];
    let pixels = unfilter(&raw, 6, 2, 3);
    assert_eq!(pixels, [10, 20, 30, 15, 25, 35, 11, 21, 31, 17, 27, 37]);
}
