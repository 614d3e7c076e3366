//! The `/sync` namespace's client events, typed.

use crate::ClientEvent;
use localful_core::VaultId;
use localful_core::wire::{PushAck, PushRequest, SubscribeAck};
use serde::Serialize;

/// `subscribe {vaults}` → [`SubscribeAck`] (replaces the subscribed set).
#[derive(Debug)]
pub struct SubscribeEvent;

/// The arguments of [`SubscribeEvent`].
#[derive(Debug, Clone, Serialize)]
pub struct Subscribe {
    /// Every vault to hear about.
    pub vaults: Vec<VaultId>,
}

impl ClientEvent for SubscribeEvent {
    const NAME: &'static str = "subscribe";
    type Args = Subscribe;
    type Ack = SubscribeAck;
}

/// `push {items, versions}` → [`PushAck`].
#[derive(Debug)]
pub struct PushEvent;

impl ClientEvent for PushEvent {
    const NAME: &'static str = "push";
    type Args = PushRequest;
    type Ack = PushAck;
}

/// `ticket {ticket}`: the answer to the server's `refresh-ticket`.
#[derive(Debug)]
pub struct TicketEvent;

/// The arguments of [`TicketEvent`].
#[derive(Debug, Clone, Serialize)]
pub struct Ticket {
    /// A fresh ticket of this session.
    pub ticket: String,
}

impl ClientEvent for TicketEvent {
    const NAME: &'static str = "ticket";
    type Args = Ticket;
    type Ack = serde_json::Value;
}

/// Server event names the engine reacts to.
pub(crate) mod names {
    pub(crate) const REFRESH_TICKET: &str = "refresh-ticket";
    pub(crate) const VAULT_CREATE: &str = "vault-create";
    pub(crate) const VAULT_UPDATE: &str = "vault-update";
    pub(crate) const VAULT_DELETE: &str = "vault-delete";
}
