/** a reference answer that does not work: a mistake of the course's, not the learner's */
export class ReferenceAnswerError extends Error {
  override readonly name = "ReferenceAnswerError";
}
