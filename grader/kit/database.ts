/**
 * A lab's connection to its PostgreSQL: the grader opens it (a pool, in a schema of the lab's
 * own, as a role that may make tables there and nothing on the server's machine) and hands it to
 * the lab's functions. Parameters are $1, $2, ... as in PostgreSQL itself; never build SQL from
 * values.
 */
export interface Rows<T> {
  rows: T[];
  /** rows a statement returned or changed */
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Rows<T>>;
}

export interface Database extends Queryable {
  /**
   * Runs `work` in one transaction on one connection: BEGIN, then COMMIT when it resolves, or
   * ROLLBACK when it throws (the error is thrown on). Row locks taken in it (FOR UPDATE) are held
   * until it ends.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}
