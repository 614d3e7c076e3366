//! One line of text per `tracing` event, and a subscriber that hands each line to a sink.

use std::fmt::{self, Write as _};
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// The text of `event`: its level, target, message and other fields, as
/// `WARN localful_worker::engine: a vault could not be uploaded vault="…" attempt=2`.
pub fn line(event: &Event<'_>) -> String {
    let meta = event.metadata();
    let mut fields = Fields { message: String::new(), rest: String::new() };
    event.record(&mut fields);
    let mut out = format!("{} {}: {}", meta.level(), meta.target(), fields.message);
    out.push_str(&fields.rest);
    out
}

/// Collects an event's `message` apart from its other fields (` name=value` each, values as
/// `Debug` shows them: strings quoted).
struct Fields {
    message: String,
    rest: String,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        // Writing into a String cannot fail.
        let _ = if field.name() == "message" {
            write!(self.message, "{value:?}")
        } else {
            write!(self.rest, " {}={value:?}", field.name())
        };
    }
}

/// A subscriber of events at `level` and above that passes each one's [`line()`] to `sink`: what
/// `log_to_console` installs, with the console as the sink. Spans are
/// accepted and not shown (Localful's crates report events only).
pub struct LineSubscriber<F> {
    level: Level,
    sink: F,
}

impl<F: Fn(Level, &str) + Send + Sync + 'static> LineSubscriber<F> {
    /// Events at `level` and above, to `sink`.
    pub fn new(level: Level, sink: F) -> Self {
        Self { level, sink }
    }
}

impl<F: Fn(Level, &str) + Send + Sync + 'static> Subscriber for LineSubscriber<F> {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // More verbose levels compare greater: TRACE > DEBUG > … > ERROR.
        *metadata.level() <= self.level
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::from_level(self.level))
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        (self.sink)(*event.metadata().level(), &line(event));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// The lines `f` logs at `level` and above.
    fn lines(level: Level, f: impl FnOnce()) -> Vec<(Level, String)> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = {
            let seen = seen.clone();
            move |level, text: &str| seen.lock().unwrap().push((level, text.to_owned()))
        };
        tracing::subscriber::with_default(LineSubscriber::new(level, sink), f);
        seen.lock().unwrap().clone()
    }

    #[test]
    fn an_event_is_one_line_with_its_level_target_message_and_fields() {
        let got = lines(Level::INFO, || {
            tracing::warn!(target: "localful_worker::engine", vault = "v-1", attempt = 2, "a vault could not be uploaded");
        });
        assert_eq!(got, vec![(Level::WARN, r#"WARN localful_worker::engine: a vault could not be uploaded vault="v-1" attempt=2"#.to_owned())]);
    }

    #[test]
    fn events_below_the_level_are_left_out_and_spans_are_accepted() {
        let got = lines(Level::WARN, || {
            let span = tracing::warn_span!("sync", vault = "v-1");
            let _entered = span.enter();
            tracing::info!("connected");
            tracing::error!(error = %"disk full", "could not save");
        });
        assert_eq!(got, vec![(Level::ERROR, "ERROR localful_core::logging::line::tests: could not save error=disk full".to_owned())]);
    }
}
