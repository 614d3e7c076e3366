//! "Export notes as Markdown": every note of the open vault, decrypted, as Markdown files in a
//! zip, after the password is given again (browser only: it saves a `Blob`).

use super::backup_section::save;
use super::input_value;
use crate::markdown_export::notes_zip;
use crate::model::Note;
use localful_core::crypto::{self, CryptoError};
use localful_core::{Error, Query};
use localful_yew::{BackupFile, OpenVault};
use yew::prelude::*;

/// Properties of [`PlainExport`].
#[derive(Properties, PartialEq)]
pub(crate) struct PlainExportProps {
    /// The open vault.
    pub(crate) vault: OpenVault,
}

#[derive(Clone, PartialEq)]
enum Step {
    Idle,
    Running,
    Done(String),
    Failed(String),
}

/// Checks `password` against the vault's key, then zips every note and saves the zip.
async fn export(vault: &OpenVault, password: &str) -> Result<String, String> {
    let meta = vault
        .database()
        .vault(vault.id())
        .await
        .map_err(|e| e.to_string())?;
    match crypto::unlock(&meta.protected_encryption_key, password).await {
        Ok(_) => {}
        Err(CryptoError::WrongPassword) => {
            return Err("Wrong password: the notes were not exported.".into());
        }
        Err(e) => return Err(format!("The password could not be checked: {e}.")),
    }
    let notes: Vec<Note> = match vault.query::<Note>(&Query::new()).await {
        Ok(page) => page.entries.into_iter().map(|e| e.data).collect(),
        Err(Error::Store(e)) => return Err(format!("The notes could not be read: {e}.")),
        Err(e) => return Err(format!("The notes could not be read: {e}.")),
    };
    let bytes = notes_zip(&notes).map_err(|e| format!("The zip could not be made: {e}."))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/zip");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| "The browser could not make the file.".to_string())?;
    let day = localful_core::Timestamp::now().to_string();
    let file_name = format!("{} notes {}.zip", meta.name, day.get(..10).unwrap_or(&day));
    save(&BackupFile {
        blob,
        file_name: file_name.clone(),
    });
    Ok(match notes.len() {
        1 => format!("1 note exported as Markdown in “{file_name}”."),
        n => format!("{n} notes exported as Markdown in “{file_name}”."),
    })
}

/// The plain export form.
#[function_component]
pub(crate) fn PlainExport(props: &PlainExportProps) -> Html {
    let password = use_state(String::new);
    let step = use_state(|| Step::Idle);
    let on_password = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| password.set(input_value(&e)))
    };
    let on_submit = {
        let (password, step, vault) = (password.clone(), step.clone(), props.vault.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *step == Step::Running {
                return;
            }
            step.set(Step::Running);
            let (password, step, vault) = ((*password).clone(), step.setter(), vault.clone());
            wasm_bindgen_futures::spawn_local(async move {
                step.set(match export(&vault, &password).await {
                    Ok(done) => Step::Done(done),
                    Err(why) => Step::Failed(why),
                });
            });
        })
    };
    html! {
        <section aria-labelledby="plain-title">
            <h3 id="plain-title">{ "Take your notes elsewhere" }</h3>
            <p class="muted">{ "A zip of Markdown files, one per note, not encrypted: anyone with the file can read it. \
                Give the vault's password to confirm." }</p>
            <form class="restore-form" onsubmit={on_submit}>
                <label>{ "Password of this vault" }<input type="password" data-testid="plain-password"
                    autocomplete="current-password" value={(*password).clone()} oninput={on_password} /></label>
                <button type="submit" class="secondary" data-testid="plain-export" disabled={*step == Step::Running}>
                    { "Export notes as Markdown" }
                </button>
            </form>
            { match &*step {
                Step::Idle => html! {},
                Step::Running => html! { <p role="status">{ "Exporting…" }</p> },
                Step::Done(words) => html! { <p role="status" data-testid="plain-done">{ words }</p> },
                Step::Failed(words) => html! { <p class="error" role="alert" data-testid="plain-error">{ words }</p> },
            } }
        </section>
    }
}
