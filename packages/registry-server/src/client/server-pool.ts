import { EventEmitter } from 'node:events';
import { joinUrl } from '../membership/member.js';

/**
 * The servers a client agent knows (HTTP base URLs) and the one it talks to now. The list comes
 * from the servers themselves (each heartbeat's answer names the live servers of the
 * datacenter) and from joins. The first server is picked at random, so that the clients of a
 * datacenter spread over its servers; one that does not answer hands over to the next. Emits
 * `failed` (url) when a server is given up, so requests still waiting on it can move on.
 */
export class ServerPool extends EventEmitter {
  private urls: string[] = [];
  private at = 0;

  /** The server to ask now; undefined while none is known. */
  current(): string | undefined {
    return this.urls[this.at];
  }

  list(): string[] {
    return [...this.urls];
  }

  /** Every known server, the current one first: the order to try them in. */
  inTurn(): string[] {
    return [...this.urls.slice(this.at), ...this.urls.slice(0, this.at)];
  }

  /** A server this agent joined (`host[:port]` or a URL); it becomes current when none was. */
  add(address: string): string {
    const url = joinUrl(address);
    if (!this.urls.includes(url)) {
      this.urls.push(url);
      if (this.urls.length === 1) this.at = 0;
    }
    return url;
  }

  /**
   * The live servers as one of them listed them (`host:port` each). The current server stays
   * current while listed; an empty list changes nothing (that server knows no other yet).
   */
  update(addresses: readonly string[]): void {
    if (addresses.length === 0) return;
    const current = this.current();
    const next = [...new Set(addresses.map((a) => joinUrl(a)))].sort();
    if (current !== undefined && next.includes(current)) {
      this.urls = next;
      this.at = next.indexOf(current);
      return;
    }
    this.urls = next;
    this.at = Math.floor(Math.random() * next.length);
  }

  /** `url` did not answer: the next server becomes current (the list is kept: it may come back). */
  failed(url: string): void {
    const i = this.urls.indexOf(url);
    if (i < 0) return;
    if (i === this.at) this.at = (this.at + 1) % this.urls.length;
    this.emit('failed', url);
  }

  /** Makes `url` (a known server) the current one: it answered when the current one did not. */
  use(url: string): void {
    const i = this.urls.indexOf(url);
    if (i >= 0) this.at = i;
  }
}
