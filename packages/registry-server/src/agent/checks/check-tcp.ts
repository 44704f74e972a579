import * as net from 'node:net';
import type { Logger } from 'winston';
import { formatDuration } from '../../internal/duration.js';
import type { CheckDefinition } from '../../structs/check.js';
import type { CheckRunner, Report } from './check-runner.js';
import { IntervalRunner, intervalSettings, timedOut, type Probe } from './interval-runner.js';

/** Splits "host:port" or "[v6]:port" into its parts; throws on anything else. */
export function splitHostPort(target: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(target);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`address ${target}: expected host:port`);
  return { host: m[1] ?? (m[2] || 'localhost'), port };
}

/**
 * A TCP check probe, as Consul's CheckTCP: connects to TCP ("host:port") and closes at once.
 * Connected is passing with "TCP connect <target>: Success"; an error or the timeout is critical
 * with "TCP connect <target>: <error>".
 */
export function tcpProbe(def: CheckDefinition): Probe {
  const target = def.TCP ?? '';
  return (signal, timeoutMs) =>
    new Promise((resolve) => {
      const fail = (why: string) => resolve({ status: 'critical', output: `TCP connect ${target}: ${why}` });
      let address: { host: string; port: number };
      try {
        address = splitHostPort(target);
      } catch (err) {
        fail((err as Error).message);
        return;
      }
      const socket = net.connect({ ...address, signal });
      socket.once('connect', () => {
        socket.destroy();
        resolve({ status: 'passing', output: `TCP connect ${target}: Success` });
      });
      socket.once('error', (err) => {
        socket.destroy();
        fail(timedOut(signal) ? `timed out after ${formatDuration(timeoutMs)}` : err.message);
      });
    });
}

/** An interval runner around tcpProbe. */
export function createTcpRunner(def: CheckDefinition, report: Report, logger: Logger): CheckRunner {
  const log = logger.child({ component: 'check-tcp', target: def.TCP });
  return new IntervalRunner(tcpProbe(def), intervalSettings(def), report, log);
}
