import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, ExitCode } from './cli-error.ts';
import { readEventStream } from './event-stream.ts';
import { isOver, JOB_FIELDS, type JobView } from './job-view.ts';
import { errorOfResponse, type ServerConnection } from './server-connection.ts';

const SUBSCRIBE = `subscription($project: String!, $id: String!) { jobProgress(project: $project, id: $id) { ${JOB_FIELDS} } }`;
// A stream that drops (a proxy's idle timeout, a server restart) is opened again this often in a row.
const RECONNECTS = 5;

/**
 * Follows a job through the `jobProgress` subscription (GraphQL over server-sent events),
 * calling `onUpdate` with each state of it, until it ends; returns its final state.
 * @throws CliError with the server's code (NOT_FOUND, FORBIDDEN…), or UNREACHABLE
 */
export async function watchJob(connection: ServerConnection, project: string, id: string, onUpdate: (job: JobView) => void): Promise<JobView> {
  let failures = 0;
  for (;;) {
    const response = await connection.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUBSCRIBE, variables: { project, id } }),
    });
    if (!response.ok || !response.headers.get('content-type')?.startsWith('text/event-stream'))
      throw await errorOfResponse(response, 'watching the job');
    try {
      for await (const { event, data } of readEventStream(response.body as unknown as AsyncIterable<Uint8Array>)) {
        if (event !== 'next') continue;
        const job = jobOf(parsePayload(data));
        failures = 0;
        onUpdate(job);
        if (isOver(job)) return job;
      }
    } catch (error) {
      if (error instanceof CliError) throw error;
      // The connection broke mid-stream: open it again below.
    }
    if (++failures > RECONNECTS) throw new CliError('UNREACHABLE', `lost the progress stream of job ${id}`, { exitCode: ExitCode.unexpected });
    await sleep(1000);
  }
}

interface Payload {
  readonly data?: { readonly jobProgress?: JobView } | null;
  readonly errors?: readonly { message: string; extensions?: { code?: unknown } }[];
}

function parsePayload(data: string): Payload {
  try {
    return JSON.parse(data) as Payload;
  } catch {
    throw new CliError('UNEXPECTED', 'the progress stream sent an event that is not JSON', { exitCode: ExitCode.unexpected });
  }
}

function jobOf(payload: Payload): JobView {
  const first = payload.errors?.[0];
  if (first) {
    const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'UNEXPECTED';
    throw new CliError(code, first.message, { exitCode: code === 'INTERNAL' || code === 'UNEXPECTED' ? ExitCode.unexpected : ExitCode.failure });
  }
  const job = payload.data?.jobProgress;
  if (!job) throw new CliError('UNEXPECTED', 'the progress stream sent an event without the job', { exitCode: ExitCode.unexpected });
  return job;
}
