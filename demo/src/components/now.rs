//! [`use_now_ms`]: the wall-clock time, refreshed now and then, for "Synced 2 minutes ago" and
//! "Retrying in 3 seconds".

use gloo::timers::callback::Interval;
use yew::prelude::*;

/// How often "… ago" texts are brought up to date.
pub(crate) const EVERY_FEW_SECONDS_MS: u32 = 15_000;

/// The current time in Unix milliseconds, re-rendering the component every `period_ms`.
#[hook]
pub(crate) fn use_now_ms(period_ms: u32) -> i64 {
    let now = use_state(now_ms);
    {
        let now = now.clone();
        use_effect_with(period_ms, move |period| {
            now.set(now_ms());
            let interval = Interval::new(*period, move || now.set(now_ms()));
            move || drop(interval)
        });
    }
    *now
}

/// The current time in Unix milliseconds.
// f64 milliseconds since 1970 are whole numbers far below 2^53.
#[allow(clippy::cast_possible_truncation)]
pub(crate) fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
