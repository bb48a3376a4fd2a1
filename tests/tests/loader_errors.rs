//! What the loader refuses outright, and what generation only warns about.
//!
//! A document that cannot be read as OpenAPI stops the run with one error that says where
//! (file, line and column when known). Anything local is a warning with a JSON pointer and a
//! position, and generation does the sound thing so one bad operation never costs the whole API.

use std::path::PathBuf;

use oas_codegen::diagnostics::{Diagnostic, Position, Severity};
use oas_codegen::load::{load_file, load_str, LoadError};
use oas_codegen::{CrateConfig, Dependencies, GenerateError, RuntimeSource};

// ---------------------------------------------------------------------------------------------
// Fatal errors.
// ---------------------------------------------------------------------------------------------

/// A file under the system temp folder, removed when the test ends.
struct TempFile(PathBuf);

impl TempFile {
    fn with(name: &str, text: &str) -> TempFile {
        let dir = std::env::temp_dir().join(format!("oas-tests-loader-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("the temp folder is writable");
        let path = dir.join(name);
        std::fs::write(&path, text).expect("the temp file is writable");
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        // Fails while other tests still have files there; the last one out removes it.
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// `text` must be refused, from memory and from a file, with `message` in the error, at
/// `pointer`, and at `position` (line, column) when given. The file's error must name the file
/// and, when the position is known, put it right after the path as editors expect.
fn fatal(name: &str, text: &str, message: &str, pointer: &str, position: Option<(usize, usize)>) {
    let expected_position = position.map(|(line, column)| Position { line, column });

    let error: LoadError = load_str(text).map(|_| ()).expect_err("the document should be refused");
    assert!(error.message.contains(message), "expected `{message}` in `{}`", error.message);
    assert_eq!(error.pointer, pointer);
    assert_eq!(error.position, expected_position, "{error}");
    assert_eq!(error.path, None);

    let file = TempFile::with(name, text);
    let error = load_file(&file.0).map(|_| ()).expect_err("the file should be refused");
    assert_eq!(error.path.as_deref(), Some(file.0.as_path()));
    let shown = error.to_string();
    let prefix = match position {
        Some((line, column)) => format!("{}:{line}:{column}: error", file.0.display()),
        None => format!("{}: error", file.0.display()),
    };
    assert!(shown.starts_with(&prefix), "expected `{shown}` to start with `{prefix}`");
    assert!(shown.contains(message), "{shown}");
}

#[test]
fn text_that_is_not_yaml() {
    fatal("broken.yaml", "openapi: 3.1.0\ninfo: {title: t\npaths: {}\n", "invalid YAML", "", Some((3, 6)));
}

#[test]
fn text_that_is_not_json() {
    // Starts like JSON, so the JSON error (with its own position) is what is reported.
    fatal("broken.json", "{\"openapi\": \"3.1.0\",\n  \"paths\": {]}\n", "invalid JSON", "", Some((2, 13)));
}

#[test]
fn a_document_that_is_an_array() {
    fatal("array.yaml", "- openapi: 3.1.0\n- paths: {}\n", "the document is an array, not an object", "", Some((1, 1)));
}

#[test]
fn a_document_that_is_a_scalar() {
    fatal("scalar.yaml", "just some text\n", "the document is the string \"just some text\", not an object", "", Some((1, 1)));
    fatal("number.json", "42\n", "the document is the number 42, not an object", "", Some((1, 1)));
}

#[test]
fn a_document_that_says_two_versions_or_an_unknown_swagger_one() {
    fatal(
        "both.yaml",
        "swagger: '2.0'\nopenapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "the document has both `swagger` and `openapi`",
        "/openapi",
        Some((2, 1)),
    );
    fatal("swagger-1.yaml", "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n", "unknown Swagger version `1.2`", "/swagger", Some((1, 1)));
}

#[test]
fn an_unknown_major_version() {
    fatal("v4.yaml", "openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "unknown OpenAPI version `4.0.0`", "/openapi", Some((1, 1)));
    // `2.0` under `openapi` (not `swagger`) is read as a number by YAML; still refused by version.
    fatal(
        "v2.yaml",
        "openapi: 2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "a Swagger 2.0 document says `swagger: \"2.0\"`",
        "/openapi",
        Some((1, 1)),
    );
}

#[test]
fn a_document_without_openapi() {
    // The whole document is at fault, so the position is where it starts.
    fatal("none.yaml", "\ninfo: {title: t, version: '1'}\npaths: {}\n", "the document has no `openapi` field", "", Some((2, 1)));
}

#[test]
fn a_missing_file() {
    let path = std::env::temp_dir().join(format!("oas-tests-loader-{}-does-not-exist.yaml", std::process::id()));
    let error = load_file(&path).map(|_| ()).expect_err("a missing file cannot be read");
    assert!(error.to_string().starts_with(&format!("{}: error", path.display())), "{error}");
    assert!(error.message.contains("cannot read the file"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Local problems: warnings, and generation goes on.
// ---------------------------------------------------------------------------------------------

fn generate(text: &str, deny_warnings: bool) -> Result<oas_tests::GeneratedCrate, GenerateError> {
    let document = load_str(text).unwrap_or_else(|error| panic!("the document should load: {error}"));
    let config = CrateConfig {
        name: "warnings".into(),
        header: "Loader test output.".into(),
        dependencies: Dependencies::Standalone { runtime: RuntimeSource::Path("../runtime".into()) },
    };
    oas_tests::generate_crate(&document, &config, deny_warnings)
}

/// Line and column (from 1) where `needle` starts in `text`; the needle must occur once, so the
/// expected position is written in the test's own document rather than as bare numbers.
fn position_of(text: &str, needle: &str) -> Position {
    assert_eq!(text.matches(needle).count(), 1, "`{needle}` should occur exactly once");
    let offset = text.find(needle).unwrap();
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |newline| newline + 1) + 1;
    Position { line, column }
}

/// Generating `text` must succeed with exactly one warning, at `pointer`, containing `message`,
/// positioned where `at` starts; with `deny_warnings` the same warning must become the error.
/// Returns the generated `src/types.rs` for checks of what generation did instead.
fn warns(text: &str, pointer: &str, message: &str, at: &str) -> String {
    let generated = generate(text, false).unwrap_or_else(|error| panic!("generation should go on: {error}"));
    let [warning] = generated.diagnostics.as_slice() else {
        panic!("expected one warning, got:\n{}", generated.diagnostics.iter().map(|d| format!("{d}\n")).collect::<String>());
    };
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.pointer, pointer);
    assert!(warning.message.contains(message), "expected `{message}` in `{}`", warning.message);
    let position = position_of(text, at);
    assert_eq!(warning.position, Some(position), "{warning}");
    assert!(warning.to_string().starts_with(&format!("{}:{}: warning [{pointer}]: ", position.line, position.column)), "{warning}");

    match generate(text, true) {
        Err(GenerateError::Warnings(denied)) => assert_eq!(denied, generated.diagnostics),
        Err(other) => panic!("expected the warnings to be denied, got {other}"),
        Ok(_) => panic!("deny_warnings should turn the warning into an error"),
    }
    generated.files["src/types.rs"].clone()
}

#[test]
fn a_clean_document_passes_even_when_warnings_are_denied() {
    // Without this, the deny checks above would also pass if deny_warnings always failed.
    let generated = generate(CLEAN, true).expect("a clean document has nothing to deny");
    assert_eq!(generated.diagnostics, Vec::<Diagnostic>::new());
    assert!(generated.files["src/types.rs"].contains("pub struct Pet {"));
}

const CLEAN: &str = "\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
";

#[test]
fn a_duplicate_operation_id_is_renamed() {
    let text = "\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {page: {type: integer}}}
      responses: {'200': {description: ok}}
  /animals:
    get:
      operationId: listPets   # the same id again
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {species: {type: string}}}
      responses: {'200': {description: ok}}
";
    let types = warns(
        text,
        "/paths/~1animals/get/operationId",
        "operationId `listPets` is used by more than one operation; this one is named `listPets_2`",
        "operationId: listPets   # the same id again",
    );
    // The first keeps its name; the renamed one names its inline types after the new id.
    assert!(types.contains("pub struct ListPetsRequestBody {"), "{types}");
    assert!(types.contains("pub struct ListPets2RequestBody {"), "{types}");
    let first = types.find("pub struct ListPetsRequestBody {").unwrap();
    assert!(types[first..].split("}\n").next().unwrap().contains("pub page:"), "the first operation keeps its own body");
}

#[test]
fn a_missing_operation_id_is_derived_from_method_and_path() {
    let text = "\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets/{petId}/photos:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {url: {type: string}}}
      responses: {'201': {description: created}}
";
    let types = warns(
        text,
        "/paths/~1pets~1{petId}~1photos/post",
        "the operation has no operationId; it is named `postPetsByPetIdPhotos` after its method and path",
        "post:",
    );
    assert!(types.contains("pub struct PostPetsByPetIdPhotosRequestBody {"), "{types}");
}

#[test]
fn an_unresolvable_ref_becomes_a_json_value() {
    let text = "\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [id, owner]
      properties:
        id: {type: integer}
        owner:
          $ref: '#/components/schemas/Owner'
        name: {type: string}
";
    let types = warns(
        text,
        "/components/schemas/Pet/properties/owner/$ref",
        "`#/components/schemas/Owner` does not resolve; represented as `serde_json::Value`",
        "$ref: '#/components/schemas/Owner'",
    );
    assert!(types.contains("pub owner: ::serde_json::Value,"), "{types}");
    // The rest of the schema is unaffected.
    assert!(types.contains("pub id: i64,"), "{types}");
    assert!(types.contains("pub name: Option<String>,"), "{types}");
}

#[test]
fn an_external_ref_becomes_a_json_value() {
    let text = "\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        id: {type: integer}
        vet:
          $ref: 'vets.yaml#/components/schemas/Vet'
";
    let types = warns(
        text,
        "/components/schemas/Pet/properties/vet/$ref",
        "`vets.yaml#/components/schemas/Vet` points outside this document; only local references (`#/...`) are followed",
        "$ref: 'vets.yaml",
    );
    assert!(types.contains("pub vet: Option<::serde_json::Value>,"), "{types}");
    assert!(types.contains("pub id: Option<i64>,"), "{types}");
}

#[test]
fn an_operation_that_is_not_an_object_is_skipped() {
    let text = "\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get: 42
    post:
      operationId: createPet
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses: {'201': {description: created}}
";
    let types = warns(text, "/paths/~1pets/get", "an operation must be an object; skipped", "get: 42");
    assert!(types.contains("pub struct CreatePetRequestBody {"), "the other operation is kept:\n{types}");
}

#[test]
fn every_local_problem_is_reported_not_just_the_first() {
    // One document with all of the above: each warning is collected, in one run.
    let text = "\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get: 42
    post:
      operationId: createPet
      responses: {'201': {description: created}}
  /animals:
    post:
      operationId: createPet
      responses: {'201': {description: created}}
    put:
      responses: {'200': {description: ok}}
components:
  schemas:
    Pet:
      type: object
      properties:
        owner: {$ref: '#/components/schemas/Owner'}
        vet: {$ref: 'vets.yaml#/Vet'}
";
    let generated = generate(text, false).expect("generation goes on");
    let mut pointers: Vec<&str> = generated.diagnostics.iter().map(|diagnostic| diagnostic.pointer.as_str()).collect();
    pointers.sort();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Pet/properties/owner/$ref",
            "/components/schemas/Pet/properties/vet/$ref",
            "/paths/~1animals/post/operationId",
            "/paths/~1animals/put",
            "/paths/~1pets/get",
        ]
    );
    assert!(generated.diagnostics.iter().all(|diagnostic| diagnostic.position.is_some()), "every warning has a position");
    match generate(text, true) {
        Err(GenerateError::Warnings(denied)) => assert_eq!(denied.len(), 5),
        other => panic!("expected five denied warnings, got {:?}", other.map(|generated| generated.diagnostics)),
    }
}
