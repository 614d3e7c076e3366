// Prints a TCP port that is free on both loopback addresses, 127.0.0.1 and ::1 (where IPv6 is
// on). ChromeDriver listens on both at the same port; with `--port=0` it takes a port the kernel
// found free for one family only and exits when the other family has it in use.
import net from 'node:net';

const listen = (options) => new Promise((resolve) => {
  const server = net.createServer();
  server.once('error', () => resolve(null));
  server.listen(options, () => resolve(server));
});
const close = (server) => new Promise((resolve) => (server ? server.close(resolve) : resolve()));

for (;;) {
  const v4 = await listen({ host: '127.0.0.1', port: 0 });
  if (!v4) throw new Error('cannot listen on 127.0.0.1');
  const { port } = v4.address();
  const v6 = await listen({ host: '::1', port, ipv6Only: true });
  const ipv6Off = !v6 && !(await listen({ host: '::1', port: 0, ipv6Only: true }).then(async (s) => { await close(s); return s; }));
  await close(v6);
  await close(v4);
  if (v6 || ipv6Off) {
    console.log(port);
    break;
  }
}
