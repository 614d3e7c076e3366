//! The state of an asynchronous read.

/// The state of a read hook: still loading, a result, or a typed error.
///
/// A hook keeps showing its last result while it re-runs (it does not flash back to `Loading`).
#[derive(Debug, Clone, PartialEq)]
pub enum AsyncState<T, E = localful_core::Error> {
    /// The first run has not finished yet.
    Loading,
    /// The latest result.
    Ready(T),
    /// The latest run failed.
    Failed(E),
}

impl<T, E> AsyncState<T, E> {
    /// The result, if ready.
    pub fn ready(&self) -> Option<&T> {
        match self {
            Self::Ready(value) => Some(value),
            _ => None,
        }
    }

    /// The error, if the latest run failed.
    pub fn error(&self) -> Option<&E> {
        match self {
            Self::Failed(err) => Some(err),
            _ => None,
        }
    }

    /// Whether the first run is still going.
    pub fn is_loading(&self) -> bool {
        matches!(self, Self::Loading)
    }
}

impl<T, E> From<Result<T, E>> for AsyncState<T, E> {
    fn from(result: Result<T, E>) -> Self {
        match result {
            Ok(value) => Self::Ready(value),
            Err(err) => Self::Failed(err),
        }
    }
}
