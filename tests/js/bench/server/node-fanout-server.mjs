// The baseline of the fan-out benchmark: the official Node socket.io server (namespace /sync,
// websocket transport) relaying a pushed version to a vault's room as localful-server does — a
// `version-create` change entry to every subscriber but the writer, and an ack to the writer.
//
//   LOCALFUL_BENCH_NODE_PORT=3913 node tests/js/bench/server/node-fanout-server.mjs
//
// Prints "listening <port>" once it accepts connections.

import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.env.LOCALFUL_BENCH_NODE_PORT || 3913);
const httpServer = createServer();
const io = new Server(httpServer, { transports: ["websocket"], maxHttpBufferSize: 5e6 });
let seq = 0;

io.of("/sync").on("connection", (socket) => {
  socket.on("subscribe", ({ vaults }, ack) => {
    socket.join(vaults.map((id) => `vault:${id}`));
    ack({ ok: true, vaults, latestSeq: Object.fromEntries(vaults.map((id) => [id, seq])), rejected: [] });
  });
  socket.on("push", ({ vaultId, versions = [] }, ack) => {
    for (const v of versions) {
      seq += 1;
      const entry = {
        seq,
        event: "version-create",
        vaultId,
        createdAt: new Date().toISOString(),
        version: { ...v, deletedAt: null },
      };
      socket.to(`vault:${vaultId}`).emit("version-create", entry);
    }
    ack({ ok: true, items: [], versions: versions.map((v) => ({ id: v.id, ok: true, status: "created" })) });
  });
});

httpServer.listen(port, "127.0.0.1", () => console.log(`listening ${port}`));
