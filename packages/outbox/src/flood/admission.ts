/** A message about to go out, as the subscriber-flood rule sees it: its row and the phones it goes to. */
export interface FloodCandidate {
  readonly rowId: number;
  readonly recipients: readonly string[];
}

/**
 * SMSC's per-subscriber flood rule (`subscriber-flood` in spec/catalog.yaml) as the worker asks it: for a
 * batch of messages about to go out, when may each go? Asked for many rows at once so an implementation
 * backed by the store answers a whole batch in one round trip.
 */
export interface FloodAdmission {
  /**
   * For each candidate, in order, the earliest time its message may go out. A value ≤ `now` admits the
   * message and counts it as sent to its phones at `now` (a later candidate to the same phone sees it); a
   * later value admits nothing for that row and counts nothing (except that the store-backed admission may
   * count a message to several phones, refused for one full run, in the others' runs). Admitting is
   * conservative: a row admitted but then not sent (a pause, a stop) still counts, which can only delay a later
   * message, never flood.
   */
  admit(candidates: readonly FloodCandidate[], now: number): Promise<Map<number, number>>;
}
