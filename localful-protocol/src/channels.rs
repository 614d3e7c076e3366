//! Names of the browser channels an app's tabs and its sync worker share: one origin may host
//! several apps, so each name carries the app's name.

/// The name of the app's sync worker (`SharedWorker`, or the dedicated `Worker` of the fallback):
/// `localful:{app}`.
pub fn worker(app: &str) -> String {
    format!("localful:{app}")
}

/// The `BroadcastChannel` of change events between tabs and the worker: `localful:{app}:events`.
pub fn events(app: &str) -> String {
    format!("localful:{app}:events")
}

/// The `BroadcastChannel` on which a tab hands an unlocked vault's key to another:
/// `localful:{app}:keys`.
pub fn keys(app: &str) -> String {
    format!("localful:{app}:keys")
}

/// The `BroadcastChannel` between tabs and a dedicated worker (where `SharedWorker` does not
/// exist), named after the worker: `localful:{app}:sync`.
pub fn sync_of_worker(worker_name: &str) -> String {
    format!("{worker_name}:sync")
}

/// [`sync_of_worker`] of the app's [`worker`].
pub fn sync(app: &str) -> String {
    sync_of_worker(&worker(app))
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_carry_the_app() {
        assert_eq!(
            [super::worker("notes"), super::events("notes"), super::keys("notes"), super::sync("notes")],
            ["localful:notes", "localful:notes:events", "localful:notes:keys", "localful:notes:sync"]
        );
    }
}
