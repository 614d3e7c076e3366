fn main() {
    localful_worker::host::start(localful_core::Schema::new().with::<synced_notes::Note>());
}
