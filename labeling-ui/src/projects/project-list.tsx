import { labeling, type LabelingProject, type LabelingProgress } from '../api/labeling.ts';
import { CommitPanel } from '../label/commit-panel.tsx';
import { hrefOf } from '../routing.ts';
import { useAsync } from '../use-async.ts';

interface ProjectEntry {
  readonly project: string;
  readonly labelingProjects: readonly LabelingProject[];
  /** Why this project's labeling projects could not be listed, if they could not. */
  readonly error: string | null;
}

/**
 * The signed-in user's work: for each project (tenant) they belong to, the labeling projects
 * they may see, with progress and links to label, review or browse by their role.
 */
export function ProjectList() {
  const [state, reload] = useAsync(loadEntries, []);
  if (state.status === 'loading') return <p className="status" role="status">Loading projects…</p>;
  if (state.status === 'error')
    return (
      <p role="alert" className="error">
        Could not load the projects: {state.message} <button onClick={reload}>Try again</button>
      </p>
    );
  const entries = state.value;
  if (entries.length === 0) return <p className="status">You are not a member of any project yet.</p>;
  return (
    <main className="project-list" data-testid="project-list">
      <h1>Labeling projects</h1>
      {entries.map((entry) => (
        <section key={entry.project} aria-labelledby={`project-${entry.project}`}>
          <h2 id={`project-${entry.project}`}>
            {entry.project} <a href={hrefOf({ page: 'datasets', project: entry.project })}>Browse datasets</a>
          </h2>
          {entry.error && <p className="error">{entry.error}</p>}
          {!entry.error && entry.labelingProjects.length === 0 && <p className="status">No labeling projects for you here.</p>}
          <ul>
            {entry.labelingProjects.map((lp) => (
              <li key={lp.id} className="labeling-project" data-testid={`labeling-project-${lp.project}-${lp.name}`}>
                <div className="labeling-project-head">
                  <strong>{lp.name}</strong>
                  <span className="muted">
                    {lp.dataset}@{lp.branch} · {lp.schema.media} · {lp.myRole ?? 'viewer'}
                  </span>
                </div>
                <ProgressBar progress={lp.progress} />
                <nav className="actions" aria-label={`Actions for ${lp.name}`}>
                  {(lp.myRole === 'labeler' || lp.myRole === 'manager') && (
                    <a className="button" data-testid="open-label" href={hrefOf({ page: 'label', project: lp.project, labelingProject: lp.name })}>
                      Label
                    </a>
                  )}
                  {(lp.myRole === 'reviewer' || lp.myRole === 'manager') && (
                    <a className="button" data-testid="open-review" href={hrefOf({ page: 'review', project: lp.project, labelingProject: lp.name })}>
                      Review
                    </a>
                  )}
                  <a className="button secondary" href={hrefOf({ page: 'datasets', project: lp.project, dataset: lp.dataset })}>
                    Browse {lp.dataset}
                  </a>
                </nav>
                {lp.myRole !== null && <CommitPanel project={lp} onCommitted={reload} />}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </main>
  );
}

async function loadEntries(): Promise<ProjectEntry[]> {
  const projects = await labeling.projects();
  return Promise.all(
    projects.map(async ({ name }) => {
      try {
        return { project: name, labelingProjects: await labeling.labelingProjects(name), error: null };
      } catch (error) {
        return { project: name, labelingProjects: [], error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

/** Done, in review and left of a labeling project, as a bar and in words. */
export function ProgressBar({ progress }: { progress: LabelingProgress }) {
  const { total, done, inReview, skipped } = progress;
  const share = (n: number): string => `${total === 0 ? 0 : (100 * n) / total}%`;
  return (
    <div className="progress" data-testid="progress">
      <div className="progress-bar" role="img" aria-label={`${done} of ${total} done`}>
        <span className="progress-done" style={{ width: share(done) }} />
        <span className="progress-review" style={{ width: share(inReview) }} />
        <span className="progress-skipped" style={{ width: share(skipped) }} />
      </div>
      <span className="progress-text">
        {done} / {total} done · {inReview} in review · {skipped} skipped · {progress.uncommitted} uncommitted
      </span>
    </div>
  );
}
