//! The UI, one component per file.

mod account_panel;
#[cfg(target_arch = "wasm32")]
mod backup_section;
mod brand;
#[cfg(target_arch = "wasm32")]
mod cleared_notice;
mod change_password;
mod create_vault;
mod device_setup;
mod devices;
mod dialog;
mod editor;
mod forget_device;
mod history;
mod install_button;
mod home;
mod note_list;
mod now;
mod online_badge;
#[cfg(target_arch = "wasm32")]
mod plain_export;
mod strength_meter;
mod tag_filter;
mod unlock_form;
mod update_banner;
mod vault_gate;
mod vault_list;
mod version_diff;
mod workspace;
mod your_data;

pub(crate) use account_panel::AccountPanel;
#[cfg(target_arch = "wasm32")]
pub(crate) use backup_section::BackupSection;
pub(crate) use brand::{Brand, Footer};
#[cfg(target_arch = "wasm32")]
pub(crate) use cleared_notice::ClearedNotice;
pub(crate) use change_password::ChangePassword;
pub(crate) use create_vault::CreateVault;
pub(crate) use device_setup::DeviceSetup;
pub(crate) use devices::Devices;
pub(crate) use editor::Editor;
pub(crate) use forget_device::ForgetDevice;
pub(crate) use history::History;
pub(crate) use install_button::InstallButton;
pub(crate) use home::Home;
pub(crate) use note_list::NoteList;
pub(crate) use online_badge::OnlineBadge;
#[cfg(target_arch = "wasm32")]
pub(crate) use plain_export::PlainExport;
pub(crate) use strength_meter::StrengthMeter;
pub(crate) use tag_filter::TagFilter;
pub(crate) use unlock_form::UnlockForm;
pub(crate) use update_banner::UpdateBanner;
pub(crate) use vault_gate::VaultGate;
pub(crate) use vault_list::VaultList;
pub(crate) use version_diff::VersionDiff;
pub(crate) use workspace::Workspace;
pub(crate) use your_data::YourData;

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::{InputEvent, TargetCast};

/// The value of the `<input>` an input event came from.
pub(crate) fn input_value(event: &InputEvent) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

/// The value of the `<textarea>` an input event came from.
pub(crate) fn textarea_value(event: &InputEvent) -> String {
    event.target_unchecked_into::<HtmlTextAreaElement>().value()
}
