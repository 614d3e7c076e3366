//! The generic sync worker: the sync service with an empty schema. It logs in and reports
//! status, but applying a remote version needs the app's collections (exposed fields), so an app
//! ships its own worker binary, `fn main() { localful_worker::host::start(app_schema()) }` (see
//! the README's "Sync across devices").

fn main() {
    localful_worker::host::start(localful_core::Schema::new());
}
