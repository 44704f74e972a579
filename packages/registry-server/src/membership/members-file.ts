import fs from 'node:fs';
import { writeFileDurably } from '../internal/durable-file.js';
import type { Member, MemberStatus } from './member.js';

/** The member list in the data dir, so that a restarted agent probes (rejoins) its members. */
export const MEMBERS_FILE = 'members.json';

const STATUSES: readonly MemberStatus[] = ['alive', 'failed', 'left'];

/** Reads the saved members; a missing file is an empty list, an unreadable one an Error. */
export function loadMembers(file: string): Member[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const raw = JSON.parse(text) as unknown;
  if (!Array.isArray(raw)) throw new Error(`${file}: expected a JSON array`);
  return raw.map((m: Partial<Member>, i) => {
    if (typeof m?.name !== 'string' || typeof m.url !== 'string' || !STATUSES.includes(m.status as MemberStatus)) {
      throw new Error(`${file}: entry ${i} is not a member`);
    }
    return { id: '', datacenter: '', nodeAddr: '', meta: {}, tags: {}, ...m } as Member;
  });
}

/** Writes the members atomically and durably (internal/durable-file.ts). */
export async function saveMembers(file: string, members: readonly Member[]): Promise<void> {
  await writeFileDurably(file, JSON.stringify(members, null, 2));
}
