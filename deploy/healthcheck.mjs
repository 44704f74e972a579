// Container health check for a Praetor agent (the image's HEALTHCHECK and the Kubernetes
// readiness probe run it). Slim images have no curl, so Node asks the agent itself.
//
// Healthy (exit 0) when GET /v1/status/leader answers 200 with a non-empty leader address:
// the agent serves its HTTP API and the cluster it belongs to has elected a leader, so it can
// answer catalog reads and take writes. Anything else exits 1 with the reason on stderr.
//
// The agent is found at $PRAETOR_HTTP_ADDR (host:port or http://host:port), as for the
// `praetor` CLI; default 127.0.0.1:8500.
const addr = process.env.PRAETOR_HTTP_ADDR || '127.0.0.1:8500';
const base = /^https?:\/\//.test(addr) ? addr : `http://${addr}`;

function unhealthy(reason) {
  process.stderr.write(`praetor health check: ${reason}\n`);
  process.exit(1);
}

try {
  const res = await fetch(new URL('/v1/status/leader', base), { signal: AbortSignal.timeout(4000) });
  const body = await res.text();
  if (res.status !== 200) unhealthy(`GET /v1/status/leader answered ${res.status}: ${body.trim()}`);
  const leader = JSON.parse(body);
  if (typeof leader !== 'string' || leader === '') unhealthy('no cluster leader yet');
  process.stdout.write(`leader ${leader}\n`);
} catch (err) {
  unhealthy(`${base}: ${err.cause?.message ?? err.message}`);
}
