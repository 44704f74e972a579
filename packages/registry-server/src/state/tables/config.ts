import { configKey, type ConfigEntry } from '../../structs/config-entry.js';

/** Config records by `<kind>/<name>` (see structs/config-entry.ts). */
export class ConfigTable {
  readonly byKey = new Map<string, ConfigEntry>();

  get(kind: string, name: string): ConfigEntry | undefined {
    return this.byKey.get(configKey(kind, name));
  }

  /** The records of one kind, by name. */
  ofKind(kind: string): ConfigEntry[] {
    return [...this.byKey.values()].filter((e) => e.Kind === kind).sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  }

  put(e: ConfigEntry): void {
    this.byKey.set(configKey(e.Kind, e.Name), e);
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
