//! Deserialization and serialization of generated structs.
//!
//! serde's derive writes, for every struct, an enum of its fields with a visitor of its own, a
//! visitor for the struct that reads it both as a map and as a sequence, and a wrapper type for
//! every field read or written `with` a module. On a large API that is most of the code the
//! compiler checks. A generated struct instead implements [`Object`]: its field names and one loop
//! that reads a map with the generic helpers here, so the compiler checks each helper once rather
//! than a copy per struct. What is accepted and rejected stays serde's: unknown keys are skipped, a
//! repeated key is an error, a missing required field is an error unless its type is an `Option`,
//! and a sequence is read as the fields in order.
//!
//! Its `Serialize` is one [`fields`] (serde's `serialize_struct`), a call per field to [`write`],
//! [`write_optional`] or [`write_nullable`], and [`end`], which make the serializer calls serde's
//! derive made with `skip_serializing_if = "Option::is_none"` and `with = "double_option"`: the
//! same fields in the same order, `skip_field` for an absent one, and the same field count. The
//! first error ends the writing, as `?` after each call would; keeping it in [`Fields`] instead
//! spares the compiler one `?` to check per field.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

/// A struct read from a map of its fields.
pub trait Object: Sized {
    /// The struct's name, for messages.
    const NAME: &'static str;
    /// The keys of its fields, as they appear on the wire.
    const FIELDS: &'static [&'static str];

    /// Reads the struct from the entries of `map`, asking [`key`] for each key's field index.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// What a generated struct's `Deserialize::deserialize` does.
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

/// The index in `fields` of the next key, [`UNKNOWN`] for a key that names no field, or `None`
/// at the end of the map.
pub fn key<'de, A: MapAccess<'de>>(map: &mut A, fields: &'static [&'static str]) -> Result<Option<usize>, A::Error> {
    map.next_key_seed(FieldIndex(fields))
}

/// The index [`key`] gives a key that names no field.
pub const UNKNOWN: usize = usize::MAX;

/// Reads the value of the field named `name` into `slot`; the field seen twice is an error.
pub fn field<'de, A: MapAccess<'de>, V: Deserialize<'de>>(map: &mut A, slot: &mut Option<V>, name: &'static str) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the value of a key that names no field.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value of a required field; when it was absent, an `Option` is `None` and any other type is
/// a missing-field error, as with serde's derive.
pub fn required<'de, V: Deserialize<'de>, E: de::Error>(slot: Option<V>, name: &'static str) -> Result<V, E> {
    match slot {
        Some(value) => Ok(value),
        None => V::deserialize(Missing(name, PhantomData)),
    }
}

/// A struct being written: the serializer's state, or the first error, after which nothing more
/// is written.
pub struct Fields<S: SerializeStruct>(Result<S, S::Error>);

impl<S: SerializeStruct> Fields<S> {
    /// Runs `step` unless an earlier step failed, keeping its error.
    fn step(&mut self, step: impl FnOnce(&mut S) -> Result<(), S::Error>) {
        if let Ok(state) = &mut self.0 {
            if let Err(error) = step(state) {
                self.0 = Err(error);
            }
        }
    }
}

/// Starts writing a struct named `name` with `len` fields written (absent optional ones not
/// counted).
pub fn fields<S: Serializer>(serializer: S, name: &'static str, len: usize) -> Fields<S::SerializeStruct> {
    Fields(serializer.serialize_struct(name, len))
}

/// Writes a field that is always there; a required nullable field's `None` is written as null.
pub fn write<S: SerializeStruct, V: Serialize + ?Sized>(fields: &mut Fields<S>, key: &'static str, value: &V) {
    fields.step(|state| state.serialize_field(key, value));
}

/// Writes an optional field: `Some` as the option it is, `None` not at all.
pub fn write_optional<S: SerializeStruct, V: Serialize>(fields: &mut Fields<S>, key: &'static str, value: &Option<V>) {
    fields.step(|state| match value {
        Some(_) => state.serialize_field(key, value),
        None => state.skip_field(key),
    });
}

/// Writes an optional nullable field: `Some(None)` as null, `Some(Some(value))` as `Some(value)`,
/// and `None` not at all.
pub fn write_nullable<S: SerializeStruct, V: Serialize>(fields: &mut Fields<S>, key: &'static str, value: &Option<Option<V>>) {
    fields.step(|state| match value {
        Some(inner) => state.serialize_field(key, inner),
        None => state.skip_field(key),
    });
}

/// Ends the struct, or gives the first error writing it.
pub fn end<S: SerializeStruct>(fields: Fields<S>) -> Result<S::Ok, S::Error> {
    fields.0.and_then(SerializeStruct::end)
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::read(SeqFields { seq, next: 0, len: T::FIELDS.len() })
    }
}

/// Reads a key as the index of the field it names.
struct FieldIndex(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldIndex {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("field identifier")
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<usize, E> {
        Ok(usize::try_from(index).ok().filter(|index| *index < self.0.len()).unwrap_or(UNKNOWN))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        Ok(self.0.iter().position(|field| *field == key).unwrap_or(UNKNOWN))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<usize, E> {
        Ok(self.0.iter().position(|field| field.as_bytes() == key).unwrap_or(UNKNOWN))
    }
}

/// A sequence seen as the map from each field's index to the element in its place, so that a
/// struct written as an array reads through the same loop. Elements past the last field are
/// left for the deserializer to reject.
struct SeqFields<A> {
    seq: A,
    next: usize,
    len: usize,
}

impl<'de, A: SeqAccess<'de>> MapAccess<'de> for SeqFields<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        if self.next == self.len {
            return Ok(None);
        }
        let index = self.next as u64;
        seed.deserialize(de::value::U64Deserializer::new(index)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let index = self.next;
        self.next += 1;
        match self.seq.next_element_seed(seed)? {
            Some(value) => Ok(value),
            None => Err(de::Error::invalid_length(index, &"one element per field")),
        }
    }
}

/// What an absent field is read from: nothing, which an `Option` reads as `None`.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod recorder;

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct as the generator writes it: one field of each kind of presence.
    #[derive(Debug, Clone, PartialEq)]
    struct Pet {
        name: String,
        tag: Option<String>,
        age: Option<i64>,
        owner: Option<Option<String>>,
    }

    impl Object for Pet {
        const NAME: &'static str = "Pet";
        const FIELDS: &'static [&'static str] = &["name", "tag", "age", "owner"];

        fn read<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut slot_0: Option<String> = None;
            let mut slot_1: Option<Option<String>> = None;
            let mut slot_2: Option<Option<i64>> = None;
            let mut slot_3: Option<Option<String>> = None;
            while let Some(key) = key(&mut map, Self::FIELDS)? {
                match key {
                    0 => field(&mut map, &mut slot_0, "name"),
                    1 => field(&mut map, &mut slot_1, "tag"),
                    2 => field(&mut map, &mut slot_2, "age"),
                    3 => field(&mut map, &mut slot_3, "owner"),
                    _ => skip(&mut map),
                }?
            }
            Ok(Pet { name: required(slot_0, "name")?, tag: required(slot_1, "tag")?, age: slot_2.flatten(), owner: slot_3 })
        }
    }

    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            super::deserialize(deserializer)
        }
    }

    impl Serialize for Pet {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut state = fields(serializer, "Pet", 2 + self.age.is_some() as usize + self.owner.is_some() as usize);
            write(&mut state, "name", &self.name);
            write(&mut state, "tag", &self.tag);
            write_optional(&mut state, "age", &self.age);
            write_nullable(&mut state, "owner", &self.owner);
            end(state)
        }
    }

    /// Renamed fields, a raw identifier, and structs inside.
    #[derive(Debug, Clone)]
    struct Listing {
        id: i64,
        pet: Pet,
        previous: Option<Vec<Pet>>,
        r#type: Option<String>,
        buyer: Option<Option<Pet>>,
        price: Option<f64>,
    }

    impl Serialize for Listing {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let len = 3 + self.previous.is_some() as usize + self.r#type.is_some() as usize + self.buyer.is_some() as usize;
            let mut state = fields(serializer, "Listing", len);
            write(&mut state, "listing-id", &self.id);
            write(&mut state, "pet", &self.pet);
            write_optional(&mut state, "previousOwners", &self.previous);
            write_optional(&mut state, "type", &self.r#type);
            write_nullable(&mut state, "buyer", &self.buyer);
            write(&mut state, "price", &self.price);
            end(state)
        }
    }

    struct Empty {}

    impl Serialize for Empty {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let state = fields(serializer, "Empty", 0);
            end(state)
        }
    }

    /// The same structs through serde's derive, as the generator wrote them before.
    mod derived {
        use serde::{Deserialize, Serialize};

        #[derive(Debug, PartialEq, Deserialize, Serialize)]
        pub struct Pet {
            pub name: String,
            pub tag: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub age: Option<i64>,
            #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
            pub owner: Option<Option<String>>,
        }

        #[derive(Serialize)]
        pub struct Listing {
            #[serde(rename = "listing-id")]
            pub id: i64,
            pub pet: Pet,
            #[serde(rename = "previousOwners", default, skip_serializing_if = "Option::is_none")]
            pub previous: Option<Vec<Pet>>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub r#type: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::double_option")]
            pub buyer: Option<Option<Pet>>,
            pub price: Option<f64>,
        }

        #[derive(Serialize)]
        pub struct Empty {}
    }

    impl From<derived::Pet> for Pet {
        fn from(pet: derived::Pet) -> Self {
            Pet { name: pet.name, tag: pet.tag, age: pet.age, owner: pet.owner }
        }
    }

    impl From<Pet> for derived::Pet {
        fn from(pet: Pet) -> Self {
            derived::Pet { name: pet.name, tag: pet.tag, age: pet.age, owner: pet.owner }
        }
    }

    impl From<Listing> for derived::Listing {
        fn from(listing: Listing) -> Self {
            derived::Listing {
                id: listing.id,
                pet: listing.pet.into(),
                previous: listing.previous.map(|pets| pets.into_iter().map(derived::Pet::from).collect()),
                r#type: listing.r#type,
                buyer: listing.buyer.map(|buyer| buyer.map(derived::Pet::from)),
                price: listing.price,
            }
        }
    }

    fn both(text: &str) -> (Result<Pet, String>, Result<Pet, String>) {
        let ours = serde_json::from_str::<Pet>(text).map_err(|error| error.to_string());
        let derived = serde_json::from_str::<derived::Pet>(text).map(Pet::from).map_err(|error| error.to_string());
        (ours, derived)
    }

    #[test]
    fn objects_read_as_with_the_derive() {
        for text in [
            r#"{"name": "Rex", "tag": "dog", "age": 3, "owner": "Ann"}"#,
            r#"{"name": "Rex"}"#,
            r#"{"name": "Rex", "tag": null, "age": null, "owner": null}"#,
            r#"{"owner": "Ann", "extra": {"deep": [1, 2]}, "name": "Rex"}"#,
            r#"{"name": "Rex", "name": "Max"}"#,
            r#"{"tag": "dog"}"#,
            r#"{"name": 7}"#,
            r#"{"name": "Rex", "age": "old"}"#,
            r#""Rex""#,
            r#"["Rex", "dog", 3, null]"#,
            r#"["Rex", "dog", 3, "Ann", 5]"#,
        ] {
            let (ours, derived) = both(text);
            assert_eq!(ours, derived, "{text}");
        }
        let (ours, _) = both(r#"{"name": "Rex", "owner": null}"#);
        assert_eq!(ours.expect("reads").owner, Some(None));
    }

    #[test]
    fn a_short_sequence_is_rejected() {
        // serde's derive would fill the optional fields left out at the end; this reader asks for
        // every field, so a sequence shorter than the struct is an error.
        let (ours, derived) = both(r#"["Rex", "dog"]"#);
        assert!(ours.is_err());
        assert!(derived.is_ok());
    }

    #[test]
    fn keys_read_as_indices() {
        use serde::de::value::{BorrowedStrDeserializer, Error, U64Deserializer};
        let fields: &'static [&'static str] = &["a", "b"];
        assert_eq!(FieldIndex(fields).deserialize(BorrowedStrDeserializer::<Error>::new("b")), Ok(1));
        assert_eq!(FieldIndex(fields).deserialize(BorrowedStrDeserializer::<Error>::new("c")), Ok(UNKNOWN));
        assert_eq!(FieldIndex(fields).deserialize(U64Deserializer::<Error>::new(0)), Ok(0));
        assert_eq!(FieldIndex(fields).deserialize(U64Deserializer::<Error>::new(2)), Ok(UNKNOWN));
        assert_eq!(FieldIndex(fields).visit_bytes::<Error>(b"a"), Ok(0));
    }

    /// Every pet with each field's presence varied: absent, null and present.
    fn pets() -> Vec<Pet> {
        let mut pets = Vec::new();
        for tag in [None, Some("dog")] {
            for age in [None, Some(3)] {
                for owner in [None, Some(None), Some(Some("Ann"))] {
                    let (tag, owner) = (tag.map(String::from), owner.map(|owner| owner.map(String::from)));
                    pets.push(Pet { name: "Rex \"the\" dog".into(), tag, age, owner });
                }
            }
        }
        pets
    }

    fn listings() -> Vec<Listing> {
        let pets = pets();
        let mut listings = Vec::new();
        for (index, pet) in pets.iter().enumerate() {
            let previous = [None, Some(Vec::new()), Some(pets[..index].to_vec())];
            let buyer = [None, Some(None), Some(Some(pets[pets.len() - 1 - index].clone()))];
            for (choice, (previous, buyer)) in previous.into_iter().zip(buyer).enumerate() {
                let r#type = (choice != 1).then(|| "sale".to_string());
                let price = (index % 2 == 0).then_some(9.5);
                listings.push(Listing { id: index as i64 - 3, pet: pet.clone(), previous, r#type, buyer, price });
            }
        }
        listings
    }

    fn assert_written_alike<A: Serialize, B: Serialize>(ours: &A, derived: &B) {
        let (text, derived_text) = (serde_json::to_string(ours).unwrap(), serde_json::to_string(derived).unwrap());
        assert_eq!(text, derived_text);
        assert_eq!(recorder::calls(ours), recorder::calls(derived), "{text}");
    }

    #[test]
    fn objects_write_as_with_the_derive() {
        for pet in pets() {
            assert_written_alike(&pet, &derived::Pet::from(pet.clone()));
        }
        for listing in listings() {
            assert_written_alike(&listing, &derived::Listing::from(listing.clone()));
        }
        assert_written_alike(&Empty {}, &derived::Empty {});
    }

    /// A value its serializer refuses.
    #[derive(Clone)]
    struct Refused;

    impl Serialize for Refused {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("refused"))
        }
    }

    struct Partly {
        first: String,
        refused: Option<Refused>,
        last: Option<String>,
    }

    impl Serialize for Partly {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut state = fields(serializer, "Partly", 1 + self.refused.is_some() as usize + self.last.is_some() as usize);
            write(&mut state, "first", &self.first);
            write_optional(&mut state, "refused", &self.refused);
            write_optional(&mut state, "last", &self.last);
            end(state)
        }
    }

    #[test]
    fn the_first_error_ends_the_writing_as_with_the_derive() {
        #[derive(Serialize)]
        #[serde(rename = "Partly")]
        struct Derived {
            first: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            refused: Option<Refused>,
            #[serde(skip_serializing_if = "Option::is_none")]
            last: Option<String>,
        }
        let ours = Partly { first: "a".into(), refused: Some(Refused), last: Some("z".into()) };
        let derived = Derived { first: "a".into(), refused: Some(Refused), last: Some("z".into()) };
        let (calls, error) = recorder::calls_until_error(&ours);
        assert_eq!((calls.clone(), error.clone()), recorder::calls_until_error(&derived));
        assert_eq!(calls, ["struct Partly 3", "field first", "serialize_str \"a\"", "field refused", "some"]);
        assert_eq!(error, "refused");
        assert_eq!(serde_json::to_string(&ours).unwrap_err().to_string(), serde_json::to_string(&derived).unwrap_err().to_string());
        let fine = Partly { first: "a".into(), refused: None, last: Some("z".into()) };
        assert_eq!(serde_json::to_string(&fine).unwrap(), r#"{"first":"a","last":"z"}"#);
    }

    #[test]
    fn absent_fields_are_skipped_and_not_counted() {
        let pet = Pet { name: "Rex".into(), tag: None, age: None, owner: Some(None) };
        assert_eq!(serde_json::to_string(&pet).unwrap(), r#"{"name":"Rex","tag":null,"owner":null}"#);
        assert_eq!(
            recorder::calls(&pet),
            ["struct Pet 3", "field name", "serialize_str \"Rex\"", "field tag", "none", "skip age", "field owner", "none", "end struct"]
        );
        let pet = Pet { age: Some(4), owner: Some(Some("Ann".into())), ..pet };
        let calls = recorder::calls(&pet);
        assert_eq!(calls[0], "struct Pet 4");
        assert_eq!(calls[5..], ["field age", "some", "serialize_i64 4", "field owner", "some", "serialize_str \"Ann\"", "end struct"]);
    }
}
