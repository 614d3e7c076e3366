//! The socket.io namespace `/sync`: event names in both directions, their arguments and acks.
//!
//! Acks are declared in the order the server writes their fields (alphabetical).

use crate::{ChangeKind, ErrorBody, User, UserId, VaultId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The namespace of the sync socket.
pub const NAMESPACE: &str = "/sync";

macro_rules! event_names {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant,)*
        }

        impl $name {
            /// Every event of this direction.
            pub const ALL: &'static [$name] = &[$(Self::$variant),*];

            /// The event name on the wire.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }

            /// The event named `name`, if it is one.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|e| e.name() == name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

event_names! {
    /// Events the server emits; none is echoed to the session whose change it reports.
    ServerEvent {
        /// A vault was created: a [`WireVault`](crate::WireVault).
        VaultCreate = "vault-create",
        /// A vault was renamed or re-keyed: a [`WireVault`](crate::WireVault).
        VaultUpdate = "vault-update",
        /// A vault was deleted with everything in it: [`VaultDeleted`].
        VaultDelete = "vault-delete",
        /// [`ChangeKind::ItemCreate`]: a [`Change`](crate::Change).
        ItemCreate = "item-create",
        /// [`ChangeKind::ItemDelete`]: a [`Change`](crate::Change).
        ItemDelete = "item-delete",
        /// [`ChangeKind::VersionCreate`]: a [`Change`](crate::Change).
        VersionCreate = "version-create",
        /// [`ChangeKind::VersionDelete`]: a [`Change`](crate::Change).
        VersionDelete = "version-delete",
        /// The user changed: [`UserUpdated`].
        UserUpdate = "user-update",
        /// The user was deleted: [`UserDeleted`]; its sockets are then disconnected.
        UserDelete = "user-delete",
        /// Answer with [`ClientEvent::Ticket`] within the deadline, or be disconnected:
        /// [`RefreshTicket`].
        RefreshTicket = "refresh-ticket",
    }
}

event_names! {
    /// Events a client emits, each with an ack.
    ClientEvent {
        /// [`Subscribe`] → [`SubscribeAck`].
        Subscribe = "subscribe",
        /// [`Ticket`] (the answer to [`ServerEvent::RefreshTicket`]) → [`TicketAck`].
        Ticket = "ticket",
        /// [`PushRequest`](crate::PushRequest) → [`PushAck`](crate::PushAck).
        Push = "push",
    }
}

impl ServerEvent {
    /// The change-log kind the event carries, for item and version events.
    pub const fn change_kind(self) -> Option<ChangeKind> {
        match self {
            Self::ItemCreate => Some(ChangeKind::ItemCreate),
            Self::ItemDelete => Some(ChangeKind::ItemDelete),
            Self::VersionCreate => Some(ChangeKind::VersionCreate),
            Self::VersionDelete => Some(ChangeKind::VersionDelete),
            _ => None,
        }
    }
}

impl From<ChangeKind> for ServerEvent {
    fn from(kind: ChangeKind) -> Self {
        match kind {
            ChangeKind::ItemCreate => Self::ItemCreate,
            ChangeKind::ItemDelete => Self::ItemDelete,
            ChangeKind::VersionCreate => Self::VersionCreate,
            ChangeKind::VersionDelete => Self::VersionDelete,
        }
    }
}

/// `subscribe {vaults}`: replaces the subscribed set (at most 1000 vaults).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subscribe {
    /// Every vault to hear about.
    pub vaults: Vec<VaultId>,
}

/// A vault a `subscribe` named that is not subscribed (not found, not yours), and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedVault {
    /// Why.
    pub error: ErrorBody,
    /// The vault.
    pub id: VaultId,
}

/// The ack of `subscribe`: `{latestSeq: {id: seq}, ok, rejected, vaults}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribeAck {
    /// Each subscribed vault's latest `seq`.
    #[serde(default)]
    pub latest_seq: BTreeMap<VaultId, u64>,
    /// Whether the request was read.
    pub ok: bool,
    /// Vaults refused, with the error.
    #[serde(default)]
    pub rejected: Vec<RejectedVault>,
    /// The vaults now subscribed.
    #[serde(default)]
    pub vaults: Vec<VaultId>,
}

/// `{ticket}`: the CONNECT auth of the socket, and the argument of [`ClientEvent::Ticket`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    /// A fresh ticket of the session (`POST /v1/sync/ticket`).
    pub ticket: String,
}

/// The ack of a `ticket` that was accepted: `{ok: true}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketAck {
    /// Whether the ticket was accepted.
    pub ok: bool,
}

/// The ack of any request that failed as a whole: `{error, ok: false}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedAck {
    /// Why.
    pub error: ErrorBody,
    /// Always `false`.
    pub ok: bool,
}

impl FailedAck {
    /// The ack of a request refused with `error`.
    pub fn new(error: ErrorBody) -> Self {
        Self { error, ok: false }
    }
}

/// `refresh-ticket {deadlineSeconds}`: answer with a fresh ticket within this many seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshTicket {
    /// Seconds left to answer.
    pub deadline_seconds: u64,
}

/// `vault-delete {id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultDeleted {
    /// The deleted vault.
    pub id: VaultId,
}

/// `user-update {user}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserUpdated {
    /// The user as it is now.
    pub user: User,
}

/// `user-delete {id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDeleted {
    /// The deleted user.
    pub id: UserId,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn names_read_back_and_change_events_are_change_kinds() {
        for &event in ServerEvent::ALL {
            assert_eq!(ServerEvent::from_name(event.name()), Some(event));
            assert_eq!(serde_json::to_string(&event).unwrap(), format!("\"{event}\""));
            if let Some(kind) = event.change_kind() {
                assert_eq!((kind.name(), ServerEvent::from(kind)), (event.name(), event));
            }
        }
        assert_eq!(ChangeKind::ALL.map(|k| ServerEvent::from(k).change_kind()), ChangeKind::ALL.map(Some));
        assert_eq!(ClientEvent::ALL.iter().map(|e| e.name()).collect::<Vec<_>>(), ["subscribe", "ticket", "push"]);
        assert_eq!(ServerEvent::from_name("push"), None);
    }

    #[test]
    fn acks_are_written_as_the_server_always_wrote_them() {
        let vault: VaultId = "0192e4c0-0000-4000-8000-000000000001".parse().unwrap();
        let ack = SubscribeAck { latest_seq: [(vault, 4)].into(), ok: true, rejected: vec![], vaults: vec![vault] };
        assert_eq!(
            serde_json::to_string(&ack).unwrap(),
            format!(r#"{{"latestSeq":{{"{vault}":4}},"ok":true,"rejected":[],"vaults":["{vault}"]}}"#)
        );
        let failed = FailedAck::new(ErrorBody::new(ErrorKind::RequestInvalid, "no"));
        assert_eq!(
            serde_json::to_string(&failed).unwrap(),
            r#"{"error":{"context":null,"identifier":"request-invalid","message":"no","statusCode":400},"ok":false}"#
        );
        assert_eq!(serde_json::to_string(&RefreshTicket { deadline_seconds: 15 }).unwrap(), r#"{"deadlineSeconds":15}"#);
        assert!(serde_json::from_str::<Ticket>(r#"{"ticket":"t","extra":1}"#).is_err(), "requests deny unknown fields");
    }
}
