/**
 * Kata: a quorum key-value store, N/R/W (difficulty 3, about 2 hours)
 * Read:  chapters/11-replication-and-consistency/README.md#deep-dive-quorums-sloppy-quorums-read-repair-and-hinted-handoff
 * Grade: npm run grade -- quorum-kv
 * Hint:  npm run hint -- quorum-kv (one more hint each time you ask)
 *
 * A leaderless store on the simulator: every node is a replica of every key and
 * coordinates the requests clients send it. N = config.replicas.length.
 * - [ ] A client's { type: "Request", opId, op } is answered { type: "Reply",
 *       opId, value } ("ok" for a put, the value or null for a get), or
 *       { type: "Failed", opId } when it cannot be done within timeoutMs. A
 *       request delivered twice is one operation.
 * - [ ] Versions: { counter, node }, later if the counter is larger, then the
 *       node id (a < b). A replica keeps a key's latest version in ctx.storage
 *       (it survives a crash) and peek(key) returns it.
 * - [ ] With R + W > N the clients' history is linearizable, under loss,
 *       duplicates, partitions and crashes: a put reads the highest version from
 *       R replicas and writes a later one to W (later too than any this node
 *       issued before: two puts it coordinates at once never share a version); a
 *       get reads from R and writes the highest it found back to W before it
 *       answers (its read repair). Replies and acknowledgements count once each
 *       per replica, however often the network delivers them.
 * - [ ] R and W are honoured: with R = W = 1 an operation needs one replica.
 * - [ ] A replica that did not acknowledge a write is sent it again until it
 *       does (hinted handoff), the hints kept in ctx.storage so a crash of their
 *       holder does not lose them: after the faults, every replica converges
 *       with no read of the key.
 * - [ ] RangeError for: r or w not a whole number from 1 to N; a node that is
 *       not one of config.replicas.
 */
import type { NodeContext, SimNode } from "#kit";
import { todo } from "#kit";

export interface QuorumConfig {
  /** every replica's id, this node's among them: N is their number */
  replicas: readonly string[];
  /** replies a read round waits for */
  r: number;
  /** acknowledgements a write round waits for */
  w: number;
  /** a request not done by then is answered Failed */
  timeoutMs: number;
}

/** a write's place in the order: a higher counter is later; equal counters, the larger node id */
export interface Version {
  counter: number;
  node: string;
}

export interface Stored {
  value: string;
  version: Version;
}

export type KvOp = { kind: "put"; key: string; value: string } | { kind: "get"; key: string };

/** from a client, and back to it */
export type Request = { type: "Request"; opId: string; op: KvOp };
export type Reply = { type: "Reply"; opId: string; value: string | null | "ok" } | { type: "Failed"; opId: string };

/** between replicas: yours to design (every message is JSON on the wire) */
export type Internal = { type: string; [field: string]: unknown };

export type Message = Request | Reply | Internal;

/** the order of versions: negative if a is earlier, positive if later, 0 if the same */
export function compareVersions(a: Version, b: Version): number {
  return todo("compareVersions", a, b);
}

export class QuorumNode implements SimNode<Message> {
  constructor(
    private readonly ctx: NodeContext<Message>,
    private readonly config: QuorumConfig,
  ) {
    // TODO: check r and w; keep the operations you coordinate, in memory (they die with a crash).
    todo("QuorumNode.constructor", ctx, config);
  }

  start(): void {
    // TODO: a timer that resends unacknowledged writes (the hints).
    todo("QuorumNode.start");
  }

  /** what this replica holds for a key */
  peek(key: string): Stored | undefined {
    return todo("QuorumNode.peek", key);
  }

  receive(from: string, message: Message): void {
    // TODO: a client's Request: begin a read round; your own messages: answer, count, move on.
    todo("QuorumNode.receive", from, message);
  }

  timer(name: string): void {
    todo("QuorumNode.timer", name);
  }
}
