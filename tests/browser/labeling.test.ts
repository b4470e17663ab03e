import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Annotation } from '../../core/labels/annotation.ts';
import { errorsOf, openBrowserFixture, type BrowserFixture } from '../helpers/browser.ts';

const IMAGES = '/work/shared/data/images/raccoon_voc_subset/images';
const PHOTOS = ['raccoon-1.jpg', 'raccoon-10.jpg', 'raccoon-11.jpg'];
const PROJECT = 'default';
const DATASET = 'inspections';
const BRANCH = 'to-label';
const LABELING = 'defects';
const PRELABELED = 'prelabeled';
const PROPOSALS: Annotation[] = [
  { id: 'm1', kind: 'box', label: 'scratch', box: [20, 20, 60, 40], source: { type: 'model', model: 'detector-v3', confidence: 0.91 } },
  { id: 'm2', kind: 'box', label: 'dent', box: [100, 60, 50, 50], source: { type: 'model', model: 'detector-v3', confidence: 0.34 } },
];
const LABELER = 'lea';
const REVIEWER = 'rita';
const PASSWORD = 'correct horse battery staple';
const SCHEMA = {
  media: 'image',
  classes: [
    { name: 'ok', color: '#16a34a', hotkey: '1' },
    { name: 'scratch', color: '#f59e0b', hotkey: '2' },
    { name: 'dent', color: '#dc2626', hotkey: '3' },
  ],
  tools: ['box', 'polygon', 'class'],
};

const test = suite('labeling UI in a browser');
let f: BrowserFixture;
/** Original pixel size of each uploaded photo, by item path. */
const sizes = new Map<string, { width: number; height: number }>();

async function ok<T>(promise: Promise<{ data?: T; errors?: unknown[]; error?: unknown }>): Promise<T> {
  const result = await promise;
  if (result.errors || result.error || !result.data) throw new Error(`request failed: ${JSON.stringify(result)}`);
  return result.data;
}

/** A typed union result of the existing API: its Error members fail the test. */
function member<T>(value: T & { __typename?: string; message?: string }): T {
  if (value.__typename?.endsWith('Error')) throw new Error(`${value.__typename}: ${value.message}`);
  return value;
}

/** Runs a mutation of the existing API with one result-union field; fails on any error. */
async function typed(query: string, variables?: Record<string, unknown>): Promise<void> {
  const data = await ok<Record<string, { __typename?: string; message?: string }>>(f.server.gql(query, variables));
  for (const value of Object.values(data)) member(value);
}

test.before(async () => {
  f = await openBrowserFixture();
  const { server } = f;
  for (const user of [LABELER, REVIEWER])
    await typed(`mutation($n: String!, $p: String!) { createUser(name: $n, password: $p) { __typename ... on Error { message } } }`, { n: user, p: PASSWORD });
  await typed(`mutation { createDataset(project: "${PROJECT}", name: "${DATASET}") { __typename ... on Error { message } } }`);
  const changes = [];
  for (const [index, name] of PHOTOS.entries()) {
    const bytes = await readFile(join(IMAGES, name));
    const { width, height } = await sharp(bytes).metadata();
    const path = `photos/${name}`;
    sizes.set(path, { width: width!, height: height! });
    // The last photo has no size in its meta: the UI must find it from the image itself.
    changes.push({ path, blob: await server.upload(bytes), meta: index < 2 ? { width, height } : { camera: 'trail' } });
  }
  await typed(
    `mutation($changes: [ItemChangeInput!]!) { stageItems(project: "${PROJECT}", dataset: "${DATASET}", branch: "main", changes: $changes) { __typename ... on Error { message } } }`,
    { changes },
  );
  await typed(`mutation { commit(project: "${PROJECT}", dataset: "${DATASET}", branch: "main", message: "photos") { __typename ... on Error { message } } }`);
  await typed(`mutation { createBranch(project: "${PROJECT}", dataset: "${DATASET}", name: "${BRANCH}") { __typename ... on Error { message } } }`);
  // A second branch, of the first photo only, where a model has proposed two boxes.
  await typed(`mutation { createBranch(project: "${PROJECT}", dataset: "${DATASET}", name: "${PRELABELED}") { __typename ... on Error { message } } }`);
  const firstPhoto = changes[0]!;
  await typed(
    `mutation($changes: [ItemChangeInput!]!) { stageItems(project: "${PROJECT}", dataset: "${DATASET}", branch: "${PRELABELED}", changes: $changes) { __typename ... on Error { message } } }`,
    { changes: [{ ...firstPhoto, annotations: PROPOSALS }, ...changes.slice(1).map((c) => ({ path: c.path, delete: true }))] },
  );
  await typed(`mutation { commit(project: "${PROJECT}", dataset: "${DATASET}", branch: "${PRELABELED}", message: "pre-labels") { __typename ... on Error { message } } }`);
  for (const user of [LABELER, REVIEWER])
    await typed(
      `mutation { setMember(project: "${PROJECT}", user: "${user}", role: "labeler", branches: ["${DATASET}@${BRANCH}", "${DATASET}@${PRELABELED}"]) { __typename ... on Error { message } } }`,
    );
  await ok(
    server.gql(
      `mutation($schema: JSON!) { createLabelingProject(project: "${PROJECT}", name: "${LABELING}", dataset: "${DATASET}", branch: "${BRANCH}", schema: $schema,
        instructions: "Box scratches, outline dents, classify the rest") { id } }`,
      { schema: SCHEMA },
    ),
  );
  await ok(server.gql(`mutation { setLabelingMember(project: "${PROJECT}", labelingProject: "${LABELING}", user: "${LABELER}", role: "labeler") { user } }`));
  await ok(server.gql(`mutation { setLabelingMember(project: "${PROJECT}", labelingProject: "${LABELING}", user: "${REVIEWER}", role: "reviewer") { user } }`));
  await ok(server.gql(`mutation($schema: JSON!) { createLabelingProject(project: "${PROJECT}", name: "proposals", dataset: "${DATASET}", branch: "${PRELABELED}", schema: $schema) { id } }`, { schema: SCHEMA }));
  await ok(server.gql(`mutation { setLabelingMember(project: "${PROJECT}", labelingProject: "proposals", user: "${LABELER}", role: "labeler") { user } }`));
  await ok(server.gql(`mutation($schema: JSON!) { createLabelingProject(project: "${PROJECT}", name: "edits", dataset: "${DATASET}", branch: "${PRELABELED}", schema: $schema) { id } }`, { schema: SCHEMA }));
  await ok(server.gql(`mutation { setLabelingMember(project: "${PROJECT}", labelingProject: "edits", user: "${LABELER}", role: "labeler") { user } }`));
});

test.after(async () => {
  await f?.close();
});

/** The page point at fractions (fx, fy) of the shown image, and the original pixel it stands for. */
async function pointOn(page: Page, path: string, fx: number, fy: number): Promise<{ x: number; y: number; px: number; py: number }> {
  const rect = (await page.getByTestId('canvas-image').boundingBox())!;
  const size = sizes.get(path)!;
  return { x: rect.x + fx * rect.width, y: rect.y + fy * rect.height, px: fx * size.width, py: fy * size.height };
}

async function currentPath(page: Page): Promise<string> {
  return (await page.getByTestId('item-path').textContent())!.trim();
}

/** Waits until the item shown is no longer `previous`, and returns the new one. */
async function nextPath(page: Page, previous: string): Promise<string> {
  const exactly = new RegExp(`^\\s*${previous.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await page.getByTestId('item-path').filter({ hasNotText: exactly }).waitFor();
  return currentPath(page);
}

test('a labeler signs in, labels three photos with a box, a polygon and a hotkey class, submits and commits', async () => {
  const { page, context } = await f.signIn(LABELER, PASSWORD);
  const row = page.getByTestId(`labeling-project-${PROJECT}-${LABELING}`);
  await row.waitFor();
  assert.match((await row.getByTestId('progress').textContent()) ?? '', /0 \/ 3 done/);
  await row.getByTestId('open-label').click();
  await page.getByTestId('canvas-image').waitFor();
  const expected = new Map<string, (annotations: Annotation[]) => void>();

  // 1: a box of class "scratch" (hotkey 2), drawn by dragging, after zooming in (+) and
  // panning (Space-drag): the drawn box is still in the original image's pixels.
  const first = await currentPath(page);
  const fitted = (await page.getByTestId('canvas-image').boundingBox())!;
  await page.keyboard.press('+');
  const stage = (await page.getByTestId('canvas-stage').boundingBox())!;
  await page.keyboard.down('Space');
  await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2);
  await page.mouse.down();
  await page.mouse.move(stage.x + stage.width / 2 + 40, stage.y + stage.height / 2 + 20, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Space');
  const zoomed = (await page.getByTestId('canvas-image').boundingBox())!;
  assert.ok(Math.abs(zoomed.width / fitted.width - 1.25) < 0.01, `zoomed ${zoomed.width / fitted.width}×`);
  assert.ok(Math.abs(zoomed.x + zoomed.width / 2 - (fitted.x + fitted.width / 2) - 40) < 1, 'panned 40 px to the right');
  await page.keyboard.press('2');
  const from = await pointOn(page, first, 0.2, 0.25);
  const to = await pointOn(page, first, 0.65, 0.8);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
  await page.getByTestId('shape-box').waitFor();
  expected.set(first, (annotations) => {
    assert.is(annotations.length, 1);
    const box = annotations[0]!;
    assert.is(box.kind, 'box');
    assert.is(box.label, 'scratch');
    if (box.kind !== 'box') return;
    const tolerance = 2;
    const want = [from.px, from.py, to.px - from.px, to.py - from.py];
    box.box.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= tolerance, `box[${i}] = ${v}, dragged ${want[i]}`));
    assert.equal(box.source && { type: box.source.type, author: (box.source as { author?: string }).author }, { type: 'human', author: LABELER });
  });
  await page.keyboard.press('Enter');

  // 2: a polygon of class "dent" (hotkey 3), closed by clicking its first vertex again.
  const second = await nextPath(page, first);
  await page.keyboard.press('p');
  await page.keyboard.press('3');
  const corners = [await pointOn(page, second, 0.3, 0.3), await pointOn(page, second, 0.7, 0.35), await pointOn(page, second, 0.5, 0.75)];
  for (const corner of corners) await page.mouse.click(corner.x, corner.y);
  await page.mouse.click(corners[0]!.x + 1, corners[0]!.y + 1);
  await page.getByTestId('shape-polygon').waitFor();
  expected.set(second, (annotations) => {
    assert.is(annotations.length, 1);
    const polygon = annotations[0]!;
    assert.is(polygon.kind, 'polygon');
    assert.is(polygon.label, 'dent');
    if (polygon.kind !== 'polygon') return;
    assert.is(polygon.points.length, 3);
    polygon.points.forEach(([x, y], i) => {
      assert.ok(Math.abs(x - corners[i]!.px) <= 2 && Math.abs(y - corners[i]!.py) <= 2, `vertex ${i} at ${x},${y}, clicked ${corners[i]!.px},${corners[i]!.py}`);
    });
  });
  await page.getByTestId('submit').click();

  // 3: the whole photo is "ok": the classify tool (C) and hotkey 1. A box drawn and undone first.
  const third = await nextPath(page, second);
  await page.keyboard.press('b');
  const a = await pointOn(page, third, 0.1, 0.1);
  const b = await pointOn(page, third, 0.3, 0.3);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 3 });
  await page.mouse.up();
  await page.getByTestId('shape-box').waitFor();
  await page.keyboard.press('Control+z');
  await page.getByTestId('shape-box').waitFor({ state: 'detached' });
  await page.keyboard.press('Control+Shift+z');
  await page.getByTestId('shape-box').waitFor();
  await page.keyboard.press('Control+z');
  await page.getByTestId('shape-box').waitFor({ state: 'detached' });
  await page.keyboard.press('c');
  await page.keyboard.press('1');
  await page.getByTestId('class-ok').and(page.locator('[aria-pressed="true"]')).waitFor();
  expected.set(third, (annotations) => {
    assert.equal(
      annotations.map((x) => [x.kind, x.label]),
      [['class', 'ok']],
    );
  });
  await page.keyboard.press('Enter');
  await page.getByTestId('queue-empty').waitFor();
  // Every submission acknowledged, then the labeler commits and reads the new snapshot's hash.
  await page.locator('[data-testid="submit-status"][data-pending="0"][data-failed="0"]').waitFor();
  await page.getByTestId('commit').click();
  const snapshot = ((await page.getByTestId('commit-snapshot').textContent()) ?? '').trim();
  assert.match(snapshot, /^[0-9a-f]{64}$/);
  // The dataset browser shows that snapshot as the head of the labeled branch.
  await page.goto(`${f.server.url}/#/datasets/${PROJECT}/${DATASET}`);
  const shown = page.getByTestId(`branch-snapshot-${BRANCH}`);
  await shown.waitFor();
  assert.ok(((await shown.getAttribute('title')) ?? (await shown.textContent()) ?? '').includes(snapshot), 'the browser shows the committed snapshot');
  assert.equal(errorsOf(page), []);
  await context.close();

  // The committed snapshot holds exactly what was drawn.
  const data = await ok<any>(
    f.server.gql(`query($hash: String!) { snapshot(project: "${PROJECT}", hash: $hash) { __typename ... on Snapshot { items(first: 10) { edges { node { path annotations } } } } ... on Error { message } } }`, {
      hash: snapshot,
    }),
  );
  const items: { path: string; annotations: Annotation[] }[] = member(data.snapshot as any).items.edges.map((e: any) => e.node);
  assert.equal(items.map((item) => item.path).sort(), [...expected.keys()].sort());
  for (const item of items) expected.get(item.path)!(item.annotations);
  const branch = await ok<any>(f.server.gql(`query { labelingProject(project: "${PROJECT}", name: "${LABELING}") { progress { done uncommitted } } }`));
  assert.equal(branch.labelingProject.progress, { done: 3, uncommitted: 0 });
});

test('model proposals are dashed; A accepts one, R rejects the other; the submission survives network failures and records both decisions', async () => {
  const { page, context } = await f.signIn(LABELER, PASSWORD);
  await page.goto(`${f.server.url}/#/label/${PROJECT}/proposals`);
  await page.getByTestId('canvas-image').waitFor();
  const path = await currentPath(page);
  assert.is(path, 'photos/raccoon-1.jpg');
  assert.is(await page.locator('[data-testid="shape-box"][stroke-dasharray]').count(), 2);
  await page.keyboard.press('a');
  await page.locator('[data-testid="shape-box"][stroke-dasharray]').nth(1).waitFor({ state: 'detached' });
  assert.is(await page.getByTestId('shape-box').count(), 2);
  await page.keyboard.press('r');
  await page.locator('[data-testid="shape-box"]').nth(1).waitFor({ state: 'detached' });
  // The first two attempts to send the submission never reach the server, the third's answer
  // is lost on the way back: it is sent again with the same submissionId until acknowledged,
  // and applied once.
  let attempts = 0;
  await page.route('**/graphql', async (route) => {
    if (!/SubmitLabels/.test(route.request().postData() ?? '')) return route.fallback();
    attempts++;
    if (attempts <= 2) return route.abort('connectionreset');
    if (attempts === 3) {
      await route.fetch();
      return route.abort('connectionreset');
    }
    return route.fallback();
  });
  await page.keyboard.press('Enter');
  await page.getByTestId('submit-status').filter({ hasText: 'retrying' }).waitFor();
  await page.locator('[data-testid="submit-status"][data-pending="0"][data-failed="0"]').waitFor({ timeout: 20_000 });
  assert.is(attempts, 4);
  // Chromium logs the three failures it was made to see; nothing else went wrong.
  assert.equal(errorsOf(page).filter((e) => !/ERR_CONNECTION_RESET .*\/graphql\)$/.test(e)), []);
  assert.is(errorsOf(page).length, 3);
  await context.close();

  const history = await ok<any>(f.server.gql(`query { itemHistory(project: "${PROJECT}", dataset: "${DATASET}", path: "${path}") { action labelingProject user annotations } }`));
  // The same photo was labeled in the first project too: only this project's events count.
  const submits = history.itemHistory.filter((event: { action: string; labelingProject: string }) => event.action === 'submit' && event.labelingProject === 'proposals');
  assert.is(submits.length, 1);
  const submitted = submits[0];
  assert.is(submitted.user, LABELER);
  const decided = (submitted.annotations as Annotation[]).map((a) => ({ id: a.id, box: (a as { box?: unknown }).box, source: a.source, decision: a.review?.decision, by: a.review?.by }));
  assert.equal(decided, [
    { id: 'm1', box: [20, 20, 60, 40], source: PROPOSALS[0]!.source, decision: 'accepted', by: LABELER },
    { id: 'm2', box: [100, 60, 50, 50], source: PROPOSALS[1]!.source, decision: 'rejected', by: LABELER },
  ]);
});

test('a box is selected by a click, resized by its corner handle, moved by its body, deleted and brought back by undo', async () => {
  const { page, context } = await f.signIn(LABELER, PASSWORD);
  await page.goto(`${f.server.url}/#/label/${PROJECT}/edits`);
  await page.getByTestId('canvas-image').waitFor();
  const path = await currentPath(page);
  const drag = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
  };
  // The model's boxes (ids m1, m2) are on the photo too, as the proposals project left them.
  const mine = page.locator('[data-testid="shape-box"]:not([data-annotation-id^="m"])');
  const a = await pointOn(page, path, 0.5, 0.5);
  const b = await pointOn(page, path, 0.6, 0.6);
  await drag(a, b);
  await mine.waitFor();
  // A click (no drag) on the box selects it rather than drawing a new one.
  const inside = await pointOn(page, path, 0.55, 0.55);
  await page.mouse.click(inside.x, inside.y);
  await page.locator('.handle-se').waitFor();
  const corner = await pointOn(page, path, 0.7, 0.75);
  await drag(b, corner);
  const body = await pointOn(page, path, 0.6, 0.6);
  const moved = await pointOn(page, path, 0.5, 0.65);
  await drag(body, moved);
  const dx = moved.px - body.px;
  const dy = moved.py - body.py;
  const want = [a.px + dx, a.py + dy, corner.px - a.px, corner.py - a.py];
  await page.keyboard.press('Delete');
  await mine.waitFor({ state: 'detached' });
  await page.keyboard.press('Control+z');
  await mine.waitFor();
  assert.is(await mine.count(), 1);
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="submit-status"][data-pending="0"][data-failed="0"]').waitFor();
  assert.equal(errorsOf(page), []);
  await context.close();

  const history = await ok<any>(f.server.gql(`query { itemHistory(project: "${PROJECT}", dataset: "${DATASET}", path: "${path}") { action labelingProject annotations } }`));
  const submitted = history.itemHistory.find((e: { action: string; labelingProject: string }) => e.action === 'submit' && e.labelingProject === 'edits');
  const boxes = (submitted.annotations as Annotation[]).filter((x) => x.kind === 'box' && x.source?.type === 'human');
  assert.is(boxes.length, 1);
  const box = boxes[0]!;
  if (box.kind !== 'box') return;
  box.box.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 2, `box[${i}] = ${v}, expected ${want[i]}`));
  // The model's two proposals, untouched here, are submitted where they were.
  const proposals = (submitted.annotations as Annotation[]).filter((x) => x.source?.type === 'model');
  assert.equal(proposals.map((x) => [x.id, (x as { box?: unknown }).box]), PROPOSALS.map((x) => [x.id, (x as { box?: unknown }).box]));
});

test('signing in with a wrong password shows the refusal and no session', async () => {
  const context = await f.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${f.server.url}/`);
  await page.getByTestId('login-name').fill(LABELER);
  await page.getByTestId('login-password').fill('not the password at all');
  await page.getByTestId('login-submit').click();
  assert.match((await page.getByTestId('login-error').textContent()) ?? '', /Wrong name or password/);
  assert.is(await page.getByTestId('signed-in-user').count(), 0);
  await context.close();
});

test('a reload keeps the session: the CSRF token is recovered and state-changing requests still pass', async () => {
  const { page, context } = await f.signIn(LABELER, PASSWORD);
  await page.reload();
  await page.getByTestId('signed-in-user').filter({ hasText: LABELER }).waitFor();
  await page.getByTestId(`labeling-project-${PROJECT}-${LABELING}`).waitFor();
  // Sign-out is a DELETE with the cookie: refused without the recovered token, then the login page.
  await page.getByTestId('sign-out').click();
  await page.getByTestId('login-name').waitFor();
  const session = await page.evaluate(async () => (await fetch('/v1/session')).status);
  assert.is(session, 401);
  await context.close();
});

test.run();
