/**
 * A whole-system design, as an interview whiteboard holds it: zones, components with their
 * counts, capacities and latencies, and the flows a request takes through them. Quantities are
 * text the units engine reads ("15k req/s", "2 ms", "64 GB"); the grader checks the design
 * against its problem's requirements (docs/grader.md, "Design problems").
 */

/** what a component is: it decides which numbers it needs (a cache its memory, a store its storage) */
export type ComponentKind =
  | "load-balancer"
  | "service"
  | "cache"
  | "kv-store"
  | "sql-store"
  | "object-store"
  | "queue"
  | "cdn"
  | "search-index"
  | "stream-processor";

export interface Component {
  kind: ComponentKind;
  /** instances (a partitioned log: brokers), spread over `zones` in turn (a store counts shards and replicas instead) */
  count?: number;
  /** a store's partitions: each holds a share of the keys */
  shards?: number;
  /**
   * a queue's partitions, which make it a partitioned log (Kafka, Kinesis): `count` brokers hold
   * them, each partition takes a share of the writes, and one key's writes go to one partition
   */
  partitions?: number;
  /** what one partition of a partitioned log appends a second at most: "50k req/s" */
  partitionCapacity?: string;
  /**
   * a store's copies of each shard (a partitioned log's, of each partition: its replication
   * factor), spread over `zones` in turn; any copy serves a read, every copy takes each write
   */
  replicas?: number;
  /**
   * a store that agrees by majority (Raft, Paxos): a write is done when a majority of a shard's
   * replicas hold it, and a shard serves only while a majority is up. A partitioned log with
   * quorum takes writes only while a majority of a partition's replicas is in sync (Kafka's
   * acks=all with min.insync.replicas a majority): a write waits for every replica in sync
   */
  quorum?: boolean;
  /** what one instance (one store node) serves at most: "15k req/s" */
  capacity: string;
  /** the mean time one request takes on an idle instance: "2 ms" */
  latency: string;
  /** a cache's memory, per instance: "64 GB" */
  memory?: string;
  /** a store's disk, per node (a partitioned log's, per broker): "8 TB" */
  storage?: string;
  /** the zones its instances are placed in, in turn */
  zones: string[];
}

/**
 * A step of a flow: a component's name, or the component with how the step uses it.
 * `hitRatio` and `onMiss`: a cache answers that share, the rest goes on to `onMiss`.
 * `fanout`: the step asks that many instances and waits for the slowest.
 * `write`: the step writes to a store (every replica of the shard takes it) or appends to a log.
 * `keySpread`: the shards (a log: partitions) one key's requests are spread over: 1 for a keyed
 *   request (the default), 8 for a key salted as key#0 … key#7, all of them for keyless round-robin
 *   writes. It decides what a hot key puts on one shard (the hot-key drill).
 * `async`: the flow hands the request on and does not wait (it loads the component, not the latency).
 * `consistency`: a store read asks its nearest replica ("one", the default) or the nearest majority
 *   of the shard's replicas and waits for them all ("quorum"): with writes that wait for a majority
 *   (the store's `quorum`), R + W > N, and the read sees the latest acknowledged write.
 */
export type Hop =
  | string
  | {
      to: string;
      hitRatio?: number;
      onMiss?: string;
      fanout?: number;
      write?: boolean;
      async?: boolean;
      keySpread?: number;
      consistency?: "one" | "quorum";
    };

export interface Flow {
  hops: Hop[];
  /**
   * the most requests a second of this flow the edge lets in: a rate limit (chapter 04). Past it a
   * request is refused at once (HTTP 429) rather than queued behind the others: "420k req/s"
   */
  admits?: string;
}

export interface Design {
  /** the availability zones of the region the design runs in */
  zones: string[];
  components: Record<string, Component>;
  /** one per flow of the problem, by the problem's names (a redirect, a create, ...) */
  flows: Record<string, Flow>;
}

/** types a design while it is written; the grader checks it when it runs */
export function defineDesign<const T extends Design>(design: T): T {
  return design;
}
