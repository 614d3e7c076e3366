//! [`Link`]: the sync socket's connection, as the engine sees it.

use crate::session::{ConnectionState, Instant, SocketState};
use localful_core::sync::SyncError;

/// The state of the engine's sync socket, with what a person needs from it: whether it works,
/// when the next attempt is, and why the server refused it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Link {
    /// No engine runs (no session).
    #[default]
    Stopped,
    /// Opening the connection; `attempt` counts the attempts since the last open (0: the first).
    Connecting {
        /// Failed attempts since the connection last worked.
        attempt: u32,
    },
    /// Connected to the sync namespace.
    Connected,
    /// The connection failed or was lost; the next attempt is at `at` (on the engine's clock).
    Retrying {
        /// When the next attempt starts.
        at: Instant,
    },
    /// The server refused the socket: no attempt follows until asked ("Retry now").
    Refused(SyncError),
}

impl Link {
    /// The link from the socket's namespace state and the connection's state, observed at `now`
    /// (a backoff delay becomes the instant it ends). `refusal` turns a refusal into its error.
    pub fn of(
        socket: &SocketState,
        connection: &ConnectionState,
        now: Instant,
        refusal: impl FnOnce(&crate::ConnectError) -> SyncError,
    ) -> Link {
        match (socket, connection) {
            (SocketState::Connected { .. }, _) => Link::Connected,
            (SocketState::Refused(error), _) => Link::Refused(refusal(error)),
            (SocketState::Disconnected { will_reconnect: false, .. }, _) | (_, ConnectionState::Closed { .. }) => {
                Link::Stopped
            }
            (_, ConnectionState::Reconnecting { delay, .. }) => Link::Retrying { at: now + *delay },
            (_, ConnectionState::Connecting { attempt }) => Link::Connecting { attempt: *attempt },
            (_, ConnectionState::Idle | ConnectionState::Open { .. }) => Link::Connecting { attempt: 0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::DisconnectReason;
    use std::time::Duration;

    #[test]
    fn a_backoff_becomes_the_instant_of_the_next_attempt() {
        let lost = SocketState::Disconnected { reason: DisconnectReason::TransportClose, will_reconnect: true };
        let waiting = ConnectionState::Reconnecting {
            attempt: 2,
            delay: Duration::from_millis(1_500),
            reason: DisconnectReason::TransportClose,
        };
        let none = |_: &crate::ConnectError| SyncError::NotLoggedIn;
        assert_eq!(
            Link::of(&lost, &waiting, Instant::from_millis(10_000), none),
            Link::Retrying { at: Instant::from_millis(11_500) }
        );
        let dialing = ConnectionState::Connecting { attempt: 2 };
        assert_eq!(
            Link::of(&SocketState::Connecting, &dialing, Instant::from_millis(0), none),
            Link::Connecting { attempt: 2 }
        );
        let open = ConnectionState::Open { sid: "s".into() };
        let connected = SocketState::Connected { sid: "x".into(), recovered: false };
        assert_eq!(Link::of(&connected, &open, Instant::from_millis(0), none), Link::Connected);
        let refused = SocketState::Refused(crate::ConnectError { message: "access-forbidden".into(), data: None });
        assert_eq!(
            Link::of(
                &refused,
                &ConnectionState::Closed { reason: DisconnectReason::ServerDisconnect },
                Instant::from_millis(0),
                |e| { SyncError::ConnectionRefused { kind: e.message.as_str().into() } }
            ),
            Link::Refused(SyncError::ConnectionRefused { kind: localful_protocol::ErrorKind::AccessForbidden })
        );
    }
}
