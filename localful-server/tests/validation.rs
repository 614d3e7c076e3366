//! Table-driven request validation over real HTTP: for every field of every body, missing,
//! wrong types, empty/overlong strings, text Postgres cannot store (NUL), non-UUIDs and
//! non-timestamps; forbidden fields; malformed JSON; bad query strings and paths. Each must be
//! `400 request-invalid`, write nothing (no row in any table), and leave the server answering the
//! valid request after it.
#![allow(clippy::unwrap_used)]

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use support::*;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Id,
    Text { min: usize, max: usize },
    Email,
    Time,
    U32,
}

struct Field {
    name: &'static str,
    kind: Kind,
    required: bool,
    nullable: bool,
}

const fn f(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, required: true, nullable: false }
}
const fn opt(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, required: false, nullable: false }
}
const fn opt_null(name: &'static str, kind: Kind) -> Field {
    Field { name, kind, required: false, nullable: true }
}

/// Wrong values for a field of `kind`, each labelled with its class.
fn wrong_values(field: &Field) -> Vec<(&'static str, Value)> {
    let mut v: Vec<(&'static str, Value)> = vec![
        ("wrong-type:number", json!(1)),
        ("wrong-type:float", json!(1.5)),
        ("wrong-type:boolean", json!(true)),
        ("wrong-type:object", json!({})),
        ("wrong-type:object", json!({"a": 1})),
        ("wrong-type:array", json!([])),
        ("wrong-type:array", json!(["x"])),
    ];
    if !field.nullable {
        v.push(("wrong-type:null", Value::Null));
    }
    match field.kind {
        Kind::Id => {
            v.push(("wrong-type:empty-string", json!("")));
            v.push(("non-uuid", json!("not-a-uuid")));
            v.push(("non-uuid", json!("1234")));
            v.push(("non-uuid", json!("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz")));
            v.push(("wrong-type:overlong-string", json!("a".repeat(5000))));
            v.push(("unstorable:nul", json!(format!("{}\u{0}", new_id()))));
        }
        Kind::Text { min, max } => {
            // Long enough for the field's minimum, so only the NUL is wrong with them.
            let filler = "x".repeat(min.max(8));
            v.push(("unstorable:nul", json!(format!("{filler}\u{0}"))));
            v.push(("unstorable:nul", json!(format!("\u{0}{filler}"))));
            v.push(("unstorable:nul", json!(format!("nul\u{0}{filler}"))));
            if min > 0 {
                v.push(("wrong-type:empty-string", json!("")));
                v.push(("wrong-type:empty-string", json!("   ")));
            }
            if max < 1_000_000 {
                v.push(("wrong-type:overlong-string", json!("x".repeat(max + 1))));
            }
            if min == 8 {
                v.push(("wrong-type:short-string", json!("1234567")));
            }
        }
        Kind::Email => {
            v.push(("wrong-type:empty-string", json!("")));
            v.push(("wrong-type:overlong-string", json!(format!("{}@example.test", "a".repeat(260)))));
            v.push(("non-email", json!("no-at-sign")));
            v.push(("non-email", json!("a b@example.test")));
            v.push(("non-email", json!("a@")));
            v.push(("unstorable:nul", json!("a\u{0}b@example.test")));
            v.push(("unstorable:nul", json!("ab@example.test\u{0}")));
        }
        Kind::Time => {
            v.push(("wrong-type:empty-string", json!("")));
            v.push(("wrong-type:overlong-string", json!("2026-01-02T03:04:05.678Z".repeat(100))));
            v.push(("non-timestamp", json!("not-a-time")));
            v.push(("non-timestamp", json!("2026-13-01T00:00:00Z")));
            v.push(("non-timestamp", json!("2026-01-02")));
            v.push(("non-timestamp", json!(1_767_322_245_678_i64)));
            v.push(("unstorable:nul", json!(format!("{T0}\u{0}"))));
        }
        Kind::U32 => {
            v.retain(|(_, x)| x != &json!(1)); // 1 is valid
            v.push(("wrong-type:string", json!("1")));
            v.push(("wrong-type:empty-string", json!("")));
            v.push(("wrong-type:negative", json!(-1)));
            v.push(("wrong-type:too-large", json!(4_294_967_296_i64)));
        }
    }
    v
}

/// How to see that a rejected request wrote nothing.
enum NoWrite {
    /// Nothing to check (the endpoint writes nothing on failure by construction).
    Nothing,
    /// `GET path` still answers 404.
    Absent(String),
    /// `GET path` answers the same body as before.
    Unchanged(String, Value),
    /// Login with this email still fails.
    NoUser(String),
}

struct Endpoint {
    name: &'static str,
    method: Method,
    path: String,
    token: Option<String>,
    fields: Vec<Field>,
    valid: Value,
    forbidden: Vec<(&'static str, Value)>,
    no_write: NoWrite,
    /// The status of `valid`, sent once every refused case was: the server still serves it.
    valid_status: u16,
}

struct Fixture {
    user: TestUser,
    vault: String,
    item: String,
}

async fn endpoints(ctx: &Ctx, fx: &Fixture) -> Vec<Endpoint> {
    let id = new_id();
    let tok = Some(fx.user.access.clone());
    let email = format!("new-{}@example.test", new_id());
    let text = |min, max| Kind::Text { min, max };
    let user_path = format!("/v1/users/{}", fx.user.id);
    let vault_path = format!("/v1/vaults/{}", fx.vault);
    let user_before = ctx.get(&user_path, &fx.user.access).await.1;
    let vault_before = ctx.get(&vault_path, &fx.user.access).await.1;
    vec![
        Endpoint {
            name: "POST /v1/users",
            method: Method::POST,
            path: "/v1/users".into(),
            token: None,
            fields: vec![f("email", Kind::Email), f("displayName", text(1, 100)), f("password", text(8, 256))],
            valid: json!({"email": email, "displayName": "New", "password": "a-good-password"}),
            forbidden: vec![
                ("id", json!(new_id())),
                ("role", json!("admin")),
                ("createdAt", json!(T0)),
                ("updatedAt", json!(T0)),
                ("verifiedAt", json!(T0)),
                ("firstVerifiedAt", json!(T0)),
                ("passwordHash", json!("x")),
                ("unknownField", json!(1)),
            ],
            no_write: NoWrite::NoUser(email.clone()),
            valid_status: 201,
        },
        Endpoint {
            name: "POST /v1/auth/login",
            method: Method::POST,
            path: "/v1/auth/login".into(),
            token: None,
            fields: vec![f("email", text(1, 254)), f("password", text(1, 256))],
            valid: json!({"email": fx.user.email, "password": "correct-horse-battery"}),
            forbidden: vec![("id", json!(new_id())), ("role", json!("admin")), ("remember", json!(true))],
            no_write: NoWrite::Nothing,
            valid_status: 200,
        },
        Endpoint {
            name: "POST /v1/auth/refresh",
            method: Method::POST,
            path: "/v1/auth/refresh".into(),
            token: None,
            fields: vec![f("refreshToken", text(1, 4096))],
            valid: json!({"refreshToken": "placeholder"}),
            forbidden: vec![("accessToken", json!("x")), ("sid", json!("x"))],
            no_write: NoWrite::Nothing,
            // A placeholder token: refused as a token, after validation passed.
            valid_status: 401,
        },
        Endpoint {
            name: "POST /v1/auth/logout",
            method: Method::POST,
            path: "/v1/auth/logout".into(),
            token: None,
            fields: vec![f("refreshToken", text(1, 4096))],
            valid: json!({"refreshToken": "placeholder"}),
            forbidden: vec![("userId", json!(fx.user.id))],
            no_write: NoWrite::Nothing,
            // A placeholder token: refused as a token, after validation passed.
            valid_status: 401,
        },
        Endpoint {
            name: "PATCH /v1/users/:id",
            method: Method::PATCH,
            path: user_path.clone(),
            token: tok.clone(),
            fields: vec![opt("email", Kind::Email), opt("displayName", text(1, 100)), opt("password", text(8, 256))],
            valid: json!({"displayName": "Changed"}),
            forbidden: vec![
                ("id", json!(new_id())),
                ("role", json!("admin")),
                ("createdAt", json!(T0)),
                ("updatedAt", json!(T0)),
                ("verifiedAt", json!(T0)),
                ("firstVerifiedAt", json!(T0)),
            ],
            no_write: NoWrite::Unchanged(user_path, user_before),
            valid_status: 200,
        },
        Endpoint {
            name: "POST /v1/vaults",
            method: Method::POST,
            path: "/v1/vaults".into(),
            token: tok.clone(),
            fields: vec![
                f("id", Kind::Id),
                f("name", text(1, 255)),
                f("protectedEncryptionKey", text(1, 16_384)),
                opt_null("protectedData", text(0, 65_536)),
                f("createdAt", Kind::Time),
            ],
            valid: vault_body(&id),
            forbidden: vec![
                ("ownerId", json!(fx.user.id)),
                ("updatedAt", json!(T0)),
                ("deletedAt", json!(T0)),
                ("lastSeq", json!(0)),
                ("unknownField", json!("x")),
            ],
            no_write: NoWrite::Absent(format!("/v1/vaults/{id}")),
            valid_status: 201,
        },
        Endpoint {
            name: "PATCH /v1/vaults/:id",
            method: Method::PATCH,
            path: vault_path.clone(),
            token: tok.clone(),
            fields: vec![
                opt("name", text(1, 255)),
                opt("protectedEncryptionKey", text(1, 16_384)),
                opt_null("protectedData", text(0, 65_536)),
            ],
            valid: json!({"name": "patched"}),
            forbidden: vec![
                ("id", json!(new_id())),
                ("ownerId", json!(new_id())),
                ("createdAt", json!(T0)),
                ("updatedAt", json!(T0)),
                ("deletedAt", json!(T0)),
            ],
            no_write: NoWrite::Unchanged(vault_path, vault_before),
            valid_status: 200,
        },
        Endpoint {
            name: "POST /v1/items",
            method: Method::POST,
            path: "/v1/items".into(),
            token: tok.clone(),
            fields: vec![f("id", Kind::Id), f("vaultId", Kind::Id), f("type", text(1, 100)), f("createdAt", Kind::Time)],
            valid: item_body(&id, &fx.vault),
            forbidden: vec![("deletedAt", json!(T0)), ("ownerId", json!(fx.user.id)), ("currentVersionId", json!(new_id()))],
            no_write: NoWrite::Absent(format!("/v1/items/{id}")),
            valid_status: 201,
        },
        Endpoint {
            name: "POST /v1/versions",
            method: Method::POST,
            path: "/v1/versions".into(),
            token: tok,
            fields: vec![
                f("id", Kind::Id),
                f("itemId", Kind::Id),
                // Overlong version data is a limit (see limits tests), not a fixed length.
                f("protectedData", text(1, usize::MAX - 1)),
                f("deviceName", text(1, 255)),
                f("schemaVersion", Kind::U32),
                f("createdAt", Kind::Time),
            ],
            valid: version_body(&id, &fx.item),
            forbidden: vec![
                ("deletedAt", json!(T0)),
                ("vaultId", json!(fx.vault)),
                ("ownerId", json!(fx.user.id)),
                ("updatedAt", json!(T0)),
            ],
            no_write: NoWrite::Absent(format!("/v1/versions/{id}")),
            valid_status: 201,
        },
    ]
}

async fn check_no_write(ctx: &Ctx, fx: &Fixture, w: &NoWrite, what: &str) {
    match w {
        NoWrite::Nothing => {}
        NoWrite::Absent(path) => assert_eq!(ctx.get(path, &fx.user.access).await.0, 404, "{what}: wrote {path}"),
        NoWrite::Unchanged(path, before) => assert_eq!(&ctx.get(path, &fx.user.access).await.1, before, "{what}: changed {path}"),
        NoWrite::NoUser(email) => {
            let r = ctx.post("/v1/auth/login", None, json!({"email": email, "password": "a-good-password"})).await;
            assert_eq!(r.0, 401, "{what}: user {email} was created");
        }
    }
}

async fn send(ctx: &Ctx, ep: &Endpoint, body: &Value) -> (u16, Value) {
    ctx.req(ep.method.clone(), &ep.path, ep.token.as_deref(), Some(body.clone())).await
}

#[tokio::test]
async fn every_field_of_every_body_is_validated() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let user = ctx.user().await;
        let vault = ctx.vault(&user).await;
        let item = ctx.item(&user, &vault).await;
        let fx = Fixture { user, vault, item };
        let mut db = ctx.db().await;
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for ep in endpoints(&ctx, &fx).await {
            for field in &ep.fields {
                if field.required {
                    let mut body = ep.valid.clone();
                    body.as_object_mut().unwrap().remove(field.name);
                    let what = format!("{} missing {}", ep.name, field.name);
                    let before = db_state(&mut db).await;
                    assert_err(&send(&ctx, &ep, &body).await, 400, "request-invalid", &what);
                    assert_eq!(db_state(&mut db).await, before, "{what}: wrote to the database");
                    check_no_write(&ctx, &fx, &ep.no_write, &what).await;
                    *counts.entry("missing field".into()).or_default() += 1;
                }
                for (class, value) in wrong_values(field) {
                    let mut body = ep.valid.clone();
                    body[field.name] = value.clone();
                    let what = format!("{} {}={} ({class})", ep.name, field.name, truncate(&value));
                    let before = db_state(&mut db).await;
                    let got = send(&ctx, &ep, &body).await;
                    assert_err(&got, 400, "request-invalid", &what);
                    assert_eq!(got.1["context"]["path"], field.name, "{what}: context.path");
                    if class == "unstorable:nul" && matches!(field.kind, Kind::Text { .. } | Kind::Email) {
                        let error = got.1["context"]["error"].as_str().unwrap_or_default();
                        assert!(error.contains("U+0000"), "{what}: refused for another reason: {}", got.1);
                    }
                    assert_eq!(db_state(&mut db).await, before, "{what}: wrote to the database");
                    check_no_write(&ctx, &fx, &ep.no_write, &what).await;
                    *counts.entry(class.split(':').next().unwrap_or(class).to_string()).or_default() += 1;
                    *counts.entry(format!("  {class}")).or_default() += 1;
                }
            }
            for (name, value) in &ep.forbidden {
                let mut body = ep.valid.clone();
                body[*name] = value.clone();
                let what = format!("{} forbidden {name}", ep.name);
                assert_err(&send(&ctx, &ep, &body).await, 400, "request-invalid", &what);
                check_no_write(&ctx, &fx, &ep.no_write, &what).await;
                *counts.entry("forbidden field".into()).or_default() += 1;
            }
            for raw in ["{", "{\"a\": }", "not json", "", "{\"a\":1}}", "[1,2", "{'single': 'quotes'}", "\u{0}"] {
                let what = format!("{} malformed {raw:?}", ep.name);
                let got = ctx.raw(ep.method.clone(), &ep.path, ep.token.as_deref(), "application/json", raw).await;
                assert_err(&got, 400, "request-invalid", &what);
                check_no_write(&ctx, &fx, &ep.no_write, &what).await;
                *counts.entry("malformed JSON".into()).or_default() += 1;
            }
            for raw in ["[]", "\"string\"", "123", "null", "true"] {
                let what = format!("{} non-object {raw}", ep.name);
                let got = ctx.raw(ep.method.clone(), &ep.path, ep.token.as_deref(), "application/json", raw).await;
                assert_err(&got, 400, "request-invalid", &what);
                *counts.entry("non-object body".into()).or_default() += 1;
            }
            let what = format!("{} text/plain", ep.name);
            let got = ctx.raw(ep.method.clone(), &ep.path, ep.token.as_deref(), "text/plain", &ep.valid.to_string()).await;
            assert_err(&got, 400, "request-invalid", &what);
            check_no_write(&ctx, &fx, &ep.no_write, &what).await;
            *counts.entry("wrong content type".into()).or_default() += 1;
            let got = send(&ctx, &ep, &ep.valid).await;
            assert_eq!(got.0, ep.valid_status, "{}: the valid request after the refused ones: {}", ep.name, got.1);
        }
        eprintln!("[{}] validation cases per class:", ctx.label());
        for (k, v) in &counts {
            eprintln!("  {k}: {v}");
        }
        ctx.stop().await;
    }
}

fn truncate(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 40 { format!("{}...({} chars)", &s[..30], s.len()) } else { s }
}

#[tokio::test]
async fn query_strings_and_paths_are_validated() {
    for b in Backend::all() {
        let ctx = Ctx::start(&b, |_| {}).await;
        let u = ctx.user().await;
        let v = ctx.vault(&u).await;
        let cases = [
            "/v1/vaults?limit=abc".to_string(),
            "/v1/vaults?limit=0".into(),
            "/v1/vaults?limit=5000".into(),
            "/v1/vaults?offset=-1".into(),
            "/v1/vaults?unknown=1".into(),
            "/v1/items".into(),
            "/v1/items?vaultId=not-a-uuid".into(),
            format!("/v1/items?vaultId={v}&limit=1.5"),
            format!("/v1/items?vaultId={v}&ownerId=x"),
            "/v1/versions".into(),
            "/v1/versions?itemId=123".into(),
            format!("/v1/vaults/{v}/changes?since=abc"),
            format!("/v1/vaults/{v}/changes?since=-1"),
            format!("/v1/vaults/{v}/changes?limit=100000"),
            format!("/v1/vaults/{v}/changes?cursor=1"),
            "/v1/vaults/not-a-uuid".into(),
            "/v1/vaults/not-a-uuid/snapshot".into(),
            "/v1/vaults/not-a-uuid/changes".into(),
            "/v1/items/1234".into(),
            "/v1/versions/%20".into(),
            "/v1/users/nope".into(),
        ];
        for path in &cases {
            assert_err(&ctx.get(path, &u.access).await, 400, "request-invalid", path);
        }
        eprintln!("[{}] bad query/path cases: {}", ctx.label(), cases.len());
        ctx.stop().await;
    }
}
