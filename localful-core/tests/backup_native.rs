//! The backup suite on the memory store, and the format's own checks.
#![allow(missing_docs, clippy::unwrap_used)]

mod backup_suite;

use backup_suite::*;
use futures::executor::block_on;
use localful_core::backup::{BackupError, BackupReader, BackupRecord};
use localful_core::{Database, MemoryStore};
use std::rc::Rc;

fn memory() -> Rc<MemoryStore> {
    Rc::new(MemoryStore::new())
}

#[test]
fn round_trip_into_a_fresh_device() {
    block_on(round_trip(memory(), memory(), 50, 3));
}

#[test]
fn damaged_files_are_refused_and_write_nothing() {
    block_on(damaged_files_write_nothing(memory()));
}

#[test]
fn merging_into_a_vault_that_has_it_loses_nothing() {
    block_on(merges_into_a_vault_that_has_part_of_it(memory()));
}

#[test]
fn a_second_backup_adds_what_the_device_lacks() {
    block_on(adds_what_a_device_lacks(memory(), memory()));
}

#[test]
fn a_file_sealed_with_another_key_is_refused() {
    block_on(another_key_is_refused(memory()));
}

#[test]
fn the_file_is_lines_with_no_plaintext_beyond_names_and_metadata() {
    block_on(async {
        let db = database(memory(), "laptop");
        let vault = filled(&db, 5, 2).await;
        let (file, _) = export(&vault).await;
        let text = String::from_utf8(file.clone()).unwrap();
        assert!(
            !text.contains("note 3"),
            "titles are encrypted: exposed fields are not exported"
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + 5 + 1, "header, one line per item, end");
        assert!(
            lines[0].starts_with(r#"{"localfulBackup":1,"#),
            "{}",
            lines[0]
        );
        assert!(
            lines[6].starts_with(r#"{"end":{"items":5,"versions":10,"sha256":""#),
            "{}",
            lines[6]
        );

        // Any chunking reads the same records.
        for size in [1, 7, 4096] {
            let mut reader = BackupReader::new();
            let mut records = Vec::new();
            for chunk in file.chunks(size) {
                records.extend(reader.feed(chunk).unwrap());
            }
            let summary = reader.finish().unwrap();
            assert_eq!(summary.header.items, 5);
            assert!(matches!(records[0], BackupRecord::Header(_)));
            assert_eq!(records.len(), 6);
        }
    });
}

#[test]
fn other_files_and_newer_formats_say_so() {
    block_on(async {
        let verify = |bytes: &'static [u8]| Database::verify_backup(chunks(bytes, 10), |_| {});
        assert_eq!(
            verify(b"hello\n").await.unwrap_err(),
            BackupError::NotABackup
        );
        assert_eq!(verify(b"").await.unwrap_err(), BackupError::NotABackup);
        assert_eq!(
            verify(b"{\"localfulBackup\":2}\n").await.unwrap_err(),
            BackupError::UnsupportedVersion(2)
        );
        let err = verify(b"{\"localfulBackup\":1}\n").await.unwrap_err();
        assert!(
            matches!(err, BackupError::Corrupt { line: 1, .. }),
            "{err:?}"
        );
        assert_eq!(
            BackupError::UnsupportedVersion(2).to_string(),
            "this backup was made by a newer version of the app (format 2): update the app to restore it"
        );
    });
}
