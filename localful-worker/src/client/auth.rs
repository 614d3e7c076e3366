//! The CONNECT auth payload's source.

use std::sync::Arc;

use serde_json::Value;

use crate::bounds::BoxFuture;

/// Produces the CONNECT auth payload of a namespace; called again on every (re)connection.
#[cfg(not(target_arch = "wasm32"))]
pub type AuthProvider = Arc<dyn Fn(&str) -> BoxFuture<Result<Value, String>> + Send + Sync>;
/// Produces the CONNECT auth payload of a namespace; called again on every (re)connection.
#[cfg(target_arch = "wasm32")]
pub type AuthProvider = Arc<dyn Fn(&str) -> BoxFuture<Result<Value, String>>>;
