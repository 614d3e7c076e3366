// The benchmark's documents, generated once and handed to every side (ours, plain JS, Dexie):
// note i has bucket i % 100 (one bucket = 1 % of the notes), a body of about 1 KiB of words, and
// the word NEEDLE in its body when i % 100 === 7 (1 % of the notes).

/** The word a data filter looks for: in 1 % of the bodies. */
export const NEEDLE = 'needle';
/** The bucket an indexed query selects (1 %). */
export const BUCKET = 42;

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet',
  'kilo', 'lima', 'mike', 'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango'];

/** `count` notes `{ title, body, tags, bucket }`, the same on every call. */
export function makeDocs(count, bodyBytes = 1024) {
  let seed = 12345;
  const next = () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed; };
  const docs = [];
  for (let i = 0; i < count; i++) {
    const words = i % 100 === 7 ? [NEEDLE] : [];
    let length = words.length ? NEEDLE.length : 0;
    while (length < bodyBytes) {
      const word = WORDS[next() % WORDS.length];
      words.push(word);
      length += word.length + 1;
    }
    docs.push({ title: `note ${i}`, body: words.join(' '), tags: [`t${i % 10}`], bucket: i % 100 });
  }
  return docs;
}
