/**
 * A chapter's worksheet: one answer per question id, as text the units engine
 * reads. A number with a unit ("2315 req/s"), an expression ("10M * 20 req/day
 * to req/s"), or worked lines ("daily = dau * 20 req/day" then "daily to
 * req/s"). The question's given values can be used by name. "" means not
 * answered yet.
 */
export function defineWorksheet<const T extends Record<string, string>>(answers: T): T {
  return answers;
}
