/** An etcd client error as a sentence an operator can act on. */
export function etcdProblem(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  if (/too many operations/i.test(message)) {
    return `${message}: the write touches more keys than etcd's --max-txn-ops allows; start etcd with a larger --max-txn-ops (Praetor's test clusters use 10000)`;
  }
  if (/request is too large/i.test(message)) return `${message}: raise etcd's --max-request-bytes`;
  if (/deadline|unavailable|no connection|ECONNREFUSED|circuit/i.test(message)) return `etcd is unreachable: ${message}; check the -etcd-endpoints`;
  return message;
}
