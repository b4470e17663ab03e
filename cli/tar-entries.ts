import { extract as tarExtract } from 'tar-stream';
import { CliError, ExitCode } from './cli-error.ts';
import { feedSink } from '../adapters/tar/tar-sink.ts';

/** One entry of a tar stream; its content must be read to the end before asking for the next. */
export interface TarEntry {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly content: AsyncIterable<Uint8Array>;
}

/**
 * The entries of the tar stream `source`, as they arrive. Stopping early stops reading the
 * source.
 * @throws (from the iteration, or from an entry's content) the source's own error when it
 * failed; otherwise CliError CORRUPT_OBJECT (exit 3) for bytes that are not a tar or a stream
 * cut short.
 */
export async function* tarEntries(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry> {
  const extract = tarExtract();
  let sourceFailure: { error: unknown } | undefined;
  const feeding = feedSink(source, extract).then((error) => {
    if (error !== undefined) sourceFailure = { error };
  });
  // A failing source destroys the extractor with its own error, which then surfaces in the
  // entry being read or in the next one asked for: that error is the one to report.
  const explain = (error: unknown): unknown => {
    if (sourceFailure || error instanceof CliError) return sourceFailure?.error ?? error;
    const reason = error instanceof Error ? error.message : String(error);
    return new CliError('CORRUPT_OBJECT', `the server sent a broken tar stream (${reason})`, { exitCode: ExitCode.unexpected });
  };
  try {
    for await (const entry of extract) {
      const { name, type, size } = entry.header;
      yield { name, type: type ?? 'unknown', size, content: explained(entry as AsyncIterable<Uint8Array>, explain) };
    }
  } catch (error) {
    await feeding;
    throw explain(error);
  } finally {
    extract.destroy();
    await feeding;
  }
}

async function* explained(content: AsyncIterable<Uint8Array>, explain: (error: unknown) => unknown): AsyncGenerator<Uint8Array> {
  try {
    yield* content;
  } catch (error) {
    throw explain(error);
  }
}
