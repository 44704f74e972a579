import path from 'node:path';
import type { Logger } from 'winston';
import type { Backend } from '../backend/backend.js';
import { agentRegisterCheckTx, agentRegisterServiceTx } from '../commands/agent-register.js';
import { ensureClusterIdentityTx } from '../commands/cluster-identity.js';
import { deregisterServiceTx } from '../commands/deregister.js';
import type { SyncSummary } from '../commands/agent-sync-config.js';
import { ensureCheckTx, registerTx, type CheckInput } from '../commands/register.js';
import type { AgentConfig } from '../config/agent-config.js';
import { BadRequestError, InternalError, NotFoundError } from '../errors.js';
import type { StateStore } from '../state/state-store.js';
import { NODE_MAINT_CHECK_ID, SERF_CHECK_ID, SERF_CHECK_NAME, SERVICE_MAINT_PREFIX, type CheckStatus, type HealthCheck } from '../structs/check.js';
import { DEFAULT_WEIGHTS, type Service } from '../structs/service.js';
import { CheckManager, RUNNABLE_CHECK_TYPES } from './check-manager.js';
import { ConfigSync } from './config-sync.js';
import { normalizeCheck } from './check-definition.js';
import { OwnedChecks, type CheckSource, type OwnedCheck } from './owned-checks.js';
import { SCRIPT_TYPES, scriptRefusal } from './script-policy.js';
import { Reaper } from './reaper.js';
import { UserEvents } from '../events/user-events.js';
import { aggregateStatus, type AggregatedStatus } from './service-health.js';
import { instanceChecks } from '../state/queries/health.js';
import { normalizeService, type ServiceDefinition } from './service-definition.js';
import { SIDECAR_SUFFIX, sidecarDefinition, sidecarPort } from './sidecar-service.js';
import { StoreAliasSource } from './alias-sources.js';
import type { AliasSource } from './checks/check-alias.js';
import { Serial } from '../internal/serial.js';

export const VERSION = '1.8.7';

/** In the data dir: the checks this agent registered itself (see OwnedChecks). */
export const OWNED_CHECKS_FILE = 'agent-checks.json';

/** The service every Consul server registers for itself; not part of the agent's local view. */
const SELF_SERVICE = 'consul';

/**
 * The local agent: its own node in the catalog (with serfHealth), the services and checks
 * registered through it, maintenance mode, TTL updates, check runners and the reaper.
 * Its local state is the catalog's view of its node, so it survives restarts with the data;
 * which checks it registered itself, and so runs, it records apart (OwnedChecks), since
 * anyone can write checks on its node through the catalog.
 */
export class Agent {
  readonly node: string;
  readonly checks: CheckManager;
  /** User events delivered to this agent (agent-local, as in Consul). */
  readonly events: UserEvents;
  private readonly reaper: Reaper;
  private readonly configSync: ConfigSync;
  private readonly owned: OwnedChecks;
  /** Registrations that assign sidecar ports run one at a time, so two never take the same port. */
  private readonly sidecarPorts = new Serial();

  /**
   * `remoteAliases`: where a client agent reads the other nodes its alias checks mirror (its
   * own store holds only its node); a server reads them from its catalog.
   */
  constructor(
    readonly config: AgentConfig,
    readonly nodeID: string,
    private readonly backend: Backend,
    private readonly store: StateStore,
    private readonly log: Logger,
    remoteAliases?: AliasSource,
  ) {
    this.node = config.nodeName;
    this.owned = new OwnedChecks(config.dataDir ? path.join(config.dataDir, OWNED_CHECKS_FILE) : undefined, log.child({ component: 'checks' }));
    const refusal = (id: string, own: OwnedCheck) => (SCRIPT_TYPES.has(own.Type) ? scriptRefusal(id, own.source, this.config) : undefined);
    const local = { node: this.node, checks: () => this.localChecks(), serviceExists: (id: string) => this.localService(id) !== undefined };
    const aliases = new StoreAliasSource(store, local, remoteAliases);
    const outputs = () => ({ updateIntervalMs: this.config.checkUpdateInterval, discard: this.config.discardCheckOutput, maxSize: this.config.checkOutputMaxSize });
    this.checks = new CheckManager(store, backend, this.node, this.owned, refusal, aliases, log.child({ component: 'checks' }), outputs);
    const syncFile = config.dataDir ? path.join(config.dataDir, 'config-defined.json') : undefined;
    this.configSync = new ConfigSync(backend, this.node, syncFile, log.child({ component: 'config' }));
    this.events = new UserEvents(store.watches, { node: this.node, services: () => this.localServices() }, log.child({ component: 'events' }));
    this.reaper = new Reaper(store, this.node, this.checks.criticalSince, (id) => this.deregisterService(id), log.child({ component: 'reaper' }));
  }

  /**
   * Writes the cluster's identity on a fresh store (a server's: a client's store holds only its
   * node), registers the node, its serfHealth check and
   * the config-file services and checks, then runs the checks this agent registered (as
   * recorded; the script-check flags checked again).
   */
  async start(): Promise<void> {
    const recorded = await this.owned.load();
    if (this.config.server) await this.backend.submit((tx) => ensureClusterIdentityTx(tx));
    await this.registerSelf();
    await this.configSync.load();
    await this.syncConfig(this.config.services, this.config.checks);
    if (!recorded && this.config.dataDir) await this.adoptChecks();
    this.checks.start();
    this.reaper.start();
  }

  /**
   * A data dir written before the agent recorded its checks (or whose record was damaged):
   * the runnable checks already on this node are taken as registered over the HTTP API, as
   * they were, except scripts unless enable_script_checks allows them; the record is written
   * even when empty, so this happens once.
   */
  private async adoptChecks(): Promise<void> {
    const adopted: Array<[string, OwnedCheck]> = [];
    for (const c of this.store.catalog.nodeChecks(this.node)) {
      if (!RUNNABLE_CHECK_TYPES.has(c.Type) || this.owned.get(c.CheckID)) continue;
      const why = SCRIPT_TYPES.has(c.Type) ? scriptRefusal(c.CheckID, 'api', this.config) : undefined;
      if (why) this.log.warn(`not adopting check ${JSON.stringify(c.CheckID)}: ${why}`);
      else adopted.push([c.CheckID, { source: 'api', Type: c.Type, Definition: c.Definition }]);
    }
    await this.owned.update(adopted);
    if (adopted.length > 0) this.log.info('adopted the checks found on this node, as registered over the HTTP API (first start with a record of owned checks)', { checks: adopted.map(([id]) => id).join(',') });
  }

  /** The running script-check flags changed (reload): runs or stops the script checks they now allow or refuse. */
  scriptFlagsChanged(): void {
    this.checks.refresh();
  }

  /**
   * Writes this agent's own node with serfHealth (and a server's own service) into the catalog;
   * a write that changes nothing when they are there already. At start, and again after a
   * snapshot restore replaced the catalog, which may lack them.
   */
  async registerSelf(): Promise<void> {
    const cfg = this.config;
    const addr = cfg.bindAddr;
    await this.backend.submit((tx) =>
      registerTx(tx, {
        Node: this.node,
        ID: this.nodeID,
        Address: addr,
        Datacenter: cfg.datacenter,
        TaggedAddresses: { lan: addr, lan_ipv4: addr, wan: addr, wan_ipv4: addr },
        NodeMeta: { ...cfg.nodeMeta, 'consul-network-segment': '' },
        Service: cfg.server
          ? {
              ID: SELF_SERVICE,
              Service: SELF_SERVICE,
              Tags: [],
              Address: '',
              Meta: { raft_version: '3', version: VERSION, non_voter: 'false' },
              Port: cfg.ports.server,
              Weights: { ...DEFAULT_WEIGHTS },
              EnableTagOverride: false,
            }
          : undefined,
        Checks: [
          { CheckID: SERF_CHECK_ID, Name: SERF_CHECK_NAME, Status: 'passing', Notes: '', Output: 'Agent alive and reachable', ServiceID: '', Type: '', Definition: {} },
        ],
        SkipNodeUpdate: false,
      }),
    );
  }

  /**
   * After a snapshot restore replaced the catalog: puts back what this agent owns where it is
   * missing or differs (its node and serfHealth, its file-defined services and checks), as
   * Consul's anti-entropy does.
   */
  async afterRestore(): Promise<void> {
    await this.registerSelf();
    await this.syncConfig(this.config.services, this.config.checks);
  }

  /**
   * Makes the services and checks defined in config files (decoded, as in AgentConfig) the
   * file-defined ones on this node: at start, and on reload (with the node's new metadata).
   * Throws a BadRequestError for an invalid definition, before anything is written.
   */
  async syncConfig(services: Array<Record<string, unknown>>, checks: Array<Record<string, unknown>>, nodeMeta?: Record<string, string>): Promise<SyncSummary> {
    // Script checks are registered whatever the flags (a start refuses them while loading the
    // files); the check manager runs only those the running flags allow, and says so.
    const rules = { scriptsAllowed: true };
    const parsed: ServiceDefinition[] = [];
    for (const raw of services) {
      const def = normalizeService(raw, rules);
      if (def.service.ID === SELF_SERVICE) throw new BadRequestError(`Service ID ${JSON.stringify(SELF_SERVICE)} is reserved for the registry's own servers`);
      parsed.push(def);
    }
    return this.sidecarPorts.run(() => this.applyConfig(parsed, checks, rules, nodeMeta));
  }

  private async applyConfig(parsed: ServiceDefinition[], checks: Array<Record<string, unknown>>, rules: { scriptsAllowed: boolean }, nodeMeta?: Record<string, string>): Promise<SyncSummary> {
    const defs = new Map<string, ServiceDefinition>();
    for (const def of this.withSidecars(parsed, rules)) defs.set(def.service.ID, def);
    const nodeChecks = new Map<string, CheckInput>();
    for (const raw of checks) {
      const c = normalizeCheck(raw, { CheckID: '', Name: '', ServiceID: '' }, rules);
      if (c) nodeChecks.set(c.CheckID, c);
    }
    const desired = { services: [...defs.values()], checks: [...nodeChecks.values()] };
    const fileChecks = [...desired.services.flatMap((d) => d.checks), ...desired.checks];
    const before = this.owned.ids('file');
    const keep = new Set(fileChecks.map((c) => c.CheckID));
    const dropped = () => before.filter((id) => !keep.has(id) && this.owned.get(id)?.source === 'file');
    return this.owned.around(ownedEntries(fileChecks, 'file'), () => this.configSync.apply(desired, nodeMeta), dropped);
  }

  stop(): void {
    this.reaper.stop();
    this.checks.stop();
  }

  /** The agent's own services (the self-registered `consul` service excluded, as in Consul). */
  localServices(): Service[] {
    return this.store.catalog.nodeServices(this.node).filter((s) => s.ID !== SELF_SERVICE);
  }

  localService(id: string): Service | undefined {
    return id === SELF_SERVICE ? undefined : this.store.catalog.getService(this.node, id);
  }

  /**
   * The agent's checks: the ones it registered and its maintenance checks. As in Consul,
   * serfHealth and checks written to its node through the catalog (or a txn, or a restore) are not.
   */
  localChecks(): HealthCheck[] {
    return this.store.catalog.nodeChecks(this.node).filter((c) => c.Type === 'maintenance' || this.owned.get(c.CheckID) !== undefined).map((c) => this.withHeldOutput(c));
  }

  /** A check as this agent sees it: with the output a steady check holds back from the catalog (check_update_interval), as Consul's local state shows it. */
  private withHeldOutput(c: HealthCheck): HealthCheck {
    const output = this.checks.heldOutput(c.CheckID);
    return output === undefined ? c : { ...c, Output: output };
  }

  /** A local service's aggregated health and the checks behind it (its own and its node's, serfHealth aside). */
  serviceHealth(s: Service): { status: AggregatedStatus; checks: HealthCheck[] } {
    const checks = instanceChecks(this.store, s).filter((c) => c.CheckID !== SERF_CHECK_ID).map((c) => this.withHeldOutput(c));
    return { status: aggregateStatus(checks), checks };
  }

  scriptRules(): { scriptsAllowed: boolean } {
    return { scriptsAllowed: this.config.enableScriptChecks };
  }

  /**
   * Registers a service and its checks, with its sidecar proxy when it asks for one
   * (Connect.SidecarService), in one write.
   */
  async registerService(def: ServiceDefinition, replaceExistingChecks: boolean): Promise<void> {
    if (def.service.ID === SELF_SERVICE) throw new BadRequestError(`Service ID ${JSON.stringify(SELF_SERVICE)} is reserved for the registry's own servers`);
    if (!def.sidecar) return this.registerServices([def], replaceExistingChecks);
    return this.sidecarPorts.run(() => this.registerServices(this.withSidecars([def], this.scriptRules()), replaceExistingChecks));
  }

  private async registerServices(defs: ServiceDefinition[], replaceExistingChecks: boolean): Promise<void> {
    const checks = defs.flatMap((d) => d.checks);
    const replaced = replaceExistingChecks
      ? defs.flatMap((d) => this.serviceCheckIds(d.service.ID).filter((id) => !d.checks.some((c) => c.CheckID === id)))
      : [];
    await this.owned.around(
      ownedEntries(checks, 'api'),
      () => this.backend.submit((tx) => defs.forEach((d) => agentRegisterServiceTx(tx, this.node, d.service, d.checks, replaceExistingChecks))),
      () => replaced,
    );
  }

  /**
   * The definitions with the sidecars they ask for added after them, each sidecar's port
   * assigned (sidecar-service.ts) against this node's services and the sidecars before it.
   * Callers hold `sidecarPorts` until their write is done.
   */
  private withSidecars(defs: ServiceDefinition[], rules: { scriptsAllowed: boolean }): ServiceDefinition[] {
    const out: ServiceDefinition[] = [];
    const taken = this.localServices().map((s) => ({ ID: s.ID, Port: s.Port }));
    const range = { min: this.config.ports.sidecarMin, max: this.config.ports.sidecarMax };
    for (const def of defs) {
      out.push(def);
      if (!def.sidecar) continue;
      const id = def.service.ID + SIDECAR_SUFFIX;
      const port = (def.sidecar.Port as number | undefined) || sidecarPort(taken, id, range);
      const sidecar = sidecarDefinition(def.service, def.sidecar, port, rules);
      taken.push({ ID: id, Port: port });
      out.push(sidecar);
    }
    return out;
  }

  private serviceCheckIds(serviceID: string): string[] {
    return this.store.catalog.nodeChecks(this.node).filter((c) => c.ServiceID === serviceID).map((c) => c.CheckID);
  }

  /**
   * Deregisters a service and its checks, and its sidecar proxy: the `<id>-sidecar-proxy`
   * service whose Proxy names it as its destination.
   */
  async deregisterService(id: string): Promise<void> {
    if (!this.localService(id)) throw new NotFoundError(`Unknown service ID ${JSON.stringify(id)}. Ensure that the service ID is passed, not the service name.`);
    const sidecar = this.localService(id + SIDECAR_SUFFIX);
    const ids = sidecar?.Proxy?.DestinationServiceID === id ? [id, sidecar.ID] : [id];
    const checkIds = ids.flatMap((s) => this.serviceCheckIds(s));
    await this.backend.submit((tx) => ids.forEach((s) => deregisterServiceTx(tx, this.node, s)));
    await this.owned.update([], checkIds);
  }

  async registerCheck(c: CheckInput): Promise<void> {
    // A 500, as Consul answers it: clients read a 404 here as "nothing to report".
    if (c.ServiceID && !this.localService(c.ServiceID)) throw new InternalError(`ServiceID ${JSON.stringify(c.ServiceID)} does not exist`);
    await this.owned.around(ownedEntries([c], 'api'), () => this.backend.submit((tx) => agentRegisterCheckTx(tx, this.node, c)));
  }

  async deregisterCheck(id: string): Promise<void> {
    const c = this.store.catalog.getCheck(this.node, id);
    if (!c || id === SERF_CHECK_ID) throw new NotFoundError(`Unknown check ID ${JSON.stringify(id)}. Ensure that the check ID is passed, not the check name.`);
    await this.backend.submit((tx) => tx.deleteCheck(this.node, id));
    await this.owned.update([], [id]);
  }

  /** pass/warn/fail/update of a TTL check: resets its timer and records the result. */
  async updateTtl(id: string, status: CheckStatus, output: string): Promise<void> {
    const c = this.store.catalog.getCheck(this.node, id);
    if (!c || id === SERF_CHECK_ID) throw new NotFoundError(`Unknown check ID ${JSON.stringify(id)}. Ensure that the check ID is passed, not the check name.`);
    const ttl = this.checks.ttl(id);
    if (c.Type !== 'ttl' || !ttl) throw new InternalError(`CheckID ${JSON.stringify(id)} does not have associated TTL`);
    const stored = ttl.update(status, output);
    await this.checks.write(id, { status, output: stored });
  }

  async setServiceMaintenance(id: string, enable: boolean, reason: string): Promise<void> {
    if (!this.localService(id)) throw new NotFoundError(`No service registered with ID ${JSON.stringify(id)}`);
    const notes = reason || 'Maintenance mode is enabled for this service, but no reason was provided. This is a default message.';
    await this.maintenance(`${SERVICE_MAINT_PREFIX}${id}`, enable, { Name: 'Service Maintenance Mode', Notes: notes, ServiceID: id });
  }

  async setNodeMaintenance(enable: boolean, reason: string): Promise<void> {
    const notes = reason || 'Maintenance mode is enabled for this node, but no reason was provided. This is a default message.';
    await this.maintenance(NODE_MAINT_CHECK_ID, enable, { Name: 'Node Maintenance Mode', Notes: notes, ServiceID: '' });
  }

  /** Maintenance is a critical check of type "maintenance": added to enable, removed to disable. */
  private async maintenance(checkID: string, enable: boolean, check: { Name: string; Notes: string; ServiceID: string }): Promise<void> {
    await this.backend.submit((tx) => {
      if (!enable) return tx.deleteCheck(this.node, checkID);
      ensureCheckTx(tx, this.node, { CheckID: checkID, Status: 'critical', Output: '', Type: 'maintenance', Definition: {}, ...check });
      return true;
    });
  }
}

function ownedEntries(checks: CheckInput[], source: CheckSource): Array<[string, OwnedCheck]> {
  return checks.map((c) => [c.CheckID || c.Name, { source, Type: c.Type, Definition: c.Definition }]);
}
