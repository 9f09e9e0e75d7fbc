/**
 * Mutant of solutions/01-estimation/capacity-planner.ts: full-utilization-refused.
 *
 * The bug: a target utilization must be below 1, where the contract allows
 * exactly 1 ("above 0 and at most 1"): planning servers to run flat out, with
 * no headroom, is a choice to question, not an error to throw.
 * @caughtBy takes the edges of every range: shares of 1, factors of 1, and zero traffic
 */

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

const SECONDS_PER_DAY = 86_400;
const BITS_PER_BYTE = 8;

function check(profile: TrafficProfile): void {
  for (const [name, value] of Object.entries(profile)) {
    if (!(Number.isFinite(value) && value >= 0))
      throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  }
  if (profile.writeShare > 1) throw new RangeError(`writeShare is a share, at most 1, got ${profile.writeShare}`);
  if (!(profile.targetUtilization > 0 && profile.targetUtilization < 1)) {
    throw new RangeError(`targetUtilization must be above 0 and at most 1, got ${profile.targetUtilization}`);
  }
  if (profile.peakFactor < 1)
    throw new RangeError(`peakFactor is peak ÷ average, at least 1, got ${profile.peakFactor}`);
  if (profile.replicationFactor < 1)
    throw new RangeError(`replicationFactor is at least 1, got ${profile.replicationFactor}`);
  if (profile.serverPeakQps <= 0) throw new RangeError(`serverPeakQps must be above 0, got ${profile.serverPeakQps}`);
}

export function planCapacity(profile: TrafficProfile): CapacityPlan {
  check(profile);
  const requestsPerDay = profile.dailyActiveUsers * profile.requestsPerUserPerDay;
  const averageQps = requestsPerDay / SECONDS_PER_DAY;
  const peakQps = averageQps * profile.peakFactor;
  const writesPerDay = requestsPerDay * profile.writeShare;
  const storageBytes = writesPerDay * profile.bytesPerWrite * profile.retentionDays * profile.replicationFactor;
  const peakEgressBytesPerSecond = peakQps * profile.bytesPerResponse;
  const qpsPerServer = profile.serverPeakQps * profile.targetUtilization;
  return {
    averageQps,
    peakQps,
    peakWriteQps: peakQps * profile.writeShare,
    storageBytes,
    peakEgressBitsPerSecond: peakEgressBytesPerSecond * BITS_PER_BYTE,
    servers: Math.ceil(peakQps / qpsPerServer),
    peakConcurrency: peakQps * profile.secondsPerRequest,
  };
}
