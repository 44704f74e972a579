import type { Etcd3, ILeaseKeepAliveRequest, ILeaseKeepAliveResponse, IDuplexStream } from 'etcd3';
import { InternalError } from '../../errors.js';

/** How long one keepalive may wait for etcd's answer (ms). */
const ANSWER_TIMEOUT_MS = 5000;

interface Waiter {
  resolve: (ttl: number) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

type Stream = IDuplexStream<ILeaseKeepAliveRequest, ILeaseKeepAliveResponse>;

/**
 * Keepalives for leases this process did not necessarily grant (sessions', client members'),
 * over ONE long-lived etcd keepalive stream multiplexing every lease ID: etcd answers each
 * request on the stream, in order, with the lease's new TTL (0 when the lease no longer exists).
 * A broken stream fails the keepalives waiting on it; the next one opens a new stream.
 */
export class LeaseKeepAlive {
  private stream: Promise<Stream> | null = null;
  private readonly waiting = new Map<string, Waiter[]>();
  private closed = false;

  constructor(private readonly client: Etcd3) {}

  /** Keeps lease `id` alive once; resolves its TTL in seconds (0: the lease is gone). */
  async keepAlive(id: string): Promise<number> {
    if (this.closed) throw new InternalError('the agent is shutting down');
    const stream = await this.open();
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(id, waiter);
          reject(new InternalError('etcd did not answer the lease keepalive in time'));
        }, ANSWER_TIMEOUT_MS),
      };
      waiter.timer.unref();
      const list = this.waiting.get(id);
      if (list) list.push(waiter);
      else this.waiting.set(id, [waiter]);
      stream.write({ ID: id });
    });
  }

  close(): void {
    this.closed = true;
    void this.stream?.then((s) => s.end()).catch(() => undefined);
    this.stream = null;
    this.failAll(new InternalError('the agent is shutting down'));
  }

  private open(): Promise<Stream> {
    if (this.stream) return this.stream;
    const opening = this.client.leaseClient.leaseKeepAlive().then((s) => {
      s.on('data', (res: ILeaseKeepAliveResponse) => {
        const list = this.waiting.get(res.ID);
        const w = list?.shift();
        if (list && list.length === 0) this.waiting.delete(res.ID);
        if (!w) return;
        clearTimeout(w.timer);
        w.resolve(Number(res.TTL));
      });
      const broken = (err: Error) => {
        if (this.stream === opening) this.stream = null;
        this.failAll(err);
      };
      s.on('error', (err: Error) => broken(err));
      s.on('end', () => broken(new Error('etcd closed the lease keepalive stream')));
      return s;
    });
    opening.catch(() => {
      if (this.stream === opening) this.stream = null;
    });
    this.stream = opening;
    return opening;
  }

  private remove(id: string, waiter: Waiter): void {
    const list = this.waiting.get(id);
    if (!list) return;
    const i = list.indexOf(waiter);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.waiting.delete(id);
  }

  private failAll(err: Error): void {
    for (const list of this.waiting.values()) {
      for (const w of list) {
        clearTimeout(w.timer);
        w.reject(err);
      }
    }
    this.waiting.clear();
  }
}
