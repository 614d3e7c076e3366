//! Dates for people.

use localful_core::Timestamp;
use wasm_bindgen::JsValue;

/// `timestamp` in the browser's locale: the time if it is today, else date and time.
pub(crate) fn when(timestamp: Timestamp) -> String {
    // f64 holds every millisecond count up to 2^53: far beyond any date we show.
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&JsValue::from_f64(timestamp.unix_millis() as f64));
    let today = js_sys::Date::new_0();
    let same_day = date.to_date_string() == today.to_date_string();
    let options = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    };
    if !same_day {
        set("day", "numeric");
        set("month", "short");
    }
    set("hour", "2-digit");
    set("minute", "2-digit");
    set("second", "2-digit");
    date.to_locale_string("default", &options).into()
}
