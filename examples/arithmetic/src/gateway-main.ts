// The gateway: the composition root, and the only file of the gateway that uses inversify.
import { clientModule, instancerModule, loggerModule, TOKENS } from '@praetor/sdk';
import { Container } from 'inversify';
import { gatewayConfig, HOST, type GatewayConfig } from './config.js';
import { Gateway } from './gateway.js';
import { calculateClientFactory } from './http-client.js';
import { listen, type RunningServer } from './http-server.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let cfg: GatewayConfig;
  try {
    cfg = gatewayConfig(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`arithmetic-gateway: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger(cfg.logLevel, { service: 'arithmetic-gateway' });

  const container = new Container();
  container.load(loggerModule(log), clientModule({ addresses: [cfg.registry] }), instancerModule({ service: cfg.service, passingOnly: true }));
  const instancer = container.get(TOKENS.Instancer);
  const gateway = new Gateway(instancer, calculateClientFactory(), log, { retryMax: cfg.retryMax, retryTimeoutMs: cfg.retryTimeoutMs });
  let server: RunningServer;
  try {
    server = await listen(gateway.handler(), { host: HOST, port: cfg.port }, log);
  } catch (err) {
    log.error('cannot listen', { port: cfg.port, error: (err as Error).message });
    process.exit(1);
  }

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info('caught signal; stopping', { signal });
    await server.drain();
    gateway.close();
    await instancer.stop();
    process.exit(0);
  };
  for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, (sig) => void stop(sig));
}

await main();
