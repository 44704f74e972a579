import type { Logger } from 'winston';
import type { CheckDefinition, CheckType } from '../../structs/check.js';
import { createDockerRunner } from './check-docker.js';
import { createGrpcRunner } from './check-grpc.js';
import { createHttpRunner } from './check-http.js';
import { AliasRunner, type AliasSource } from './check-alias.js';
import type { CheckRunner, Report } from './check-runner.js';
import { createScriptRunner } from './check-script.js';
import { createTcpRunner } from './check-tcp.js';
import { TtlRunner } from './check-ttl.js';
import { MIN_INTERVAL_MS } from './interval-runner.js';
import { formatDuration, parseDuration } from '../../internal/duration.js';

/**
 * Builds the runner for a check of the given type, not started. A 'ttl' check gets a TtlRunner,
 * whose update() the agent calls from its pass/warn/fail/update endpoints; the others run on
 * their Interval. Throws for a type with no runner or a definition the type cannot run (no
 * positive Interval or TTL): definitions are validated before they get here. An 'alias' check
 * needs `aliases`: where it reads its target.
 */
export function createRunner(type: 'ttl', definition: CheckDefinition, report: Report, logger: Logger): TtlRunner;
export function createRunner(type: CheckType, definition: CheckDefinition, report: Report, logger: Logger, aliases?: AliasSource): CheckRunner;
export function createRunner(type: CheckType, definition: CheckDefinition, report: Report, logger: Logger, aliases?: AliasSource): CheckRunner {
  if (type !== 'ttl' && type !== 'alias' && definition.Interval && parseDuration(definition.Interval) < MIN_INTERVAL_MS) {
    logger.warn('check has interval below minimum', { minimum_interval: formatDuration(MIN_INTERVAL_MS) });
  }
  switch (type) {
    case 'http':
      return createHttpRunner(definition, report, logger);
    case 'tcp':
      return createTcpRunner(definition, report, logger);
    case 'grpc':
      return createGrpcRunner(definition, report, logger);
    case 'script':
      return createScriptRunner(definition, report, logger);
    case 'docker':
      return createDockerRunner(definition, report, logger);
    case 'ttl':
      return new TtlRunner(definition, report, logger);
    case 'alias':
      if (!aliases) throw new Error('an alias check needs a source to read its target from');
      return new AliasRunner(definition, aliases, report, logger.child({ component: 'check-alias' }));
    default:
      throw new Error(`no runner for check type ${JSON.stringify(type)}`);
  }
}
