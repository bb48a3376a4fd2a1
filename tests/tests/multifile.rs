//! Documents split over many files, as `tests/multifile.toml` describes the corpus's roots: `ok`
//! roots generate with every reference followed, `broken` ones warn at each reference that
//! cannot be followed, `remote` ones are refused unless their host is allowed; and the guards
//! (the document's folder, the limits) hold.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use oas_codegen::diagnostics::Diagnostic;
use oas_codegen::fetch::RemoteAccess;
use oas_codegen::load::{load_file, load_file_with, Document, Limits, LoadOptions};
use oas_codegen::{CrateConfig, Dependencies, RuntimeSource};
use xtask::multifile::{self, Status};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn config() -> CrateConfig {
    CrateConfig {
        name: "split".into(),
        header: "Generated for a test. Do not edit.".into(),
        dependencies: Dependencies::Standalone { runtime: RuntimeSource::Version("0.1".into()) },
    }
}

/// Every finding of loading and generating, finished as the CLI prints them.
fn findings(document: &Document) -> Vec<Diagnostic> {
    oas_tests::generate_crate(document, &config(), false).expect("the document generates").diagnostics
}

fn scratch(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("oas-multifile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).unwrap();
    path
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn ok_roots_follow_every_reference() {
    let folder = multifile::folder(&workspace());
    let manifest = multifile::read(&workspace()).unwrap();
    let mut failures = Vec::new();
    for root in manifest.root.iter().filter(|root| root.status == Status::Ok) {
        let path = folder.join(&root.path);
        let document = load_file(&path).unwrap_or_else(|error| panic!("{error}"));
        for diagnostic in findings(&document).iter().filter(|diagnostic| multifile::is_about_a_reference(diagnostic)) {
            failures.push(diagnostic.render(Some(&path)));
        }
    }
    assert!(failures.is_empty(), "references not followed:\n{}", failures.join("\n"));
}

#[test]
fn broken_roots_warn_at_each_reference_that_cannot_be_followed() {
    let folder = multifile::folder(&workspace());
    let manifest = multifile::read(&workspace()).unwrap();
    let mut missing = Vec::new();
    for root in manifest.root.iter().filter(|root| root.status == Status::Broken) {
        let path = folder.join(&root.path);
        let document = load_file(&path).unwrap_or_else(|error| panic!("{error}"));
        let rendered: Vec<String> = findings(&document).iter().map(|diagnostic| diagnostic.render(Some(&path))).collect();
        for failure in &root.failures {
            let place = format!("{}:{}:", folder.join(&failure.file).display(), failure.line);
            if !rendered.iter().any(|line| line.starts_with(&place)) {
                missing.push(format!("{place} (`{}`), found:\n  {}", failure.reference, rendered.join("\n  ")));
            }
        }
    }
    assert!(missing.is_empty(), "no warning at:\n{}", missing.join("\n"));
}

/// Serves `files` (URL path → body) on `listener` until the test ends.
fn serve(listener: TcpListener, files: BTreeMap<String, String>) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|read| read > 2) {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or_default().to_string();
            let (status, body) = match files.get(&path) {
                Some(body) => ("200 OK", body.as_str()),
                None => ("404 Not Found", ""),
            };
            let mut stream = &stream;
            let _ = write!(stream, "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
        }
    });
}

#[test]
fn remote_roots_are_refused_by_default_and_fetched_from_allowed_hosts() {
    let folder = multifile::folder(&workspace());
    let manifest = multifile::read(&workspace()).unwrap();
    let remote: Vec<_> = manifest.root.iter().filter(|root| root.host.is_some()).collect();
    assert!(remote.len() >= 6);
    for root in remote {
        let host = root.host.as_deref().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let server = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
        let mut files = BTreeMap::new();
        for line in &root.serve {
            let (file, url_path) = line.split_once(" -> ").unwrap();
            files.insert(url_path.to_string(), std::fs::read_to_string(folder.join(file)).unwrap().replace(host, &server));
        }
        serve(listener, files);
        // A copy of the root's folder that names the test server instead of `host`.
        let copy = scratch(&format!("remote-{}", root.path.replace(['/', '$', '.'], "_")));
        copy_replacing(folder.join(&root.path).parent().unwrap(), &copy, host, &server);
        let path = copy.join(Path::new(&root.path).file_name().unwrap());

        let refused = load_file(&path).expect_err("a remote reference is refused by default");
        assert!(refused.message.contains("--allow-remote-refs 127.0.0.1"), "{}: {refused}", root.path);

        let allowed =
            LoadOptions { remote: RemoteAccess { hosts: vec!["127.0.0.1".parse().unwrap()], ..RemoteAccess::default() }, ..LoadOptions::default() };
        let document = load_file_with(&path, &allowed).unwrap_or_else(|error| panic!("{}: {error}", root.path));
        assert!(document.sources.files().iter().any(|file| file.path.is_none()), "{}: nothing was fetched", root.path);
        if root.status == Status::Remote {
            let unfollowed: Vec<String> = findings(&document)
                .iter()
                .filter(|diagnostic| multifile::is_about_a_reference(diagnostic))
                .map(|diagnostic| diagnostic.to_string())
                .collect();
            assert!(unfollowed.is_empty(), "{}: {unfollowed:?}", root.path);
        }
    }
}

/// Copies `from` into `to`, replacing `host` by `by` in every text file.
fn copy_replacing(from: &Path, to: &Path, host: &str, by: &str) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_replacing(&entry.path(), &target, host, by);
        } else if let Ok(text) = std::fs::read_to_string(entry.path()) {
            let name = target.to_string_lossy().trim_end_matches(".template").to_string();
            std::fs::write(name, text.replace(host, by)).unwrap();
        }
    }
}

#[test]
fn the_bundle_generates_the_same_crate_as_the_split_document() {
    let split = workspace().join("tests/corpus/multifile/openapi-starter/openapi/openapi.yaml");
    let document = load_file(&split).unwrap();
    assert!(document.files().len() > 40, "{:?}", document.files());
    // Discriminator mappings that name files name the components those files became, so the tag
    // values on the wire are the document's (`beverage`), not the type names.
    let mapping = document.root.pointer("/components/schemas/MenuItem/discriminator/mapping").unwrap();
    assert_eq!(mapping["beverage"], "#/components/schemas/Beverage");
    let folder = scratch("bundle");
    let bundled = folder.join("openapi.yaml");
    write(&bundled, &serde_yaml_ng::to_string(&document.root).unwrap());
    let from_bundle = load_file(&bundled).unwrap();
    assert_eq!(from_bundle.files(), std::slice::from_ref(&bundled), "the bundle is self-contained");
    let source = |files: oas_codegen::output::FileSet| files.into_iter().filter(|(path, _)| path.starts_with("src/")).collect::<BTreeMap<_, _>>();
    let split_crate = oas_tests::generate_crate(&document, &config(), false).unwrap();
    let bundle_crate = oas_tests::generate_crate(&from_bundle, &config(), false).unwrap();
    assert!(split_crate.diagnostics.is_empty(), "{:?}", split_crate.diagnostics);
    assert_eq!(source(split_crate.files), source(bundle_crate.files));
}

const ROOT: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    $ref: paths/pets.yaml\n";
const PETS: &str = "get:\n  operationId: listPets\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema:\n            $ref: ../schemas/Pet.yaml\n";

fn split_document(name: &str, pet: &str) -> PathBuf {
    let folder = scratch(name);
    write(&folder.join("api/openapi.yaml"), ROOT);
    write(&folder.join("api/paths/pets.yaml"), PETS);
    write(&folder.join("api/schemas/Pet.yaml"), pet);
    folder.join("api/openapi.yaml")
}

#[test]
fn findings_in_a_referenced_file_name_that_file_and_line() {
    let root = split_document("place", "type: object\nproperties:\n  id: {type: integer}\n  owner:\n    $ref: ./Owner.yaml\n");
    let document = load_file(&root).unwrap();
    let rendered: Vec<String> = findings(&document).iter().map(|diagnostic| diagnostic.render(Some(&root))).collect();
    let pet = root.parent().unwrap().join("schemas/Pet.yaml");
    assert_eq!(rendered, [format!("{}:5:5: warning [/properties/owner/$ref]: cannot read `./Owner.yaml`: no such file", pet.display())]);
    let pet = document.root.pointer("/components/schemas/Pet").expect("Pet.yaml became the component Pet");
    assert_eq!(pet["properties"]["id"]["type"], "integer");
    assert_eq!(document.root.pointer("/paths/~1pets/get/operationId").unwrap(), "listPets");
}

#[test]
fn references_leaving_the_folder_are_errors_unless_allowed() {
    let root = split_document("outside", "$ref: ../../secret.yaml\n");
    write(&root.parent().unwrap().parent().unwrap().join("secret.yaml"), "type: string\ndescription: a secret\n");
    let error = load_file(&root).expect_err("a reference climbing out of the folder is refused");
    assert!(error.message.contains("outside the document's folder") && error.message.contains("--allow-refs-outside"), "{error}");
    assert!(error.to_string().contains("schemas/Pet.yaml:1:1: error [/$ref]"), "{error}");
    let widened = LoadOptions { allow_refs_outside: vec![root.parent().unwrap().parent().unwrap().to_path_buf()], ..LoadOptions::default() };
    let document = load_file_with(&root, &widened).unwrap();
    assert_eq!(document.root.pointer("/components/schemas/secret/description").unwrap(), "a secret");

    let root = split_document("symlink", "$ref: ./link.yaml\n");
    let outside = root.parent().unwrap().parent().unwrap().join("elsewhere.yaml");
    write(&outside, "type: string\n");
    std::os::unix::fs::symlink(&outside, root.parent().unwrap().join("schemas/link.yaml")).unwrap();
    let error = load_file(&root).expect_err("a symbolic link leading out is refused");
    assert!(error.message.contains("outside the document's folder"), "{error}");

    let root = split_document("absolute", "$ref: /etc/hostname\n");
    assert!(load_file(&root).expect_err("an absolute path outside is refused").message.contains("outside"));
    let root = split_document("file-url", "$ref: file:///etc/hostname\n");
    assert!(load_file(&root).expect_err("a file: URL is refused").message.contains("--allow-refs-outside"));
}

#[test]
fn unusable_targets_are_warnings_at_the_reference() {
    for (pet, expected) in [
        ("$ref: ./Missing.yaml\n", "cannot read `./Missing.yaml`: no such file"),
        ("$ref: ./Owner.yaml#/nothing/here\n", "does not resolve: "),
        ("$ref: ./folder\n", "is a folder"),
        ("$ref: ./binary.yaml\n", "is not UTF-8"),
        ("$ref: ./notes.txt\n", "is not YAML or JSON"),
        ("$ref: ./pipe.yaml\n", "is not a regular file"),
    ] {
        let root = split_document("unusable", pet);
        let schemas = root.parent().unwrap().join("schemas");
        write(&schemas.join("Owner.yaml"), "type: string\n");
        std::fs::create_dir_all(schemas.join("folder")).unwrap();
        std::fs::write(schemas.join("binary.yaml"), [0xff, 0xfe, 0x00]).unwrap();
        write(&schemas.join("notes.txt"), "key: [unclosed\n");
        // A named pipe would block a reader that waits for its end.
        let made = std::process::Command::new("mkfifo").arg(schemas.join("pipe.yaml")).status().is_ok_and(|status| status.success());
        assert!(made || !pet.contains("pipe"), "mkfifo is available");
        let document = load_file(&root).unwrap_or_else(|error| panic!("{pet}: {error}"));
        let rendered: Vec<String> = findings(&document).iter().map(|diagnostic| diagnostic.render(Some(&root))).collect();
        assert!(rendered.iter().any(|line| line.contains("schemas/Pet.yaml:1:1: warning [/$ref]") && line.contains(expected)), "{pet}: {rendered:?}");
    }
}

#[test]
fn limits_stop_with_a_clear_message() {
    let root = split_document("limits", "type: object\nproperties:\n  a: {$ref: ./A.yaml}\n  b: {$ref: ./B.yaml}\n");
    let schemas = root.parent().unwrap().join("schemas");
    write(&schemas.join("A.yaml"), "type: string\n");
    write(&schemas.join("B.yaml"), &format!("type: string\ndescription: {}\n", "x".repeat(4000)));
    let limited = |limits: Limits| load_file_with(&root, &LoadOptions { limits, ..LoadOptions::default() });
    let defaults = Limits::default();
    assert!(limited(defaults).is_ok());
    let error = limited(Limits { max_file_bytes: 1000, ..defaults }).unwrap_err();
    assert!(error.message.contains("more than the limit of 1000 bytes"), "{error}");
    let error = limited(Limits { max_files: 3, ..defaults }).unwrap_err();
    assert!(error.message.contains("more than 3 files"), "{error}");
    let error = limited(Limits { max_bundled_bytes: 2000, ..defaults }).unwrap_err();
    assert!(error.message.contains("grows past 2000 bytes"), "{error}");
}

#[test]
fn the_same_file_by_two_paths_is_read_once_and_names_are_stable() {
    let folder = scratch("names");
    write(
        &folder.join("openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: './v1/Pet.yaml'}\n    B: {$ref: './v2/../v1/Pet.yaml'}\n    C: {$ref: './v2/Pet.yaml'}\n    D: {type: object, properties: {x: {$ref: 'v2/Pet.yaml'}, y: {$ref: 'v3/Pet.yaml'}}}\n",
    );
    write(&folder.join("v1/Pet.yaml"), "type: string\n");
    write(&folder.join("v2/Pet.yaml"), "type: integer\n");
    write(&folder.join("v3/Pet.yaml"), "type: boolean\n");
    let document = load_file(&folder.join("openapi.yaml")).unwrap();
    assert_eq!(document.files().len(), 4);
    let schemas = document.root.pointer("/components/schemas").unwrap();
    assert_eq!(schemas["A"]["type"], "string", "A adopts v1/Pet.yaml");
    assert_eq!(schemas["B"]["$ref"], "#/components/schemas/A", "the same file by another path");
    assert_eq!(schemas["C"]["type"], "integer");
    assert_eq!(schemas["D"]["properties"]["x"]["$ref"], "#/components/schemas/C");
    assert_eq!(schemas["D"]["properties"]["y"]["$ref"], "#/components/schemas/Pet", "a stem nothing else claims keeps its name");
}

#[test]
fn the_handlers_macro_tracks_every_file_of_the_document() {
    let folder = workspace().join("tests/corpus/multifile/openapi-starter/openapi");
    let args: proc_macro2::TokenStream = r#"spec = "openapi.yaml", api = crate::api"#.parse().unwrap();
    let item: proc_macro2::TokenStream = "impl Api for Server {}".parse().unwrap();
    let expansion = oas_codegen::handlers::expand_handlers(args, item, Some(&folder)).to_string();
    let tracked = expansion.matches("include_bytes").count();
    assert_eq!(tracked, load_file(&folder.join("openapi.yaml")).unwrap().files().len(), "{expansion}");
    assert!(expansion.contains("paths/menu.yaml"), "{expansion}");
    assert!(expansion.contains("components/schemas/MenuItem.yaml"), "{expansion}");
}

#[test]
fn a_build_script_reruns_when_any_file_changes() {
    let root = workspace().join("tests/corpus/multifile/openapi-starter/openapi/openapi.yaml");
    let out = scratch("builder");
    let summary = oas_codegen::builder::Builder::new(&root).out_dir(&out).generate().unwrap();
    // Under cargo, each of these is printed as `cargo:rerun-if-changed=`.
    assert_eq!(summary.files, load_file(&root).unwrap().files());
    assert!(summary.files.len() > 40 && summary.files[0] == root, "{:?}", summary.files);
    let error = oas_codegen::builder::Builder::new(&root).out_dir(&out).allow_remote_refs("http://x").generate().unwrap_err();
    assert!(error.to_string().contains("allow_remote_refs"), "{error}");
}

#[test]
fn references_to_text_files_are_read_as_strings_where_a_plain_value_belongs() {
    let folder = scratch("text");
    write(
        &folder.join("api/openapi.yaml"),
        "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\n  description: {$ref: ./intro.md}\npaths:\n  /a:\n    get:\n      operationId: a\n      description: {$ref: ./a.md}\n      responses: {'204': {description: done}}\n      x-codeSamples:\n        - {lang: sh, source: {$ref: ./a.sh}}\n        - {lang: go, source: {$ref: ../outside.go}}\n        - {lang: js, source: {$ref: ./schema.json}}\n",
    );
    write(&folder.join("api/intro.md"), "# Intro\n\nWelcome.\n");
    write(&folder.join("api/a.md"), "Lists things.\n");
    write(&folder.join("api/a.sh"), "curl https://example.com/a\n");
    write(&folder.join("outside.go"), "package main\n");
    let root = folder.join("api/openapi.yaml");
    let document = load_file(&root).expect("a code sample outside the folder is not a reason to stop");
    assert_eq!(document.root["info"]["description"], "# Intro\n\nWelcome.\n");
    assert_eq!(document.root.pointer("/paths/~1a/get/description").unwrap(), "Lists things.\n");
    let samples = document.root.pointer("/paths/~1a/get/x-codeSamples").unwrap();
    assert_eq!(samples[0]["source"], "curl https://example.com/a\n");
    assert_eq!(samples[1]["source"]["$ref"], "../outside.go", "not read, and said so");
    assert_eq!(samples[2]["source"]["$ref"], "./schema.json", "a YAML or JSON file in an extension is left alone");
    let rendered: Vec<String> = findings(&document).iter().map(|diagnostic| diagnostic.render(Some(&root))).collect();
    assert!(
        rendered.iter().any(|line| line.contains("[/paths/~1a/get/x-codeSamples/1/source/$ref]") && line.contains("it is not read")),
        "{rendered:?}"
    );
}
