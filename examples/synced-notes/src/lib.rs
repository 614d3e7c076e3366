//! The app's collections, in the library so that both binaries see them: the app
//! (`src/main.rs`) and its sync worker (`src/bin/synced-notes-worker.rs`).

use localful_core::{Collection, ExposedField};
use serde::{Deserialize, Serialize};

/// A note.
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
pub struct Note { pub title: String, pub body: String, pub tags: Vec<String> }

impl Collection for Note {
    const NAME: &'static str = "notes";
    // Copied unencrypted onto the local item (never sent to the server) and indexed.
    fn exposed_fields() -> Vec<ExposedField> { vec![ExposedField::indexed("tags")] }
}
