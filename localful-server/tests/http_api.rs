//! The HTTP API end to end over real HTTP: flows that succeed, on every backend.
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::Method;
use serde_json::json;
use support::*;

#[tokio::test]
async fn health_info_and_unknown_route() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let (s, health) = ctx.req(Method::GET, "/v1/server/health", None, None).await;
        assert_eq!((s, health["status"].clone()), (200, json!("ok")));
        let (_, info) = ctx.req(Method::GET, "/v1/server/info", None, None).await;
        assert_eq!(info["registrationEnabled"], true);
        assert_eq!(info["limits"]["vaultsPerUser"], 50);
        assert_eq!(info["limits"]["versionBytes"], 64 * 1024);
        assert_eq!(info["limits"]["vaultBytes"], 10 * 1024 * 1024);
        assert_err(&ctx.req(Method::GET, "/v1/nope", None, None).await, 404, "not-found", "unknown route");
        ctx.stop().await;
    }
}

#[tokio::test]
async fn register_login_refresh_logout() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let email = format!("Alice-{}@Example.test", new_id());
        let (s, reg) = ctx.post("/v1/users", None, json!({"email": email, "displayName": "Alice", "password": "0123456789abcdef"})).await;
        assert_eq!(s, 201, "{reg}");
        let user = &reg["user"];
        for key in ["id", "email", "displayName", "verifiedAt", "firstVerifiedAt", "role", "createdAt", "updatedAt"] {
            assert!(user.get(key).is_some(), "user.{key} in {user}");
        }
        assert!(user.get("password").is_none() && user.get("passwordHash").is_none());
        assert_eq!(user["role"], "user");
        // Login is case-insensitive on the email.
        let (s, login) = ctx.post("/v1/auth/login", None, json!({"email": email.to_lowercase(), "password": "0123456789abcdef"})).await;
        assert_eq!(s, 200, "{login}");
        assert_eq!(login["user"]["id"], user["id"]);
        assert_err(
            &ctx.post("/v1/auth/login", None, json!({"email": email, "password": "wrong-password"})).await,
            401,
            "auth-credentials-invalid",
            "wrong password",
        );
        assert_err(
            &ctx.post("/v1/auth/login", None, json!({"email": "nobody@example.test", "password": "whatever1"})).await,
            401,
            "auth-credentials-invalid",
            "unknown email",
        );
        // Refresh rotates; the new access token works.
        let r1 = login["tokens"]["refreshToken"].as_str().unwrap().to_string();
        let (s, rot) = ctx.post("/v1/auth/refresh", None, json!({"refreshToken": r1})).await;
        assert_eq!(s, 200, "{rot}");
        let a2 = rot["tokens"]["accessToken"].as_str().unwrap().to_string();
        let r2 = rot["tokens"]["refreshToken"].as_str().unwrap().to_string();
        assert_ne!(r1, r2);
        let id = user["id"].as_str().unwrap();
        assert_eq!(ctx.get(&format!("/v1/users/{id}"), &a2).await.0, 200);
        // Logout revokes the session: its tokens stop working.
        let (s, _) = ctx.post("/v1/auth/logout", None, json!({"refreshToken": r2})).await;
        assert_eq!(s, 200);
        assert_err(&ctx.get(&format!("/v1/users/{id}"), &a2).await, 401, "auth-token-invalid", "access after logout");
        assert_err(&ctx.post("/v1/auth/refresh", None, json!({"refreshToken": r2})).await, 401, "auth-token-invalid", "refresh after logout");
        // The registration session is independent and still works.
        let a0 = reg["tokens"]["accessToken"].as_str().unwrap();
        assert_eq!(ctx.get(&format!("/v1/users/{id}"), a0).await.0, 200);
        ctx.stop().await;
    }
}

#[tokio::test]
async fn user_patch_and_delete() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let (s, p) = ctx.req(Method::PATCH, &format!("/v1/users/{}", u.id), Some(&u.access), Some(json!({"displayName": "New"}))).await;
        assert_eq!((s, p["displayName"].clone()), (200, json!("New")));
        let (s, _) = ctx.req(Method::PATCH, &format!("/v1/users/{}", u.id), Some(&u.access), Some(json!({"password": "another-password"}))).await;
        assert_eq!(s, 200);
        assert_eq!(ctx.post("/v1/auth/login", None, json!({"email": u.email, "password": "another-password"})).await.0, 200);
        let v = ctx.vault(&u).await;
        let (s, _) = ctx.req(Method::DELETE, &format!("/v1/users/{}", u.id), Some(&u.access), None).await;
        assert_eq!(s, 200);
        assert_err(&ctx.post("/v1/auth/login", None, json!({"email": u.email, "password": "another-password"})).await, 401, "auth-credentials-invalid", "deleted user");
        assert_err(&ctx.get(&format!("/v1/vaults/{v}"), &u.access).await, 401, "auth-token-invalid", "deleted user's token");
        ctx.stop().await;
    }
}

#[tokio::test]
async fn vaults_items_versions_crud() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let vid = new_id();
        let (s, v) = ctx.post("/v1/vaults", Some(&u.access), vault_body(&vid)).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["id"], vid.as_str());
        assert_eq!(v["ownerId"], u.id.as_str());
        assert_eq!(v["createdAt"], T0);
        assert_eq!(v["deletedAt"], serde_json::Value::Null);
        let (_, list) = ctx.get("/v1/vaults", &u.access).await;
        assert_eq!(list["meta"]["total"], 1);
        assert_eq!(list["meta"]["results"], 1);
        assert_eq!(list["results"][0]["id"], vid.as_str());
        let (s, p) = ctx.req(Method::PATCH, &format!("/v1/vaults/{vid}"), Some(&u.access), Some(json!({"name": "renamed", "protectedData": null}))).await;
        assert_eq!(s, 200, "{p}");
        assert_eq!(p["name"], "renamed");
        assert_eq!(p["protectedData"], serde_json::Value::Null);

        let iid = new_id();
        let (s, item) = ctx.post("/v1/items", Some(&u.access), item_body(&iid, &vid)).await;
        assert_eq!(s, 201, "{item}");
        assert_eq!(item, json!({"id": iid, "vaultId": vid, "type": "note", "createdAt": T0, "deletedAt": null}));
        let verid = new_id();
        let (s, ver) = ctx.post("/v1/versions", Some(&u.access), version_body(&verid, &iid)).await;
        assert_eq!(s, 201, "{ver}");
        assert_eq!(ver["itemId"], iid.as_str());
        assert_eq!(ver["schemaVersion"], 1);
        assert_eq!(ctx.get(&format!("/v1/versions/{verid}"), &u.access).await.1["protectedData"], "v1:aXY=:ZGF0YQ==");
        let (_, items) = ctx.get(&format!("/v1/items?vaultId={vid}"), &u.access).await;
        assert_eq!(items["meta"]["total"], 1);
        let (_, vers) = ctx.get(&format!("/v1/versions?itemId={iid}&limit=10"), &u.access).await;
        assert_eq!((vers["meta"]["total"].clone(), vers["meta"]["limit"].clone()), (json!(1), json!(10)));
        let (_, vers) = ctx.get(&format!("/v1/versions?vaultId={vid}"), &u.access).await;
        assert_eq!(vers["meta"]["total"], 1);

        // Deleting a version drops its data; deleting the item tombstones it and its versions.
        let v2 = ctx.version(&u, &iid).await;
        let (s, d) = ctx.req(Method::DELETE, &format!("/v1/versions/{v2}"), Some(&u.access), None).await;
        assert_eq!(s, 200);
        assert!(d["deletedAt"].is_string() && d["protectedData"].is_null(), "{d}");
        let (s, d) = ctx.req(Method::DELETE, &format!("/v1/items/{iid}"), Some(&u.access), None).await;
        assert_eq!(s, 200);
        assert!(d["deletedAt"].is_string(), "{d}");
        let (_, gone) = ctx.get(&format!("/v1/versions/{verid}"), &u.access).await;
        assert!(gone["deletedAt"].is_string() && gone["protectedData"].is_null(), "{gone}");
        // Deleting again is idempotent.
        assert_eq!(ctx.req(Method::DELETE, &format!("/v1/items/{iid}"), Some(&u.access), None).await.0, 200);

        // Vault delete removes everything.
        assert_eq!(ctx.req(Method::DELETE, &format!("/v1/vaults/{vid}"), Some(&u.access), None).await.0, 200);
        assert_err(&ctx.get(&format!("/v1/vaults/{vid}"), &u.access).await, 404, "vault-not-found", "deleted vault");
        assert_err(&ctx.get(&format!("/v1/items/{iid}"), &u.access).await, 404, "resource-not-found", "item of deleted vault");
        ctx.stop().await;
    }
}

#[tokio::test]
async fn change_log_and_snapshot() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let vid = ctx.vault(&u).await;
        let (_, empty) = ctx.get(&format!("/v1/vaults/{vid}/changes"), &u.access).await;
        assert_eq!((empty["meta"]["latestSeq"].clone(), empty["meta"]["total"].clone()), (json!(0), json!(0)));
        let i1 = ctx.item(&u, &vid).await;
        let v1 = ctx.version(&u, &i1).await;
        let i2 = ctx.item(&u, &vid).await;
        ctx.req(Method::DELETE, &format!("/v1/versions/{v1}"), Some(&u.access), None).await;
        let (s, all) = ctx.get(&format!("/v1/vaults/{vid}/changes?since=0"), &u.access).await;
        assert_eq!(s, 200, "{all}");
        assert_eq!(all["meta"]["latestSeq"], 4);
        let seqs: Vec<i64> = all["results"].as_array().unwrap().iter().map(|c| c["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, vec![1, 2, 3, 4]);
        let events: Vec<&str> = all["results"].as_array().unwrap().iter().map(|c| c["event"].as_str().unwrap()).collect();
        assert_eq!(events, vec!["item-create", "version-create", "item-create", "version-delete"]);
        assert_eq!(all["results"][0]["item"]["id"], i1.as_str());
        assert_eq!(all["results"][2]["item"]["id"], i2.as_str());
        // Both entries about v1 show it as it is now: deleted, without data.
        for at in [1, 3] {
            assert_eq!(all["results"][at]["version"]["id"], v1.as_str(), "{all}");
            assert!(all["results"][at]["version"]["deletedAt"].is_string(), "{all}");
            assert!(all["results"][at]["version"]["protectedData"].is_null(), "{all}");
        }
        // Paging: since=1&limit=2 gives seqs 2 and 3, total counts the rest.
        let (_, page) = ctx.get(&format!("/v1/vaults/{vid}/changes?since=1&limit=2"), &u.access).await;
        let seqs: Vec<i64> = page["results"].as_array().unwrap().iter().map(|c| c["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, vec![2, 3]);
        assert_eq!((page["results"][0]["version"]["id"].as_str(), page["results"][1]["item"]["id"].as_str()), (Some(v1.as_str()), Some(i2.as_str())));
        assert_eq!((page["meta"]["total"].clone(), page["meta"]["latestSeq"].clone()), (json!(3), json!(4)));
        // Snapshot: every id with its state, consistent with latestSeq.
        let (s, snap) = ctx.get(&format!("/v1/vaults/{vid}/snapshot"), &u.access).await;
        assert_eq!(s, 200, "{snap}");
        assert_eq!(snap["meta"]["latestSeq"], 4);
        assert_eq!(snap["items"].as_array().unwrap().len(), 2);
        assert_eq!(snap["versions"][0]["id"], v1.as_str());
        assert!(snap["versions"][0]["deletedAt"].is_string());
        ctx.stop().await;
    }
}

#[tokio::test]
async fn concurrent_writes_get_distinct_ordered_seqs() {
    for b in Backend::all() {
        let ctx = std::sync::Arc::new(Ctx::start(&b, |_| {}).await);
        let u = std::sync::Arc::new(ctx.user().await);
        let vid = ctx.vault(&u).await;
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (ctx, u, vid) = (ctx.clone(), u.clone(), vid.clone());
            tasks.push(tokio::spawn(async move { ctx.item(&u, &vid).await }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let (_, all) = ctx.get(&format!("/v1/vaults/{vid}/changes?limit=100"), &u.access).await;
        let seqs: Vec<i64> = all["results"].as_array().unwrap().iter().map(|c| c["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, (1..=20).collect::<Vec<_>>());
        if let Ok(ctx) = std::sync::Arc::try_unwrap(ctx) {
            ctx.stop().await;
        }
    }
}
