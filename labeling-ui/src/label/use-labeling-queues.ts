import { useEffect, useReducer, useState } from 'react';
import type { LabelSchema } from '../../../core/labels/label-schema.ts';
import { labeling } from '../api/labeling.ts';
import { SubmitQueue } from './submit-queue.ts';
import { TaskQueue } from './task-queue.ts';

/**
 * The task queue and the submission queue of one labeling project, alive while the view is:
 * leasing starts on mount, and the tasks loaded ahead are handed back on unmount. The
 * component re-renders whenever either queue changes.
 */
export function useLabelingQueues(project: string, labelingProject: string, media: LabelSchema['media']): { tasks: TaskQueue; submissions: SubmitQueue } {
  const [, changed] = useReducer((n: number) => n + 1, 0);
  const [queues] = useState(() => {
    const submissions = new SubmitQueue({ api: labeling, project, labelingProject, onChange: changed });
    const tasks = new TaskQueue({ api: labeling, project, labelingProject, media, heldElsewhere: () => submissions.heldPaths, onChange: changed });
    return { tasks, submissions };
  });
  useEffect(() => {
    queues.tasks.start();
    return () => queues.tasks.close();
  }, [queues]);
  return queues;
}
