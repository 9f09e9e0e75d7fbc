// shared by the hashing specs: how evenly a scheme spreads keys, and how many move on a change.
// Node and key names start with a salt drawn from the test's seed, so every seed is another layout.
import { countByNode, keyNames, nodeNames, relativeStdDev } from "./_hashing.ts";

/** what both hashing katas offer */
export interface Placement {
  addNode(id: string, weight?: number): void;
  removeNode(id: string): boolean;
  nodeFor(key: string): string | undefined;
}

/** keys placed by each measurement unless a test asks for another count */
export const BALANCE_KEYS = 50_000;

/** σ ÷ mean of the keys per node, for 10 nodes of weight 1 */
export function spread(make: () => Placement, salt: string, count = BALANCE_KEYS): number {
  const placement = make();
  const nodes = nodeNames(salt, 10);
  for (const node of nodes) placement.addNode(node);
  const counts = countByNode(nodes, keyNames(salt, count), (key) => placement.nodeFor(key));
  return relativeStdDev([...counts.values()]);
}

/** the largest |share ÷ fair share − 1| over 10 nodes of weight 1 */
export function worstDeviation(make: () => Placement, salt: string, count = BALANCE_KEYS): number {
  const placement = make();
  const nodes = nodeNames(salt, 10);
  for (const node of nodes) placement.addNode(node);
  const counts = countByNode(nodes, keyNames(salt, count), (key) => placement.nodeFor(key));
  const fair = count / nodes.length;
  return Math.max(...[...counts.values()].map((c) => Math.abs(c / fair - 1)));
}

/** keys per node of weight 2 ÷ keys per node of weight 1, five of each */
export function weightRatio(make: () => Placement, salt: string, count = BALANCE_KEYS): number {
  const placement = make();
  const heavy = nodeNames(salt, 5, "heavy");
  const light = nodeNames(salt, 5, "light");
  for (const node of heavy) placement.addNode(node, 2);
  for (const node of light) placement.addNode(node, 1);
  const counts = countByNode([...heavy, ...light], keyNames(salt, count), (key) => placement.nodeFor(key));
  const sum = (ids: string[]) => ids.reduce((total, id) => total + (counts.get(id) ?? 0), 0);
  return sum(heavy) / sum(light);
}

export interface Movement {
  /** keys that changed node ÷ all keys, times n + 1: about 1 when the new node takes its fair share */
  movedTimesN1: number;
  /** keys that changed node but not to the new one */
  strays: string[];
}

/** adds an 11th node to 10 and sees which keys move, and where */
export function movementOnAdd(make: () => Placement, salt: string, count = BALANCE_KEYS): Movement {
  const placement = make();
  const nodes = nodeNames(salt, 10);
  for (const node of nodes) placement.addNode(node);
  const keys = keyNames(salt, count);
  const before = keys.map((key) => placement.nodeFor(key));
  const added = `${salt}/added`;
  placement.addNode(added);
  let moved = 0;
  const strays: string[] = [];
  keys.forEach((key, i) => {
    const now = placement.nodeFor(key);
    if (now === before[i]) return;
    moved++;
    if (now !== added) strays.push(`${key}: ${before[i]} → ${now}`);
  });
  return { movedTimesN1: (moved / keys.length) * (nodes.length + 1), strays };
}
