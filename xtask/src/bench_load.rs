//! `cargo xtask bench --load`: requests per second of the generated Orchestrator server (the
//! example backend, request validation on) against a hand-written axum server over the same
//! store, on loopback, release build (`examples/load-bench`).
//!
//! The servers run at once, each in its own process; endpoints are driven one at a time by a
//! separate driver process with a fixed number of keep-alive connections, a warm-up, and a bound
//! in time and in requests. Each endpoint's time is split into rounds that rotate which server
//! goes first, so that the machine's drift (it changes speed by up to a fifth over minutes) falls
//! on all alike.
//!
//! Two hand-written baselines: one reads bodies with serde alone, as such code usually does; the
//! other also checks them against their schemas with the `jsonschema` crate, as the generated
//! server does. Against the first, the ratio is what the generated server costs with its request
//! validation; against the second, what it costs beyond doing the same work.
//!
//! Sockets and the driver share the two cores with the server, so the load ratio understates the
//! servers' own difference in cost; `load-bench in-process` measures that apart, calling the
//! routers in one process without sockets, and its figures are printed beside.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

/// The endpoints driven, by the names `load-bench drive --endpoint` takes.
pub const ENDPOINTS: [&str; 3] = ["statuses", "instance", "overview"];

/// The servers, by the names `load-bench serve --kind` takes: the generated one first, then
/// the hand-written one and the hand-written one that validates bodies.
const KINDS: [&str; 3] = ["generated", "handwritten", "validating"];

/// How hard and how long each endpoint is driven.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadOptions {
    /// Measured seconds per endpoint and server, split over the rounds.
    pub seconds: f64,
    pub rounds: usize,
    /// Warm-up before each round's measurement.
    pub warmup_seconds: f64,
    pub concurrency: usize,
    /// Per round.
    pub max_requests: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { seconds: 10.0, rounds: 5, warmup_seconds: 0.5, concurrency: 32, max_requests: 5_000_000 }
    }
}

/// One driver line: `key=value` fields separated by spaces.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Measurement {
    pub endpoint: String,
    pub route: String,
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub rps: f64,
    pub p50_us: u64,
    pub p99_us: u64,
    pub body_bytes: u64,
}

/// The `key=value` fields of a line `load-bench` printed.
pub(crate) fn fields(line: &str) -> BTreeMap<&str, &str> {
    line.split_whitespace().filter_map(|pair| pair.split_once('=')).collect()
}

pub fn parse_measurement(line: &str) -> Result<Measurement, String> {
    let fields = fields(line);
    let text = |key: &str| fields.get(key).copied().ok_or_else(|| format!("the driver's line has no `{key}`: {line}"));
    let number = |key: &str| -> Result<u64, String> { text(key)?.parse().map_err(|_| format!("`{key}` is not a number in: {line}")) };
    Ok(Measurement {
        endpoint: text("endpoint")?.to_string(),
        route: text("route")?.replacen(':', " ", 1),
        requests: number("requests")?,
        errors: number("errors")?,
        seconds: text("seconds")?.parse().map_err(|_| format!("`seconds` is not a number in: {line}"))?,
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

/// One endpoint's rounds taken together: requests and seconds summed, so the rate is over the
/// whole time; latencies are the median round's.
pub fn combine(rounds: &[Measurement]) -> Measurement {
    let Some(first) = rounds.first() else { return Measurement::default() };
    let requests = rounds.iter().map(|round| round.requests).sum();
    let seconds: f64 = rounds.iter().map(|round| round.seconds).sum();
    let median = |key: fn(&Measurement) -> u64| {
        let mut values: Vec<u64> = rounds.iter().map(key).collect();
        values.sort_unstable();
        values[values.len() / 2]
    };
    Measurement {
        endpoint: first.endpoint.clone(),
        route: first.route.clone(),
        requests,
        errors: rounds.iter().map(|round| round.errors).sum(),
        seconds,
        rps: if seconds > 0.0 { requests as f64 / seconds } else { 0.0 },
        p50_us: median(|round| round.p50_us),
        p99_us: median(|round| round.p99_us),
        body_bytes: first.body_bytes,
    }
}

/// One endpoint's result: each server over all rounds, and each round's generated /
/// hand-written ratio.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndpointResult {
    pub generated: Measurement,
    pub handwritten: Measurement,
    /// The hand-written server that also validates bodies against their schemas.
    pub validating: Measurement,
    pub round_ratios: Vec<f64>,
    pub in_process: InProcess,
}

/// `load-bench in-process`: nanoseconds per request for each router.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct InProcess {
    pub generated: f64,
    pub handwritten: f64,
    pub validating: f64,
}

impl InProcess {
    /// `baseline` ns / generated ns: the generated router's share of the baseline's speed.
    fn ratio(&self, baseline: f64) -> String {
        if self.generated > 0.0 {
            format!("{:.2}", baseline / self.generated)
        } else {
            "-".to_string()
        }
    }
}

pub fn render(results: &[EndpointResult], options: &LoadOptions) -> String {
    let mut table = format!(
        "{:<40} {:>10} {:>10} {:>6} {:>10} {:>10} {:>6} {:>15} {:>15} {:>7} {:>19} {:>6} {:>6}\n",
        "endpoint",
        "gen req/s",
        "hand req/s",
        "ratio",
        "rounds",
        "h+s req/s",
        "ratio",
        "p50 µs gen/hand",
        "p99 µs gen/hand",
        "errors",
        "in-process ns",
        "ratio",
        "h+s"
    );
    let mut notes = Vec::new();
    for result in results {
        let (generated, handwritten) = (&result.generated, &result.handwritten);
        let shown_ratio = ratio(generated, handwritten).map_or_else(|| "-".to_string(), |ratio| format!("{ratio:.2}"));
        let low = result.round_ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let high = result.round_ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let spread = if result.round_ratios.is_empty() { "-".to_string() } else { format!("{low:.2}–{high:.2}") };
        let validating_ratio = ratio(generated, &result.validating).map_or_else(|| "-".to_string(), |ratio| format!("{ratio:.2}"));
        let in_process = result.in_process;
        let _ = writeln!(
            table,
            "{:<40} {:>10.0} {:>10.0} {:>6} {:>10} {:>10.0} {:>6} {:>15} {:>15} {:>7} {:>19} {:>6} {:>6}",
            generated.route,
            generated.rps,
            handwritten.rps,
            shown_ratio,
            spread,
            result.validating.rps,
            validating_ratio,
            format!("{}/{}", generated.p50_us, handwritten.p50_us),
            format!("{}/{}", generated.p99_us, handwritten.p99_us),
            generated.errors + handwritten.errors + result.validating.errors,
            format!("{:.0}/{:.0}/{:.0}", in_process.generated, in_process.handwritten, in_process.validating),
            in_process.ratio(in_process.handwritten),
            in_process.ratio(in_process.validating),
        );
        let validating = &result.validating;
        if generated.body_bytes != handwritten.body_bytes || generated.body_bytes != validating.body_bytes {
            notes.push(format!(
                "note: {}: the servers' answers differ in length ({} vs {} vs {} bytes)",
                generated.endpoint, generated.body_bytes, handwritten.body_bytes, validating.body_bytes
            ));
        }
    }
    let _ = writeln!(
        table,
        "\n{} keep-alive connections; per endpoint and server {:.0} s in {} rounds (each after {:.1} s of warm-up, at most {} requests), \
         rotating which server goes first; ratio = generated / hand-written req/s over all rounds, rounds = the lowest and highest \
         round's ratio; h+s = the hand-written server also validating bodies against their schemas, and generated / it; in-process = \
         each router called without sockets, ns per request (generated/hand-written/h+s), and hand-written / generated, h+s / generated",
        options.concurrency, options.seconds, options.rounds, options.warmup_seconds, options.max_requests
    );
    for note in notes {
        let _ = writeln!(table, "{note}");
    }
    table
}

/// A server process that is killed when dropped, so an error on the way cannot leave it running.
pub(crate) struct Server {
    child: Child,
    stdout: BufReader<ChildStdout>,
    pub(crate) address: String,
}

impl Server {
    /// Closes the server's standard input, which servers that report (`stream-bench serve`)
    /// answer with one last line before they exit; that line.
    pub(crate) fn report(mut self) -> Result<String, String> {
        drop(self.child.stdin.take());
        let mut line = String::new();
        self.stdout.read_line(&mut line).map_err(|error| format!("reading the server's report: {error}"))?;
        let _ = self.child.wait();
        Ok(line.trim().to_string())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `binary serve --kind KIND` on a free loopback port and waits for the address it prints.
pub(crate) fn start_server(binary: &Path, kind: &str) -> Result<Server, String> {
    let mut child = Command::new(binary)
        .args(["serve", "--kind", kind, "--listen", "127.0.0.1:0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    let stdout = child.stdout.take().ok_or("the server's output is not readable")?;
    let mut server = Server { child, stdout: BufReader::new(stdout), address: String::new() };
    let mut line = String::new();
    server.stdout.read_line(&mut line).map_err(|error| format!("reading the {kind} server's address: {error}"))?;
    server.address = line.trim().strip_prefix("listening=").ok_or_else(|| format!("the {kind} server did not start: {line:?}"))?.to_string();
    Ok(server)
}

/// Runs `binary` (`load-bench`, `stream-bench`) with `args` and returns the line it printed.
pub(crate) fn run(binary: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new(binary).args(args).output().map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    if !output.status.success() {
        let name = binary.file_name().map_or_else(|| binary.display().to_string(), |name| name.to_string_lossy().into_owned());
        return Err(format!("{name} {}: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn drive(binary: &Path, server: &Server, endpoint: &str, options: &LoadOptions) -> Result<Measurement, String> {
    let seconds = (options.seconds / options.rounds.max(1) as f64).to_string();
    let (concurrency, warmup, max_requests) = (options.concurrency.to_string(), options.warmup_seconds.to_string(), options.max_requests.to_string());
    parse_measurement(&run(
        binary,
        &[
            "drive",
            "--target",
            &server.address,
            "--endpoint",
            endpoint,
            "--concurrency",
            &concurrency,
            "--seconds",
            &seconds,
            "--warmup-seconds",
            &warmup,
            "--max-requests",
            &max_requests,
        ],
    )?)
}

/// `load-bench in-process`'s line for one endpoint.
pub fn parse_in_process(line: &str) -> Result<InProcess, String> {
    let fields = fields(line);
    let number = |key: &str| -> Result<f64, String> {
        fields.get(key).and_then(|value| value.parse().ok()).ok_or_else(|| format!("no number `{key}` in: {line}"))
    };
    Ok(InProcess { generated: number("generated_ns")?, handwritten: number("handwritten_ns")?, validating: number("validating_ns")? })
}

/// Builds `package`'s binary in release mode; its path.
pub(crate) fn build_release(root: &Path, package: &str) -> Result<std::path::PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "-p", package])
        .current_dir(root)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err(format!("the release build of {package} failed"));
    }
    Ok(crate::bench_peers::release_binary(root, package))
}

pub fn bench_load(root: &Path, options: &LoadOptions) -> Result<String, String> {
    let binary = build_release(root, "load-bench")?;
    let servers = KINDS.map(|kind| start_server(&binary, kind));
    let servers: Vec<Server> = servers.into_iter().collect::<Result<_, _>>()?;
    let mut results = Vec::new();
    for endpoint in ENDPOINTS {
        let mut rounds: [Vec<Measurement>; 3] = Default::default();
        let mut round_ratios = Vec::new();
        for round in 0..options.rounds.max(1) {
            for step in 0..KINDS.len() {
                let kind = (round + step) % KINDS.len();
                let measurement = drive(&binary, &servers[kind], endpoint, options)?;
                rounds[kind].push(measurement);
            }
            if let Some(ratio) = ratio(&rounds[0][round], &rounds[1][round]) {
                round_ratios.push(ratio);
            }
        }
        let [generated, handwritten, validating] = rounds.map(|rounds| combine(&rounds));
        let in_process = parse_in_process(&run(&binary, &["in-process", "--endpoint", endpoint])?)?;
        eprintln!("{endpoint}: {:.0} / {:.0} / {:.0} req/s", generated.rps, handwritten.rps, validating.rps);
        results.push(EndpointResult { generated, handwritten, validating, round_ratios, in_process });
    }
    Ok(render(&results, options))
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
    fn rounds_combine_over_their_whole_time() {
        let one = parse_measurement(LINE).expect("parses");
        let two = Measurement { requests: 10_000, seconds: 1.0, rps: 10_000.0, p50_us: 900, p99_us: 9_000, errors: 1, ..one.clone() };
        let three = Measurement { requests: 5_000, seconds: 1.0, rps: 5_000.0, p50_us: 3_000, p99_us: 30_000, ..one.clone() };
        let combined = combine(&[one, two, three]);
        assert_eq!((combined.requests, combined.errors), (37_713, 1));
        assert!((combined.rps - 37_713.0 / 4.007).abs() < 0.5, "{}", combined.rps);
        assert_eq!((combined.p50_us, combined.p99_us), (1493, 13347), "the median round's latencies");
        assert_eq!(combine(&[]), Measurement::default());
    }

    #[test]
    fn the_table_shows_generated_over_handwritten() {
        let generated = parse_measurement(LINE).expect("parses");
        let handwritten = Measurement { rps: 15085.0, body_bytes: 370, errors: 2, ..generated.clone() };
        assert_eq!(ratio(&generated, &Measurement::default()), None);
        assert!((ratio(&generated, &handwritten).expect("ratio") - 0.75).abs() < 1e-3);
        let validating = Measurement { rps: 12570.0, ..generated.clone() };
        let in_process = InProcess { generated: 2000.0, handwritten: 1500.0, validating: 1800.0 };
        let result = EndpointResult { generated, handwritten, validating, round_ratios: vec![0.81, 0.7, 0.77], in_process };
        let table = render(&[result], &LoadOptions::default());
        let row = table.lines().nth(1).expect("a row");
        assert!(row.starts_with("POST /v2/workflows/overview"), "{table}");
        assert!(row.contains(" 11314 ") && row.contains(" 15085 ") && row.contains(" 0.75 ") && row.contains(" 0.70–0.81 "), "{table}");
        assert!(row.contains(" 12570 ") && row.contains(" 0.90 "), "{table}");
        assert!(row.contains(" 2000/1500/1800 ") && row.ends_with(" 0.75   0.90"), "{table}");
        assert!(table.contains("32 keep-alive connections; per endpoint and server 10 s in 5 rounds"), "{table}");
        assert!(table.contains("note: overview: the servers' answers differ in length (376 vs 370 vs 376 bytes)"), "{table}");
    }

    #[test]
    fn reads_the_in_process_line() {
        assert_eq!(
            parse_in_process("endpoint=statuses generated_ns=2417 handwritten_ns=1762 validating_ns=1770 ratio=0.729"),
            Ok(InProcess { generated: 2417.0, handwritten: 1762.0, validating: 1770.0 })
        );
        assert!(parse_in_process("endpoint=statuses").unwrap_err().contains("generated_ns"));
    }
}
