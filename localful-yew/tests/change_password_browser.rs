//! Changing a vault's password through `use_vault`, in headless Chromium over IndexedDB, WebCrypto
//! and BroadcastChannel: typed errors, the old password stops working, the new one works here and
//! in another tab, the data stays readable, and a tab unlocked before the change keeps working.
#![cfg(target_arch = "wasm32")]

#[allow(unreachable_pub, private_interfaces, dead_code)]
mod support;

use localful_core::crypto::CryptoError;
use localful_core::{Collection, Query, VaultId};
use localful_yew::*;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::rc::Rc;
use support::tabs::other_tab;
use support::*;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
struct Note {
    title: String,
}
impl Collection for Note {
    const NAME: &'static str = "notes";
}

const PASSWORD: &str = "correct horse battery staple";
const NEW_PASSWORD: &str = "a brand new passphrase";

/// The vault handle the component hands out to the test.
#[derive(Clone, Default)]
struct Slot(Rc<RefCell<Option<UseVaultHandle>>>);
impl PartialEq for Slot {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
impl Slot {
    fn get(&self) -> UseVaultHandle {
        self.0.borrow().clone().expect("the component rendered")
    }
}

#[derive(Properties, PartialEq)]
struct AccountProps {
    id: VaultId,
    slot: Slot,
}

/// Shows the vault's state, the latest password change and the latest unlock error.
#[function_component]
fn Account(props: &AccountProps) -> Html {
    let vault = use_vault(props.id);
    *props.slot.0.borrow_mut() = Some(vault.clone());
    let state = match vault.state() {
        VaultState::Unlocked(_) => "unlocked".to_string(),
        VaultState::Locked(meta) => format!("locked {}", meta.name),
        _ => "other".to_string(),
    };
    let change = match vault.password_change() {
        None => String::new(),
        Some(AsyncState::Loading) => "changing".into(),
        Some(AsyncState::Ready(())) => "changed".into(),
        Some(AsyncState::Failed(err)) => err.to_string(),
    };
    html! {
        <>
            <p id="vault">{ state }</p>
            <p id="change">{ change }</p>
            <p id="unlock-error">{ vault.unlock_error().map(ToString::to_string).unwrap_or_default() }</p>
        </>
    }
}

#[wasm_bindgen_test]
async fn change_password_through_use_vault() {
    let clock = ManualClock::new();
    let config = LocalfulConfig::new(unique_app("password"))
        .with_collection::<Note>()
        .with_device_name("tab-1")
        .with_clock(Rc::new(clock.clone()));
    let (ctx, _page) = provider(config.clone()).await;
    let vault = ctx.sessions().create_vault("Diary", PASSWORD).await.expect("create vault");
    vault.create(&Note { title: "before".into() }).await.expect("create");
    // A tab that unlocked the vault before the change.
    let tab2 = other_tab(&config, vault.id(), PASSWORD).await;

    let slot = Slot::default();
    let root = mount_child(&ctx, html! { <Account id={vault.id()} slot={slot.clone()} /> });
    wait_until(|| text(&root, "#vault") == "unlocked").await;

    // Typed errors, in plain words; nothing changes.
    let wrong = slot.get().change_password("not the password".into(), NEW_PASSWORD.into()).await;
    assert_eq!(wrong, Err(ChangePasswordError::WrongPassword));
    wait_until(|| text(&root, "#change") == "the current password is wrong").await;
    let short = slot.get().change_password(PASSWORD.into(), "short".into()).await;
    assert_eq!(short, Err(ChangePasswordError::TooShort { min: MIN_PASSWORD_CHARS }));
    wait_until(|| text(&root, "#change") == "the new password is too short: use at least 8 characters").await;

    slot.get().change_password(PASSWORD.into(), NEW_PASSWORD.into()).await.expect("change password");
    wait_until(|| text(&root, "#change") == "changed").await;
    assert_eq!(text(&root, "#vault"), "unlocked", "changing the password locked the vault");

    // The tab unlocked before the change goes on reading and writing.
    tab2.create(&Note { title: "from tab 2".into() }).await.expect("tab 2 still writes");
    assert_eq!(tab2.query::<Note>(&Query::new()).await.expect("tab 2 still reads").entries.len(), 2);

    // Another tab unlocking now: the old password is refused, the new one opens the same data.
    let (other, _other_page) = provider(config.clone()).await;
    let refused = other.sessions().unlock(vault.id(), PASSWORD).await.err();
    assert_eq!(refused, Some(CryptoError::WrongPassword.into()));
    let reopened = other.sessions().unlock(vault.id(), NEW_PASSWORD).await.expect("unlock with the new password");
    let titles: Vec<String> =
        reopened.query::<Note>(&Query::new()).await.expect("query").entries.into_iter().map(|e| e.data.title).collect();
    assert_eq!(titles, ["before", "from tab 2"]);

    // Here, after a lock (in every tab): the old password fails through the hook, the new one works.
    slot.get().lock();
    wait_until(|| text(&root, "#vault") == "locked Diary").await;
    slot.get().unlock(PASSWORD.into());
    wait_until(|| text(&root, "#unlock-error") == "wrong password").await;
    wait_until(|| text(&root, "#vault") == "locked Diary").await;
    slot.get().unlock(NEW_PASSWORD.into());
    wait_until(|| text(&root, "#vault") == "unlocked").await;
    let open = slot.get().open().cloned().expect("unlocked");
    assert_eq!(open.query::<Note>(&Query::new()).await.expect("query").entries.len(), 2);
}
