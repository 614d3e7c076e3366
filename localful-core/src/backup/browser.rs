//! A backup file in the browser: lines gathered into a `Blob` ([`BlobSink`]), and a `Blob` or
//! `File` read in chunks through its stream ([`blob_chunks`]).

use super::BackupError;
use futures::Stream;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, ReadableStreamDefaultReader};

/// The MIME type of a backup file.
pub const MIME: &str = "application/x-ndjson";

/// Lines joined into parts of this many bytes (fewer, larger parts for the `Blob`).
const PART: usize = 256 * 1024;

/// Gathers a backup's lines into the parts of a `Blob`: the file is never one string.
#[derive(Debug, Default)]
pub struct BlobSink {
    parts: Vec<String>,
    current: String,
}

impl BlobSink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a line (the `sink` of [`VaultHandle::export_backup`](crate::VaultHandle::export_backup)).
    pub fn push(&mut self, line: String) -> Result<(), BackupError> {
        self.current.push_str(&line);
        if self.current.len() >= PART {
            self.parts.push(std::mem::take(&mut self.current));
        }
        Ok(())
    }

    /// The file, as a `Blob` of type [`MIME`].
    pub fn finish(mut self) -> Result<Blob, BackupError> {
        if !self.current.is_empty() {
            self.parts.push(std::mem::take(&mut self.current));
        }
        let parts = js_sys::Array::new();
        for part in self.parts {
            parts.push(&JsValue::from_str(&part));
        }
        let options = BlobPropertyBag::new();
        options.set_type(MIME);
        Blob::new_with_str_sequence_and_options(&parts, &options).map_err(read_error)
    }
}

fn read_error(e: JsValue) -> BackupError {
    let message = js_sys::Reflect::get(&e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string());
    BackupError::Read(
        message
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "unknown error".into()),
    )
}

/// The bytes of `blob` (a `File` is a `Blob`) in the chunks its stream delivers.
pub fn blob_chunks(blob: &Blob) -> impl Stream<Item = Result<Vec<u8>, BackupError>> + use<> {
    let reader: ReadableStreamDefaultReader = blob.stream().get_reader().unchecked_into();
    futures::stream::unfold(Some(reader), |reader| async move {
        let reader = reader?;
        let next = match JsFuture::from(reader.read()).await {
            Ok(next) => next,
            Err(e) => return Some((Err(read_error(e)), None)),
        };
        let done = js_sys::Reflect::get(&next, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return None;
        }
        let value =
            js_sys::Reflect::get(&next, &JsValue::from_str("value")).unwrap_or(JsValue::UNDEFINED);
        let bytes = js_sys::Uint8Array::new(&value).to_vec();
        Some((Ok(bytes), Some(reader)))
    })
}
