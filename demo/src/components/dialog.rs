//! What a modal dialog of the demo does for keyboard users: it takes the focus when it opens,
//! closes on Escape, and gives the focus back to where it was (the button that opened it).

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

/// Focuses `first` (the dialog's first control) once the dialog is shown; when the dialog goes
/// away, focuses again the element that had the focus before it opened.
#[hook]
pub(crate) fn use_dialog_focus(first: NodeRef) {
    use_effect_with((), move |()| {
        let before = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
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

/// The dialog's keydown handler: Escape calls `on_close`.
pub(crate) fn close_on_escape(on_close: Callback<()>) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            on_close.emit(());
        }
    })
}
