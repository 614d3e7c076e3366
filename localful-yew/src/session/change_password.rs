//! Changing a vault's password: the data key re-wrapped under the new password, nothing
//! re-encrypted.

use super::VaultSessions;
use localful_core::crypto::{self, CryptoError};
use localful_core::{Error, StoreError, VaultId};

/// The fewest characters a new vault password may have ([`ChangePasswordError::TooShort`]).
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Why a password change failed; the old password still opens the vault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChangePasswordError {
    /// The current password given does not open the vault.
    #[error("the current password is wrong")]
    WrongPassword,
    /// The new password is empty or shorter than [`MIN_PASSWORD_CHARS`].
    #[error("the new password is too short: use at least {min} characters")]
    TooShort {
        /// The fewest characters accepted.
        min: usize,
    },
    /// The password was changed in another tab or on another device while this change ran.
    #[error("the password was changed elsewhere meanwhile: enter the newest password as the current one")]
    ChangedElsewhere,
    /// Reading or saving the vault failed (or the browser's cryptography did).
    #[error("the new password could not be saved: {0}")]
    Store(Error),
}

impl From<StoreError> for ChangePasswordError {
    fn from(error: StoreError) -> Self {
        Self::Store(error.into())
    }
}

impl From<Error> for ChangePasswordError {
    fn from(error: Error) -> Self {
        match error {
            Error::Crypto(CryptoError::WrongPassword) => Self::WrongPassword,
            other => Self::Store(other),
        }
    }
}

impl From<CryptoError> for ChangePasswordError {
    fn from(error: CryptoError) -> Self {
        Error::from(error).into()
    }
}

/// Checks a new password before any work: at least [`MIN_PASSWORD_CHARS`] characters.
pub(crate) fn check_new_password(password: &str) -> Result<(), ChangePasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ChangePasswordError::TooShort { min: MIN_PASSWORD_CHARS });
    }
    Ok(())
}

impl VaultSessions {
    /// Changes vault `id`'s password from `current` to `new`: its data key is re-wrapped under
    /// `new` (fresh salt, [`crypto::DEFAULT_ITERATIONS`]) and saved in the vault's metadata, which
    /// syncs like a rename. No data is re-encrypted, so every tab, the worker and this device's
    /// kept key go on working with the key they hold; from now on only `new` unlocks the vault
    /// (here, in other tabs and, once synced, on other devices). The vault need not be unlocked.
    /// On any error nothing changed.
    pub async fn change_password(&self, id: VaultId, current: &str, new: &str) -> Result<(), ChangePasswordError> {
        check_new_password(new)?;
        let database = self.database();
        let before = database.vault(id).await?.protected_encryption_key;
        let after = crypto::change_password(&before, current, new).await?;
        // Saved only over the key that `current` opened: a change made meanwhile elsewhere wins.
        let saved = database
            .update_vault(id, |vault| {
                if vault.protected_encryption_key == before {
                    vault.protected_encryption_key = after.clone();
                }
            })
            .await?;
        if saved.protected_encryption_key != after {
            return Err(ChangePasswordError::ChangedElsewhere);
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ManualClock;
    use futures::executor::block_on;
    use localful_core::{Collection, Database, EventBus, MemoryStore, Query, Schema};
    use std::rc::Rc;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Note {
        title: String,
    }
    impl Collection for Note {
        const NAME: &'static str = "notes";
    }

    fn sessions() -> VaultSessions {
        let database =
            Database::new(Rc::new(MemoryStore::new()), Schema::new().with::<Note>(), EventBus::local(), "here");
        VaultSessions::new(database, "app", Rc::new(ManualClock::new()))
    }

    #[test]
    fn the_new_password_unlocks_the_old_one_no_longer_and_the_data_stays_readable() {
        block_on(async {
            let sessions = sessions();
            let open = sessions.create_vault("Diary", "old password").await.unwrap();
            open.create(&Note { title: "kept".into() }).await.unwrap();
            sessions.change_password(open.id(), "old password", "new password").await.unwrap();

            // The handle unlocked before goes on working.
            open.create(&Note { title: "after".into() }).await.unwrap();
            let err = sessions.unlock(open.id(), "old password").await.err();
            assert_eq!(err, Some(CryptoError::WrongPassword.into()));
            let reopened = sessions.unlock(open.id(), "new password").await.unwrap();
            let titles: Vec<String> = reopened
                .query::<Note>(&Query::new())
                .await
                .unwrap()
                .entries
                .into_iter()
                .map(|e| e.data.title)
                .collect();
            assert_eq!(titles, ["kept", "after"]);
        });
    }

    #[test]
    fn a_wrong_current_or_short_new_password_changes_nothing() {
        block_on(async {
            let sessions = sessions();
            let open = sessions.create_vault("Diary", "old password").await.unwrap();
            let before = sessions.database().vault(open.id()).await.unwrap();
            assert_eq!(
                sessions.change_password(open.id(), "not it", "new password").await,
                Err(ChangePasswordError::WrongPassword)
            );
            assert_eq!(
                sessions.change_password(open.id(), "old password", "short").await,
                Err(ChangePasswordError::TooShort { min: MIN_PASSWORD_CHARS })
            );
            let missing = VaultId::new();
            assert_eq!(
                sessions.change_password(missing, "old password", "new password").await,
                Err(ChangePasswordError::Store(StoreError::VaultNotFound(missing).into()))
            );
            assert_eq!(sessions.database().vault(open.id()).await.unwrap(), before, "a failed change wrote something");
            sessions.unlock(open.id(), "old password").await.unwrap();
        });
    }

    #[test]
    fn a_new_password_needs_eight_characters_counted_as_characters() {
        assert_eq!(check_new_password(""), Err(ChangePasswordError::TooShort { min: 8 }));
        assert_eq!(check_new_password("seven77"), Err(ChangePasswordError::TooShort { min: 8 }));
        assert_eq!(
            check_new_password("ééééééé"),
            Err(ChangePasswordError::TooShort { min: 8 }),
            "14 bytes, 7 characters"
        );
        assert_eq!(check_new_password("eight888"), Ok(()));
    }

    #[test]
    fn errors_read_as_plain_words() {
        assert_eq!(ChangePasswordError::from(CryptoError::WrongPassword), ChangePasswordError::WrongPassword);
        assert_eq!(ChangePasswordError::WrongPassword.to_string(), "the current password is wrong");
        assert_eq!(
            ChangePasswordError::TooShort { min: 8 }.to_string(),
            "the new password is too short: use at least 8 characters"
        );
        let missing = VaultId::new();
        assert_eq!(
            ChangePasswordError::from(StoreError::VaultNotFound(missing)).to_string(),
            format!("the new password could not be saved: {}", StoreError::VaultNotFound(missing))
        );
    }
}
