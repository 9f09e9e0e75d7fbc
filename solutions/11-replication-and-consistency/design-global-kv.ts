// A multi-region key-value store with a consistency per operation: the reference design. Users in
// three regions (us-east 40%, eu-west 35%, ap-northeast 25%) read profiles and carts 300k times a
// second and update them 30k times, eventually consistent and answered in their own region; 1k
// times a second they claim something unique (a username, the last item in stock), which must be
// strong: a quorum read and a majority write across the regions (the chapter's estimate).
import { defineDesign } from "#kit";

export function design() {
  return defineDesign({
    // each zone here is a region, and the round trips between them are the problem's
    zones: ["us-east", "eu-west", "ap-northeast"],
    components: {
      // two a region: a region's users reach their own
      lb: {
        kind: "load-balancer",
        count: 6,
        capacity: "500k req/s",
        latency: "0.5 ms",
        zones: ["us-east", "eu-west", "ap-northeast"],
      },
      // 15 a region, sized for a neighbour's users on top of its own: us-east's 132k a second is
      // 44% of its 15; with us-east lost, its users go to eu-west (80 ms away), 248k there, 83%
      api: {
        kind: "service",
        count: 45,
        capacity: "20k req/s",
        latency: "2 ms",
        zones: ["us-east", "eu-west", "ap-northeast"],
      },
      // profiles and carts: 10 TB, a copy in each region (replicas 3, one a region), written by the
      // nearest replica and sent on to the others (last writer wins by hybrid logical clock); a
      // read asks the local copy. 30 shards: us-east's 120k reads and every write are 5k a node,
      // 50%; with us-east lost, eu-west's nodes also read for its users, 85%
      profiles: {
        kind: "kv-store",
        shards: 30,
        replicas: 3,
        capacity: "10k req/s",
        latency: "2 ms",
        storage: "1 TB",
        zones: ["us-east", "eu-west", "ap-northeast"],
      },
      // claims: 5 replicas, two in us-east and in eu-west and one in Tokyo (Spanner's multi-region
      // configurations keep 5 voters too); a write is done when 3 hold it (quorum), a read asks the
      // nearest 3: every read quorum overlaps every write quorum (3 + 3 > 5), one region lost
      // leaves a majority, and from us-east the third answer is eu-west's, 80 ms. With 3 replicas
      // a shard is down whenever 2 of them are: 99.97% over 3 shards, short of 99.99%
      claims: {
        kind: "kv-store",
        shards: 3,
        replicas: 5,
        quorum: true,
        capacity: "10k req/s",
        latency: "2 ms",
        storage: "1 TB",
        zones: ["us-east", "eu-west", "ap-northeast"],
      },
    },
    // each flow lets in 1.2× its peak; past that the edge refuses at once
    flows: {
      get: { hops: ["lb", "api", "profiles"], admits: "360k req/s" },
      put: { hops: ["lb", "api", { to: "profiles", write: true }], admits: "36k req/s" },
      // a compare-and-set by consensus: a round that reads the current holder from a majority (Paxos'
      // prepare) and one that writes the claim to a majority (accept); Cassandra's lightweight
      // transactions add a commit round. Two round trips to the nearest majority: 160 ms from us-east
      claim: {
        hops: ["lb", "api", { to: "claims", consistency: "quorum" }, { to: "claims", write: true }],
        admits: "1.2k req/s",
      },
    },
  });
}
