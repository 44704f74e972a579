// The arithmetic service: the composition root, and the only file of the service that uses inversify.
import { clientModule, loggerModule, registrarModule, TOKENS, type ServiceRegistration } from '@praetor/sdk';
import { Container } from 'inversify';
import { HOST, SERVICE_NAME, serviceConfig, type ServiceConfig } from './config.js';
import { listen, type RunningServer } from './http-server.js';
import { makeHttpHandler } from './http-transport.js';
import { createLogger } from './logger.js';
import { newArithmeticService } from './service.js';

/** The registry probes /health this often; the check holds one failed probe back (FailuresBeforeCritical). */
export const CHECK_INTERVAL = '500ms';

/** The registration: an HTTP check on /health, reaped by the agent after a minute of critical. */
export function registration(cfg: ServiceConfig, port: number): ServiceRegistration {
  return {
    ID: cfg.id,
    Name: SERVICE_NAME,
    Address: HOST,
    Port: port,
    Check: {
      Name: 'HTTP /health',
      HTTP: `http://${HOST}:${port}/health`,
      Interval: CHECK_INTERVAL,
      Timeout: CHECK_INTERVAL,
      FailuresBeforeCritical: 2,
      DeregisterCriticalServiceAfter: '1m',
    },
  };
}

async function main(): Promise<void> {
  let cfg: ServiceConfig;
  try {
    cfg = serviceConfig(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`arithmetic: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger(cfg.logLevel, { service: SERVICE_NAME, id: cfg.id });
  let server: RunningServer;
  try {
    server = await listen(makeHttpHandler(newArithmeticService(), log), { host: HOST, port: cfg.port }, log);
  } catch (err) {
    log.error('cannot listen', { port: cfg.port, error: (err as Error).message });
    process.exit(1);
  }

  const container = new Container();
  container.load(
    loggerModule(log),
    clientModule({ addresses: [cfg.registry] }),
    // SIGINT/SIGTERM: maintenance on → wait propagationMs → drain the server → deregister → exit 0.
    registrarModule(registration(cfg, server.port), {
      gracefulShutdown: { propagationMs: cfg.propagationMs, drain: () => server.drain() },
    }),
  );
  const registrar = container.get(TOKENS.Registrar);
  try {
    await registrar.register();
  } catch (err) {
    log.error('the registry refused the registration', { error: (err as Error).message });
    await server.drain();
    process.exit(1);
  }
}

await main();
