// What a design costs a month, from a small price table: every node priced as general-purpose
// instances (a cache node as as many as its memory needs), disks as block storage, an object
// store's bytes at object-storage rates. List prices, on demand, in one region: enough to compare
// two designs and see which component the money goes to, not a quote.
import { componentOf, figuresOf, type Model } from "./evaluate.ts";
import { quantity, STORES } from "./schema.ts";

export const PRICES = {
  /**
   * m7g.large (2 vCPU, 8 GiB), Linux, on demand, us-east-1: $0.0816 an hour as listed in June 2026
   * (aws.amazon.com/ec2/pricing/on-demand, quoted in "Amazon EC2 On-Demand Pricing", factualminds.com,
   * 2026-06-17)
   */
  instance: "0.0816 USD/hour",
  /** the memory of that instance: a cache node with more is priced as several */
  instanceMemory: "8 GB",
  /** EBS gp3, us-east-1: $0.08 per GB-month (aws.amazon.com/ebs/pricing) */
  disk: "0.08 USD/GB/month",
  /** S3 Standard, first 50 TB, us-east-1: $0.023 per GB-month (aws.amazon.com/s3/pricing) */
  objects: "0.023 USD/GB/month",
} as const;

const price = (text: string, unit: string): number => {
  const value = quantity(text, unit);
  if (typeof value === "string") throw new Error(`the price table's "${text}": ${value}`);
  return value;
};

export interface Cost {
  /** USD a month, the design's whole */
  total: number;
  /** each component's share, the dearest first */
  components: { name: string; compute: number; storage: number }[];
}

export function costOf(model: Model): Cost {
  const instance = price(PRICES.instance, "USD/month");
  const memory = price(PRICES.instanceMemory, "GB");
  const components = Object.keys(model.design.components).map((name) => {
    const c = componentOf(model, name);
    const figures = figuresOf(model, name);
    const nodes = STORES.has(c.kind) ? (c.shards ?? 1) * (c.replicas ?? 1) : (c.count ?? 1);
    const each = c.kind === "cache" ? Math.max(1, Math.ceil(figures.memory / memory)) : 1;
    const rate = price(c.kind === "object-store" ? PRICES.objects : PRICES.disk, "USD/TB/month");
    return { name, compute: nodes * each * instance, storage: nodes * figures.storage * rate };
  });
  components.sort((a, b) => b.compute + b.storage - (a.compute + a.storage));
  return { total: components.reduce((sum, c) => sum + c.compute + c.storage, 0), components };
}
