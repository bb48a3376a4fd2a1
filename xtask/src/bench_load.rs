//! `cargo xtask bench --load`: requests per second of the generated Orchestrator server (the
//! example backend, request validation on) against a hand-written axum server over the same
//! store, on loopback, release build (`examples/load-bench`).
//!
//! Both servers run at once, each in its own process; endpoints are driven one at a time,
//! generated then hand-written, by a separate driver process with a fixed number of keep-alive
//! connections, a warm-up, and a bound in time and in requests.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The endpoints driven, by the names `load-bench drive --endpoint` takes.
pub const ENDPOINTS: [&str; 3] = ["statuses", "instance", "overview"];

/// The two servers, by the names `load-bench serve --kind` takes.
const KINDS: [&str; 2] = ["generated", "handwritten"];

/// How hard and how long each endpoint is driven.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadOptions {
    pub seconds: f64,
    pub warmup_seconds: f64,
    pub concurrency: usize,
    pub max_requests: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { seconds: 10.0, warmup_seconds: 2.0, concurrency: 32, max_requests: 5_000_000 }
    }
}

/// One driver line: `key=value` fields separated by spaces.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measurement {
    pub endpoint: String,
    pub route: String,
    pub requests: u64,
    pub errors: u64,
    pub rps: f64,
    pub p50_us: u64,
    pub p99_us: u64,
    pub body_bytes: u64,
}

pub fn parse_measurement(line: &str) -> Result<Measurement, String> {
    let fields: BTreeMap<&str, &str> = line.split_whitespace().filter_map(|pair| pair.split_once('=')).collect();
    let text = |key: &str| fields.get(key).copied().ok_or_else(|| format!("the driver's line has no `{key}`: {line}"));
    let number = |key: &str| -> Result<u64, String> { text(key)?.parse().map_err(|_| format!("`{key}` is not a number in: {line}")) };
    Ok(Measurement {
        endpoint: text("endpoint")?.to_string(),
        route: text("route")?.replacen(':', " ", 1),
        requests: number("requests")?,
        errors: number("errors")?,
        rps: text("rps")?.parse().map_err(|_| format!("`rps` is not a number in: {line}"))?,
        p50_us: number("p50_us")?,
        p99_us: number("p99_us")?,
        body_bytes: number("body_bytes")?,
    })
}

/// generated / hand-written, when the hand-written server answered at all.
pub fn ratio(generated: &Measurement, handwritten: &Measurement) -> Option<f64> {
    (handwritten.rps > 0.0).then(|| generated.rps / handwritten.rps)
}

/// One row per endpoint: (generated, hand-written).
pub fn render(pairs: &[(Measurement, Measurement)], options: &LoadOptions) -> String {
    let mut table = format!(
        "{:<40} {:>10} {:>10} {:>7} {:>15} {:>15} {:>7}\n",
        "endpoint", "gen req/s", "hand req/s", "ratio", "p50 µs gen/hand", "p99 µs gen/hand", "errors"
    );
    let mut notes = Vec::new();
    for (generated, handwritten) in pairs {
        let shown_ratio = ratio(generated, handwritten).map_or_else(|| "-".to_string(), |ratio| format!("{ratio:.2}"));
        let _ = writeln!(
            table,
            "{:<40} {:>10.0} {:>10.0} {:>7} {:>15} {:>15} {:>7}",
            generated.route,
            generated.rps,
            handwritten.rps,
            shown_ratio,
            format!("{}/{}", generated.p50_us, handwritten.p50_us),
            format!("{}/{}", generated.p99_us, handwritten.p99_us),
            generated.errors + handwritten.errors,
        );
        if generated.body_bytes != handwritten.body_bytes {
            notes.push(format!(
                "note: {}: the servers' answers differ in length ({} vs {} bytes)",
                generated.endpoint, generated.body_bytes, handwritten.body_bytes
            ));
        }
    }
    let _ = writeln!(
        table,
        "\n{} keep-alive connections, {:.0} s warm-up then {:.0} s (at most {} requests) per endpoint and server; ratio = generated / hand-written",
        options.concurrency, options.warmup_seconds, options.seconds, options.max_requests
    );
    for note in notes {
        let _ = writeln!(table, "{note}");
    }
    table
}

/// A server process that is killed when dropped, so an error on the way cannot leave it running.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(binary: &Path, kind: &str) -> Result<Server, String> {
    let child = Command::new(binary)
        .args(["serve", "--kind", kind, "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    let mut server = Server { child, address: String::new() };
    let stdout = server.child.stdout.take().ok_or("the server's output is not readable")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).map_err(|error| format!("reading the {kind} server's address: {error}"))?;
    server.address = line.trim().strip_prefix("listening=").ok_or_else(|| format!("the {kind} server did not start: {line:?}"))?.to_string();
    Ok(server)
}

fn drive(binary: &Path, server: &Server, endpoint: &str, options: &LoadOptions) -> Result<Measurement, String> {
    let output = Command::new(binary)
        .args(["drive", "--target", &server.address, "--endpoint", endpoint])
        .args(["--concurrency", &options.concurrency.to_string(), "--seconds", &options.seconds.to_string()])
        .args(["--warmup-seconds", &options.warmup_seconds.to_string(), "--max-requests", &options.max_requests.to_string()])
        .output()
        .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    if !output.status.success() {
        return Err(format!("driving {endpoint}: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    parse_measurement(String::from_utf8_lossy(&output.stdout).trim())
}

pub fn bench_load(root: &Path, options: &LoadOptions) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "-p", "load-bench"])
        .current_dir(root)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err("the release build of load-bench failed".into());
    }
    let binary = crate::bench_peers::release_binary(root, "load-bench");
    let generated = start_server(&binary, KINDS[0])?;
    let handwritten = start_server(&binary, KINDS[1])?;
    let mut pairs = Vec::new();
    for endpoint in ENDPOINTS {
        let ours = drive(&binary, &generated, endpoint, options)?;
        let theirs = drive(&binary, &handwritten, endpoint, options)?;
        eprintln!("{endpoint}: {:.0} / {:.0} req/s", ours.rps, theirs.rps);
        pairs.push((ours, theirs));
    }
    Ok(render(&pairs, options))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str =
        "endpoint=overview route=POST:/v2/workflows/overview requests=22713 errors=0 seconds=2.007 rps=11314 p50_us=1493 p99_us=13347 body_bytes=376";

    #[test]
    fn reads_the_driver_line() {
        let measurement = parse_measurement(LINE).expect("parses");
        assert_eq!(measurement.endpoint, "overview");
        assert_eq!(measurement.route, "POST /v2/workflows/overview");
        assert_eq!((measurement.requests, measurement.errors, measurement.p50_us, measurement.body_bytes), (22713, 0, 1493, 376));
        assert_eq!(measurement.rps, 11314.0);
        let missing = parse_measurement("endpoint=x route=GET:/ requests=1").unwrap_err();
        assert!(missing.contains("no `errors`"), "{missing}");
        assert!(parse_measurement(&LINE.replace("errors=0", "errors=lots")).unwrap_err().contains("`errors` is not a number"));
    }

    #[test]
    fn the_table_shows_generated_over_handwritten() {
        let generated = parse_measurement(LINE).expect("parses");
        let handwritten = Measurement { rps: 15085.0, body_bytes: 370, errors: 2, ..generated.clone() };
        assert_eq!(ratio(&generated, &Measurement::default()), None);
        assert!((ratio(&generated, &handwritten).expect("ratio") - 0.75).abs() < 1e-3);
        let table = render(&[(generated, handwritten)], &LoadOptions::default());
        let row = table.lines().nth(1).expect("a row");
        assert!(row.starts_with("POST /v2/workflows/overview"), "{table}");
        assert!(row.contains(" 11314 ") && row.contains(" 15085 ") && row.contains(" 0.75 ") && row.ends_with(" 2"), "{table}");
        assert!(table.contains("32 keep-alive connections, 2 s warm-up then 10 s"), "{table}");
        assert!(table.contains("note: overview: the servers' answers differ in length (376 vs 370 bytes)"), "{table}");
    }
}
