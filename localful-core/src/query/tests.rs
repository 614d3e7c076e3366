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
fn the_nine_operations() {
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
    assert!(op_matches(NotEqual, &json!("a"), &json!("b")));
    assert!(!op_matches(NotEqual, &json!(2), &json!(2.0)));
    assert!(!Condition::new(Field::data("x"), NotEqual, "b").matches(None), "an absent field matches nothing");
    assert!(op_matches(In, &json!("b"), &json!(["a", "b"])));
    assert!(!op_matches(In, &json!("c"), &json!(["a", "b"])));
    assert!(op_matches(In, &json!(["x", "b"]), &json!(["a", "b"])), "an array field: one of its elements");
    assert!(!op_matches(In, &json!("a"), &json!("a")), "the value must be a list");
}

#[test]
fn in_reads_one_index_key_per_element_and_beats_an_open_range() {
    let def = CollectionDef::of::<Note>();
    let q = Query::new().filter(Field::data("rank"), Op::GreaterThan, 3).filter(Field::data("title"), Op::In, json!(["a", "b", "a"]));
    let r = eval::index_ranges(&q, &def);
    let keys: Vec<_> = r.iter().map(|r| (r.field.as_str(), r.lower.as_ref().map(|b| b.value.clone()))).collect();
    assert_eq!(keys, [("title", Some(json!("a"))), ("title", Some(json!("b")))]);
    assert!(r.iter().all(|r| r.lower == r.upper), "single keys");
    let q = q.filter(Field::data("rank"), Op::Equal, 4);
    assert_eq!(eval::index_ranges(&q, &def).len(), 1, "one key beats several");
    let q = Query::new().filter(Field::data("title"), Op::In, json!([["a"]]));
    assert!(eval::index_ranges(&q, &def).is_empty(), "arrays are no index keys");
    let q = Query::new().filter(Field::data("title"), Op::NotEqual, "a");
    assert!(eval::index_ranges(&q, &def).is_empty());
}

#[test]
fn pre_decide_tells_certain_rows_from_rows_that_need_decryption() {
    let def = CollectionDef::of::<Note>();
    let r = row("Shopping", json!(["home"]));
    let decide = |q: Query| eval::pre_decide(&q, &def, &r);
    assert_eq!(decide(Query::new()), Some(true));
    assert_eq!(decide(Query::new().filter(Field::data("tags"), Op::Includes, "home")), Some(true));
    assert_eq!(decide(Query::new().filter(Field::data("title"), Op::NotEqual, "Shopping")), Some(false));
    assert_eq!(decide(Query::new().filter(Field::data("tags"), Op::In, json!(["work", "home"]))), Some(true));
    assert_eq!(decide(Query::new().filter(Field::data("body"), Op::Like, "x")), None);
    let either = Query::new().any_of([(Field::data("tags"), Op::Includes, json!("home")), (Field::data("body"), Op::Like, json!("x"))]);
    assert_eq!(decide(either), Some(true), "one certain condition decides an OR group");
}

#[test]
fn a_cursor_continues_after_its_row_in_the_query_order() {
    let def = CollectionDef::of::<Note>();
    let mut rows = vec![row("b", json!([])), row("a", json!([])), row("c", json!([])), row("b", json!([]))];
    let q = Query::new().order_by(Field::data("title"), Direction::Ascending);
    eval::sort_before_decryption(&q, &def, &mut rows);
    let at = eval::pre_order_value(&q, &def, &rows[1]);
    let cursor = eval::cursor_at(eval::sort_key(&rows[1], at.as_ref()));
    let q = q.after(cursor);
    let key = |r: &StoredItem| eval::pre_order_value(&q, &def, r);
    let after: Vec<bool> = rows.iter().map(|r| eval::after_cursor(&q, eval::sort_key(r, key(r).as_ref()))).collect();
    // a, b (the cursor), b (same title, later in creation order), c.
    assert_eq!(after, [false, false, true, true]);
    let descending = Query::new().order_by(Field::data("title"), Direction::Descending).after(q.after.clone());
    let key = |r: &StoredItem| eval::pre_order_value(&descending, &def, r);
    let after: Vec<bool> = rows.iter().map(|r| eval::after_cursor(&descending, eval::sort_key(r, key(r).as_ref()))).collect();
    // Descending: c, b (the cursor), b (ties stay in creation order), a.
    assert_eq!(after, [true, false, true, false]);
}

#[test]
fn index_prefers_equal_on_an_indexed_field() {
    let def = CollectionDef::of::<Note>();
    let q = Query::new().filter(Field::data("rank"), Op::GreaterThan, 3).filter(Field::data("title"), Op::Equal, "x");
    let r = eval::index_ranges(&q, &def);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].field, "title");
    let q = Query::new().filter(Field::data("tags"), Op::Equal, "x").filter(Field::data("body"), Op::Equal, "x");
    assert!(eval::index_ranges(&q, &def).is_empty(), "plain and hidden fields have no index");
    let q = Query::new().any_of([(Field::data("title"), Op::Equal, json!("a")), (Field::data("title"), Op::Equal, json!("b"))]);
    assert!(eval::index_ranges(&q, &def).is_empty(), "an OR group is not one range");
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
