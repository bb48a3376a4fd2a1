//! `cargo xtask schemathesis`: the example backend held to `spec/openapi.yaml` by schemathesis,
//! an outside client that generates requests from the document and checks every answer.
//!
//! Every check runs as schemathesis defines it, on every operation, with no status accepted
//! beyond its defaults: the document names the fields each search accepts, so a request it calls
//! valid is one the backend must answer.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The release whose checks and report format this was written against.
pub const VERSION: &str = "4.32.5";

#[derive(Debug, Clone)]
pub struct Options {
    /// Examples per operation and phase.
    pub max_examples: u32,
    /// The whole run's time budget, in seconds.
    pub max_time: u32,
    pub seed: u64,
}

/// An explicit configuration without settings: schemathesis otherwise reads any
/// `schemathesis.toml` in the working directory or above it, such as one left in `target/` by a
/// run that still accepted exceptions.
const CONFIG: &str = "# Written by `cargo xtask schemathesis`; every check keeps schemathesis's defaults.\n";

/// `st` through the interpreter, which finds a package pip has just installed even where the
/// `st` script is not on `PATH` yet (pyenv's shims need a rehash).
fn schemathesis() -> Command {
    let mut command = Command::new("python3");
    command.args(["-m", "schemathesis.cli"]);
    command
}

/// The installed schemathesis, or the pinned one installed with pip.
fn ensure_installed() -> Result<(), String> {
    let installed = schemathesis().arg("--version").output().ok().filter(|output| output.status.success());
    if installed.is_some_and(|output| String::from_utf8_lossy(&output.stdout).contains(VERSION)) {
        return Ok(());
    }
    eprintln!("installing schemathesis {VERSION} with pip");
    let status = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", &format!("schemathesis=={VERSION}")])
        .status()
        .map_err(|error| format!("cannot run python3 -m pip: {error}"))?;
    if !status.success() {
        return Err(format!("pip could not install schemathesis {VERSION}"));
    }
    Ok(())
}

/// The backend process, stopped however the run ends.
struct Backend(Child);

impl Drop for Backend {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|error| format!("no free loopback port: {error}"))?;
    listener.local_addr().map(|address| address.port()).map_err(|error| error.to_string())
}

fn start_backend(root: &Path, address: SocketAddr) -> Result<Backend, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(&cargo)
        .args(["build", "--quiet", "-p", "orchestrator-backend"])
        .current_dir(root)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err("the example backend does not build".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let binary = target.join("debug/orchestrator-backend");
    let mut backend = Backend(
        Command::new(&binary)
            .args(["--listen", &address.to_string()])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|error| format!("cannot start {}: {error}", binary.display()))?,
    );
    let started = Instant::now();
    while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
        if let Ok(Some(status)) = backend.0.try_wait() {
            return Err(format!("the backend exited before listening: {status}"));
        }
        if started.elapsed() > Duration::from_secs(30) {
            return Err(format!("the backend did not listen on {address} within 30 s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(backend)
}

/// Runs schemathesis against a freshly started backend; `Err` names what failed.
pub fn run(root: &Path, options: &Options) -> Result<(), String> {
    ensure_installed()?;
    let address: SocketAddr = ([127, 0, 0, 1], free_port()?).into();
    let backend = start_backend(root, address)?;
    let work = root.join("target/schemathesis");
    std::fs::create_dir_all(&work).map_err(|error| format!("cannot create {}: {error}", work.display()))?;
    let config = work.join("schemathesis.toml");
    std::fs::write(&config, CONFIG).map_err(|error| format!("cannot write {}: {error}", config.display()))?;
    let spec = root.join("spec/openapi.yaml");
    let status = schemathesis()
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(&spec)
        .args(["--url", &format!("http://{address}")])
        // One worker: with two, hypothesis's code generation raced inside CPython's AST module
        // ("AST constructor recursion depth mismatch"), an error of the client, not the server.
        .args(["--checks", "all", "--no-color", "--workers", "1"])
        .args(["--max-examples", &options.max_examples.to_string()])
        .args(["--max-time", &options.max_time.to_string()])
        .args(["--seed", &options.seed.to_string()])
        .args(["--request-timeout", "10"])
        .current_dir(&work)
        .status()
        .map_err(|error| format!("cannot run schemathesis: {error}"))?;
    drop(backend);
    if status.success() {
        Ok(())
    } else {
        Err(format!("schemathesis found failures against the example backend ({status})"))
    }
}
