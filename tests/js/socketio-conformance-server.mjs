// The official socket.io 4.8 server, scripted for localful-worker's conformance suite.
//
//   node tests/js/socketio-conformance-server.mjs        # listens on 127.0.0.1:$LOCALFUL_SIO_PORT (default 3901)
//
// Prints "listening <port>" on stdout once it accepts connections; with LOCALFUL_SIO_PORT=0 the
// kernel picks a free port and that line names it (scripts/test.sh starts it so). Short heartbeat (ping every
// 300 ms, 200 ms timeout), maxHttpBufferSize 10 000 bytes, connection-state recovery on.
// Scenarios are triggered by the client through namespaces and events:
//
//   any namespace   "echo"(...args, ack)          acks with the same arguments
//                   "whoami"(ack)                 acks {sid, engine, nsp, auth, recovered}
//                   "ask"(n, ack)                 emits "question"(n) with an ack to the client, then
//                                                 emits "answered"(reply) and acks true
//                   "binary"(a, b, ack)           acks [b, a] (two attachments) and emits
//                                                 "binary-back"(a, b) ; also "binary-ask"(ack): emits
//                                                 "binary-question" with an ack and emits "binary-answer"(lengths)
//                   "disconnect-me"               socket.disconnect()
//                   "disconnect-me-close"         socket.disconnect(true)
//                   "stop-pinging"                this connection gets no more pings
//                   "drop-me"                     emits "before"(1), closes the transport, then emits
//                                                 "missed"(42) to the socket's room (connection-state recovery)
//                   "restart"(delayMs)            closes every connection and the listener, relistens after delayMs
//                   "ignore"                      never acks
//   "/private"      auth middleware: token "good" passes; otherwise CONNECT_ERROR "not authorized"
//                   with data {code: "E_TOKEN", token}
//   "/slow"         the middleware takes 800 ms, so pings arrive before the CONNECT reply
//
// The two timers left are behaviour under test, not synchronisation: "/slow"'s 800 ms is the slow
// middleware (pings every 300 ms must reach the client before the CONNECT reply), and "restart"'s
// delay is the time the server stays away (the client backs off and reconnects).

import { createServer } from "node:http";
import { Server } from "socket.io";

let port = Number(process.env.LOCALFUL_SIO_PORT ?? 3901);
const httpServer = createServer();
const io = new Server(httpServer, {
  pingInterval: 300,
  pingTimeout: 200,
  maxHttpBufferSize: 10_000,
  transports: ["websocket"],
  connectionStateRecovery: { maxDisconnectionDuration: 30_000, skipMiddlewares: true },
});

function scenarios(socket) {
  socket.on("echo", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    if (ack) ack(...args);
  });
  socket.on("whoami", (ack) =>
    ack({
      sid: socket.id,
      engine: socket.conn.id,
      nsp: socket.nsp.name,
      auth: socket.handshake.auth,
      recovered: socket.recovered,
    }),
  );
  socket.on("ask", async (n, ack) => {
    try {
      const reply = await socket.timeout(2000).emitWithAck("question", n);
      socket.emit("answered", reply);
      ack(true);
    } catch (e) {
      ack(false);
    }
  });
  socket.on("binary", (a, b, ack) => {
    ack(b, a);
    socket.emit("binary-back", a, b);
  });
  socket.on("binary-ask", (ack) => {
    socket.timeout(2000).emit("binary-question", Buffer.from([7, 7, 7]), (err, x, y) => {
      if (err) return ack(false);
      socket.emit("binary-answer", [Buffer.isBuffer(x) ? x.length : -1, Buffer.isBuffer(y) ? y.length : -1]);
      ack(true);
    });
  });
  socket.on("disconnect-me", () => socket.disconnect());
  socket.on("disconnect-me-close", () => socket.disconnect(true));
  socket.on("stop-pinging", () => {
    const conn = socket.conn;
    clearTimeout(conn.pingIntervalTimer);
    clearTimeout(conn.pingTimeoutTimer);
    conn.pingTimeoutTimer = null;
    conn.pingIntervalTimer = { refresh() {} };
    conn.schedulePing = () => {};
    conn.resetPingTimeout = () => {};
  });
  socket.on("drop-me", () => {
    const room = socket.id;
    const nsp = io.of(socket.nsp.name);
    // Sent once the server has handled the disconnection (and kept the session for recovery),
    // so the client misses it live and must get it replayed when it reconnects.
    socket.once("disconnect", () => nsp.to(room).emit("missed", 42));
    socket.emit("before", 1);
    socket.conn.close(); // engine.io closes after its write buffer, "before" included, is sent
  });
  socket.on("restart", (delayMs) => restart(Number(delayMs) || 500));
  socket.on("ignore", () => {});
}

io.of("/").on("connection", scenarios);
io.of("/admin").on("connection", scenarios);
io.of("/recovery").on("connection", scenarios);

const privateNsp = io.of("/private");
privateNsp.use((socket, next) => {
  const token = socket.handshake.auth && socket.handshake.auth.token;
  if (token === "good") return next();
  const err = new Error("not authorized");
  err.data = { code: "E_TOKEN", token: token ?? null };
  next(err);
});
privateNsp.on("connection", scenarios);

const slowNsp = io.of("/slow");
slowNsp.use((socket, next) => setTimeout(next, 800));
slowNsp.on("connection", scenarios);

function restart(delayMs) {
  for (const client of Object.values(io.engine.clients)) client.close(true);
  httpServer.close();
  httpServer.closeAllConnections?.();
  setTimeout(() => httpServer.listen(port, "127.0.0.1"), delayMs);
}

httpServer.once("listening", () => {
  port = httpServer.address().port; // a "restart" listens on it again
  console.log(`listening ${port}`);
});
httpServer.listen(port, "127.0.0.1");

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
