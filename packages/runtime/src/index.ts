// @smsc-kit/runtime: runtime plumbing shared by the smsc-kit packages (internal; protocol facts live in core).

export {
  type BruteForceLimiter,
  type BruteForceLimits,
  createBruteForceLimiter,
  type FailureOutcome,
} from "./brute-force-limiter.js";
export {
  type BatchWriter,
  createGroupCommit,
  type GroupCommit,
  type GroupCommitOptions,
} from "./group-commit.js";
export { type CloseOptions, closeServer, type Listening, type ListenOn, listen, urlHost } from "./listen.js";
export { SlidingWindowCounter } from "./sliding-window.js";
