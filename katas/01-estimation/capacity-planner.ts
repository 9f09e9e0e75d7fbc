/**
 * Kata: capacity planner (difficulty 1, about 30 minutes)
 * Read:  chapters/01-estimation/README.md#estimation-templates
 * Grade: npm run grade -- capacity-planner
 * Hint:  npm run hint -- capacity-planner (one more hint each time you ask)
 *
 * Turn a traffic profile into the numbers an interview asks for:
 * - averageQps: requests a second over a day (a day is 86,400 s);
 * - peakQps: the average times the peak factor; peakWriteQps: its writing share;
 * - storageBytes: bytes written over the retention period, every replica;
 * - peakEgressBitsPerSecond: response bytes at peak, in bits a second;
 * - servers: whole servers for the peak when each runs at the target utilization;
 * - peakConcurrency: requests in flight at peak, by Little's law.
 * The spec checks each against the units engine, within 1e-9.
 * Throw a RangeError for a number that is negative or not finite, a write share
 * above 1, a target utilization of 0 or above 1, a peak factor below 1, a
 * replication factor below 1, or a server capacity of 0.
 */
import { todo } from "#kit";

export interface TrafficProfile {
  dailyActiveUsers: number;
  requestsPerUserPerDay: number;
  /** peak rate ÷ average rate */
  peakFactor: number;
  /** the share of requests that write, 0 to 1 */
  writeShare: number;
  /** bytes stored per write */
  bytesPerWrite: number;
  /** bytes sent back per request */
  bytesPerResponse: number;
  /** how long writes are kept */
  retentionDays: number;
  /** copies of every byte stored */
  replicationFactor: number;
  /** requests a second one server sustains */
  serverPeakQps: number;
  /** the share of that capacity you plan to use, above 0 and at most 1: the rest is headroom */
  targetUtilization: number;
  /** how long a request holds a worker or connection */
  secondsPerRequest: number;
}

export interface CapacityPlan {
  averageQps: number;
  peakQps: number;
  peakWriteQps: number;
  /** everything kept for the retention period, every copy */
  storageBytes: number;
  /** response bytes at peak, in bits per second */
  peakEgressBitsPerSecond: number;
  /** whole servers for the peak at the target utilization */
  servers: number;
  /** requests in flight at peak, by Little's law */
  peakConcurrency: number;
}

export function planCapacity(profile: TrafficProfile): CapacityPlan {
  // TODO: check the profile, then compute each number of the plan. Keep the unit of every step in its name.
  return todo("planCapacity", profile);
}
