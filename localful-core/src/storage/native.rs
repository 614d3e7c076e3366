//! Natively there is no browser storage manager: every call is [`StorageError::Unsupported`].

use super::{StorageError, StorageStatus};

/// Asks the browser to keep this origin's data until the user deletes it; natively
/// [`StorageError::Unsupported`].
pub async fn request_persistence() -> Result<bool, StorageError> {
    Err(StorageError::Unsupported)
}

/// This origin's persistence, usage and quota; natively [`StorageError::Unsupported`].
pub async fn status() -> Result<StorageStatus, StorageError> {
    Err(StorageError::Unsupported)
}
