import type { ServiceIdentifier } from 'inversify';
import type { Logger } from '../log/logger.js';
import type { Instancer } from '../sd/instancer.js';
import type { Registrar } from '../sd/registrar.js';
import type { ServiceRegistration } from '../sd/consul/api-types.js';
import type { Client } from '../sd/consul/client.js';
import type { ClientOptions } from '../sd/consul/axios-client.js';
import type { ConsulInstancerOptions } from '../sd/consul/instancer.js';
import type { LeaderElection } from '../lock/leader-election.js';

/** The SDK's injection tokens: typed symbols, one per role. */
export const TOKENS = {
  Logger: Symbol.for('praetor.Logger') as ServiceIdentifier<Logger>,
  ClientOptions: Symbol.for('praetor.ClientOptions') as ServiceIdentifier<ClientOptions>,
  Client: Symbol.for('praetor.Client') as ServiceIdentifier<Client>,
  ServiceRegistration: Symbol.for('praetor.ServiceRegistration') as ServiceIdentifier<ServiceRegistration>,
  Registrar: Symbol.for('praetor.Registrar') as ServiceIdentifier<Registrar>,
  InstancerOptions: Symbol.for('praetor.InstancerOptions') as ServiceIdentifier<ConsulInstancerOptions>,
  Instancer: Symbol.for('praetor.Instancer') as ServiceIdentifier<Instancer>,
  LeaderElection: Symbol.for('praetor.LeaderElection') as ServiceIdentifier<LeaderElection>,
} as const;
