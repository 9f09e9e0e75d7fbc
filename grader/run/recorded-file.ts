/** what every untouched stub and blank worksheet reports, kept by the matrix (recorded.ts reads it) */
export const RECORD_FILE = "grader/stub-outcomes.json";
