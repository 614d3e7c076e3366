//! Graceful shutdown: a request in flight when shutdown starts completes; sync sockets are
//! closed; the server then stops.
#![allow(clippy::unwrap_used)]

mod support;

use serde_json::json;
use std::time::Duration;
use support::*;

#[tokio::test]
async fn shutdown_finishes_in_flight_requests_and_closes_sockets() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let sock = if node_modules().is_some() { Some(Sio::connected(&ctx.base, &ctx.ticket(&u).await).await) } else { None };

        // A vault body uploaded slowly, in two halves a second apart.
        let id = new_id();
        let body = vault_body(&id).to_string();
        let (first, second) = body.split_at(body.len() / 2);
        let (first, second) = (first.to_string(), second.to_string());
        let stream = futures::stream::unfold(0, move |step| {
            let (first, second) = (first.clone(), second.clone());
            async move {
                match step {
                    0 => Some((Ok::<_, std::io::Error>(first), 1)),
                    1 => {
                        tokio::time::sleep(Duration::from_millis(1000)).await;
                        Some((Ok(second), 2))
                    }
                    _ => None,
                }
            }
        });
        let request = ctx
            .http
            .post(format!("{}/v1/vaults", ctx.base))
            .bearer_auth(&u.access)
            .header("content-type", "application/json")
            .body(reqwest::Body::wrap_stream(stream))
            .send();
        let in_flight = tokio::spawn(request);
        tokio::time::sleep(Duration::from_millis(300)).await;

        let base = ctx.base.clone();
        let stopping = tokio::spawn(ctx.stop());
        let res = in_flight.await.unwrap().expect("in-flight request answered");
        assert_eq!(res.status().as_u16(), 201, "in-flight request finished");
        let created: serde_json::Value = res.json().await.unwrap();
        assert_eq!(created["id"], json!(id));
        tokio::time::timeout(Duration::from_secs(10), stopping).await.expect("server stopped in time").unwrap();
        if let Some(mut s) = sock {
            assert!(s.next(|m| m["type"] == "disconnect", 5).await.is_some(), "socket closed at shutdown");
            s.close().await;
        }
        assert!(reqwest::get(format!("{base}/v1/server/health")).await.is_err(), "still accepting after shutdown");
    }
}
