//! Where the generated types say less than the schemas they come from: the fidelity count.
//!
//! Lowering records a [`Loss`] for every schema it could not represent faithfully, so that the
//! number can be watched (`oas generate` prints it, `cargo xtask corpus` compares it with a
//! checked-in baseline) instead of eroding unseen. A free-form schema (`{}`, `true`, an object
//! with no properties) is `serde_json::Value` faithfully and is not a loss.

use std::collections::BTreeMap;

/// Why a schema's generated type accepts other values than the schema, or cannot be used as
/// the schema intends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loss {
    /// The schema is represented as `serde_json::Value` though it constrains its values.
    Fallback(Fallback),
    /// An untagged union two of whose variants accept a common value: which one a value
    /// deserializes into depends on the order they are tried in.
    OverlappingUnion,
    /// A `discriminator` that could not be used; the variants are told apart by shape.
    UnusedDiscriminator,
    /// A keyword that changes which values are valid and that no generated type expresses
    /// (`not`, `if`, `patternProperties`, `prefixItems`, ...).
    DroppedKeyword(Keyword),
}

/// A keyword that changes which values are valid and that no generated type expresses; the
/// server's validation still applies it. Declared in the order of the names, so that losses sort
/// as they did when they carried the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Keyword {
    /// `contains`
    Contains,
    /// `dependentRequired`
    DependentRequired,
    /// `dependentSchemas`
    DependentSchemas,
    /// `if`
    If,
    /// `not`
    Not,
    /// `patternProperties`
    PatternProperties,
    /// `prefixItems`
    PrefixItems,
    /// `propertyNames`
    PropertyNames,
    /// `unevaluatedItems`
    UnevaluatedItems,
    /// `unevaluatedProperties`
    UnevaluatedProperties,
}

impl Keyword {
    /// Every such keyword, with its name in a schema.
    pub const ALL: [(Keyword, &'static str); 10] = [
        (Keyword::Not, "not"),
        (Keyword::If, "if"),
        (Keyword::DependentSchemas, "dependentSchemas"),
        (Keyword::DependentRequired, "dependentRequired"),
        (Keyword::PatternProperties, "patternProperties"),
        (Keyword::PropertyNames, "propertyNames"),
        (Keyword::PrefixItems, "prefixItems"),
        (Keyword::Contains, "contains"),
        (Keyword::UnevaluatedProperties, "unevaluatedProperties"),
        (Keyword::UnevaluatedItems, "unevaluatedItems"),
    ];
}

/// What made a schema fall back to `serde_json::Value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fallback {
    /// The schema `false`, which allows nothing.
    FalseSchema,
    /// Not an object or a boolean.
    NotASchema,
    /// A `$ref` that is not a string, not local, or does not resolve.
    UnresolvedRef,
    /// References that loop without reaching a schema.
    RefLoop,
    /// A `type` that JSON Schema does not have.
    UnknownType,
    /// Only `null` is allowed (`type: null`, `enum: [null]`).
    NullOnly,
    /// An `allOf` member that cannot be merged with the others (a member that is not an object
    /// schema beside object members, or a second choice among objects).
    AllOfMember,
    /// `allOf` members no value satisfies together (no common type, no common enum value,
    /// bounds that exclude each other).
    AllOfContradiction,
    /// A union each of whose variants leads back to itself.
    SelfUnion,
    /// An empty `oneOf` or `anyOf`, which allows no value.
    EmptyChoice,
}

impl Loss {
    /// The name the count is kept under: stable, since the corpus baseline is keyed by it.
    pub fn label(self) -> &'static str {
        match self {
            Loss::Fallback(Fallback::FalseSchema) => "value/false-schema",
            Loss::Fallback(Fallback::NotASchema) => "value/not-a-schema",
            Loss::Fallback(Fallback::UnresolvedRef) => "value/unresolved-ref",
            Loss::Fallback(Fallback::RefLoop) => "value/ref-loop",
            Loss::Fallback(Fallback::UnknownType) => "value/unknown-type",
            Loss::Fallback(Fallback::NullOnly) => "value/null-only",
            Loss::Fallback(Fallback::AllOfMember) => "value/allof-member",
            Loss::Fallback(Fallback::AllOfContradiction) => "value/allof-contradiction",
            Loss::Fallback(Fallback::SelfUnion) => "value/self-union",
            Loss::Fallback(Fallback::EmptyChoice) => "value/empty-choice",
            Loss::OverlappingUnion => "union/overlapping",
            Loss::UnusedDiscriminator => "discriminator/unused",
            Loss::DroppedKeyword(keyword) => match keyword {
                Keyword::Not => "keyword/not",
                Keyword::If => "keyword/if",
                Keyword::DependentSchemas => "keyword/dependentSchemas",
                Keyword::DependentRequired => "keyword/dependentRequired",
                Keyword::PatternProperties => "keyword/patternProperties",
                Keyword::PropertyNames => "keyword/propertyNames",
                Keyword::PrefixItems => "keyword/prefixItems",
                Keyword::Contains => "keyword/contains",
                Keyword::UnevaluatedProperties => "keyword/unevaluatedProperties",
                Keyword::UnevaluatedItems => "keyword/unevaluatedItems",
            },
        }
    }
}

impl Loss {
    /// What the loss means for a user of the generated type, in a sentence.
    pub fn explanation(self) -> &'static str {
        match self {
            Loss::Fallback(_) => "the generated type is `serde_json::Value`, so it accepts values the schema does not",
            Loss::OverlappingUnion => {
                "two variants of this untagged union accept a common value; which one such a value reads as depends on the order they are tried in"
            }
            Loss::UnusedDiscriminator => "its discriminator cannot be used, so variants are told apart by their shape",
            Loss::DroppedKeyword(_) => {
                "a keyword that narrows its values has no counterpart in the generated type; only the server's validation applies it"
            }
        }
    }
}

/// Every loss of one document, each once per place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fidelity {
    /// (pointer of the schema, what was lost), sorted.
    pub losses: Vec<(String, Loss)>,
}

impl Fidelity {
    /// How many losses there are.
    pub fn total(&self) -> usize {
        self.losses.len()
    }

    /// How many losses of each kind, by [`Loss::label`].
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for (_, loss) in &self.losses {
            *counts.entry(loss.label()).or_insert(0) += 1;
        }
        counts
    }

    /// The count as a phrase for a summary line: `every schema typed exactly`, or `3 schemas
    /// typed loosely: 2 value/allof-member, 1 union/overlapping`.
    pub fn summary(&self) -> String {
        if self.losses.is_empty() {
            return "every schema typed exactly".to_string();
        }
        let noun = if self.total() == 1 { "schema" } else { "schemas" };
        let counts: Vec<String> = self.counts().into_iter().map(|(label, count)| format!("{count} {label}")).collect();
        format!("{} {noun} typed loosely: {}", self.total(), counts.join(", "))
    }
}
