/** Every stored entity carries the revision that created it and the one that last changed it. */
export interface Indexed {
  CreateIndex: number;
  ModifyIndex: number;
}

/** An entity as a command writes it: the store stamps the indexes when it applies the change. */
export type Unindexed<T extends Indexed> = Omit<T, 'CreateIndex' | 'ModifyIndex'> & Partial<Indexed>;
