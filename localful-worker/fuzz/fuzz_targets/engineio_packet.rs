//! Engine.IO packet decoder and the open-packet parser: never panic; decode∘encode is the identity.
#![no_main]

use libfuzzer_sys::fuzz_target;
use localful_worker::engineio::{OpenPacket, Packet};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(packet) = Packet::decode(text) {
        assert_eq!(Packet::decode(&packet.to_string()).as_ref(), Ok(&packet));
        if let Packet::Open(json) = &packet {
            if let Ok(open) = OpenPacket::parse(json) {
                let _ = open.heartbeat_window();
            }
        }
    }
});
