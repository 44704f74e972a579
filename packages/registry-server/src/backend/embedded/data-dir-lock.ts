import fs from 'node:fs';
import path from 'node:path';

/** The lock file in the data dir: `<pid> <start time>` of the agent that holds the dir. */
export const LOCK_FILE = 'agent.lock';

/** Another live agent holds the data dir. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data dir ${dataDir} is in use by another agent (pid ${pid}, see ${path.join(dataDir, LOCK_FILE)}): ` +
        'stop that agent, or give this one another -data-dir',
    );
  }
}

/**
 * When the process `pid` started (clock ticks since boot, from /proc), so that a pid reused by
 * an unrelated process after a kill -9 is not taken for the agent that wrote the lock. null
 * where /proc is not there.
 */
function startTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name (which is in parentheses and may hold spaces).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock `text` names a process that still holds it (not us, alive, started when the lock says). */
function holder(text: string): number | null {
  const [pidText, started] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !alive(pid)) return null;
  const now = startTime(pid);
  if (started && now !== null && now !== started) return null;
  return pid;
}

/**
 * An exclusive lock on a data dir, held for the life of the process: a lock file created with
 * O_EXCL holding our pid and start time. A lock left by a process that is gone (kill -9, power
 * loss), or whose pid now belongs to another process, is taken over. Taking the lock writes
 * nothing else; a second agent on the same dir gets DataDirLockedError before it touches any file.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  /** Creates `dataDir` when missing (a first start), then takes the lock or throws DataDirLockedError. */
  static acquire(dataDir: string): DataDirLock {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, LOCK_FILE);
    const mine = `${process.pid} ${startTime(process.pid) ?? ''}\n`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
        try {
          fs.writeSync(fd, mine);
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        return new DataDirLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
        throw err;
      }
      const pid = holder(text);
      if (pid !== null) throw new DataDirLockedError(dataDir, pid);
      // Stale: remove it only if it is still the one we judged (another agent may have taken over).
      try {
        if (fs.readFileSync(file, 'utf8') === text) fs.rmSync(file);
      } catch {
        // gone already
      }
    }
    throw new Error(`cannot lock the data dir ${dataDir}: ${file} keeps changing; is another agent starting on it?`);
  }

  /** Releases the lock (at exit). */
  release(): void {
    try {
      if (holder(fs.readFileSync(this.file, 'utf8')) === null) fs.rmSync(this.file, { force: true });
    } catch {
      // already gone
    }
  }
}
