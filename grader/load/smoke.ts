// A load test in smoke mode runs one short round of each subject and judges no budget: the matrix
// uses it for the references, whose load tests it runs to prove they run and sum right, not to time
// the reference against itself (a ratio of about 1 that a 2-core machine only makes noisy). A
// mutant's load test, which its verdict may rest on, always runs in full.
let smoke = false;

export function setLoadSmoke(on: boolean): void {
  smoke = on;
}

export function isLoadSmoke(): boolean {
  return smoke;
}
