import { labeling } from '../api/labeling.ts';
import { hrefOf } from '../routing.ts';
import { useAsync } from '../use-async.ts';
import { LabelingWorkspace } from './labeling-workspace.tsx';

/** The labeling page of one labeling project: loads the project, then the workspace. */
export function LabelingView({ project, labelingProject }: { project: string; labelingProject: string }) {
  const [state, reload] = useAsync(() => labeling.labelingProject(project, labelingProject), [project, labelingProject]);
  if (state.status === 'loading') return <p className="status" role="status">Opening {labelingProject}…</p>;
  if (state.status === 'error')
    return (
      <p role="alert" className="error">
        Cannot open {labelingProject}: {state.message} <button onClick={reload}>Try again</button> <a href={hrefOf({ page: 'projects' })}>Back</a>
      </p>
    );
  return <LabelingWorkspace project={state.value} />;
}
