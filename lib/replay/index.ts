// Replay and diff: a recorded session read as a script of requests, re-issued against a server (or compared with
// another recording), each answer diffed structurally with ignore rules, plus the interface diff of what the two
// sides list. Pure TypeScript (no Node-only imports): the command line, the server routes and the browser share it.
export { ReplayError, type ReplayErrorCode } from './errors';
export {
  readRecordingFile,
  recordingFromLog,
  requestScript,
  outcomeOf,
  stripEnvelope,
  requestLabel,
  LIFECYCLE_METHODS,
  type Recording,
  type RecordedRequest,
  type RecordedServerRequest,
  type RecordedNotification,
  type RecordedOutcome,
} from './recording';
export {
  diffJson,
  pathRule,
  ignoreRules,
  formatPath,
  DEFAULT_IGNORE_RULES,
  type ChangeKind,
  type JsonChange,
  type JsonDiff,
  type IgnoreRule,
  type PathChange,
  type Segment,
  type DiffOptions,
} from './diff';
export {
  diffInterfaces,
  interfaceFromAnswers,
  interfaceEntries,
  describeType,
  type InterfaceChange,
  type InterfaceKind,
  type ServerInterface,
} from './interface';
export {
  bestMatch,
  nearest,
  similarity,
  describeRequest,
  recordedServerAnswer,
  answerFromRecording,
  noRecordedAnswer,
  type Candidate,
  type Match,
  type ServerRequestAnswer,
} from './match';
export {
  replayRecording,
  compareRecordings,
  compareOutcomes,
  recordedInterface,
  type ComparisonReport,
  type RequestComparison,
  type Verdict,
  type SendRequest,
  type ReplayOptions,
} from './compare';
