//! The process's peak resident memory, which the kernel keeps as `VmHWM` (Linux).

/// The peak resident set size so far, in MiB; `None` where `/proc` does not have it.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    peak_from_status(&status)
}

fn peak_from_status(status: &str) -> Option<f64> {
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}

/// `peak_mb=…` for the lines the benchmark parses, `nan` when unknown.
pub fn peak_field() -> String {
    format!("peak_mb={:.1}", peak_rss_mb().unwrap_or(f64::NAN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_high_water_mark() {
        assert_eq!(peak_from_status("Name:\tx\nVmHWM:\t   10240 kB\nVmRSS:\t 512 kB\n"), Some(10.0));
        assert_eq!(peak_from_status("Name:\tx\n"), None);
        assert!(peak_rss_mb().is_some_and(|peak| peak > 0.0));
    }
}
