//! The socket `push` event and its per-id ack.

use crate::{ErrorBody, WireItem, WireVersion};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `push {items, versions}`: creates and deletions (a `deletedAt` set), idempotent by id. The
/// server applies items before versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRequest {
    /// Items created or deleted.
    pub items: Vec<WireItem>,
    /// Versions created or deleted.
    pub versions: Vec<WireVersion>,
}

impl PushRequest {
    /// Whether the batch carries nothing.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.versions.is_empty()
    }
}

/// What the server holds of an entry it accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PushStatus {
    /// Written by this push.
    Created,
    /// Already there (a push sent again); a deletion it carried is applied.
    Exists,
}

/// The outcome of one entry of a push: `{id, ok: true, status}` or `{id, ok: false, error}`.
///
/// Fields are declared in the order the server writes them (alphabetical).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushOutcome {
    /// Why not, when not `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
    /// The id as sent (canonical when it is a UUID); empty when the entry had no string `id`
    /// (`null` on the wire).
    #[serde(default, serialize_with = "empty_as_null", deserialize_with = "null_as_empty")]
    pub id: String,
    /// Whether the server now holds the entry as sent.
    pub ok: bool,
    /// `created` or `exists` when `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PushStatus>,
}

fn empty_as_null<S: Serializer>(id: &str, s: S) -> Result<S::Ok, S::Error> {
    if id.is_empty() { s.serialize_none() } else { s.serialize_str(id) }
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// The ack of a push that was read: `{ok: true, items: [outcome], versions: [outcome]}`, the
/// outcomes in the order of the request. A push that was not read is acked
/// [`FailedAck`](crate::socket::FailedAck) `{ok: false, error}`, which reads as a `PushAck` with
/// `error` set.
///
/// Fields are declared in the order the server writes them (alphabetical).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushAck {
    /// Why the whole batch failed, when not `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
    /// Outcomes of the items.
    #[serde(default)]
    pub items: Vec<PushOutcome>,
    /// Whether the batch was read (each id then has its own outcome).
    pub ok: bool,
    /// Outcomes of the versions.
    #[serde(default)]
    pub versions: Vec<PushOutcome>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn outcomes_carry_a_status_or_an_error() {
        let created = PushOutcome { error: None, id: "a".into(), ok: true, status: Some(PushStatus::Created) };
        assert_eq!(serde_json::to_string(&created).unwrap(), r#"{"id":"a","ok":true,"status":"created"}"#);
        let error = ErrorBody::new(ErrorKind::RequestInvalid, "bad");
        let refused = PushOutcome { error: Some(error), id: String::new(), ok: false, status: None };
        assert_eq!(
            serde_json::to_string(&refused).unwrap(),
            r#"{"error":{"context":null,"identifier":"request-invalid","message":"bad","statusCode":400},"id":null,"ok":false}"#
        );
        assert_eq!(serde_json::from_str::<PushOutcome>(&serde_json::to_string(&refused).unwrap()).unwrap(), refused);
    }

    #[test]
    fn an_ack_reads_whether_the_batch_was_read_or_not() {
        let read = PushAck { ok: true, items: vec![], versions: vec![], error: None };
        assert_eq!(serde_json::to_string(&read).unwrap(), r#"{"items":[],"ok":true,"versions":[]}"#);
        let failed: PushAck = serde_json::from_str(
            r#"{"error":{"context":null,"identifier":"request-invalid","message":"no","statusCode":400},"ok":false}"#,
        )
        .unwrap();
        assert_eq!((failed.ok, failed.error.map(|e| e.identifier)), (false, Some(ErrorKind::RequestInvalid)));
    }
}
