//! The reference documentation generated from a document: one Markdown page per operation and
//! per model (per tag and per initial letter above 1,000 of them) with an index linking them all, one self-contained HTML page whose anchors and links
//! all resolve, text from the document escaped everywhere, file names that stay inside `docs/`,
//! and the same bytes on every run.
//!
//! The HTML checks are the ones `cargo xtask docs-browser-test` runs on the DOM Chromium builds;
//! here they run on the generated text, so no browser is needed.

use std::collections::BTreeSet;
use std::path::Path;

use oas_codegen::emit::docs::{docs_files, model_anchor, model_slugs, operation_anchor, operation_slugs};
use oas_codegen::ir::Model;
use oas_codegen::output::FileSet;
use xtask::docs_browser::{check_dom, expected_anchors, Expected};

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");
const FEATURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/features");

fn lowered(document: &oas_codegen::load::Document) -> Model {
    oas_codegen::lower_document(document, &oas_codegen::Options::default()).0
}

fn spec_docs() -> (Model, FileSet) {
    let document = oas_codegen::load::load_file(Path::new(SPEC)).unwrap_or_else(|error| panic!("{error}"));
    let model = lowered(&document);
    let files = docs_files(&model);
    (model, files)
}

fn docs_for_text(text: &str) -> (Model, FileSet) {
    let document = oas_codegen::load::load_str(text).unwrap_or_else(|error| panic!("{error}"));
    let model = lowered(&document);
    let files = docs_files(&model);
    (model, files)
}

fn expected_for(model: &Model) -> Expected {
    Expected {
        operations: model
            .operations
            .iter()
            .zip(operation_slugs(&model.operations))
            .map(|(operation, slug)| (operation.id.clone(), operation_anchor(&slug)))
            .collect(),
        models: model
            .space
            .types
            .iter()
            .zip(model_slugs(&model.space))
            .map(|(definition, slug)| (definition.name.clone(), model_anchor(&slug)))
            .collect(),
    }
}

/// The targets of the inline links `[text](target)` of a Markdown text, skipping code.
fn markdown_links(markdown: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            // An escaped `\[` opens no link, and neither does a `](` inside a code span; the
            // generator writes its own links as `[` + code or text + `](`.
            let before = &rest[..start];
            let opened = before.rfind('[').is_some_and(|open| open == 0 || !before[..open].ends_with('\\'));
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            if opened && !before.ends_with('\\') {
                links.push(after[..end].to_string());
            }
            rest = &after[end..];
        }
    }
    links
}

/// A Markdown text with fenced blocks and code spans removed.
fn markdown_outside_code(markdown: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<usize> = None;
    for line in markdown.lines() {
        let ticks = line.chars().take_while(|c| *c == '`').count();
        match fence {
            Some(open) if ticks >= open => fence = None,
            Some(_) => {}
            None if ticks >= 3 => fence = Some(ticks),
            None => {
                let mut rest = line;
                while let Some(start) = rest.find('`') {
                    out.push_str(&rest[..start]);
                    let run = rest[start..].chars().take_while(|c| *c == '`').count();
                    let fence = &rest[start..start + run];
                    let after = &rest[start + run..];
                    match after.find(fence) {
                        Some(end) => rest = &after[end + run..],
                        None => {
                            out.push_str(fence);
                            rest = after;
                        }
                    }
                }
                out.push_str(rest);
                out.push('\n');
            }
        }
    }
    out
}

/// `base` is the folder of the linking file; resolves `..` and refuses to leave the set's root.
fn resolve(base: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if base.is_empty() { Vec::new() } else { base.split('/').collect() };
    for part in target.split('/') {
        match part {
            ".." => {
                parts.pop()?;
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn the_spec_gets_a_page_per_operation_and_per_model() {
    let (model, files) = spec_docs();
    assert!(!model.operations.is_empty() && !model.space.types.is_empty());
    let operation_pages: BTreeSet<&str> = files.keys().filter(|path| path.starts_with("docs/operations/")).map(String::as_str).collect();
    let model_pages: BTreeSet<&str> = files.keys().filter(|path| path.starts_with("docs/models/")).map(String::as_str).collect();
    assert_eq!(operation_pages.len(), model.operations.len());
    assert_eq!(model_pages.len(), model.space.types.len());
    // The Orchestrator names are plain identifiers, so they are the file names unchanged.
    for operation in &model.operations {
        let path = format!("docs/operations/{}.md", operation.id);
        let page = files.get(&path).unwrap_or_else(|| panic!("no page {path}"));
        assert!(page.contains(&format!("# `{}`", operation.id)), "{path} does not start with its operationId");
        assert!(page.contains(&format!("`{}`", operation.path)), "{path} does not name its path");
    }
    for definition in &model.space.types {
        assert!(files.contains_key(&format!("docs/models/{}.md", definition.name)), "no page for model {}", definition.name);
    }
    assert!(files.contains_key("docs/README.md") && files.contains_key("docs/index.html"));
    assert_eq!(files.len(), 2 + model.operations.len() + model.space.types.len(), "{:#?}", files.keys().collect::<Vec<_>>());
}

#[test]
fn the_index_links_every_page_and_every_markdown_link_resolves() {
    let (_, files) = spec_docs();
    let index_targets: BTreeSet<String> = markdown_links(&files["docs/README.md"]).iter().filter_map(|target| resolve("docs", target)).collect();
    for path in files.keys().filter(|path| path.ends_with(".md") && *path != "docs/README.md") {
        assert!(index_targets.contains(path), "docs/README.md does not link {path}");
    }
    let mut checked = 0;
    for (path, text) in files.iter().filter(|(path, _)| path.ends_with(".md")) {
        let base = path.rsplit_once('/').map(|(folder, _)| folder).unwrap_or_default();
        for target in markdown_links(text) {
            let resolved = resolve(base, &target).unwrap_or_else(|| panic!("{path}: `{target}` leaves the docs"));
            assert!(files.contains_key(&resolved), "{path}: the link `{target}` points to {resolved}, which is not generated");
            checked += 1;
        }
    }
    // Field types link their models, so there are far more links than pages.
    assert!(checked > 3 * files.len(), "only {checked} links were found; the link scanner is broken");
}

#[test]
fn every_operation_and_model_has_an_anchor_and_every_internal_link_resolves() {
    let (model, files) = spec_docs();
    let html = &files["docs/index.html"];
    let expected = expected_anchors(Path::new(SPEC)).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(expected.operations.len(), model.operations.len());
    let failures = check_dom(html, &expected);
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(html.contains("id=\"op-getWorkflowsOverview\"") && html.contains("id=\"model-ProcessInstanceDto\""));
    // A field's type links to its model: ProcessInstanceDto.nodes is an array of NodeInstanceDto.
    let model_section = &html[html.find("id=\"model-ProcessInstanceDto\"").unwrap()..];
    let model_section = &model_section[..model_section.find("</article>").unwrap()];
    assert!(model_section.contains("array of <a href=\"#model-NodeInstanceDto\">"), "{model_section}");
}

#[test]
fn the_checks_catch_a_missing_anchor_a_dangling_link_and_a_script() {
    let (_, files) = spec_docs();
    let expected = expected_anchors(Path::new(SPEC)).unwrap_or_else(|error| panic!("{error}"));
    let broken = files["docs/index.html"].replacen("id=\"op-abortWorkflow\"", "id=\"op-gone\"", 1).replacen(
        "</main>",
        "<a href=\"#nowhere\">x</a><script>alert(1)</script><img src=\"http://example.com/x.png\"></main>",
        1,
    );
    let failures = check_dom(&broken, &expected);
    let text = failures.join("\n");
    assert!(text.contains("operation `abortWorkflow` has no anchor `#op-abortWorkflow`"), "{text}");
    assert!(text.contains("#nowhere"), "{text}");
    assert!(text.contains("<script>"), "{text}");
    assert!(text.contains("<img>") && text.contains("src=\"http://example.com/x.png\""), "{text}");
}

const HOSTILE: &str = r##"
openapi: 3.0.3
info:
  title: "<script>alert('title')</script> API"
  version: "1 <b>"
  description: |
    Intro <script>alert(1)</script> and "><img src=x onerror=alert(2)>.

    [click](javascript:alert(3)) ![pixel](http://tracker.example/p.png) <http://example.com>

    ```
    unclosed fence <iframe src=x>
paths:
  /pets/{id}:
    get:
      operationId: "../../etc/passwd"
      summary: "</p><script>alert(4)</script>"
      description: "`code <b>` then <svg onload=alert(5)>"
      parameters:
        - name: "id\"><script>"
          in: path
          required: true
          description: "a|b <img src=x onerror=alert(6)>"
          schema:
            type: string
      responses:
        "200":
          description: "<style>body{display:none}</style>"
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/..~1..~1x"
              example:
                html: "</code></pre><script>alert(7)</script>"
  /pets:
    post:
      operationId: "a/b\\c:..\t"
      responses:
        "201":
          description: created
    put:
      operationId: "con"
      responses:
        "204":
          description: done
components:
  schemas:
    "../../x":
      description: "A hostile <script>alert(8)</script> schema"
      type: object
      properties:
        "\"><img src=x onerror=alert(9)>":
          type: string
          description: "field <b>bold</b>"
"##;

#[test]
fn a_hostile_document_yields_escaped_text_and_safe_file_names() {
    let (model, files) = docs_for_text(HOSTILE);
    assert_eq!(model.operations.len(), 3);
    for path in files.keys() {
        let relative = path.strip_prefix("docs/").unwrap_or_else(|| panic!("{path} is outside docs/"));
        let components: Vec<&str> = relative.split('/').collect();
        assert!(components.len() <= 2, "{path}");
        let name = components.last().unwrap();
        let stem = name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(name);
        assert!(!stem.is_empty() && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'), "unsafe file name {path}");
        assert!(!["con", "nul", "aux", "prn"].contains(&stem.to_ascii_lowercase().as_str()), "a windows device name: {path}");
    }
    // The file set must also pass the output stage's own rules (it refuses unsafe paths).
    let dir = std::env::temp_dir().join(format!("oas-tests-docs-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let written = oas_codegen::output::write_tree(&dir, &files, &|_| false);
    let _ = std::fs::remove_dir_all(&dir);
    written.unwrap_or_else(|error| panic!("{error}"));

    for (path, text) in &files {
        // In Markdown, code spans and fences show `<` literally; only the rest could become markup.
        let lower = if path.ends_with(".md") { markdown_outside_code(text) } else { text.clone() }.to_ascii_lowercase();
        for tag in ["<script", "<img", "<iframe", "<svg", "<style>body", "</p><"] {
            assert!(!lower.contains(tag), "{path} contains raw `{tag}`:\n{text}");
        }
        if path.ends_with(".md") {
            // Links and images from the document are neutralised; only the generator's own remain.
            let unescaped = text.replace("\\[", "");
            assert!(!unescaped.contains("[click](") && !unescaped.contains("[pixel]("), "{path}:\n{text}");
            assert!(!text.contains("<http://example.com>"), "{path}:\n{text}");
        }
    }
    let html = &files["docs/index.html"];
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), "{html}");
    // Code spans become <code> with their content escaped.
    assert!(html.contains("<code>code &lt;b&gt;</code>"), "{html}");
    // The example is inside <pre><code> and cannot close it.
    assert!(html.contains("&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(7)"), "{html}");
    let failures = check_dom(html, &expected_for(&model));
    assert!(failures.is_empty(), "{failures:#?}");

    let readme = &files["docs/README.md"];
    assert!(readme.contains("Intro &lt;script>alert(1)&lt;/script>"), "{readme}");
    // The unclosed fence is closed, so it cannot swallow the rest of the index.
    let fences = readme.lines().filter(|line| line.starts_with("```")).count();
    assert_eq!(fences % 2, 0, "{readme}");
    assert!(readme.contains("## Operations"), "{readme}");
    let operation =
        files.keys().find(|path| path.starts_with("docs/operations/") && path.contains("etc_passwd")).expect("a page for ../../etc/passwd");
    assert!(files[operation].contains("a\\|b &lt;img"), "{}", files[operation]);
}

#[test]
fn output_is_deterministic() {
    let (_, first) = spec_docs();
    let (_, second) = spec_docs();
    assert_eq!(first, second);
    let (_, first) = docs_for_text(HOSTILE);
    let (_, second) = docs_for_text(HOSTILE);
    assert_eq!(first, second);
}

#[test]
fn the_generated_crate_carries_the_docs() {
    let root = xtask::workspace_root();
    let files = xtask::generated_files(&root, false).unwrap_or_else(|error| panic!("{error}"));
    let (_, docs) = spec_docs();
    for (path, text) in &docs {
        assert_eq!(files.get(path), Some(text), "{path} is not in the generated crate as docs_files makes it");
    }
}

#[test]
fn webhooks_tags_and_named_examples_are_documented() {
    let text = r##"
openapi: 3.1.0
info: { title: Shop, version: "2" }
tags:
  - name: pets
    description: Everything about `pets`.
  - name: orders
paths:
  /orders:
    get:
      operationId: listOrders
      tags: [orders]
      responses:
        "200":
          description: ok
          headers:
            X-Rate-Limit:
              description: Calls left.
              schema: { type: integer, format: int32 }
          content:
            application/json:
              schema: { type: array, items: { $ref: "#/components/schemas/Pet" } }
              examples:
                short:
                  summary: One pet
                  value: [{ name: Rex }]
                elsewhere:
                  $ref: "#/components/examples/Remote"
  /pets:
    get:
      operationId: listPets
      tags: [pets, orders]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Pet" }
  /other:
    get:
      operationId: untagged
      deprecated: true
      responses: { "204": { description: nothing } }
webhooks:
  newPet:
    post:
      operationId: newPetHook
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Pet" }
      responses: { "200": { description: received } }
components:
  examples:
    Remote:
      externalValue: https://example.com/pets.json
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: { type: string }
        born: { type: [string, "null"], format: date-time }
        tags: { type: object, additionalProperties: { type: integer, format: int64 } }
      examples:
        - name: Rex
"##;
    let (model, files) = docs_for_text(text);
    let readme = &files["docs/README.md"];
    // Groups follow the document's `tags` list, untagged last; webhooks have their own section.
    let order: Vec<usize> = ["### pets", "### orders", "### Other", "## Webhooks", "## Models"]
        .iter()
        .map(|heading| readme.find(heading).unwrap_or_else(|| panic!("no `{heading}` in:\n{readme}")))
        .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{readme}");
    assert!(readme.contains("Everything about `pets`."), "{readme}");
    assert!(readme.contains("[`untagged`](operations/untagged.md) (deprecated)"), "{readme}");

    let orders = &files["docs/operations/listOrders.md"];
    assert!(orders.contains("| `X-Rate-Limit` | integer (int32) | no | Calls left. |"), "{orders}");
    assert!(orders.contains("array of [`Pet`](../models/Pet.md)"), "{orders}");
    assert!(orders.contains("Example `short`: One pet"), "{orders}");
    assert!(orders.contains("\"name\": \"Rex\""), "{orders}");
    assert!(orders.contains("`https://example.com/pets.json`"), "{orders}");
    // No media-type example: the schema's own is shown.
    assert!(files["docs/operations/listPets.md"].contains("Example (from the schema):"), "{}", files["docs/operations/listPets.md"]);

    let hook = &files["docs/operations/newPetHook.md"];
    assert!(hook.contains("Webhook `newPet`"), "{hook}");
    let pet = &files["docs/models/Pet.md"];
    assert!(pet.contains("| `born` | string (date-time) | optional, nullable |"), "{pet}");
    assert!(pet.contains("map of string to integer (int64)"), "{pet}");
    assert!(pet.contains("operation [`newPetHook`](../operations/newPetHook.md)"), "{pet}");

    let html = &files["docs/index.html"];
    assert!(html.contains("<section id=\"webhooks\">") && html.contains("<section id=\"tag-pets\">"), "{html}");
    let failures = check_dom(html, &expected_for(&model));
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Every document of the feature corpus gets docs that pass the same checks as the spec's.
#[test]
fn the_feature_corpus_gets_consistent_docs() {
    let mut checked = 0;
    for version in ["3.0", "3.1"] {
        let folder = Path::new(FEATURES).join(version);
        let mut paths: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        paths.sort();
        for path in paths.iter().filter(|path| path.extension().is_some_and(|extension| extension == "yaml" || extension == "json")) {
            let Ok(document) = oas_codegen::load::load_file(path) else { continue };
            let model = lowered(&document);
            let files = docs_files(&model);
            assert_eq!(files.len(), 2 + model.operations.len() + model.space.types.len(), "{}", path.display());
            let failures = check_dom(&files["docs/index.html"], &expected_for(&model));
            assert!(failures.is_empty(), "{}: {failures:#?}", path.display());
            for (file, text) in files.iter().filter(|(file, _)| file.ends_with(".md")) {
                let base = file.rsplit_once('/').map(|(folder, _)| folder).unwrap_or_default();
                for target in markdown_links(text) {
                    let resolved = resolve(base, &target).unwrap_or_default();
                    assert!(files.contains_key(&resolved), "{}: {file} links `{target}`, which is not generated", path.display());
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} corpus documents were found");
}

#[test]
fn snapshot_of_the_index() {
    let (_, files) = spec_docs();
    insta::assert_snapshot!("docs_readme", &files["docs/README.md"]);
}

#[test]
fn snapshot_of_an_operation_page() {
    let (_, files) = spec_docs();
    insta::assert_snapshot!("docs_operation_execute_workflow", &files["docs/operations/executeWorkflow.md"]);
}

/// A document with `operations` operations spread over three tags (and a few untagged) and
/// `models` component schemas whose names start with various letters.
fn large_document(operations: usize, models: usize) -> String {
    let letters = ["Apple", "Banana", "Cherry", "apricot", "Zebra"];
    let schemas: serde_json::Map<String, serde_json::Value> = (0..models)
        .map(|index| {
            let name = format!("{}{index}", letters[index % letters.len()]);
            let schema =
                serde_json::json!({"type": "object", "description": format!("Model number {index}."), "properties": {"id": {"type": "integer"}}});
            (name, schema)
        })
        .collect();
    let paths: serde_json::Map<String, serde_json::Value> = (0..operations)
        .map(|index| {
            let tag = ["pets", "stores", "users"][index % 3];
            let tags = if index % 50 == 0 { serde_json::json!([]) } else { serde_json::json!([tag]) };
            let model = format!("{}{}", letters[index % letters.len()], index % models.max(1));
            let operation = serde_json::json!({
                "operationId": format!("operation{index}"),
                "tags": tags,
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{model}")}}}}}
            });
            (format!("/items{index}"), serde_json::json!({"get": operation}))
        })
        .collect();
    serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "Large", "version": "1"},
        "tags": [{"name": "pets", "description": "Everything about pets."}, {"name": "stores"}, {"name": "users"}],
        "paths": paths,
        "components": {"schemas": schemas},
    })
    .to_string()
}

/// The `id`s of the `<a id="...">` anchors of a Markdown page.
fn markdown_anchors(markdown: &str) -> BTreeSet<String> {
    markdown.lines().filter_map(|line| line.strip_prefix("<a id=\"").and_then(|rest| rest.strip_suffix("\"></a>"))).map(str::to_string).collect()
}

#[test]
fn a_large_api_gets_a_page_per_tag_and_per_initial_and_every_link_lands_on_its_anchor() {
    let (model, files) = docs_for_text(&large_document(700, 400));
    assert!(model.operations.len() + model.space.types.len() > 1000);
    let mut pages: Vec<&str> = files.keys().map(String::as_str).collect();
    pages.sort_unstable();
    assert_eq!(
        pages,
        [
            "docs/README.md",
            "docs/index.html",
            "docs/models/A.md",
            "docs/models/B.md",
            "docs/models/C.md",
            "docs/models/Z.md",
            "docs/operations/Other.md",
            "docs/operations/pets.md",
            "docs/operations/stores.md",
            "docs/operations/users.md",
        ]
    );
    assert!(files["docs/README.md"].contains("a page per tag"), "the index says how the pages are organised");
    assert!(files["docs/operations/pets.md"].starts_with("<!--"));
    assert!(files["docs/operations/pets.md"].contains("# pets\n\nEverything about pets.\n"));
    // Each item is a section: its own title is one level below the page's.
    assert!(files["docs/operations/pets.md"].contains("\n## `operation3`\n"));
    assert!(files["docs/models/A.md"].contains("\n## `Apple0`\n"));

    // Every operation and model is documented exactly once, under the anchor the HTML page uses.
    let expected = expected_for(&model);
    let mut anchors: Vec<String> = files.iter().filter(|(path, _)| path.ends_with(".md")).flat_map(|(_, text)| markdown_anchors(text)).collect();
    anchors.sort();
    let mut wanted: Vec<String> = expected.operations.iter().chain(&expected.models).map(|(_, anchor)| anchor.clone()).collect();
    wanted.sort();
    assert_eq!(anchors, wanted);

    // Every link resolves to a generated file, and every fragment to an anchor on it.
    let mut links = 0;
    for (file, text) in files.iter().filter(|(file, _)| file.ends_with(".md")) {
        let base = file.rsplit_once('/').map(|(folder, _)| folder).unwrap_or_default();
        for target in markdown_links(text) {
            let (path, fragment) = target.split_once('#').map_or((target.as_str(), None), |(path, fragment)| (path, Some(fragment)));
            let resolved = resolve(base, path).unwrap_or_default();
            let page = files.get(&resolved).unwrap_or_else(|| panic!("{file} links `{target}`, which is not generated"));
            if let Some(fragment) = fragment {
                assert!(markdown_anchors(page).contains(fragment), "{file} links `{target}`, whose anchor is missing");
            }
            links += 1;
        }
    }
    assert!(links > 2 * 1100, "only {links} links were checked");
    let failures = check_dom(&files["docs/index.html"], &expected);
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn up_to_a_thousand_items_each_has_its_own_page() {
    let (model, files) = docs_for_text(&large_document(600, 400));
    assert_eq!(model.operations.len() + model.space.types.len(), 1000);
    assert_eq!(files.len(), 2 + 1000);
}

/// Descriptions that are a code block or text depending on CommonMark's rules for fences, each
/// with the line to look for and whether it is code.
const FENCE_CASES: &[(&str, &str, bool)] = &[
    ("A fence:\n```rust\nlet fenced = 1;\n```", "let fenced = 1;", true),
    ("A fence indented by three:\n   ```\n   let three = 2;\n   ```", "let three = 2;", true),
    // Indented by four, the lines go on with the paragraph.
    ("Not a fence:\n    ```rust\n    let four = 3;\n    ```", "let four = 3;", false),
    // A backtick fence's info string may not hold a backtick; a tilde fence's may.
    ("```rust`x` is no fence\nlet ticked = 4;", "let ticked = 4;", false),
    ("~~~rust`x`\nlet tilde = 5;\n~~~", "let tilde = 5;", true),
    // A closing fence has nothing after it, and an unclosed fence runs to the end.
    ("```\nlet open = 6;\n``` is no closing fence\nlet still = 7;\n```\nAfter.", "let still = 7;", true),
    ("Unclosed:\n~~~~\nlet unclosed = 8;\n~~~", "let unclosed = 8;", true),
];

/// Each line of a text, and whether it is inside a fenced code block as CommonMark (and so rustdoc
/// and Markdown renderers) reads fences. The fences themselves are left out.
fn fenced(lines: Vec<&str>) -> Vec<(&str, bool)> {
    let mut read = Vec::new();
    let mut open: Option<(char, usize)> = None;
    for line in lines {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        let marker = rest.chars().next().filter(|c| matches!(c, '`' | '~'));
        let run = marker.map_or(0, |marker| rest.chars().take_while(|c| *c == marker).count());
        let after = &rest[run..];
        match open {
            Some((fence, length)) if indent <= 3 && marker == Some(fence) && run >= length && after.trim().is_empty() => open = None,
            Some(_) => read.push((line, true)),
            None if indent <= 3 && run >= 3 && !(marker == Some('`') && after.contains('`')) => open = marker.map(|marker| (marker, run)),
            None => read.push((line, false)),
        }
    }
    read
}

fn is_code(lines: Vec<&str>, wanted: &str, what: &str) -> bool {
    let read = fenced(lines);
    let found = read.iter().find(|(line, _)| line.trim() == wanted);
    found.unwrap_or_else(|| panic!("`{wanted}` is not in {what}:\n{read:#?}")).1
}

/// The doc comment of `pub struct {name}`, as rustdoc reads it: without `///` and the one space
/// every line starts with.
fn rust_docs<'a>(source: &'a str, name: &str) -> Vec<&'a str> {
    let lines: Vec<&str> = source.lines().collect();
    let item = lines.iter().position(|line| line.starts_with(&format!("pub struct {name} "))).unwrap_or_else(|| panic!("no struct {name}"));
    let above = lines[..item].iter().rev().map(|line| line.trim_start()).skip_while(|line| line.starts_with("#["));
    let mut docs: Vec<&str> = above.map_while(|line| line.strip_prefix("///")).map(|line| line.strip_prefix(' ').unwrap_or(line)).collect();
    docs.reverse();
    docs
}

/// Whether `wanted` is inside a `<pre>` block of an HTML article (it must be in the article).
fn html_code(article: &str, wanted: &str) -> bool {
    let code = article.split("<pre><code>").skip(1).any(|block| block.split("</code></pre>").next().is_some_and(|code| code.contains(wanted)));
    assert!(code || article.contains(wanted), "`{wanted}` is not on the HTML page:\n{article}");
    code
}

#[test]
fn the_rust_docs_the_markdown_and_the_html_agree_on_what_is_code() {
    let mut text = String::from("openapi: 3.0.3\ninfo: { title: Fences, version: \"1\" }\npaths: {}\ncomponents:\n  schemas:\n");
    for (index, (description, _, _)) in FENCE_CASES.iter().enumerate() {
        let description = serde_json::to_string(description).expect("a string");
        text.push_str(&format!(
            "    Case{index}:\n      type: object\n      description: {description}\n      properties: {{ id: {{ type: string }} }}\n"
        ));
    }
    let document = oas_codegen::load::load_str(&text).unwrap_or_else(|error| panic!("{error}"));
    let config = oas_codegen::CrateConfig {
        name: "fences".into(),
        header: "Fences.".into(),
        dependencies: oas_codegen::Dependencies::Standalone { runtime: oas_codegen::RuntimeSource::Path("../runtime".into()) },
    };
    let files = oas_tests::generate_crate(&document, &config, false).unwrap_or_else(|error| panic!("{error}")).files;
    let types = &files["src/types.rs"];
    let html = &files["docs/index.html"];
    for (index, (description, wanted, expected)) in FENCE_CASES.iter().enumerate() {
        let name = format!("Case{index}");
        let rust = is_code(rust_docs(types, &name), wanted, &format!("the doc comment of {name}"));
        let markdown = is_code(files[&format!("docs/models/{name}.md")].lines().collect(), wanted, &format!("the Markdown page of {name}"));
        let article = html.split(&format!("<article id=\"model-{name}\">")).nth(1).and_then(|rest| rest.split("</article>").next());
        let html = html_code(article.unwrap_or_else(|| panic!("no article for {name}")), wanted);
        assert_eq!((rust, markdown, html), (*expected, *expected, *expected), "{description:?}: code in the Rust docs, the Markdown, the HTML");
    }
}

const STREAMS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/streaming/streams.yaml");
const NAMED_EVENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/streaming/named-events.yaml");

fn fixture_docs(path: &str) -> (Model, FileSet) {
    let document = oas_codegen::load::load_file(Path::new(path)).unwrap_or_else(|error| panic!("{path}: {error}"));
    let model = lowered(&document);
    let files = docs_files(&model);
    (model, files)
}

#[test]
fn streaming_bodies_say_they_stream_and_what_each_item_is() {
    let (model, files) = fixture_docs(STREAMS);
    let page = |id: &str| files[&format!("docs/operations/{id}.md")].clone();
    let tick = "[`Tick`](../models/Tick.md)";
    for (id, wanted) in [
        ("watchTicks", format!("Server-sent events; each event's `data` is {tick}.")),
        ("followLog", "Server-sent events; each event's `data` is text.".to_string()),
        ("exportJsonl", format!("JSON lines: one {tick} per line.")),
        // The array form of the schema: each line is one of its items.
        ("exportNdjson", format!("JSON lines: one {tick} per line.")),
        ("exportJsonSeq", format!("JSON text sequence (RFC 7464): one {tick} per record.")),
        ("downloadBlob", "A binary stream.".to_string()),
        ("uploadBlob", "A binary stream.".to_string()),
    ] {
        let page = page(id);
        assert!(page.lines().any(|line| line == wanted), "{id}: no line `{wanted}` in:\n{page}");
    }
    // A stream's page says what an item is, not that the body is one.
    assert!(!page("watchTicks").contains(&format!("Type: {tick}")), "{}", page("watchTicks"));
    // The JSON answer beside the events, and a small image, travel whole.
    assert!(page("watchTicks").contains("Type: [`Problem`](../models/Problem.md)"), "{}", page("watchTicks"));
    assert!(page("getThumbnail").contains("Type: binary") && !page("getThumbnail").contains("A binary stream"), "{}", page("getThumbnail"));

    let html = &files["docs/index.html"];
    assert!(html.contains("Server-sent events; each event&#39;s <code>data</code> is"), "{html}");
    assert!(html.contains("JSON text sequence (RFC 7464): one"), "{html}");
    let failures = check_dom(html, &expected_for(&model));
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn event_names_of_a_3_2_item_schema_are_listed_as_text() {
    let (model, files) = fixture_docs(NAMED_EVENTS);
    let streams: Vec<_> = model.operations.iter().map(|operation| operation.responses[0].contents[0].stream.clone()).collect();
    let names: Vec<Vec<String>> = streams
        .iter()
        .map(|stream| match stream {
            Some(oas_codegen::ir::Stream::Events { names, .. }) => names.clone(),
            other => panic!("not an event stream: {other:?}"),
        })
        .collect();
    assert_eq!(names, [vec!["created", "deleted"], vec!["beat"], vec!["<img src=x>", "a`b"]]);

    let changes = &files["docs/operations/watchChanges.md"];
    let wanted = "Server-sent events; each event's `data` is [`Change`](../models/Change.md); events: `created`, `deleted`.";
    assert!(changes.lines().any(|line| line == wanted), "{changes}");
    let beat = &files["docs/operations/watchHeartbeat.md"];
    assert!(beat.lines().any(|line| line == "Server-sent events; each event's `data` is text; events: `beat`."), "{beat}");
    // The data's own schema, reached through `contentSchema`, lists the operation as a user.
    assert!(
        files["docs/models/Change.md"].contains("operation [`watchChanges`](../operations/watchChanges.md)"),
        "{}",
        files["docs/models/Change.md"]
    );

    // Names are text from the document: code spans on the Markdown page, escaped on the HTML one.
    let odd = &files["docs/operations/watchOddNames.md"];
    assert!(odd.contains("events: `<img src=x>`, ``a`b``."), "{odd}");
    assert!(!markdown_outside_code(odd).contains("<img"), "{odd}");
    let html = &files["docs/index.html"];
    assert!(html.contains("<code>&lt;img src=x&gt;</code>") && !html.contains("<img"), "{html}");
    let failures = check_dom(html, &expected_for(&model));
    assert!(failures.is_empty(), "{failures:#?}");
}
