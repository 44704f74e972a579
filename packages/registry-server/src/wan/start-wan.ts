import type { Logger } from 'winston';
import type { Cluster } from '../backend/cluster.js';
import type { AgentConfig } from '../config/agent-config.js';
import { BODY_LIMIT } from '../http/handlers/body-limit.js';
import { DatacenterForwarder } from './datacenter-forwarder.js';
import { WanPool } from './wan-pool.js';

/**
 * A server's part in several datacenters: the WAN pool (started by the caller once the HTTP API
 * listens) and the forwarder of ?dc requests (HttpApi's `before` intercept). Client agents
 * have neither: undefined.
 */
export function startWan(config: AgentConfig, cluster: Cluster, log: Logger): { pool: WanPool; forwarder: DatacenterForwarder; stop(): void } | undefined {
  if (!config.server) return undefined;
  const wanLog = log.child({ component: 'wan' });
  const pool = new WanPool(config.datacenter, cluster, config.retryJoinWan, wanLog, { key: config.encrypt ? Buffer.from(config.encrypt, 'base64') : undefined });
  // Large enough for any body an endpoint takes, short of a snapshot restore.
  const bodyLimit = Math.max(BODY_LIMIT, config.limits.kvMaxValueSize, config.limits.txnMaxReqLen);
  const forwarder = new DatacenterForwarder(pool, bodyLimit, wanLog);
  return {
    pool,
    forwarder,
    stop() {
      pool.stop();
      forwarder.close();
    },
  };
}
