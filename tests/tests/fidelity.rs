//! Faithful types for the patterns that used to lose them: `allOf` of scalars, enums and arrays
//! (and a 3.1 `$ref` with narrowing siblings) is their intersection; `oneOf` of constants and
//! the `x-enum-*` extensions make one named, documented enum. The generated crate compiles,
//! real-looking payloads round-trip, unknown values land in the catch-all, and the generated
//! server's validation still refuses values outside the intersection.

use std::path::{Path, PathBuf};

use oas_codegen::ir::{Model, Ty, TypeKind};
use oas_codegen::load::load_file;
use oas_codegen::{output, CrateConfig, Dependencies, RuntimeSource};
use oas_runtime::server::validation::Validators;
use oas_runtime::style::Location;
use serde_json::json;

fn fixture(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fidelity").join(file)
}

fn lowered(file: &str) -> (Model, Vec<oas_codegen::diagnostics::Diagnostic>) {
    let document = load_file(&fixture(file)).unwrap();
    oas_codegen::lower_document(&document, &oas_codegen::Options::default())
}

/// What the definition named `name` is, in a few words: `enum A, B`, `alias String`, ...
fn shape(model: &Model, name: &str) -> String {
    let definition = model.space.types.iter().find(|definition| definition.name == name).unwrap_or_else(|| panic!("no type {name}"));
    match &definition.kind {
        TypeKind::Enum(enumeration) => {
            let names: Vec<&str> = enumeration.variants.iter().map(|variant| variant.rust_name.as_str()).collect();
            format!("enum {}", names.join(", "))
        }
        TypeKind::Alias(ty) => format!("alias {}", oas_codegen::emit::types::ty_tokens(&model.space, ty)),
        TypeKind::Struct(_) => "struct".into(),
        TypeKind::Union(_) => "union".into(),
    }
}

fn field_type(model: &Model, structure: &str, field: &str) -> String {
    let definition = model.space.types.iter().find(|definition| definition.name == structure).unwrap();
    let TypeKind::Struct(fields) = &definition.kind else { panic!("{structure} is not a struct") };
    let field = fields.fields.iter().find(|candidate| candidate.wire_name == field).unwrap();
    match &field.ty {
        Ty::Named(id) => model.space.get(*id).name.clone(),
        other => oas_codegen::emit::types::ty_tokens(&model.space, other).to_string(),
    }
}

#[test]
fn all_of_of_scalars_enums_and_arrays_is_their_intersection() {
    let (model, diagnostics) = lowered("types.yaml");
    assert_eq!(shape(&model, "Label"), "alias String");
    assert_eq!(shape(&model, "Size"), "alias i64");
    assert_eq!(shape(&model, "Color"), "enum Green, Blue", "the common subset of the two enums");
    assert_eq!(shape(&model, "Tags"), "alias Vec < String >");
    // A member that only narrows a referenced type leaves the referenced type.
    assert_eq!(field_type(&model, "Button", "type"), "ComponentType");
    assert_eq!(field_type(&model, "Button", "kind"), "ComponentType", "a 3.1 `$ref` with siblings is the same as the allOf");
    // Only the contradiction falls back, with a warning naming its members.
    assert_eq!(shape(&model, "Never"), "alias :: serde_json :: Value");
    let rendered: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        rendered.iter().any(|line| line.contains("[/components/schemas/Never/allOf]: `allOf/0` and `allOf/1` list no value in common")),
        "{rendered:?}"
    );
    let labels: Vec<(&str, &str)> = model.fidelity.losses.iter().map(|(pointer, loss)| (pointer.as_str(), loss.label())).collect();
    assert_eq!(
        labels,
        [
            ("/components/schemas/Never", "value/allof-contradiction"),
            ("/components/schemas/Truncation", "value/empty-choice"),
            ("/components/schemas/VolumeAction", "discriminator/unused")
        ],
        "the empty choice is its own fallback, below"
    );
}

/// `anyOf: [string, {enum: [""]}]` reads every string either way; the enum tried second would
/// never be reached, so it is left out.
#[test]
fn an_enum_beside_its_plain_type_adds_no_variant() {
    let (model, _) = lowered("types.yaml");
    assert_eq!(shape(&model, "Emptyable"), "alias String");
}

/// A mapping entry that names no schema leaves the tag of its variant unknown: the tags are not
/// guessed from schema names (`Attach` where the API sends `attach`); the discriminator is not
/// used, with a warning naming the entry.
#[test]
fn a_mapping_to_nothing_is_not_guessed_at() {
    let (model, diagnostics) = lowered("types.yaml");
    let definition = model.space.types.iter().find(|definition| definition.name == "VolumeAction").unwrap();
    let TypeKind::Union(union) = &definition.kind else { panic!("{:?}", definition.kind) };
    assert!(union.discriminator.is_none());
    let rendered: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        rendered
            .iter()
            .any(|line| line.contains("[/components/schemas/VolumeAction/discriminator/mapping]: `attach` → `models/attach.yml` names no schema")),
        "{rendered:?}"
    );
}

/// A parent that lists its subtypes (`Shape: {oneOf: [Circle, Square]}`) while each subtype
/// includes the parent (`Circle: {allOf: [Shape, ...]}`): each subtype is the parent's properties
/// and its own, and the parent is the union of the subtypes.
#[test]
fn a_parent_listing_its_subtypes_is_merged_into_each() {
    let (model, diagnostics) = lowered("types.yaml");
    for subtype in ["Circle", "Square"] {
        assert_eq!(shape(&model, subtype), "struct");
        assert_eq!(field_type(&model, subtype, "kind"), "String");
        assert_eq!(field_type(&model, subtype, "label"), "String");
    }
    assert_eq!(field_type(&model, "Circle", "radius"), "f64");
    assert_eq!(field_type(&model, "Square", "side"), "f64");
    let definition = model.space.types.iter().find(|definition| definition.name == "Shape").unwrap();
    let TypeKind::Union(union) = &definition.kind else { panic!("{:?}", definition.kind) };
    assert_eq!(union.discriminator.as_ref().map(|discriminator| discriminator.property.as_str()), Some("kind"));
    assert!(!diagnostics.iter().any(|diagnostic| diagnostic.pointer.starts_with("/components/schemas/Circle")), "{diagnostics:?}");
}

/// `allOf: [Base, {oneOf: [A, B]}]` is a union of `Base & A` and `Base & B`, told apart as the
/// choice's own variants are.
#[test]
fn a_choice_among_objects_in_all_of_is_a_union_of_merged_variants() {
    let (model, diagnostics) = lowered("types.yaml");
    let union_of = |name: &str| {
        let definition = model.space.types.iter().find(|definition| definition.name == name).unwrap();
        let TypeKind::Union(union) = &definition.kind else { panic!("{name}: {:?}", definition.kind) };
        let variants: Vec<String> = union.variants.iter().map(|variant| format!("{} {}", variant.rust_name, variant.tags.join("|"))).collect();
        (variants, union.discriminator.as_ref().map(|discriminator| discriminator.property.clone()))
    };
    assert_eq!(union_of("Payment"), (vec!["CardDetails card".to_string(), "BankDetails bank".to_string()], Some("method".to_string())));
    for (variant, own) in [("PaymentCardDetails", "card"), ("PaymentBankDetails", "iban")] {
        assert_eq!(field_type(&model, variant, "amount"), "i64");
        assert_eq!(field_type(&model, variant, own), "String");
    }
    assert_eq!(shape(&model, "CardDetails"), "struct", "the variant's own component is untouched");
    let (variants, discriminator) = union_of("Contact");
    assert_eq!((variants.len(), discriminator), (2, None));
    assert_eq!(field_type(&model, "ContactByEmail", "name"), "String");
    assert_eq!(field_type(&model, "ContactByPhone", "phone"), "String");
    let payment = diagnostics.iter().filter(|diagnostic| {
        diagnostic.pointer.starts_with("/components/schemas/Payment") || diagnostic.pointer.starts_with("/components/schemas/Contact")
    });
    assert_eq!(payment.count(), 0, "{diagnostics:?}");
}

/// 2019-09's `$recursiveRef: "#"` is the component it is in (said in a warning); 3.0's
/// `nullable` in a 3.1 document is read as 3.0 reads it (said in a note); the server's validation
/// of the same document checks the nested filter and the bounds rather than giving up on it.
#[test]
fn slips_of_3_1_documents_are_read_as_meant() {
    let (model, diagnostics) = lowered("slips-3.1.yaml");
    let definition = model.space.types.iter().find(|definition| definition.name == "CompoundFilterFiltersItem").unwrap();
    let TypeKind::Union(union) = &definition.kind else { panic!("{:?}", definition.kind) };
    let variants: Vec<String> =
        union.variants.iter().map(|variant| oas_codegen::emit::types::ty_tokens(&model.space, &variant.ty).to_string()).collect();
    assert_eq!(variants, ["ComparisonFilter", "CompoundFilter"], "inside a list, which needs no box");
    let rendered: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(rendered.iter().any(|line| line.contains("warning [/components/schemas/CompoundFilter/properties/filters/items/anyOf/1/$recursiveRef]: `$recursiveRef` is JSON Schema 2019-09's; read as a reference to the schema it is in, `#/components/schemas/CompoundFilter`")), "{rendered:#?}");
    assert!(
        rendered.iter().any(|line| line.contains("info [/components/schemas/Search/properties/model/nullable]: `nullable` is OpenAPI 3.0's keyword")),
        "{rendered:#?}"
    );

    let document = load_file(&fixture("slips-3.1.yaml")).unwrap();
    let pointer = "/components/schemas/Search";
    let validators = Validators::compile(&document.root, &[pointer]);
    let valid = |value: serde_json::Value| validators.check(pointer, &value, Location::Query, "").is_empty();
    let filter = json!({"type": "and", "filters": [{"key": "a", "value": "b"}, {"type": "or", "filters": []}]});
    assert!(valid(json!({"filter": filter, "model": null, "temperature": 1.5})));
    assert!(!valid(json!({"filter": filter, "temperature": 0})), "the exclusive bound");
    assert!(!valid(json!({"filter": filter, "temperature": 3})), "the maximum beside it");
    assert!(!valid(json!({"filter": {"type": "and", "filters": [{"type": "xor", "filters": []}]}})), "the nested filter is checked");
    assert!(!valid(json!({"model": "m"})), "the filter is required");
}

/// A mapping that names every variant tags them even when they do not declare the property.
#[test]
fn a_mapping_tags_variants_that_do_not_declare_the_property() {
    let (model, diagnostics) = lowered("types.yaml");
    let definition = model.space.types.iter().find(|definition| definition.name == "Source").unwrap();
    let TypeKind::Union(union) = &definition.kind else { panic!("{:?}", definition.kind) };
    let tags: Vec<&str> = union.variants.iter().flat_map(|variant| variant.tags.iter().map(String::as_str)).collect();
    assert_eq!((tags, union.discriminator.as_ref().map(|discriminator| discriminator.property.as_str())), (vec!["tool", "document"], Some("type")));
    assert!(!diagnostics.iter().any(|diagnostic| diagnostic.pointer.starts_with("/components/schemas/Source")), "{diagnostics:?}");
}

/// Inline variants that each fix the discriminator's property to a constant are told apart by
/// it, without a warning that the discriminator cannot be used; an empty `oneOf` is a counted,
/// warned fallback.
#[test]
fn constant_tags_stand_in_for_a_discriminator_and_an_empty_choice_is_a_fallback() {
    let document = load_file(&fixture("types.yaml")).unwrap();
    let generated = oas_codegen::generate(&document, &oas_codegen::Options::default()).unwrap();
    let (model, _) = lowered("types.yaml");
    let definition = model.space.types.iter().find(|definition| definition.name == "TurnDetection").unwrap();
    let TypeKind::Union(union) = &definition.kind else { panic!("{:?}", definition.kind) };
    let tags: Vec<&str> = union.variants.iter().flat_map(|variant| variant.tags.iter().map(String::as_str)).collect();
    assert_eq!(tags, ["\"server_vad\"", "\"semantic_vad\""]);
    let about = |schema: &str| {
        generated.diagnostics.iter().filter(|diagnostic| diagnostic.pointer.starts_with(schema)).map(ToString::to_string).collect::<Vec<_>>()
    };
    assert_eq!(about("/components/schemas/TurnDetection"), Vec::<String>::new());
    assert_eq!(shape(&model, "Truncation"), "alias :: serde_json :: Value");
    assert!(about("/components/schemas/Truncation")[0].contains("an empty `oneOf` allows no value"));
    assert!(generated
        .fidelity
        .losses
        .iter()
        .any(|(pointer, loss)| pointer == "/components/schemas/Truncation" && loss.label() == "value/empty-choice"));
}

#[test]
fn one_of_constants_is_one_named_enum() {
    let (model, _) = lowered("types.yaml");
    assert_eq!(shape(&model, "ComponentType"), "enum ActionRow, Button, StringSelect");
    assert_eq!(shape(&model, "ButtonStyle"), "enum Primary, Danger");
    assert_eq!(shape(&model, "Flag"), "enum Enabled, Disabled");
    let definition = model.space.types.iter().find(|definition| definition.name == "ComponentType").unwrap();
    let TypeKind::Enum(enumeration) = &definition.kind else { unreachable!() };
    let docs: Vec<Option<&str>> = enumeration.variants.iter().map(|variant| variant.description.as_deref()).collect();
    assert_eq!(docs, [Some("A container for other components."), Some("A clickable button."), None]);
}

#[test]
fn a_union_is_told_apart_by_an_integer_constant_without_a_discriminator() {
    let (model, _) = lowered("types.yaml");
    let definition = model.space.types.iter().find(|definition| definition.name == "Component").unwrap();
    let TypeKind::Union(union) = &definition.kind else { panic!("{:?}", definition.kind) };
    let discriminator = union.discriminator.as_ref().expect("the constant `type` tells the variants apart");
    assert_eq!((discriminator.property.as_str(), discriminator.literal), ("type", true));
    let tags: Vec<(&str, &[String])> = union.variants.iter().map(|variant| (variant.rust_name.as_str(), variant.tags.as_slice())).collect();
    assert_eq!(tags, [("ActionRow", &["1".to_string()][..]), ("Button", &["2".to_string()][..]), ("SelectMenu", &["3".to_string()][..])]);
    assert!(!model.fidelity.losses.iter().any(|(pointer, _)| pointer == "/components/schemas/Component"));
}

/// OpenAPI 3.0 ignores keywords beside a `$ref`, so `{$ref: Kind, enum: [b]}` does not fix the
/// property to `b` there, and does in 3.1.
#[test]
fn a_constant_beside_a_reference_tags_only_in_3_1() {
    let document = |version: &str| {
        format!(
            "openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Kind: {{type: string, enum: [a, b]}}\n\
             \x20   A: {{type: object, required: [kind], properties: {{kind: {{type: string, enum: [a]}}}}}}\n\
             \x20   B: {{type: object, required: [kind], properties: {{kind: {{$ref: '#/components/schemas/Kind', enum: [b]}}}}}}\n\
             \x20   U: {{oneOf: [{{$ref: '#/components/schemas/A'}}, {{$ref: '#/components/schemas/B'}}]}}\n"
        )
    };
    for (version, tagged) in [("3.0.3", false), ("3.1.0", true)] {
        let document = oas_codegen::load::load_str(&document(version)).unwrap();
        let (model, _) = oas_codegen::lower_document(&document, &oas_codegen::Options::default());
        let definition = model.space.types.iter().find(|definition| definition.name == "U").unwrap();
        let TypeKind::Union(union) = &definition.kind else { panic!("{:?}", definition.kind) };
        assert_eq!(union.discriminator.is_some(), tagged, "{version}");
    }
}

#[test]
fn enum_extensions_name_and_document_values() {
    let (model, diagnostics) = lowered("enum-extensions.yaml");
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(shape(&model, "Priority"), "enum Low, Normal, Urgent");
    assert_eq!(shape(&model, "Channel"), "enum Email, Sms");
    let definition = model.space.types.iter().find(|definition| definition.name == "Channel").unwrap();
    let TypeKind::Enum(enumeration) = &definition.kind else { unreachable!() };
    let docs: Vec<Option<&str>> = enumeration.variants.iter().map(|variant| variant.description.as_deref()).collect();
    assert_eq!(docs, [Some("By email"), Some("By text message")]);
}

#[test]
fn validation_refuses_values_outside_the_intersection() {
    let document = load_file(&fixture("types.yaml")).unwrap();
    let pointers = ["/components/schemas/Color", "/components/schemas/Button"];
    let validators = Validators::compile(&document.root, &pointers);
    let check = |pointer: &str, value: serde_json::Value| validators.check(pointer, &value, Location::Body, "").is_empty();
    assert!(check("/components/schemas/Color", json!("green")));
    assert!(!check("/components/schemas/Color", json!("red")), "red is in one member's enum only");
    let button = json!({"type": 2, "style": "primary", "label": "Go"});
    assert!(check("/components/schemas/Button", button.clone()));
    let mut other_type = button;
    other_type["type"] = json!(1);
    assert!(!check("/components/schemas/Button", other_type), "the property narrows ComponentType to 2");
}

const ROUND_TRIPS: &str = r#"
use serde_json::json;

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(value: serde_json::Value) -> T {
    let read: T = serde_json::from_value(value.clone()).expect("the payload reads");
    assert_eq!(serde_json::to_value(&read).unwrap(), value, "it writes back what it read");
    read
}

#[test]
fn a_button_round_trips() {
    use fidelity::types::*;
    let button: Button = round_trip(json!({
        "type": 2, "kind": 2, "style": "danger", "label": "Delete", "size": 3,
        "color": "blue", "tags": ["a", "b"], "flag": "off"
    }));
    assert_eq!(button.r#type, ComponentType::Button);
    assert_eq!(button.r#type.value(), 2);
    assert_eq!(button.style, ButtonStyle::Danger);
    assert_eq!(button.flag, Some(Flag::Disabled));
    let enabled: Flag = round_trip(json!(true));
    assert_eq!(enabled, Flag::Enabled);
}

#[test]
fn components_are_read_by_their_integer_type() {
    use fidelity::types::*;
    let row: Component = round_trip(json!({
        "type": 1,
        "components": [
            {"type": 2, "style": "primary", "label": "Go"},
            {"type": 3, "options": ["a", "b"]}
        ]
    }));
    let Component::ActionRow(row) = row else { panic!("{row:?}") };
    assert!(matches!(row.components[0], Component::Button(_)));
    assert!(matches!(row.components[1], Component::SelectMenu(_)));
    let error = serde_json::from_value::<Component>(json!({"type": 9})).unwrap_err().to_string();
    assert!(error.contains("`9` is not a known `type` of Component"), "{error}");
}

#[test]
fn a_subtype_reads_its_parents_properties() {
    use fidelity::types::*;
    let shape: Shape = round_trip(json!({"kind": "Circle", "label": "wheel", "radius": 1.5}));
    let Shape::Circle(circle) = shape else { panic!("{shape:?}") };
    assert_eq!((circle.label.as_deref(), circle.radius), (Some("wheel"), 1.5));
    assert!(serde_json::from_value::<Shape>(json!({"kind": "Square", "radius": 1.5})).is_err(), "a square needs its side");
}

#[test]
fn a_payment_reads_as_base_and_choice() {
    use fidelity::types::*;
    let payment: Payment = round_trip(json!({"method": "card", "amount": 5, "card": "4242"}));
    let Payment::CardDetails(card) = payment else { panic!("{payment:?}") };
    assert_eq!((card.amount, card.card.as_str()), (5, "4242"));
    let contact: Contact = round_trip(json!({"name": "Ada", "phone": "123"}));
    assert!(matches!(contact, Contact::ByPhone(_)), "{contact:?}");
    assert!(serde_json::from_value::<Payment>(json!({"method": "bank", "iban": "DE1"})).is_err(), "the base's amount is required");
}

#[test]
fn a_mapped_tag_is_read_and_written_beside_the_fields() {
    use fidelity::types::*;
    let source: Source = round_trip(json!({"type": "document", "id": "d", "document": {"title": "t"}}));
    assert!(matches!(&source, Source::DocumentSource(document) if document.id.as_deref() == Some("d")), "{source:?}");
    let written = serde_json::to_value(Source::ToolSource(ToolSource { id: Some("t".into()), ..Default::default() })).unwrap();
    assert_eq!(written, json!({"type": "tool", "id": "t"}));
}

#[test]
fn unknown_values_land_in_the_catch_all() {
    use fidelity::types::*;
    let later: ComponentType = round_trip(json!(7));
    assert_eq!((later.clone(), later.value()), (ComponentType::Other(7), 7));
    assert!(serde_json::from_value::<ComponentType>(json!("seven")).is_err(), "an integer enum reads integers only");
    assert_eq!(round_trip::<Flag>(json!(5)), Flag::Other(json!(5)));
    assert_eq!(round_trip::<ButtonStyle>(json!("link")), ButtonStyle::Other("link".into()));
}

#[test]
fn extension_named_values_round_trip() {
    use enum_extensions::types::*;
    assert_eq!(round_trip::<Priority>(json!(2)), Priority::Urgent);
    assert_eq!(Priority::Normal.value(), 1);
    assert_eq!(round_trip::<Channel>(json!("s")), Channel::Sms);
}
"#;

/// The fixtures generate into one workspace, pass clippy with `-D warnings`, and the payloads
/// above round-trip through the generated types.
#[test]
fn generated_crates_compile_and_round_trip() {
    let root = xtask::workspace_root();
    let mut files = output::FileSet::new();
    for (name, file) in [("fidelity", "types.yaml"), ("enum-extensions", "enum-extensions.yaml"), ("slips", "slips-3.1.yaml")] {
        let document = load_file(&fixture(file)).unwrap();
        let config = CrateConfig {
            name: name.into(),
            header: "Generated for the fidelity tests.".into(),
            dependencies: Dependencies::Standalone { runtime: RuntimeSource::Path(root.join("runtime").to_string_lossy().into_owned()) },
        };
        let generated = oas_tests::generate_crate(&document, &config, false).unwrap();
        files.extend(generated.files.into_iter().map(|(path, text)| (format!("{name}/{path}"), text)));
    }
    let fidelity_manifest = files["fidelity/Cargo.toml"].clone();
    files.insert(
        "fidelity/Cargo.toml".into(),
        format!(
            "{fidelity_manifest}\n[dev-dependencies]\nenum-extensions = {{ path = \"../enum-extensions\" }}\nserde_json = \"1\"\nserde = \"1\"\n"
        ),
    );
    files.insert("fidelity/tests/round_trips.rs".into(), ROUND_TRIPS.into());
    let workspace = oas_tests::Workspace::write("fidelity-crate-test", files, &["fidelity", "enum-extensions", "slips"]);
    workspace.cargo(&["clippy", "--workspace", "--all-features", "--quiet", "--", "-D", "warnings"]);
    let stdout = workspace.cargo(&["test", "-p", "fidelity", "--all-features", "--test", "round_trips"]);
    assert!(stdout.contains("test result: ok. 7 passed"), "{stdout}");
}
