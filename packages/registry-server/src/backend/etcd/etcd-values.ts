import { replacer, reviver } from '../embedded/record.js';

/** An entity as an etcd value: its JSON without indexes (etcd's revisions are its indexes). */
export function encodeValue(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v, replacer));
}

export function decodeValue<T>(b: Buffer): T {
  return JSON.parse(b.toString(), reviver) as T;
}
