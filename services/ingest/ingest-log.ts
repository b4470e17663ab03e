/** Where ingest reports what it does on its own (pino's Logger fits). */
export interface IngestLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Says nothing: for tests and tools that do not log. */
export const SILENT_LOG: IngestLog = { info() {}, warn() {}, error() {} };
