//! The preludes import beside `yew::prelude::*` with no name meaning two things: this file globs
//! all three and uses every name they export (an ambiguous name that is used does not compile).
#![allow(missing_docs, dead_code, clippy::unwrap_used)]

use localful_core::prelude::*;
use localful_yew::prelude::*;
use yew::prelude::*;

#[derive(serde::Serialize, serde::Deserialize, Clone, PartialEq, Debug, Collection)]
#[collection(name = "notes", version = 2, migrate = migrate_note)]
struct Note {
    #[field(indexed)]
    tags: Vec<String>,
    #[field(exposed)]
    title: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct NoteV1 {
    title: String,
}

fn migrate_note(from: u32, data: serde_json::Value) -> Result<serde_json::Value, MigrationError> {
    Migrations::new().typed(1, |old: NoteV1| Note { tags: vec![], title: old.title }).run(from, data)
}

#[derive(Properties, PartialEq)]
struct NotesProps {
    vault: OpenVault,
    /// yew's `Event`: the DOM event of an `onchange`.
    on_change: Callback<Event>,
}

#[function_component]
fn Notes(props: &NotesProps) -> Html {
    let tags: TypedField<Note, Vec<String>> = Note::TAGS;
    let query = Query::new().filter(tags, Op::In, vec!["work"]).order_by(Field::CreatedAt, Direction::Ascending);
    let notes: Live<QueryResult<Note>> = use_query::<Note>(&props.vault, query);
    let count = use_live(&props.vault, Watch::vault(), (), |vault, ()| async move {
        Ok::<_, Error>(vault.query::<Note>(&Query::new()).await?.entries.len())
    });
    let first: Option<ItemId> = notes.ready().and_then(|page| page.entries.first()).map(Entry::id);
    let got = use_get::<Note>(&props.vault, first.into_iter().collect());
    let history = use_versions::<Note>(&props.vault, first.unwrap_or_default());
    let mutation: UseMutationHandle<Note> = use_mutation::<Note>(&props.vault);
    let _: Option<&AsyncState<Vec<Entry<Note>>>> = Some(&*got);
    let _: Option<&AsyncState<Vec<VersionMeta>>> = Some(&*history);
    let _pending: Option<MutationFuture<ItemId>> = None;
    let _last: Option<&Result<MutationOutput, Error>> = mutation.last();
    let _cursor: Option<Cursor> = notes.ready().and_then(|page| page.next.clone());
    html! { <input onchange={props.on_change.clone()} value={count.ready().map(ToString::to_string).unwrap_or_default()} /> }
}

#[derive(Properties, PartialEq)]
struct GateProps {
    id: VaultId,
}

#[function_component]
fn Gate(props: &GateProps) -> Html {
    let vault: UseVaultHandle = use_vault(props.id);
    let vaults: UseVaultsHandle = use_vaults();
    let auth: UseAuthHandle = use_auth();
    let _status = use_sync_status();
    let ctx: LocalfulContext = use_localful();
    let _: &LocalfulConfig = ctx.config();
    let _: Option<&AsyncState<(), ChangePasswordError>> = vault.password_change();
    let _: Option<&Vec<VaultMeta>> = vaults.vaults().ready();
    let _ = auth;
    match vault.state() {
        VaultState::Unlocked(open) => {
            html! { <Notes vault={open.clone()} on_change={Callback::from(|_: Event| ())} /> }
        }
        _ => html! {},
    }
}

#[function_component]
fn App() -> Html {
    let config = LocalfulConfig::new("prelude-app").with_collection::<Note>().with_storage(StorageKind::Memory);
    html! { <LocalfulProvider {config}><Gate id={VaultId::new()} /></LocalfulProvider> }
}

/// Names only used as types.
fn types(_: Option<ChangeEvent>, _: Option<VaultHandle>, _: Option<VersionId>, _: Option<Timestamp>, _: ExposedField) {}

#[test]
fn every_prelude_name_resolves_beside_yews() {
    assert_eq!((Note::NAME, Note::SCHEMA_VERSION), ("notes", 2));
    assert_eq!(Note::exposed_fields(), [ExposedField::indexed("tags"), ExposedField::plain("title")]);
    let migrated = Note::migrate(1, serde_json::json!({ "title": "t" })).unwrap();
    assert_eq!(migrated, serde_json::json!({ "tags": [], "title": "t" }));
    let vault = VaultId::new();
    let locked = ChangeEvent::Vault { vault, action: localful_core::VaultAction::Locked };
    assert!(Watch::vault().matches(&locked, vault));
    types(None, None, None, None, ExposedField::plain("x"));
}
