//! Socket.IO packet decoder: never panics; what it accepts re-encodes to something it accepts again
//! with the same type, namespace, ack id and attachment count.
#![no_main]

use libfuzzer_sys::fuzz_target;
use localful_worker::socketio::Packet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(packet) = Packet::decode(text) {
        let again = Packet::decode(&packet.to_string()).expect("re-encoded packet must decode");
        assert_eq!((again.kind, &again.nsp, again.id, again.attachments), (packet.kind, &packet.nsp, packet.id, packet.attachments));
    }
});
