// HTTP and socket.io helpers for the server benchmarks: accounts, vaults, tickets, pushes, and
// payloads shaped like the sync engine's (../../../../../shared/SPEC.md "Server").

import { randomUUID, createHash } from "node:crypto";
import { io } from "socket.io-client";

/** A JSON request to `base + path`; throws with the server's error body on a non-2xx status. */
export async function call(base, method, path, { token, body } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Registers `email` (or logs in when it exists); returns `{userId, accessToken}`. */
export async function account(base, email, password) {
  try {
    const r = await call(base, "POST", "/v1/users", { body: { email, displayName: "Bench", password } });
    return { userId: r.user.id, accessToken: r.tokens.accessToken };
  } catch (e) {
    if (!String(e.message).includes("user-email-exists")) throw e;
    return login(base, email, password);
  }
}

/** A new session of `email`. */
export async function login(base, email, password) {
  const r = await call(base, "POST", "/v1/auth/login", { body: { email, password } });
  return { userId: r.user.id, accessToken: r.tokens.accessToken };
}

/** Creates a vault named `name`; returns its id. */
export async function createVault(base, accessToken, name) {
  const id = randomUUID();
  await call(base, "POST", "/v1/vaults", {
    token: accessToken,
    body: { id, name, protectedEncryptionKey: "v1:bench-key", createdAt: new Date().toISOString() },
  });
  return id;
}

/** Opens the `/sync` socket of a session (websocket transport, a one-time ticket). */
export async function syncSocket(base, accessToken) {
  const { ticket } = await call(base, "POST", "/v1/sync/ticket", { token: accessToken });
  return connect(`${base}/sync`, { ticket });
}

/** A connected socket.io client socket to `url` (namespace included), no reconnection. */
export function connect(url, auth) {
  const socket = io(url, { transports: ["websocket"], auth, forceNew: true, reconnection: false, timeout: 60_000 });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (e) => reject(new Error(`connect ${url}: ${e.message}`)));
  });
}

/** `emit` with an ack, failing after `ms`. */
export function emitWithAck(socket, event, data, ms = 60_000) {
  return socket.timeout(ms).emitWithAck(event, data);
}

/** `push` and check that every entry was accepted. */
export async function push(socket, batch) {
  const ack = await emitWithAck(socket, "push", batch);
  const bad = [...(ack.items ?? []), ...(ack.versions ?? [])].filter((e) => !e.ok);
  if (!ack.ok || bad.length) throw new Error(`push refused: ${JSON.stringify(ack.error ?? bad[0])}`);
  return ack;
}

/** An item of `vaultId` in collection `type`. */
export function item(vaultId, type = "notes") {
  return { id: randomUUID(), vaultId, type, createdAt: new Date().toISOString() };
}

/**
 * The envelope localful-core's test cipher (`PlainCipher`, key 0) produces for `plaintext`:
 * `v1:<meta>:<base64(bytes ^ 0x5a ++ fnv1a32(bytes ++ key) big-endian)>`. Not encryption: the
 * browser benchmark opens vaults with that cipher, so seeded versions must decode with it.
 */
export function plainEnvelope(plaintext, key = 0) {
  const bytes = Buffer.from(plaintext, "utf8");
  let h = 0x811c9dc5;
  for (const b of [...bytes, key]) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  const body = Buffer.alloc(bytes.length + 4);
  bytes.forEach((b, i) => (body[i] = b ^ 0x5a));
  body.writeUInt32BE(h, bytes.length);
  const meta = Buffer.from('{"iv":"AAAAAAAAAAAAAAAA"}').toString("base64");
  return `v1:${meta}:${body.toString("base64")}`;
}

/** A version of `itemId` whose data is a note of about `bytes` characters. */
export function version(itemId, bytes = 200, createdAt = new Date()) {
  const id = randomUUID();
  const body = createHash("sha256").update(id).digest("hex").repeat(Math.ceil(bytes / 64)).slice(0, bytes);
  return {
    id,
    itemId,
    protectedData: plainEnvelope(JSON.stringify({ title: `note ${id.slice(0, 8)}`, body })),
    deviceName: "bench",
    schemaVersion: 1,
    createdAt: createdAt.toISOString(),
  };
}
