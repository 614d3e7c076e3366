//! What a [`Client`](super::Client)'s handles ask of its driver task, over a channel.

use std::time::Duration;

use futures::channel::oneshot;

use crate::session::{AckError, EmitError};
use crate::socketio::Payload;

/// Where the answer to an ack goes.
pub(crate) type AckSlot = oneshot::Sender<Result<Payload, AckError>>;

/// What a handle asks of the task.
#[derive(Debug)]
pub(crate) enum Command {
    Open(String),
    Close(String),
    Emit {
        nsp: String,
        name: String,
        payload: Payload,
        ack: Option<(Option<Duration>, AckSlot)>,
        done: Option<oneshot::Sender<Result<(), EmitError>>>,
    },
    Ack {
        nsp: String,
        id: u64,
        payload: Payload,
    },
    RetryNow,
    Shutdown,
}
