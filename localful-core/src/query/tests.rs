use super::*;
use crate::collection::{Collection, CollectionDef, ExposedField};
use crate::model::{Item, ItemId, Timestamp, VaultId, VersionId, VersionMeta};
use crate::store::StoredItem;
use serde_json::json;

#[derive(serde::Serialize, serde::Deserialize)]
struct Note {
    title: String,
}
impl Collection for Note {
    const NAME: &'static str = "notes";
    fn exposed_fields() -> Vec<ExposedField> {
        vec![ExposedField::indexed("title"), ExposedField::indexed("rank"), ExposedField::plain("tags")]
    }
}

fn row(title: &str, tags: serde_json::Value) -> StoredItem {
    let at = Timestamp::from_unix_millis(5).unwrap();
    let v = VersionId::new();
    StoredItem {
        item: Item {
            id: ItemId::new(),
            vault_id: VaultId::new(),
            collection: "notes".into(),
            created_at: at,
            deleted_at: None,
            current_version_id: Some(v),
            exposed: [("title".to_owned(), json!(title)), ("tags".to_owned(), tags)].into_iter().collect(),
        },
        versions: vec![VersionMeta { id: v, created_at: at, device_name: "d".into(), schema_version: 1, deleted_at: None }],
        outbox: vec![],
        exposed_by: CollectionDef::of::<Note>().exposure_signature().to_owned(),
    }
}

#[test]
fn the_seven_operations() {
    use Op::*;
    assert!(op_matches(Equal, &json!(1), &json!(1.0)));
    assert!(!op_matches(Equal, &json!("1"), &json!(1)));
    assert!(op_matches(Like, &json!("Hello World"), &json!("o wOR")));
    assert!(op_matches(Like, &json!(["a", "b"]), &json!(["b", "a"])));
    assert!(!op_matches(Like, &json!(["a", "b"]), &json!(["a"])));
    assert!(op_matches(Includes, &json!(["a", "b"]), &json!("b")));
    assert!(op_matches(Includes, &json!("abc"), &json!("bc")));
    assert!(!op_matches(Includes, &json!("abc"), &json!("BC")));
    assert!(op_matches(GreaterThan, &json!(3), &json!(2)));
    assert!(!op_matches(GreaterThan, &json!(2), &json!(2)));
    assert!(op_matches(GreaterOrEqual, &json!(2), &json!(2)));
    assert!(op_matches(LessThan, &json!("a"), &json!("b")));
    assert!(op_matches(LessOrEqual, &json!("b"), &json!("b")));
    assert!(!op_matches(LessThan, &json!("a"), &json!(5)));
}

#[test]
fn index_prefers_equal_on_an_indexed_field() {
    let def = CollectionDef::of::<Note>();
    let q = Query::new().filter(Field::data("rank"), Op::GreaterThan, 3).filter(Field::data("title"), Op::Equal, "x");
    let r = eval::index_range(&q, &def).unwrap();
    assert_eq!(r.field, "title");
    let q = Query::new().filter(Field::data("tags"), Op::Equal, "x").filter(Field::data("body"), Op::Equal, "x");
    assert!(eval::index_range(&q, &def).is_none(), "plain and hidden fields have no index");
    let q = Query::new().any_of([(Field::data("title"), Op::Equal, json!("a")), (Field::data("title"), Op::Equal, json!("b"))]);
    assert!(eval::index_range(&q, &def).is_none(), "an OR group is not one range");
}

#[test]
fn pre_filter_rejects_only_what_exposed_fields_decide() {
    let def = CollectionDef::of::<Note>();
    let r = row("Shopping", json!(["home"]));
    let q = Query::new().filter(Field::data("title"), Op::Like, "shop");
    assert!(eval::pre_filter(&q, &def, &r));
    let q = Query::new().filter(Field::data("tags"), Op::Includes, "work");
    assert!(!eval::pre_filter(&q, &def, &r));
    let q = Query::new().any_of([(Field::data("tags"), Op::Includes, json!("work")), (Field::data("body"), Op::Like, json!("x"))]);
    assert!(eval::pre_filter(&q, &def, &r), "undecided until decrypted");
    assert!(!eval::matches(&q, &r, &json!({"body": "nothing"})));
    assert!(eval::matches(&q, &r, &json!({"body": "xyz"})));
}

#[test]
fn orders_by_exposed_fields_before_decryption() {
    let def = CollectionDef::of::<Note>();
    let mut rows = vec![row("b", json!([])), row("a", json!([])), row("c", json!([]))];
    let q = Query::new().order_by(Field::data("title"), Direction::Descending);
    assert!(eval::orders_before_decryption(&q, &def));
    eval::sort_before_decryption(&q, &def, &mut rows);
    let titles: Vec<_> = rows.iter().map(|r| r.item.exposed["title"].clone()).collect();
    assert_eq!(titles, vec![json!("c"), json!("b"), json!("a")]);
    assert!(!eval::orders_before_decryption(&Query::new().order_by(Field::data("body"), Direction::Ascending), &def));
}
