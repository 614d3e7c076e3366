//! Authentication and authorisation over real HTTP: unauthenticated, expired and forged tokens,
//! refresh-token reuse, other users' resources, not found, uniqueness, limits, registration
//! disabled and rate limiting. Each a SPEC status and identifier, never a 500 or a partial write.
#![allow(clippy::unwrap_used)]

mod support;

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{KeyInit, Mac};
use localful_server::Clock as _;
use reqwest::Method;
use serde_json::{Value, json};
use support::*;

/// Every route that needs a bearer token, with a body where one is needed.
fn protected(uid: &str, v: &str, i: &str, ver: &str) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::GET, format!("/v1/users/{uid}"), None),
        (Method::PATCH, format!("/v1/users/{uid}"), Some(json!({"displayName": "x"}))),
        (Method::DELETE, format!("/v1/users/{uid}"), None),
        (Method::GET, "/v1/vaults".into(), None),
        (Method::POST, "/v1/vaults".into(), Some(vault_body(&new_id()))),
        (Method::GET, format!("/v1/vaults/{v}"), None),
        (Method::PATCH, format!("/v1/vaults/{v}"), Some(json!({"name": "x"}))),
        (Method::DELETE, format!("/v1/vaults/{v}"), None),
        (Method::GET, format!("/v1/vaults/{v}/snapshot"), None),
        (Method::GET, format!("/v1/vaults/{v}/changes"), None),
        (Method::GET, format!("/v1/items?vaultId={v}"), None),
        (Method::POST, "/v1/items".into(), Some(item_body(&new_id(), v))),
        (Method::GET, format!("/v1/items/{i}"), None),
        (Method::DELETE, format!("/v1/items/{i}"), None),
        (Method::GET, format!("/v1/versions?itemId={i}"), None),
        (Method::POST, "/v1/versions".into(), Some(version_body(&new_id(), i))),
        (Method::GET, format!("/v1/versions/{ver}"), None),
        (Method::DELETE, format!("/v1/versions/{ver}"), None),
        (Method::POST, "/v1/sync/ticket".into(), Some(json!({}))),
    ]
}

struct World {
    u: TestUser,
    v: String,
    i: String,
    ver: String,
}

async fn world(ctx: &Ctx) -> World {
    let u = ctx.user().await;
    let v = ctx.vault(&u).await;
    let i = ctx.item(&u, &v).await;
    let ver = ctx.version(&u, &i).await;
    World { u, v, i, ver }
}

/// The state a test must find unchanged after refused requests.
async fn state_of(ctx: &Ctx, w: &World) -> Value {
    json!([
        ctx.get(&format!("/v1/users/{}", w.u.id), &w.u.access).await,
        ctx.get(&format!("/v1/vaults/{}", w.v), &w.u.access).await,
        ctx.get(&format!("/v1/vaults/{}/snapshot", w.v), &w.u.access).await,
        ctx.get(&format!("/v1/versions/{}", w.ver), &w.u.access).await,
        ctx.get("/v1/vaults", &w.u.access).await,
    ])
}

fn sign(claims: &Value, secret: &[u8]) -> String {
    let input = format!("{}.{}", URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret).unwrap();
    mac.update(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

fn claims_of(token: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

#[tokio::test]
async fn unauthenticated_and_forged_tokens() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let w = world(&ctx).await;
        let before = state_of(&ctx, &w).await;
        let secret = ctx.config.token_secret.clone().unwrap();
        let claims = claims_of(&w.u.access);
        let mut other_user = claims.clone();
        other_user["sub"] = json!(new_id());
        let tampered = {
            let parts: Vec<&str> = w.u.access.split('.').collect();
            let mut c = claims.clone();
            c["exp"] = json!(c["exp"].as_i64().unwrap() + 1_000_000);
            format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(c.to_string()), parts[2])
        };
        let alg_none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let forged: Vec<(&str, String)> = vec![
            ("garbage", "not-a-token".into()),
            ("empty parts", "..".into()),
            ("tampered payload", tampered),
            ("other secret", sign(&claims, b"another-secret")),
            ("alg none", alg_none),
            ("refresh token as access token", w.u.refresh.clone()),
            ("unknown session", sign(&json!({"sub": w.u.id, "sid": new_id(), "typ": "access", "iat": 0, "exp": 9_999_999_999_i64}), secret.as_bytes())),
            ("session of another user", sign(&other_user, secret.as_bytes())),
        ];
        let (mut unauth, mut forged_n) = (0, 0);
        for (method, path, body) in protected(&w.u.id, &w.v, &w.i, &w.ver) {
            let what = format!("{method} {path}");
            assert_err(&ctx.req(method.clone(), &path, None, body.clone()).await, 401, "access-unauthorized", &format!("{what} without token"));
            for header in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer "] {
                let res = ctx.http.request(method.clone(), format!("{}{}", ctx.base, path)).header("authorization", header).send().await.unwrap();
                assert_eq!(res.status().as_u16(), 401, "{what} with {header:?}");
                unauth += 1;
            }
            unauth += 1;
            for (label, token) in &forged {
                assert_err(&ctx.req(method.clone(), &path, Some(token), body.clone()).await, 401, "auth-token-invalid", &format!("{what} {label}"));
                forged_n += 1;
            }
        }
        assert_eq!(state_of(&ctx, &w).await, before, "refused requests changed state");
        eprintln!("[{}] unauthenticated cases: {unauth}, forged-token cases: {forged_n}", ctx.label());
        ctx.stop().await;
    }
}

#[tokio::test]
async fn expired_tokens() {
    for b in Backend::all() {
        // Correctly signed tokens of a live session whose `exp` has passed.
        let ctx = Ctx::start(&b, |_| {}).await;
        let w = world(&ctx).await;
        let secret = ctx.config.token_secret.clone().unwrap();
        let now = ctx.clock.now_millis() / 1000;
        let mut access = claims_of(&w.u.access);
        access["exp"] = json!(now - 1);
        let expired = sign(&access, secret.as_bytes());
        let mut n = 0;
        for (method, path, body) in protected(&w.u.id, &w.v, &w.i, &w.ver) {
            assert_err(&ctx.req(method.clone(), &path, Some(&expired), body).await, 401, "auth-token-invalid", &format!("{method} {path} expired"));
            n += 1;
        }
        let mut refresh = claims_of(&w.u.refresh);
        refresh["exp"] = json!(now - 1);
        let expired_refresh = sign(&refresh, secret.as_bytes());
        assert_err(&ctx.post("/v1/auth/refresh", None, json!({"refreshToken": expired_refresh})).await, 401, "auth-token-invalid", "expired refresh");
        assert_err(&ctx.post("/v1/auth/logout", None, json!({"refreshToken": expired_refresh})).await, 401, "auth-token-invalid", "expired logout");
        ctx.stop().await;

        // And real ones, on the server's clock: valid a millisecond before their lifetime ends,
        // refused when it has (`exp` is in whole seconds; the test clock starts on one, so the
        // refresh token's session ends at the same millisecond).
        let ctx = Ctx::start(&b, |c| {
            c.access_token_ttl_secs = 60;
            c.refresh_token_ttl_secs = 120;
        })
        .await;
        let u = ctx.user().await;
        let (_, login) = ctx.post("/v1/auth/login", None, json!({"email": u.email, "password": "correct-horse-battery"})).await;
        let other_refresh = login["tokens"]["refreshToken"].as_str().unwrap().to_string();
        let access_end = claims_of(&u.access)["exp"].as_i64().unwrap() * 1000;
        assert_eq!(access_end, ctx.clock.now_millis() + 60_000);
        ctx.clock.set(access_end - 1);
        assert_eq!(ctx.get(&format!("/v1/users/{}", u.id), &u.access).await.0, 200, "access a millisecond before it expires");
        ctx.clock.set(access_end);
        assert_err(&ctx.get(&format!("/v1/users/{}", u.id), &u.access).await, 401, "auth-token-invalid", "timed-out access");
        let refresh_end = claims_of(&u.refresh)["exp"].as_i64().unwrap() * 1000;
        ctx.clock.set(refresh_end - 1);
        assert_eq!(ctx.post("/v1/auth/refresh", None, json!({"refreshToken": u.refresh})).await.0, 200, "refresh a millisecond before it expires");
        ctx.clock.set(refresh_end);
        assert_err(&ctx.post("/v1/auth/refresh", None, json!({"refreshToken": other_refresh})).await, 401, "auth-token-invalid", "timed-out refresh");
        assert_err(&ctx.post("/v1/auth/logout", None, json!({"refreshToken": other_refresh})).await, 401, "auth-token-invalid", "timed-out logout");
        eprintln!("[{}] expired-token cases: {}", ctx.label(), n + 7);
        ctx.stop().await;
    }
}

#[tokio::test]
async fn refresh_token_reuse_revokes_the_session() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let (_, r) = ctx.post("/v1/auth/refresh", None, json!({"refreshToken": u.refresh})).await;
        let r2 = r["tokens"]["refreshToken"].as_str().unwrap().to_string();
        let a2 = r["tokens"]["accessToken"].as_str().unwrap().to_string();
        // The old token again: refused, and the whole session with it.
        assert_err(&ctx.post("/v1/auth/refresh", None, json!({"refreshToken": u.refresh})).await, 401, "auth-token-invalid", "reuse");
        assert_err(&ctx.post("/v1/auth/refresh", None, json!({"refreshToken": r2})).await, 401, "auth-token-invalid", "newest after reuse");
        assert_err(&ctx.get(&format!("/v1/users/{}", u.id), &a2).await, 401, "auth-token-invalid", "access after reuse");
        assert_err(&ctx.post("/v1/sync/ticket", Some(&a2), json!({})).await, 401, "auth-token-invalid", "ticket after reuse");
        // Logout with a stale token is refused too; a fresh login works.
        assert_err(&ctx.post("/v1/auth/logout", None, json!({"refreshToken": u.refresh})).await, 401, "auth-token-invalid", "logout reuse");
        assert_eq!(ctx.post("/v1/auth/login", None, json!({"email": u.email, "password": "correct-horse-battery"})).await.0, 200);
        ctx.stop().await;
    }
}

#[tokio::test]
async fn other_users_resources_and_not_found() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let w = world(&ctx).await;
        let before = state_of(&ctx, &w).await;
        let eve = ctx.user().await;
        let eve_vault = ctx.vault(&eve).await;
        let cases: Vec<(Method, String, Option<Value>, u16, &str)> = vec![
            (Method::GET, format!("/v1/users/{}", w.u.id), None, 403, "access-forbidden"),
            (Method::PATCH, format!("/v1/users/{}", w.u.id), Some(json!({"displayName": "pwned"})), 403, "access-forbidden"),
            (Method::DELETE, format!("/v1/users/{}", w.u.id), None, 403, "access-forbidden"),
            (Method::GET, format!("/v1/vaults/{}", w.v), None, 404, "vault-not-found"),
            (Method::PATCH, format!("/v1/vaults/{}", w.v), Some(json!({"name": "pwned"})), 404, "vault-not-found"),
            (Method::DELETE, format!("/v1/vaults/{}", w.v), None, 404, "vault-not-found"),
            (Method::GET, format!("/v1/vaults/{}/snapshot", w.v), None, 404, "vault-not-found"),
            (Method::GET, format!("/v1/vaults/{}/changes", w.v), None, 404, "vault-not-found"),
            (Method::GET, format!("/v1/items?vaultId={}", w.v), None, 404, "vault-not-found"),
            (Method::POST, "/v1/items".into(), Some(item_body(&new_id(), &w.v)), 404, "vault-not-found"),
            (Method::GET, format!("/v1/items/{}", w.i), None, 404, "resource-not-found"),
            (Method::DELETE, format!("/v1/items/{}", w.i), None, 404, "resource-not-found"),
            (Method::GET, format!("/v1/versions?itemId={}", w.i), None, 404, "resource-not-found"),
            (Method::GET, format!("/v1/versions?vaultId={}", w.v), None, 404, "vault-not-found"),
            (Method::GET, format!("/v1/versions?vaultId={eve_vault}&itemId={}", w.i), None, 404, "resource-not-found"),
            (Method::POST, "/v1/versions".into(), Some(version_body(&new_id(), &w.i)), 400, "resource-relationship-invalid"),
            (Method::GET, format!("/v1/versions/{}", w.ver), None, 404, "resource-not-found"),
            (Method::DELETE, format!("/v1/versions/{}", w.ver), None, 404, "resource-not-found"),
            // Re-using another user's ids is a conflict, not a takeover.
            (Method::POST, "/v1/vaults".into(), Some(vault_body(&w.v)), 409, "resource-not-unique"),
            (Method::POST, "/v1/items".into(), Some(item_body(&w.i, &eve_vault)), 409, "resource-not-unique"),
        ];
        let n = cases.len();
        for (method, path, body, status, id) in cases {
            let got = ctx.req(method.clone(), &path, Some(&eve.access), body).await;
            assert_err(&got, status, id, &format!("eve {method} {path}"));
            assert!(!got.1.to_string().contains("protectedEncryptionKey"), "leaked data: {}", got.1);
        }
        assert_eq!(state_of(&ctx, &w).await, before, "another user changed state");

        let missing: Vec<(Method, String, &str)> = vec![
            (Method::GET, format!("/v1/vaults/{}", new_id()), "vault-not-found"),
            (Method::PATCH, format!("/v1/vaults/{}", new_id()), "vault-not-found"),
            (Method::DELETE, format!("/v1/vaults/{}", new_id()), "vault-not-found"),
            (Method::GET, format!("/v1/vaults/{}/snapshot", new_id()), "vault-not-found"),
            (Method::GET, format!("/v1/vaults/{}/changes", new_id()), "vault-not-found"),
            (Method::GET, format!("/v1/items?vaultId={}", new_id()), "vault-not-found"),
            (Method::GET, format!("/v1/items/{}", new_id()), "resource-not-found"),
            (Method::DELETE, format!("/v1/items/{}", new_id()), "resource-not-found"),
            (Method::GET, format!("/v1/versions/{}", new_id()), "resource-not-found"),
            (Method::DELETE, format!("/v1/versions/{}", new_id()), "resource-not-found"),
            (Method::GET, format!("/v1/versions?itemId={}", new_id()), "resource-not-found"),
        ];
        let m = missing.len();
        for (method, path, id) in missing {
            let body = (method == Method::PATCH).then(|| json!({"name": "x"}));
            assert_err(&ctx.req(method.clone(), &path, Some(&w.u.access), body).await, 404, id, &format!("{method} {path}"));
        }
        assert_err(&ctx.post("/v1/items", Some(&w.u.access), item_body(&new_id(), &new_id())).await, 404, "vault-not-found", "item in missing vault");
        assert_err(&ctx.post("/v1/versions", Some(&w.u.access), version_body(&new_id(), &new_id())).await, 400, "resource-relationship-invalid", "version of missing item");
        eprintln!("[{}] other-user cases: {n}, not-found cases: {}", ctx.label(), m + 2);
        ctx.stop().await;
    }
}

#[tokio::test]
async fn uniqueness() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let w = world(&ctx).await;
        let other = ctx.user().await;
        let mut same_name = vault_body(&new_id());
        let (_, v) = ctx.get(&format!("/v1/vaults/{}", w.v), &w.u.access).await;
        same_name["name"] = v["name"].clone();
        let cases: Vec<(Method, String, Option<&str>, Value, &str)> = vec![
            (Method::POST, "/v1/users".into(), None, json!({"email": w.u.email, "displayName": "x", "password": "12345678"}), "user-email-exists"),
            (Method::POST, "/v1/users".into(), None, json!({"email": w.u.email.to_uppercase(), "displayName": "x", "password": "12345678"}), "user-email-exists"),
            (Method::PATCH, format!("/v1/users/{}", other.id), Some(&other.access), json!({"email": w.u.email}), "user-email-exists"),
            (Method::POST, "/v1/vaults".into(), Some(&w.u.access), vault_body(&w.v), "resource-not-unique"),
            (Method::POST, "/v1/vaults".into(), Some(&w.u.access), same_name.clone(), "vault-name-exists"),
            (Method::POST, "/v1/items".into(), Some(&w.u.access), item_body(&w.i, &w.v), "resource-not-unique"),
            (Method::POST, "/v1/versions".into(), Some(&w.u.access), version_body(&w.ver, &w.i), "resource-not-unique"),
        ];
        let n = cases.len();
        for (method, path, token, body, id) in cases {
            assert_err(&ctx.req(method.clone(), &path, token, Some(body)).await, 409, id, &format!("{method} {path} {id}"));
        }
        // Renaming onto an existing name; another user may use the same name.
        let v2 = ctx.vault(&w.u).await;
        assert_err(&ctx.req(Method::PATCH, &format!("/v1/vaults/{v2}"), Some(&w.u.access), Some(json!({"name": v["name"]}))).await, 409, "vault-name-exists", "rename");
        assert_eq!(ctx.post("/v1/vaults", Some(&other.access), same_name).await.0, 201);
        let (_, list) = ctx.get("/v1/vaults", &w.u.access).await;
        assert_eq!(list["meta"]["total"], 2);
        eprintln!("[{}] uniqueness cases: {}", ctx.label(), n + 1);
        ctx.stop().await;
    }
}

#[tokio::test]
async fn limits() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |c| {
            c.max_vaults_per_user = 2;
            c.max_version_bytes = 100;
            c.max_vault_bytes = 250;
        })
        .await;
        let (_, info) = ctx.req(Method::GET, "/v1/server/info", None, None).await;
        assert_eq!(info["limits"], json!({"vaultsPerUser": 2, "versionBytes": 100, "vaultBytes": 250}));
        let u = ctx.user().await;
        let v = ctx.vault(&u).await;
        ctx.vault(&u).await;
        let third = new_id();
        assert_err(&ctx.post("/v1/vaults", Some(&u.access), vault_body(&third)).await, 403, "limit-exceeded", "vaults per user");
        assert_eq!(ctx.get(&format!("/v1/vaults/{third}"), &u.access).await.0, 404);
        let i = ctx.item(&u, &v).await;
        let big = new_id();
        let mut body = version_body(&big, &i);
        body["protectedData"] = json!("x".repeat(101));
        assert_err(&ctx.post("/v1/versions", Some(&u.access), body).await, 403, "limit-exceeded", "version bytes");
        assert_eq!(ctx.get(&format!("/v1/versions/{big}"), &u.access).await.0, 404);
        // 100 + 100 fit in 250; the third does not, and leaves no trace (no version, no seq).
        for _ in 0..2 {
            let mut body = version_body(&new_id(), &i);
            body["protectedData"] = json!("y".repeat(100));
            assert_eq!(ctx.post("/v1/versions", Some(&u.access), body).await.0, 201);
        }
        let (_, before) = ctx.get(&format!("/v1/vaults/{v}/changes"), &u.access).await;
        let over = new_id();
        let mut body = version_body(&over, &i);
        body["protectedData"] = json!("z".repeat(100));
        assert_err(&ctx.post("/v1/versions", Some(&u.access), body.clone()).await, 403, "limit-exceeded", "vault bytes");
        assert_eq!(ctx.get(&format!("/v1/versions/{over}"), &u.access).await.0, 404);
        assert_eq!(ctx.get(&format!("/v1/vaults/{v}/changes"), &u.access).await.1, before, "partial write");
        // Deleting frees space.
        let (_, list) = ctx.get(&format!("/v1/versions?itemId={i}"), &u.access).await;
        let first = list["results"][0]["id"].as_str().unwrap().to_string();
        assert_eq!(ctx.req(Method::DELETE, &format!("/v1/versions/{first}"), Some(&u.access), None).await.0, 200);
        assert_eq!(ctx.post("/v1/versions", Some(&u.access), body).await.0, 201);
        // A body beyond the HTTP body limit (2 x versionBytes + 64 KiB) is a limit too, not a 413 page.
        let mut body = version_body(&new_id(), &i);
        body["protectedData"] = json!("w".repeat(70 * 1024));
        assert_err(&ctx.post("/v1/versions", Some(&u.access), body).await, 403, "limit-exceeded", "body bytes");
        eprintln!("[{}] limit cases: 4", ctx.label());
        ctx.stop().await;
    }
}

#[tokio::test]
async fn registration_disabled() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |c| c.registration_enabled = false).await;
        let (_, info) = ctx.req(Method::GET, "/v1/server/info", None, None).await;
        assert_eq!(info["registrationEnabled"], false);
        let got = ctx.post("/v1/users", None, json!({"email": "a@example.test", "displayName": "A", "password": "12345678"})).await;
        assert_err(&got, 403, "user-registration-disabled", "registration disabled");
        ctx.stop().await;
    }
}

#[tokio::test]
async fn login_and_registration_are_rate_limited() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |c| c.auth_rate_limit_per_minute = 3).await;
        for n in 0..3 {
            let got = ctx.post("/v1/auth/login", None, json!({"email": "x@example.test", "password": "whatever"})).await;
            assert_eq!(got.0, 401, "attempt {n}");
        }
        // Refused with the whole seconds until the window (which began with the first attempt) ends.
        let attempt = |ctx: &Ctx| {
            let http = ctx.http.clone();
            let url = format!("{}/v1/auth/login", ctx.base);
            async move {
                let res = http.post(url).json(&json!({"email": "x@example.test", "password": "whatever"})).send().await.unwrap();
                let header = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
                (res.status().as_u16(), header, res.json::<Value>().await.unwrap())
            }
        };
        let (status, header, body) = attempt(&ctx).await;
        assert_err(&(status, body.clone()), 429, "rate-limited", "login");
        assert_eq!((header.as_deref(), &body["context"]["retryAfterSeconds"]), (Some("60"), &json!(60)), "{body}");
        ctx.clock.advance(std::time::Duration::from_millis(45_500));
        let (status, header, _) = attempt(&ctx).await;
        assert_eq!((status, header.as_deref()), (429, Some("15")), "14.5 s left, rounded up");
        ctx.clock.advance(std::time::Duration::from_millis(14_499));
        assert_eq!(attempt(&ctx).await.1.as_deref(), Some("1"), "a millisecond left");
        ctx.clock.advance(std::time::Duration::from_millis(1));
        assert_eq!(attempt(&ctx).await.0, 401, "a new window once the Retry-After has passed");
        for _ in 0..3 {
            ctx.user().await;
        }
        let got = ctx.post("/v1/users", None, json!({"email": "late@example.test", "displayName": "A", "password": "12345678"})).await;
        assert_err(&got, 429, "rate-limited", "register");
        ctx.stop().await;
    }
}
