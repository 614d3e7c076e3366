//! Reading a backup file chunk by chunk (pure): lines parsed as they complete, the digest
//! computed as they go, the end checked against both.

use super::error::BackupError;
use super::format::{BACKUP_VERSION, BackupEnd, BackupHeader, BackupItem, Line, MAX_LINE};
use super::writer::hex;
use sha2::{Digest, Sha256};

/// A backup file read whole: its header and its end (see [`BackupReader::finish`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupSummary {
    /// The first line: the vault and the counts.
    pub header: BackupHeader,
    /// The last line: counts, digest and seal.
    pub end: BackupEnd,
}

/// What a chunk completed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupRecord {
    /// The first line.
    Header(BackupHeader),
    /// An item line.
    Item(BackupItem),
}

/// Reads a backup file from chunks of any size ([`feed`](Self::feed)), keeping only the
/// incomplete last line in memory, then checks its end ([`finish`](Self::finish)).
#[derive(Debug, Default)]
pub struct BackupReader {
    pending: Vec<u8>,
    hasher: Sha256,
    line: u64,
    header: Option<BackupHeader>,
    end: Option<BackupEnd>,
    items: u64,
    versions: u64,
}

impl BackupReader {
    /// A reader at the start of a file.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `chunk`, returning the records of the lines it completed. The first error stops the
    /// file: later calls are not meaningful.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<BackupRecord>, BackupError> {
        let mut out = Vec::new();
        let mut rest = chunk;
        while let Some(at) = rest.iter().position(|b| *b == b'\n') {
            let (head, tail) = rest.split_at(at + 1);
            rest = tail;
            let line = if self.pending.is_empty() {
                self.record(head)?
            } else {
                let mut whole = std::mem::take(&mut self.pending);
                whole.extend_from_slice(head);
                self.record(&whole)?
            };
            out.extend(line);
        }
        self.pending.extend_from_slice(rest);
        if self.pending.len() > MAX_LINE {
            return Err(self.corrupt("a line is longer than any backup line"));
        }
        Ok(out)
    }

    fn corrupt(&self, reason: impl Into<String>) -> BackupError {
        BackupError::Corrupt {
            line: self.line.max(1),
            reason: reason.into(),
        }
    }

    /// One complete line (`\n` included).
    fn record(&mut self, bytes: &[u8]) -> Result<Option<BackupRecord>, BackupError> {
        self.line += 1;
        if self.end.is_some() {
            return Err(self.corrupt("data after the end of the backup"));
        }
        let text = std::str::from_utf8(&bytes[..bytes.len() - 1])
            .map_err(|_| self.corrupt("not UTF-8 text"))?;
        let Some(header) = &self.header else {
            let header = self.header(text)?;
            self.hasher.update(bytes);
            self.header = Some(header.clone());
            return Ok(Some(BackupRecord::Header(header)));
        };
        let expected = (header.items, header.versions);
        match serde_json::from_str::<Line>(text) {
            Ok(Line::Item(item)) => {
                self.hasher.update(bytes);
                self.items += 1;
                self.versions += item.versions.len() as u64;
                if item
                    .versions
                    .iter()
                    .any(|v| v.deleted_at.is_none() != v.protected_data.is_some())
                {
                    return Err(
                        self.corrupt("a live version without data, or a deleted one with data")
                    );
                }
                Ok(Some(BackupRecord::Item(item)))
            }
            Ok(Line::End { end }) => {
                if hex(&self.hasher.clone().finalize()) != end.sha256 {
                    return Err(BackupError::DigestMismatch);
                }
                if (end.items, end.versions) != (self.items, self.versions)
                    || expected != (self.items, self.versions)
                {
                    return Err(self.corrupt("the counts at the end do not match the file"));
                }
                self.end = Some(end);
                Ok(None)
            }
            Err(e) => Err(self.corrupt(e.to_string())),
        }
    }

    fn header(&self, text: &str) -> Result<BackupHeader, BackupError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|_| BackupError::NotABackup)?;
        let version = value.get("localfulBackup").ok_or(BackupError::NotABackup)?;
        let version = version
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or(BackupError::NotABackup)?;
        if version != BACKUP_VERSION {
            return Err(BackupError::UnsupportedVersion(version));
        }
        serde_json::from_value(value).map_err(|e| self.corrupt(e.to_string()))
    }

    /// Item lines read so far (for progress).
    pub fn items_read(&self) -> u64 {
        self.items
    }

    /// Checks that the file ended with its end line: [`BackupError::Truncated`] otherwise.
    pub fn finish(self) -> Result<BackupSummary, BackupError> {
        if !self.pending.is_empty() {
            // A last line without its newline is a cut, whatever it holds.
            return Err(BackupError::Truncated);
        }
        match (self.header, self.end) {
            (Some(header), Some(end)) => Ok(BackupSummary { header, end }),
            (None, _) => Err(BackupError::NotABackup),
            (Some(_), None) => Err(BackupError::Truncated),
        }
    }
}
