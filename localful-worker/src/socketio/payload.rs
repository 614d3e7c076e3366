//! Event and ack arguments: JSON values plus binary attachments, converted to and from Rust types.
//!
//! A [`Binary`] field anywhere inside a serialized value becomes an attachment and a
//! `{"_placeholder":true,"num":n}` in the JSON, exactly as the official client does with a
//! `Buffer`/`ArrayBuffer`; decoding does the reverse.

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The arguments of an event (without its name) or of an ack, with their attachments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Payload {
    /// The JSON arguments, with placeholders where attachments go.
    pub args: Vec<Value>,
    /// The binary attachments, in placeholder order.
    pub attachments: Vec<Vec<u8>>,
}

/// A payload could not be converted from or to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PayloadError {
    /// The value could not be serialized to JSON.
    #[error("cannot serialize payload: {0}")]
    Serialize(String),
    /// The arguments do not have the shape of the requested type.
    #[error("cannot deserialize payload: {0}")]
    Deserialize(String),
}

thread_local! {
    static OUTGOING: RefCell<Option<Vec<Vec<u8>>>> = const { RefCell::new(None) };
    static INCOMING: RefCell<Option<Vec<Vec<u8>>>> = const { RefCell::new(None) };
}

impl Payload {
    /// An empty payload (no arguments).
    pub fn empty() -> Self {
        Self::default()
    }

    /// A payload of one argument.
    pub fn from_arg<T: Serialize + ?Sized>(arg: &T) -> Result<Self, PayloadError> {
        let (value, attachments) = to_value_collecting(arg)?;
        Ok(Self { args: vec![value], attachments })
    }

    /// A payload whose arguments are the items of `args`, which must serialize to a JSON array
    /// (a tuple, a `Vec`, …): `from_args(&("a", 1))` sends two arguments.
    pub fn from_args<T: Serialize + ?Sized>(args: &T) -> Result<Self, PayloadError> {
        match to_value_collecting(args)? {
            (Value::Array(args), attachments) => Ok(Self { args, attachments }),
            (Value::Null, attachments) => Ok(Self { args: Vec::new(), attachments }),
            _ => Err(PayloadError::Serialize("arguments must serialize to a JSON array".into())),
        }
    }

    /// Decodes argument `index` (a missing argument reads as `null`).
    pub fn arg<T: DeserializeOwned>(&self, index: usize) -> Result<T, PayloadError> {
        let value = self.args.get(index).cloned().unwrap_or(Value::Null);
        self.decode_value(value)
    }

    /// Decodes all arguments as one JSON array (into a tuple, a `Vec`, …).
    pub fn args<T: DeserializeOwned>(&self) -> Result<T, PayloadError> {
        self.decode_value(Value::Array(self.args.clone()))
    }

    fn decode_value<T: DeserializeOwned>(&self, value: Value) -> Result<T, PayloadError> {
        let previous = INCOMING.with(|cell| cell.replace(Some(self.attachments.clone())));
        let result = serde_json::from_value(value).map_err(|e| PayloadError::Deserialize(e.to_string()));
        INCOMING.with(|cell| cell.replace(previous));
        result
    }
}

fn to_value_collecting<T: Serialize + ?Sized>(value: &T) -> Result<(Value, Vec<Vec<u8>>), PayloadError> {
    let previous = OUTGOING.with(|cell| cell.replace(Some(Vec::new())));
    let result = serde_json::to_value(value);
    let attachments = OUTGOING.with(|cell| cell.replace(previous)).unwrap_or_default();
    let value = result.map_err(|e| PayloadError::Serialize(e.to_string()))?;
    Ok((value, attachments))
}

/// Bytes sent as a binary attachment rather than inside the JSON.
///
/// ```
/// use localful_worker::socketio::{Binary, Payload};
/// let payload = Payload::from_args(&("file", Binary(vec![1, 2, 3]))).unwrap();
/// assert_eq!(payload.args[1], serde_json::json!({"_placeholder": true, "num": 0}));
/// assert_eq!(payload.attachments, vec![vec![1, 2, 3]]);
/// let (name, bytes): (String, Binary) = payload.args().unwrap();
/// assert_eq!((name.as_str(), bytes.0), ("file", vec![1, 2, 3]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Binary(pub Vec<u8>);

#[derive(Serialize, Deserialize)]
struct Placeholder {
    _placeholder: bool,
    num: usize,
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let num = OUTGOING.with(|cell| {
            cell.borrow_mut().as_mut().map(|list| {
                list.push(self.0.clone());
                list.len() - 1
            })
        });
        match num {
            Some(num) => Placeholder { _placeholder: true, num }.serialize(serializer),
            // Outside a payload (plain serde_json): the bytes as an array of numbers.
            None => self.0.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Placeholder(Placeholder),
            Bytes(Vec<u8>),
        }
        match Repr::deserialize(deserializer)? {
            Repr::Bytes(bytes) => Ok(Self(bytes)),
            Repr::Placeholder(p) if p._placeholder => INCOMING
                .with(|cell| cell.borrow().as_ref().and_then(|list| list.get(p.num).cloned()))
                .map(Binary)
                .ok_or_else(|| serde::de::Error::custom("placeholder refers to a missing attachment")),
            Repr::Placeholder(_) => Err(serde::de::Error::custom("not a binary placeholder")),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Upload {
        name: String,
        parts: Vec<Binary>,
    }

    #[test]
    fn nested_binaries_become_numbered_placeholders() {
        let upload = Upload { name: "a".into(), parts: vec![Binary(vec![1]), Binary(vec![2, 2])] };
        let payload = Payload::from_arg(&upload).unwrap();
        assert_eq!(
            payload.args,
            vec![json!({"name":"a","parts":[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]})]
        );
        assert_eq!(payload.attachments, vec![vec![1], vec![2, 2]]);
        assert_eq!(payload.arg::<Upload>(0).unwrap(), upload);
    }

    #[test]
    fn a_missing_attachment_is_an_error_not_a_panic() {
        let payload = Payload { args: vec![json!({"_placeholder":true,"num":3})], attachments: vec![] };
        assert!(matches!(payload.arg::<Binary>(0), Err(PayloadError::Deserialize(_))));
    }

    #[test]
    fn plain_arguments() {
        let payload = Payload::from_args(&(1, "two")).unwrap();
        assert_eq!(payload.args, vec![json!(1), json!("two")]);
        assert!(payload.attachments.is_empty());
        assert_eq!(payload.arg::<u32>(0).unwrap(), 1);
        assert_eq!(payload.arg::<Option<u32>>(5).unwrap(), None);
        assert!(Payload::from_args(&5).is_err());
    }
}
