/**
 * Worksheet for chapter 08, the reference answers. Each is worked in lines the
 * grader evaluates, so the derivation a learner sees is computed, not typed.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "typeahead-keystrokes": "searches * keystrokes to req/s",
  "typeahead-debounced": "searches * pauses to req/s",
  "trie-memory": "kept * depth * node_size to GB",
  "topk-cache-memory": "trie_nodes * cached * reference to GB",
  "geohash-cell-width": "360 / 2^lon_bits * km_per_degree to km",
  "geohash-width-at-latitude": `
    equator_width = 360 / 2^lon_bits * km_per_degree
    equator_width * cos_lat to km
  `,
  "geohash-3x3-reach": "min(cell_width * cos_lat, cell_height) to km",
  "geohash-missed-area": `
    block = 9 * cell^2
    circle = pi * radius^2
    1 - block / circle
  `,
  "driver-location-bandwidth": "active / interval * update_size * 1 / driver to Mbit/s",
  "quadtree-leaves": "places / leaf_capacity to node",
  "inverted-index-size": "documents * terms * posting to GB",
  "bm25-postings-read": "query_terms * share * documents * 1 entry/page to entry",
});
