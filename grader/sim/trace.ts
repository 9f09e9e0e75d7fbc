import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatEvent, formatHistory, type HistoryEvent } from "./history.ts";

export interface TraceOptions {
  /** a short label for a message's JSON, e.g. "RequestVote t3"; the JSON, clipped, when left out */
  describe?: (message: unknown) => string;
  /** the diagram shows this many events: the last ones, or those around a violation (the text log has them all) */
  limit?: number;
}

const DEFAULT_LIMIT = 150;

// mermaid reads ";" and "#" as syntax, and long labels make an unreadable diagram
function label(text: string, max = 70): string {
  const clean = text.replace(/[;#]/g, " ").replace(/\s+/g, " ").trim();
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}

function describeWith(options: TraceOptions) {
  return (wire: string): string => {
    if (!options.describe) return wire.replace(/"/g, "");
    try {
      return options.describe(JSON.parse(wire));
    } catch {
      return wire;
    }
  };
}

const DROP_WORDS = { loss: "lost", partition: "partitioned", down: "receiver down" } as const;

/** where a run broke: the index in its history of the event a Violation named, and what broke */
export interface TraceMark {
  index: number;
  what: string;
}

/** what starts the line the text log adds after the marked event */
export const MARK = ">>>";

const at = (t: number) => `${t.toFixed(1)} ms`;
const firstLine = (text: string) => text.split("\n")[0] ?? "";
// sends show as their delivery or drop, timers by what they do; a first boot is no news
const drawn = (e: HistoryEvent) =>
  e.kind !== "send" && e.kind !== "timer" && e.kind !== "duplicate" && !(e.kind === "start" && e.incarnation === 1);

/** the nodes an event is about, for a note over them */
function nodesOf(event: HistoryEvent): string[] {
  switch (event.kind) {
    case "send":
    case "deliver":
    case "drop":
    case "duplicate":
      return event.from === event.to ? [event.from] : [event.from, event.to];
    case "fault":
      return event.nodes;
    default:
      return [event.node];
  }
}

/** which of the shown events the diagram draws: the last `limit`, or `limit` around the marked one (two thirds before it) */
function windowOf(shown: ReadonlyArray<{ index: number }>, limit: number, mark: TraceMark | undefined) {
  if (!mark) return { from: Math.max(0, shown.length - limit), to: shown.length };
  const marked = Math.max(
    0,
    shown.findIndex((s) => s.index >= mark.index),
  );
  const from = Math.max(0, Math.min(marked + 1 - Math.ceil((2 * limit) / 3), shown.length - limit));
  return { from, to: Math.min(shown.length, from + limit) };
}

/**
 * The history as a mermaid sequence diagram: deliveries, drops, faults and
 * state changes. Without a mark, the last `limit` of them; with one, `limit`
 * around the marked event, which is drawn (whatever its kind) in a red box
 * with a note of what broke there.
 */
export function toMermaid(
  history: readonly HistoryEvent[],
  nodes: readonly string[],
  options: TraceOptions = {},
  mark?: TraceMark,
): string {
  const describe = describeWith(options);
  const shown = history.flatMap((event, index) => (drawn(event) || index === mark?.index ? [{ event, index }] : []));
  const limit = options.limit ?? DEFAULT_LIMIT;
  const { from, to } = windowOf(shown, limit, mark);
  const window = shown.slice(from, to);
  const lines = ["sequenceDiagram"];
  const markedEvent = mark ? history[mark.index] : undefined;
  if (mark && markedEvent) {
    const range =
      window.length > 0 ? `events ${(window[0]?.index ?? 0) + 1}..${(window[window.length - 1]?.index ?? 0) + 1}` : "";
    lines.push(
      `  %% ${window.length} of ${shown.length} events around the violation at event ${mark.index + 1} (${at(markedEvent.t)}), ${range} of the history; the text log has them all`,
    );
  } else if (window.length < shown.length) {
    lines.push(`  %% the last ${window.length} of ${shown.length} events; the text log has them all`);
  }
  for (const id of nodes) lines.push(`  participant ${id}`);
  const first = nodes[0] ?? "n";
  const last = nodes[nodes.length - 1] ?? first;
  const span = first === last ? first : `${first},${last}`;
  const over = (event: HistoryEvent) => {
    const involved = nodesOf(event).filter((id) => nodes.includes(id));
    if (involved.length === 0) return span;
    return involved.length === 1 ? (involved[0] as string) : `${involved[0]},${involved[involved.length - 1]}`;
  };
  const draw = (event: HistoryEvent) => {
    switch (event.kind) {
      case "deliver":
        lines.push(`  ${event.from}->>${event.to}: ${label(`${describe(event.message)} @${at(event.t)}`)}`);
        break;
      case "drop":
        lines.push(
          `  ${event.from}-x${event.to}: ${label(`${describe(event.message)} ${DROP_WORDS[event.reason]} @${at(event.t)}`)}`,
        );
        break;
      case "send":
        lines.push(`  ${event.from}-->>${event.to}: ${label(`${describe(event.message)} sent @${at(event.t)}`)}`);
        break;
      case "duplicate":
        lines.push(`  Note over ${over(event)}: ${label(`#${event.id} duplicated as #${event.copy} @${at(event.t)}`)}`);
        break;
      case "timer":
        lines.push(`  Note over ${event.node}: ${label(`timer ${event.name} @${at(event.t)}`)}`);
        break;
      case "state":
        lines.push(`  Note over ${event.node}: ${label(`${event.state.replace(/"/g, "")} @${at(event.t)}`)}`);
        break;
      case "start":
        if (event.incarnation > 1) lines.push(`  Note over ${event.node}: ${label(`boots again @${at(event.t)}`)}`);
        break;
      case "fault":
        lines.push(`  Note over ${span}: ${label(`${event.what} @${at(event.t)}`)}`);
        break;
      case "note":
        lines.push(`  Note over ${event.node}: ${label(`${event.text} @${at(event.t)}`)}`);
        break;
    }
  };
  for (const { event, index } of window) {
    if (mark && index === mark.index) {
      lines.push("  rect rgb(255, 215, 215)");
      draw(event);
      lines.push(`  Note over ${over(event)}: ${label(`VIOLATION: ${firstLine(mark.what)}`, 160)}`);
      lines.push("  end");
    } else {
      draw(event);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** the text log: every event, one a line, and after the marked one a line that starts with MARK and says what broke */
export function formatTrace(history: readonly HistoryEvent[], header: string, mark?: TraceMark): string {
  const event = mark ? history[mark.index] : undefined;
  if (!mark || !event) return `# ${header}\n${formatHistory(history)}`;
  const lines = history.map(formatEvent);
  const where = `event ${mark.index + 1} (${at(event.t)})`;
  lines.splice(mark.index + 1, 0, `${MARK} the violation is the event above, ${where}: ${firstLine(mark.what)}`);
  return `# ${header} · violated at ${where}, marked ${MARK}\n${lines.join("\n")}\n`;
}

export interface WrittenTrace {
  text: string;
  mermaid: string;
}

/** writes `<base>.txt` (every event) and `<base>.mmd` (the diagram) and returns both paths */
export function writeTrace(
  base: string,
  history: readonly HistoryEvent[],
  nodes: readonly string[],
  header: string,
  options: TraceOptions = {},
  mark?: TraceMark,
): WrittenTrace {
  mkdirSync(path.dirname(base), { recursive: true });
  const text = `${base}.txt`;
  const mermaid = `${base}.mmd`;
  writeFileSync(text, formatTrace(history, header, mark));
  writeFileSync(mermaid, `%% ${header}\n${toMermaid(history, nodes, options, mark)}`);
  return { text, mermaid };
}
