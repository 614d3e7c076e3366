// The plain-JS cross-tab viewer (the baseline of the Yew viewer): lists the notes of a plain
// database as <li id="p-<id>">, and on each BroadcastChannel message reads the changed items
// (one read transaction each), decrypts them and updates their <li>.
import { PlainStore, importKey } from './plain.mjs';

/** Starts the viewer of database `name` (key: 32 raw bytes) listening on channel `channel`. */
export async function start({ name, channel, raw }) {
  const store = await PlainStore.open(name, await importKey(raw), `${channel}-viewer`);
  const list = document.createElement('ul');
  list.id = 'plain';
  for (const { id, doc } of await store.all()) {
    const li = document.createElement('li');
    li.id = `p-${id}`;
    li.textContent = doc.title;
    list.append(li);
  }
  document.body.append(list);
  const events = new BroadcastChannel(channel);
  events.onmessage = async ({ data }) => {
    for (const id of data.ids) {
      const doc = await store.get(id);
      let li = document.getElementById(`p-${id}`);
      if (!li) {
        li = document.createElement('li');
        li.id = `p-${id}`;
        list.append(li);
      }
      li.textContent = doc.title;
    }
  };
  return list.children.length;
}
