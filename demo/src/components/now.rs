//! [`use_now_ms`]: the wall-clock time, refreshed every few seconds, for "Synced 2 minutes ago".

use gloo::timers::callback::Interval;
use yew::prelude::*;

/// How often "… ago" texts are brought up to date.
const REFRESH_MS: u32 = 15_000;

/// The current time in Unix milliseconds, re-rendering the component every 15 s.
#[hook]
pub(crate) fn use_now_ms() -> i64 {
    let now = use_state(now_ms);
    {
        let now = now.clone();
        use_effect_with((), move |()| {
            let interval = Interval::new(REFRESH_MS, move || now.set(now_ms()));
            move || drop(interval)
        });
    }
    *now
}

// f64 milliseconds since 1970 are whole numbers far below 2^53.
#[allow(clippy::cast_possible_truncation)]
fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
