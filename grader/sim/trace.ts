import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatHistory, type HistoryEvent } from "./history.ts";

export interface TraceOptions {
  /** a short label for a message's JSON, e.g. "RequestVote t3"; the JSON, clipped, when left out */
  describe?: (message: unknown) => string;
  /** the diagram shows the last this many events (the text log has them all) */
  limit?: number;
}

const DEFAULT_LIMIT = 150;

// mermaid reads ";" and "#" as syntax, and long labels make an unreadable diagram
function label(text: string): string {
  const clean = text.replace(/[;#]/g, " ").replace(/\s+/g, " ").trim();
  return clean.length > 70 ? `${clean.slice(0, 67)}...` : clean;
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

/** the history as a mermaid sequence diagram: deliveries, drops, faults and state changes */
export function toMermaid(history: readonly HistoryEvent[], nodes: readonly string[], options: TraceOptions = {}) {
  const describe = describeWith(options);
  const shown = history.filter((e) => e.kind !== "send" && e.kind !== "timer" && e.kind !== "duplicate");
  const limit = options.limit ?? DEFAULT_LIMIT;
  const window = shown.slice(-limit);
  const lines = ["sequenceDiagram"];
  if (window.length < shown.length) {
    lines.push(`  %% the last ${window.length} of ${shown.length} events; the text log has them all`);
  }
  for (const id of nodes) lines.push(`  participant ${id}`);
  const first = nodes[0] ?? "n";
  const last = nodes[nodes.length - 1] ?? first;
  const span = first === last ? first : `${first},${last}`;
  const at = (t: number) => `${t.toFixed(1)} ms`;
  for (const event of window) {
    switch (event.kind) {
      case "deliver":
        lines.push(`  ${event.from}->>${event.to}: ${label(`${describe(event.message)} @${at(event.t)}`)}`);
        break;
      case "drop":
        lines.push(
          `  ${event.from}-x${event.to}: ${label(`${describe(event.message)} ${DROP_WORDS[event.reason]} @${at(event.t)}`)}`,
        );
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
  }
  return `${lines.join("\n")}\n`;
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
): WrittenTrace {
  mkdirSync(path.dirname(base), { recursive: true });
  const text = `${base}.txt`;
  const mermaid = `${base}.mmd`;
  writeFileSync(text, `# ${header}\n${formatHistory(history)}`);
  writeFileSync(mermaid, `%% ${header}\n${toMermaid(history, nodes, options)}`);
  return { text, mermaid };
}
