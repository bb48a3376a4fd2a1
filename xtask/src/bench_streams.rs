//! The streaming rows of `cargo xtask bench --load` (alone with `--streams-only`), run with
//! `examples/stream-bench` in release mode:
//!
//! - server-sent events: the generated server against axum's `Sse` written by hand, each sending
//!   the same small `Tick` events as fast as a driver process reads them through the generated
//!   client. Rounds alternate which server goes first; the ratio is of the two servers' median
//!   rates, and the target is at least [`RATIO_TARGET`].
//! - a gigabyte down and a gigabyte up through the generated server and client, neither side
//!   holding the bytes: each direction in fresh processes, whose peak resident memory must stay
//!   under [`PEAK_TARGET_MB`].
//!
//! `--targets` makes a missed target an error, so the command exits 1.

use std::fmt::Write as _;
use std::path::Path;

use crate::bench_load::{build_release, fields, run, start_server};

/// Generated events per second over hand-written ones, at least.
pub const RATIO_TARGET: f64 = 0.9;

/// Peak resident memory of each process moving a gigabyte, at most (MiB).
pub const PEAK_TARGET_MB: f64 = 64.0;

/// How much is streamed.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamOptions {
    /// Events each driver reads per measurement, after a warm-up read of a tenth as many.
    pub events: u64,
    /// Rounds of one measurement per server; even, so that each server goes first as often.
    pub rounds: usize,
    /// Bytes moved each way.
    pub blob_bytes: u64,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions { events: 200_000, rounds: 10, blob_bytes: 1 << 30 }
    }
}

/// Events per second of each server, one value per round.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SseRounds {
    pub generated: Vec<f64>,
    pub handwritten: Vec<f64>,
}

impl SseRounds {
    /// Median generated rate over median hand-written rate.
    pub fn ratio(&self) -> Option<f64> {
        let (generated, handwritten) = (median(&self.generated)?, median(&self.handwritten)?);
        (handwritten > 0.0).then(|| generated / handwritten)
    }

    /// Each round's generated / hand-written rate, lowest and highest.
    fn spread(&self) -> Option<(f64, f64)> {
        let ratios: Vec<f64> = self
            .generated
            .iter()
            .zip(&self.handwritten)
            .filter(|(_, handwritten)| **handwritten > 0.0)
            .map(|(generated, handwritten)| generated / handwritten)
            .collect();
        let low = ratios.iter().copied().reduce(f64::min)?;
        let high = ratios.iter().copied().reduce(f64::max)?;
        Some((low, high))
    }

    pub fn passes(&self) -> bool {
        self.ratio().is_some_and(|ratio| ratio >= RATIO_TARGET)
    }
}

fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied()
}

/// One direction of the gigabyte: what the client saw and both processes' peaks.
#[derive(Debug, Clone, PartialEq)]
pub struct Transfer {
    /// `download` or `upload`.
    pub direction: String,
    pub bytes: u64,
    pub seconds: f64,
    pub client_peak_mb: f64,
    pub server_peak_mb: f64,
    /// What the server counted going out (download) or coming in (upload).
    pub server_bytes: u64,
}

impl Transfer {
    pub fn passes(&self) -> bool {
        // A peak that could not be read (NaN) fails too.
        self.client_peak_mb < PEAK_TARGET_MB && self.server_peak_mb < PEAK_TARGET_MB && self.server_bytes == self.bytes
    }
}

/// The `key=value` line of `stream-bench sse`: its events per second.
pub fn parse_rate(line: &str) -> Result<f64, String> {
    number(line, "events_per_second")
}

fn number(line: &str, key: &str) -> Result<f64, String> {
    fields(line).get(key).and_then(|value| value.parse().ok()).ok_or_else(|| format!("no number `{key}` in: {line}"))
}

/// A transfer from `stream-bench blob`'s line and the server's report.
pub fn parse_transfer(direction: &str, client: &str, server: &str) -> Result<Transfer, String> {
    let counted = if direction == "download" { "downloaded_bytes" } else { "uploaded_bytes" };
    Ok(Transfer {
        direction: direction.to_string(),
        bytes: number(client, "bytes")? as u64,
        seconds: number(client, "seconds")?,
        client_peak_mb: number(client, "peak_mb")?,
        server_peak_mb: number(server, "peak_mb")?,
        server_bytes: number(server, counted)? as u64,
    })
}

/// Both measurements.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StreamsReport {
    pub sse: SseRounds,
    pub transfers: Vec<Transfer>,
}

fn verdict(passes: bool) -> &'static str {
    if passes {
        "PASS"
    } else {
        "FAIL"
    }
}

impl StreamsReport {
    /// What missed its target, one line each.
    pub fn failures(&self) -> Vec<String> {
        let mut failures = Vec::new();
        if !self.sse.passes() {
            let ratio = self.sse.ratio().map_or_else(|| "-".to_string(), |ratio| format!("{ratio:.2}"));
            failures.push(format!("server-sent events: generated / hand-written {ratio}, below {RATIO_TARGET:.2}"));
        }
        for transfer in self.transfers.iter().filter(|transfer| !transfer.passes()) {
            failures.push(format!(
                "{}: peaks {:.1} MB (client) and {:.1} MB (server), {} of {} bytes counted by the server; the bound is {PEAK_TARGET_MB:.0} MB",
                transfer.direction, transfer.client_peak_mb, transfer.server_peak_mb, transfer.server_bytes, transfer.bytes
            ));
        }
        failures
    }

    pub fn render(&self, options: &StreamOptions) -> String {
        let mut table = format!("{:<40} {:>11} {:>11} {:>6} {:>11} {:>8}\n", "stream", "gen ev/s", "hand ev/s", "ratio", "rounds", "target");
        let rate = |values: &[f64]| median(values).map_or_else(|| "-".to_string(), |value| format!("{value:.0}"));
        let ratio = self.sse.ratio().map_or_else(|| "-".to_string(), |ratio| format!("{ratio:.2}"));
        let spread = self.sse.spread().map_or_else(|| "-".to_string(), |(low, high)| format!("{low:.2}–{high:.2}"));
        let _ = writeln!(
            table,
            "{:<40} {:>11} {:>11} {:>6} {:>11} {:>8}",
            format!("SSE GET /ticks ({} events)", options.events),
            rate(&self.sse.generated),
            rate(&self.sse.handwritten),
            ratio,
            spread,
            format!("≥{RATIO_TARGET:.1} {}", verdict(self.sse.passes())),
        );
        let _ =
            writeln!(table, "\n{:<40} {:>11} {:>11} {:>14} {:>14} {:>8}", "transfer", "MiB", "MiB/s", "client peak MB", "server peak MB", "target");
        for transfer in &self.transfers {
            let route = if transfer.direction == "download" { "download GET /blobs/{name}" } else { "upload PUT /blobs/{name}" };
            let mib = transfer.bytes as f64 / (1024.0 * 1024.0);
            let _ = writeln!(
                table,
                "{route:<40} {mib:>11.0} {:>11.0} {:>14.1} {:>14.1} {:>8}",
                if transfer.seconds > 0.0 { mib / transfer.seconds } else { 0.0 },
                transfer.client_peak_mb,
                transfer.server_peak_mb,
                format!("<{PEAK_TARGET_MB:.0} {}", verdict(transfer.passes())),
            );
        }
        let _ = writeln!(
            table,
            "\nSSE: small Tick {{ n, note }} events read through the generated client by a driver process, after a warm-up of {}; {} rounds \
             per server, alternating which goes first; ratio = generated / axum's Sse by hand, of the median rates; rounds = the lowest \
             and highest round's ratio. Transfers: the generated server and client, each direction in fresh processes; peak = VmHWM.",
            options.events / 10,
            options.rounds,
        );
        table
    }
}

/// Runs both measurements with the release build of `stream-bench`.
pub fn bench_streams(root: &Path, options: &StreamOptions) -> Result<StreamsReport, String> {
    let binary = build_release(root, "stream-bench")?;
    let sse = sse_rounds(&binary, options)?;
    eprintln!("server-sent events: generated / hand-written {}", sse.ratio().map_or_else(|| "-".to_string(), |ratio| format!("{ratio:.2}")));
    let mut transfers = Vec::new();
    for direction in ["download", "upload"] {
        let transfer = transfer(&binary, direction, options.blob_bytes)?;
        eprintln!("{direction}: {:.1} s, peaks {:.1} / {:.1} MB", transfer.seconds, transfer.client_peak_mb, transfer.server_peak_mb);
        transfers.push(transfer);
    }
    Ok(StreamsReport { sse, transfers })
}

fn sse_rounds(binary: &Path, options: &StreamOptions) -> Result<SseRounds, String> {
    let servers = [start_server(binary, "generated")?, start_server(binary, "handwritten")?];
    let (events, warmup) = (options.events.to_string(), (options.events / 10).to_string());
    let mut rates: [Vec<f64>; 2] = Default::default();
    for round in 0..options.rounds.max(1) {
        // Generated first in even rounds, hand-written first in odd ones.
        for step in 0..2 {
            let which = (round + step) % 2;
            let line = run(binary, &["sse", "--target", &servers[which].address, "--events", &events, "--warmup-events", &warmup])?;
            rates[which].push(parse_rate(&line)?);
        }
    }
    let [generated, handwritten] = rates;
    Ok(SseRounds { generated, handwritten })
}

/// One direction in a fresh server and client, so that each peak is that transfer's alone.
fn transfer(binary: &Path, direction: &str, bytes: u64) -> Result<Transfer, String> {
    let server = start_server(binary, "generated")?;
    let client = run(binary, &["blob", "--target", &server.address, "--direction", direction, "--bytes", &bytes.to_string()])?;
    let report = server.report()?;
    parse_transfer(direction, &client, &report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ratio_is_of_the_medians() {
        let rounds = SseRounds { generated: vec![900.0, 1000.0, 500.0], handwritten: vec![1000.0, 1100.0, 1200.0] };
        assert!((rounds.ratio().expect("a ratio") - 900.0 / 1100.0).abs() < 1e-9);
        assert!(!rounds.passes());
        let (low, high) = rounds.spread().expect("a spread");
        assert!((low - 500.0 / 1200.0).abs() < 1e-9 && (high - 1000.0 / 1100.0).abs() < 1e-9);
        assert!(SseRounds { generated: vec![950.0], handwritten: vec![1000.0] }.passes());
        assert_eq!(SseRounds::default().ratio(), None);
        assert!(!SseRounds::default().passes());
    }

    #[test]
    fn reads_the_lines_of_stream_bench() {
        assert_eq!(parse_rate("events=200000 seconds=0.200 events_per_second=1000000 peak_mb=9.0"), Ok(1_000_000.0));
        assert!(parse_rate("events=1").unwrap_err().contains("events_per_second"));
        let transfer = parse_transfer(
            "upload",
            "bytes=1073741824 seconds=2.000 mib_per_second=512 peak_mb=12.5",
            "downloaded_bytes=0 uploaded_bytes=1073741824 peak_mb=20.0",
        )
        .expect("parses");
        assert_eq!((transfer.bytes, transfer.server_bytes), (1 << 30, 1 << 30));
        assert_eq!((transfer.client_peak_mb, transfer.server_peak_mb, transfer.seconds), (12.5, 20.0, 2.0));
        assert!(transfer.passes());
        assert!(!Transfer { server_peak_mb: 64.0, ..transfer.clone() }.passes());
        assert!(!Transfer { client_peak_mb: f64::NAN, ..transfer.clone() }.passes());
        assert!(!Transfer { server_bytes: 5, ..transfer }.passes());
    }

    #[test]
    fn the_table_says_pass_or_fail() {
        let transfer = |direction: &str, server_peak_mb| Transfer {
            direction: direction.into(),
            bytes: 1 << 30,
            seconds: 2.0,
            client_peak_mb: 10.0,
            server_peak_mb,
            server_bytes: 1 << 30,
        };
        let report = StreamsReport {
            sse: SseRounds { generated: vec![950.0, 960.0], handwritten: vec![1000.0, 1000.0] },
            transfers: vec![transfer("download", 12.0), transfer("upload", 70.0)],
        };
        let table = report.render(&StreamOptions::default());
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[1].starts_with("SSE GET /ticks (200000 events)") && lines[1].contains(" 0.96 ") && lines[1].ends_with("≥0.9 PASS"), "{table}");
        assert!(lines[4].starts_with("download GET /blobs/{name}") && lines[4].contains(" 512 ") && lines[4].ends_with("<64 PASS"), "{table}");
        assert!(lines[5].starts_with("upload PUT /blobs/{name}") && lines[5].ends_with("<64 FAIL"), "{table}");
        let failures = report.failures();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(failures[0].starts_with("upload: peaks 10.0 MB (client) and 70.0 MB (server)"), "{failures:?}");
    }
}
