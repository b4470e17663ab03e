import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Annotation } from '../../../core/labels/annotation.ts';
import type { LabelingProject, LabelingProgress } from '../api/labeling.ts';
import { labeling } from '../api/labeling.ts';
import { session } from '../api/session.ts';
import { ProgressBar } from '../projects/project-list.tsx';
import { hrefOf } from '../routing.ts';
import { SeriesRangeLabeler } from '../series/series-range-labeler.tsx';
import { TextSpanLabeler } from '../text/text-span-labeler.tsx';
import { classificationMode, toggleItemClass } from '../annotations/class-toggles.ts';
import type { Editor } from '../annotations/editor.ts';
import { acceptProposal, isPendingProposal, rejectProposal } from '../annotations/proposals.ts';
import { addBox, addKeypoints, addPolygon, relabel, removeAnnotation, updateAnnotation } from './annotation-edits.ts';
import { AnnotationList } from './annotation-list.tsx';
import { ClassPanel } from './class-panel.tsx';
import { CommitPanel } from './commit-panel.tsx';
import { pushHistory, redo, startHistory, undo, type History } from './history.ts';
import { ImageCanvas, type ImageCanvasHandle } from './image-canvas.tsx';
import { markItemShown, markSubmit } from './item-timing.ts';
import { SkipForm } from './skip-form.tsx';
import { SubmitStatus } from './submit-status.tsx';
import { ToolBar, defaultTool, toolKeys, type Tool } from './tool-bar.tsx';
import { useLabelingKeys } from './use-labeling-keys.ts';
import { useLabelingQueues } from './use-labeling-queues.ts';

/** How often, at most, progress is asked again while submissions are being acknowledged. */
const PROGRESS_REFRESH_MS = 2_000;

/**
 * The labeler's workspace: the current item with the tools of the project's schema, the class
 * list, the item's annotations (model proposals to accept or reject), and the queue. Submitting
 * shows the next item at once (it was leased and decoded in advance) while the submission goes
 * out in the background; undo and redo cover every edit of the current item.
 */
export function LabelingWorkspace({ project }: { project: LabelingProject }) {
  const { schema } = project;
  const { tasks, submissions } = useLabelingQueues(project.project, project.name, schema.media);
  const current = tasks.current;
  const [history, setHistory] = useState<History<Annotation[]>>(() => startHistory(current?.task.annotations ?? []));
  const [historyPath, setHistoryPath] = useState<string | null>(current?.task.path ?? null);
  const [tool, setTool] = useState<Tool>(() => defaultTool(schema));
  const [activeClass, setActiveClass] = useState<string | null>(schema.classes[0]?.name ?? null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [skipping, setSkipping] = useState(false);
  const [progress, setProgress] = useState<LabelingProgress>(project.progress);
  const canvas = useRef<ImageCanvasHandle>(null);
  const editor = useMemo<Editor>(() => ({ user: session.current?.user.name ?? 'unknown', now: () => new Date().toISOString() }), []);

  // A new current item starts a new history (during render, so its first frame is already right).
  const path = current?.task.path ?? null;
  if (path !== historyPath) {
    setHistoryPath(path);
    setHistory(startHistory(current?.task.annotations ?? []));
    setSelectedId(null);
    setSkipping(false);
  }
  const annotations = history.present;

  useLayoutEffect(() => {
    if (path !== null) markItemShown(path);
  }, [path]);

  // Progress follows acknowledged submissions (the pending count going down), at most every
  // PROGRESS_REFRESH_MS; the project came with it, so opening asks nothing more.
  const pendingCount = submissions.pending.length;
  const previousPending = useRef(pendingCount);
  const lastRefresh = useRef(0);
  const refreshProgress = useCallback(() => {
    lastRefresh.current = Date.now();
    labeling.progress(project.project, project.name).then(setProgress, () => undefined);
  }, [project.project, project.name]);
  useEffect(() => {
    const acknowledged = pendingCount < previousPending.current;
    previousPending.current = pendingCount;
    if (!acknowledged) return undefined;
    const wait = lastRefresh.current + PROGRESS_REFRESH_MS - Date.now();
    if (wait <= 0) {
      refreshProgress();
      return undefined;
    }
    const timer = setTimeout(refreshProgress, wait);
    return () => clearTimeout(timer);
  }, [pendingCount, refreshProgress]);

  const edit = (change: (list: Annotation[]) => Annotation[]): void => setHistory((h) => pushHistory(h, change(h.present)));

  const submit = (): void => {
    if (!current) return;
    markSubmit();
    submissions.submit(current.task.path, annotations);
    tasks.advance();
  };
  const skip = (reason: string): void => {
    if (!current) return;
    markSubmit();
    submissions.skip(current.task.path, reason);
    tasks.advance();
  };
  const pendingProposal = (): Annotation | undefined => {
    const selected = annotations.find((a) => a.id === selectedId);
    return selected && isPendingProposal(selected) ? selected : annotations.find(isPendingProposal);
  };
  const decide = (id: string, accept: boolean): void => {
    edit((list) => (accept ? acceptProposal(list, id, editor) : rejectProposal(list, id, editor)));
    setSelectedId(null);
  };
  const pickClass = (name: string): void => {
    const mode = classificationMode(schema);
    if (tool === 'classify' && mode !== null) {
      edit((list) => toggleItemClass(list, name, mode, editor));
      return;
    }
    setActiveClass(name);
    if (selectedId) edit((list) => relabel(list, selectedId, name, editor));
  };

  useLabelingKeys({
    enabled: current !== null && !skipping,
    hotkeys: schema.classes.flatMap((c) => (c.hotkey ? [[c.hotkey, c.name] as const] : [])),
    toolKeys: toolKeys(schema),
    canvas: () => canvas.current,
    onHotkey: pickClass,
    onTool: setTool,
    onUndo: () => setHistory(undo),
    onRedo: () => setHistory(redo),
    onSubmit: submit,
    onDelete: () => {
      if (selectedId) edit((list) => removeAnnotation(list, selectedId));
      setSelectedId(null);
    },
    onDeselect: () => setSelectedId(null),
    onAccept: () => {
      const proposal = pendingProposal();
      if (proposal) decide(proposal.id, true);
    },
    onReject: () => {
      const proposal = pendingProposal();
      if (proposal) decide(proposal.id, false);
    },
  });

  const content = current?.content;
  const mediaTool = tool === 'classify' || tool === 'select' ? 'select' : tool;
  return (
    <main
      className="workspace"
      data-testid="labeling-workspace"
      data-ready={tasks.readyCount}
      // A clicked button does not keep the focus: the labeling keys (Enter above all) stay the
      // view's. Buttons reached with Tab keep it and answer Enter themselves.
      onMouseDown={(event) => {
        if (event.target instanceof Element && event.target.closest('button')) event.preventDefault();
      }}
    >
      <header className="workspace-head">
        <a href={hrefOf({ page: 'projects' })}>Projects</a>
        <h1>{project.name}</h1>
        <span className="muted">
          {project.dataset}@{project.branch}
        </span>
        <ProgressBar progress={progress} />
        <SubmitStatus submissions={submissions} />
      </header>
      <div className="workspace-body">
        <aside className="workspace-side" aria-label="Classes and tools">
          <ToolBar schema={schema} tool={tool} onTool={setTool} onFit={() => canvas.current?.fit()} onZoom={(f) => canvas.current?.zoom(f)} />
          <ClassPanel
            schema={schema}
            tool={tool}
            activeClass={activeClass}
            annotations={annotations}
            onPick={pickClass}
          />
          {project.instructions && (
            <details className="instructions">
              <summary>Instructions</summary>
              <p>{project.instructions}</p>
            </details>
          )}
        </aside>
        <section className="workspace-main" aria-label="Item">
          {!current && <QueueState tasks={tasks} />}
          {current && (
            <>
              <div className="item-bar">
                <span className="item-path" data-testid="item-path">
                  {current.task.path}
                </span>
                <button onClick={() => setHistory(undo)} disabled={history.past.length === 0} aria-label="Undo (Ctrl+Z)" title="Undo (Ctrl+Z)">
                  Undo
                </button>
                <button onClick={() => setHistory(redo)} disabled={history.future.length === 0} aria-label="Redo (Ctrl+Shift+Z)" title="Redo (Ctrl+Shift+Z)">
                  Redo
                </button>
                <button onClick={() => setSkipping(true)} data-testid="skip">
                  Skip…
                </button>
                <button className="primary" onClick={submit} data-testid="submit" title="Submit (Enter)">
                  Submit ⏎
                </button>
              </div>
              {skipping && <SkipForm onSkip={skip} onCancel={() => setSkipping(false)} />}
              {content?.kind === 'image' && (
                <ImageCanvas
                  ref={canvas}
                  image={content.image}
                  width={content.width}
                  height={content.height}
                  schema={schema}
                  annotations={annotations}
                  tool={mediaTool}
                  selectedId={selectedId}
                  onSelect={setSelectedId}
                  onAddBox={(box) => activeClass && edit((list) => addBox(list, activeClass, box))}
                  onAddPolygon={(points) => activeClass && edit((list) => addPolygon(list, activeClass, points))}
                  onAddKeypoints={(points) =>
                    activeClass && edit((list) => addKeypoints(list, activeClass, points, schema.keypoints?.names.length ?? points.length))
                  }
                  onUpdate={(id, next) => edit((list) => updateAnnotation(list, id, () => next, editor))}
                />
              )}
              {content?.kind === 'text' && (
                <TextSpanLabeler text={content.text} schema={schema} annotations={annotations} editor={editor} activeClass={activeClass} onChange={(next) => edit(() => next)} />
              )}
              {content?.kind === 'series' && (
                <SeriesRangeLabeler csv={content.csv} schema={schema} annotations={annotations} editor={editor} activeClass={activeClass} onChange={(next) => edit(() => next)} />
              )}
              {content?.kind === 'error' && (
                <p role="alert" className="error">
                  {content.message}
                </p>
              )}
            </>
          )}
        </section>
        <aside className="workspace-side" aria-label="Annotations and commit">
          <AnnotationList
            schema={schema}
            annotations={annotations}
            selectedId={selectedId}
            onSelect={setSelectedId}
            onDelete={(id) => edit((list) => removeAnnotation(list, id))}
            onDecide={decide}
          />
          {project.myRole !== null && <CommitPanel project={project} submissions={submissions} onCommitted={refreshProgress} />}
        </aside>
      </div>
    </main>
  );
}

function QueueState({ tasks }: { tasks: ReturnType<typeof useLabelingQueues>['tasks'] }) {
  if (tasks.error)
    return (
      <p role="alert" className="error" data-testid="queue-error">
        Cannot get the next items: {tasks.error} <button onClick={() => tasks.retry()}>Try again</button>
      </p>
    );
  if (tasks.empty)
    return (
      <p className="status" data-testid="queue-empty">
        No more items to label right now. <button onClick={() => tasks.retry()}>Check again</button>
      </p>
    );
  return (
    <p className="status" role="status" data-testid="queue-loading">
      Loading the next item…
    </p>
  );
}
