//! Properties of the whole generator under hostile input: arbitrary bytes, and real documents
//! mutated node by node (types swapped, `$ref` loops, deep nesting, numbers no machine type
//! holds), written as JSON or YAML; YAML alias bombs; nesting 10,000 levels deep. Each case runs
//! on a thread of its own with the default 2 MiB stack (less than a program's main thread gets)
//! and a deadline, so a panic, a stack overflow or a hang fails the test instead of passing
//! unnoticed. Bounded: a few hundred cases, under half a minute in a debug build.

use std::sync::mpsc;
use std::time::Duration;

use oas_codegen::load::{load_str, Document, LoadError};
use oas_codegen::{CrateConfig, Dependencies, GenerateError, RuntimeSource};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{json, Value};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

/// Small documents with unions, discriminators, cycles, callbacks, webhooks and every parameter
/// style between them.
const SEEDS: &[&str] = &[
    "features/3.0/petstore-expanded.yaml",
    "features/3.0/polymorphism.yaml",
    "features/3.0/discriminators.yaml",
    "features/3.0/schema-circular.yaml",
    "features/3.0/callbacks.yaml",
    "features/3.0/parameters-extreme.yaml",
    "features/3.1/webhooks.yaml",
    "features/3.1/schema-validation-top-level.yaml",
];

const DEADLINE: Duration = Duration::from_secs(30);

/// How a case ended, when it ended at all.
#[derive(Debug)]
enum Outcome {
    Refused(LoadError),
    Generated,
}

/// Loads and generates on a fresh thread; panics (failing the case) on a panic in the generator,
/// on a deadline missed, or on generated code that does not parse.
fn run(text: String) -> Outcome {
    let (sender, receiver) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name("generator".into())
        .spawn(move || {
            let outcome = load_str(&text).map(|document| generate(&document));
            let _ = sender.send(outcome);
        })
        .unwrap();
    match receiver.recv_timeout(DEADLINE) {
        Ok(Ok(Ok(()))) => Outcome::Generated,
        Ok(Ok(Err(message))) => panic!("generated code does not parse: {message}"),
        Ok(Err(error)) => Outcome::Refused(error),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let panic = worker.join().expect_err("the worker ended without an answer");
            let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|text| text.to_string()));
            panic!("the generator panicked: {}", message.unwrap_or_default())
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the generator took longer than {DEADLINE:?}"),
    }
}

fn generate(document: &Document) -> Result<(), String> {
    let config = CrateConfig {
        name: "mutated".into(),
        header: "property test".into(),
        dependencies: Dependencies::Standalone { runtime: RuntimeSource::Path("../runtime".into()) },
    };
    match oas_tests::generate_crate(document, &config, false) {
        Err(GenerateError::Internal(message)) => Err(message),
        _ => Ok(()),
    }
}

fn seeds() -> &'static [Value] {
    static SEEDED: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    SEEDED.get_or_init(|| {
        SEEDS
            .iter()
            .map(|seed| {
                let text = std::fs::read_to_string(format!("{CORPUS}/{seed}")).unwrap();
                load_str(&text).unwrap_or_else(|error| panic!("{seed}: {error}")).root
            })
            .collect()
    })
}

/// Every node's JSON pointer, in document order.
fn pointers(value: &Value, pointer: String, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                pointers(child, format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1")), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{pointer}/{index}"), found);
            }
        }
        _ => {}
    }
    found.push(pointer);
}

/// Numbers beyond every machine type, spliced into the text after serializing (a JSON value
/// cannot hold them).
const HUGE: &[&str] = &["1e400", "-1e400", "18446744073709551616", "-9223372036854775809", "1e-400", "123456789012345678901234567890.5"];

#[derive(Debug, Clone)]
enum Mutation {
    /// The node becomes a value of another type.
    Swap { at: usize, kind: usize },
    /// The node becomes a `$ref` to itself, to its parent, or to the root.
    RefLoop { at: usize, up: usize },
    /// The node becomes a `$ref` to another node.
    RefTo { at: usize, target: usize },
    /// The node is wrapped in `depth` arrays or `items` schemas.
    Nest { at: usize, depth: usize, schema: bool },
    /// The node becomes a number no machine type holds.
    Huge { at: usize, which: usize },
    /// Composition keywords pointing back at the node's own schema.
    Compose { at: usize, keyword: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        (at, 0..7usize).prop_map(|(at, kind)| Mutation::Swap { at, kind }),
        (at, 0..3usize).prop_map(|(at, up)| Mutation::RefLoop { at, up }),
        (at, any::<usize>()).prop_map(|(at, target)| Mutation::RefTo { at, target }),
        (at, 1..300usize, any::<bool>()).prop_map(|(at, depth, schema)| Mutation::Nest { at, depth, schema }),
        (at, 0..HUGE.len()).prop_map(|(at, which)| Mutation::Huge { at, which }),
        (at, 0..5usize).prop_map(|(at, keyword)| Mutation::Compose { at, keyword }),
    ]
}

fn parent(pointer: &str, levels: usize) -> &str {
    let mut pointer = pointer;
    for _ in 0..levels {
        pointer = pointer.rfind('/').map_or("", |cut| &pointer[..cut]);
    }
    pointer
}

/// Applies the mutations; returns the huge numbers' placeholders with their text.
fn mutate(document: &mut Value, mutations: &[Mutation]) -> Vec<(String, &'static str)> {
    let mut huge = Vec::new();
    for mutation in mutations {
        let mut nodes = Vec::new();
        pointers(document, String::new(), &mut nodes);
        let pick = |index: usize| nodes[index % nodes.len()].clone();
        let replacement = match mutation {
            Mutation::Swap { at, kind } => (
                pick(*at),
                [Value::Null, json!(true), json!(-7), json!(0.5), json!("text"), json!([1, "a", null]), json!({"type": ["object", "null"]})][*kind]
                    .clone(),
            ),
            Mutation::RefLoop { at, up } => {
                let at = pick(*at);
                let target = parent(&at, *up).to_string();
                (at, json!({ "$ref": format!("#{target}") }))
            }
            Mutation::RefTo { at, target } => (pick(*at), json!({ "$ref": format!("#{}", pick(*target)) })),
            Mutation::Nest { at, depth, schema } => {
                let at = pick(*at);
                let mut value = document.pointer(&at).cloned().unwrap_or(Value::Null);
                for _ in 0..*depth {
                    value = if *schema { json!({"type": "array", "items": value}) } else { json!([value]) };
                }
                (at, value)
            }
            Mutation::Huge { at, which } => {
                let placeholder = format!("oas-huge-number-{}", huge.len());
                huge.push((placeholder.clone(), HUGE[*which]));
                (pick(*at), Value::String(placeholder))
            }
            Mutation::Compose { at, keyword } => {
                let at = pick(*at);
                let own = json!({ "$ref": format!("#{at}") });
                let value = match keyword {
                    0 => json!({ "allOf": [own, {"type": "object"}] }),
                    1 => json!({ "oneOf": [own.clone(), own] }),
                    2 => json!({ "anyOf": [own, {"type": "string"}], "discriminator": {"propertyName": "kind"} }),
                    3 => json!({ "type": "object", "properties": {"self": own}, "required": ["self"] }),
                    _ => json!({ "type": "object", "additionalProperties": own, "not": own }),
                };
                (at, value)
            }
        };
        let (at, value) = replacement;
        match document.pointer_mut(&at) {
            Some(slot) if !at.is_empty() => *slot = value,
            // The root stays an object with its version, or nothing past the loader runs.
            _ => {
                if let Some(object) = document.as_object_mut() {
                    object.insert("x-mutated".into(), value);
                }
            }
        }
    }
    huge
}

fn render(document: &Value, yaml: bool, huge: &[(String, &str)]) -> String {
    let mut text = if yaml { serde_yaml_ng::to_string(document).unwrap() } else { serde_json::to_string_pretty(document).unwrap() };
    for (placeholder, number) in huge {
        text = text.replace(&format!("\"{placeholder}\""), number).replace(placeholder.as_str(), number);
    }
    text
}

/// A fixed seed, so a failure (a stack overflow aborts before proptest can report its case) replays
/// on the next run; `PROPTEST_RNG_SEED=<n>` explores other cases.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() };
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(0x0a5_2026);
    }
    config
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn arbitrary_bytes_are_refused_or_generated(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = run(String::from_utf8_lossy(&bytes).into_owned());
    }

    #[test]
    fn arbitrary_text_after_a_version_line_is_refused_or_generated(tail in "[ -~\n\t{}\\[\\]:&*!|>'\"#-]{0,600}") {
        let _ = run(format!("openapi: 3.1.0\n{tail}"));
    }
}

proptest! {
    #![proptest_config(config(80))]

    #[test]
    fn mutated_documents_are_refused_or_generated(
        seed in 0..SEEDS.len(),
        mutations in proptest::collection::vec(mutation(), 1..5),
        yaml in any::<bool>(),
    ) {
        let mut document = seeds()[seed].clone();
        let huge = mutate(&mut document, &mutations);
        let _ = run(render(&document, yaml, &huge));
    }
}

#[test]
fn invalid_utf8_is_a_clear_error() {
    let path = std::env::temp_dir().join(format!("oas-invalid-utf8-{}.yaml", std::process::id()));
    std::fs::write(&path, b"openapi: 3.1.0\ninfo: {title: \xff\xfe, version: '1'}\n").unwrap();
    let error = oas_codegen::load::load_file(&path).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert!(error.to_string().contains("cannot read the file") && error.to_string().contains("UTF-8"), "{error}");
}

/// An alias bomb: each level lists the previous one `width` times, `levels` deep, under `at`.
fn alias_bomb(width: usize, levels: usize, at: &str) -> String {
    let mut text = String::from(
        "openapi: 3.1.0\ninfo: {title: bomb, version: '1'}\npaths: {}\nx-anchors:\n  l0: &l0 {type: string, enum: [a, b, c, d, e, f, g, h]}\n",
    );
    for level in 1..=levels {
        let items = vec![format!("*l{}", level - 1); width].join(", ");
        text.push_str(&format!(
            "  l{level}: &l{level} {{type: object, properties: {{{}}}, allOf: [{items}]}}\n",
            (0..width).map(|i| format!("p{i}: *l{}", level - 1)).collect::<Vec<_>>().join(", ")
        ));
    }
    text.push_str(&format!("{at}*l{levels}\n"));
    text
}

fn node_count(value: &Value) -> usize {
    match value {
        Value::Object(object) => 1 + object.values().map(node_count).sum::<usize>(),
        Value::Array(items) => 1 + items.iter().map(node_count).sum::<usize>(),
        _ => 1,
    }
}

#[test]
fn alias_bombs_are_refused_or_stay_small() {
    let mut refused = 0;
    for (width, levels) in [(3, 3), (9, 5), (32, 4), (2, 30)] {
        for at in ["x-bomb: ", "components:\n  schemas:\n    Bomb: "] {
            let text = alias_bomb(width, levels, at);
            match run(text.clone()) {
                Outcome::Refused(error) => {
                    assert!(error.message.contains("alias bomb") && error.position.is_some_and(|position| position.line > 1), "{error}");
                    refused += 1;
                }
                Outcome::Generated => {
                    // Whatever the parser lets through is bounded by the size of the text.
                    let nodes = node_count(&load_str(&text).unwrap().root);
                    assert!(nodes <= 1_000 * text.len(), "{} bytes of YAML became {nodes} nodes", text.len());
                }
            }
        }
    }
    assert_eq!(refused, 6, "the three large bombs are refused in both places");
}

fn assert_refused_with_position(text: String, label: &str) {
    match run(text) {
        Outcome::Refused(error) => {
            assert!(error.position.is_some(), "{label}: no position in {error}");
            assert!(error.message.contains("nested more than 128 levels deep"), "{label}: unclear message {error}");
        }
        Outcome::Generated => panic!("{label}: 10,000 levels of nesting were accepted"),
    }
}

#[test]
fn ten_thousand_levels_of_nesting_are_an_error() {
    let depth = 10_000;
    let head = "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}, \"x\": ";
    assert_refused_with_position(format!("{head}{}{}}}", "[".repeat(depth), "]".repeat(depth)), "JSON arrays");
    assert_refused_with_position(format!("{head}{}1{}}}", "{\"a\": ".repeat(depth), "}".repeat(depth)), "JSON objects");
    let schema = "{\"type\": \"array\", \"items\": ".repeat(depth);
    assert_refused_with_position(
        format!("{{\"openapi\": \"3.1.0\", \"components\": {{\"schemas\": {{\"Deep\": {schema}{{}}{}}}}}}}", "}".repeat(depth)),
        "JSON schemas",
    );
    assert_refused_with_position(format!("openapi: 3.1.0\nx: {}{}\n", "[".repeat(depth), "]".repeat(depth)), "YAML flow sequences");
    assert_refused_with_position(format!("openapi: 3.1.0\nx: {}1{}\n", "{a: ".repeat(depth), "}".repeat(depth)), "YAML flow mappings");
    assert_refused_with_position(format!("openapi: 3.1.0\nx:\n  {}1\n", "- ".repeat(depth)), "YAML block sequences");
    // Block mappings need one more column per level; 2,000 levels are 2 MB of indentation.
    let mut block = String::from("openapi: 3.1.0\nx:\n");
    for level in 0..2_000 {
        block.push_str(&" ".repeat(level + 1));
        block.push_str("a:\n");
    }
    assert_refused_with_position(block, "YAML block mappings");
}

/// Inputs that once crashed the generator (found by this harness or by `cargo fuzz`), kept so
/// they never do again.
#[test]
fn recorded_crashes_are_refused_or_generated() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/hostile/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap();
        let _ = run(String::from_utf8_lossy(&bytes).into_owned());
        count += 1;
    }
    assert!(count >= 1, "the regression folder is empty");
}
