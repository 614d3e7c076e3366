//! The IO of a sync repair ([`Command::Snapshot`](localful_core::sync::Command::Snapshot),
//! [`Command::Repair`](localful_core::sync::Command::Repair)): fetch the snapshot, diff it against
//! the store, fetch the versions the device lacks, apply, re-read the outbox.

use crate::http::{Api, HttpError};
use futures::stream::{self, StreamExt, TryStreamExt};
use localful_core::Replica;
use localful_core::sync::{Input, RequestId};
use localful_core::wire::{Snapshot, WireVersion};

/// Versions fetched at once during a repair.
const PARALLEL_FETCHES: usize = 6;

/// `GET /v1/vaults/:id/snapshot`, as the machine's input.
pub(super) async fn snapshot(api: &Api, handle: &Replica, request: RequestId) -> Input {
    match api.snapshot(handle.id()).await {
        Ok(snapshot) => Input::Snapshot { request, snapshot },
        Err(error) => {
            tracing::debug!(%error, vault = %handle.id(), "the vault's snapshot could not be fetched; the repair is retried");
            Input::SnapshotFailed { request }
        }
    }
}

/// Repairs `handle`'s vault from `snapshot`, as the machine's input.
pub(super) async fn repair(api: &Api, handle: &Replica, request: RequestId, snapshot: Snapshot) -> Input {
    match run(api, handle, &snapshot).await {
        Ok(outbox) => Input::Repaired { request, outbox },
        Err(reason) => Input::RepairFailed { request, reason },
    }
}

async fn run(
    api: &Api,
    handle: &Replica,
    snapshot: &Snapshot,
) -> Result<Vec<localful_core::sync::Pending>, String> {
    let plan = handle.plan_repair(snapshot).await.map_err(|e| e.to_string())?;
    let versions: Vec<WireVersion> = stream::iter(plan.fetch.iter().copied())
        .map(|id| async move {
            match api.version(id).await {
                Ok(v) => Ok(Some(v)),
                // Gone since the snapshot (its vault or item was removed): nothing to apply.
                Err(HttpError::Server { status: 404, .. }) => Ok(None),
                Err(e) => Err(format!("fetching version {id}: {e}")),
            }
        })
        .buffered(PARALLEL_FETCHES)
        .try_filter_map(|v| async move { Ok(v) })
        .try_collect()
        .await?;
    handle.apply_repair(&plan, &versions).await.map_err(|e| e.to_string())?;
    handle.outbox().await.map_err(|e| e.to_string())
}
