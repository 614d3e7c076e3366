//! The `/sync` namespace's client events, typed: names and payloads are the protocol's
//! ([`localful_protocol::socket`]).

use crate::ClientEvent;
use localful_protocol::socket::{self, SubscribeAck, TicketAck};
use localful_protocol::{PushAck, PushRequest};

pub use localful_protocol::socket::{Subscribe, Ticket};

/// `subscribe {vaults}` → [`SubscribeAck`] (replaces the subscribed set).
#[derive(Debug)]
pub struct SubscribeEvent;

impl ClientEvent for SubscribeEvent {
    const NAME: &'static str = socket::ClientEvent::Subscribe.name();
    type Args = Subscribe;
    type Ack = SubscribeAck;
}

/// `push {items, versions}` → [`PushAck`].
#[derive(Debug)]
pub struct PushEvent;

impl ClientEvent for PushEvent {
    const NAME: &'static str = socket::ClientEvent::Push.name();
    type Args = PushRequest;
    type Ack = PushAck;
}

/// `ticket {ticket}`: the answer to the server's `refresh-ticket`.
#[derive(Debug)]
pub struct TicketEvent;

impl ClientEvent for TicketEvent {
    const NAME: &'static str = socket::ClientEvent::Ticket.name();
    type Args = Ticket;
    type Ack = TicketAck;
}
