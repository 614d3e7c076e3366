//! `localful-bench-sql`: the plain-SQL side of the server benchmarks (`scripts/bench/server.sh`).
//!
//! ```text
//! localful-bench-sql create-schema <postgres-url> <schema>   # a fresh schema for one run
//! localful-bench-sql drop-schema <postgres-url> <schema>
//! localful-bench-sql insert <database-url> <versions> <batch> <data-bytes>
//! ```
//!
//! `insert` is the baseline of the ingest benchmark: into a database the server has migrated, it
//! writes the rows the server writes for each pushed version — a `versions` row and a `changes`
//! row, and the vault's `last_seq` — with one multi-row `INSERT` per table and one transaction per
//! batch, and prints `{"versions": n, "seconds": s}` (the fixture user, vault and items are
//! written first, untimed). Built only with the `bench-tools` feature.

use sqlx::{AnyConnection, Connection};
use std::time::Instant;

type Error = Box<dyn std::error::Error>;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A schema name the benchmarks own: letters, digits and `_` only (it is spliced into SQL).
fn schema_name(name: &str) -> Result<&str, Error> {
    let ok = name.starts_with("localful_bench_") && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok { Ok(name) } else { Err(format!("schema must match localful_bench_[A-Za-z0-9_]*: {name}").into()) }
}

async fn execute(url: &str, sql: String) -> Result<(), Error> {
    let mut c = AnyConnection::connect(url).await?;
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut c).await?;
    Ok(())
}

/// The fixture owner, vault and `items` items; returns the vault id and item ids.
async fn fixtures(c: &mut AnyConnection, items: usize) -> Result<(String, Vec<String>), Error> {
    let (user, vault, at) = (id(), id(), now());
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, created_at, updated_at) \
         VALUES ($1, $2, 'Bench', 'x', 'user', $3, $3)",
    )
    .bind(&user)
    .bind(format!("{user}@bench.test"))
    .bind(&at)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO vaults (id, owner_id, name, protected_encryption_key, created_at, updated_at) \
         VALUES ($1, $2, 'bench', 'v1:bench-key', $3, $3)",
    )
    .bind(&vault)
    .bind(&user)
    .bind(&at)
    .execute(&mut *c)
    .await?;
    let ids: Vec<String> = (0..items).map(|_| id()).collect();
    for item in &ids {
        sqlx::query("INSERT INTO items (id, vault_id, type, created_at) VALUES ($1, $2, 'notes', $3)")
            .bind(item)
            .bind(&vault)
            .bind(&at)
            .execute(&mut *c)
            .await?;
    }
    Ok((vault, ids))
}

/// `rows` groups of `cols` placeholders: `$n` on Postgres, `?` on SQLite (where sqlx looks each
/// `$n` up by name, a cost quadratic in the row count that a plain `INSERT` would not pay).
fn values(rows: usize, cols: usize, sqlite: bool) -> String {
    let p = |n: usize| if sqlite { "?".to_string() } else { format!("${n}") };
    (0..rows)
        .map(|r| format!("({})", (1..=cols).map(|c| p(r * cols + c)).collect::<Vec<_>>().join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn insert(url: &str, versions: usize, batch: usize, data_bytes: usize) -> Result<(), Error> {
    let batch = batch.max(1);
    let sqlite = url.starts_with("sqlite");
    let mut c = AnyConnection::connect(url).await?;
    let (vault, items) = fixtures(&mut c, versions.div_ceil(10).max(1)).await?;
    let data = format!("v1:{}", "x".repeat(data_bytes.saturating_sub(3)));
    let start = Instant::now();
    let mut seq: i64 = 0;
    for chunk in (0..versions).collect::<Vec<_>>().chunks(batch) {
        let rows: Vec<(String, &String, String)> =
            chunk.iter().map(|i| (id(), &items[i % items.len()], now())).collect();
        let mut tx = c.begin().await?;
        let sql = format!(
            "INSERT INTO versions (id, vault_id, item_id, protected_data, device_name, schema_version, created_at, bytes) VALUES {}",
            values(rows.len(), 8, sqlite)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (vid, item, at) in &rows {
            q = q
                .bind(vid)
                .bind(&vault)
                .bind(*item)
                .bind(&data)
                .bind("bench")
                .bind(1_i64)
                .bind(at)
                .bind(data.len() as i64);
        }
        q.execute(&mut *tx).await?;
        let sql = format!(
            "INSERT INTO changes (vault_id, seq, event, entity_id, created_at) VALUES {}",
            values(rows.len(), 5, sqlite)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (vid, _, at) in &rows {
            seq += 1;
            q = q.bind(&vault).bind(seq).bind(localful_protocol::ChangeKind::VersionCreate.name()).bind(vid).bind(at);
        }
        q.execute(&mut *tx).await?;
        sqlx::query("UPDATE vaults SET last_seq = $2, used_bytes = used_bytes + $3 WHERE id = $1")
            .bind(&vault)
            .bind(seq)
            .bind((rows.len() * data.len()) as i64)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    let seconds = start.elapsed().as_secs_f64();
    println!("{}", serde_json::json!({ "versions": versions, "seconds": seconds }));
    Ok(())
}

fn usage() -> Error {
    "usage: localful-bench-sql create-schema|drop-schema <postgres-url> <schema> | insert <url> <versions> <batch> <data-bytes>"
        .into()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    sqlx::any::install_default_drivers();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).ok_or_else(usage);
    let num = |i: usize| -> Result<usize, Error> { Ok(arg(i)?.parse()?) };
    match arg(0)? {
        "create-schema" => execute(arg(1)?, format!("CREATE SCHEMA {}", schema_name(arg(2)?)?)).await,
        "drop-schema" => execute(arg(1)?, format!("DROP SCHEMA IF EXISTS {} CASCADE", schema_name(arg(2)?)?)).await,
        "insert" => insert(arg(1)?, num(2)?, num(3)?, num(4)?).await,
        _ => Err(usage()),
    }
}
