// Ad-hoc CPU profile (CDP) of the browser benchmark's queries or imports, ours beside a baseline:
// `bucket`/`body` import 10 000 notes per side, then profile `rounds` queries of that kind per side
// (ours, plain JS); `import` profiles `rounds` imports of 3 000 notes per side (ours, Dexie).
// Prints the top self-time functions. Not part of scripts/bench.sh: it is for finding where a
// missed row's time goes (after scripts/bench/browser.sh has built the page).
// LOCALFUL_PROFILE_COLD=1: our queries forget their decrypted values first (the cold rows).
//
//   node tests/js/bench/profile.mjs bucket 30
//   node tests/js/bench/profile.mjs import 3
import { call, launch, serve } from './page.mjs';

const [kind = 'bucket', rounds = '30'] = process.argv.slice(2);
const { server, url } = await serve();
const browser = await launch();
const context = browser.context;
try {
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.waitForFunction(() => window.wasmBindings?.createBench, null, { timeout: 60_000 });
  await call(page, 'suite.mjs', 'setup', { app: `prof-${Date.now()}`, password: 'a fairly long vault password', count: 10_000 });
  const importing = kind === 'import';
  const sides = importing ? ['ours', 'dexie'] : ['ours', 'plain'];
  if (!importing) for (const side of sides) await call(page, 'suite.mjs', 'importRound', { side, count: 10_000, round: 0, keep: true });
  let n = 0;
  const once = (side) => importing
    ? call(page, 'suite.mjs', 'importRound', { side, count: 3000, round: `p${n++}`, keep: false })
    : call(page, 'suite.mjs', 'queryRound', { side, kind, cold: process.env.LOCALFUL_PROFILE_COLD === '1' }).then((r) => r.ms);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  for (const side of sides) {
    for (let i = 0; i < 3; i++) await once(side);
    await cdp.send('Profiler.start');
    let total = 0;
    for (let i = 0; i < Number(rounds); i++) total += await once(side);
    const { profile } = await cdp.send('Profiler.stop');
    const dt = profile.timeDeltas;
    const self = new Map();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const n = byId.get(id);
      const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`;
      self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0));
    });
    const sum = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(`\n== ${side}: ${rounds} × ${kind}, mean ${(total / Number(rounds)).toFixed(1)} ms; profile ${(sum / 1000).toFixed(0)} ms`);
    for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
      console.log(`${((100 * us) / sum).toFixed(1).padStart(5)} %  ${name.slice(0, 110)}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
