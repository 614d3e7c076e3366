//! The whole session state machine fed arbitrary frames after a valid handshake: never panics,
//! whatever the server sends.
#![no_main]

use libfuzzer_sys::fuzz_target;
use localful_worker::engineio::Frame;
use localful_worker::session::{Instant, Session, SessionConfig};

fuzz_target!(|data: &[u8]| {
    let mut session = Session::new(SessionConfig::default(), 1);
    let mut now = 0u64;
    session.open_namespace("/", Instant::from_millis(now));
    session.open_namespace("/a", Instant::from_millis(now));
    session.transport_opened(Instant::from_millis(now));
    session.frame(
        Frame::Text(r#"0{"sid":"s","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000}"#.into()),
        Instant::from_millis(now),
    );
    session.auth_ready("/", serde_json::Value::Null, Instant::from_millis(now));
    session.auth_ready("/a", serde_json::json!({"t": 1}), Instant::from_millis(now));
    for chunk in data.split(|b| *b == 0xFF) {
        now += 7;
        let frame = match chunk.split_first() {
            Some((0, rest)) => Frame::Binary(rest.to_vec()),
            Some((1, _)) => {
                session.handle_timeout(Instant::from_millis(now + 400));
                continue;
            }
            _ => match std::str::from_utf8(chunk) {
                Ok(text) => Frame::Text(text.to_owned()),
                Err(_) => continue,
            },
        };
        session.frame(frame, Instant::from_millis(now));
        while session.poll_output().is_some() {}
        if session.next_deadline().is_none() {
            // closed for good: open again, as a user would
            session.open_namespace("/", Instant::from_millis(now));
        }
    }
});
