// what the Raft specs share: invariants over a simulation's history, and a puppet node
import type { NodeContext, SimNode } from "#kit";
import { type HistoryEvent, partingEvents, type Simulation, Violation, whereHistoriesPart } from "#sim";

export interface RaftStatus {
  role: "follower" | "candidate" | "leader";
  term: number;
}

const ms = (t: number) => `${t.toFixed(1)} ms`;

export interface ReportedStatus {
  t: number;
  node: string;
  status: RaftStatus | null;
  /** the history's event: a Violation names it, and the trace marks it */
  event: HistoryEvent;
}

/** every state a node reported, in order; null while it was down */
export function statesOf(history: readonly HistoryEvent[]): ReportedStatus[] {
  const states: ReportedStatus[] = [];
  for (const event of history) {
    if (event.kind === "state") states.push({ t: event.t, node: event.node, status: JSON.parse(event.state), event });
  }
  return states;
}

/** Election Safety: at most one leader in any term, over the whole run */
export function expectOneLeaderPerTerm(history: readonly HistoryEvent[]): void {
  const leaders = new Map<number, { node: string; t: number }>();
  for (const { t, node, status, event } of statesOf(history)) {
    if (status?.role !== "leader") continue;
    const first = leaders.get(status.term);
    if (first && first.node !== node) {
      throw new Violation(
        `two leaders in term ${status.term}: ${first.node} (leader from ${ms(first.t)}) and ${node} (from ${ms(t)})`,
        event,
      );
    }
    if (!first) leaders.set(status.term, { node, t });
  }
}

/** a node's term only moves forward, also across a crash: it is on disk */
export function expectTermsNeverDecrease(history: readonly HistoryEvent[]): void {
  const last = new Map<string, { term: number; t: number }>();
  for (const { t, node, status, event } of statesOf(history)) {
    if (!status) continue;
    const before = last.get(node);
    if (before && status.term < before.term) {
      throw new Violation(
        `${node}'s term went from ${before.term} (at ${ms(before.t)}) down to ${status.term} at ${ms(t)}: ` +
          "a term only moves forward (take no older term from a message, and keep it on disk for a restart)",
        event,
      );
    }
    last.set(node, { term: status.term, t });
  }
}

/** a voter grants at most one candidate per term, also across a crash */
export function expectOneVotePerTerm(history: readonly HistoryEvent[]): void {
  const votes = new Map<string, { candidate: string; t: number }>();
  for (const event of history) {
    if (event.kind !== "send") continue;
    const message = JSON.parse(event.message) as { type?: string; term?: number; granted?: boolean };
    if (message.type !== "VoteReply" || message.granted !== true) continue;
    const key = `${event.from} ${message.term}`;
    const earlier = votes.get(key);
    if (earlier && earlier.candidate !== event.to) {
      throw new Violation(
        `${event.from} voted twice in term ${message.term}: for ${earlier.candidate} at ${ms(earlier.t)} and for ${event.to} at ${ms(event.t)}`,
        event,
      );
    }
    if (!earlier) votes.set(key, { candidate: event.to, t: event.t });
  }
}

/**
 * Two runs of one seed must give the same history, event for event: throws a
 * Violation at the first events where they part (each run's trace marks its own).
 */
export function expectSameHistory(seed: number, first: readonly HistoryEvent[], second: readonly HistoryEvent[]): void {
  const parted = whereHistoriesPart(first, second);
  if (!parted) return;
  throw new Violation(
    `two runs of seed ${seed} part at ${parted}\nthe same seed must give the same history: time from ctx.now() and ` +
      "ctx.setTimer, chance from ctx.random(), never Date.now, setTimeout or Math.random",
    partingEvents(first, second),
  );
}

/** one leader that every live node follows, all in its term; undefined until then */
export function stableLeader(sim: Simulation<unknown>, nodes: readonly string[]): string | undefined {
  const up = nodes.filter((id) => sim.isUp(id));
  const statuses = up.map((id) => sim.observed(id) as RaftStatus | undefined);
  const leaders = up.filter((_, i) => statuses[i]?.role === "leader");
  if (leaders.length !== 1) return undefined;
  const term = (statuses[up.indexOf(leaders[0] as string)] as RaftStatus).term;
  const settled = statuses.every((s) => s && s.term === term && (s.role === "follower" || s.role === "leader"));
  return settled ? leaders[0] : undefined;
}

export function describeRaftMessage(message: unknown): string {
  const m = message as {
    type: string;
    term: number;
    granted?: boolean;
    success?: boolean;
    entries?: unknown[];
    prevLogIndex?: number;
  };
  switch (m.type) {
    case "VoteReply":
      return `VoteReply t${m.term} ${m.granted ? "yes" : "no"}`;
    case "AppendReply":
      return `AppendReply t${m.term} ${m.success ? "ok" : "refused"}`;
    case "AppendEntries":
      return m.entries
        ? `AppendEntries t${m.term} after ${m.prevLogIndex} +${m.entries.length}`
        : `AppendEntries t${m.term}`;
    default:
      return `${m.type} t${m.term}`;
  }
}

/** a node the spec moves by hand: it sends what it is told to and keeps what it receives */
export class Puppet<M> implements SimNode<M> {
  readonly inbox: Array<{ from: string; message: M; t: number }> = [];

  constructor(readonly ctx: NodeContext<M>) {}

  start(): void {}

  receive(from: string, message: M): void {
    this.inbox.push({ from, message, t: this.ctx.now() });
  }

  timer(): void {}
}
