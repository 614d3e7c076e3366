//! The store suite: one set of behaviour tests, written against the typed API over any [`Store`],
//! run natively on the memory store and in Chromium on IndexedDB (page and shared worker).
#![allow(dead_code, unreachable_pub, missing_docs, clippy::unwrap_used)]

pub mod fixtures;
mod decrypted;
mod errors;
mod events;
mod history;
mod items;
mod merge;
mod migrations;
mod queries;
mod real_cipher;
mod remote;
mod repair;
mod vaults;

pub use decrypted::*;
pub use errors::*;
pub use events::*;
pub use fixtures::Factory;
pub use history::*;
pub use items::*;
pub use merge::*;
pub use migrations::*;
pub use queries::*;
pub use real_cipher::*;
pub use remote::*;
pub use repair::*;
pub use vaults::*;

/// Calls `$m! { test_a, test_b, ... }` with every test of the suite.
#[macro_export]
macro_rules! for_each_store_test {
    ($m:ident) => {
        $m! {
            vaults_create_list_open_rename_delete,
            vault_data_is_separate_and_survives_reopen,
            vaults_outbox_and_remote_vaults,
            vaults_destroy_forgets_everything,
            items_create_get_update,
            items_get_many,
            items_create_many_in_one_write,
            items_insert_without_read_all_or_nothing,
            items_delete_leaves_tombstone_and_drops_data,
            items_outbox_follows_every_local_write,
            merge_reads_and_writes_in_one_transaction,
            merge_reads_many_rows_whatever_their_spread,
            versions_read_many_whatever_their_spread,
            merge_writes_all_or_nothing,
            history_list_read_restore,
            history_delete_one_version,
            history_prune_by_count_and_age,
            history_names_the_devices_that_wrote,
            remote_items_and_versions_apply_idempotently,
            remote_lww_ties_break_by_id_in_any_order,
            remote_tombstone_drops_data,
            remote_meta_values_persist,
            remote_version_applied_without_the_collection,
            repair_requeues_what_the_server_lacks_and_applies_what_it_has,
            migrations_run_on_read,
            migrations_chain_of_three_versions_writes_back_on_save,
            query_every_operation,
            query_order_and_paging,
            query_stages_use_the_index_and_skip_decryption,
            query_scan_reads_versions_with_few_rows,
            query_not_equal_and_in_list,
            query_total_counts_without_decrypting_what_exposed_fields_decide,
            query_cursor_pages_stay_right_while_items_change,
            query_decrypting_every_candidate_keeps_order_and_current_versions,
            decrypted_re_reads_decrypt_only_new_versions,
            decrypted_values_are_not_served_once_the_key_is_locked,
            decrypted_value_of_a_deleted_version_is_never_served,
            events_for_every_write,
            events_subscription_ends_on_drop,
            events_reach_a_second_channel,
            errors_value_not_matching_collection,
            errors_missing_and_deleted_items,
            errors_closed_database,
            errors_locked_vault_writes_nothing,
            errors_tampered_data_is_typed,
            errors_constraint_rolls_back_the_whole_write,
            errors_quota_exceeded_writes_nothing,
            real_cipher_round_trip,
            concurrent_writers_stay_consistent,
        }
    };
}
