/** Every stored entity carries the revision that created it and the one that last changed it. */
export interface Indexed {
  CreateIndex: number;
  ModifyIndex: number;
}

/** An entity as a command writes it: the store stamps the indexes when it applies the change. */
export type Unindexed<T extends Indexed> = Omit<T, 'CreateIndex' | 'ModifyIndex'> & Partial<Indexed>;

/** An entity without its indexes, as a change carries it (the store stamps them on commit). */
export function unindexed<T extends Indexed>(e: T): Omit<T, 'CreateIndex' | 'ModifyIndex'> {
  const { CreateIndex: _c, ModifyIndex: _m, ...rest } = e;
  return rest;
}
