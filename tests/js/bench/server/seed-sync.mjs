// Seeds the vault of the initial-sync benchmark (localful-worker/tests/sync_bench.rs): account
// sync-bench@bench.test, vault "sync-bench", `items` items and `versions` versions spread over them,
// pushed over socket.io `/sync` like a device would. Version data is `PlainCipher`-shaped (the
// test opens the vault with that cipher).

import { account, createVault, item, push, syncSocket, version } from "./api.mjs";

/** Seeds the benchmark vault on the server at `base`; returns its id. */
export async function seed(base, versions, items) {
  const { accessToken } = await account(base, "sync-bench@bench.test", "bench-password");
  const vault = await createVault(base, accessToken, "sync-bench");
  const socket = await syncSocket(base, accessToken);
  const rows = Array.from({ length: items }, () => item(vault));
  for (let i = 0; i < rows.length; i += 500) await push(socket, { items: rows.slice(i, i + 500) });
  const start = Date.now() - versions; // distinct, increasing createdAt
  for (let i = 0; i < versions; i += 500) {
    const batch = Array.from({ length: Math.min(500, versions - i) }, (_, k) =>
      version(rows[(i + k) % rows.length].id, 200, new Date(start + i + k)),
    );
    await push(socket, { versions: batch });
  }
  socket.close();
  return vault;
}
