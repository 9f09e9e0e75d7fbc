/** a short hash of the TypeScript sources under `graderDir`, but its top folders named in `skip`, and Node's version */
export function sourcesHash(graderDir: string, skip: ReadonlySet<string>): string;
/** where the CLI's build for the grader's sources under `graderDir` lives */
export function cliBuild(graderDir: string): string;
