// A design drawn as a mermaid flowchart: each component a box with its kind, how many and what one
// serves (and, once evaluated, how full it is at peak), each flow its arrows in order. Cache misses
// and async hand-offs are dotted. The site shows a learner's design beside the reference's.
import type { Evaluation } from "./evaluate.ts";
import type { CheckedDesign } from "./schema.ts";
import { isLog, STORES } from "./schema.ts";

const SHAPES: Record<string, [string, string]> = {
  "load-balancer": ["[/", "\\]"],
  service: ["[", "]"],
  cache: ["[(", ")]"],
  "kv-store": ["[(", ")]"],
  "sql-store": ["[(", ")]"],
  "object-store": ["[(", ")]"],
  "search-index": ["[(", ")]"],
  queue: ["[[", "]]"],
  cdn: ["(", ")"],
  "stream-processor": ["[[", "]]"],
};

/** mermaid's ids are words: a component's name with its dashes made underscores */
const id = (name: string) => `c_${name.replace(/-/g, "_")}`;
/** text for a label: no quotes or brackets that would end it */
const label = (text: string) => text.replace(/["[\](){}<>|]/g, " ");

export function designDiagram(design: CheckedDesign, evaluation?: Evaluation): string {
  const lines = ["flowchart LR", "  client([clients])"];
  for (const [name, component] of Object.entries(design.components)) {
    const store = STORES.has(component.kind);
    const how = store
      ? `${component.shards ?? 1} shards × ${component.replicas ?? 1}${component.quorum ? ", quorum" : ""}`
      : isLog(component)
        ? `${component.count ?? 1} brokers, ${component.partitions} partitions × ${component.replicas ?? 1}${component.quorum ? ", quorum" : ""}`
        : `× ${component.count ?? 1}`;
    const load = evaluation?.components.get(name);
    const full = load ? `<br/>${Math.round(load.utilisation * 100)}% at peak` : "";
    const [open, close] = SHAPES[component.kind] ?? ["[", "]"];
    lines.push(
      `  ${id(name)}${open}"${label(name)}<br/>${component.kind} ${how}<br/>${label(component.capacity)} each${full}"${close}`,
    );
  }
  for (const [flow, { hops, admits }] of Object.entries(design.flows)) {
    let from = "client";
    for (const raw of hops) {
      const hop = typeof raw === "string" ? { to: raw } : raw;
      const arrow = hop.async ? "-.->" : "-->";
      const hit = hop.hitRatio !== undefined ? `, ${Math.round(hop.hitRatio * 100)}% hits` : "";
      // the edge's limit, on the flow's first arrow
      const limit = from === "client" && admits ? `, at most ${admits}` : "";
      lines.push(`  ${from} ${arrow}|${label(flow)}${hit}${label(limit)}| ${id(hop.to)}`);
      if (hop.onMiss) lines.push(`  ${id(hop.to)} -.->|${label(flow)} misses| ${id(hop.onMiss)}`);
      // the flow goes on from here, unless nobody waits for this step
      if (!hop.async) from = id(hop.to);
    }
  }
  return `${lines.join("\n")}\n`;
}
