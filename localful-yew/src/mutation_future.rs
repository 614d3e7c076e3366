//! The result of a write started through a mutation handle, to await or to leave.

use futures::channel::oneshot;
use localful_core::{Error, StoreError};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The result of a write that [`UseMutationHandle`](crate::UseMutationHandle) started: await it
/// for the new id, version id or typed error.
///
/// The write starts when the handle's method is called, not when this is awaited, and dropping
/// this does not cancel it: a call whose result the caller does not need is just not awaited
/// (its failure still shows in [`UseMutationHandle::error`](crate::UseMutationHandle::error)).
///
/// [`UseVaultHandle::change_password`](crate::UseVaultHandle::change_password) returns one too,
/// with its own error type `E`.
#[derive(Debug)]
pub struct MutationFuture<R, E = Error> {
    result: oneshot::Receiver<Result<R, E>>,
}

impl<R, E> MutationFuture<R, E> {
    pub(crate) fn new(result: oneshot::Receiver<Result<R, E>>) -> Self {
        Self { result }
    }
}

impl<R, E: From<StoreError>> Future for MutationFuture<R, E> {
    type Output = Result<R, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.result).poll(cx).map(|received| {
            // The write's task sends before it ends; it can only end without sending if it was
            // torn down mid-write (the page going away), which IndexedDB aborts.
            received.unwrap_or_else(|_| Err(StoreError::Aborted("the write ended without a result".into()).into()))
        })
    }
}
