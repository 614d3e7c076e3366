// A line-oriented driver around the official socket.io-client, spawned by the Rust tests.
// argv: <baseUrl> <authJson> [origin]. stdin: {"id":n,"event":e,"data":d} emits with an ack,
// {"cmd":"close"} (or the end of stdin) disconnects and exits. stdout: one JSON object per line for every connect,
// connect_error, disconnect, server event and ack.
const { io } = require('socket.io-client');
const readline = require('readline');

const [url, authJson, origin] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const opts = { transports: ['websocket'], reconnection: false, auth: JSON.parse(authJson), timeout: 10000 };
if (origin) opts.extraHeaders = { Origin: origin };
const socket = io(url + '/sync', opts);
socket.on('connect', () => out({ type: 'connect' }));
socket.on('connect_error', (e) => out({ type: 'connect_error', message: e.message }));
socket.on('disconnect', (reason) => out({ type: 'disconnect', reason }));
socket.onAny((event, ...args) => out({ type: 'event', event, data: args[0] === undefined ? null : args[0] }));

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const msg = JSON.parse(line);
  if (msg.cmd === 'close') {
    rl.close();
    return;
  }
  socket.timeout(10000).emit(msg.event, msg.data, (err, ack) => {
    out(err ? { type: 'ack', id: msg.id, error: String(err) } : { type: 'ack', id: msg.id, data: ack });
  });
});
// Asked to close, or stdin ended: disconnect and let go of stdin; node exits once the socket
// has flushed and closed.
rl.on('close', () => {
  socket.close();
  process.stdin.destroy();
});
