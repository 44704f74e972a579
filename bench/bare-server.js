// The ceiling: a bare node:http server answering every request with fixed bytes (the same
// body a KV GET of the bench key returns), run as its own process like the real targets.
import http from 'node:http';

const port = Number(process.env.BARE_PORT);
const body = Buffer.from(process.env.BARE_BODY ?? '[]');
const headers = {
  'Content-Type': 'application/json',
  'Content-Length': String(body.length),
  'X-Consul-Index': '12',
  'X-Consul-Knownleader': 'true',
  'X-Consul-Lastcontact': '0',
};

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`bare server on 127.0.0.1:${port}\n`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
