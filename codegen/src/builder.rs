//! The build-script API: one OpenAPI document in, one Rust file in `OUT_DIR` out.
//!
//! ```no_run
//! // In `fn main` of build.rs:
//! oas_codegen::builder::Builder::new("openapi.yaml")
//!     .server(true)
//!     .generate()
//!     .expect("generating the API from openapi.yaml");
//! ```
//!
//! The crate-level documentation walks through the whole workflow.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Severity};
use crate::generate::{generate_owned, GenerateError, Options};
use crate::load::{load_file_with, LoadError, LoadOptions};
use crate::output::{write_file_if_changed, OutputError};

/// Generates the API of one OpenAPI document into one file, for a build script to `include!`.
///
/// Every option has a default that suits a build script; see the methods.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    options: Options,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
    load: LoadOptions,
    remote_hosts: Vec<String>,
}

/// What [`Builder::generate`] did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Summary {
    /// The generated file, to `include!`.
    pub path: PathBuf,
    /// Every warning about the document, with its pointer and line and column. Under cargo they
    /// have also been printed as `cargo:warning=` lines.
    pub warnings: Vec<Diagnostic>,
    /// Whether the file was written; `false` when it already held exactly this text, in which
    /// case its modification time is unchanged and nothing that includes it is rebuilt.
    pub written: bool,
    /// Every file the document was read from, the root first; under cargo each was printed as a
    /// `cargo:rerun-if-changed=` line.
    pub files: Vec<PathBuf>,
}

/// Why [`Builder::generate`] failed. In every case the output file is left as it was.
///
/// `Debug` prints the same message as `Display`, so that `.expect("...")` in a build script shows
/// a readable error rather than a struct dump.
#[non_exhaustive]
pub enum BuildError {
    /// The document cannot be read as OpenAPI at all (missing, not YAML or JSON, Swagger 2.0, …).
    Load(LoadError),
    /// Generation failed: a derive or runtime path that is not a Rust path, warnings when they
    /// are denied (all of them listed), or a bug in this crate.
    Generate(GenerateError),
    /// The file name is not a plain file name.
    Config(String),
    /// The file could not be written.
    Output(OutputError),
    /// No output folder: `OUT_DIR` is not set (it is in build scripts) and `out_dir` was not called.
    NoOutDir,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Load(error) => write!(f, "{error}"),
            BuildError::Generate(error @ GenerateError::Warnings(warnings)) => {
                write!(f, "{error}")?;
                for warning in warnings {
                    write!(f, "\n  {warning}")?;
                }
                Ok(())
            }
            BuildError::Generate(error) => write!(f, "{error}"),
            BuildError::Config(message) => f.write_str(message),
            BuildError::Output(error) => write!(f, "{error}"),
            BuildError::NoOutDir => f.write_str("no output folder: OUT_DIR is not set (it is in build scripts); call `Builder::out_dir` elsewhere"),
        }
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Load(error) => Some(error),
            BuildError::Generate(error) => Some(error),
            BuildError::Output(error) => Some(error),
            _ => None,
        }
    }
}

impl Builder {
    /// A builder for the document at `spec`. A relative path is taken from the folder of the
    /// `Cargo.toml` being built (`CARGO_MANIFEST_DIR`), as cargo does for build scripts, so the
    /// result does not depend on the folder cargo was started in; without that variable it is
    /// taken from the current folder.
    pub fn new(spec: impl AsRef<Path>) -> Builder {
        // No reference pages: nothing would read them from `OUT_DIR`.
        let options = Options { server: false, client: false, docs: false, ..Options::default() };
        Builder { spec: spec.as_ref().to_path_buf(), options, out_dir: None, file_name: None, load: LoadOptions::default(), remote_hosts: Vec::new() }
    }

    /// A builder set up from the `[generate]` section of a configuration file (`oas.toml`, see
    /// [`crate::config`]): its `spec`, which it must name, and every generation option it sets,
    /// reference permissions included, since the file is named here. A relative path is taken
    /// from `CARGO_MANIFEST_DIR` as [`Builder::new`] does, and paths inside the file from the
    /// file's folder. Methods called afterwards override the file.
    pub fn from_config(path: impl AsRef<Path>) -> Result<Builder, BuildError> {
        let path = resolve_spec(path.as_ref(), std::env::var_os("CARGO_MANIFEST_DIR"));
        let config = crate::config::Config::read(&path, crate::config::Source::Named).map_err(|error| BuildError::Config(error.to_string()))?;
        let generate = config.generate;
        let Some(spec) = &generate.spec else {
            return Err(BuildError::Config(format!("{}: error: `[generate]` names no `spec`", path.display())));
        };
        let mut builder = Builder::new(spec);
        builder.options = generate.apply(builder.options);
        if let Some(hosts) = &generate.allow_remote_refs {
            builder.remote_hosts.extend(hosts.get_ref().iter().cloned());
        }
        if let Some(folders) = &generate.allow_refs_outside {
            builder.load.allow_refs_outside.extend(folders.get_ref().iter().cloned());
        }
        Ok(builder)
    }

    /// Generates the axum server (`server` module: one trait per operation, `Handlers`,
    /// `router`). Off by default. The including crate needs `oas-runtime` with its `server`
    /// feature.
    pub fn server(mut self, yes: bool) -> Self {
        self.options.server = yes;
        self
    }

    /// Generates the reqwest client (`client::Client`). Off by default. The including crate needs
    /// `oas-runtime` with its `client` feature.
    pub fn client(mut self, yes: bool) -> Self {
        self.options.client = yes;
        self
    }

    /// Adds a derive to every schema type, for example `"Hash"` or `"schemars::JsonSchema"`; may
    /// be called several times. The derive applies to all schema types, so it must fit all of
    /// them: `Eq` and `Hash` do not compile on a type holding an `f64` or a `serde_json::Value`.
    /// Derives a type already has are not repeated. Request and response types get none.
    pub fn extra_derive(mut self, path: &str) -> Self {
        self.options.extra_derives.push(path.to_string());
        self
    }

    /// The path generated code uses for the runtime crate, `::oas_runtime` by default. Set it when
    /// the including crate reaches the runtime through a re-export (`my_platform::oas_runtime`).
    pub fn runtime_path(mut self, path: &str) -> Self {
        self.options.runtime_path = path.to_string();
        self
    }

    /// Fails (and writes nothing) when the document has warnings. Off by default: a warning
    /// means generation did the sound thing for one part of the document and went on.
    pub fn deny_warnings(mut self, yes: bool) -> Self {
        self.options.deny_warnings = yes;
        self
    }

    /// Whether string enums keep unknown values in an `Other(String)` variant, so a client keeps
    /// working when a server adds a value. On by default; closed enums also derive `Copy`, `Eq`
    /// and `Hash`.
    pub fn open_enums(mut self, yes: bool) -> Self {
        self.options.open_enums = yes;
        self
    }

    /// Generate only the operations with any of these tags, the types they reach and the parts
    /// of the document they use (may be combined with [`Builder::operations`]). Types are named
    /// on the whole document first, so each kept type is the same as in the full API. An unknown
    /// tag, or a subset that leaves no operation, fails generation.
    pub fn tags<S: AsRef<str>>(mut self, tags: &[S]) -> Self {
        self.options.subset.tags.extend(tags.iter().map(|tag| tag.as_ref().to_string()));
        self
    }

    /// Generate only these operations (by operationId), as [`Builder::tags`] does for tags.
    pub fn operations<S: AsRef<str>>(mut self, ids: &[S]) -> Self {
        self.options.subset.operations.extend(ids.iter().map(|id| id.as_ref().to_string()));
        self
    }

    /// Use the existing Rust type at `path` (`"my_crate::Pet"`) for the schema `schema` (its
    /// name under `components/schemas`): the type is not generated and every use names `path`.
    /// The type must serialize as the schema says; the server still validates against the
    /// schema. A schema that does not exist, or a path that is not a plain Rust path, fails
    /// generation.
    pub fn replace(mut self, schema: &str, path: &str) -> Self {
        self.options.types.schemas.push((schema.to_string(), path.to_string()));
        self
    }

    /// Use the Rust type at `path` for every value of `format` (`date-time`, `date` or `uuid`),
    /// e.g. `format_type("date-time", "jiff::Timestamp")`.
    pub fn format_type(mut self, format: &str, path: &str) -> Self {
        self.options.types.formats.push((format.to_string(), path.to_string()));
        self
    }

    /// Honour each schema's `x-rust-type` (a plain Rust path used instead of generating the
    /// type). Off by default, since text in a document must not choose code unless asked to.
    pub fn x_rust_type(mut self, yes: bool) -> Self {
        self.options.types.x_rust_type = yes;
        self
    }

    /// Leave out the operations with any of these tags.
    pub fn exclude_tags<S: AsRef<str>>(mut self, tags: &[S]) -> Self {
        self.options.subset.exclude_tags.extend(tags.iter().map(|tag| tag.as_ref().to_string()));
        self
    }

    /// Leave out these operations (by operationId).
    pub fn exclude_operations<S: AsRef<str>>(mut self, ids: &[S]) -> Self {
        self.options.subset.exclude_operations.extend(ids.iter().map(|id| id.as_ref().to_string()));
        self
    }

    /// Fetch remote `$ref`s (http, https) from this host (`schemas.example.com`, or with a port,
    /// `127.0.0.1:8080`); may be called for several hosts. By default a remote reference is an
    /// error. Fetching needs this crate's `remote-refs` feature; without it an allowed remote
    /// reference is a warning and is not followed.
    pub fn allow_remote_refs(mut self, host: &str) -> Self {
        self.remote_hosts.push(host.to_string());
        self
    }

    /// Follow `$ref`s into this folder too, besides the document's own; may be called for
    /// several folders. By default a reference that leads outside the document's folder is an
    /// error.
    pub fn allow_refs_outside(mut self, dir: impl AsRef<Path>) -> Self {
        self.load.allow_refs_outside.push(dir.as_ref().to_path_buf());
        self
    }

    /// The folder to write to, `OUT_DIR` by default.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The name of the generated file, by default the document's file stem in snake case plus
    /// `.rs` (`openapi.yaml` → `openapi.rs`). Set it when one build script generates from
    /// several documents with the same stem.
    pub fn file_name(mut self, name: &str) -> Self {
        self.file_name = Some(name.to_string());
        self
    }

    /// Reads the document, generates the file and writes it if its text changed.
    ///
    /// Under cargo (when `OUT_DIR` is set) it prints `cargo:rerun-if-changed=<spec>` first, so a
    /// fix to a broken document reruns the build script, then the same line for every other file
    /// the document's references read, and one `cargo:warning=` line per diagnostic.
    pub fn generate(self) -> Result<Summary, BuildError> {
        let under_cargo = std::env::var_os("OUT_DIR").is_some();
        let spec = resolve_spec(&self.spec, std::env::var_os("CARGO_MANIFEST_DIR"));
        let out_dir = output_folder(self.out_dir.clone(), std::env::var_os("OUT_DIR"))?;
        let file_name = match &self.file_name {
            Some(name) => checked_file_name(name)?,
            None => default_file_name(&spec),
        };
        if under_cargo {
            println!("cargo:rerun-if-changed={}", spec.display());
        }

        let mut load = self.load.clone();
        for host in &self.remote_hosts {
            load.remote.hosts.push(host.parse().map_err(|error| BuildError::Config(format!("allow_remote_refs(\"{host}\"): {error}")))?);
        }
        let document = load_file_with(&spec, &load).map_err(BuildError::Load)?;
        let files = document.files();
        if under_cargo {
            // The root was printed before reading, so that a fix to it reruns a failed build.
            for file in files.iter().skip(1) {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        let warnings = |diagnostics: &[Diagnostic]| {
            if under_cargo {
                // Notes about unused fields would only be noise in every build's output.
                for diagnostic in diagnostics.iter().filter(|diagnostic| diagnostic.severity != Severity::Info) {
                    println!("cargo:warning={}", cargo_warning(&spec, diagnostic));
                }
            }
        };
        // The document is not needed after generation, which lets go of it before emission.
        let generated = match generate_owned(document, &self.options) {
            Ok(generated) => generated,
            Err(error) => {
                if let GenerateError::Warnings(diagnostics) = &error {
                    warnings(diagnostics);
                }
                return Err(BuildError::Generate(error));
            }
        };
        warnings(&generated.diagnostics);
        let mut text = generated.render_include();
        text.insert_str(0, &header(&spec, &file_name));
        let path = out_dir.join(file_name);
        let written = write_file_if_changed(&path, &text).map_err(BuildError::Output)?;
        Ok(Summary { path, warnings: generated.diagnostics, written, files })
    }
}

/// The first lines of the generated file. Only the document's file name goes in, so the text
/// does not depend on where the checkout is.
fn header(spec: &Path, file_name: &str) -> String {
    let name = spec.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    // A file name may hold anything but `/`; control characters would end the comment.
    let name: String = name.chars().map(|c| if c.is_control() { '?' } else { c }).collect();
    format!(
        "// Generated by oas-codegen from `{name}` in a build script. Do not edit.\n\
         // Include it in a module: `mod api {{ include!(concat!(env!(\"OUT_DIR\"), \"/{file_name}\")); }}`.\n\n"
    )
}

/// One diagnostic as the text of a `cargo:warning=` line: the one rendering every tool uses,
/// which editors and terminals turn into a link. Cargo already prefixes `warning:`.
fn cargo_warning(spec: &Path, diagnostic: &Diagnostic) -> String {
    // A cargo directive ends at the line break; a message must not start a new one.
    diagnostic.render(Some(spec)).replace(['\r', '\n'], " ")
}

fn resolve_spec(spec: &Path, manifest_dir: Option<OsString>) -> PathBuf {
    match manifest_dir {
        Some(dir) if spec.is_relative() => PathBuf::from(dir).join(spec),
        _ => spec.to_path_buf(),
    }
}

fn output_folder(explicit: Option<PathBuf>, env: Option<OsString>) -> Result<PathBuf, BuildError> {
    explicit.or_else(|| env.map(PathBuf::from)).ok_or(BuildError::NoOutDir)
}

/// The document's file stem in snake case: letters, digits and `_` only, so the name is the same
/// on every platform and can be spelled in `concat!`.
fn default_file_name(spec: &Path) -> String {
    let stem = spec.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default();
    let mut name = String::with_capacity(stem.len());
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('_') {
            name.push('_');
        }
    }
    let name = name.trim_end_matches('_');
    format!("{}.rs", if name.is_empty() { "api" } else { name })
}

/// A file name given by the user, refused when it would leave the output folder or is no name.
fn checked_file_name(name: &str) -> Result<String, BuildError> {
    let refuse = |reason: &str| Err(BuildError::Config(format!("file name {name:?} {reason}")));
    if name.is_empty() || name == "." || name == ".." {
        return refuse("is not a file name");
    }
    if name.contains(['/', '\\']) {
        return refuse("has a folder in it; set the folder with `out_dir`");
    }
    if name.chars().any(char::is_control) || name.contains(':') {
        return refuse("holds a character that is not allowed in file names on every platform");
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh, empty folder under the system temp folder, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(label: &str) -> TempDir {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir = std::env::temp_dir().join(format!("oas-builder-{label}-{}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).expect("the temp folder can be created");
            TempDir(dir)
        }

        fn write(&self, name: &str, text: &str) -> PathBuf {
            let path = self.0.join(name);
            fs::write(&path, text).expect("the test file can be written");
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    const PETS: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: the pets\n          content:\n            application/json:\n              schema:\n                type: array\n                items: {$ref: '#/components/schemas/Pet'}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      required: [name]\n      properties:\n        name: {type: string}\n";

    /// The same document with the operationId left out, which is a warning (one is derived).
    const PETS_WITHOUT_ID: &str = "openapi: 3.1.0\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n";

    #[test]
    fn generating_twice_writes_once() {
        let dir = TempDir::new("twice");
        let spec = dir.write("pets.yaml", PETS);
        let out = dir.0.join("out");
        let first = Builder::new(&spec).server(true).out_dir(&out).generate().unwrap();
        assert!(first.written);
        assert_eq!(first.path, out.join("pets.rs"));
        assert!(first.warnings.is_empty(), "{:?}", first.warnings);
        let second = Builder::new(&spec).server(true).out_dir(&out).generate().unwrap();
        assert!(!second.written);
        // A changed option changes the text, which is written again.
        let third = Builder::new(&spec).out_dir(&out).generate().unwrap();
        assert!(third.written);
    }

    #[test]
    fn the_output_parses_and_names_its_source() {
        let dir = TempDir::new("parses");
        let spec = dir.write("pets.yaml", PETS);
        let summary = Builder::new(&spec).server(true).extra_derive("Eq").out_dir(&dir.0).generate().unwrap();
        let text = fs::read_to_string(&summary.path).unwrap();
        assert!(text.starts_with("// Generated by oas-codegen from `pets.yaml` in a build script. Do not edit.\n"), "{text}");
        let file = syn::parse_file(&text).expect("the generated file parses");
        assert!(file.attrs.is_empty(), "`include!` refuses inner attributes at the top");
        assert!(text.contains("pub struct Pet {"), "{text}");
        assert!(text.contains("Eq)]\n    pub struct Pet"), "{text}");
        assert!(text.contains("pub mod server {"), "{text}");
    }

    #[test]
    fn a_configuration_file_sets_the_spec_and_options_and_methods_override_it() {
        let dir = TempDir::new("config");
        dir.write("pets.yaml", PETS);
        let config = dir.write("oas.toml", "[generate]\nspec = 'pets.yaml'\nserver = true\nextra-derives = ['Eq']\n");
        let summary = Builder::from_config(&config).unwrap().out_dir(&dir.0).generate().unwrap();
        let text = fs::read_to_string(&summary.path).unwrap();
        assert!(text.contains("pub mod server {") && text.contains("Eq)]\n    pub struct Pet"), "{text}");
        let summary = Builder::from_config(&config).unwrap().server(false).out_dir(&dir.0).generate().unwrap();
        assert!(!fs::read_to_string(&summary.path).unwrap().contains("pub mod server {"));
        let no_spec = dir.write("empty.toml", "[generate]\nserver = true\n");
        let error = Builder::from_config(&no_spec).unwrap_err().to_string();
        assert!(error.ends_with("empty.toml: error: `[generate]` names no `spec`"), "{error}");
        let wrong = dir.write("wrong.toml", "[generate]\nsever = true\n");
        let error = Builder::from_config(&wrong).unwrap_err().to_string();
        assert!(error.contains("wrong.toml:2:1: error: unknown field `sever`"), "{error}");
    }

    #[test]
    fn a_missing_spec_is_a_load_error_naming_the_path() {
        let dir = TempDir::new("missing");
        let spec = dir.0.join("nowhere.yaml");
        let error = Builder::new(&spec).out_dir(&dir.0).generate().unwrap_err();
        assert!(matches!(error, BuildError::Load(_)), "{error}");
        let message = error.to_string();
        assert!(message.starts_with(&format!("{}: error: cannot read the file: ", spec.display())), "{message}");
        // `.expect` shows the same message.
        assert_eq!(format!("{error:?}"), message);
        assert!(fs::read_dir(&dir.0).unwrap().next().is_none(), "nothing is written");
    }

    #[test]
    fn denied_warnings_fail_and_write_nothing() {
        let dir = TempDir::new("deny");
        let spec = dir.write("pets.yaml", PETS_WITHOUT_ID);
        let out = dir.0.join("out");
        let error = Builder::new(&spec).deny_warnings(true).out_dir(&out).generate().unwrap_err();
        let BuildError::Generate(GenerateError::Warnings(warnings)) = &error else { panic!("not a warnings error: {error}") };
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].pointer.starts_with("/paths/~1pets/get"), "{:?}", warnings[0]);
        assert!(warnings[0].position.is_some(), "positions are filled in: {:?}", warnings[0]);
        assert!(error.to_string().starts_with("1 warning and warnings are denied\n  "), "{error}");
        assert!(error.to_string().contains(": warning [/paths/~1pets/get]: "), "{error}");
        assert!(!out.exists(), "nothing is written");

        // Without `deny_warnings` the same document generates, and the warning is reported.
        let summary = Builder::new(&spec).out_dir(&out).generate().unwrap();
        assert!(summary.written);
        assert_eq!(&summary.warnings, warnings);
    }

    #[test]
    fn a_broken_document_leaves_the_previous_output() {
        let dir = TempDir::new("broken");
        let spec = dir.write("pets.yaml", PETS);
        let summary = Builder::new(&spec).out_dir(&dir.0).generate().unwrap();
        let before = fs::read_to_string(&summary.path).unwrap();
        dir.write("pets.yaml", "swagger: '1.2'\n");
        let error = Builder::new(&spec).out_dir(&dir.0).generate().unwrap_err();
        assert!(error.to_string().contains("unknown Swagger version"), "{error}");
        assert_eq!(fs::read_to_string(&summary.path).unwrap(), before);
    }

    #[test]
    fn cargo_warnings_are_one_line_with_the_position() {
        let mut warning = Diagnostic::warning("/paths/~1pets/get", "the operation has no operationId;\nderived `getPets`");
        warning.position = Some(crate::diagnostics::Position { line: 5, column: 5 });
        let spec = Path::new("/crate/pets.yaml");
        assert_eq!(
            cargo_warning(spec, &warning),
            "/crate/pets.yaml:5:5: warning [/paths/~1pets/get]: the operation has no operationId; derived `getPets`"
        );
        let error = Diagnostic::error("", "broken");
        assert_eq!(cargo_warning(spec, &error), "/crate/pets.yaml: error: broken");
    }

    #[test]
    fn relative_specs_are_taken_from_the_manifest_folder() {
        assert_eq!(resolve_spec(Path::new("spec/a.yaml"), Some("/crate".into())), Path::new("/crate/spec/a.yaml"));
        assert_eq!(resolve_spec(Path::new("spec/a.yaml"), None), Path::new("spec/a.yaml"));
        let absolute = std::env::temp_dir().join("a.yaml");
        assert_eq!(resolve_spec(&absolute, Some("/crate".into())), absolute);
    }

    #[test]
    fn the_orchestrator_spec_generates_from_a_relative_path() {
        // Under cargo the working folder and CARGO_MANIFEST_DIR are both `codegen/`.
        let dir = TempDir::new("orchestrator");
        let summary = Builder::new("../spec/openapi.yaml").server(true).client(true).deny_warnings(true).out_dir(&dir.0).generate().unwrap();
        assert_eq!(summary.path, dir.0.join("openapi.rs"));
        let file = syn::parse_file(&fs::read_to_string(&summary.path).unwrap()).expect("the generated file parses");
        let modules: Vec<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Mod(module) => Some(module.ident.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(modules, ["types", "operations", "client", "server"]);
    }

    #[test]
    fn the_output_folder_comes_from_out_dir_unless_given() {
        assert!(matches!(output_folder(None, None), Err(BuildError::NoOutDir)));
        assert_eq!(output_folder(None, Some("/out".into())).unwrap(), Path::new("/out"));
        assert_eq!(output_folder(Some("/mine".into()), Some("/out".into())).unwrap(), Path::new("/mine"));
        assert_eq!(
            BuildError::NoOutDir.to_string(),
            "no output folder: OUT_DIR is not set (it is in build scripts); call `Builder::out_dir` elsewhere"
        );
    }

    #[test]
    fn default_file_names_are_snake_case_stems() {
        for (spec, expected) in
            [("openapi.yaml", "openapi.rs"), ("spec/Orchestrator-API.v2.json", "orchestrator_api_v2.rs"), ("--.yaml", "api.rs"), ("pets", "pets.rs")]
        {
            assert_eq!(default_file_name(Path::new(spec)), expected, "{spec}");
        }
    }

    #[test]
    fn file_names_with_folders_are_refused() {
        for name in ["", "..", "../lib.rs", "a/b.rs", "a\\b.rs", "c:x.rs", "a\nb.rs"] {
            let error = checked_file_name(name).unwrap_err();
            assert!(matches!(error, BuildError::Config(_)), "{name:?}");
            assert!(error.to_string().starts_with(&format!("file name {name:?} ")), "{error}");
        }
        assert_eq!(checked_file_name("orchestrator_api.rs").unwrap(), "orchestrator_api.rs");
    }

    #[test]
    fn unusable_options_are_errors_and_write_nothing() {
        let dir = TempDir::new("config");
        let spec = dir.write("pets.yaml", PETS);
        let out = dir.0.join("out");
        let error = Builder::new(&spec).extra_derive("not a path").out_dir(&out).generate().unwrap_err();
        assert!(matches!(error, BuildError::Generate(GenerateError::Options(_))), "{error}");
        assert_eq!(error.to_string(), "extra derive `not a path` is not a path such as `Eq` or `schemars::JsonSchema`");
        let error = Builder::new(&spec).file_name("../escape.rs").out_dir(&out).generate().unwrap_err();
        assert!(matches!(error, BuildError::Config(_)), "{error}");
        assert!(!out.exists());
    }
}
