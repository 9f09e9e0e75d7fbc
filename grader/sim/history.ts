/**
 * Everything that happened in a simulation, in order. Times are the
 * simulator's real time in ms; messages are kept as the JSON that travelled.
 */
export type HistoryEvent =
  | { t: number; kind: "start"; node: string; incarnation: number }
  | { t: number; kind: "send"; id: number; from: string; to: string; message: string }
  | { t: number; kind: "deliver"; id: number; from: string; to: string; message: string }
  | { t: number; kind: "drop"; id: number; from: string; to: string; message: string; reason: DropReason }
  | { t: number; kind: "duplicate"; id: number; copy: number; from: string; to: string }
  | { t: number; kind: "timer"; node: string; name: string }
  | { t: number; kind: "state"; node: string; state: string }
  | { t: number; kind: "fault"; what: string; nodes: string[] }
  | { t: number; kind: "note"; node: string; text: string };

export type DropReason = "loss" | "partition" | "down";

/**
 * A requirement broken at one event of a history: the event where it first
 * broke (the second leader's state change, the second vote's send). An
 * invariant check throws it with the event it found, and simTest marks that
 * event in the trace it writes, with the events around it in the diagram.
 */
export class Violation extends Error {
  /** the events it broke at: one, or one per run for a comparison of runs (two runs of a seed part) */
  readonly events: readonly HistoryEvent[];

  constructor(message: string, at: HistoryEvent | readonly HistoryEvent[]) {
    super(message);
    this.events = Array.isArray(at) ? [...at] : [at as HistoryEvent];
  }

  get event(): HistoryEvent | undefined {
    return this.events[0];
  }
}

const isEvent = (value: unknown): value is HistoryEvent =>
  typeof value === "object" && value !== null && "kind" in value && "t" in value;

/** the events a thrown error says the run broke at, if it says so (a Violation, or an error with `events` or an `event`) */
export function violationEvents(error: unknown): HistoryEvent[] {
  if (error instanceof Violation) return [...error.events];
  const { events, event } = (error ?? {}) as { events?: unknown; event?: unknown };
  if (Array.isArray(events)) return events.filter(isEvent);
  return isEvent(event) ? [event] : [];
}

/** one line per event; byte-identical for the same seed */
export function formatEvent(event: HistoryEvent): string {
  const time = event.t.toFixed(3).padStart(12);
  switch (event.kind) {
    case "start":
      return `${time}  ${event.node} starts (incarnation ${event.incarnation})`;
    case "send":
      return `${time}  ${event.from} -> ${event.to} #${event.id} sent ${event.message}`;
    case "deliver":
      return `${time}  ${event.from} -> ${event.to} #${event.id} delivered ${event.message}`;
    case "drop":
      return `${time}  ${event.from} -> ${event.to} #${event.id} dropped (${event.reason}) ${event.message}`;
    case "duplicate":
      return `${time}  ${event.from} -> ${event.to} #${event.id} duplicated as #${event.copy}`;
    case "timer":
      return `${time}  ${event.node} timer ${event.name}`;
    case "state":
      return `${time}  ${event.node} is ${event.state}`;
    case "fault":
      return `${time}  fault: ${event.what}`;
    case "note":
      return `${time}  ${event.node}: ${event.text}`;
  }
}

export function formatHistory(history: readonly HistoryEvent[]): string {
  return `${history.map(formatEvent).join("\n")}\n`;
}

/** the events at which two histories of one seed part, one from each (the last of a run that ended first); [] when they agree */
export function partingEvents(first: readonly HistoryEvent[], second: readonly HistoryEvent[]): HistoryEvent[] {
  const length = Math.max(first.length, second.length);
  for (let i = 0; i < length; i++) {
    const [a, b] = [first[i], second[i]];
    if (a && b && formatEvent(a) === formatEvent(b)) continue;
    return [a ?? first[first.length - 1], b ?? second[second.length - 1]].filter(
      (e): e is HistoryEvent => e !== undefined,
    );
  }
  return [];
}

/** where two histories of one seed part, as "event N:" and the two lines; undefined when they agree */
export function whereHistoriesPart(
  first: readonly HistoryEvent[],
  second: readonly HistoryEvent[],
): string | undefined {
  const a = first.map(formatEvent);
  const b = second.map(formatEvent);
  const longer = a.length >= b.length ? a : b;
  const line = longer.findIndex((_, i) => a[i] !== b[i]);
  if (line < 0) return undefined;
  return `event ${line + 1}:\n  ${a[line] ?? "(the first run ended)"}\n  ${b[line] ?? "(the second run ended)"}`;
}
