//! Binary packet reassembly over an arbitrary sequence of text and binary frames: never panics,
//! and a completed packet never has fewer attachments than its placeholders need.
#![no_main]

use libfuzzer_sys::fuzz_target;
use localful_worker::socketio::BinaryAssembler;

fuzz_target!(|data: &[u8]| {
    let mut assembler = BinaryAssembler::new();
    // Frames are separated by 0xFF; a leading 0 byte marks a binary frame, anything else text.
    for chunk in data.split(|b| *b == 0xFF) {
        let result = match chunk.split_first() {
            Some((0, rest)) => assembler.binary(rest.to_vec()),
            _ => match std::str::from_utf8(chunk) {
                Ok(text) => assembler.text(text),
                Err(_) => continue,
            },
        };
        if let Ok(Some((packet, buffers))) = result {
            assert_eq!(packet.attachments, if packet.kind.is_binary() { buffers.len() } else { 0 });
        }
    }
});
