//! [`super::batch::write`] with a parameter limit low enough that every statement of a chunk is
//! split (the reads' `IN` lists and the multi-row `INSERT`s), and with two chunks that name the
//! same two vaults in opposite orders written at the same time: each is written as planned (on
//! Postgres the second waits for the first's vault locks, taken in id order, instead of planning
//! on a usage the first is changing, or deadlocking). SQLite always; Postgres when
//! `LOCALFUL_TEST_POSTGRES_URL` is set.
#![allow(clippy::unwrap_used)]

use super::{
    AuthCtx, Created,
    batch::{Entry, Outcome, write},
};
use crate::{
    AppState, Config,
    db::{Dialect, Params},
};
use localful_protocol::{ItemId, Timestamp, UserId, VaultId, VersionId, WireItem, WireVersion};
use sqlx::{Connection, Row};

/// A server state on a fresh database: SQLite in a temporary directory, or a fresh schema of the
/// Postgres at `pg`; and what [`cleanup`] removes afterwards.
async fn fresh_state(pg: Option<&str>) -> (AppState, std::path::PathBuf, Option<String>) {
    let dir = std::env::temp_dir().join(format!("localful-batch-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut config = Config::for_tests(&dir);
    let mut schema = None;
    if let Some(url) = pg {
        sqlx::any::install_default_drivers();
        let name = format!("lft_{}", uuid::Uuid::new_v4().simple());
        let mut c = sqlx::AnyConnection::connect(url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}"))).execute(&mut c).await.unwrap();
        let sep = if url.contains('?') { '&' } else { '?' };
        config.database_url = Some(format!("{url}{sep}options=-c%20search_path%3D{name}"));
        schema = Some(name);
    }
    (AppState::connect(config).await.unwrap(), dir, schema)
}

async fn cleanup(state: AppState, dir: std::path::PathBuf, pg: Option<&str>, schema: Option<String>) {
    state.events.stop_listening();
    state.pool.close().await;
    if let (Some(url), Some(schema)) = (pg, schema) {
        let mut c = sqlx::AnyConnection::connect(url).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE"))).execute(&mut c).await.unwrap();
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// A user owning `vaults` new vaults, written straight into the database.
async fn owner_of(state: &AppState, vaults: usize) -> (AuthCtx, Vec<VaultId>) {
    let (user, at) = (UserId::new(), Timestamp::now().to_string());
    let mut c = state.pool.acquire().await.unwrap();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, password_hash, role, created_at, updated_at) VALUES ($1, $2, 'T', 'x', 'user', $3, $3)",
    )
    .bind(user.to_string())
    .bind(format!("{user}@example.test"))
    .bind(&at)
    .execute(&mut *c)
    .await
    .unwrap();
    let mut ids = Vec::new();
    for n in 0..vaults {
        let id = VaultId::new();
        sqlx::query(
            "INSERT INTO vaults (id, owner_id, name, protected_encryption_key, created_at, updated_at) VALUES ($1, $2, $3, 'k', $4, $4)",
        )
        .bind(id.to_string())
        .bind(user.to_string())
        .bind(format!("vault {n}"))
        .bind(&at)
        .execute(&mut *c)
        .await
        .unwrap();
        ids.push(id);
    }
    (AuthCtx { user_id: user, session_id: "batch-test".into() }, ids)
}

fn item(vault: VaultId) -> WireItem {
    WireItem { id: ItemId::new(), vault_id: vault, collection: "note".into(), created_at: Timestamp::now(), deleted_at: None }
}

fn version(item: ItemId) -> WireVersion {
    WireVersion {
        id: VersionId::new(),
        item_id: item,
        protected_data: Some("v1:aXY=:ZGF0YQ==".into()),
        device_name: "laptop".into(),
        schema_version: 1,
        created_at: Timestamp::now(),
        deleted_at: None,
    }
}

fn statuses(outcomes: &[Outcome]) -> Vec<&'static str> {
    outcomes
        .iter()
        .map(|o| match o {
            Ok(Created::New(())) => "created",
            Ok(Created::Existing(())) => "exists",
            Err(_) => "refused",
        })
        .collect()
}

/// The entity ids of `vault`'s log in seq order, after checking the seqs run 1, 2, 3...
async fn log_of(state: &AppState, vault: VaultId) -> Vec<String> {
    let mut c = state.pool.acquire().await.unwrap();
    let rows = sqlx::query("SELECT seq, entity_id FROM changes WHERE vault_id = $1 ORDER BY seq")
        .bind(vault.to_string())
        .fetch_all(&mut *c)
        .await
        .unwrap();
    let seqs: Vec<i64> = rows.iter().map(|r| r.get::<i64, _>("seq")).collect();
    assert_eq!(seqs, (1..=rows.len() as i64).collect::<Vec<_>>(), "gapless seqs");
    rows.iter().map(|r| r.get::<String, _>("entity_id")).collect()
}

fn backends() -> Vec<Option<String>> {
    let mut v = vec![None];
    match std::env::var("LOCALFUL_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => v.push(Some(url)),
        _ => eprintln!("note: the Postgres runs of the batch tests are skipped: LOCALFUL_TEST_POSTGRES_URL is not set"),
    }
    v
}

/// The same chunk (new items, then versions of them) under the dialect's limit, where it is read
/// with one statement and, on Postgres, written with one; and under a limit of 20 parameters,
/// where it is read apart and every statement splits (4 items, 2 versions or 4 log entries per
/// `INSERT`, 20 ids per `IN` list).
#[tokio::test]
async fn a_chunk_past_the_parameter_limit_is_written_in_several_statements() {
    for (pg, limit) in backends().into_iter().flat_map(|pg| [(pg.clone(), None), (pg, Some(20))]) {
        let (state, dir, schema) = fresh_state(pg.as_deref()).await;
        let dialect = if pg.is_some() { Dialect::Postgres } else { Dialect::Sqlite };
        let params = limit.map_or(Params::of(dialect), |max| Params::with_max(dialect, max));
        let (auth, vaults) = owner_of(&state, 1).await;
        let items: Vec<WireItem> = (0..30).map(|_| item(vaults[0])).collect();
        let versions: Vec<WireVersion> = (0..120).map(|n| version(items[n % items.len()].id)).collect();
        let entries: Vec<Entry> =
            items.iter().cloned().map(Entry::Item).chain(versions.iter().cloned().map(Entry::Version)).collect();

        let written = write(&state, &auth, &entries, params).await.unwrap().expect("written as planned");
        assert_eq!(statuses(&written.outcomes), vec!["created"; 150]);
        let pushed: Vec<String> =
            items.iter().map(|i| i.id.to_string()).chain(versions.iter().map(|v| v.id.to_string())).collect();
        assert_eq!(log_of(&state, vaults[0]).await, pushed, "the log in entry order");
        let published: Vec<(u64, String)> = written
            .pending
            .iter()
            .map(|c| (c.seq, c.item.as_ref().map(|i| i.id.to_string()).or_else(|| c.version.as_ref().map(|v| v.id.to_string())).unwrap()))
            .collect();
        assert_eq!(published, pushed.iter().cloned().enumerate().map(|(n, id)| (n as u64 + 1, id)).collect::<Vec<_>>());
        let mut c = state.pool.acquire().await.unwrap();
        let r = sqlx::query("SELECT last_seq, used_bytes FROM vaults WHERE id = $1").bind(vaults[0].to_string()).fetch_one(&mut *c).await.unwrap();
        assert_eq!((r.get::<i64, _>(0), r.get::<i64, _>(1)), (150, 120 * "v1:aXY=:ZGF0YQ==".len() as i64));
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM versions").fetch_one(&mut *c).await.unwrap().get(0);
        assert_eq!(n, 120);
        drop(c);

        // Written again: every id is found by the split reads, nothing new is written.
        let again = write(&state, &auth, &entries, params).await.unwrap().expect("written as planned");
        assert_eq!(statuses(&again.outcomes), vec!["exists"; 150]);
        assert!(again.pending.is_empty());
        assert_eq!(log_of(&state, vaults[0]).await.len(), 150);
        eprintln!("[{dialect:?}] a chunk of 150 entries, parameter limit {limit:?}");
        cleanup(state, dir, pg.as_deref(), schema).await;
    }
}

#[tokio::test]
async fn chunks_naming_two_vaults_in_opposite_orders_are_written_side_by_side() {
    for pg in backends() {
        let (state, dir, schema) = fresh_state(pg.as_deref()).await;
        let params = Params::of(if pg.is_some() { Dialect::Postgres } else { Dialect::Sqlite });
        let (auth, vaults) = owner_of(&state, 2).await;
        let (a, b) = (item(vaults[0]), item(vaults[1]));
        let seed = [Entry::Item(a.clone()), Entry::Item(b.clone())];
        assert_eq!(statuses(&write(&state, &auth, &seed, params).await.unwrap().unwrap().outcomes), ["created", "created"]);
        for _ in 0..20 {
            let first: Vec<Entry> = (0..10).map(|n| Entry::Version(version(if n < 5 { a.id } else { b.id }))).collect();
            let second: Vec<Entry> = (0..10).map(|n| Entry::Version(version(if n < 5 { b.id } else { a.id }))).collect();
            let (x, y) = tokio::join!(write(&state, &auth, &first, params), write(&state, &auth, &second, params));
            for written in [x, y] {
                assert_eq!(statuses(&written.unwrap().expect("written as planned").outcomes), vec!["created"; 10]);
            }
        }
        for vault in vaults {
            assert_eq!(log_of(&state, vault).await.len(), 1 + 20 * 10);
        }
        cleanup(state, dir, pg.as_deref(), schema).await;
    }
}
