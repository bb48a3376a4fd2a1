//! A generation that fails or is killed while writing leaves the previous output as it was, for
//! each way of writing: the checked-in crate's path (`xtask`'s files through
//! `output::write_tree`), `oas generate`, and the build-script `Builder`.
//!
//! The failures are real. The two commands run in a child process whose file-size limit
//! (`ulimit -f`) is smaller than the files they write: the kernel stops the write and kills the
//! process with SIGXFSZ halfway through the new tree, which no permission trick achieves when
//! the tests run as root. The in-process path fails through `write_tree_with_hook`, which runs
//! its callback after the new tree is complete and just before the swap, the latest moment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use oas_codegen::output;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

/// Every file under `dir` with its contents, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, found: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, found);
            } else {
                found.insert(path.strip_prefix(root).unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut found = BTreeMap::new();
    walk(dir, dir, &mut found);
    found
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oas-interrupted-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `program args` with a file-size limit of `blocks` 512-byte blocks (dash's unit).
fn limited(blocks: u32, program: &Path, args: &[&str], env: &[(&str, &Path)]) -> std::process::Output {
    let mut command = Command::new("sh");
    command.arg("-c").arg(format!("ulimit -f {blocks} && exec \"$0\" \"$@\"")).arg(program).args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("sh runs")
}

fn killed_by_file_size(output: &std::process::Output) -> bool {
    use std::os::unix::process::ExitStatusExt;
    // SIGXFSZ is 25 on Linux.
    output.status.signal() == Some(25)
}

#[test]
fn the_xtask_write_path_keeps_the_previous_crate_when_the_swap_fails() {
    let root = xtask::workspace_root();
    let dir = scratch("xtask");
    let out = dir.join("generated");
    let previous =
        output::FileSet::from([("Cargo.toml".to_string(), "[package]\nname = \"old\"\n".to_string()), ("src/lib.rs".into(), "// old\n".into())]);
    output::write_tree(&out, &previous, &xtask::keep).unwrap();
    std::fs::create_dir_all(out.join("target/debug")).unwrap();
    std::fs::write(out.join("target/debug/kept"), "build output").unwrap();
    let before = snapshot(&out);

    let files = xtask::generated_files(&root, false).unwrap();
    let error = output::write_tree_with_hook(&out, &files, &xtask::keep, &mut || Err(std::io::Error::other("the disk went away"))).unwrap_err();
    assert!(error.to_string().contains("the disk went away"), "{error}");
    assert_eq!(snapshot(&out), before, "the previous crate changed");
    let beside: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|entry| entry.file_name()).collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("generated")], "the half-built tree was left beside it");

    // The next run completes and keeps what was kept.
    assert!(output::write_tree(&out, &files, &xtask::keep).unwrap());
    assert_eq!(std::fs::read_to_string(out.join("target/debug/kept")).unwrap(), "build output");
    assert!(output::check_tree(&out, &files, &xtask::keep).unwrap().is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}

fn oas_binary() -> PathBuf {
    let root = xtask::workspace_root();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "-p", "oas-cli", "--bin", "oas"])
        .current_dir(&root)
        .status()
        .unwrap();
    assert!(status.success(), "the oas binary builds");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    target.join("debug/oas")
}

#[test]
fn oas_generate_killed_while_writing_leaves_the_previous_crate() {
    let oas = oas_binary();
    let dir = scratch("cli");
    let out = dir.join("api");
    let out_arg = out.to_str().unwrap();
    let small = format!("{CORPUS}/features/3.1/petstore-simple.yaml");
    let first = Command::new(&oas).args(["generate", &small, "--out", out_arg]).output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let before = snapshot(&out);

    let spec = xtask::workspace_root().join("spec/openapi.yaml");
    // 64 blocks are 32 KiB: the Orchestrator crate's larger files do not fit.
    let killed = limited(64, &oas, &["generate", spec.to_str().unwrap(), "--out", out_arg], &[]);
    assert!(killed_by_file_size(&killed), "the write should have been cut off: {:?} {}", killed.status, String::from_utf8_lossy(&killed.stderr));
    assert_eq!(snapshot(&out), before, "the killed run changed the previous crate");

    // The next run removes what the killed one left and writes the new crate.
    let again = Command::new(&oas).args(["generate", spec.to_str().unwrap(), "--out", out_arg]).output().unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(std::fs::read_to_string(out.join("src/operations.rs")).unwrap().contains("GetWorkflowOverviewByIdRequest"));
    let beside: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|entry| entry.file_name()).collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("api")], "leftovers of the killed run remain");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Where [`builder_writes_the_whole_file`] writes when another test runs it as a child.
const CHILD_OUT: &str = "OAS_INTERRUPTED_BUILDER_OUT";

fn build(spec: &Path, out: &Path) -> oas_codegen::builder::Summary {
    oas_codegen::builder::Builder::new(spec).server(true).client(true).file_name("api.rs").out_dir(out).generate().expect("the builder runs")
}

/// The builder's own write, complete; also the child process of the next test, which runs it
/// under a file-size limit.
#[test]
fn builder_writes_the_whole_file() {
    let spec = xtask::workspace_root().join("spec/openapi.yaml");
    let (out, scratch_dir) = match std::env::var_os(CHILD_OUT) {
        Some(out) => (PathBuf::from(out), None),
        None => {
            let dir = scratch("builder-whole");
            (dir.clone(), Some(dir))
        }
    };
    let summary = build(&spec, &out);
    let text = std::fs::read_to_string(&summary.path).unwrap();
    assert!(text.contains("pub mod server") && text.contains("pub mod client"), "the file is complete");
    if let Some(dir) = scratch_dir {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn builder_killed_while_writing_leaves_the_previous_file() {
    let dir = scratch("builder");
    let previous = build(Path::new(&format!("{CORPUS}/features/3.1/petstore-simple.yaml")), &dir);
    let before = snapshot(&dir);
    assert_eq!(before.len(), 1);

    let test_binary = std::env::current_exe().unwrap();
    // The Orchestrator file is a few hundred KiB; 64 blocks are 32 KiB.
    let killed = limited(64, &test_binary, &["builder_writes_the_whole_file", "--exact", "--test-threads=1"], &[(CHILD_OUT, &dir)]);
    assert!(killed_by_file_size(&killed), "the write should have been cut off: {:?} {}", killed.status, String::from_utf8_lossy(&killed.stdout));
    assert_eq!(std::fs::read(&previous.path).unwrap(), before.values().next().unwrap().clone(), "the killed run changed the previous file");

    // A leftover temporary file, if the kill left one, goes with the next successful run.
    let summary = build(&xtask::workspace_root().join("spec/openapi.yaml"), &dir);
    assert!(summary.written);
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|entry| entry.file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("api.rs")], "leftovers of the killed run remain");
    std::fs::remove_dir_all(&dir).unwrap();
}
