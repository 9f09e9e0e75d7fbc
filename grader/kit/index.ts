// the learner-facing kit: what stubs and solutions may import as "#kit"
export { type Clock, ManualClock } from "./clock.ts";
export type { Database, Queryable, Rows } from "./database.ts";
export { type Component, type ComponentKind, type Design, defineDesign, type Flow, type Hop } from "./design.ts";
export { hash32 } from "./hash.ts";
export type { RedisClient } from "./redis.ts";
export type { DurableStorage, NodeContext, SimNode } from "./sim.ts";
export { isNotImplemented, NotImplementedError, todo } from "./todo.ts";
export { defineWorksheet } from "./worksheet.ts";
