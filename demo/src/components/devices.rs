//! The devices that wrote to the open vault: each by the name it gave itself, with how many
//! versions it wrote and when it last did, live (a note synced from a new device adds its row).

use super::dialog::{dialog_keys, use_dialog_focus};
use crate::format;
use crate::prefs;
use localful_core::DeviceActivity;
use localful_yew::{use_live, AsyncState, OpenVault, Watch};
use yew::prelude::*;

/// Properties of [`Devices`].
#[derive(Properties, PartialEq)]
pub(crate) struct DevicesProps {
    /// The (unlocked) vault.
    pub(crate) vault: OpenVault,
    /// Its name.
    pub(crate) name: String,
    /// Closes the dialog.
    pub(crate) on_close: Callback<()>,
}

/// "3 versions" / "1 version".
fn versions(n: usize) -> String {
    if n == 1 { "1 version".into() } else { format!("{n} versions") }
}

/// A modal dialog listing the vault's writers, the most recently active first.
#[function_component]
pub(crate) fn Devices(props: &DevicesProps) -> Html {
    let devices = use_live(&props.vault, Watch::vault(), (), |vault, ()| async move { vault.devices().await });
    let this_device = prefs::device_name();
    let (dialog_ref, first_ref) = (use_node_ref(), use_node_ref());
    use_dialog_focus(first_ref.clone());
    let on_keydown = dialog_keys(dialog_ref.clone(), props.on_close.clone());
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let row = |d: &DeviceActivity| {
        let mine = this_device.as_deref() == Some(d.name.as_str());
        html! {
            <li class="device" data-testid="device">
                <span class="device-name">{ &d.name }</span>
                if mine { <span class="chip">{ "this device" }</span> }
                <span class="muted">{ format!("{}, last {}", versions(d.versions), format::when(d.last_written)) }</span>
            </li>
        }
    };

    html! {
        <div ref={dialog_ref} class="overlay" role="dialog" aria-modal="true" aria-labelledby="devices-title" onkeydown={on_keydown}>
            <section class="panel">
                <header class="panel-head">
                    <h2 id="devices-title">{ format!("Devices that wrote to “{}”", props.name) }</h2>
                    <button ref={first_ref} class="ghost" onclick={close}>{ "Close" }</button>
                </header>
                { match &*devices {
                    AsyncState::Loading => html! { <p class="muted">{ "Reading the history…" }</p> },
                    AsyncState::Failed(_) => html! {
                        <p class="error" role="alert">{ "The list of devices could not be read. Close this and try again." }</p>
                    },
                    AsyncState::Ready(list) if list.is_empty() => html! {
                        <p class="muted">{ "No device has written to this vault yet." }</p>
                    },
                    AsyncState::Ready(list) => html! {
                        <ul class="devices" data-testid="device-list">{ for list.iter().map(row) }</ul>
                    },
                } }
                <p class="hint muted">{ "Every version of a note records the name of the device that wrote it. Names are what each device was called when it was set up; two devices with the same name show as one." }</p>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::versions;

    #[test]
    fn counts_read_as_words() {
        assert_eq!(versions(1), "1 version");
        assert_eq!(versions(3), "3 versions");
    }
}
