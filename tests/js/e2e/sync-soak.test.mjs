// The browser fault soak: two browser profiles (a laptop and a phone, each on its own origin with
// its own proxy to ONE real localful-server) logged in to one account and one synced vault, both
// creating, editing and deleting notes for a few minutes, while at moments chosen by a seeded
// generator the server is killed (SIGKILL) and restarted on its port and data, a device's sockets
// are dropped or it is cut off from the server for a while, and tabs are opened, closed (the last
// one too, ending the SharedWorker) and reloaded.
//
// At the end everything is back online; once both devices say they are synced, every item and
// version each device holds (its IndexedDB) and the server holds (its HTTP API) are compared: the
// same version ids, the same items and current versions, the same encrypted bytes per version, the
// same decrypted content per item (one of the texts the soak wrote), nothing left to push; and
// every version the server acknowledged to a device, and every version the server held after a
// restart, is on the server and on both devices.
//
// LOCALFUL_SOAK_SEED replays a run's choices (the seed is printed); LOCALFUL_SOAK_SECONDS sets
// how long the devices edit (default 150). One known fault is held back: a device's new
// SharedWorker rotating its first refresh token is not faulted (soak-device.mjs restartingWorker:
// a lost rotation revokes the session); LOCALFUL_SOAK_FAULT_REFRESH=1 faults it too.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { eventually } from './harness.mjs';
import { PASSWORD, pageErrors, shot, twoDevices, closeDevices } from './devices.mjs';
import { soakSeed, random } from './soak-random.mjs';
import { SoakDevice } from './soak-device.mjs';
import { compareHoldings, deviceHolding, openData, serverHolding, vaultKey, versionIds } from './soak-state.mjs';

const SECONDS = Number(process.env.LOCALFUL_SOAK_SECONDS ?? 150);
/** How long the end may take to converge: only bounds a failure. */
const SETTLE_MS = 180_000;

let env;
after(async () => {
  await closeDevices(env);
});

test(`two devices edit for ${SECONDS} s through server kills, dropped sockets and closed tabs, and end with the same versions, nothing acknowledged lost`, async (t) => {
  assert.ok(Number.isFinite(SECONDS) && SECONDS > 0, `LOCALFUL_SOAK_SECONDS must be a positive number (got '${process.env.LOCALFUL_SOAK_SECONDS}')`);
  const seed = soakSeed();
  t.diagnostic(`seed ${seed} (replay with LOCALFUL_SOAK_SEED=${seed})`);
  const started = Date.now();
  const timeline = [];
  const log = (what) => timeline.push(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${what}`);
  try {
    await soak(t, seed, log);
  } catch (e) {
    t.diagnostic(`seed ${seed}; the last events (0 s is ${new Date(started).toISOString()}):`);
    for (const line of timeline.slice(-150).flatMap((l) => l.split('\n'))) t.diagnostic(line);
    throw new Error(`seed ${seed}: ${e.message}`, { cause: e });
  }
});

async function soak(t, seed, log) {
  const setUp = Date.now();
  env = await twoDevices();
  const { server, api, vaultId, sites, browsers } = env;
  log('devices set up');
  const written = new Map([['First note', new Set([''])]]);
  const device = (name, letter, stream, page) => new SoakDevice({
    name, letter, browser: browsers[name.toLowerCase()], site: sites[name.toLowerCase()], rng: random(seed, stream), page, written, log,
  });
  const laptop = device('Laptop', 'L', 1, env.a);
  const phone = device('Phone', 'P', 2, env.b);
  const devices = [laptop, phone];

  const faults = { kills: 0, drops: 0, cutoffs: 0, downMs: 0 };
  /** Every version id the server held after a restart. */
  const serverHeld = new Set();
  const begun = Date.now();
  const end = begun + SECONDS * 1000;

  // Each loop below ends by `end`; a failure stops the others at once (`stop`), with the server
  // running and every proxy on again, so the devices can be closed.
  const stop = new AbortController();
  /** Waits `ms` (a moment chosen by the generator); false when stopped early. */
  const wait = (ms) => sleep(ms, undefined, { signal: stop.signal }).then(() => true, () => false);
  // The first fault of each kind comes within the first part of the run, so a short run has one too.
  const firstWithin = (ms) => Math.max(1_000, Math.min(ms, SECONDS * 1000 * 0.4));
  // The server: killed every 8–25 s, down for 0.2–4 s each time.
  const killing = async () => {
    const rng = random(seed, 3);
    for (let first = true; ; first = false) {
      const gap = first ? rng.int(1_000, firstWithin(20_000)) : rng.int(8_000, 25_000);
      if (Date.now() + gap >= end || !(await wait(gap))) return;
      await Promise.all(devices.map((d) => d.quiet()));
      await server.kill('SIGKILL');
      const down = rng.int(200, 4_000);
      log(`server killed, down ${down} ms`);
      await wait(down);
      await server.restart();
      faults.kills += 1;
      faults.downMs += down;
      const held = await serverHolding(api, vaultId);
      for (const id of Object.keys(held.versions)) serverHeld.add(id);
      log(`server restarted holding ${Object.keys(held.versions).length} versions (load average ${loadavg()[0].toFixed(1)})`);
    }
  };
  // The network: every 3–12 s, one device's sockets dropped (it reconnects at once), or that
  // device cut off from the server for 1–10 s (requests and sockets refused meanwhile).
  const cutting = async () => {
    const rng = random(seed, 4);
    for (let first = true; ; first = false) {
      const gap = first ? rng.int(1_000, firstWithin(10_000)) : rng.int(3_000, 12_000);
      if (Date.now() + gap >= end || !(await wait(gap))) return;
      const which = rng.pick(['laptop', 'phone']);
      const site = sites[which];
      await (which === 'laptop' ? laptop : phone).quiet();
      if (rng.chance(0.5)) {
        site.setProxy(null);
        site.setProxy(server.url);
        faults.drops += 1;
        log(`${which}: sockets dropped`);
      } else {
        const away = rng.int(1_000, 10_000);
        site.setProxy(null);
        log(`${which}: cut off for ${away} ms`);
        await wait(away);
        site.setProxy(server.url);
        faults.cutoffs += 1;
      }
    }
  };
  const stopping = (loop) => loop.catch((e) => { stop.abort(); throw e; });
  const outcomes = await Promise.allSettled(
    [laptop.run(end, stop.signal), phone.run(end, stop.signal), killing(), cutting()].map(stopping),
  );
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) {
    for (const d of devices) for (const line of await d.describe()) log(line);
    log(`processes:\n${processes()}`);
    throw failed.reason;
  }
  const active = Date.now();
  log('activity over; everything online');
  for (const site of Object.values(sites)) site.setProxy(server.url);

  // Converged: every tab of both devices says "Synced", and the holdings agree.
  let holdings;
  try {
    await eventually('both devices synced with the server', async () => {
      const badges = (await Promise.all(devices.map((d) => d.badges()))).flat();
      if (badges.some((b) => b !== 'Synced')) return false;
      holdings = await readAll(env, devices);
      return compareHoldings(holdings).length === 0;
    }, { timeout: SETTLE_MS, every: 500 });
  } catch (e) {
    holdings = await readAll(env, devices);
    const badges = await Promise.all(devices.map(async (d) => `${d.name}: ${(await d.badges()).join(', ')}`));
    await Promise.all(devices.map((d) => shot(d.tabs[0], `60-soak-${d.name.toLowerCase()}-not-synced`)));
    assert.fail(`${e.message}\nbadges: ${badges.join('; ')}\n${compareHoldings(holdings).join('\n')}`);
  }
  const settled = Date.now();
  for (const d of devices) await d.observe();

  // Nothing acknowledged lost, nothing written lost.
  const { server: atServer, laptop: onLaptop, phone: onPhone } = holdings;
  for (const [what, ids] of [['acknowledged to the laptop', laptop.acked], ['acknowledged to the phone', phone.acked],
    ['held by the server after a restart', serverHeld], ['written on the laptop', laptop.authored], ['written on the phone', phone.authored]]) {
    for (const [where, h] of [['the server', atServer], ['the laptop', onLaptop], ['the phone', onPhone]]) {
      const missing = [...ids].filter((id) => !h.versions[id]);
      assert.deepEqual(missing, [], `versions ${what} missing on ${where}`);
    }
  }

  // The same content per item everywhere, and it is text the soak wrote.
  const key = await vaultKey(atServer.protectedKey, PASSWORD);
  let live = 0;
  for (const [id, item] of Object.entries(atServer.items)) {
    if (item.deleted) continue;
    live += 1;
    const contents = Object.entries(holdings).map(([name, h]) => [name, openData(key, h.versions[h.items[id].current].data)]);
    for (const [name, content] of contents) assert.deepEqual(content, contents[0][1], `note ${id} on ${name} and ${contents[0][0]}`);
    const note = contents[0][1];
    if (!written.get(note.title)?.has(note.body)) {
      assert.fail(`note ${id}'s current text is one the soak wrote: ${JSON.stringify(note)}\n${noteHistory(atServer, key, id)}`);
    }
  }

  const versions = versionIds(atServer);
  const counts = {
    seconds: { setUp: Math.round((begun - setUp) / 1000), active: Math.round((active - begun) / 1000), settle: Math.round((settled - active) / 1000) },
    faults,
    laptop: laptop.stats,
    phone: phone.stats,
    written: { laptop: laptop.authored.size, phone: phone.authored.size },
    acknowledged: { laptop: laptop.acked.size, phone: phone.acked.size },
    serverHeldAfterRestarts: serverHeld.size,
    versions: { total: versions.length, deleted: versions.filter((v) => v.endsWith(' deleted')).length },
    items: { total: Object.keys(atServer.items).length, live },
  };
  for (const [name, value] of Object.entries(counts)) t.diagnostic(`${name}: ${JSON.stringify(value)}`);
  assert.ok(faults.kills >= 1 && faults.drops + faults.cutoffs >= 1, `the server was killed and a device cut off at least once (${JSON.stringify(faults)})`);
  assert.ok(laptop.acked.size > 0 && phone.acked.size > 0, 'both devices had versions acknowledged');
}

/** The browsers' and the server's processes, busiest first (for a failure's report). */
function processes() {
  try {
    return execFileSync('ps', ['-eo', 'pid,pcpu,etimes,rss,comm,args', '--sort=-pcpu'], { encoding: 'utf8' })
      .split('\n').filter((l) => /chrom|localful|node/.test(l)).slice(0, 25).map((l) => l.slice(0, 200)).join('\n');
  } catch (e) {
    return `ps failed: ${e.message}`;
  }
}

/** The holdings of the server and both devices, read with data. */
async function readAll(env, devices) {
  const [server, ...onDevices] = await Promise.all([
    serverHolding(env.api, env.vaultId, { data: true }),
    ...devices.map((d) => deviceHolding(d.tabs[0], { data: true })),
  ]);
  return { server, laptop: onDevices[0], phone: onDevices[1] };
}

test('no page errors', () => {
  assert.deepEqual(pageErrors, []);
});

/** The versions of item `id` in `holding`, oldest first (time, id, device, text): for a failure's report. */
function noteHistory(holding, key, id) {
  const versions = Object.entries(holding.versions).filter(([, v]) => v.item === id)
    .sort(([a, x], [b, y]) => Date.parse(x.createdAt) - Date.parse(y.createdAt) || (a < b ? -1 : 1));
  return versions.map(([vid, v]) => `  ${v.createdAt} ${vid} ${v.device ?? '?'}${v.deleted ? ' deleted' : ` ${JSON.stringify(openData(key, v.data))}`}`).join('\n');
}
