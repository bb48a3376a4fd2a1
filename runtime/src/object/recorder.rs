//! A serializer that writes down every call made to it, so that two `Serialize` impls can be
//! compared call for call: JSON text hides what a serializer other than serde_json would see
//! (the field count, `skip_field`, `serialize_some` against the value itself).

use serde::de::value::Error;
use serde::ser::{Impossible, Serialize, SerializeMap, SerializeSeq, SerializeStruct, Serializer};

/// The calls `value`'s `Serialize` makes, one line each.
pub fn calls<T: Serialize + ?Sized>(value: &T) -> Vec<String> {
    let mut calls = Vec::new();
    value.serialize(Recorder(&mut calls)).expect("the recorder takes every value the tests write");
    calls
}

/// The calls `value`'s `Serialize` makes until it fails, and its error.
pub fn calls_until_error<T: Serialize + ?Sized>(value: &T) -> (Vec<String>, String) {
    let mut calls = Vec::new();
    let error = value.serialize(Recorder(&mut calls)).expect_err("the value fails to serialize");
    (calls, error.to_string())
}

struct Recorder<'a>(&'a mut Vec<String>);

impl Recorder<'_> {
    fn note(self, call: String) -> Result<(), Error> {
        self.0.push(call);
        Ok(())
    }
}

/// The scalar methods, each noted with its value.
macro_rules! scalars {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, value: $ty) -> Result<(), Error> {
            self.note(format!("{} {value:?}", stringify!($method)))
        })*
    };
}

impl<'a> Serializer for Recorder<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), Error>;

    scalars!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str, serialize_bytes: &[u8]);

    fn serialize_none(self) -> Result<(), Error> {
        self.note("none".into())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.0.push("some".into());
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.note("unit".into())
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Error> {
        self.note(format!("unit struct {name}"))
    }

    fn serialize_unit_variant(self, name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.note(format!("unit variant {name}::{variant}"))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Result<(), Error> {
        self.0.push(format!("newtype struct {name}"));
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.0.push(format!("newtype variant {name}::{variant}"));
        value.serialize(self)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self, Error> {
        self.0.push(format!("seq {len:?}"));
        Ok(self)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(serde::ser::Error::custom("no tuples in these tests"))
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(serde::ser::Error::custom("no tuple structs in these tests"))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(serde::ser::Error::custom("no tuple variants in these tests"))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self, Error> {
        self.0.push(format!("map {len:?}"));
        Ok(self)
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self, Error> {
        self.0.push(format!("struct {name} {len}"));
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(serde::ser::Error::custom("no struct variants in these tests"))
    }
}

impl SerializeSeq for Recorder<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Recorder(self.0))
    }

    fn end(self) -> Result<(), Error> {
        self.note("end seq".into())
    }
}

impl SerializeMap for Recorder<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.0.push("key".into());
        key.serialize(Recorder(self.0))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(Recorder(self.0))
    }

    fn end(self) -> Result<(), Error> {
        self.note("end map".into())
    }
}

impl SerializeStruct for Recorder<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.0.push(format!("field {key}"));
        value.serialize(Recorder(self.0))
    }

    fn skip_field(&mut self, key: &'static str) -> Result<(), Error> {
        self.0.push(format!("skip {key}"));
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        self.note("end struct".into())
    }
}
