use super::*;
use crate::bench::report::{ErrorGroup, Part, example};

fn intervals() -> Vec<Interval> {
    (0..5)
        .map(|i| Interval {
            start_us: i * 25_000,
            count: 200,
            rps: 8000.0,
            p50_us: 1_400 + i * 50,
            p99_us: 7_000 + i * 100,
            errors: u64::from(i == 3) * 3,
            target: None,
        })
        .collect()
}

/// A report whose words from the server and the command line would break HTML unescaped.
fn hostile() -> Report {
    let mut report = example();
    report.method = "api.Api/<b>say</b>".into();
    report.errors = vec![ErrorGroup {
        status: "UNAVAILABLE".into(),
        message: "<script>alert('x & \"y\"')</script>".into(),
        count: 3,
    }];
    report
}

#[test]
fn the_page_has_every_chart_and_the_summary() {
    let page = render(&example(), &intervals());
    for title in [
        "<title id=\"latency-over-time-title\">Latency over time: p50 and p99</title>",
        "<title id=\"rate-over-time-title\">Requests and errors over time</title>",
        "<title id=\"latency-histogram-title\">Latency histogram</title>",
        "<caption>Summary</caption>",
        "<caption>Latency</caption>",
        "<caption>Statuses</caption>",
    ] {
        assert!(page.contains(title), "{title} in {page}");
    }
    // The figures of the text table, in its words.
    assert!(page.contains("<th scope=\"row\">p99.99</th><td class=\"num\">11.50ms</td>"));
    assert!(page.contains("<th scope=\"row\">req/s</th><td class=\"num\">8000.0</td>"));
    // Five intervals, a point each on each line.
    assert_eq!(page.matches("<circle").count(), 5 * 4, "{page}");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.ends_with("</html>\n"));
    assert!(!page.contains("<script"));
    assert!(!page.contains("http://") && !page.contains("https://"));
}

#[test]
fn words_from_outside_are_escaped() {
    let page = render(&hostile(), &[]);
    assert!(!page.contains("<script"), "{page}");
    assert!(!page.contains("<b>"), "{page}");
    assert!(page.contains("api.Api/&lt;b&gt;say&lt;/b&gt;"));
    assert!(page.contains("&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"));
}

#[test]
fn a_run_without_intervals_says_so_instead_of_drawing() {
    let page = render(&example(), &[]);
    assert_eq!(
        page.matches("This run has no intervals to draw over time.")
            .count(),
        2
    );
    assert!(!page.contains("latency-over-time"));
    assert!(page.contains("latency-histogram"));
    // Nor a histogram without a call.
    let mut empty = example();
    empty.count = 0;
    empty.histogram.clear();
    let page = render(&empty, &[]);
    assert!(page.contains("No call had a latency to draw."));
    assert!(!page.contains("<svg"));
}

#[test]
fn a_merged_page_draws_each_part_and_says_why_not_over_time() {
    let mut report = example();
    report.parts = (0..3)
        .map(|i| Part {
            source: format!("reports/part-{i}.json"),
            started_at: "2026-12-05T10:00:00.000000Z".into(),
            ended_at: "2026-12-05T10:00:01.000000Z".into(),
            count: 1000 + i,
            errors: i,
            duration_us: 1_000_000,
            rps: 1000.0 + i as f64,
            p50_us: 1_000 * (i + 1),
            p99_us: 5_000 * (i + 1),
            intervals: Vec::new(),
        })
        .collect();
    let page = render(&report, &[]);
    assert!(page.contains("<h1>apicli bench merge: "));
    assert!(page.contains("Each part&#39;s requests per second</title>"));
    assert!(page.contains("Each part&#39;s latency: p50 and p99</title>"));
    assert!(page.contains("their lines over time need the parts' intervals"));
    assert!(page.contains("<caption>Parts</caption>"));
    // A bar per part, two dots per part, each part named on the axis by its file.
    assert_eq!(page.matches("<rect class=\"bar\"").count(), 3 + 1);
    assert_eq!(page.matches("<circle").count(), 6);
    assert!(page.contains(">part-2.json</text>"));
    assert!(!page.contains("latency-over-time"));
}

#[test]
fn a_page_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let page = Page::create(&path).unwrap();
    // Nothing under the name until the page is complete.
    assert!(!path.exists());
    page.write(&example(), &intervals()).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("Latency histogram"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A page dropped unwritten leaves nothing behind.
    drop(Page::create(&dir.path().join("other.html")).unwrap());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // A directory, or a file in a missing one: refused, in one line.
    let refused = |path: &Path| Page::create(path).err().unwrap().0;
    assert!(refused(dir.path()).ends_with("': is a directory"));
    let missing = refused(&dir.path().join("missing/report.html"));
    assert!(missing.starts_with("cannot write --html '"), "{missing}");
    assert!(!missing.contains('\n'));
}
