import { execFile } from 'node:child_process';
import { startAgent, type AgentProcess } from './harness.js';

/** One record as dig prints it: owner, TTL, type and the data (space-joined). */
export interface DigRecord {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

export interface DigAnswer {
  status: string;
  flags: string[];
  answer: DigRecord[];
  authority: DigRecord[];
  additional: DigRecord[];
  /** The UDP size of the reply's OPT record; undefined when it had none. */
  edns?: number;
  size: number;
  raw: string;
}

/**
 * Asks the real `dig` (bind9-dnsutils) at 127.0.0.1:port. UDP by default (`+ignore`: a reply
 * with TC is shown as it came, not retried over TCP); `tcp` sends over TCP. `opts` are more dig
 * options (`+noedns`, `+bufsize=4096`, `-c`, ...).
 */
export function dig(port: number, name: string, type: string, opts: string[] = [], tcp = false): Promise<DigAnswer> {
  const args = ['@127.0.0.1', '-p', String(port), name, type, '+nocookie', '+tries=1', '+time=5', tcp ? '+tcp' : '+ignore', ...opts];
  return new Promise((resolve, reject) => {
    execFile('dig', args, { timeout: 20_000 }, (err, stdout) => {
      if (err) return reject(new Error(`dig ${args.join(' ')}: ${err.message}\n${stdout}`));
      try {
        resolve(parseDig(stdout));
      } catch (e) {
        reject(new Error(`dig ${args.join(' ')}: ${(e as Error).message}\n${stdout}`));
      }
    });
  });
}

export function parseDig(out: string): DigAnswer {
  const status = /status: ([A-Z]+)/.exec(out)?.[1];
  const flags = /;; flags:([^;]*);/.exec(out)?.[1].trim().split(/\s+/).filter(Boolean);
  if (!status || !flags) throw new Error('no reply header in the output');
  const sections: Record<string, DigRecord[]> = { ANSWER: [], AUTHORITY: [], ADDITIONAL: [] };
  let current: DigRecord[] | undefined;
  for (const line of out.split('\n')) {
    const head = /^;; (ANSWER|AUTHORITY|ADDITIONAL) SECTION:/.exec(line);
    if (head) {
      current = sections[head[1]];
      continue;
    }
    if (line.trim() === '' || line.startsWith(';')) {
      if (line.trim() === '') current = undefined;
      continue;
    }
    if (!current) continue;
    const [name, ttl, , type, ...data] = line.split(/\s+/);
    current.push({ name, ttl: Number(ttl), type, data: data.join(' ') });
  }
  const edns = /; EDNS: version: \d+, flags:[^;]*; udp: (\d+)/.exec(out)?.[1];
  return {
    status,
    flags,
    answer: sections.ANSWER,
    authority: sections.AUTHORITY,
    additional: sections.ADDITIONAL,
    edns: edns === undefined ? undefined : Number(edns),
    size: Number(/MSG SIZE\s+rcvd: (\d+)/.exec(out)?.[1] ?? NaN),
    raw: out,
  };
}

/** The data of each record of a section, sorted (answers are shuffled). */
export const datas = (rrs: DigRecord[], type?: string): string[] => rrs.filter((r) => !type || r.type === type).map((r) => r.data).sort();

export interface DnsAgent extends AgentProcess {
  dnsPort: number;
}

/** A `praetor agent` whose DNS listens on a free port (read from its start banner). */
export async function startDnsAgent(args: string[]): Promise<DnsAgent> {
  const a = await startAgent(['-dns-port=0', '-log-level=warn', ...args]);
  const m = /DNS Addr: 127\.0\.0\.1:(\d+)/.exec(a.output());
  if (!m) {
    await a.stop();
    throw new Error(`no DNS address in the agent's banner:\n${a.output()}`);
  }
  return Object.assign(a, { dnsPort: Number(m[1]) });
}

/** Registers through /v1/catalog/register. */
export async function register(url: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/v1/catalog/register`, { method: 'PUT', body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`register ${JSON.stringify(body)}: ${res.status} ${await res.text()}`);
}

/** The catalog the DNS tests (and their comparison with Consul 1.8.7) use. */
export const FIXTURES: unknown[] = [
  { Node: 'n1', Address: '10.0.0.1', NodeMeta: { env: 'prod', 'rfc1035-foo': 'bar' }, Service: { ID: 'web1', Service: 'web', Tags: ['v1', 'primary'], Port: 80 } },
  { Node: 'n2', Address: '10.0.0.2', Service: { ID: 'web2', Service: 'web', Tags: ['v2'], Port: 81, Address: '10.1.0.2', Weights: { Passing: 5, Warning: 2 } }, Check: { CheckID: 'c2', Name: 'c2', Status: 'warning', ServiceID: 'web2' } },
  { Node: 'n3', Address: '10.0.0.3', Service: { ID: 'web3', Service: 'web', Port: 82 }, Check: { CheckID: 'c3', Name: 'c3', Status: 'critical', ServiceID: 'web3' } },
  { Node: 'n4', Address: '10.0.0.4', Service: { ID: 'web4', Service: 'web', Port: 83, Address: 'web4.example.com' } },
  { Node: 'n6', Address: '2001:db8::6', Service: { ID: 'web6', Service: 'web', Port: 86 } },
  { Node: 'n1', Address: '10.0.0.1', NodeMeta: { env: 'prod', 'rfc1035-foo': 'bar' }, Service: { ID: 'db1', Service: 'db', Port: 5432, Address: '2001:db8::10' } },
  { Node: 'n3', Address: '10.0.0.3', Service: { ID: 'dead', Service: 'dead', Port: 1 }, Check: { CheckID: 'c3d', Name: 'c3d', Status: 'critical', ServiceID: 'dead' } },
  { Node: 'n5', Address: 'n5.example.com', Service: { ID: 'host', Service: 'host', Port: 9 } },
  { Node: 'n7', Address: '10.0.0.7', Service: { ID: 'maint', Service: 'maint', Port: 7 }, Check: { CheckID: '_service_maintenance:maint', Name: 'Service Maintenance Mode', Status: 'critical', ServiceID: 'maint' } },
  { Node: 'n8', Address: '10.0.0.8', Service: { ID: 'nodecrit', Service: 'nodecrit', Port: 8 }, Check: { CheckID: 'nc', Name: 'nc', Status: 'critical' } },
  { Node: 'Mixed-Case', Address: '10.0.0.9', Service: { ID: 'Upper', Service: 'UpperSvc', Port: 9 } },
];

/** `count` instances of `name`, one per node (`<name>-n<i>`), registered `parallel` at a time. */
export async function registerMany(url: string, name: string, count: number, parallel = 16): Promise<void> {
  let next = 1;
  const worker = async () => {
    while (next <= count) {
      const i = next++;
      await register(url, { Node: `${name}-n${i}`, Address: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, Service: { ID: `${name}${i}`, Service: name, Port: 1000 + i } });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
