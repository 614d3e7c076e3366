//! "Remove this device's data": the account panel's way to leave a browser with nothing of the
//! app in it, after saying what that costs (unsent changes, the need to sign in again).

use crate::prefs;
use localful_yew::use_localful;
use yew::prelude::*;

/// Properties of [`ForgetDevice`].
#[derive(Properties, PartialEq)]
pub(crate) struct ForgetDeviceProps {
    /// Changes made here that the server does not have yet (lost by the wipe).
    pub(crate) pending: u64,
    /// Whether this browser is signed in to a sync server.
    pub(crate) signed_in: bool,
}

/// What removing this device's data deletes and what stays, in plain words.
fn consequences(pending: u64, signed_in: bool) -> Vec<String> {
    let mut lines = vec!["Every vault and note this app keeps in this browser is deleted, with its history.".to_string()];
    match pending {
        0 => {}
        1 => lines.push("1 change has not reached the sync server yet and will be lost.".into()),
        n => lines.push(format!("{n} changes have not reached the sync server yet and will be lost.")),
    }
    if signed_in {
        lines.push("This browser is signed out. Vaults synced with your account stay on the server: log in again to get them back.".into());
    } else {
        lines.push("Nothing here is synced to a server, so these notes cannot be brought back.".into());
    }
    lines
}

/// A button that opens an inline confirmation, then wipes and restarts the app.
#[function_component]
pub(crate) fn ForgetDevice(props: &ForgetDeviceProps) -> Html {
    let ctx = use_localful();
    let confirming = use_state(|| false);
    let busy = use_state(|| false);
    let failed = use_state(|| false);
    let toggle = |open: bool| {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(open))
    };
    let on_confirm = {
        let (busy, failed) = (busy.clone(), failed.clone());
        Callback::from(move |_: MouseEvent| {
            let (ctx, busy, failed) = (ctx.clone(), busy.clone(), failed.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match ctx.forget_this_device().await {
                    Ok(()) => {
                        prefs::clear_all();
                        if let Some(window) = web_sys::window() {
                            let _ = window.location().reload();
                        }
                    }
                    Err(error) => {
                        web_sys::console::warn_1(&format!("removing this device's data failed: {error}").into());
                        busy.set(false);
                        failed.set(true);
                    }
                }
            });
        })
    };

    html! {
        <section class="forget-device" data-testid="forget-device">
            if *confirming {
                <h3>{ "Remove this device's data?" }</h3>
                { for consequences(props.pending, props.signed_in).into_iter().map(|line| html! { <p>{ line }</p> }) }
                if *failed {
                    <p class="error" role="alert">{ "Not everything could be deleted. Close the app's other tabs and try again." }</p>
                }
                <div class="actions">
                    <button class="ghost" onclick={toggle(false)} disabled={*busy}>{ "Cancel" }</button>
                    <button class="danger confirm" onclick={on_confirm} disabled={*busy}>
                        { if *busy { "Deleting…" } else { "Delete everything from this browser" } }
                    </button>
                </div>
            } else {
                <p class="hint muted">{ "Log out keeps your notes here, encrypted, and stops sync until you log in again. To leave nothing behind on this browser (a shared or sold computer), remove its data." }</p>
                <button class="danger" onclick={toggle(true)}>{ "Remove this device's data…" }</button>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::consequences;

    #[test]
    fn the_cost_is_said_in_plain_words() {
        assert_eq!(consequences(0, true).len(), 2);
        assert!(consequences(1, true)[1].starts_with("1 change has not"));
        assert!(consequences(3, false)[1].starts_with("3 changes have not"));
        assert!(consequences(0, false)[1].contains("cannot be brought back"));
        for line in consequences(2, true) {
            assert!(!line.contains('{') && line.ends_with('.'), "{line}");
        }
    }
}
