/**
 * Worksheet: chapter 08, search and proximity. Answer each question with a
 * number and a unit, as text ("4.9 km"), or write the arithmetic and let the
 * units engine do it ("360 / 2^lon_bits * km_per_degree to km"). The values a question
 * gives can be used by name, and an answer may be worked over several lines.
 *
 * npm run grade -- 08-search-and-proximity lists every question with its given
 * values, grades your answers, and shows the reference working once you have
 * answered. Leave "" for a question you have not answered yet.
 */
import { defineWorksheet } from "#kit";

export default defineWorksheet({
  "typeahead-keystrokes": "",
  "typeahead-debounced": "",
  "trie-memory": "",
  "topk-cache-memory": "",
  "geohash-cell-width": "",
  "geohash-width-at-latitude": "",
  "geohash-3x3-reach": "",
  "geohash-missed-area": "",
  "driver-location-bandwidth": "",
  "quadtree-leaves": "",
  "inverted-index-size": "",
  "bm25-postings-read": "",
});
