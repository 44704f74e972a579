import type * as grpc from '@grpc/grpc-js';
import { FixedLogger, type Logger } from '../log/logger.js';
import type { InstancerEvent, Listener } from '../sd/event.js';
import type { Instancer } from '../sd/instancer.js';
import { AxiosClient, type ClientOptions } from '../sd/consul/axios-client.js';
import type { DiscoveryClient } from '../sd/consul/client.js';
import { ConsulInstancer, type ConsulInstancerOptions } from '../sd/consul/instancer.js';
import { checkGrpcModule, type GrpcModule } from './grpc-module.js';
import { parsePraetorTarget, PRAETOR_SCHEME, type PraetorTarget } from './praetor-target.js';
import { praetorServiceConfig } from './service-config.js';

/**
 * A grpc-js name resolver for `praetor:` targets, backed by an Instancer (a ConsulInstancer by
 * default, so it works against Praetor or Consul). Nothing is registered on import: call
 * registerPraetorResolver() once, at the composition root, before creating clients, with the
 * app's own @grpc/grpc-js (a peer dependency: the SDK never loads a copy of its own, and
 * importing `@praetor/sdk` does not load grpc-js at all; this lives in `@praetor/sdk/grpc`).
 *
 *   import * as grpc from '@grpc/grpc-js';
 *   import { registerPraetorResolver } from '@praetor/sdk/grpc';
 *   registerPraetorResolver(grpc, { logger });
 *   const client = new Greeter('praetor:///hello?tag=v1', grpc.credentials.createInsecure());
 *
 * Targets: see PraetorTarget (`praetor:///hello`, `?tag=a&tag=b` (all must match),
 * `?passing=false`, `?dc=dc1`, `?filter=…`, `praetor://host:8500/hello` to name the registry;
 * otherwise the `client` option, else $PRAETOR_HTTP_ADDR / $CONSUL_HTTP_ADDR / 127.0.0.1:8500).
 *
 * Contract, against the listener of @grpc/grpc-js 1.14 (peer range >=1.14.0 <1.15.0: before
 * 1.14.0 the experimental listener was an object with onSuccessfulResolution() and onError()):
 *   listener(endpointList: StatusOr<Endpoint[]>, attributes, serviceConfig: StatusOr<ServiceConfig> | null,
 *            resolutionNote: string) => boolean   // true when the LB policy accepted the result
 * - The listener is never called synchronously from the constructor or updateResolution(): it is
 *   called from the Instancer's own (later-tick) events, or from setImmediate.
 * - Resolution is a watch, not a poll: the first updateResolution() starts the Instancer (a
 *   blocking-query loop), and each change of the full, sorted instance set is delivered as
 *   `{ok: true, value: [{addresses: [{host, port}]}, …]}`, one endpoint per distinct host:port.
 *   An empty set is delivered as an empty list (dropping the old endpoints) followed by an
 *   UNAVAILABLE error naming the query, so the channel goes TRANSIENT_FAILURE and calls without
 *   waitForReady fail fast saying why, instead of queueing until their deadline.
 * - A discovery error is delivered as `{ok: false, error: {code: UNAVAILABLE, details}}`. grpc-js
 *   1.14's balancers keep the endpoints they have on an error result and fail only when they
 *   have none, so the last good addresses keep serving ("fail static"), and the Instancer keeps
 *   retrying with backoff; its next success replaces them.
 * - Later updateResolution() calls (re-resolution requests after a connection drops) redeliver
 *   the latest result only if the balancer refused the previous one: the watch already pushes
 *   every change.
 * - destroy() stops the Instancer (aborting its request in flight) and no listener call follows
 *   until the next updateResolution(), which starts a fresh watch. Safe to call twice.
 *
 * Load balancing: grpc-js defaults to pick_first. The resolver supplies a default service config
 * (option `serviceConfig`, default DEFAULT_PRAETOR_SERVICE_CONFIG = praetorServiceConfig()):
 * round_robin over every instance inside outlier ejection (an instance whose calls keep failing
 * is skipped for a while, without touching the registry), and a retry policy (UNAVAILABLE, 3
 * attempts, 0.1 s doubling to 1 s), so `praetor:///hello` balances and retries out of the box.
 * Per-target circuit breaking is a client interceptor: praetorBreakerInterceptor(). A channel that sets its
 * own `grpc.service_config` option keeps it (the resolver then passes null, meaning "use the
 * channel's default"), as does one that sets `grpc.service_config_disable_resolution: 1`.
 *
 * Proxies: grpc-js sends every non-unix target through $grpc_proxy / $https_proxy /
 * $http_proxy when one is set, which bypasses any resolver; set `no_proxy`, or pass the channel
 * option `'grpc.enable_http_proxy': 0`.
 */
export interface PraetorResolverOptions {
  /** The registry client for targets without an authority; default an AxiosClient from clientOptions. */
  client?: DiscoveryClient;
  /** Options of the AxiosClients the resolver creates (addresses are replaced by a target's authority). */
  clientOptions?: ClientOptions;
  /** The resolver's and its Instancers' logs (silent by default). */
  logger?: Logger;
  /** How long each blocking query may wait (ms); default the Instancer's (60 s). */
  waitMs?: number;
  /** Backoff of the Instancers after failed queries; default the Instancer's (10 ms doubling to 1 min). */
  backoff?: ConsulInstancerOptions['backoff'];
  /** The service config the resolver supplies; default DEFAULT_PRAETOR_SERVICE_CONFIG; null leaves it to the channel. */
  serviceConfig?: grpc.ServiceConfig | null;
  /** Builds the Instancer for a target (tests, other backends); default a ConsulInstancer. */
  newInstancer?: (target: PraetorTarget, logger: Logger) => Instancer;
}

/** round_robin inside outlier ejection, and retries of UNAVAILABLE (see praetorServiceConfig). */
export const DEFAULT_PRAETOR_SERVICE_CONFIG: grpc.ServiceConfig = praetorServiceConfig();

type GrpcUri = grpc.experimental.GrpcUri;
type ResolverListener = grpc.experimental.ResolverListener;
/** The class registerPraetorResolver() registers: a grpc-js Resolver for `praetor:` targets. */
export type PraetorResolverClass = {
  new (target: GrpcUri, listener: ResolverListener, channelOptions: grpc.ChannelOptions): grpc.experimental.Resolver;
  getDefaultAuthority(target: GrpcUri): string;
};

function describe(t: PraetorTarget): string {
  const parts = [`service ${JSON.stringify(t.service)}`];
  if (t.tags.length) parts.push(`tags ${t.tags.join(', ')}`);
  if (!t.passing) parts.push('any health');
  if (t.dc) parts.push(`dc ${t.dc}`);
  if (t.filter) parts.push(`filter ${JSON.stringify(t.filter)}`);
  return parts.join(', ');
}

function endpoints(e: InstancerEvent): grpc.experimental.Endpoint[] {
  const seen = new Map<string, grpc.experimental.Endpoint>();
  for (const i of e.instances) if (!seen.has(i.key)) seen.set(i.key, { addresses: [{ host: i.address, port: i.port }] });
  return [...seen.values()];
}

/** The resolver class for grpc-js, with its options bound; registerPraetorResolver() registers it. */
export function praetorResolverClass(grpc: GrpcModule, opts: PraetorResolverOptions = {}): PraetorResolverClass {
  const baseLog = opts.logger ?? new FixedLogger();
  let defaultClient: DiscoveryClient | undefined = opts.client;
  const clientFor = (t: PraetorTarget): DiscoveryClient => {
    if (t.registry.length) return new AxiosClient({ ...opts.clientOptions, addresses: t.registry, logger: opts.clientOptions?.logger ?? baseLog });
    return (defaultClient ??= new AxiosClient({ ...opts.clientOptions, logger: opts.clientOptions?.logger ?? baseLog }));
  };
  const newInstancer =
    opts.newInstancer ??
    ((t: PraetorTarget, log: Logger) =>
      new ConsulInstancer(clientFor(t), log, {
        service: t.service,
        tags: t.tags,
        passingOnly: t.passing,
        dc: t.dc,
        filter: t.filter,
        waitMs: opts.waitMs,
        backoff: opts.backoff,
      }));

  return class PraetorResolver implements grpc.experimental.Resolver {
    private readonly target: PraetorTarget | null = null;
    private readonly invalid: Error | null = null;
    private readonly serviceConfig: grpc.experimental.StatusOr<grpc.ServiceConfig> | null;
    private readonly log: Logger;
    private instancer: Instancer | null = null;
    private onEvent: Listener | null = null;
    private latest: InstancerEvent | null = null;
    private refused = false;

    constructor(
      uri: GrpcUri,
      private readonly listener: ResolverListener,
      channelOptions: grpc.ChannelOptions,
    ) {
      try {
        this.target = parsePraetorTarget(uri);
      } catch (err) {
        this.invalid = err as Error;
      }
      const config = opts.serviceConfig === undefined ? DEFAULT_PRAETOR_SERVICE_CONFIG : opts.serviceConfig;
      const channelDecides = channelOptions['grpc.service_config'] !== undefined || channelOptions['grpc.service_config_disable_resolution'] === 1;
      this.serviceConfig = config && !channelDecides ? grpc.experimental.statusOrFromValue(config) : null;
      this.log = baseLog.child({ component: 'resolver-praetor', service: this.target?.service, tags: this.target?.tags ?? [] });
    }

    updateResolution(): void {
      if (this.invalid) {
        const details = this.invalid.message;
        setImmediate(() => this.listener(grpc.experimental.statusOrFromError({ code: grpc.status.UNAVAILABLE, details }), {}, null, details));
        return;
      }
      if (!this.instancer) {
        this.start(this.target!);
        return;
      }
      const latest = this.latest;
      const onEvent = this.onEvent;
      if (this.refused && latest && onEvent) setImmediate(() => this.onEvent === onEvent && this.deliver(latest));
    }

    private start(target: PraetorTarget): void {
      const instancer = newInstancer(target, this.log);
      const onEvent: Listener = (e) => {
        if (this.onEvent !== onEvent) return;
        this.latest = e;
        this.deliver(e);
      };
      this.instancer = instancer;
      this.onEvent = onEvent;
      this.log.debug('watching', { target: describe(target) });
      // The Instancer calls its listeners from a later tick, never from register().
      instancer.register(onEvent);
    }

    private deliver(e: InstancerEvent): void {
      try {
        this.refused = !this.send(e);
      } catch (err) {
        // A throwing listener is grpc-js's bug; it must not take the Instancer's tick down with it.
        this.refused = true;
        this.log.error('the grpc-js listener threw', { error: (err as Error).message });
      }
    }

    private send(e: InstancerEvent): boolean {
      const what = describe(this.target!);
      const fail = (details: string) =>
        this.listener(grpc.experimental.statusOrFromError({ code: grpc.status.UNAVAILABLE, details }), {}, this.serviceConfig, details);
      if (e.error) {
        this.log.warn('discovery failed; the channel keeps its last good addresses', { error: e.error.message, lastGood: e.instances.length });
        return fail(`praetor: discovery of ${what} failed: ${e.error.message}`);
      }
      const list = endpoints(e);
      this.log.debug('resolved', { instances: e.instances.map((i) => i.key) });
      if (list.length) return this.listener(grpc.experimental.statusOrFromValue(list), {}, this.serviceConfig, '');
      const note = `praetor: no ${this.target!.passing ? 'passing ' : ''}instances of ${what}`;
      // The empty list drops the old endpoints; the error then puts the balancer, which has none
      // left, in TRANSIENT_FAILURE, so calls fail fast with this note (grpc-js 1.14's round_robin
      // would otherwise go IDLE and queue calls until their deadline).
      this.listener(grpc.experimental.statusOrFromValue([]), {}, this.serviceConfig, note);
      return fail(note);
    }

    destroy(): void {
      const instancer = this.instancer;
      if (!instancer) return;
      instancer.deregister(this.onEvent!);
      this.instancer = null;
      this.onEvent = null;
      this.latest = null;
      this.refused = false;
      void Promise.resolve(instancer.stop()).catch((err: Error) => this.log.warn('stopping the instancer failed', { error: err.message }));
    }

    /** The `:authority` calls carry: the service name. Throws on a target that cannot be parsed. */
    static getDefaultAuthority(uri: GrpcUri): string {
      return parsePraetorTarget(uri).service;
    }
  };
}

/**
 * Registers the `praetor` scheme with the app's @grpc/grpc-js (replacing any earlier
 * registration, so the last call's options win for channels created after it). Call it once at
 * the composition root. Throws, before registering anything, when `grpc` is not a grpc-js the
 * resolver supports (UnsupportedGrpcError) or not the copy the app itself loads
 * (GrpcMismatchError): a channel of another copy would resolve `praetor:///x` through DNS.
 */
export function registerPraetorResolver(grpc: GrpcModule, opts: PraetorResolverOptions = {}): void {
  const g = checkGrpcModule(grpc);
  g.experimental.registerResolver(PRAETOR_SCHEME, praetorResolverClass(g, opts));
}
