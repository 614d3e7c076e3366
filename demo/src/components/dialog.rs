//! What a modal dialog of the demo does for keyboard users: it takes the focus when it opens,
//! keeps Tab and Shift+Tab among its own controls, closes on Escape, and gives the focus back to
//! where it was (the button that opened it).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// What Tab can reach inside a dialog.
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), textarea:not([disabled]), \
    select:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

/// Focuses `first` (the dialog's first control) once the dialog is shown; when the dialog goes
/// away, focuses again the element that had the focus before it opened.
#[hook]
pub(crate) fn use_dialog_focus(first: NodeRef) {
    use_effect_with((), move |()| {
        let before = active_element().and_then(|e| e.dyn_into::<HtmlElement>().ok());
        // Focus fails only on an element no longer in the page: there is nothing to focus then.
        if let Some(el) = first.cast::<HtmlElement>() {
            let _ = el.focus();
        }
        move || {
            if let Some(el) = before {
                let _ = el.focus();
            }
        }
    });
}

/// The keydown handler of `dialog` (its outermost element): Escape calls `on_close`; Tab from its
/// last control goes to its first, Shift+Tab from its first to its last, so the focus never
/// reaches the page behind it. (A node ref, not the event's `current_target`: yew delegates
/// events to the app's root element.)
pub(crate) fn dialog_keys(dialog: NodeRef, on_close: Callback<()>) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
        "Escape" => {
            e.prevent_default();
            on_close.emit(());
        }
        "Tab" => {
            let Some(dialog) = dialog.cast::<Element>() else { return };
            let controls = focusable(&dialog);
            let (Some(first), Some(last)) = (controls.first(), controls.last()) else { return };
            let active = active_element();
            let is_active = |el: &HtmlElement| active.as_ref().is_some_and(|a| a.is_same_node(Some(el)));
            let wrap_to = if e.shift_key() && is_active(first) {
                last
            } else if !e.shift_key() && is_active(last) {
                first
            } else {
                return;
            };
            e.prevent_default();
            let _ = wrap_to.focus();
        }
        _ => {}
    })
}

fn active_element() -> Option<Element> {
    web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element())
}

/// The controls of `dialog` that Tab reaches, in document order.
fn focusable(dialog: &Element) -> Vec<HtmlElement> {
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<HtmlElement>().ok()).collect()
}
