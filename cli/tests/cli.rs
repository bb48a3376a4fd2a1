//! The `oas` binary as a user runs it: exit codes, messages with positions and pointers,
//! all-or-nothing writes, freshness checks, and generated crates that build.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const OAS: &str = env!("CARGO_BIN_EXE_oas");
const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const PETSTORE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/features/3.0/petstore.yaml");
const ORCHESTRATOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn oas(args: &[&str]) -> Run {
    let Output { status, stdout, stderr } = Command::new(OAS).args(args).output().expect("the oas binary runs");
    Run { code: status.code(), stdout: String::from_utf8_lossy(&stdout).into_owned(), stderr: String::from_utf8_lossy(&stderr).into_owned() }
}

impl Run {
    #[track_caller]
    fn expect(self, code: i32) -> Run {
        assert_eq!(self.code, Some(code), "stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }
}

/// A scratch folder outside the repository, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(label: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!("oas-cli-test-{}-{label}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every file under `dir` with its contents, for before/after comparisons.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push((path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap()));
            }
        }
    }
    found.sort();
    found
}

const HEAD: &str = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n";

/// The summary line counts the schemas typed loosely; `--list-loose` names each with its place.
#[test]
fn generate_counts_and_lists_loosely_typed_schemas() {
    let scratch = Scratch::new("loose");
    let out = scratch.path("loose");
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/fidelity/types.yaml");
    let run = oas(&["generate", spec, "--out", &out, "--list-loose"]).expect(0);
    let summary = run.stderr.lines().last().unwrap();
    assert!(summary.ends_with("; 3 schemas typed loosely: 1 discriminator/unused, 1 value/allof-contradiction, 1 value/empty-choice)"), "{summary}");
    assert!(run.stderr.contains(": info [/components/schemas/Never]: typed loosely: value/allof-contradiction\n"), "{}", run.stderr);
    assert!(run.stderr.contains(": info [/components/schemas/VolumeAction]: typed loosely: discriminator/unused\n"), "{}", run.stderr);
    let quiet = oas(&["generate", spec, "--out", &scratch.path("quiet")]).expect(0);
    assert!(!quiet.stderr.contains("typed loosely: value"), "{}", quiet.stderr);
}

/// `--tags` and friends narrow the crate; a name the document lacks is exit 1 with a
/// suggestion, and nothing is written.
#[test]
fn generate_takes_a_subset_by_tag_and_refuses_unknown_names() {
    let scratch = Scratch::new("subset");
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/features/3.1/train-travel.yaml");
    let out = scratch.path("stations");
    oas(&["generate", spec, "--out", &out, "--tags", "Stations,Trips", "--exclude-operations", "get-trips"]).expect(0);
    let client = std::fs::read_to_string(format!("{out}/src/client.rs")).unwrap();
    assert!(client.contains("pub async fn get_stations(") && !client.contains("pub async fn get_trips("), "{client}");
    let missing = scratch.path("missing");
    let run = oas(&["generate", spec, "--out", &missing, "--tags", "stations"]).expect(1);
    assert!(run.stderr.contains("--tags: the document has no tag `stations`; did you mean `Stations`?; nothing was written"), "{}", run.stderr);
    assert!(std::fs::metadata(&missing).is_err(), "nothing is written");
}

/// `oas.toml` in the current folder supplies what the command line leaves out; flags override
/// it; unknown keys are errors at their place; a file merely found there cannot widen what a
/// document may read, while one named with --config can.
#[test]
fn generate_reads_oas_toml_and_flags_override_it() {
    let scratch = Scratch::new("config");
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/corpus/features/3.1/train-travel.yaml");
    let in_folder = |args: &[&str]| {
        let Output { status, stderr, .. } = Command::new(OAS).args(args).current_dir(&scratch.0).output().expect("the oas binary runs");
        (status.code(), String::from_utf8_lossy(&stderr).into_owned())
    };
    scratch.file("oas.toml", &format!("[generate]\nspec = '{spec}'\nout = 'crate'\nname = 'trains'\ntags = ['Stations']\nclient = false\n"));
    let (code, stderr) = in_folder(&["generate"]);
    assert_eq!(code, Some(0), "{stderr}");
    let manifest = std::fs::read_to_string(scratch.0.join("crate/Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"trains\""), "{manifest}");
    assert!(!scratch.0.join("crate/src/client.rs").exists(), "`client = false` is read");
    let operations = std::fs::read_to_string(scratch.0.join("crate/src/operations.rs")).unwrap();
    assert!(operations.contains("GetStationsRequest") && !operations.contains("GetTripsRequest"));
    // The command line wins over the file.
    let (code, stderr) = in_folder(&["generate", "--out", "other", "--tags", "Trips"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(std::fs::read_to_string(scratch.0.join("other/src/operations.rs")).unwrap().contains("GetTripsRequest"));

    scratch.file("oas.toml", "[generate]\nout = 'crate'\ntagz = ['Stations']\n");
    let (code, stderr) = in_folder(&["generate", spec]);
    assert_eq!(code, Some(1));
    assert!(stderr.starts_with("oas.toml:3:1: error: unknown field `tagz`"), "{stderr}");

    let widening = "[generate]\nout = 'crate'\nallow-refs-outside = ['..']\n";
    scratch.file("oas.toml", widening);
    let (code, stderr) = in_folder(&["generate", spec]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("oas.toml:3:22: error: `allow-refs-outside` widens what a document may read"), "{stderr}");
    let named = scratch.file("named.toml", widening);
    let (code, stderr) = in_folder(&["generate", spec, "--config", &named]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn generate_writes_a_crate_and_says_so() {
    let scratch = Scratch::new("generate");
    let out = scratch.path("petstore-api");
    let run = oas(&["generate", PETSTORE, "--out", &out]).expect(0);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let summary = run.stderr.lines().last().unwrap();
    assert!(
        summary.starts_with("wrote ")
            && summary.contains(&format!(" files to {out} ("))
            && summary.ends_with(" warnings; every schema typed exactly)"),
        "{summary}"
    );
    let manifest = std::fs::read_to_string(Path::new(&out).join("Cargo.toml")).unwrap();
    assert!(manifest.starts_with("# Generated by `oas generate` from `petstore.yaml`. Do not edit."), "{manifest}");
    assert!(manifest.contains("name = \"petstore\""), "{manifest}");
    let runtime = std::fs::canonicalize(Path::new(REPO).join("runtime")).unwrap();
    assert!(manifest.contains(&format!("oas-runtime = {{ path = \"{}\" }}", runtime.display())), "{manifest}");
    assert!(Path::new(&out).join("src/lib.rs").is_file());

    // A second run with nothing to change says so.
    let run = oas(&["generate", PETSTORE, "--out", &out]).expect(0);
    assert!(run.stderr.lines().last().unwrap().contains("is already up to date"), "{}", run.stderr);

    // The options reach the manifest.
    let run = oas(&["generate", PETSTORE, "--out", &out, "--name", "pets_v2", "--runtime-version", "0.1"]).expect(0);
    assert!(run.stderr.contains("wrote "), "{}", run.stderr);
    let manifest = std::fs::read_to_string(Path::new(&out).join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"pets_v2\"") && manifest.contains("oas-runtime = \"0.1\""), "{manifest}");
}

#[test]
fn invalid_documents_exit_1_with_position() {
    let scratch = Scratch::new("invalid");
    let out = scratch.path("out");
    let not_openapi = scratch.file("notes.yaml", "title: shopping\nitems: [milk]\n");
    let swagger = scratch.file("swagger.yaml", "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    let not_json = scratch.file("broken.json", "{\"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"t\",, }}\n");
    for command in ["generate", "check", "validate"] {
        let with_out = |spec: &str| -> Vec<String> {
            let mut args = vec![command.to_string(), spec.to_string()];
            if command != "validate" {
                args.extend(["--out".to_string(), out.clone()]);
            }
            args
        };
        let run = |spec: &str| {
            let args = with_out(spec);
            oas(&args.iter().map(String::as_str).collect::<Vec<_>>()).expect(1)
        };
        let stderr = run(&not_openapi).stderr;
        assert!(stderr.contains(&format!("{not_openapi}:1:1: error: the document has no `openapi` field")), "{command}: {stderr}");
        let stderr = run(&swagger).stderr;
        assert!(stderr.contains(&format!("{swagger}:1:1: error [/swagger]: unknown Swagger version `1.2`")), "{command}: {stderr}");
        let stderr = run(&not_json).stderr;
        assert!(stderr.starts_with(&format!("{not_json}:2:25: error: invalid JSON")), "{command}: {stderr}");
        let stderr = run(&scratch.path("missing.yaml")).stderr;
        assert!(stderr.contains("missing.yaml: error: cannot read the file"), "{command}: {stderr}");
        assert!(!Path::new(&out).exists(), "{command} wrote something");
    }
}

#[test]
fn usage_errors_exit_2() {
    let run = oas(&["generate", PETSTORE]).expect(2);
    assert!(run.stderr.contains("--out"), "{}", run.stderr);
    let run = oas(&["generate", PETSTORE, "--out", "x", "--frobnicate"]).expect(2);
    assert!(run.stderr.contains("--frobnicate"), "{}", run.stderr);
    let run = oas(&["generate", PETSTORE, "--out", "x", "--runtime-path", "a", "--runtime-version", "1"]).expect(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    let run = oas(&["generate", PETSTORE, "--out", "x", "--name", "not a name"]).expect(2);
    assert!(run.stderr.contains("--name") && run.stderr.contains("invalid character"), "{}", run.stderr);
    // `check` writes nothing, so there is nothing for it to watch.
    let run = oas(&["check", PETSTORE, "--out", "x", "--watch"]).expect(2);
    assert!(run.stderr.contains("--watch"), "{}", run.stderr);
    oas(&["validate"]).expect(2);
    oas(&["frobnicate"]).expect(2);
    oas(&[]).expect(2);
    assert!(!Path::new("x").exists());
}

#[test]
fn help_says_what_each_command_does() {
    let run = oas(&["--help"]).expect(0);
    for command in ["generate", "check", "validate"] {
        assert!(run.stdout.contains(command), "{}", run.stdout);
    }
    let run = oas(&["generate", "--help"]).expect(0);
    assert!(
        run.stdout.contains("standalone Rust crate")
            && run.stdout.contains("--runtime-version")
            && run.stdout.contains("--deny-warnings")
            && run.stdout.contains("--watch"),
        "{}",
        run.stdout
    );
    let run = oas(&["check", "--help"]).expect(0);
    assert!(run.stdout.contains("writing nothing"), "{}", run.stdout);
    let run = oas(&["validate", "--help"]).expect(0);
    assert!(run.stdout.contains("operationIds used twice"), "{}", run.stdout);
    oas(&["--version"]).expect(0);
}

/// Runs `validate` on a document and returns its stderr, checking the exit code.
fn validate(text: &str, code: i32) -> (String, String) {
    let scratch = Scratch::new("validate");
    let spec = scratch.file("spec.yaml", text);
    let run = oas(&["validate", &spec]).expect(code);
    (spec, run.stderr)
}

#[test]
fn validate_reports_an_unresolvable_ref() {
    let (spec, stderr) = validate(
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        owner:\n          $ref: '#/components/schemas/Owner'\n"
        ),
        1,
    );
    let expected = format!(
        "{spec}:12:11: error [/components/schemas/Pet/properties/owner/$ref]: `#/components/schemas/Owner` does not resolve: `/components/schemas` has no `Owner`\n"
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
    // Generation's warning about the same reference is not repeated.
    assert_eq!(stderr.matches("properties/owner/$ref").count(), 1, "{stderr}");
    assert!(stderr.trim_end().ends_with(&format!("error: {spec} is not a valid OpenAPI document: 1 error, 0 warnings")), "{stderr}");
}

#[test]
fn validate_reports_a_duplicate_operation_id() {
    let (spec, stderr) = validate(
        &format!(
            "{HEAD}paths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200': {{description: ok}}\n  /cats:\n    get:\n      operationId: listPets\n      responses:\n        '200': {{description: ok}}\n"
        ),
        1,
    );
    let expected = format!(
        "{spec}:13:7: error [/paths/~1cats/get/operationId]: operationId `listPets` is already used by GET /pets; operationIds must be unique\n"
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert!(stderr.contains("1 error, 0 warnings"), "{stderr}");
}

#[test]
fn validate_reports_undeclared_and_untemplated_path_parameters() {
    let (spec, stderr) = validate(
        &format!(
            "{HEAD}paths:\n  /pets/{{petId}}:\n    get:\n      operationId: getPet\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {{type: string}}\n      responses:\n        '200': {{description: ok}}\n"
        ),
        1,
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[0],
        format!("{spec}:7:5: error [/paths/~1pets~1{{petId}}/get]: the path `/pets/{{petId}}` has `{{petId}}`, but GET /pets/{{petId}} declares no path parameter `petId`; add one with `name: petId` and `in: path`"),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        format!("{spec}:10:11: error [/paths/~1pets~1{{petId}}/get/parameters/0]: the parameter `id` is declared `in: path`, but the path `/pets/{{petId}}` has no `{{id}}`"),
        "{stderr}"
    );
    assert!(stderr.contains("2 errors"), "{stderr}");
}

#[test]
fn validate_passes_clean_documents_with_warnings() {
    // A missing operationId is legal OpenAPI; generation only works around it.
    let (spec, stderr) = validate(&format!("{HEAD}paths:\n  /pets:\n    get:\n      responses:\n        '200': {{description: ok}}\n"), 0);
    assert!(stderr.starts_with(&format!("{spec}:7:5: warning [/paths/~1pets/get]: the operation has no operationId")), "{stderr}");
    assert!(stderr.trim_end().ends_with(&format!("{spec} is valid (1 warning)")), "{stderr}");

    let run = oas(&["validate", ORCHESTRATOR]).expect(0);
    assert!(run.stderr.trim_end().ends_with("is valid (0 warnings)"), "{}", run.stderr);
    oas(&["validate", PETSTORE]).expect(0);
}

#[test]
fn check_fails_when_stale_and_passes_after_generate() {
    let scratch = Scratch::new("check");
    let out = scratch.path("out");
    let run = oas(&["check", PETSTORE, "--out", &out, "--name", "pets"]).expect(1);
    assert_eq!(run.stderr, format!("error: {out} does not exist; to create it, run: oas generate {PETSTORE} --out {out} --name pets\n"));
    assert!(!Path::new(&out).exists(), "check writes nothing");

    oas(&["generate", PETSTORE, "--out", &out, "--name", "pets"]).expect(0);
    let run = oas(&["check", PETSTORE, "--out", &out, "--name", "pets"]).expect(0);
    assert!(run.stderr.trim_end().ends_with(&format!("{out} is up to date with {PETSTORE} (0 warnings)")), "{}", run.stderr);

    // target/ and Cargo.lock belong to the user's build.
    std::fs::create_dir_all(Path::new(&out).join("target/debug")).unwrap();
    std::fs::write(Path::new(&out).join("target/debug/x"), "x").unwrap();
    std::fs::write(Path::new(&out).join("Cargo.lock"), "# lock").unwrap();
    oas(&["check", PETSTORE, "--out", &out, "--name", "pets"]).expect(0);

    let lib = Path::new(&out).join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, text.replacen("pub mod", "pub(crate) mod", 1)).unwrap();
    std::fs::write(Path::new(&out).join("src/extra.rs"), "").unwrap();
    let before = snapshot(Path::new(&out));
    let run = oas(&["check", PETSTORE, "--out", &out, "--name", "pets"]).expect(1);
    assert!(run.stderr.contains("changed: src/lib.rs") && run.stderr.contains("extra:   src/extra.rs"), "{}", run.stderr);
    assert!(run.stderr.contains("-pub(crate) mod"), "{}", run.stderr);
    assert!(run.stderr.trim_end().ends_with(&format!("to update them, run: oas generate {PETSTORE} --out {out} --name pets")), "{}", run.stderr);
    assert_eq!(snapshot(Path::new(&out)), before, "check writes nothing");
    std::fs::remove_file(Path::new(&out).join("src/types.rs")).unwrap();
    let run = oas(&["check", PETSTORE, "--out", &out, "--name", "pets"]).expect(1);
    assert!(run.stderr.contains("missing: src/types.rs"), "{}", run.stderr);

    // Other options are part of what is generated.
    oas(&["check", PETSTORE, "--out", &out, "--name", "pets", "--runtime-version", "0.1"]).expect(1);

    oas(&["generate", PETSTORE, "--out", &out, "--name", "pets"]).expect(0);
    oas(&["check", PETSTORE, "--out", &out, "--name", "pets"]).expect(0);
    assert_eq!(std::fs::read(Path::new(&out).join("target/debug/x")).unwrap(), b"x");
    assert_eq!(std::fs::read(Path::new(&out).join("Cargo.lock")).unwrap(), b"# lock");
}

#[test]
fn failed_generation_leaves_no_partial_output() {
    let scratch = Scratch::new("deny");
    let warned = scratch.file("warned.yaml", &format!("{HEAD}paths:\n  /pets:\n    get:\n      responses:\n        '200': {{description: ok}}\n"));
    let out = scratch.path("out");

    let run = oas(&["generate", &warned, "--out", &out, "--deny-warnings"]).expect(1);
    assert!(run.stderr.contains(&format!("{warned}:7:5: warning [/paths/~1pets/get]: the operation has no operationId")), "{}", run.stderr);
    assert!(run.stderr.trim_end().ends_with("1 warning and --deny-warnings is set; nothing was written"), "{}", run.stderr);
    assert!(!Path::new(&out).exists(), "nothing written");
    assert_eq!(std::fs::read_dir(&scratch.0).unwrap().count(), 1, "no temporary folders left beside the output");

    // An existing crate stays as it was.
    oas(&["generate", PETSTORE, "--out", &out]).expect(0);
    let before = snapshot(Path::new(&out));
    oas(&["generate", &warned, "--out", &out, "--deny-warnings"]).expect(1);
    assert_eq!(snapshot(Path::new(&out)), before);
    assert_eq!(std::fs::read_dir(&scratch.0).unwrap().count(), 2);
}

#[test]
fn generate_refuses_to_replace_a_folder_it_did_not_write() {
    let scratch = Scratch::new("foreign");
    let project = scratch.path("project");
    std::fs::create_dir_all(Path::new(&project).join("src")).unwrap();
    std::fs::write(Path::new(&project).join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    std::fs::write(Path::new(&project).join("src/main.rs"), "fn main() {}\n").unwrap();
    let before = snapshot(Path::new(&project));
    let run = oas(&["generate", PETSTORE, "--out", &project]).expect(1);
    assert!(run.stderr.contains(&format!("error: {project} has files that were not written by `oas generate`")), "{}", run.stderr);
    assert_eq!(snapshot(Path::new(&project)), before);

    // An output path that is a file is reported, not replaced.
    let file = scratch.file("a-file", "x");
    let run = oas(&["generate", PETSTORE, "--out", &file]).expect(1);
    assert!(run.stderr.contains("a-file"), "{}", run.stderr);
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn a_bad_runtime_path_exits_1() {
    let scratch = Scratch::new("runtime");
    let out = scratch.path("out");
    let run = oas(&["generate", PETSTORE, "--out", &out, "--runtime-path", &scratch.path("nowhere")]).expect(1);
    assert!(run.stderr.starts_with("error: --runtime-path ") && run.stderr.contains("nowhere"), "{}", run.stderr);
    assert!(!Path::new(&out).exists());
}

/// The generated crates compile on their own, outside the workspace, with every feature.
/// Dependencies are built into the target folder `cargo xtask corpus` uses, so the two share them.
#[test]
fn generated_crates_build() {
    let target = Path::new(REPO).join("target/corpus");
    let runtime = Path::new(REPO).join("runtime");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let scratch = Scratch::new("build");
    for (spec, name) in [(PETSTORE, "petstore"), (ORCHESTRATOR, "orchestrator")] {
        let out = scratch.path(name);
        oas(&["generate", spec, "--out", &out, "--runtime-path", runtime.to_str().unwrap()]).expect(0);
        // The repository's lock file pins the versions the workspace is tested with and spares a
        // registry lookup.
        std::fs::copy(Path::new(REPO).join("Cargo.lock"), Path::new(&out).join("Cargo.lock")).unwrap();
        let build = Command::new(&cargo)
            .args(["build", "--quiet", "--all-features"])
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("cargo runs");
        assert!(build.status.success(), "{name} does not build:\n{}", String::from_utf8_lossy(&build.stderr));
    }
}

/// `oas generate --watch` running as a child process, killed when dropped, with its stderr
/// collected as it comes.
struct Watching {
    child: Child,
    stderr: Arc<Mutex<String>>,
}

impl Watching {
    fn start(args: &[&str]) -> Watching {
        let mut child =
            Command::new(OAS).args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("the oas binary runs");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let collected = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buffer = [0; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buffer) {
                collected.lock().unwrap().push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        Watching { child, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until the process has said it is watching `runs` times, that is until that run has
    /// finished, and returns its stderr so far. Polls, so a fast machine does not wait long.
    #[track_caller]
    fn wait_for_run(&mut self, runs: usize, limit: Duration) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let stderr = self.stderr();
            if stderr.matches("(Ctrl-C to stop)\n").count() >= runs {
                return stderr;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("oas generate --watch exited ({status}) before run {runs} finished; stderr:\n{}", self.stderr());
            }
            assert!(Instant::now() < deadline, "run {runs} did not finish within {limit:?}; stderr:\n{stderr}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_generates_again_when_the_document_changes() {
    let scratch = Scratch::new("watch");
    let schema = |name: &str, description: &str| format!("    {name}:\n      type: object\n      description: {description}\n");
    let spec = scratch.file("watched.yaml", &format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n{}", schema("Pet", "A pet")));
    // Beside the document, so the output's own writes happen in the watched folder.
    let out = scratch.path("out");
    let mut watching = Watching::start(&["generate", &spec, "--out", &out, "--watch"]);

    let stderr = watching.wait_for_run(1, Duration::from_secs(60));
    assert!(
        stderr.contains(&format!(" files to {out} (0 warnings; every schema typed exactly)\nwatching 1 file for changes (Ctrl-C to stop)\n")),
        "{stderr}"
    );
    let first = snapshot(Path::new(&out));
    assert!(first.iter().any(|(_, text)| String::from_utf8_lossy(text).contains("A pet")));

    // Saved as editors do: a new file renamed over the old one.
    let edited = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n{}{}", schema("Pet", "A cat"), schema("Owner", "Who keeps it"));
    std::fs::write(scratch.path("watched.yaml.tmp"), edited).unwrap();
    std::fs::rename(scratch.path("watched.yaml.tmp"), &spec).unwrap();
    let stderr = watching.wait_for_run(2, Duration::from_secs(10));
    assert!(stderr.contains(&format!("{spec} changed; generating again\n")), "{stderr}");
    let second = snapshot(Path::new(&out));
    assert_ne!(second, first, "{stderr}");
    let text: String = second.iter().map(|(_, text)| String::from_utf8_lossy(text).into_owned()).collect();
    assert!(text.contains("A cat") && text.contains("Who keeps it") && !text.contains("A pet"), "{stderr}");

    // A document that cannot be read: the error is printed, the crate stays, the watch goes on.
    std::fs::write(&spec, "openapi: 3.0.3\ninfo: [\n").unwrap();
    let stderr = watching.wait_for_run(3, Duration::from_secs(10));
    let third = &stderr[stderr.rfind("generating again").unwrap()..];
    assert!(third.contains(&format!("{spec}:")) && third.contains("error"), "{stderr}");
    assert!(watching.child.try_wait().unwrap().is_none(), "still running");
    assert_eq!(snapshot(Path::new(&out)), second);

    // Fixing it generates again.
    std::fs::write(&spec, format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n{}", schema("Pet", "A dog"))).unwrap();
    watching.wait_for_run(4, Duration::from_secs(10));
    let text: String = snapshot(Path::new(&out)).iter().map(|(_, text)| String::from_utf8_lossy(text).into_owned()).collect();
    assert!(text.contains("A dog") && !text.contains("Who keeps it"), "{}", watching.stderr());

    // A file the document references is watched too, from the run that first reads it.
    scratch.file("pet.yaml", "type: object\ndescription: A hamster\n");
    std::fs::write(&spec, format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      $ref: ./pet.yaml\n")).unwrap();
    let stderr = watching.wait_for_run(5, Duration::from_secs(10));
    assert!(stderr.ends_with("watching 2 files for changes (Ctrl-C to stop)\n"), "{stderr}");
    std::fs::write(scratch.path("pet.yaml"), "type: object\ndescription: A rabbit\n").unwrap();
    watching.wait_for_run(6, Duration::from_secs(10));
    let text: String = snapshot(Path::new(&out)).iter().map(|(_, text)| String::from_utf8_lossy(text).into_owned()).collect();
    assert!(text.contains("A rabbit") && !text.contains("A hamster"), "{}", watching.stderr());
}

/// A document split over three files, in a scratch folder: `api/openapi.yaml`, its path file
/// and its schema file.
fn split_document(scratch: &Scratch) -> String {
    std::fs::create_dir_all(scratch.0.join("api/paths")).unwrap();
    std::fs::create_dir_all(scratch.0.join("api/schemas")).unwrap();
    scratch.file("api/paths/pets.yaml", "get:\n  operationId: listPets\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: ../schemas/Pet.yaml}\n");
    scratch.file("api/schemas/Pet.yaml", "type: object\nproperties:\n  id: {type: integer}\n");
    scratch.file("api/openapi.yaml", &format!("{HEAD}paths:\n  /pets: {{$ref: paths/pets.yaml}}\n"))
}

#[test]
fn check_follows_every_file_of_a_split_document() {
    let scratch = Scratch::new("split-check");
    let spec = split_document(&scratch);
    let out = scratch.path("out");
    oas(&["generate", &spec, "--out", &out]).expect(0);
    oas(&["check", &spec, "--out", &out]).expect(0);
    scratch.file("api/schemas/Pet.yaml", "type: object\nproperties:\n  id: {type: integer}\n  name: {type: string}\n");
    let run = oas(&["check", &spec, "--out", &out]).expect(1);
    assert!(run.stderr.contains("src/types.rs"), "{}", run.stderr);
}

#[test]
fn bundle_writes_the_document_generate_works_from() {
    let scratch = Scratch::new("split-bundle");
    let spec = split_document(&scratch);
    let run = oas(&["bundle", &spec]).expect(0);
    assert!(run.stdout.contains("$ref: '#/components/schemas/Pet'") && run.stdout.contains("operationId: listPets"), "{}", run.stdout);
    let bundled = scratch.path("bundled.json");
    let run = oas(&["bundle", &spec, "-o", &bundled]).expect(0);
    assert!(run.stderr.contains("from 3 files"), "{}", run.stderr);
    let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&bundled).unwrap()).unwrap();
    assert_eq!(document["components"]["schemas"]["Pet"]["properties"]["id"]["type"], "integer");
    // Under the root's name, as the crate's header names the document's file.
    std::fs::create_dir_all(scratch.0.join("whole")).unwrap();
    let whole = scratch.path("whole/openapi.yaml");
    oas(&["bundle", &spec, "-o", &whole]).expect(0);
    oas(&["generate", &spec, "--out", &scratch.path("split/out")]).expect(0);
    oas(&["generate", &whole, "--out", &scratch.path("whole/out")]).expect(0);
    let split = snapshot(&scratch.0.join("split/out/src"));
    assert!(split == snapshot(&scratch.0.join("whole/out/src")), "the bundle generates the same code");
}

#[test]
fn references_leaving_the_folder_or_the_machine_exit_1_naming_the_flag() {
    let scratch = Scratch::new("split-guard");
    let spec = split_document(&scratch);
    scratch.file("shared.yaml", "type: string\n");
    scratch.file("api/schemas/Pet.yaml", "type: object\nproperties:\n  tag: {$ref: ../../shared.yaml}\n");
    let out = scratch.path("out");
    let run = oas(&["generate", &spec, "--out", &out]).expect(1);
    assert!(
        run.stderr.contains("schemas/Pet.yaml:3:9: error [/properties/tag/$ref]") && run.stderr.contains("--allow-refs-outside"),
        "{}",
        run.stderr
    );
    assert!(!Path::new(&out).exists(), "nothing written");
    oas(&["generate", &spec, "--out", &out, "--allow-refs-outside", scratch.0.to_str().unwrap()]).expect(0);

    scratch.file("api/schemas/Pet.yaml", "type: object\nproperties:\n  tag: {$ref: 'http://127.0.0.1:9/tag.yaml'}\n");
    let run = oas(&["validate", &spec]).expect(1);
    assert!(run.stderr.contains("--allow-remote-refs 127.0.0.1:9"), "{}", run.stderr);
    let run = oas(&["validate", &spec, "--allow-remote-refs", "127.0.0.1:9"]).expect(0);
    assert!(run.stderr.contains("could not fetch http://127.0.0.1:9/tag.yaml"), "{}", run.stderr);
}

#[test]
fn diff_sees_a_change_inside_a_referenced_file() {
    let old = Scratch::new("split-diff-old");
    let new = Scratch::new("split-diff-new");
    let old_spec = split_document(&old);
    let new_spec = split_document(&new);
    new.file("api/schemas/Pet.yaml", "type: object\nrequired: [id]\nproperties:\n  id: {type: string}\n");
    let run = oas(&["diff", &old_spec, &new_spec]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("schemas/Pet.yaml:4:"), "{}", run.stdout);
}

const SWAGGER: &str = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: api.example.com\nbasePath: /v1\nschemes: [https]\nconsumes: [application/json]\nproduces: [application/json]\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      parameters:\n        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: pipes}\n      responses:\n        '200': {description: ok, schema: {type: array, items: {$ref: '#/definitions/Pet'}}}\n    post:\n      operationId: addPet\n      parameters:\n        - {name: body, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}\n      responses:\n        '201': {description: created}\ndefinitions:\n  Pet:\n    type: object\n    required: [id]\n    properties:\n      id: {type: integer, format: int64}\n      tag: {type: string, x-nullable: true}\n";

#[test]
fn swagger_2_documents_are_read_by_every_command() {
    let scratch = Scratch::new("swagger2");
    let spec = scratch.file("petstore.yaml", SWAGGER);
    oas(&["validate", &spec]).expect(0);
    oas(&["lint", &spec]).expect(0);
    let out = scratch.path("out");
    oas(&["generate", &spec, "--out", &out]).expect(0);
    let types = std::fs::read_to_string(scratch.0.join("out/src/types.rs")).unwrap();
    assert!(types.contains("pub struct Pet") && types.contains("pub id: i64"), "{types}");
    let client = std::fs::read_to_string(scratch.0.join("out/src/client.rs")).unwrap();
    assert!(client.contains("PipeDelimited"), "collectionFormat: pipes is a pipe-delimited query parameter");

    // The 3.0 form, and a diff between the two versions of the same API that finds nothing.
    let converted = scratch.path("petstore-3.yaml");
    oas(&["convert", &spec, "--to", "3.0", "-o", &converted]).expect(0);
    let text = std::fs::read_to_string(&converted).unwrap();
    assert!(text.starts_with("openapi: 3.0.3\n") && text.contains("url: https://api.example.com/v1"), "{text}");
    let run = oas(&["diff", &spec, &converted]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    // On to 3.1, from the 2.0 text or its 3.0 form alike.
    for source in [&spec, &converted] {
        let run = oas(&["convert", source, "--to", "3.1"]).expect(0);
        assert!(run.stdout.starts_with("openapi: 3.1.0\n"), "{}", run.stdout);
        assert!(run.stdout.contains("tag:\n          type:\n          - string\n          - 'null'\n"), "{}", run.stdout);
    }

    // Findings point at the 2.0 text, not at where the converted form put things.
    let broken = scratch.file("broken.yaml", &SWAGGER.replace("type: integer, format: int64", "type: integr"));
    let run = oas(&["lint", &broken]).expect(1);
    assert!(run.stderr.contains("broken.yaml:27:12: error [/definitions/Pet/properties/id/type]"), "{}", run.stderr);
    let run = oas(&["generate", &broken, "--out", &scratch.path("broken-out")]).expect(0);
    assert!(run.stderr.contains("broken.yaml:27:12: warning [/definitions/Pet/properties/id/type]: `type` must be one of"), "{}", run.stderr);
    // Also what only lowering finds, in the converted form, is placed in the 2.0 text.
    let odd = scratch.file("odd.yaml", &SWAGGER.replace("tag: {type: string, x-nullable: true}", "tag: {type: string, pattern: '(unclosed'}"));
    let run = oas(&["generate", &odd, "--out", &scratch.path("odd-out")]).expect(0);
    assert!(run.stderr.contains("odd.yaml:28:27: warning [/definitions/Pet/properties/tag/pattern]"), "{}", run.stderr);
}

const OPENAPI_3_0: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}\n              example: [{id: 1}]\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      required: [id]\n      properties:\n        id: {type: integer, minimum: 0, exclusiveMinimum: true, example: 7}\n        tag: {type: string, nullable: true}\n        owner: {$ref: '#/components/schemas/Owner', type: object, nullable: true, description: who}\n    Owner:\n      properties:\n        name: {type: string}\n";

#[test]
fn openapi_3_0_documents_convert_to_3_1_and_3_2() {
    let scratch = Scratch::new("upgrade");
    let spec = scratch.file("pets.yaml", OPENAPI_3_0);
    let upgraded = scratch.path("pets-3.1.yaml");
    let run = oas(&["convert", &spec, "--to", "3.1", "-o", &upgraded]).expect(0);
    // The keyword beside `$ref` that 3.1 would apply is dropped, and said so at its line.
    assert!(run.stderr.contains("pets.yaml:22:53: warning [/components/schemas/Pet/properties/owner/type]: `type` beside `$ref`"), "{}", run.stderr);
    let text = std::fs::read_to_string(&upgraded).unwrap();
    assert!(text.starts_with("openapi: 3.1.0\n"), "{text}");
    assert!(text.contains("id:\n          type: integer\n          exclusiveMinimum: 0\n          examples:\n          - 7\n"), "{text}");
    assert!(
        text.contains(
            "owner:\n          description: who\n          anyOf:\n          - $ref: '#/components/schemas/Owner'\n          - type: 'null'\n"
        ),
        "{text}"
    );
    // The example of the media type stays: it is not a schema's.
    assert!(text.contains("example:\n              - id: 1\n"), "{text}");
    oas(&["lint", &upgraded]).expect(0);

    // The same types from either version (below the header, which names the file).
    let types = |document: &str, out: &str| {
        oas(&["generate", document, "--out", &scratch.path(out)]).expect(0);
        let text = std::fs::read_to_string(scratch.0.join(out).join("src/types.rs")).unwrap();
        text.split_once('\n').map(|(_, rest)| rest.to_string()).unwrap_or_default()
    };
    assert_eq!(types(&spec, "out-3.0"), types(&upgraded, "out-3.1"));

    // 3.2 from 3.0 in one go, or from the 3.1 form; JSON when asked.
    let run = oas(&["convert", &spec, "--to", "3.2", "--format", "json"]).expect(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["openapi"], "3.2.0");
    assert_eq!(json["components"]["schemas"]["Pet"]["properties"]["tag"]["type"], serde_json::json!(["string", "null"]));
    let newest = scratch.path("pets-3.2.yaml");
    oas(&["convert", &upgraded, "--to", "3.2", "-o", &newest]).expect(0);
    assert!(std::fs::read_to_string(&newest).unwrap().starts_with("openapi: 3.2.0\n"));

    // The same version is written unchanged; downgrades and unknown versions are refused.
    let run = oas(&["convert", &upgraded, "--to", "3.1"]).expect(0);
    assert_eq!(run.stdout, std::fs::read_to_string(&upgraded).unwrap());
    let run = oas(&["convert", &newest, "--to", "3.1"]).expect(1);
    assert!(run.stderr.contains("is OpenAPI 3.2; converting it to an earlier version (OpenAPI 3.1) is not supported"), "{}", run.stderr);
    let run = oas(&["convert", &upgraded, "--to", "3.0"]).expect(1);
    assert!(run.stderr.contains("earlier version (OpenAPI 3.0)"), "{}", run.stderr);
    oas(&["convert", &spec, "--to", "2.0"]).expect(2);
    let run = oas(&["convert", &scratch.path("missing.yaml"), "--to", "3.1"]).expect(1);
    assert!(run.stderr.contains("missing.yaml"), "{}", run.stderr);
}

#[test]
fn a_document_with_both_version_fields_is_refused() {
    let scratch = Scratch::new("both-versions");
    let spec = scratch.file("both.yaml", &format!("openapi: 3.0.3\n{SWAGGER}"));
    let run = oas(&["validate", &spec]).expect(1);
    assert!(run.stderr.contains("both `swagger` and `openapi`"), "{}", run.stderr);
}

/// Numbers a double does not reproduce are written back as the document wrote them: in JSON
/// every one, in YAML the integers (its writer has no way to write a decimal's text).
#[test]
fn convert_and_bundle_write_big_numbers_as_written() {
    let scratch = Scratch::new("big-numbers");
    let spec = scratch.file(
        "bounds.yaml",
        "openapi: 3.0.3\ninfo: {title: bounds, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Count:\n      type: integer\n      minimum: -9223372036854776000\n      exclusiveMinimum: true\n      maximum: 123456789012345678901234567890\n      multipleOf: 0.100000000000000000000000001\n",
    );
    let run = oas(&["convert", &spec, "--to", "3.1", "--format", "json"]).expect(0);
    assert!(run.stdout.contains(r#""exclusiveMinimum": -9223372036854776000"#), "{}", run.stdout);
    assert!(run.stdout.contains(r#""maximum": 123456789012345678901234567890"#), "{}", run.stdout);
    assert!(run.stdout.contains(r#""multipleOf": 0.100000000000000000000000001"#), "{}", run.stdout);
    let run = oas(&["convert", &spec, "--to", "3.1"]).expect(0);
    assert!(run.stdout.contains("exclusiveMinimum: -9223372036854776000\n"), "{}", run.stdout);
    assert!(run.stdout.contains("maximum: 123456789012345678901234567890\n"), "{}", run.stdout);
    assert!(run.stdout.contains("multipleOf: 0.1\n"), "{}", run.stdout);
    let run = oas(&["bundle", &spec, "--format", "json"]).expect(0);
    assert!(run.stdout.contains(r#""minimum": -9223372036854776000"#), "{}", run.stdout);
}
