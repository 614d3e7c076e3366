//! What the demo says about sync, from the one [`SyncState`] the worker derives: the badge's
//! short text and the panel's sentences. Pure (the current time is an argument), so every phase
//! is checked natively for what it must and must not say.

use localful_core::Timestamp;
use localful_yew::{SyncPhase, SyncState, explain};

/// The badge: its style class, its text, and its tooltip (the full sentences).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Badge {
    /// `local`, `ok`, `busy`, `offline`, `idle` or `error`.
    pub(crate) class: &'static str,
    /// The short text on the badge.
    pub(crate) text: String,
    /// What the badge means, in sentences.
    pub(crate) title: String,
}

/// "1 change waiting to be sent", "3 changes waiting to be sent".
pub(crate) fn waiting(pending: u64) -> String {
    if pending == 1 { "1 change waiting to be sent".into() } else { format!("{pending} changes waiting to be sent") }
}

/// "Synced just now", "Synced 2 minutes ago", "Synced 3 hours ago", "Synced 4 days ago", as of
/// `now_ms` (Unix milliseconds).
pub(crate) fn synced_ago(last: Timestamp, now_ms: i64) -> String {
    let secs = (now_ms - last.unix_millis()).max(0) / 1_000;
    let (n, unit) = match secs {
        0..=59 => return "Synced just now".into(),
        60..=3_599 => (secs / 60, "minute"),
        3_600..=86_399 => (secs / 3_600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    format!("Synced {n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// "in 1 second", "in 4 seconds", "now".
fn retry_in(retry_in_ms: Option<u64>) -> String {
    match retry_in_ms.map(|ms| ms.div_ceil(1_000)) {
        None | Some(0) => "now".into(),
        Some(1) => "in 1 second".into(),
        Some(s) => format!("in {s} seconds"),
    }
}

/// `state` as it is `elapsed_ms` after the worker derived it: the time to a planned retry counts
/// down (to "now").
pub(crate) fn counted_down(state: &SyncState, elapsed_ms: i64) -> SyncState {
    let mut state = state.clone();
    if let SyncPhase::Unreachable { retry_in_ms: Some(ms) } = &mut state.phase {
        *ms = ms.saturating_sub(u64::try_from(elapsed_ms).unwrap_or(0));
    }
    state
}

/// The main sentence of the panel's sync line, and its style class.
pub(crate) fn headline(state: &SyncState) -> (&'static str, String) {
    match &state.phase {
        SyncPhase::UpToDate => ("ok", "✓ Up to date".into()),
        SyncPhase::Sending => ("busy", "Sending changes to the server…".into()),
        SyncPhase::Receiving { done, total } if *total > 0 => {
            ("busy", format!("Receiving changes from the server… {done} of {total}"))
        }
        SyncPhase::Receiving { .. } => ("busy", "Receiving changes from the server…".into()),
        SyncPhase::Connecting | SyncPhase::Starting => ("muted", "Connecting to the server…".into()),
        SyncPhase::Offline => (
            "warn",
            "Offline: this device has no network. Everything keeps working here and syncs when the network is back."
                .into(),
        ),
        SyncPhase::Unreachable { retry_in_ms } => {
            ("warn", format!("The sync server cannot be reached. Retrying {}…", retry_in(*retry_in_ms)))
        }
        SyncPhase::SignedOut => ("muted", "Not syncing: log in to sync with your other devices.".into()),
        SyncPhase::Expired => (
            "error",
            "Your session has expired: log in again. Your notes stay on this device and sync once you are back.".into(),
        ),
        SyncPhase::LocalOnly => ("muted", "Local only: notes stay in this browser.".into()),
        SyncPhase::Error { error } => ("error", format!("Sync problem: {}", explain(error))),
        _ => ("muted", "Sync is in a state this version of the demo does not know.".into()),
    }
}

/// The lines under the headline: the changes waiting and, when not up to date, the last sync.
pub(crate) fn details(state: &SyncState, now_ms: i64) -> Vec<String> {
    let mut lines = Vec::new();
    if state.pending > 0 {
        lines.push(waiting(state.pending));
    }
    if let Some(last) = state.last_synced.filter(|_| state.phase != SyncPhase::UpToDate && state.phase.is_signed_in()) {
        lines.push(synced_ago(last, now_ms));
    }
    lines
}

/// The badge for `state`.
pub(crate) fn badge(state: &SyncState, now_ms: i64) -> Badge {
    let waiting_suffix = if state.pending > 0 { format!(" · {} waiting", state.pending) } else { String::new() };
    let (class, text) = match &state.phase {
        SyncPhase::LocalOnly => ("local", "Local".to_string()),
        SyncPhase::UpToDate => ("ok", "Synced".to_string()),
        SyncPhase::Sending => ("busy", format!("Sending {}…", state.pending)),
        SyncPhase::Receiving { done, total } if *total > 0 => ("busy", format!("Syncing {done}/{total}")),
        SyncPhase::Receiving { .. } => ("busy", "Syncing…".to_string()),
        SyncPhase::Connecting | SyncPhase::Starting => ("busy", format!("Connecting…{waiting_suffix}")),
        SyncPhase::Offline => ("offline", format!("Offline{waiting_suffix}")),
        SyncPhase::Unreachable { .. } => ("offline", format!("Not syncing{waiting_suffix}")),
        SyncPhase::SignedOut => ("idle", "Not syncing".to_string()),
        SyncPhase::Expired => ("error", "Log in again".to_string()),
        _ => ("error", format!("Sync error{waiting_suffix}")),
    };
    let title = match &state.phase {
        SyncPhase::LocalOnly => "Stored encrypted in this browser only. Click to set up sync.".to_string(),
        _ => std::iter::once(headline(state).1).chain(details(state, now_ms)).collect::<Vec<_>>().join(". "),
    };
    Badge { class, text, title }
}

#[cfg(test)]
mod tests {
    use super::*;
    use localful_core::sync::SyncError;
    use localful_core::wire::ErrorKind;

    const NOW: i64 = 1_800_000_000_000;

    fn at(ms_ago: i64) -> Timestamp {
        Timestamp::from_unix_millis(NOW - ms_ago).expect("a time")
    }

    fn every_phase() -> Vec<SyncPhase> {
        vec![
            SyncPhase::Starting,
            SyncPhase::LocalOnly,
            SyncPhase::SignedOut,
            SyncPhase::Expired,
            SyncPhase::Connecting,
            SyncPhase::UpToDate,
            SyncPhase::Sending,
            SyncPhase::Receiving { done: 2, total: 5 },
            SyncPhase::Offline,
            SyncPhase::Unreachable { retry_in_ms: Some(2_400) },
            SyncPhase::Unreachable { retry_in_ms: None },
            SyncPhase::Error { error: SyncError::OriginRefused { origin: Some("http://127.0.0.1:8080".into()) } },
            SyncPhase::Error { error: SyncError::ChangesRefused { count: 2, kind: ErrorKind::LimitExceeded } },
        ]
    }

    #[test]
    fn nothing_shown_contradicts_the_state() {
        for phase in every_phase() {
            for pending in [0, 3] {
                // Up to date never comes with changes waiting: the worker derives it so.
                if phase == SyncPhase::UpToDate && pending > 0 {
                    continue;
                }
                let state = SyncState { phase: phase.clone(), pending, last_synced: Some(at(120_000)), vaults: vec![] };
                let b = badge(&state, NOW);
                let panel =
                    std::iter::once(headline(&state).1).chain(details(&state, NOW)).collect::<Vec<_>>().join("\n");
                let all = format!("{} | {} | {panel}", b.text, b.title);
                let case = format!("{phase:?} {pending}: {all}");
                if pending > 0 {
                    assert!(panel.contains("3 changes waiting to be sent"), "{case}");
                    assert!(!all.contains("Up to date") && b.text != "Synced", "{case}");
                } else {
                    assert!(!all.contains("waiting"), "{case}");
                }
                if matches!(phase, SyncPhase::Error { .. }) {
                    assert!(!all.contains("Synced") || all.contains("Synced 2 minutes ago"), "{case}");
                    assert!(!all.contains("Up to date"), "{case}");
                }
                if phase.needs_sign_in() {
                    assert!(!all.contains("Synced") && !all.contains("Up to date"), "{case}");
                } else {
                    assert!(!panel.contains("log in to sync"), "{case}");
                }
                if phase != SyncPhase::Offline {
                    assert!(!b.text.starts_with("Offline") && !panel.contains("no network"), "{case}");
                }
                for debug in ["{", "}", "::", "Some(", "None"] {
                    assert!(!all.contains(debug), "{case}");
                }
            }
        }
    }

    #[test]
    fn each_state_in_words() {
        let state = |phase, pending| SyncState { phase, pending, last_synced: Some(at(125_000)), vaults: vec![] };
        let offline = state(SyncPhase::Offline, 3);
        assert_eq!(badge(&offline, NOW).text, "Offline · 3 waiting");
        assert_eq!(details(&offline, NOW), vec!["3 changes waiting to be sent", "Synced 2 minutes ago"]);
        let retrying = state(SyncPhase::Unreachable { retry_in_ms: Some(2_400) }, 1);
        assert_eq!(headline(&retrying).1, "The sync server cannot be reached. Retrying in 3 seconds…");
        assert_eq!(details(&retrying, NOW)[0], "1 change waiting to be sent");
        assert_eq!(badge(&state(SyncPhase::Sending, 3), NOW).text, "Sending 3…");
        let synced = state(SyncPhase::UpToDate, 0);
        assert_eq!((badge(&synced, NOW).text.as_str(), headline(&synced).1.as_str()), ("Synced", "✓ Up to date"));
        assert!(details(&synced, NOW).is_empty(), "up to date says nothing of the past");
        let counted = counted_down(&retrying, 1_500);
        assert_eq!(headline(&counted).1, "The sync server cannot be reached. Retrying in 1 second…");
        assert_eq!(headline(&counted_down(&retrying, 9_000)).1, "The sync server cannot be reached. Retrying now…");
        assert_eq!(counted_down(&retrying, -5), retrying, "a clock behind counts nothing");
        assert_eq!(counted_down(&offline, 9_000), offline, "only a planned retry counts down");
        assert_eq!(synced_ago(at(30_000), NOW), "Synced just now");
        assert_eq!(synced_ago(at(60_000), NOW), "Synced 1 minute ago");
        assert_eq!(synced_ago(at(2 * 3_600_000 + 5), NOW), "Synced 2 hours ago");
        assert_eq!(synced_ago(at(3 * 86_400_000), NOW), "Synced 3 days ago");
    }
}
