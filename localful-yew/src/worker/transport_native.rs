//! Natively there is no worker: the connection stays detached (offline, logged out).

use super::WorkerConnection;
use crate::LocalfulConfig;

/// A detached connection.
pub(crate) fn connect(_config: &LocalfulConfig) -> WorkerConnection {
    WorkerConnection::detached()
}
