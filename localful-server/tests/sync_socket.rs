//! The `/sync` socket.io namespace with the official Node `socket.io-client` over a real
//! WebSocket: tickets, Origin, one socket per session, subscribe, push, events without echo,
//! refresh-ticket, logout.
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use support::*;

/// Whether `m` is the server event `event` about the entity `id` (`data.id` or `data.<key>.id`).
fn is_event(m: &Value, event: &str, key: Option<&str>, id: &str) -> bool {
    let data = match key {
        Some(k) => &m["data"][k],
        None => &m["data"],
    };
    m["type"] == "event" && m["event"] == event && data["id"] == id
}

async fn second_session(ctx: &Ctx, u: &TestUser) -> TestUser {
    let (s, b) = ctx.post("/v1/auth/login", None, json!({"email": u.email, "password": "correct-horse-battery"})).await;
    assert_eq!(s, 200);
    TestUser {
        id: u.id.clone(),
        email: u.email.clone(),
        access: b["tokens"]["accessToken"].as_str().unwrap().into(),
        refresh: b["tokens"]["refreshToken"].as_str().unwrap().into(),
    }
}

async fn connect_error(ctx: &Ctx, auth: Value, origin: Option<&str>) -> String {
    let mut s = Sio::connect(&ctx.base, auth, origin).await;
    let m = s.next(|m| m["type"] == "connect" || m["type"] == "connect_error", 10).await.expect("an answer");
    assert_eq!(m["type"], "connect_error", "expected a refusal, got {m}");
    s.close().await;
    m["message"].as_str().unwrap().to_string()
}

fn statuses(ack: &Value, key: &str) -> Vec<String> {
    ack[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| if r["ok"] == true { r["status"].as_str().unwrap().to_string() } else { r["error"]["identifier"].as_str().unwrap().to_string() })
        .collect()
}

#[tokio::test]
async fn subscribe_push_and_events_without_echo() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let s1 = ctx.user().await;
        let s2 = second_session(&ctx, &s1).await;
        let vault = ctx.vault(&s1).await;
        let mut a = Sio::connected(&ctx.base, &ctx.ticket(&s1).await).await;
        let mut b2 = Sio::connected(&ctx.base, &ctx.ticket(&s2).await).await;
        for s in [&mut a, &mut b2] {
            let ack = s.emit("subscribe", json!({"vaults": [vault]})).await;
            assert_eq!(ack["ok"], true, "{ack}");
            assert_eq!(ack["vaults"], json!([vault]));
            assert_eq!(ack["latestSeq"][&vault], 0);
        }

        // A pushes a batch: an item and two versions; one bad version is reported on its own.
        let (item, v1, v2, bad) = (new_id(), new_id(), new_id(), new_id());
        let push = json!({
            "items": [item_body(&item, &vault)],
            "versions": [version_body(&v1, &item), version_body(&v2, &item), {"id": bad, "itemId": item, "schemaVersion": "one"}],
        });
        let ack = a.emit("push", push.clone()).await;
        assert_eq!(ack["ok"], true, "{ack}");
        assert_eq!(statuses(&ack, "items"), vec!["created"]);
        assert_eq!(statuses(&ack, "versions"), vec!["created", "created", "request-invalid"]);
        assert_eq!(ack["versions"][2]["id"], bad.as_str());

        // B (same user, other session) hears every change; A hears none of its own.
        let e = b2.event("item-create", 10).await.expect("item-create on B");
        assert_eq!((e["seq"].clone(), e["item"]["id"].clone()), (json!(1), json!(item)));
        let e = b2.event("version-create", 10).await.expect("version-create on B");
        assert_eq!(e["version"]["id"], v1.as_str());
        assert_eq!(e["version"]["protectedData"], "v1:aXY=:ZGF0YQ==");
        assert_eq!(b2.event("version-create", 10).await.expect("second version")["version"]["id"], v2.as_str());

        // Re-sending the batch is idempotent: same ids acked as existing, no new events or seqs.
        let ack = a.emit("push", push).await;
        assert_eq!(statuses(&ack, "items"), vec!["exists"]);
        assert_eq!(statuses(&ack, "versions"), vec!["exists", "exists", "request-invalid"]);
        let (_, changes) = ctx.get(&format!("/v1/vaults/{vault}/changes"), &s1.access).await;
        assert_eq!(changes["meta"]["latestSeq"], 3);

        // A change over HTTP by session 2 reaches A and not B.
        let (s, _) = ctx.req(Method::DELETE, &format!("/v1/versions/{v1}"), Some(&s2.access), None).await;
        assert_eq!(s, 200);
        let e = a.event("version-delete", 10).await.expect("version-delete on A");
        assert_eq!((e["seq"].clone(), e["version"]["id"].clone()), (json!(4), json!(v1)));
        // A tombstone pushed by A.
        let mut tomb = item_body(&item, &vault);
        tomb["deletedAt"] = json!("2026-02-02T00:00:00.000Z");
        let ack = a.emit("push", json!({"items": [tomb]})).await;
        assert_eq!(statuses(&ack, "items"), vec!["exists"]);
        let e = b2.event("item-delete", 10).await.expect("item-delete on B");
        assert_eq!(e["item"]["deletedAt"], "2026-02-02T00:00:00.000Z");
        // Vault events go to the user's other sessions.
        ctx.req(Method::PATCH, &format!("/v1/vaults/{vault}"), Some(&s1.access), Some(json!({"name": "renamed"}))).await;
        assert_eq!(b2.event("vault-update", 10).await.expect("vault-update on B")["name"], "renamed");

        // Nothing was echoed to A, nothing of session 2's own change to B: an item a third
        // session creates after all that is the first thing either has unread.
        let s3 = second_session(&ctx, &s1).await;
        let marker = ctx.item(&s3, &vault).await;
        let unread = a.before(|m| is_event(m, "item-create", Some("item"), &marker), 10).await;
        assert!(unread.is_empty(), "echoed to A: {unread:?}");
        let unread = b2.before(|m| is_event(m, "item-create", Some("item"), &marker), 10).await;
        assert!(unread.is_empty(), "echoed to B: {unread:?}");

        // Bad pushes and subscribes are answered, not dropped.
        let ack = a.emit("push", json!({"items": "nope"})).await;
        assert_eq!((ack["ok"].clone(), ack["error"]["identifier"].clone()), (json!(false), json!("request-invalid")));
        let ack = a.emit("push", json!([1, 2])).await;
        assert_eq!(ack["error"]["identifier"], "request-invalid");
        let ack = a.emit("subscribe", json!({"vaults": ["not-a-uuid"]})).await;
        assert_eq!(ack["error"]["identifier"], "request-invalid");
        a.close().await;
        b2.close().await;
        ctx.stop().await;
    }
}

#[tokio::test]
async fn another_users_vault_cannot_be_subscribed_or_pushed_to() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let alice = ctx.user().await;
        let eve = ctx.user().await;
        let vault = ctx.vault(&alice).await;
        let item = ctx.item(&alice, &vault).await;
        let mut e = Sio::connected(&ctx.base, &ctx.ticket(&eve).await).await;
        let ack = e.emit("subscribe", json!({"vaults": [vault]})).await;
        assert_eq!(ack["vaults"], json!([]));
        assert_eq!(ack["rejected"][0]["error"]["identifier"], "vault-not-found");
        let ack = e.emit("push", json!({"items": [item_body(&new_id(), &vault)], "versions": [version_body(&new_id(), &item)]})).await;
        assert_eq!(statuses(&ack, "items"), vec!["vault-not-found"]);
        assert_eq!(statuses(&ack, "versions"), vec!["resource-relationship-invalid"]);
        // Alice's new item is not heard by eve: a vault eve creates after it from another
        // session is the first thing eve's socket has unread.
        ctx.item(&alice, &vault).await;
        let marker = ctx.vault(&second_session(&ctx, &eve).await).await;
        let unread = e.before(|m| is_event(m, "vault-create", None, &marker), 10).await;
        assert!(unread.is_empty(), "eve heard alice's vault: {unread:?}");
        e.close().await;
        ctx.stop().await;
    }
}

#[tokio::test]
async fn tickets_are_single_use_expire_and_need_an_allowed_origin() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let t = ctx.ticket(&u).await;
        let s = Sio::connected(&ctx.base, &t).await;
        assert_eq!(connect_error(&ctx, json!({"ticket": t}), Some("http://allowed.test")).await, "auth-token-invalid", "reused ticket");
        s.close().await;
        // Of two tickets taken at once, one still opens a socket a millisecond before their
        // lifetime ends on the server's clock; the other is refused when it has ended.
        let lifetime = Duration::from_secs(ctx.config.ticket_ttl_secs);
        let (t1, t2) = (ctx.ticket(&u).await, ctx.ticket(&u).await);
        ctx.clock.advance(lifetime - Duration::from_millis(1));
        Sio::connected(&ctx.base, &t1).await.close().await;
        ctx.clock.advance(Duration::from_millis(1));
        assert_eq!(connect_error(&ctx, json!({"ticket": t2}), Some("http://allowed.test")).await, "auth-token-invalid", "expired ticket");
        assert_eq!(connect_error(&ctx, json!({"ticket": "forged"}), Some("http://allowed.test")).await, "auth-token-invalid");
        assert_eq!(connect_error(&ctx, json!({}), Some("http://allowed.test")).await, "access-unauthorized");
        assert_eq!(connect_error(&ctx, json!({"ticket": 5}), Some("http://allowed.test")).await, "access-unauthorized");
        // Origin: a foreign one and none at all are refused, even with a good ticket, which stays unused.
        let t = ctx.ticket(&u).await;
        assert_eq!(connect_error(&ctx, json!({"ticket": t}), Some("http://evil.test")).await, "access-forbidden");
        assert_eq!(connect_error(&ctx, json!({"ticket": t}), None).await, "access-forbidden");
        ctx.stop().await;
    }
}

#[tokio::test]
async fn one_socket_per_session_and_logout_disconnects() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let mut first = Sio::connected(&ctx.base, &ctx.ticket(&u).await).await;
        let mut second = Sio::connected(&ctx.base, &ctx.ticket(&u).await).await;
        let d = first.next(|m| m["type"] == "disconnect", 10).await.expect("first socket replaced");
        assert_eq!(d["reason"], "io server disconnect");
        // The second socket stays: it answers after the first one was dropped (the same
        // delivery decided both), with nothing unread before the answer.
        assert_eq!(second.emit("subscribe", json!({"vaults": []})).await["ok"], true, "second socket answers");
        let unread = second.unread();
        assert!(unread.is_empty(), "second socket must stay: {unread:?}");
        // A ticket taken before logout is useless after it; logout drops the live socket.
        let spare = ctx.ticket(&u).await;
        assert_eq!(ctx.post("/v1/auth/logout", None, json!({"refreshToken": u.refresh})).await.0, 200);
        assert!(second.next(|m| m["type"] == "disconnect", 10).await.is_some(), "logout must disconnect");
        assert_eq!(connect_error(&ctx, json!({"ticket": spare}), Some("http://allowed.test")).await, "auth-token-invalid");
        first.close().await;
        second.close().await;
        ctx.stop().await;
    }
}

#[tokio::test]
async fn refresh_ticket_must_be_answered() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let interval = Duration::from_secs(ctx.config.ticket_refresh_interval_secs);
        let window = Duration::from_secs(ctx.config.ticket_ttl_secs);
        assert!(window < interval, "the test relies on the answer window ending before the next request");
        let u = ctx.user().await;
        let other = second_session(&ctx, &u).await;
        let mut s = Sio::connected(&ctx.base, &ctx.ticket(&u).await).await;
        // An interval after connecting (on the server's clock) the socket is asked for a ticket.
        ctx.clock.advance(interval);
        let asked = s.event("refresh-ticket", 10).await.expect("refresh-ticket");
        assert_eq!(asked["deadlineSeconds"], ctx.config.ticket_ttl_secs);
        let wrong = s.emit("ticket", json!({"ticket": ctx.ticket(&other).await})).await;
        assert_eq!(wrong["error"]["identifier"], "auth-token-invalid", "another session's ticket");
        let ok = s.emit("ticket", json!({"ticket": ctx.ticket(&u).await})).await;
        assert_eq!(ok["ok"], true, "{ok}");
        // Answered: an interval later (past the answer window) comes the next request, and no
        // disconnect before it.
        ctx.clock.advance(interval);
        let unread = s.before(|m| m["type"] == "event" && m["event"] == "refresh-ticket", 10).await;
        assert!(unread.is_empty(), "disconnected despite answer: {unread:?}");
        // Not answered: disconnected when the window ends.
        ctx.clock.advance(window);
        let d = s.next(|m| m["type"] == "disconnect", 10).await.expect("not disconnected without answer");
        assert_eq!(d["reason"], "io server disconnect");
        s.close().await;
        ctx.stop().await;
    }
}

/// Wrong values for a push field: every JSON type that is not the field's, plus bad strings.
fn bad_values(kind: &str, nullable: bool) -> Vec<Value> {
    let mut v = vec![json!(1), json!(1.5), json!(true), json!({}), json!([]), json!(["x"])];
    if !nullable {
        v.push(Value::Null);
    }
    match kind {
        "id" => v.extend([json!(""), json!("not-a-uuid"), json!("a".repeat(5000))]),
        "text100" => v.extend([json!(""), json!("  "), json!("x".repeat(101))]),
        "text255" => v.extend([json!(""), json!("x".repeat(256))]),
        "time" => v.extend([json!(""), json!("not-a-time"), json!("2026-13-01T00:00:00Z")]),
        "u32" => {
            v.retain(|x| x != &json!(1));
            v.extend([json!("1"), json!(-1), json!(4_294_967_296_i64)]);
        }
        "data" => v.push(json!("")),
        _ => {}
    }
    v.extend(unstorable_values(kind));
    v
}

/// Values of a push field that Postgres could not store (a NUL character), each otherwise valid.
fn unstorable_values(kind: &str) -> Vec<Value> {
    let valid = match kind {
        "id" => new_id(),
        "time" => T0.to_string(),
        "u32" => return Vec::new(),
        _ => "laptop".to_string(),
    };
    vec![json!(format!("{valid}\u{0}")), json!(format!("\u{0}{valid}")), json!(format!("a\u{0}{valid}"))]
}

#[tokio::test]
async fn push_entries_are_validated_field_by_field() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let vault = ctx.vault(&u).await;
        let item = ctx.item(&u, &vault).await;
        let mut s = Sio::connected(&ctx.base, &ctx.ticket(&u).await).await;
        let item_fields = [("id", "id", false, true), ("vaultId", "id", false, true), ("type", "text100", false, true), ("createdAt", "time", false, true), ("deletedAt", "time", true, false)];
        let version_fields = [
            ("id", "id", false, true),
            ("itemId", "id", false, true),
            ("protectedData", "data", true, true),
            ("deviceName", "text255", false, true),
            ("schemaVersion", "u32", false, true),
            ("createdAt", "time", false, true),
            ("deletedAt", "time", true, false),
        ];
        let (mut items, mut versions) = (Vec::new(), Vec::new());
        // The field each entry's error must name in `context.path`, for entries with a wrong value,
        // and whether the value holds a NUL.
        let (mut item_paths, mut version_paths) = (Vec::new(), Vec::new());
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        for (name, kind, nullable, required) in item_fields {
            for bad in bad_values(kind, nullable) {
                let nul = bad.as_str().is_some_and(|s| s.contains('\u{0}'));
                let mut e = item_body(&new_id(), &vault);
                e[name] = bad;
                items.push(e);
                item_paths.push(Some((name, nul)));
                *counts.entry(if nul { "unstorable (NUL)" } else { "wrong type/value" }).or_default() += 1;
            }
            if required {
                let mut e = item_body(&new_id(), &vault);
                e.as_object_mut().unwrap().remove(name);
                items.push(e);
                item_paths.push(None);
                *counts.entry("missing field").or_default() += 1;
            }
        }
        for (name, kind, nullable, required) in version_fields {
            for bad in bad_values(kind, nullable) {
                let nul = bad.as_str().is_some_and(|s| s.contains('\u{0}'));
                let mut e = version_body(&new_id(), &item);
                e[name] = bad;
                versions.push(e);
                version_paths.push(Some((name, nul)));
                *counts.entry(if nul { "unstorable (NUL)" } else { "wrong type/value" }).or_default() += 1;
            }
            if required {
                let mut e = version_body(&new_id(), &item);
                e.as_object_mut().unwrap().remove(name);
                versions.push(e);
                version_paths.push(None);
                *counts.entry("missing field").or_default() += 1;
            }
        }
        for forbidden in ["ownerId", "updatedAt", "currentVersionId", "unknown"] {
            let mut e = item_body(&new_id(), &vault);
            e[forbidden] = json!("x");
            items.push(e);
            let mut e = version_body(&new_id(), &item);
            e[forbidden] = json!("x");
            versions.push(e);
            *counts.entry("forbidden field").or_default() += 2;
        }
        let mut e = version_body(&new_id(), &item);
        e["vaultId"] = json!(vault);
        versions.push(e);
        *counts.entry("forbidden field").or_default() += 1;
        for raw in [json!(1), json!("x"), json!(null), json!([])] {
            items.push(raw.clone());
            versions.push(raw);
            *counts.entry("non-object entry").or_default() += 2;
        }
        item_paths.resize(items.len(), None);
        version_paths.resize(versions.len(), None);
        let mut db = ctx.db().await;
        let before = db_state(&mut db).await;
        let ack = s.emit("push", json!({"items": items, "versions": versions})).await;
        assert_eq!(ack["ok"], true, "{ack}");
        for (key, paths) in [("items", &item_paths), ("versions", &version_paths)] {
            let results = ack[key].as_array().unwrap();
            assert_eq!(results.len(), paths.len());
            for (r, path) in results.iter().zip(paths) {
                assert_eq!(r["ok"], false, "{key} entry accepted: {r}");
                assert_eq!(r["error"]["identifier"], "request-invalid", "{key} entry: {r}");
                assert_eq!(r["error"]["statusCode"], 400);
                if let Some((path, nul)) = path {
                    assert_eq!(r["error"]["context"]["path"], *path, "{key} entry: {r}");
                    let error = r["error"]["context"]["error"].as_str().unwrap_or_default();
                    let typed = ["id", "vaultId", "itemId", "createdAt", "deletedAt"].contains(path);
                    if *nul && !typed {
                        assert!(error.contains("U+0000"), "{key} entry refused for another reason: {r}");
                    }
                }
            }
        }
        // Nothing was written: no row anywhere, and the log still holds only the seed item.
        assert_eq!(db_state(&mut db).await, before, "a refused push entry wrote to the database");
        let (_, changes) = ctx.get(&format!("/v1/vaults/{vault}/changes"), &u.access).await;
        assert_eq!(changes["meta"]["latestSeq"], 1);
        // The socket and the server still serve a valid push.
        let (new_item, new_version) = (new_id(), new_id());
        let valid = json!({"items": [item_body(&new_item, &vault)], "versions": [version_body(&new_version, &new_item)]});
        let ack = s.emit("push", valid).await;
        let created = vec!["created".to_string()];
        assert_eq!((statuses(&ack, "items"), statuses(&ack, "versions")), (created.clone(), created), "{ack}");
        eprintln!("[{}] push validation cases: {counts:?}", ctx.label());
        s.close().await;
        ctx.stop().await;
    }
}

#[tokio::test]
async fn a_deleted_vaults_id_reused_by_another_user_is_not_heard() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let alice = ctx.user().await;
        let alice2 = second_session(&ctx, &alice).await;
        let eve = ctx.user().await;
        let vault = ctx.vault(&alice).await;
        let mut s = Sio::connected(&ctx.base, &ctx.ticket(&alice).await).await;
        assert_eq!(s.emit("subscribe", json!({"vaults": [vault]})).await["vaults"], json!([vault]));
        assert_eq!(ctx.req(Method::DELETE, &format!("/v1/vaults/{vault}"), Some(&alice2.access), None).await.0, 200);
        assert_eq!(s.event("vault-delete", 10).await.expect("vault-delete")["id"], vault.as_str());
        assert_eq!(ctx.post("/v1/vaults", Some(&eve.access), vault_body(&vault)).await.0, 201);
        ctx.item(&eve, &vault).await;
        // A vault alice's other session creates afterwards is the first thing her socket has unread.
        let marker = ctx.vault(&alice2).await;
        let unread = s.before(|m| is_event(m, "vault-create", None, &marker), 10).await;
        assert!(unread.is_empty(), "alice heard eve's vault: {unread:?}");
        s.close().await;
        ctx.stop().await;
    }
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let other = second_session(&ctx, &u).await;
        let mut s = Sio::connected(&ctx.base, &ctx.ticket(&other).await).await;
        let (st, _) = ctx.req(Method::PATCH, &format!("/v1/users/{}", u.id), Some(&u.access), Some(json!({"password": "brand-new-password"}))).await;
        assert_eq!(st, 200);
        assert!(s.next(|m| m["type"] == "disconnect", 10).await.is_some(), "other session's socket kept");
        assert_err(&ctx.get(&format!("/v1/users/{}", u.id), &other.access).await, 401, "auth-token-invalid", "other session after password change");
        assert_eq!(ctx.get(&format!("/v1/users/{}", u.id), &u.access).await.0, 200, "the changing session stays");
        s.close().await;
        ctx.stop().await;
    }
}

/// A push's entries share transactions (one commit per chunk), each in a savepoint: an entry that
/// fails after writing (the vault's byte limit, checked once its seq is taken) leaves no trace,
/// the entries around it are stored, the log's seqs stay gapless, and only stored changes are
/// published. A batch larger than one transaction's chunk is written whole.
#[tokio::test]
async fn a_failed_entry_leaves_no_trace_in_a_batched_push() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |c| c.max_vault_bytes = 250).await;
        let s1 = ctx.user().await;
        let s2 = second_session(&ctx, &s1).await;
        let vault = ctx.vault(&s1).await;
        let mut a = Sio::connected(&ctx.base, &ctx.ticket(&s1).await).await;
        let mut listener = Sio::connected(&ctx.base, &ctx.ticket(&s2).await).await;
        assert_eq!(listener.emit("subscribe", json!({"vaults": [vault]})).await["ok"], true);

        let item = new_id();
        let sized = |id: &str, bytes: usize| {
            let mut v = version_body(id, &item);
            v["protectedData"] = json!("d".repeat(bytes));
            v
        };
        let (v1, over, v3) = (new_id(), new_id(), new_id());
        let push = json!({
            "items": [item_body(&item, &vault)],
            "versions": [sized(&v1, 100), sized(&over, 200), sized(&v3, 100)],
        });
        let ack = a.emit("push", push).await;
        assert_eq!(statuses(&ack, "items"), vec!["created"], "{ack}");
        assert_eq!(statuses(&ack, "versions"), vec!["created", "limit-exceeded", "created"], "{ack}");
        assert_eq!(ctx.get(&format!("/v1/versions/{over}"), &s1.access).await.0, 404);
        let (_, changes) = ctx.get(&format!("/v1/vaults/{vault}/changes"), &s1.access).await;
        let seqs: Vec<i64> = changes["results"].as_array().unwrap().iter().map(|c| c["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, vec![1, 2, 3], "gapless log: {changes}");
        assert_eq!(changes["results"][2]["version"]["id"], v3.as_str());
        assert_eq!(listener.event("item-create", 10).await.expect("item-create")["seq"], 1);
        for (seq, id) in [(2, &v1), (3, &v3)] {
            let e = listener.event("version-create", 10).await.expect("version-create");
            assert_eq!((e["seq"].as_i64(), e["version"]["id"].as_str()), (Some(seq), Some(id.as_str())));
        }
        // The vault renamed afterwards is the first thing the listener has unread.
        let (st, _) = ctx.req(Method::PATCH, &format!("/v1/vaults/{vault}"), Some(&s1.access), Some(json!({"name": "marker"}))).await;
        assert_eq!(st, 200);
        let unread = listener.before(|m| is_event(m, "vault-update", None, &vault), 10).await;
        assert!(unread.is_empty(), "the refused version was published: {unread:?}");

        // 250 entries (three transactions) in one push, against a second vault without the limit's
        // pressure: every one stored, in order.
        let ctx2 = Ctx::start(&b, |_| {}).await;
        let u = ctx2.user().await;
        let vault2 = ctx2.vault(&u).await;
        let item2 = ctx2.item(&u, &vault2).await;
        let mut s = Sio::connected(&ctx2.base, &ctx2.ticket(&u).await).await;
        let versions: Vec<Value> = (0..250).map(|_| version_body(&new_id(), &item2)).collect();
        let ack = s.emit("push", json!({"versions": versions})).await;
        assert_eq!(statuses(&ack, "versions"), vec!["created"; 250], "{ack}");
        let (_, changes) = ctx2.get(&format!("/v1/vaults/{vault2}/changes?limit=1000"), &u.access).await;
        assert_eq!(changes["meta"]["latestSeq"], 251);
        let listed: Vec<&str> = changes["results"].as_array().unwrap()[1..].iter().map(|c| c["version"]["id"].as_str().unwrap()).collect();
        let pushed: Vec<&str> = versions.iter().map(|v| v["id"].as_str().unwrap()).collect();
        assert_eq!(listed, pushed);
        eprintln!("[{}] batched push: a refused entry between two stored ones; 250 entries in one push", ctx.label());
        s.close().await;
        ctx2.stop().await;
        a.close().await;
        listener.close().await;
        ctx.stop().await;
    }
}

/// The next `n` server events on `s`, in arrival order: `(event, seq, entity id)`.
async fn next_events(s: &mut Sio, n: usize) -> Vec<(String, i64, String)> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let m = s.next(|m| m["type"] == "event", 10).await.unwrap_or_else(|| panic!("event {} of {n} not received; got {out:?}", out.len() + 1));
        let d = &m["data"];
        let id = d["item"]["id"].as_str().or_else(|| d["version"]["id"].as_str()).unwrap_or_default();
        out.push((m["event"].as_str().unwrap().to_string(), d["seq"].as_i64().unwrap(), id.to_string()));
    }
    out
}

/// The vault's log as `(event, seq, entity id)`, in seq order, and its stored byte usage.
async fn log_of(ctx: &Ctx, u: &TestUser, vault: &str) -> (Vec<(String, i64, String)>, i64) {
    let (st, changes) = ctx.get(&format!("/v1/vaults/{vault}/changes?limit=1000"), &u.access).await;
    assert_eq!(st, 200, "{changes}");
    let log = changes["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let id = c["item"]["id"].as_str().or_else(|| c["version"]["id"].as_str()).unwrap_or_default();
            (c["event"].as_str().unwrap().to_string(), c["seq"].as_i64().unwrap(), id.to_string())
        })
        .collect();
    use sqlx::Row;
    let mut db = ctx.db().await;
    let used: i64 = sqlx::query("SELECT used_bytes FROM vaults WHERE id = $1").bind(vault).fetch_one(&mut db).await.unwrap().get(0);
    (log, used)
}

fn ev(event: &str, seq: i64, id: &str) -> (String, i64, String) {
    (event.to_string(), seq, id.to_string())
}

/// A push's chunk is checked and written as a batch, yet each entry's outcome is the one it would
/// have alone, in order: refused entries (another user's vault or item, an id taken elsewhere, too
/// big, no data) are left out while the others are stored; an id repeated in the push is
/// `exists` the second time; a version of an item created deleted in the same push is stored
/// deleted. A second push mixes new entries with a tombstone and deletions of stored rows (written
/// by the per-entry path between two batched runs): the log and the events keep the entries'
/// order, with gapless seqs, and the vault's byte usage follows.
#[tokio::test]
async fn a_batched_push_decides_each_entry_as_alone_and_in_order() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |c| c.max_version_bytes = 100).await;
        let u = ctx.user().await;
        let listening = second_session(&ctx, &u).await;
        let vault = ctx.vault(&u).await;
        let (stored_item, stored_version) = {
            let i = ctx.item(&u, &vault).await;
            let v = ctx.version(&u, &i).await;
            (i, v)
        };
        let other = ctx.user().await;
        let (other_vault, other_item) = {
            let v = ctx.vault(&other).await;
            let i = ctx.item(&other, &v).await;
            (v, i)
        };
        let mut s = Sio::connected(&ctx.base, &ctx.ticket(&u).await).await;
        let mut listener = Sio::connected(&ctx.base, &ctx.ticket(&listening).await).await;
        assert_eq!(listener.emit("subscribe", json!({"vaults": [vault]})).await["ok"], true);

        let (a, x, t) = (new_id(), new_id(), new_id());
        let (v1, big, nodata, v2, v3) = (new_id(), new_id(), new_id(), new_id(), new_id());
        let mut deleted_item = item_body(&t, &vault);
        deleted_item["deletedAt"] = json!(T0);
        let mut too_big = version_body(&big, &a);
        too_big["protectedData"] = json!("d".repeat(101));
        let mut without_data = version_body(&nodata, &a);
        without_data["protectedData"] = Value::Null;
        let push = json!({
            "items": [
                item_body(&a, &vault),
                item_body(&x, &other_vault),
                item_body(&other_item, &vault),
                item_body(&a, &vault),
                item_body(&stored_item, &vault),
                deleted_item,
            ],
            "versions": [
                version_body(&v1, &a),
                version_body(&v1, &a),
                version_body(&v1, &stored_item),
                too_big,
                version_body(&new_id(), &other_item),
                version_body(&new_id(), &x),
                without_data,
                version_body(&stored_version, &stored_item),
                version_body(&v2, &t),
                version_body(&v3, &stored_item),
            ],
        });
        let ack = s.emit("push", push).await;
        assert_eq!(ack["ok"], true, "{ack}");
        assert_eq!(
            statuses(&ack, "items"),
            ["created", "vault-not-found", "resource-not-unique", "exists", "exists", "created"],
            "{ack}"
        );
        assert_eq!(
            statuses(&ack, "versions"),
            [
                "created",
                "exists",
                "resource-not-unique",
                "limit-exceeded",
                "resource-relationship-invalid",
                "resource-relationship-invalid",
                "request-invalid",
                "exists",
                "created",
                "created"
            ],
            "{ack}"
        );
        let expected = vec![
            ev("item-create", 1, &stored_item),
            ev("version-create", 2, &stored_version),
            ev("item-create", 3, &a),
            ev("item-create", 4, &t),
            ev("version-create", 5, &v1),
            ev("version-delete", 6, &v2),
            ev("version-create", 7, &v3),
        ];
        let data = "v1:aXY=:ZGF0YQ==".len() as i64;
        assert_eq!(log_of(&ctx, &u, &vault).await, (expected.clone(), 3 * data));
        assert_eq!(next_events(&mut listener, 5).await, expected[2..]);
        let (_, v2_now) = ctx.get(&format!("/v1/versions/{v2}"), &u.access).await;
        assert_eq!((v2_now["deletedAt"].clone(), v2_now["protectedData"].clone()), (json!(T0), Value::Null), "{v2_now}");
        for refused in [&big, &nodata] {
            assert_eq!(ctx.get(&format!("/v1/versions/{refused}"), &u.access).await.0, 404);
        }
        assert_eq!(ctx.get(&format!("/v1/items/{x}"), &other.access).await.0, 404);

        // New entries around a tombstone and deletions of stored versions.
        let (v4, v5) = (new_id(), new_id());
        let mut tomb = item_body(&a, &vault);
        tomb["deletedAt"] = json!("2026-02-02T00:00:00.000Z");
        let mut delete_v3 = version_body(&v3, &stored_item);
        delete_v3["deletedAt"] = json!("2026-02-03T00:00:00.000Z");
        let push = json!({
            "items": [tomb],
            "versions": [version_body(&v4, &a), delete_v3.clone(), delete_v3, version_body(&v5, &stored_item)],
        });
        let ack = s.emit("push", push).await;
        assert_eq!(statuses(&ack, "items"), ["exists"], "{ack}");
        assert_eq!(statuses(&ack, "versions"), ["created", "exists", "exists", "created"], "{ack}");
        let more = vec![ev("item-delete", 8, &a), ev("version-delete", 9, &v4), ev("version-delete", 10, &v3), ev("version-create", 11, &v5)];
        let (log, used) = log_of(&ctx, &u, &vault).await;
        assert_eq!(log[7..], more);
        // Left: the stored version and v5 (v1 went with its item, v3 was deleted).
        assert_eq!(used, 2 * data);
        assert_eq!(next_events(&mut listener, 4).await, more);
        let (_, v1_now) = ctx.get(&format!("/v1/versions/{v1}"), &u.access).await;
        assert_eq!(v1_now["protectedData"], Value::Null, "{v1_now}");
        eprintln!("[{}] batched push: refused, repeated and per-entry entries in order", ctx.label());
        s.close().await;
        listener.close().await;
        ctx.stop().await;
    }
}

/// One push names items of two vaults, interleaved: each vault's log takes its own entries in
/// push order with seqs from 1, and each vault's subscribers hear only theirs, in that order.
#[tokio::test]
async fn a_batched_push_spans_two_vaults() {
    if !node_ready("socket.io tests") {
        return;
    }
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let listening = second_session(&ctx, &u).await;
        let (va, vb) = (ctx.vault(&u).await, ctx.vault(&u).await);
        let mut s = Sio::connected(&ctx.base, &ctx.ticket(&u).await).await;
        let mut listener = Sio::connected(&ctx.base, &ctx.ticket(&listening).await).await;
        assert_eq!(listener.emit("subscribe", json!({"vaults": [vb]})).await["ok"], true);
        let (ia, ib) = (new_id(), new_id());
        let versions: Vec<(String, &String)> = (0..6).map(|i| (new_id(), if i % 2 == 0 { &ia } else { &ib })).collect();
        let push = json!({
            "items": [item_body(&ib, &vb), item_body(&ia, &va)],
            "versions": versions.iter().map(|(id, item)| version_body(id, item)).collect::<Vec<_>>(),
        });
        let ack = s.emit("push", push).await;
        assert_eq!((statuses(&ack, "items"), statuses(&ack, "versions")), (vec!["created".to_string(); 2], vec!["created".to_string(); 6]), "{ack}");
        let data = "v1:aXY=:ZGF0YQ==".len() as i64;
        for (vault, item) in [(&va, &ia), (&vb, &ib)] {
            let mut expected = vec![ev("item-create", 1, item)];
            expected.extend(versions.iter().filter(|(_, i)| *i == item).enumerate().map(|(n, (id, _))| ev("version-create", n as i64 + 2, id)));
            assert_eq!(log_of(&ctx, &u, vault).await, (expected.clone(), 3 * data), "vault {vault}");
            if vault == &vb {
                assert_eq!(next_events(&mut listener, 4).await, expected);
            }
        }
        // The other vault's changes were not heard: a rename of vault B is the next thing.
        let (st, _) = ctx.req(Method::PATCH, &format!("/v1/vaults/{vb}"), Some(&u.access), Some(json!({"name": "marker"}))).await;
        assert_eq!(st, 200);
        let unread = listener.before(|m| is_event(m, "vault-update", None, &vb), 10).await;
        assert!(unread.is_empty(), "vault A's changes reached B's subscriber: {unread:?}");
        eprintln!("[{}] batched push over two vaults", ctx.label());
        s.close().await;
        listener.close().await;
        ctx.stop().await;
    }
}
