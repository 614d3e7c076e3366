//! Two server processes on one Postgres: a client on process A sees changes made through process
//! B (events fan out through LISTEN/NOTIFY), tickets and tokens work across processes, and
//! one-socket-per-session and logout reach sockets on the other process.
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::Method;
use serde_json::json;
use support::{process::Proc, *};

#[tokio::test]
async fn two_processes_fan_out_through_postgres() {
    let Some(pg) = Backend::postgres("cross-process fan-out (needs Postgres)") else { return };
    if !node_ready("cross-process fan-out") {
        return;
    }
    let url = fresh_pg_schema(&pg).await;
    let env = [("LOCALFUL_DATABASE_URL", url.as_str()), ("LOCALFUL_ARGON2_MEMORY_KIB", "64"), ("LOCALFUL_ARGON2_ITERATIONS", "1")];
    let mut pa = Proc::spawn(&env).await;
    let mut pb = Proc::spawn(&env).await;
    let a = Ctx::remote(&pa.base, &Backend::Postgres(pg.clone()));
    let b = Ctx::remote(&pb.base, &Backend::Postgres(pg.clone()));

    // A user registered on A logs in on B: the token secret is shared through the database.
    let s1 = a.user().await;
    let (st, login) = b.post("/v1/auth/login", None, json!({"email": s1.email, "password": "correct-horse-battery"})).await;
    assert_eq!(st, 200);
    let s2 = TestUser { id: s1.id.clone(), email: s1.email.clone(), access: login["tokens"]["accessToken"].as_str().unwrap().into(), refresh: login["tokens"]["refreshToken"].as_str().unwrap().into() };
    assert_eq!(b.get(&format!("/v1/users/{}", s1.id), &s1.access).await.0, 200, "A's token on B");
    let vault = a.vault(&s1).await;

    // Socket of session 1 on A; socket of session 2 on B, with a ticket issued by A.
    let mut on_a = Sio::connected(&pa.base, &a.ticket(&s1).await).await;
    let mut on_b = Sio::connected(&pb.base, &a.ticket(&s2).await).await;
    for s in [&mut on_a, &mut on_b] {
        assert_eq!(s.emit("subscribe", json!({"vaults": [vault]})).await["ok"], true);
    }

    // A push through A reaches the socket on B, including a version too big to NOTIFY inline.
    let (item, small, big) = (new_id(), new_id(), new_id());
    let mut big_body = version_body(&big, &item);
    big_body["protectedData"] = json!("b".repeat(20_000));
    let ack = on_a.emit("push", json!({"items": [item_body(&item, &vault)], "versions": [version_body(&small, &item), big_body]})).await;
    assert_eq!(ack["versions"][1]["status"], "created", "{ack}");
    assert_eq!(on_b.event("item-create", 10).await.expect("item-create across processes")["item"]["id"], item.as_str());
    assert_eq!(on_b.event("version-create", 10).await.expect("small version")["version"]["id"], small.as_str());
    let e = on_b.event("version-create", 10).await.expect("big version across processes");
    assert_eq!(e["version"]["protectedData"].as_str().unwrap().len(), 20_000);
    // And an HTTP change through B (session 2) reaches the socket on A, not B's own.
    assert_eq!(b.req(Method::DELETE, &format!("/v1/versions/{small}"), Some(&s2.access), None).await.0, 200);
    assert_eq!(on_a.event("version-delete", 10).await.expect("version-delete across processes")["version"]["id"], small.as_str());
    // Neither heard its own session's change: an item a third session creates through B after
    // both is the first thing each socket has unread.
    let (_, s3) = a.post("/v1/auth/login", None, json!({"email": s1.email, "password": "correct-horse-battery"})).await;
    let s3 = TestUser { access: s3["tokens"]["accessToken"].as_str().unwrap().into(), ..s1.clone() };
    let marker = b.item(&s3, &vault).await;
    for (s, on) in [(&mut on_a, "A (pushing session)"), (&mut on_b, "B (deleting session)")] {
        let unread = s.before(|m| m["event"] == "item-create" && m["data"]["item"]["id"] == marker.as_str(), 10).await;
        assert!(unread.is_empty(), "echo to the session on {on}: {unread:?}");
    }

    // Session 1 connects again on B: its socket on A is replaced.
    let again = Sio::connected(&pb.base, &b.ticket(&s1).await).await;
    assert!(on_a.next(|m| m["type"] == "disconnect", 10).await.is_some(), "old socket on A not replaced");
    // Logging session 2 out through A drops its socket on B.
    assert_eq!(a.post("/v1/auth/logout", None, json!({"refreshToken": s2.refresh})).await.0, 200);
    assert!(on_b.next(|m| m["type"] == "disconnect", 10).await.is_some(), "logout on A did not drop the socket on B");

    again.close().await;
    on_a.close().await;
    on_b.close().await;
    let _ = pa.child.kill().await;
    let _ = pb.child.kill().await;
    drop_pg_schema(&pg, &url).await;
}

