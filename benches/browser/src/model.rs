//! The benchmark's collection: a note of about 1 KiB, its `bucket` an indexed exposed field.

use localful_core::{Collection, ExposedField};
use serde::{Deserialize, Serialize};

/// A note as the runner generates it (`js/docs.mjs`): `bucket` is `index % 100`, so one bucket is
/// 1 % of the notes; the body is about 1 KiB.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub(crate) struct Note {
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) tags: Vec<String>,
    pub(crate) bucket: i64,
}

impl Collection for Note {
    const NAME: &'static str = "notes";
    fn exposed_fields() -> Vec<ExposedField> {
        vec![ExposedField::indexed("bucket")]
    }
}
