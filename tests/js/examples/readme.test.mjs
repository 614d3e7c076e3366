// The README's snippets are the example apps' files: every fenced block that follows a marker
// `<!-- file: PATH -->` must equal the file at PATH, and one after `<!-- part of: PATH -->` must
// be a run of whole lines of it. In a Cargo.toml, a path dependency on a Localful crate
// (`{ path = "../../localful-core" }`) is shown as the git dependency a user writes
// (`{ git = "<the workspace's repository>" }`).
// Run: node --test tests/js/examples/readme.test.mjs (scripts/test.sh runs it in its examples suite).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const REPOSITORY = readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8').match(/^repository = "(.*)"$/m)[1];

/** Every marked block of the README: { kind, file, line, text }. */
function markedBlocks(readme) {
  const lines = readme.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = lines[i].match(/^<!-- (file|part of): (\S+) -->$/);
    if (!marker) continue;
    const open = lines[i + 1]?.match(/^(\s*)(```+)/);
    assert.ok(open, `README.md:${i + 1}: a fenced block must follow the marker on the next line`);
    const [, indent, fence] = open;
    const end = lines.findIndex((l, k) => k > i + 1 && l === `${indent}${fence}`);
    assert.ok(end > 0, `README.md:${i + 2}: the block never closes`);
    const body = lines.slice(i + 2, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
    blocks.push({ kind: marker[1], file: marker[2], line: i + 1, text: `${body.join('\n')}\n` });
    i = end;
  }
  return blocks;
}

/** The file as the README shows it. */
function shown(file) {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  if (!file.endsWith('Cargo.toml')) return text;
  return text.replace(/\{ path = "\.\.\/\.\.\/localful-[a-z]+" \}/g, `{ git = "${REPOSITORY}" }`);
}

const blocks = markedBlocks(README);

test('the README marks the example files it shows', () => {
  const files = new Set(blocks.map((b) => b.file));
  for (const file of [
    'examples/local-notes/Cargo.toml', 'examples/local-notes/src/main.rs', 'examples/local-notes/index.html',
    'examples/synced-notes/Cargo.toml', 'examples/synced-notes/src/lib.rs', 'examples/synced-notes/src/main.rs',
    'examples/synced-notes/src/bin/synced-notes-worker.rs', 'examples/synced-notes/index.html',
  ]) assert.ok(files.has(file), `README.md shows ${file}`);
});

for (const block of blocks) {
  test(`README.md:${block.line} is ${block.kind === 'file' ? 'the whole of' : 'part of'} ${block.file}`, () => {
    const file = shown(block.file);
    if (block.kind === 'file') {
      assert.equal(block.text, file, `README.md:${block.line} differs from ${block.file}`);
    } else {
      assert.ok(`\n${file}`.includes(`\n${block.text}`), `README.md:${block.line} is not a run of whole lines of ${block.file}:\n${block.text}`);
    }
  });
}
