use super::fixtures::*;
use localful_core::*;
use serde_json::json;

async fn seed(e: &Env) -> Vec<ItemId> {
    let v = &e.vault;
    let mut ids = Vec::new();
    for n in [
        note("Alpha", "the quick brown fox", &["work", "urgent"], 5),
        note("Beta", "lazy dog", &["home"], 3),
        note("Gamma", "Quick thinking", &["work"], 8),
        note("Delta", "nothing here", &[], 1),
        note("alpha two", "FOX again", &["urgent", "work"], 5),
    ] {
        ids.push(v.create(&n).await.unwrap());
    }
    v.create(&Task { name: "Alpha".into(), done: false }).await.unwrap();
    ids
}

/// The titles matched, sorted (items created within one millisecond have no defined creation order).
async fn titles(e: &Env, q: Query) -> Vec<String> {
    let mut t = ordered(e, q).await;
    t.sort();
    t
}

/// The titles matched, in the query's order.
async fn ordered(e: &Env, q: Query) -> Vec<String> {
    e.vault.query::<Note>(&q).await.unwrap().entries.into_iter().map(|x| x.data.title).collect()
}

pub async fn query_every_operation(f: &Factory) {
    let e = env(f).await;
    let ids = seed(&e).await;
    let d = |n: &str| Field::data(n);
    assert_eq!(titles(&e, Query::new()).await, ["Alpha", "Beta", "Delta", "Gamma", "alpha two"], "one collection only");
    assert_eq!(titles(&e, Query::new().filter(d("title"), Op::Equal, "Beta")).await, ["Beta"]);
    assert_eq!(titles(&e, Query::new().filter(d("rank"), Op::Equal, 5)).await, ["Alpha", "alpha two"]);
    assert_eq!(titles(&e, Query::new().filter(d("title"), Op::Like, "ALPHA")).await, ["Alpha", "alpha two"]);
    assert_eq!(titles(&e, Query::new().filter(d("tags"), Op::Like, json!(["work", "urgent"]))).await, ["Alpha", "alpha two"]);
    assert_eq!(titles(&e, Query::new().filter(d("tags"), Op::Equal, json!(["urgent", "work"]))).await, ["alpha two"]);
    assert_eq!(titles(&e, Query::new().filter(d("tags"), Op::Includes, "home")).await, ["Beta"]);
    assert_eq!(titles(&e, Query::new().filter(d("body"), Op::Includes, "fox")).await, ["Alpha"]);
    assert_eq!(titles(&e, Query::new().filter(d("body"), Op::Like, "fox")).await, ["Alpha", "alpha two"]);
    assert_eq!(titles(&e, Query::new().filter(d("rank"), Op::GreaterThan, 5)).await, ["Gamma"]);
    assert_eq!(titles(&e, Query::new().filter(d("rank"), Op::GreaterOrEqual, 5)).await, ["Alpha", "Gamma", "alpha two"]);
    assert_eq!(titles(&e, Query::new().filter(d("rank"), Op::LessThan, 3)).await, ["Delta"]);
    assert_eq!(titles(&e, Query::new().filter(d("rank"), Op::LessOrEqual, 3)).await, ["Beta", "Delta"]);
    assert_eq!(titles(&e, Query::new().filter(d("title"), Op::GreaterThan, "B").filter(d("title"), Op::LessThan, "E")).await, ["Beta", "Delta"]);
    // AND of OR-groups.
    let q = Query::new().any_of([(d("title"), Op::Equal, json!("Beta")), (d("body"), Op::Like, json!("thinking"))]);
    assert_eq!(titles(&e, q).await, ["Beta", "Gamma"]);
    let q = Query::new().filter(d("tags"), Op::Includes, "work").filter(d("rank"), Op::GreaterOrEqual, 6);
    assert_eq!(titles(&e, q).await, ["Gamma"]);
    let q = Query::new()
        .any_of([(d("rank"), Op::Equal, json!(1)), (d("rank"), Op::Equal, json!(8))])
        .any_of([(d("body"), Op::Like, json!("NOTHING")), (d("tags"), Op::Includes, json!("work"))]);
    assert_eq!(titles(&e, q).await, ["Delta", "Gamma"]);
    // Metadata fields.
    assert_eq!(titles(&e, Query::new().filter(Field::Id, Op::Equal, ids[2].to_string())).await, ["Gamma"]);
    let created = e.vault.get::<Note>(ids[3]).await.unwrap().item.created_at;
    let later = titles(&e, Query::new().filter(Field::CreatedAt, Op::GreaterOrEqual, created.to_string())).await;
    assert!(later.contains(&"Delta".to_string()) && later.contains(&"alpha two".to_string()), "{later:?}");
    // Absent fields and mismatched kinds match nothing.
    assert!(titles(&e, Query::new().filter(d("missing"), Op::Equal, 1)).await.is_empty());
    assert!(titles(&e, Query::new().filter(d("rank"), Op::GreaterThan, "1")).await.is_empty());
}

pub async fn query_order_and_paging(f: &Factory) {
    let e = env(f).await;
    let ids = seed(&e).await;
    let d = |n: &str| Field::data(n);
    let by_rank = ordered(&e, Query::new().order_by(d("rank"), Direction::Descending)).await;
    assert_eq!(by_rank[0], "Gamma");
    assert_eq!(by_rank[3..], ["Beta", "Delta"]);
    let by_rank_asc = ordered(&e, Query::new().order_by(d("rank"), Direction::Ascending)).await;
    assert_eq!(by_rank_asc[..2], ["Delta", "Beta"]);
    assert_eq!(by_rank_asc[2..4], [by_rank[1].clone(), by_rank[2].clone()], "ties keep creation order either way");
    assert_eq!(ordered(&e, Query::new().order_by(d("title"), Direction::Ascending)).await, ["Alpha", "Beta", "Delta", "Gamma", "alpha two"]);
    assert_eq!(ordered(&e, Query::new().order_by(d("title"), Direction::Descending)).await, ["alpha two", "Gamma", "Delta", "Beta", "Alpha"]);
    // Order on an encrypted field: every match is decrypted, then sorted (on a handle that has
    // decrypted nothing yet: the handle that wrote them kept some).
    let cold = e.db.open_vault(e.vault.id(), e.cipher.clone()).await.unwrap();
    let before = e.cipher.decrypted();
    let r = cold.query::<Note>(&Query::new().order_by(d("body"), Direction::Ascending).limit(2)).await.unwrap();
    let bodies: Vec<_> = r.entries.iter().map(|x| x.data.body.as_str()).collect();
    assert_eq!(bodies, ["FOX again", "Quick thinking"]);
    assert_eq!(r.stats.decrypted, 5);
    assert_eq!(e.cipher.decrypted() - before, 5);
    // Paging on an exposed order decrypts only the page.
    let cold = e.db.open_vault(e.vault.id(), e.cipher.clone()).await.unwrap();
    let r = cold.query::<Note>(&Query::new().order_by(d("title"), Direction::Ascending).offset(1).limit(2)).await.unwrap();
    let page: Vec<_> = r.entries.iter().map(|x| x.data.title.as_str()).collect();
    assert_eq!(page, ["Beta", "Delta"]);
    assert_eq!(r.stats.decrypted, 3, "offset + limit, then stop");
    assert_eq!(ordered(&e, Query::new().order_by(d("title"), Direction::Ascending).offset(4)).await, ["alpha two"]);
    assert_eq!(ordered(&e, Query::new().offset(4)).await.len(), 1);
    assert!(titles(&e, Query::new().offset(9)).await.is_empty());
    assert!(titles(&e, Query::new().limit(0)).await.is_empty());
    // Updated-at order follows the current version.
    e.vault.update(ids[1], &note("Beta", "edited", &["home"], 3)).await.unwrap();
    let newest = ordered(&e, Query::new().order_by(Field::UpdatedAt, Direction::Descending).limit(1)).await;
    assert_eq!(newest, ["Beta"]);
}

pub async fn query_stages_use_the_index_and_skip_decryption(f: &Factory) {
    let e = env(f).await;
    for i in 0..40 {
        let body = if i % 2 == 0 { "even" } else { "odd" };
        let tags: &[&str] = if i == 33 { &["special"] } else { &[] };
        e.vault.create(&note(&format!("t{i:02}"), body, tags, i)).await.unwrap();
    }
    let d = |n: &str| Field::data(n);
    // Stage 1: an index key range reads one row and decrypts one version.
    let before = e.cipher.decrypted();
    let r = e.vault.query::<Note>(&Query::new().filter(d("rank"), Op::Equal, 7)).await.unwrap();
    assert_eq!(r.entries.len(), 1);
    assert_eq!(r.stats.index.as_deref(), Some("rank"));
    assert_eq!((r.stats.rows_read, r.stats.candidates, r.stats.decrypted), (1, 1, 1));
    assert_eq!(e.cipher.decrypted() - before, 1, "non-matching items are never decrypted");
    // A range on an index.
    let r = e.vault.query::<Note>(&Query::new().filter(d("rank"), Op::GreaterThan, 35)).await.unwrap();
    assert_eq!((r.stats.index.as_deref(), r.stats.rows_read, r.entries.len()), (Some("rank"), 4, 4));
    // The index narrows, stage 3 filters the decrypted data.
    let r = e
        .vault
        .query::<Note>(&Query::new().filter(d("rank"), Op::LessThan, 10).filter(d("body"), Op::Equal, "odd"))
        .await
        .unwrap();
    assert_eq!((r.stats.rows_read, r.stats.decrypted, r.entries.len()), (10, 10, 5));
    // Stage 2: a plain exposed field filters before any decryption.
    let before = e.cipher.decrypted();
    let r = e.vault.query::<Note>(&Query::new().filter(d("tags"), Op::Includes, "special")).await.unwrap();
    assert_eq!(r.stats.index, None);
    assert_eq!((r.stats.rows_read, r.stats.candidates, r.stats.decrypted), (40, 1, 1));
    assert_eq!(e.cipher.decrypted() - before, 1);
    assert_eq!(r.entries[0].data.rank, 33);
    // Stage 3: decrypted in batches, returning as soon as the page is full.
    let q = Query::new().filter(d("body"), Op::Equal, "even").order_by(d("rank"), Direction::Ascending).limit(3);
    let r = e.vault.query::<Note>(&q).await.unwrap();
    let ranks: Vec<_> = r.entries.iter().map(|x| x.data.rank).collect();
    assert_eq!(ranks, [0, 2, 4]);
    assert_eq!(r.stats.decrypted, 5);
    // A page that needs a second batch, then stops.
    let q = Query::new().filter(d("body"), Op::Equal, "odd").order_by(d("rank"), Direction::Ascending).limit(17).offset(1);
    let r = e.vault.query::<Note>(&q).await.unwrap();
    let ranks: Vec<_> = r.entries.iter().map(|x| x.data.rank).collect();
    assert_eq!(ranks, (3..=35).step_by(2).collect::<Vec<_>>());
    assert_eq!(r.stats.decrypted, 36, "rank 0..=35: the second batch is read only as far as needed");
    // Without a limit every candidate is decrypted, across several batches.
    let r = e.vault.query::<Note>(&Query::new().filter(d("body"), Op::Equal, "even")).await.unwrap();
    assert_eq!((r.entries.len(), r.stats.decrypted), (20, 40));
}

/// `Store::scan_with_versions`: the scanned rows with their current versions when few enough,
/// none (the caller reads them in batches) when more, on an index range and on all rows.
pub async fn query_scan_reads_versions_with_few_rows(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    let mut ids = Vec::new();
    for i in 0..6 {
        ids.push(v.create(&note(&format!("s{i}"), "body", &[], i % 3)).await.unwrap());
    }
    // A later version is the current one: the scan must read that, not the first.
    let newest = v.update(ids[0], &note("s0 edited", "body", &[], 0)).await.unwrap();
    let store = e.db.store();
    let all = |_: &store::StoredItem| true;
    let range = store::IndexRange::only("rank", json!(0));
    let (scanned, versions) = store.scan_with_versions(v.id(), "notes", Some(&range), &all, 10).await.unwrap();
    let mut rows: Vec<_> = scanned.items.iter().map(|r| r.item.id).collect();
    rows.sort();
    let mut want = vec![ids[0], ids[3]];
    want.sort();
    assert_eq!(rows, want, "the index range's rows");
    let versions = versions.expect("2 rows are few enough");
    assert_eq!(versions.len(), 2);
    assert!(versions.iter().any(|x| x.id == newest), "the current version of an edited item");
    for version in &versions {
        let row = scanned.items.iter().find(|r| r.item.id == version.item_id).unwrap();
        assert_eq!(row.item.current_version_id, Some(version.id));
    }
    // More rows than asked for: no versions, unless the backend read them with the rows
    // (IndexedDB's item rows hold their current version); then they are every row's current one.
    let (scanned, versions) = store.scan_with_versions(v.id(), "notes", None, &all, 5).await.unwrap();
    assert_eq!(scanned.items.len(), 6);
    if let Some(versions) = versions {
        let mut current: Vec<_> = scanned.items.iter().map(|r| (r.item.id, r.item.current_version_id.unwrap())).collect();
        let mut read: Vec<_> = versions.iter().map(|x| (x.item_id, x.id)).collect();
        current.sort();
        read.sort();
        assert_eq!(read, current, "more rows than asked for, read with them: every row's current version");
    }
}

pub async fn query_not_equal_and_in_list(f: &Factory) {
    let e = env(f).await;
    seed(&e).await;
    let d = |n: &str| Field::data(n);
    assert_eq!(titles(&e, Query::new().filter(d("title"), Op::NotEqual, "Beta")).await, ["Alpha", "Delta", "Gamma", "alpha two"]);
    assert_eq!(titles(&e, Query::new().filter(d("rank"), Op::NotEqual, 5)).await, ["Beta", "Delta", "Gamma"]);
    assert_eq!(titles(&e, Query::new().filter(d("body"), Op::NotEqual, "lazy dog")).await, ["Alpha", "Delta", "Gamma", "alpha two"]);
    assert!(titles(&e, Query::new().filter(d("missing"), Op::NotEqual, 1)).await.is_empty(), "absent fields match nothing");
    // In on an indexed field reads one index key per element, and nothing else.
    let r = e.vault.query::<Note>(&Query::new().filter(d("title"), Op::In, json!(["Gamma", "Beta", "Nope"]))).await.unwrap();
    let mut found: Vec<_> = r.entries.iter().map(|x| x.data.title.as_str()).collect();
    found.sort();
    assert_eq!(found, ["Beta", "Gamma"]);
    assert_eq!((r.stats.index.as_deref(), r.stats.rows_read, r.stats.decrypted), (Some("title"), 2, 2));
    let r = e.vault.query::<Note>(&Query::new().filter(d("rank"), Op::In, json!([5, 1, 5]))).await.unwrap();
    assert_eq!((r.stats.index.as_deref(), r.stats.rows_read, r.entries.len()), (Some("rank"), 3, 3));
    // On a plain array field (any element in the list), and on encrypted data.
    let r = e.vault.query::<Note>(&Query::new().filter(d("tags"), Op::In, json!(["home", "urgent"]))).await.unwrap();
    assert_eq!((r.stats.index, r.stats.candidates, r.stats.decrypted), (None, 3, 3), "decided before decryption");
    assert_eq!(titles(&e, Query::new().filter(d("tags"), Op::In, json!(["home", "urgent"]))).await, ["Alpha", "Beta", "alpha two"]);
    assert_eq!(titles(&e, Query::new().filter(d("body"), Op::In, json!(["lazy dog", "nope"]))).await, ["Beta"]);
}

/// 40 notes `t00`…`t39` of rank 0…39, bodies alternately "even" and "odd", every fourth tagged
/// "four".
async fn forty(e: &Env) -> Vec<ItemId> {
    let mut values = Vec::new();
    for i in 0..40 {
        let tags: &[&str] = if i % 4 == 0 { &["four"] } else { &[] };
        values.push(note(&format!("t{i:02}"), if i % 2 == 0 { "even" } else { "odd" }, tags, i));
    }
    e.vault.create_many(&values).await.unwrap()
}

pub async fn query_total_counts_without_decrypting_what_exposed_fields_decide(f: &Factory) {
    let e = env(f).await;
    forty(&e).await;
    let d = |n: &str| Field::data(n);
    let ranks = |r: &QueryResult<Note>| r.entries.iter().map(|x| x.data.rank).collect::<Vec<_>>();
    // A filter on an exposed field: the total is exact, and only the page is decrypted.
    let q = Query::new().filter(d("tags"), Op::Includes, "four").order_by(d("rank"), Direction::Ascending).limit(3);
    let before = e.cipher.decrypted();
    let r = e.vault.query::<Note>(&q.clone().with_total()).await.unwrap();
    assert_eq!((ranks(&r), r.total), (vec![0, 4, 8], Some(10)));
    assert_eq!((r.stats.decrypted, e.cipher.decrypted() - before), (3, 3), "counted without decrypting");
    // The total ignores cursor and offset; without asking, there is none.
    let r2 = e.vault.query::<Note>(&q.clone().after(r.next.clone()).offset(1).with_total()).await.unwrap();
    assert_eq!((ranks(&r2), r2.total), (vec![16, 20, 24], Some(10)));
    assert_eq!(e.vault.query::<Note>(&q).await.unwrap().total, None);
    // With an index range and no filter at all.
    let r = e.vault.query::<Note>(&Query::new().filter(d("rank"), Op::GreaterOrEqual, 30).limit(2).with_total()).await.unwrap();
    assert_eq!((r.total, r.stats.decrypted), (Some(10), 2));
    let r = e.vault.query::<Note>(&Query::new().limit(1).with_total()).await.unwrap();
    assert_eq!((r.total, r.stats.decrypted), (Some(40), 1));
    // A condition on encrypted data: every candidate is decrypted to count; without a total the
    // page stops early as before.
    let q = Query::new().filter(d("body"), Op::Equal, "even").order_by(d("rank"), Direction::Ascending).limit(3);
    let r = e.vault.query::<Note>(&q.clone().with_total()).await.unwrap();
    assert_eq!((ranks(&r), r.total, r.stats.decrypted), (vec![0, 2, 4], Some(20), 40));
    assert_eq!(e.vault.query::<Note>(&q).await.unwrap().stats.decrypted, 5);
    // Mixed: the exposed condition decides most rows, only the rest are decrypted.
    let q = Query::new().filter(d("tags"), Op::Includes, "four").filter(d("body"), Op::Equal, "even").limit(2).with_total();
    let r = e.vault.query::<Note>(&q).await.unwrap();
    assert_eq!((r.total, r.stats.candidates, r.stats.decrypted), (Some(10), 10, 10));
    // An order on encrypted data decrypts every match anyway: the total comes free.
    let r = e.vault.query::<Note>(&Query::new().order_by(d("body"), Direction::Ascending).limit(5).with_total()).await.unwrap();
    assert_eq!((r.entries.len(), r.total, r.stats.decrypted), (5, Some(40), 40));
}

/// Every title, page by page along `next`, with `limit` per page; checks each page's total.
async fn walk(e: &Env, query: Query, total: usize) -> Vec<String> {
    let (mut seen, mut cursor) = (Vec::new(), None);
    loop {
        let r = e.vault.query::<Note>(&query.clone().after(cursor).with_total()).await.unwrap();
        assert_eq!(r.total, Some(total));
        seen.extend(r.entries.iter().map(|x| x.data.title.clone()));
        match r.next {
            Some(next) => cursor = Some(next),
            None => return seen,
        }
    }
}

pub async fn query_cursor_pages_stay_right_while_items_change(f: &Factory) {
    let e = env(f).await;
    let ids = forty(&e).await;
    let d = |n: &str| Field::data(n);
    let by_title = Query::new().order_by(d("title"), Direction::Ascending).limit(10);
    let titles_of = |r: &QueryResult<Note>| r.entries.iter().map(|x| x.data.title.clone()).collect::<Vec<_>>();
    let range = |from: usize, to: usize| (from..to).map(|i| format!("t{i:02}")).collect::<Vec<_>>();

    let first = e.vault.query::<Note>(&by_title).await.unwrap();
    assert_eq!(titles_of(&first), range(0, 10));
    let next = first.next.clone().expect("more pages");
    // Meanwhile: two notes are added before the cursor, one deleted before it, one after it.
    e.vault.create(&note("a1", "", &[], 100)).await.unwrap();
    e.vault.create(&note("a2", "", &[], 101)).await.unwrap();
    e.vault.delete::<Note>(ids[3]).await.unwrap();
    e.vault.delete::<Note>(ids[12]).await.unwrap();
    let second = e.vault.query::<Note>(&by_title.clone().after(next)).await.unwrap();
    let mut want = range(10, 21);
    want.retain(|t| t != "t12");
    assert_eq!(titles_of(&second), want, "the next page neither repeats nor skips");
    let by_offset = e.vault.query::<Note>(&by_title.clone().offset(10)).await.unwrap();
    assert_ne!(titles_of(&by_offset), want, "an offset shifts (what the cursor avoids)");

    // Walking every page: each item once, in order, the last page without `next`.
    let mut all = vec!["a1".to_string(), "a2".to_string()];
    all.extend(range(0, 40).into_iter().filter(|t| t != "t03" && t != "t12"));
    assert_eq!(walk(&e, by_title.clone(), 40).await, all);
    assert_eq!(walk(&e, by_title.clone().limit(38), 40).await, all, "a last page of 2");
    assert_eq!(walk(&e, by_title.clone().limit(40), 40).await, all, "one exact page");
    // Descending, on ties (ranks collide with a filter), and on an encrypted order field.
    let mut reversed = all.clone();
    reversed.reverse();
    assert_eq!(walk(&e, Query::new().order_by(d("title"), Direction::Descending).limit(7), 40).await, reversed);
    let by_body = walk(&e, Query::new().order_by(d("body"), Direction::Ascending).limit(7), 40).await;
    assert_eq!(by_body.len(), 40);
    let mut sorted = by_body.clone();
    sorted.sort();
    let mut unique = sorted.clone();
    unique.dedup();
    assert_eq!(sorted, unique, "an item on two pages");
    let no_order = walk(&e, Query::new().limit(9), 40).await;
    assert_eq!(no_order.len(), 40);
    // A cursor survives its own item's deletion.
    let page = e.vault.query::<Note>(&by_title.clone().limit(3)).await.unwrap();
    let last = page.entries.last().unwrap().id();
    e.vault.delete::<Note>(last).await.unwrap();
    let after = e.vault.query::<Note>(&by_title.clone().limit(2).after(page.next)).await.unwrap();
    assert_eq!(titles_of(&after), ["t01", "t02"]);
}

/// A query that decrypts every candidate reads them in batches, out of order (the items' key
/// order, the next batch read while one is decrypted): it still returns each item's current
/// version, in the query's order, with the right total.
pub async fn query_decrypting_every_candidate_keeps_order_and_current_versions(f: &Factory) {
    let e = env(f).await;
    let v = &e.vault;
    // More than one batch (query::FULL_BATCH_SIZE is 512); every seventh item edited, so some
    // ranges of version keys hold history too.
    let notes: Vec<Note> = (0..700).map(|i| note(&format!("n{i}"), if i % 3 == 0 { "fox" } else { "dog" }, &[], i)).collect();
    let ids = v.create_many(&notes).await.unwrap();
    for (i, id) in ids.iter().enumerate().step_by(7) {
        v.update(*id, &note(&format!("n{i} edited"), if i % 3 == 0 { "fox" } else { "dog" }, &[], i as i64)).await.unwrap();
    }
    let expected = |i: usize| if i % 7 == 0 { format!("n{i} edited") } else { format!("n{i}") };
    // Creation order: creation time, then id (create_many gives many items the same time).
    let mut created = Vec::new();
    for i in (0..700).filter(|i| i % 3 == 0) {
        created.push((v.get::<Note>(ids[i]).await.unwrap().item.created_at, ids[i], expected(i)));
    }
    created.sort();
    let foxes: Vec<String> = created.into_iter().map(|(_, _, title)| title).collect();

    // Creation order, the order known before decryption.
    let q = Query::new().filter(Field::data("body"), Op::Includes, "fox").with_total();
    let r = v.query::<Note>(&q).await.unwrap();
    assert_eq!(r.entries.iter().map(|e| e.data.title.clone()).collect::<Vec<_>>(), foxes);
    assert_eq!(r.total, Some(foxes.len()));
    // An order that needs the decrypted data.
    let q = Query::new().filter(Field::data("body"), Op::Includes, "fox").order_by(Field::data("rank"), Direction::Descending);
    let r = v.query::<Note>(&q).await.unwrap();
    let descending: Vec<String> = (0..700).rev().filter(|i| i % 3 == 0).map(expected).collect();
    assert_eq!(r.entries.iter().map(|e| e.data.title.clone()).collect::<Vec<_>>(), descending);
    for entry in &r.entries {
        assert_eq!(Some(entry.version.id), v.get::<Note>(entry.item.id).await.unwrap().item.current_version_id);
    }
}
