use localful_core::{Direction, Field, ItemId, Query, VaultId};
use localful_yew::*;
use synced_notes::Note;
use yew::prelude::*;

/// The sync server: `http://127.0.0.1:3000` unless `SYNC_SERVER_URL` is set when building.
const SERVER: &str = match option_env!("SYNC_SERVER_URL") { Some(url) => url, None => "http://127.0.0.1:3000" };

/// The text of the input an event came from.
fn input_value(e: Event) -> String {
    e.target_unchecked_into::<web_sys::HtmlInputElement>().value()
}

#[function_component]
fn Account() -> Html {
    let auth = use_auth();
    let status = use_sync_status();
    let (email, password) = (use_node_ref(), use_node_ref());
    if auth.is_logged_in() {
        let email = auth.user().map(|user| user.email.clone()).unwrap_or_default();
        let logout = { let auth = auth.clone(); move |_| auth.logout() };
        let waiting = match status.pending {
            0 => String::new(),
            1 => " · 1 change waiting to be sent".to_string(),
            n => format!(" · {n} changes waiting to be sent"),
        };
        let text = match &status.phase {
            SyncPhase::UpToDate => "Up to date".to_string(),
            SyncPhase::Sending => "Sending…".to_string(),
            SyncPhase::Receiving { done, total } => format!("Receiving {done} of {total}"),
            SyncPhase::Offline => "Offline".to_string(),
            SyncPhase::Unreachable { .. } => "Server unreachable, retrying".to_string(),
            SyncPhase::Error { error } => explain(error),
            _ => "Connecting…".to_string(),
        };
        let status = format!("{text}{waiting}");
        return html! {
            <p>{ format!("Logged in as {email} · ") }<span class="sync">{ status }</span>
               <button onclick={logout}>{ "Log out" }</button></p>
        };
    }
    let value = |input: &NodeRef| input.cast::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
    let login = { let (auth, e, p) = (auth.clone(), email.clone(), password.clone()); move |_| auth.login(value(&e), value(&p)) };
    let register = {
        let (auth, e, p) = (auth.clone(), email.clone(), password.clone());
        move |_| auth.register(value(&e), value(&e), value(&p))
    };
    html! {
        <p>
            <label>{ "Email" }<input type="email" ref={email} /></label>
            <label>{ "Account password" }<input type="password" ref={password} /></label>
            <button onclick={login}>{ "Log in" }</button><button onclick={register}>{ "Register" }</button>
            if let AsyncState::Failed(error) = auth.action() { <span class="error">{ explain(error) }</span> }
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct TitleProps { title: String, onchange: Callback<Event> }

/// A note's title field. It keeps what is typed until it is committed: the stored title is
/// written into it only when that title changes (a `value={…}` would be put back by every
/// re-render, and a live list re-renders whenever a write or a sync lands).
#[function_component]
fn TitleInput(props: &TitleProps) -> Html {
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with(props.title.clone(), move |title| {
            if let Some(field) = input.cast::<web_sys::HtmlInputElement>() { field.set_value(title); }
        });
    }
    html! { <input aria-label="Title" ref={input} onchange={props.onchange.clone()} /> }
}

#[derive(Properties, PartialEq)]
struct NotesProps { vault: OpenVault }

#[function_component]
fn Notes(props: &NotesProps) -> Html {
    let query = Query::new().order_by(Field::data("title"), Direction::Ascending);
    let notes = use_query::<Note>(&props.vault, query);
    let mutation = use_mutation::<Note>(&props.vault);
    let add = {
        let mutation = mutation.clone();
        move |_| { mutation.create(Note { title: "New note".into(), body: String::new(), tags: vec![] }); }
    };
    let rename = |id: ItemId, note: &Note| {
        let (mutation, note) = (mutation.clone(), note.clone());
        move |e: Event| { mutation.update(id, Note { title: input_value(e), ..note.clone() }); }
    };
    html! {
        <>
            <button onclick={add} disabled={mutation.is_running()}>{ "Add" }</button>
            if let Some(err) = mutation.error() { <p class="error">{ err.to_string() }</p> }
            if let AsyncState::Ready(page) = &*notes {
                <ul>{ for page.entries.iter().map(|e| html! {
                    <li key={e.id().to_string()}>
                        <TitleInput title={e.data.title.clone()} onchange={rename(e.id(), &e.data)} />
                    </li>
                }) }</ul>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct GateProps { id: VaultId }

#[function_component]
fn Gate(props: &GateProps) -> Html {
    let vault = use_vault(props.id);
    match vault.state() {
        VaultState::Unlocked(open) => {
            let lock = { let vault = vault.clone(); move |_| vault.lock() };
            // Syncs once the user is logged in (a vault that came from the server syncs already).
            let sync = { let vault = vault.clone(); move |_| vault.set_sync(true) };
            html! {
                <>
                    <button onclick={lock}>{ "Lock" }</button><button onclick={sync}>{ "Sync this vault" }</button>
                    <Notes vault={open.clone()} />
                </>
            }
        }
        VaultState::Locked(meta) => {
            let unlock = vault.unlock_callback();
            let onchange = move |e: Event| unlock.emit(input_value(e));
            html! {
                <>
                    <label>{ format!("Password for {}", meta.name) }<input type="password" {onchange} /></label>
                    if let Some(err) = vault.unlock_error() { <p class="error">{ err.to_string() }</p> }
                </>
            }
        }
        VaultState::Failed(err) => html! { <p class="error">{ err.to_string() }</p> },
        _ => html! { <p>{ "…" }</p> },
    }
}

#[function_component]
fn App() -> Html {
    let vaults = use_vaults();
    let main = match vaults.vaults() {
        AsyncState::Ready(list) if !list.is_empty() => html! { <Gate id={list[0].id} /> },
        AsyncState::Ready(_) => {
            let create = { let vaults = vaults.clone(); move |e: Event| vaults.create("Personal".into(), input_value(e)) };
            html! {
                <>
                    <label>{ "Password for a new vault" }<input type="password" onchange={create} /></label>
                    if let AsyncState::Failed(err) = vaults.created() { <p class="error">{ err.to_string() }</p> }
                </>
            }
        }
        AsyncState::Failed(err) => html! { <p class="error">{ err.to_string() }</p> },
        AsyncState::Loading => html! { <p>{ "…" }</p> },
    };
    html! { <><Account />{ main }</> }
}

#[function_component]
fn Root() -> Html {
    // The provider starts the sync worker `./synced-notes-worker_loader.js`: the binary
    // `<app name>-worker`, built by trunk with its loader shim (see index.html).
    let config = LocalfulConfig::new("synced-notes").with_collection::<Note>().with_server(SERVER);
    html! { <LocalfulProvider {config}><App /></LocalfulProvider> }
}

fn main() {
    yew::Renderer::<Root>::new().render();
}
