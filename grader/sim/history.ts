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
  constructor(
    message: string,
    readonly event: HistoryEvent,
  ) {
    super(message);
  }
}

/** the event a thrown error says the run broke at, if it says so (a Violation, or an error with an `event`) */
export function violationEvent(error: unknown): HistoryEvent | undefined {
  if (error instanceof Violation) return error.event;
  const event = (error as { event?: unknown } | null)?.event;
  return typeof event === "object" && event !== null && "kind" in event && "t" in event
    ? (event as HistoryEvent)
    : undefined;
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
