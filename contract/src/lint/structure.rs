//! Validation against the official OpenAPI JSON Schemas (`codegen/schemas/`, embedded).
//!
//! OpenAPI 3.0 documents are checked against the 3.0 schema. OpenAPI 3.1 documents are checked
//! against the 3.1 `schema.json`, and each of their Schema Objects separately against the 3.1
//! base dialect. `schema-base.json` would do both at once, but the published file of this
//! iteration has a `"$ref\""` typo where it should apply the dialect, so as published it checks no
//! Schema Object; checking each one separately also reports each finding under its own schema.
//!
//! The same iteration's `schema.json` names a Server Variable's `description` `descriptions`, so
//! as published it rejects every described server variable; it requires a License Object to have
//! an `identifier` or a `url`, which the specification only makes mutually exclusive; and its Path
//! Item Object has no `$ref`, which the specification gives it. Those are repaired in memory too,
//! as later iterations of the schema have them ([`parse_repaired`]).
//!
//! The official schemas describe most fields as `oneOf` a Reference Object and something else, so
//! a raw validator reports every wrong field several times over, once per alternative. Here each
//! `oneOf`/`anyOf` that fails keeps only the alternative whose errors reach deepest into the
//! document (the one the author evidently meant), recursively.

use std::collections::HashSet;
use std::sync::OnceLock;

use jsonschema::{OutputUnit, Registry, Resource, Validator};
use oas_codegen::diagnostics::Diagnostic;
use oas_codegen::load::{Document, Version, Written};
use serde_json::Value;

use crate::checker::shorten;
use crate::schema_walk::schema_sites;

const SCHEMA_2_0: &str = include_str!("../../../codegen/schemas/2.0/schema.json");
const SCHEMA_3_0: &str = include_str!("../../../codegen/schemas/3.0/schema.json");
const SCHEMA_3_1: &str = include_str!("../../../codegen/schemas/3.1/schema.json");
const DIALECT_3_1: &str = include_str!("../../../codegen/schemas/3.1/dialect/base.schema.json");
const META_3_1: &str = include_str!("../../../codegen/schemas/3.1/meta/base.schema.json");
const SCHEMA_3_2: &str = include_str!("../../../codegen/schemas/3.2/schema.json");
const DIALECT_3_2: &str = include_str!("../../../codegen/schemas/3.2/dialect.json");
const META_3_2: &str = include_str!("../../../codegen/schemas/3.2/meta.json");

/// The schema documents of one OpenAPI version after 3.0: the document schema, the Schema Object
/// dialect and its vocabulary, with their names for messages.
type Family = [(&'static str, &'static str); 3];

const FAMILY_3_1: Family = [(SCHEMA_3_1, "OpenAPI 3.1 schema"), (DIALECT_3_1, "OpenAPI 3.1 dialect"), (META_3_1, "OpenAPI 3.1 vocabulary")];
const FAMILY_3_2: Family = [(SCHEMA_3_2, "OpenAPI 3.2 schema"), (DIALECT_3_2, "OpenAPI 3.2 dialect"), (META_3_2, "OpenAPI 3.2 vocabulary")];

/// A compiled validator, or why the embedded schema would not compile: the schemas are part of
/// the binary, so that is a defect of the build, reported rather than hidden.
type Compiled = Result<Validator, String>;

fn parse(text: &str, name: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|error| format!("the embedded {name} is not JSON: {error}"))
}

/// [`parse`], with the 3.1 schema's misspelt Server Variable `descriptions`, License `oneOf` and
/// Path Item without `$ref` put right.
fn parse_repaired(text: &str, name: &str) -> Result<Value, String> {
    let mut value = parse(text, name)?;
    if let Some(Value::Object(properties)) = value.pointer_mut("/$defs/server-variable/properties") {
        if let Some(misspelt) = properties.shift_remove("descriptions") {
            properties.entry("description").or_insert(misspelt);
        }
    }
    if let Some(Value::Object(license)) = value.pointer_mut("/$defs/license") {
        if license.shift_remove("oneOf").is_some() {
            license.insert("dependentSchemas".into(), serde_json::json!({"identifier": {"not": {"required": ["url"]}}}));
        }
    }
    if let Some(Value::Object(properties)) = value.pointer_mut("/$defs/path-item/properties") {
        properties.entry("$ref").or_insert_with(|| serde_json::json!({"type": "string", "format": "uri-reference"}));
    }
    Ok(value)
}

/// Each validator is compiled once per process, and only when a document needs it.
fn document_2_0() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(false)
            .build(&parse(SCHEMA_2_0, "Swagger 2.0 schema")?)
            .map_err(|error| format!("the Swagger 2.0 schema does not compile: {error}"))
    })
}

fn document_3_0() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        // `format` stays an annotation, as the schemas' vocabularies say; asserting it would
        // reject relative server URLs that the specification allows.
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .should_validate_formats(false)
            .build(&parse(SCHEMA_3_0, "OpenAPI 3.0 schema")?)
            .map_err(|error| format!("the OpenAPI 3.0 schema does not compile: {error}"))
    })
}

fn document_3_1() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| compile(&FAMILY_3_1, 0))
}

fn dialect_3_1() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| compile(&FAMILY_3_1, 1))
}

fn document_3_2() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| compile(&FAMILY_3_2, 0))
}

fn dialect_3_2() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| compile(&FAMILY_3_2, 1))
}

/// Compiles document `which` of a family with all three registered under their `$id`s, so every
/// reference between them resolves locally and nothing is fetched.
fn compile(family: &Family, which: usize) -> Compiled {
    let (text, name) = family[which];
    let mut resources = Vec::new();
    for &(text, name) in family {
        let contents = parse_repaired(text, name)?;
        let id = contents.get("$id").and_then(Value::as_str).ok_or_else(|| format!("the embedded {name} has no $id"))?.to_string();
        resources.push((id, Resource::from_contents(contents)));
    }
    let registry = Registry::new()
        .extend(resources)
        .and_then(|builder| builder.prepare())
        .map_err(|error| format!("the {name} and its companions cannot be registered: {error}"))?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(false)
        .offline()
        .with_registry(&registry)
        .build(&parse_repaired(text, name)?)
        .map_err(|error| format!("the {name} does not compile: {error}"))
}

/// Every place the document breaks the official schema, as errors.
pub fn check(document: &Document) -> Vec<Diagnostic> {
    let unusable = |why: &String| vec![Diagnostic::error("", format!("the document could not be checked against the OpenAPI JSON Schema: {why}"))];
    let root = &document.root;
    let mut findings = Vec::new();
    if let (Written::Swagger2, Some(original)) = (document.written, &document.original) {
        // The document as written is what its author can fix; the converted form is ours.
        let validator = match document_2_0() {
            Ok(validator) => validator,
            Err(why) => return unusable(why),
        };
        let root_name = document.path.as_ref().map(|path| path.display().to_string());
        return errors(validator, original, "")
            .into_iter()
            .map(|finding| {
                let (file, pointer) = document.sources.bundle_origin_of(&finding.pointer);
                Diagnostic { file: file.or_else(|| root_name.clone()), pointer, ..finding }
            })
            .collect();
    }
    match document.version {
        Version::V3_0 => match document_3_0() {
            Ok(validator) => findings.extend(errors(validator, root, "")),
            Err(why) => return unusable(why),
        },
        Version::V3_1 => {
            let (document_validator, dialect) = match document.written {
                Written::OpenApi3_2 => (document_3_2(), dialect_3_2()),
                _ => (document_3_1(), dialect_3_1()),
            };
            let (document_validator, dialect) = match (document_validator, dialect) {
                (Ok(document_validator), Ok(dialect)) => (document_validator, dialect),
                (Err(why), _) | (_, Err(why)) => return unusable(why),
            };
            findings.extend(errors(document_validator, root, ""));
            // Subschemas are checked by the dialect along with the schema that holds them.
            let mut outermost: Vec<String> = Vec::new();
            for site in schema_sites(root) {
                if outermost.last().is_some_and(|outer| site.starts_with(&format!("{outer}/"))) {
                    continue;
                }
                outermost.push(site);
            }
            for site in outermost {
                if let Some(schema) = root.pointer(&site) {
                    findings.extend(errors(dialect, schema, &site));
                }
            }
        }
    }
    findings
}

/// One error of the basic output format.
struct Unit {
    instance: String,
    keyword: String,
    message: String,
}

fn errors(validator: &Validator, instance: &Value, prefix: &str) -> Vec<Diagnostic> {
    if validator.is_valid(instance) {
        return Vec::new();
    }
    let evaluation = validator.evaluate(instance);
    let mut units = Vec::new();
    collect_units(evaluation.root(), &mut units);
    let mut seen = HashSet::new();
    let mut findings = Vec::new();
    for unit in prune(units, 0) {
        let message = shorten(&unit.message, instance.pointer(&unit.instance));
        if seen.insert((unit.instance.clone(), message.clone())) {
            findings.push(Diagnostic::error(format!("{prefix}{}", unit.instance), message));
        }
    }
    findings
}

/// Every error of the evaluation, in the order of the list output format: each one at the
/// keyword's evaluation path (through every `$ref` taken), which tells the alternatives of a
/// `oneOf`/`anyOf` apart.
fn collect_units(unit: OutputUnit<'_>, units: &mut Vec<Unit>) {
    if unit.valid() {
        return;
    }
    for error in unit.errors() {
        units.push(Unit {
            instance: unit.instance_location().as_str().to_string(),
            keyword: unit.evaluation_path().as_str().to_string(),
            message: error.message().to_string(),
        });
    }
    for child in unit.children() {
        collect_units(child, units);
    }
}

/// Where a keyword location first enters an alternative at or after byte `from`: the end of
/// the `.../oneOf` prefix, the branch index, and the end of the `/N` that follows.
fn choice(keyword: &str, from: usize) -> Option<(usize, usize, usize)> {
    let rest = keyword.get(from..)?;
    let found = ["/oneOf/", "/anyOf/"].iter().filter_map(|marker| rest.find(marker).map(|at| (at, marker.len()))).min()?;
    let start = from + found.0 + found.1;
    let digits: String = keyword[start..].chars().take_while(char::is_ascii_digit).collect();
    let branch = digits.parse().ok()?;
    Some((from + found.0 + found.1 - 1, branch, start + digits.len()))
}

/// One `oneOf`/`anyOf` applied to one value: its keyword location and the value's pointer.
type ChoiceKey = (String, String);

/// One alternative's index and its errors, each with its place in the validator's output.
type Branch = (usize, Vec<(usize, Unit)>);

/// Keeps, at every failed alternative, only the errors of its most specific branch.
fn prune(units: Vec<Unit>, from: usize) -> Vec<Unit> {
    let mut kept: Vec<(usize, Unit)> = Vec::new();
    let mut groups: Vec<(ChoiceKey, Vec<Branch>)> = Vec::new();
    for (order, unit) in units.into_iter().enumerate() {
        match choice(&unit.keyword, from) {
            None => kept.push((order, unit)),
            Some((prefix_end, branch, _)) => {
                // The same `oneOf` applies to every item of an array; each is its own choice.
                let prefix = &unit.keyword[..prefix_end];
                let key = (prefix.to_string(), truncate(&unit.instance, instance_depth(prefix)));
                let index = match groups.iter().position(|(existing, _)| *existing == key) {
                    Some(index) => index,
                    None => {
                        groups.push((key, Vec::new()));
                        groups.len() - 1
                    }
                };
                let branches = &mut groups[index].1;
                match branches.iter_mut().find(|(existing, _)| *existing == branch) {
                    Some((_, members)) => members.push((order, unit)),
                    None => branches.push((branch, vec![(order, unit)])),
                }
            }
        }
    }
    for (_, branches) in groups {
        let Some((_, best)) = branches.into_iter().max_by_key(|(branch, members)| (specificity(members), std::cmp::Reverse(*branch))) else {
            continue;
        };
        let next = best.first().and_then(|(_, unit)| choice(&unit.keyword, from)).map_or(from, |(_, _, end)| end);
        let orders: Vec<usize> = best.iter().map(|(order, _)| *order).collect();
        let units: Vec<Unit> = best.into_iter().map(|(_, unit)| unit).collect();
        let pruned = prune(units, next);
        // Pruned units keep the place of the first unit of their branch.
        let first = orders.first().copied().unwrap_or(0);
        kept.extend(pruned.into_iter().map(|unit| (first, unit)));
    }
    kept.sort_by_key(|(order, _)| *order);
    kept.into_iter().map(|(_, unit)| unit).collect()
}

/// How many levels into the instance a keyword location has gone: `properties/a` and `items`
/// enter a value, `$ref`, `allOf/0` and the like do not.
fn instance_depth(keyword: &str) -> usize {
    let mut depth = 0;
    let mut segments = keyword.split('/').filter(|segment| !segment.is_empty()).peekable();
    while let Some(segment) = segments.next() {
        match segment {
            "properties" | "patternProperties" | "prefixItems" => {
                depth += 1;
                segments.next();
            }
            "items" => {
                depth += 1;
                // The draft 4 tuple form names the position.
                if segments.peek().is_some_and(|next| next.chars().all(|c| c.is_ascii_digit())) {
                    segments.next();
                }
            }
            "additionalProperties" | "unevaluatedProperties" | "additionalItems" | "unevaluatedItems" | "contains" => depth += 1,
            "definitions" | "$defs" | "dependentSchemas" | "dependencies" => {
                segments.next();
            }
            _ => {}
        }
    }
    depth
}

/// The first `depth` tokens of a JSON pointer.
fn truncate(pointer: &str, depth: usize) -> String {
    pointer.split('/').skip(1).take(depth).fold(String::new(), |mut out, token| {
        out.push('/');
        out.push_str(token);
        out
    })
}

/// How well a branch's errors describe what the author meant: errors deeper in the document
/// mean the value matched the branch's outline; a branch that only wants a `$ref` the value does
/// not have is the least likely; fewer errors beat more.
fn specificity(members: &[(usize, Unit)]) -> (usize, bool, std::cmp::Reverse<usize>) {
    let depth = members.iter().map(|(_, unit)| unit.instance.matches('/').count()).max().unwrap_or(0);
    let only_wants_reference = members.iter().all(|(_, unit)| unit.message.contains("\"$ref\" is a required property"));
    (depth, !only_wants_reference, std::cmp::Reverse(members.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(yaml: &str) -> Vec<String> {
        let document = oas_codegen::load::load_str(yaml).expect("test documents load");
        check(&document).into_iter().map(|finding| format!("{}: {}", finding.pointer, finding.message)).collect()
    }

    #[test]
    fn the_embedded_schemas_compile() {
        for compiled in [document_2_0(), document_3_0(), document_3_1(), dialect_3_1(), document_3_2(), dialect_3_2()] {
            assert!(compiled.is_ok(), "{:?}", compiled.as_ref().err());
        }
    }

    #[test]
    fn one_error_per_mistake_in_3_0() {
        let found = findings(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query, schema: {type: strin}}\n      responses:\n        '200': {descriptio: ok}\n",
        );
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].starts_with("/paths/~1a/get/parameters/0/schema/type: "), "{found:#?}");
        assert!(found.iter().any(|line| line == "/paths/~1a/get/responses/200: \"description\" is a required property"), "{found:#?}");
        assert!(found.iter().any(|line| line.starts_with("/paths/~1a/get/responses/200: ") && line.contains("descriptio")), "{found:#?}");
    }

    #[test]
    fn schemas_are_checked_against_the_3_1_dialect() {
        let found = findings(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {type: [string, 5]}\n",
        );
        assert!(!found.is_empty() && found.iter().all(|line| line.starts_with("/components/schemas/A/properties/b/type")), "{found:#?}");
    }

    #[test]
    fn a_described_server_variable_is_valid_in_3_1() {
        let server = "servers:\n  - url: 'https://{host}/'\n    variables:\n      host: {default: localhost, description: The host}\n";
        assert_eq!(findings(&format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n{server}")), Vec::<String>::new());
        let misspelt = server.replace("description:", "descriptions:");
        assert!(!findings(&format!("openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n{misspelt}")).is_empty());
    }
}
