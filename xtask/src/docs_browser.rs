//! `cargo xtask docs-browser-test`: loads the generated `docs/index.html` in headless Chromium
//! and checks the DOM the browser built, not only the text the generator wrote, so that markup
//! the browser repairs or drops (an unclosed tag swallowing a section, an id lost in a bad
//! attribute) is caught too.
//!
//! The expected anchors come from lowering the document again, not from the page itself, so a
//! page that silently leaves out an operation or a model fails. [`check_dom`] has no browser
//! dependency, which lets `cargo test` run the same checks on the generated text.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use oas_codegen::emit::docs::{model_anchor, model_slugs, operation_anchor, operation_slugs};
use oas_codegen::load;

pub const DEFAULT_BROWSER: &str = "/usr/bin/chromium";

/// A browser that has not answered by then is stuck (a first-run dialog, a missing display);
/// waiting longer only hides that.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(90);

pub struct Options {
    pub html: PathBuf,
    pub spec: PathBuf,
    pub browser: PathBuf,
    pub screenshot: PathBuf,
}

/// The anchors a page for this document must have, in document order.
pub struct Expected {
    pub operations: Vec<(String, String)>,
    pub models: Vec<(String, String)>,
}

/// Lowers the document the way generation does and names the anchor of every operation and model.
pub fn expected_anchors(spec: &Path) -> Result<Expected, String> {
    let document = load::load_file(spec).map_err(|error| format!("{}: {error}", spec.display()))?;
    let (model, _) = oas_codegen::lower_document(&document, &oas_codegen::Options::default());
    let operations = model
        .operations
        .iter()
        .zip(operation_slugs(&model.operations))
        .map(|(operation, slug)| (operation.id.clone(), operation_anchor(&slug)))
        .collect();
    let models =
        model.space.types.iter().zip(model_slugs(&model.space)).map(|(definition, slug)| (definition.name.clone(), model_anchor(&slug))).collect();
    Ok(Expected { operations, models })
}

/// What the run found: the failures (empty when all is well) and some counts for the summary.
pub struct Report {
    pub failures: Vec<String>,
    pub ids: usize,
    pub internal_links: usize,
    pub screenshot: Option<PathBuf>,
}

pub fn run(options: &Options) -> Result<Report, String> {
    if !options.browser.is_file() {
        return Err(format!(
            "error: no browser at {}; install Chromium (Debian/Ubuntu: `apt-get install chromium`) or pass `--browser PATH`",
            options.browser.display()
        ));
    }
    let html = fs::canonicalize(&options.html).map_err(|error| format!("error: cannot open {}: {error}", options.html.display()))?;
    let expected = expected_anchors(&options.spec)?;
    let url = file_url(&html);

    let dom = run_browser(&options.browser, &["--dump-dom".to_string(), url.clone()])?;
    if dom.trim().is_empty() {
        return Err(format!("error: {} printed no DOM for {url}", options.browser.display()));
    }
    let scan = scan_html(&dom);
    let failures = check_scan(&scan, &expected);

    if let Some(parent) = options.screenshot.parent() {
        fs::create_dir_all(parent).map_err(|error| format!("error: cannot create {}: {error}", parent.display()))?;
    }
    // Chromium writes the screenshot relative to its own working directory unless told a full path.
    let screenshot = std::path::absolute(&options.screenshot).map_err(|error| format!("error: {}: {error}", options.screenshot.display()))?;
    let _ = fs::remove_file(&screenshot);
    run_browser(&options.browser, &[format!("--screenshot={}", screenshot.display()), "--window-size=1280,2000".to_string(), url])?;
    let screenshot = screenshot.is_file().then_some(screenshot);
    let mut failures = failures;
    if screenshot.is_none() {
        failures.push(format!("the browser wrote no screenshot to {}", options.screenshot.display()));
    }
    Ok(Report { failures, ids: scan.ids.len(), internal_links: scan.internal_links.len(), screenshot })
}

/// `file://` URL of an absolute path, percent-encoding what a URL path may not hold.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// Runs the browser headless with a profile of its own, so nothing from (or to) the user's
/// profile or the network takes part, and returns what it printed.
fn run_browser(browser: &Path, extra: &[String]) -> Result<String, String> {
    let profile = TempDir::new()?;
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ]);
    command.arg(format!("--user-data-dir={}", profile.0.display()));
    command.args(extra);
    command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|error| format!("error: cannot start {}: {error}", browser.display()))?;

    // Read both pipes on threads, so a chatty stderr cannot block the browser while we wait.
    let mut stdout = child.stdout.take().ok_or("error: the browser's output was not captured")?;
    let mut stderr = child.stderr.take().ok_or("error: the browser's errors were not captured")?;
    let out_thread = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err_thread = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > BROWSER_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("error: {} did not finish within {} s", browser.display(), BROWSER_TIMEOUT.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(error) => return Err(format!("error: waiting for {}: {error}", browser.display())),
        }
    };
    let out = out_thread.join().unwrap_or_default();
    let err = err_thread.join().unwrap_or_default();
    if !status.success() {
        return Err(format!("error: {} failed ({status}):\n{err}", browser.display()));
    }
    Ok(out)
}

/// A fresh folder for the browser profile, removed afterwards.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, String> {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|elapsed| elapsed.as_nanos()).unwrap_or_default();
        let path = std::env::temp_dir().join(format!("xtask-docs-browser-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&path).map_err(|error| format!("error: cannot create {}: {error}", path.display()))?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// What a page holds, as far as the checks care.
#[derive(Debug, Default)]
pub struct Scan {
    pub ids: Vec<String>,
    /// `href="#x"` targets, without the `#`.
    pub internal_links: Vec<String>,
    /// Everything that is wrong whatever the document: scripts, remote resources, handlers.
    pub problems: Vec<String>,
}

/// Tags that run code or pull in something from elsewhere; a self-contained page has none.
const FORBIDDEN_TAGS: &[&str] =
    &["script", "iframe", "frame", "object", "embed", "img", "link", "base", "form", "audio", "video", "source", "svg", "math"];

/// Reads the tags of an HTML text (as written by the generator or serialized by a browser; in
/// both, `<` outside tags, comments and raw-text elements is always escaped), collecting ids,
/// internal links and anything forbidden.
pub fn scan_html(html: &str) -> Scan {
    let mut scan = Scan::default();
    let mut index = 0;
    while let Some(offset) = html[index..].find('<') {
        let start = index + offset;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            index = rest.find("-->").map(|end| start + end + 3).unwrap_or(html.len());
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("</") || rest.starts_with("<?") {
            index = rest.find('>').map(|end| start + end + 1).unwrap_or(html.len());
            continue;
        }
        let (name, attributes, end) = read_tag(html, start + 1);
        index = end;
        if name.is_empty() {
            continue;
        }
        if FORBIDDEN_TAGS.contains(&name.as_str()) {
            scan.problems.push(format!("a <{name}> element"));
        }
        for (attribute, value) in attributes {
            match attribute.as_str() {
                "id" => scan.ids.push(value),
                "href" => match value.strip_prefix('#') {
                    Some(target) => scan.internal_links.push(target.to_string()),
                    None => scan.problems.push(format!("a link leaving the page: href=\"{value}\"")),
                },
                "src" | "srcset" | "action" | "formaction" | "poster" | "data" | "background" => {
                    scan.problems.push(format!("a resource attribute: {attribute}=\"{value}\""))
                }
                "style" if value.contains("url(") => scan.problems.push(format!("a style attribute that loads a resource: {value}")),
                attribute if attribute.starts_with("on") => scan.problems.push(format!("an event handler attribute: {attribute}")),
                _ => {}
            }
        }
        // The contents of raw-text elements are not markup; skip to their end tag.
        if name == "style" || name == "script" || name == "textarea" || name == "title" {
            let close = format!("</{name}");
            let body_end = html[index..].to_ascii_lowercase().find(&close).map(|found| index + found).unwrap_or(html.len());
            let body = &html[index..body_end];
            if name == "style" && (body.contains("url(") || body.contains("@import")) {
                scan.problems.push("a style sheet that loads a resource (url( or @import)".into());
            }
            index = body_end;
        }
    }
    scan
}

/// Reads a start tag from just after its `<`: the lowercase name, the attributes (values with
/// the entities a serializer writes decoded) and where the tag ends.
fn read_tag(html: &str, from: usize) -> (String, Vec<(String, String)>, usize) {
    let mut chars = html[from..].char_indices().map(|(offset, c)| (from + offset, c)).peekable();
    let mut name = String::new();
    while let Some(&(_, c)) = chars.peek() {
        if !(c.is_ascii_alphanumeric() || c == '-') {
            break;
        }
        name.push(c.to_ascii_lowercase());
        chars.next();
    }
    let mut attributes = Vec::new();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace() || *c == '/').is_some() {}
        let Some(&(offset, c)) = chars.peek() else { return (name, attributes, html.len()) };
        if c == '>' {
            return (name, attributes, offset + 1);
        }
        let mut attribute = String::new();
        while let Some((_, c)) = chars.next_if(|(_, c)| !(c.is_whitespace() || *c == '=' || *c == '>' || *c == '/')) {
            attribute.push(c.to_ascii_lowercase());
        }
        if attribute.is_empty() {
            // A stray `=`; step over it rather than loop forever.
            chars.next();
            continue;
        }
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if(|(_, c)| *c == '=').is_some() {
            while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
            match chars.next_if(|(_, c)| *c == '"' || *c == '\'') {
                Some((_, quote)) => {
                    for (_, c) in chars.by_ref() {
                        if c == quote {
                            break;
                        }
                        value.push(c);
                    }
                }
                None => {
                    while let Some((_, c)) = chars.next_if(|(_, c)| !(c.is_whitespace() || *c == '>')) {
                        value.push(c);
                    }
                }
            }
        }
        attributes.push((attribute, decode_entities(&value)));
    }
}

fn decode_entities(value: &str) -> String {
    value.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Every check on a scanned page, one message per failure.
pub fn check_scan(scan: &Scan, expected: &Expected) -> Vec<String> {
    let mut failures = Vec::new();
    let ids: std::collections::HashSet<&str> = scan.ids.iter().map(String::as_str).collect();
    for (id, anchor) in &expected.operations {
        if !ids.contains(anchor.as_str()) {
            failures.push(format!("operation `{id}` has no anchor `#{anchor}`"));
        }
    }
    for (name, anchor) in &expected.models {
        if !ids.contains(anchor.as_str()) {
            failures.push(format!("model `{name}` has no anchor `#{anchor}`"));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for id in &scan.ids {
        if !seen.insert(id.as_str()) {
            failures.push(format!("the id `{id}` is used more than once"));
        }
    }
    let mut reported = std::collections::HashSet::new();
    for target in &scan.internal_links {
        if !ids.contains(target.as_str()) && reported.insert(target.as_str()) {
            failures.push(format!("the link `#{target}` points to no id on the page"));
        }
    }
    failures.extend(scan.problems.iter().cloned());
    failures
}

/// The checks on an HTML text without a browser (what `cargo test` runs).
pub fn check_dom(html: &str, expected: &Expected) -> Vec<String> {
    check_scan(&scan_html(html), expected)
}
