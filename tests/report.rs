//! `voces report` and `voces demo` end to end: the demo runs the whole
//! method and writes the report; the report's numbers are those of
//! `voces themes`; it is self-contained, accessible and deterministic; its
//! options work; text from transcripts, attribute sheets and codebooks
//! cannot become markup, checked on the HTML and in headless Chromium (those
//! checks skip with a notice when Chromium is absent).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{TestProject, repo, stderr};

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The escaping the report promises, for building expected fragments.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The text between the first `start` and the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len();
    let to = text[from..].find(end).unwrap_or_else(|| panic!("no {end}")) + from;
    &text[from..to]
}

/// Nothing to fetch, nothing to run: no scripts, links, images, frames or
/// URLs; links only to anchors of the page; a policy that forbids the rest.
fn assert_self_contained(html: &str) {
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "<base",
        "src=\"",
        "http:",
        "https:",
        "url(",
        "@import",
        "@font-face",
        "javascript:",
    ] {
        assert!(!lower.contains(bad), "the report contains `{bad}`");
    }
    for href in lower.split("href=\"").skip(1) {
        assert!(
            href.starts_with('#'),
            "a link leaves the page: {}",
            &href[..40.min(href.len())]
        );
    }
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    ));
}

/// Every chart is an image with a title and a description it is labelled
/// by; returns how many there are.
fn assert_charts_labelled(html: &str) -> usize {
    let charts: Vec<&str> = html.split("<svg ").skip(1).collect();
    for chart in &charts {
        let open = &chart[..chart.find('>').unwrap()];
        assert!(open.contains("role=\"img\""), "{open}");
        let ids = between(open, "aria-labelledby=\"", "\"");
        let (t, d) = ids.split_once(' ').unwrap();
        assert!(chart.contains(&format!("<title id=\"{t}\">")), "{open}");
        assert!(chart.contains(&format!("<desc id=\"{d}\">")), "{open}");
    }
    charts.len()
}

/// The excerpts of each theme's section, by theme id.
fn excerpts_by_theme(html: &str) -> BTreeMap<String, Vec<String>> {
    html.split("<article class=\"theme\"")
        .skip(1)
        .map(|article| {
            let id = between(article, "<p class=\"facts\"><code>", "</code>").to_owned();
            let quotes = article
                .split("<li><blockquote")
                .skip(1)
                .map(|q| q[..q.find("</li>").unwrap()].to_owned())
                .collect();
            (id, quotes)
        })
        .collect()
}

fn run_demo(dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_voces"))
        .args(["demo", "--dir"])
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn demo_runs_the_method_and_its_report_counts_like_voces_themes() {
    let p = TestProject {
        dir: tempfile::tempdir().unwrap(),
    };
    let out = run_demo(p.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Ingest, list and the searches, as before.
    assert!(stdout.contains("smo01-migrant-colombia-es"), "{stdout}");
    assert!(err.contains("== voces search 'coyote OR pollero"), "{err}");
    assert!(
        err.contains("== voces search 'cita OR appointment'"),
        "{err}"
    );
    // The study codebook is the project's, so `voces code` works there.
    assert!(err.contains("== voces code"), "{err}");
    let codings = read(&p.path().join(".voces/codings/auto.jsonl"));
    assert!(lines(&codings).len() > 100);
    p.ok(&["code", "-q"]);
    assert_eq!(codings, read(&p.path().join(".voces/codings/auto.jsonl")));
    // The theme × group table is `voces themes --by group`'s.
    assert!(err.contains("== voces themes --by group"), "{err}");
    let table = p.ok(&["themes", "--by", "group"]);
    assert!(
        table.contains("migrant") && table.contains("smuggling"),
        "{table}"
    );
    assert!(
        stdout.contains(&table),
        "demo stdout lacks the themes table:\n{stdout}"
    );
    // The report, and where it is.
    let path = std::fs::canonicalize(p.path()).unwrap().join("report.html");
    assert!(err.contains(&format!("wrote {}", path.display())), "{err}");
    let html = read(&path);
    assert_self_contained(&html);
    // Three overview charts (group, country, language), themes, one per
    // attribute (group, country), co-occurrence.
    assert_eq!(assert_charts_labelled(&html), 7);
    assert!(html.contains("Themes by group") && html.contains("Themes by country"));
    // Colours are the codebook's.
    assert!(html.contains("--c:#d62728"), "exclusion's colour");
    assert!(html.contains("fill=\"#8c564b\""), "smuggling's colour");

    // Deterministic: `voces report` gives the same bytes, and so does
    // running the demo again in the same folder.
    let title = between(&html, "<title>", "</title>").to_owned();
    assert!(!title.contains('&'), "{title}");
    p.ok(&["report", "-q", "-o", "again.html", "--title", &title]);
    assert_eq!(html, read(&p.path().join("again.html")));
    let out = run_demo(p.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(html, read(&path), "a second demo run changed the report");

    // Numbers: per theme, segments and interviews as `voces themes`.
    let segments = lines(&p.ok(&["themes", "--by", "group", "--json"]));
    let interviews = lines(&p.ok(&["themes", "--by", "group", "--unit", "interview", "--json"]));
    let themes: Vec<(&Value, &Value)> = segments
        .iter()
        .zip(&interviews)
        .filter(|(s, _)| s["row"] == "code" && s["depth"] == 0)
        .collect();
    assert_eq!(themes.len(), 12);
    let per_group = interviews[0]["by"].as_object().unwrap();
    for (s, i) in &themes {
        assert_eq!(s["code"], i["code"]);
        let id = s["code"].as_str().unwrap();
        let label = esc(s["label"].as_str().unwrap());
        let row = format!(
            "<td><code>{id}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            s["total"], i["total"]
        );
        assert!(html.contains(&row), "theme table row of {id}: {row}");
        // Themes by group: interviews/of and segments per value.
        let mut row = format!("<tr><th scope=\"row\">{label}</th>");
        for (group, n) in per_group {
            let (i, s) = (&i["by"][group], &s["by"][group]);
            write!(row, "<td class=\"n\">{i}/{n} interviews, {s} segments</td>").unwrap();
        }
        row.push_str("</tr>");
        assert!(html.contains(&row), "by-group row of {id}: {row}");
    }
    // Co-occurrence: the matrix of `voces themes --cooccur`.
    let pairs = lines(&p.ok(&["themes", "--cooccur", "--json"]));
    for (s, _) in &themes {
        let a = &s["code"];
        let label = esc(s["label"].as_str().unwrap());
        let mut row = format!("<tr><th scope=\"row\">{label}</th>");
        for (b, _) in &themes {
            let pair = pairs.iter().find(|x| x["a"] == *a && x["b"] == b["code"]);
            write!(row, "<td class=\"n\">{}</td>", pair.unwrap()["count"]).unwrap();
        }
        row.push_str("</tr>");
        assert!(html.contains(&row), "co-occurrence row of {a}: {row}");
    }
    // Excerpts: up to five per theme, with their rule and matched words.
    let rules: Vec<String> = lines(&codings)
        .iter()
        .map(|c| c["rule"].as_str().unwrap().to_owned())
        .collect();
    let excerpts = excerpts_by_theme(&html);
    assert_eq!(excerpts.len(), 12);
    for (theme, quotes) in &excerpts {
        assert!(
            (1..=5).contains(&quotes.len()),
            "{theme}: {} excerpts",
            quotes.len()
        );
        for q in quotes {
            assert!(q.contains("<mark>"), "{theme}: no highlighted words in {q}");
            let coded_by = q.split_once("<br>").unwrap().1;
            assert!(coded_by.starts_with("rule"), "{q}");
            let rule = between(coded_by, "<code>", "</code>");
            assert!(
                rules.iter().any(|r| r == rule),
                "{theme}: unknown rule {rule} in {q}"
            );
            assert!(
                q.contains(" (participant)") || q.contains(" (other)"),
                "{q}"
            );
            assert!(q.contains("group: "), "{q}");
        }
    }

    // Options: fewer excerpts, other and crossed attributes.
    p.ok(&[
        "report",
        "-q",
        "-o",
        "two.html",
        "--excerpts",
        "2",
        "--by",
        "country,group",
        "--by",
        "gender",
    ]);
    let two = read(&p.path().join("two.html"));
    assert!(two.contains("Themes by country × group") && two.contains("Themes by gender"));
    assert!(
        !two.contains("Themes by country<"),
        "only the asked attributes"
    );
    // Overview: country, group, gender, language; themes; two tables;
    // co-occurrence.
    assert_eq!(assert_charts_labelled(&two), 8);
    for (theme, quotes) in excerpts_by_theme(&two) {
        assert!((1..=2).contains(&quotes.len()), "{theme}");
    }
    // A manual coder's report: that coder's interviews and codings.
    p.ok(&[
        "code",
        "add",
        "-q",
        "smo01-migrant-colombia-es#13",
        "smuggling",
        "--coder",
        "ana",
    ]);
    p.ok(&["report", "-q", "-o", "ana.html", "--coder", "ana"]);
    let ana = read(&p.path().join("ana.html"));
    assert!(ana.contains("1 interview coded by ana"), "{ana}");
    assert!(ana.contains("<br>coded by ana · code <code>smuggling</code>"));
    assert_eq!(excerpts_by_theme(&ana)["smuggling"].len(), 1);
    p.ok(&["report", "-q", "-o", "none.html", "--excerpts", "0"]);
    assert!(!read(&p.path().join("none.html")).contains("<blockquote"));
    let out = p.run(&["report", "--by", "nationality_typo"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown attribute `nationality_typo`; attributes are: "),
        "{}",
        stderr(&out)
    );

    if let Some(chromium) = chromium("the demo report in Chromium") {
        let (dom, console) = render(&chromium, &path);
        assert!(
            console.is_empty(),
            "console messages:\n{}",
            console.join("\n")
        );
        assert_eq!(dom.matches("<svg ").count(), 7, "charts in the DOM");
        assert_eq!(
            dom.matches("<mark>").count(),
            html.matches("<mark>").count()
        );
    }
}

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/report/hostile").join(name)
}

#[test]
fn hostile_text_stays_text() {
    let p = TestProject::new();
    let vtt = fixture("cruce-01.vtt");
    let sheet = fixture("participants.csv");
    let book = fixture("book.toml");
    p.ok(&[
        "ingest",
        "-q",
        vtt.to_str().unwrap(),
        "--metadata",
        sheet.to_str().unwrap(),
    ]);
    let out = p.run(&["report", "--codebook", book.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no auto-codings yet"),
        "{}",
        stderr(&out)
    );
    p.ok(&["code", "-q", "--codebook", book.to_str().unwrap()]);
    let title = "<script>alert(1)</script>";
    let out = p.run(&[
        "report",
        "--codebook",
        book.to_str().unwrap(),
        "--title",
        title,
        "--by",
        "group,country",
        // The hostile text must reach the page as written, to be escaped
        // there (pseudonyms would replace some of it).
        "--no-redact",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Without -o: report.html in the project folder.
    let path = std::fs::canonicalize(p.path()).unwrap().join("report.html");
    assert!(stderr(&out).contains(&format!("wrote {}", path.display())));
    let html = read(&path);
    assert_self_contained(&html);
    for raw in [
        "<svg onload",
        "<b onmouseover",
        "onerror=\"",
        "\"><img",
        "\"><script",
        "'><svg",
    ] {
        assert!(!html.contains(raw), "unescaped `{raw}`");
    }
    // Every hostile text is there, as text.
    let pwn = |what: &str| {
        format!("<img src=x onerror=\"document.body.setAttribute('data-pwned','{what}')\">")
    };
    let speaker = format!("{}Ana \"><script>alert(1)</script>", pwn("speaker"));
    let label = format!("<script>alert(1)</script>\">{}Smuggling", pwn("label"));
    for (what, text) in [
        ("title", format!("<h1>{}</h1>", esc(title))),
        (
            "speaker",
            format!("<span class=\"who\">{}</span>", esc(&speaker)),
        ),
        (
            "quote",
            format!(
                "<mark>coyote</mark> {} and then {} the <mark>coyote</mark>",
                esc("<script>alert(1)</script>"),
                esc(&format!("\">{}", pwn("quote")))
            ),
        ),
        ("group", esc(&format!("group: \">{}", pwn("group")))),
        ("country", esc("country: <script>alert(1)</script>")),
        (
            "attribute name",
            esc(
                "<b onmouseover=\"document.body.setAttribute('data-pwned','name')\">note</b>: '><svg onload=alert(1)>",
            ),
        ),
        ("code label", esc(&label)),
        (
            "definition",
            esc("Paying <b>smugglers</b> & \"guides\" <img src=x onerror=alert(1)>"),
        ),
        (
            "codebook",
            format!("<b>{}</b>", esc("<script>alert(1)</script> book")),
        ),
    ] {
        assert!(
            html.contains(&text),
            "{what} not escaped as expected: {text}"
        );
    }
    // In the charts too (SVG text and tooltips).
    assert!(html.contains(&format!("<title>{}</title>", esc(&label))));

    if let Some(chromium) = chromium("the hostile report in Chromium") {
        let (dom, console) = render(&chromium, &path);
        assert!(
            console.is_empty(),
            "console messages:\n{}",
            console.join("\n")
        );
        for element in ["<script", "<img", "<b on", "<svg on"] {
            assert!(!dom.contains(element), "the page has a `{element}` element");
        }
        assert!(!dom.contains("data-pwned="), "injected code ran");
        assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert_eq!(dom.matches("<svg ").count(), 6);
    }
}

/// Headless Chromium, or `None` with a printed notice. The first call
/// checks that Chromium reports console messages where [`render`] looks
/// for them, on a page that breaks its own content policy: without that,
/// an empty list of console messages would prove nothing.
fn chromium(test: &str) -> Option<PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    let found = FOUND.get_or_init(|| {
        let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())?;
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("canary.html");
        std::fs::write(
            &page,
            "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" \
             content=\"default-src 'none'\"><title>canary</title></head><body><img src=\"x.png\"></body></html>",
        )
        .unwrap();
        let (dom, console) = render(&path, &page);
        assert!(dom.contains("canary"), "chromium did not render a page: {dom}");
        assert!(
            !console.is_empty(),
            "chromium reports no console messages on stderr: the console checks would be blind"
        );
        Some(path)
    });
    if found.is_none() {
        println!("skipping {test}: chromium is not installed (apt-get install chromium)");
    }
    found.clone()
}

/// Opens `page` in headless Chromium: the DOM after loading, and the console
/// messages (errors, CSP violations, failed loads) it logged.
fn render(chromium: &Path, page: &Path) -> (String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("dom.html");
    let err_path = dir.path().join("stderr.txt");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 120 s:\n{}", read(&err_path));
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let log = read(&err_path);
    assert!(status.success(), "chromium failed ({status}):\n{log}");
    let console = log
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    (read(&out_path), console)
}
