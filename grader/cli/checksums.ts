// npm run checksums: record the SHA-256 of every spec and spec helper in grader/checksums.json
import { CHECKSUMS_FILE, writeChecksums } from "../integrity/checksums.ts";
import { projectRoot } from "./common.ts";

const count = writeChecksums(projectRoot());
console.log(`${CHECKSUMS_FILE}: ${count} files`);
