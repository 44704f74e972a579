import { ContainerModule } from 'inversify';
import type { Logger } from '../log/logger.js';
import { AxiosClient, type ClientOptions } from '../sd/consul/axios-client.js';
import type { ServiceRegistration } from '../sd/consul/api-types.js';
import { ConsulInstancer, type ConsulInstancerOptions } from '../sd/consul/instancer.js';
import { ConsulRegistrar, type ConsulRegistrarOptions } from '../sd/consul/registrar.js';
import { ConsulLock } from '../lock/consul-lock.js';
import type { ConsulLockOptions } from '../lock/consul-lock-options.js';
import { LeaderElection, type LeaderElectionOptions } from '../lock/leader-election.js';
import { TOKENS } from './tokens.js';

/**
 * Container modules for a program's composition root (the only place inversify is used): the
 * logger and options are constants; the client, registrar and instancer are singletons built
 * from them. Domain classes take plain constructor parameters and never see the container.
 */

export function loggerModule(logger: Logger): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Logger).toConstantValue(logger);
  });
}

export function clientModule(opts: ClientOptions = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.ClientOptions).toConstantValue(opts);
    bind(TOKENS.Client)
      .toDynamicValue((ctx) => new AxiosClient({ ...ctx.get(TOKENS.ClientOptions), logger: ctx.get(TOKENS.Logger) }))
      .inSingletonScope();
  });
}

export function registrarModule(registration: ServiceRegistration, opts: ConsulRegistrarOptions = {}): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.ServiceRegistration).toConstantValue(registration);
    bind(TOKENS.Registrar)
      .toDynamicValue((ctx) => new ConsulRegistrar(ctx.get(TOKENS.Client), ctx.get(TOKENS.ServiceRegistration), ctx.get(TOKENS.Logger), opts))
      .inSingletonScope();
  });
}

export function instancerModule(opts: ConsulInstancerOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.InstancerOptions).toConstantValue(opts);
    bind(TOKENS.Instancer)
      .toDynamicValue((ctx) => new ConsulInstancer(ctx.get(TOKENS.Client), ctx.get(TOKENS.Logger), ctx.get(TOKENS.InstancerOptions)))
      .inSingletonScope();
  });
}

/** A LeaderElection on a Consul lock key, as a singleton; the composition root calls start() and stop(). */
export function leaderElectionModule(opts: ConsulLockOptions & LeaderElectionOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.LeaderElection)
      .toDynamicValue((ctx) => {
        const { onElected, onLost, ...lockOpts } = opts;
        const log = ctx.get(TOKENS.Logger);
        return new LeaderElection(new ConsulLock(ctx.get(TOKENS.Client), log, lockOpts), log, { onElected, onLost, backoff: opts.backoff });
      })
      .inSingletonScope();
  });
}
