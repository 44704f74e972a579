/** A read's answer and the index a blocking query compares (never 0). */
export interface QueryResult<T> {
  index: number;
  value: T;
}

export function result<T>(index: number, value: T): QueryResult<T> {
  return { index: Math.max(1, index), value };
}
