// Redis's wire protocol, as much as the grader speaks itself (starting the server, a MONITOR of its
// own): no dependencies, so a spec's worker can load it without the server-starting code.

/** one command in RESP: an array of bulk strings */
export const encodeCommand = (parts: readonly string[]): string =>
  `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join("")}`;
