import { useEffect, useRef } from 'react';
import type { ImageCanvasHandle } from './image-canvas.tsx';
import type { Tool } from './tool-bar.tsx';

export interface LabelingKeys {
  /** Off while the view shows no item or a form has the keyboard. */
  readonly enabled: boolean;
  /** The schema's class hotkeys: [key, class name]. */
  readonly hotkeys: readonly (readonly [string, string])[];
  readonly toolKeys: ReadonlyMap<string, Tool>;
  readonly canvas: () => ImageCanvasHandle | null;
  readonly onHotkey: (className: string) => void;
  readonly onTool: (tool: Tool) => void;
  readonly onUndo: () => void;
  readonly onRedo: () => void;
  readonly onSubmit: () => void;
  readonly onDelete: () => void;
  readonly onDeselect: () => void;
  readonly onAccept: () => void;
  readonly onReject: () => void;
}

/**
 * The labeling keyboard, in order of precedence: Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y redo;
 * the schema's class hotkeys; the canvas's keys (Enter or Escape while drawing, +, -, 0); then
 * Enter submits, Delete/Backspace deletes the selection, A/R accept or reject a model's
 * proposal, Escape deselects, and the tool keys switch tools. Keys typed into a field, and
 * Enter or Space on a button or link focused from the keyboard, keep their usual meaning.
 */
export function useLabelingKeys(keys: LabelingKeys): void {
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      const k = latest.current;
      if (!k.enabled || event.defaultPrevented || isTyping(event.target)) return;
      // A button reached with the keyboard answers Enter itself; one merely clicked keeps
      // focus without :focus-visible, and Enter then still submits.
      if ((event.key === 'Enter' || event.key === ' ') && isControl(event.target) && (event.target as HTMLElement).matches(':focus-visible')) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (event.ctrlKey || event.metaKey) {
        if (key === 'z' && !event.shiftKey) k.onUndo();
        else if ((key === 'z' && event.shiftKey) || key === 'y') k.onRedo();
        else return;
        event.preventDefault();
        return;
      }
      if (event.altKey) return;
      const hotkey = k.hotkeys.find(([h]) => h.toLowerCase() === key);
      if (hotkey) k.onHotkey(hotkey[1]);
      else if (k.canvas()?.handleKey(event)) void 0;
      else if (key === 'Enter') k.onSubmit();
      else if (key === 'Delete' || key === 'Backspace') k.onDelete();
      else if (key === 'Escape') k.onDeselect();
      else if (key === 'a') k.onAccept();
      else if (key === 'r') k.onReject();
      else if (k.toolKeys.has(key)) k.onTool(k.toolKeys.get(key)!);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function isControl(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && ['BUTTON', 'A', 'SUMMARY'].includes(target.tagName);
}
