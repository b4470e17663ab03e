import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { errorsOf, openBrowserFixture, type BrowserFixture } from '../helpers/browser.ts';
import type { As, TestServer } from '../helpers/test-server.ts';

// The review page, the dataset browser and the text and time-series labelers, driven in
// headless Chromium against the real server: a reviewer rejects one item and accepts another,
// the browser shows the committed snapshot, an item's history and a diff, a text span and a
// series range are labeled with the mouse, and a labeler of one project is refused another's.

const PASSWORD = 'correct horse battery staple';
const PHOTOS = new URL('../../../shared/data/images/raccoon_voc_subset/images/', import.meta.url);
const NOTE = 'Meeting notes: Alice met Bob in Paris.';
const SERIES_CSV = 'x,value\n' + Array.from({ length: 100 }, (_, i) => `${i},${Math.round(100 * Math.sin(i / 8)) / 100}`).join('\n') + '\n';

const IMAGE_SCHEMA = { media: 'image', classes: [{ name: 'raccoon', color: '#d62728', hotkey: '1' }, { name: 'dog', color: '#1f77b4', hotkey: '2' }], tools: ['box'] };
const TEXT_SCHEMA = { media: 'text', classes: [{ name: 'person', color: '#2ca02c', hotkey: '1' }, { name: 'place', color: '#9467bd', hotkey: '2' }], tools: ['span'] };
const SERIES_SCHEMA = { media: 'timeseries', classes: [{ name: 'spike', color: '#ff7f0e', hotkey: '1' }, { name: 'flat', color: '#17becf', hotkey: '2' }], tools: ['range'] };

/** Each labeler's box per photo: far enough apart that agreement falls below the threshold. */
const BOXES: Record<string, Record<string, [number, number, number, number]>> = {
  lab1: { 'photos/raccoon-1.jpg': [80, 88, 440, 317], 'photos/raccoon-2.jpg': [20, 30, 200, 150] },
  lab2: { 'photos/raccoon-1.jpg': [300, 50, 120, 90], 'photos/raccoon-2.jpg': [150, 100, 80, 60] },
};

let fixture: BrowserFixture;
let api: TestServer;
const tokens: Record<string, string> = {};
let ingestCommit = '';
/** Set by the review test: the photo the reviewer accepted and the one rejected. */
let acceptedPath = '';
let rejectedPath = '';

/** Runs a GraphQL operation; fails the test on any error. */
async function ok<T = any>(query: string, variables: Record<string, unknown> = {}, as: As = {}): Promise<T> {
  const result = await api.gql<T>(query, variables, as);
  assert.ok(result.data && !result.errors && !result.error, `${query.slice(0, 80)}: ${JSON.stringify(result)}`);
  const union = Object.values(result.data as object)[0] as { __typename?: string; message?: string } | null;
  assert.ok(!union?.__typename?.endsWith('Error'), `${query.slice(0, 80)}: ${JSON.stringify(union)}`);
  return result.data as T;
}

const as = (user: string): As => ({ token: tokens[user]! });

async function addUser(name: string, memberships: { project: string; role: string; branches?: string[] }[]): Promise<void> {
  await ok(`mutation($name: String!, $password: String) { createUser(name: $name, password: $password) { __typename ... on Error { code message } } }`, { name, password: PASSWORD });
  for (const m of memberships)
    await ok(
      `mutation($project: String!, $user: String!, $role: String!, $branches: [String!]) {
        setMember(project: $project, user: $user, role: $role, branches: $branches) { __typename ... on Error { code message } } }`,
      { project: m.project, user: name, role: m.role, branches: m.branches ?? null },
    );
  const created = await ok(
    `mutation($user: String!) { createToken(name: "browser test", scopes: ["read", "write"], user: $user) { __typename ... on CreatedToken { token } ... on Error { code message } } }`,
    { user: name },
  );
  tokens[name] = created.createToken.token;
}

/** A dataset with one commit of the given files; returns the commit id. */
async function addDataset(project: string, dataset: string, files: { path: string; bytes: Uint8Array | string }[]): Promise<string> {
  await ok(`mutation($p: String!, $d: String!) { createDataset(project: $p, name: $d) { __typename ... on Error { code message } } }`, { p: project, d: dataset });
  const changes = [];
  for (const file of files) changes.push({ path: file.path, blob: await api.upload(file.bytes, { project }), meta: {} });
  await ok(
    `mutation($p: String!, $d: String!, $changes: [ItemChangeInput!]!) { stageItems(project: $p, dataset: $d, branch: "main", changes: $changes) { __typename ... on Error { code message } } }`,
    { p: project, d: dataset, changes },
  );
  const data = await ok(
    `mutation($p: String!, $d: String!) { commit(project: $p, dataset: $d, branch: "main", message: "ingest") { __typename ... on CommitResult { commit { id } } ... on Error { code message } } }`,
    { p: project, d: dataset },
  );
  return data.commit.commit.id;
}

async function addLabelingProject(project: string, name: string, dataset: string, schema: object, extra: Record<string, unknown> = {}): Promise<void> {
  await ok(
    `mutation($project: String!, $name: String!, $dataset: String!, $schema: JSON!, $overlap: Int, $overlapFraction: Float, $reviewThreshold: Float) {
      createLabelingProject(project: $project, name: $name, dataset: $dataset, branch: "main", schema: $schema, overlap: $overlap,
        overlapFraction: $overlapFraction, reviewThreshold: $reviewThreshold) { id } }`,
    { project, name, dataset, schema, overlap: null, overlapFraction: null, reviewThreshold: null, ...extra },
  );
}

async function addLabelingMember(project: string, labelingProject: string, user: string, role: string): Promise<void> {
  await ok(
    `mutation($project: String!, $lp: String!, $user: String!, $role: String!) { setLabelingMember(project: $project, labelingProject: $lp, user: $user, role: $role) { user } }`,
    { project, lp: labelingProject, user, role },
  );
}

async function itemHistory(project: string, dataset: string, path: string, user = 'mgr') {
  const data = await ok(
    `query($p: String!, $d: String!, $path: String!) { itemHistory(project: $p, dataset: $d, path: $path) { action user comment commit snapshot labelingProject } }`,
    { p: project, d: dataset, path },
    as(user),
  );
  return data.itemHistory as { action: string; user: string; comment: string | null; commit: string | null; snapshot: string | null }[];
}

async function itemOnMain(project: string, dataset: string, path: string) {
  const data = await ok(
    `query($p: String!, $d: String!, $path: String!) { dataset(project: $p, name: $d) { __typename ... on Dataset { item(path: $path, ref: "main") { annotations } } ... on Error { code message } } }`,
    { p: project, d: dataset, path },
    as('mgr'),
  );
  return data.dataset.item.annotations as any[] | null;
}

/** Polls `read` until `done` holds, for work the page sends in the background. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    assert.ok(Date.now() < deadline, `${what}: still ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

/** The page's errors, leaving out the console's note on each refused request the test provokes. */
function unexpectedErrors(page: Page): string[] {
  return errorsOf(page).filter((e) => !/Failed to load resource: the server responded with a status of 40[34]/.test(e));
}

/** The screen rectangle of `word` inside the element with `testId`, found through a DOM Range. */
async function wordBox(page: Page, testId: string, word: string): Promise<{ x: number; y: number; width: number; height: number }> {
  // Runs in the page; typed loosely because the tests are compiled without the DOM library.
  const box = await page.evaluate(
    ({ testId, word }) => {
      const doc = (globalThis as any).document;
      const root = doc.querySelector(`[data-testid="${testId}"]`);
      const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(word);
        if (at < 0) continue;
        const range = doc.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        const r = range.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }
      return null;
    },
    { testId, word },
  );
  assert.ok(box, `"${word}" is not shown in ${testId}`);
  return box!;
}

const test = suite('review, dataset browser, text and series labelers in Chromium');

test.before(async () => {
  fixture = await openBrowserFixture();
  api = fixture.server;
  for (const project of ['alpha', 'beta'])
    await ok(`mutation($name: String!) { createProject(name: $name) { __typename ... on Error { code message } } }`, { name: project });
  await addUser('mgr', [{ project: 'alpha', role: 'maintainer' }]);
  await addUser('lab1', [{ project: 'alpha', role: 'labeler', branches: ['photos@main', 'notes@main', 'signals@main'] }]);
  await addUser('lab2', [{ project: 'alpha', role: 'labeler', branches: ['photos@main'] }]);
  await addUser('rev', [{ project: 'alpha', role: 'labeler', branches: ['photos@main'] }]);
  await addUser('boss', [{ project: 'beta', role: 'maintainer' }]);

  const photo = async (name: string) => new Uint8Array(await readFile(new URL(name, PHOTOS)));
  ingestCommit = await addDataset('alpha', 'photos', [
    { path: 'photos/raccoon-1.jpg', bytes: await photo('raccoon-1.jpg') },
    { path: 'photos/raccoon-2.jpg', bytes: await photo('raccoon-2.jpg') },
  ]);
  await addDataset('alpha', 'notes', [{ path: 'notes/meeting.txt', bytes: NOTE }]);
  await addDataset('alpha', 'signals', [{ path: 'signals/sensor.csv', bytes: SERIES_CSV }]);
  await addDataset('beta', 'secret', [{ path: 'classified/beta-only.jpg', bytes: await photo('raccoon-3.jpg') }]);

  // Every photo goes to two labelers; boxes this far apart always land in review.
  await addLabelingProject('alpha', 'boxes', 'photos', IMAGE_SCHEMA, { overlap: 2, overlapFraction: 1, reviewThreshold: 0.95 });
  await addLabelingProject('alpha', 'spans', 'notes', TEXT_SCHEMA);
  await addLabelingProject('alpha', 'ranges', 'signals', SERIES_SCHEMA);
  await addLabelingProject('beta', 'hidden', 'secret', IMAGE_SCHEMA);
  for (const user of ['lab1', 'lab2']) await addLabelingMember('alpha', 'boxes', user, 'labeler');
  await addLabelingMember('alpha', 'boxes', 'rev', 'reviewer');
  await addLabelingMember('alpha', 'spans', 'lab1', 'labeler');
  await addLabelingMember('alpha', 'ranges', 'lab1', 'labeler');

  for (const user of ['lab1', 'lab2']) {
    const { nextTasks } = await ok(
      `mutation { nextTasks(project: "alpha", labelingProject: "boxes", count: 2) { path } }`,
      {},
      as(user),
    );
    assert.equal(nextTasks.map((t: { path: string }) => t.path).sort(), Object.keys(BOXES[user]!).sort(), `${user} is served both photos`);
    for (const { path } of nextTasks)
      await ok(
        `mutation($path: String!, $annotations: JSON!, $id: String!) {
          submitLabels(project: "alpha", labelingProject: "boxes", path: $path, annotations: $annotations, submissionId: $id) { status } }`,
        { path, id: `${user}-${path}`, annotations: [{ id: 'a1', kind: 'box', label: 'raccoon', box: BOXES[user]![path] }] },
        as(user),
      );
  }
});

test.after(async () => {
  await fixture?.close();
});

test('a reviewer rejects one item with a comment and accepts another, picking a submission', async () => {
  const queue = await ok(`query { reviewQueue(project: "alpha", labelingProject: "boxes") { path agreement } }`, {}, as('rev'));
  assert.is(queue.reviewQueue.length, 2, 'both photos wait for review');
  const [first, second] = queue.reviewQueue.map((t: { path: string }) => t.path) as [string, string];
  [rejectedPath, acceptedPath] = [first, second];

  const { page, context } = await fixture.signIn('rev', PASSWORD);
  try {
    await page.goto(`${api.url}/#/review/alpha/boxes`);
    const item = page.getByTestId('review-item');
    await item.waitFor();
    assert.is(await item.getAttribute('data-path'), first, 'lowest agreement first');
    // Each labeler's box is drawn over the photo in its own colour.
    await page.getByTestId('review-overlay').waitFor();
    assert.is(await page.locator('[data-testid="overlay-0"] rect').count(), 1);
    assert.is(await page.locator('[data-testid="overlay-1"] rect').count(), 1);
    assert.is.not(await page.locator('[data-testid="overlay-0"] rect').getAttribute('stroke'), await page.locator('[data-testid="overlay-1"] rect').getAttribute('stroke'));
    assert.match(await page.getByTestId('review-agreement').innerText(), /^\d\.\d\d$/);

    // R without a comment sends nothing: a rejection needs one.
    await page.keyboard.press('r');
    await page.getByTestId('review-problem').waitFor();
    assert.is(await item.getAttribute('data-path'), first);
    await page.getByTestId('review-comment').fill('The box misses half of the raccoon.');
    await page.getByTestId('review-reject').click();
    await page.locator(`[data-testid="review-item"][data-path="${second}"]`).waitFor();
    await page.getByTestId('review-status').filter({ hasText: `Rejected ${first}` }).waitFor();

    // Take lab2's submission as the result (consensus alone would take the first, lab1's), with the A key.
    await page.locator('[data-testid^="review-submission-"][data-user="lab2"] input[type="radio"]').check();
    await page.keyboard.press('a');
    await page.getByTestId('review-status').filter({ hasText: `Accepted ${second}` }).waitFor();
    await page.getByTestId('review-empty').waitFor();
    assert.equal(unexpectedErrors(page), []);
  } finally {
    await context.close();
  }

  const rejected = await itemHistory('alpha', 'photos', first);
  assert.is(rejected[0]!.action, 'review.reject');
  assert.is(rejected[0]!.user, 'rev');
  assert.is(rejected[0]!.comment, 'The box misses half of the raccoon.');
  const accepted = await itemHistory('alpha', 'photos', second);
  assert.is(accepted[0]!.action, 'review.accept');
  assert.is(accepted[0]!.user, 'rev');
  const staged = await itemOnMain('alpha', 'photos', second);
  assert.equal(
    staged?.map((a) => [a.kind, a.label, a.box]),
    [['box', 'raccoon', BOXES.lab2![second]]],
    "the accepted item holds lab2's box, the one picked",
  );
  assert.is(await itemOnMain('alpha', 'photos', first), null, 'the rejected item stays unlabeled');
  const left = await ok(`query { reviewQueue(project: "alpha", labelingProject: "boxes") { path } }`, {}, as('rev'));
  assert.equal(left.reviewQueue, []);
});

test('the dataset browser shows the committed snapshot, an item history naming the labeler, and a diff', async () => {
  const { commitLabels } = await ok(`mutation { commitLabels(project: "alpha", labelingProject: "boxes", message: "reviewed boxes") { commit snapshot items } }`, {}, as('mgr'));
  assert.ok(commitLabels, 'the accepted labels were staged');
  const accepted = acceptedPath;
  assert.ok(accepted && rejectedPath, 'the review test ran first');
  const history = await itemHistory('alpha', 'photos', accepted);
  assert.ok(history.some((e) => e.snapshot === commitLabels.snapshot), `the history names the commit's snapshot: ${JSON.stringify(history)}`);

  const { page, context } = await fixture.signIn('mgr', PASSWORD);
  try {
    await page.goto(`${api.url}/#/datasets/alpha`);
    await page.getByTestId('dataset-link-photos').click();
    const snapshot = page.getByTestId('branch-snapshot-main');
    await snapshot.waitFor();
    assert.is((await snapshot.innerText()).trim(), commitLabels.snapshot);

    // The commit's items, as thumbnails; one opens with its history.
    const labelCommit = page.locator(`[data-testid="commit-row"][data-commit="${commitLabels.commit}"]`);
    await labelCommit.getByTestId('commit-items').click();
    const grid = page.getByTestId('items-grid');
    await grid.locator('[data-testid="item-card"]').first().waitFor();
    assert.is(await grid.locator('[data-testid="item-card"]').count(), 2);
    assert.is(await grid.locator('img.thumbnail[src*="/preview?width=256"]').count(), 2);
    await grid.locator(`[data-testid="item-card"][data-path="${accepted}"] button`).click();
    const panel = page.getByTestId('item-panel');
    await panel.getByTestId('item-history').waitFor();
    await panel.locator('[data-testid="history-event"][data-action="submit"][data-user="lab1"]').waitFor();
    await panel.locator('[data-testid="history-event"][data-action="review.accept"][data-user="rev"]').waitFor();
    assert.ok(
      await panel.locator(`[data-testid="history-snapshot"][data-full="${commitLabels.snapshot}"]`).count() > 0,
      'the history shows the snapshot that took the labels in',
    );
    await panel.locator('[data-testid="history-event"][data-action="submit"][data-user="lab2"]').waitFor();
    assert.match(await panel.getByTestId('item-annotations').innerText(), /box raccoon .*by lab2/);

    // The diff from the ingest commit to the label commit lists the accepted item alone.
    await page.getByTestId('compare-from').selectOption(ingestCommit);
    await page.getByTestId('compare-to').selectOption(commitLabels.commit);
    await page.getByTestId('compare-button').click();
    const entry = page.locator(`[data-testid="diff-entry"][data-path="${accepted}"]`);
    await entry.waitFor();
    assert.is(await entry.getAttribute('data-kind'), 'MODIFIED');
    assert.is(await page.getByTestId('diff-entry').count(), 1);
    assert.match(await entry.getByTestId('annotation-changes').innerText(), /\+ box raccoon/);
    assert.equal(unexpectedErrors(page), []);
  } finally {
    await context.close();
  }
});

test('a text item is labeled with spans selected by mouse; a clicked span is deleted with Delete', async () => {
  const { page, context } = await fixture.signIn('lab1', PASSWORD);
  const select = async (word: string) => {
    const box = await wordBox(page, 'text-content', word);
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    await page.locator('[data-testid="span-item"]').filter({ hasText: word }).waitFor();
  };
  try {
    await page.goto(`${api.url}/#/label/alpha/spans`);
    await page.getByTestId('text-content').waitFor();
    await page.keyboard.press('1'); // the hotkey of "person"
    await select('Alice');
    await page.getByTestId('class-place').click();
    await select('Paris');
    assert.is(await page.getByTestId('span-item').count(), 2);
    // A click on Alice's highlight selects it; Delete removes that span alone.
    await page.locator('[data-testid="text-content"] mark').filter({ hasText: 'Alice' }).click();
    await page.locator('[data-testid="span-item"][aria-selected="true"]').filter({ hasText: 'Alice' }).waitFor();
    await page.keyboard.press('Delete');
    await page.locator('[data-testid="span-item"]').filter({ hasText: 'Alice' }).waitFor({ state: 'detached' });
    assert.is(await page.getByTestId('span-item').count(), 1);
    await page.getByTestId('submit').click();
    const annotations = await until(() => itemOnMain('alpha', 'notes', 'notes/meeting.txt'), (a) => a !== null, 'the span is staged');
    const start = NOTE.indexOf('Paris');
    assert.equal(
      annotations!.map((a) => [a.kind, a.label, a.start, a.end]),
      [['span', 'place', start, start + 'Paris'.length]],
    );
    assert.equal(unexpectedErrors(page), []);
  } finally {
    await context.close();
  }
});

test('a time series is labeled with a range dragged across the plot; a clicked range is deleted with Delete', async () => {
  const { page, context } = await fixture.signIn('lab1', PASSWORD);
  try {
    await page.goto(`${api.url}/#/label/alpha/ranges`);
    const plot = page.getByTestId('series-plot-input');
    await plot.waitFor();
    const box = (await plot.boundingBox())!;
    const middle = box.y + box.height / 2;
    const drag = async (from: number, to: number) => {
      await page.mouse.move(box.x + box.width * from, middle);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * to, middle, { steps: 10 });
      await page.mouse.up();
    };
    // A first range, picked by a click inside it and deleted.
    await drag(0.7, 0.9);
    await page.getByTestId('range-item').waitFor();
    await page.mouse.click(box.x + box.width * 0.1, middle);
    await page.locator('[data-testid="range-item"][aria-selected="true"]').waitFor({ state: 'detached' });
    await page.mouse.click(box.x + box.width * 0.8, middle);
    await page.locator('[data-testid="range-item"][aria-selected="true"]').waitFor();
    await page.keyboard.press('Delete');
    await page.getByTestId('range-item').waitFor({ state: 'detached' });

    // The plot area spans x from 0 to 99: a drag from a quarter to a half of its width.
    await drag(0.25, 0.5);
    await page.getByTestId('range-item').waitFor();
    await page.getByTestId('submit').click();
    const annotations = await until(() => itemOnMain('alpha', 'signals', 'signals/sensor.csv'), (a) => a !== null, 'the range is staged');
    assert.is(annotations!.length, 1);
    const range = annotations![0];
    assert.is(range.kind, 'range');
    assert.is(range.label, 'spike');
    // Both ends snap to samples (whole x values here) near where the drag began and ended.
    assert.ok(Number.isInteger(range.start) && Number.isInteger(range.end), JSON.stringify(range));
    assert.ok(Math.abs(range.start - 0.25 * 99) <= 1.5, JSON.stringify(range));
    assert.ok(Math.abs(range.end - 0.5 * 99) <= 1.5, JSON.stringify(range));
    assert.equal(unexpectedErrors(page), []);
  } finally {
    await context.close();
  }
});

test("a labeler of alpha is refused beta's labeling project, review queue and datasets, and sees none of its items", async () => {
  const { page, context } = await fixture.signIn('lab1', PASSWORD);
  const answers: { query: string; body: any }[] = [];
  page.on('response', async (response) => {
    if (!response.url().endsWith('/graphql')) return;
    const query = (JSON.parse(response.request().postData() ?? '{}') as { query?: string }).query ?? '';
    answers.push({ query, body: await response.json().catch(() => null) });
  });
  try {
    await page.goto(`${api.url}/#/label/alpha/spans`);
    await page.getByTestId('labeling-workspace').waitFor();

    await page.goto(`${api.url}/#/label/beta/hidden`);
    await page.getByRole('alert').first().waitFor();
    await page.goto(`${api.url}/#/review/beta/hidden`);
    assert.is(await page.getByTestId('review-failure').getAttribute('data-code'), 'FORBIDDEN');
    await page.goto(`${api.url}/#/datasets/beta`);
    assert.is(await page.getByTestId('datasets-failure').getAttribute('data-code'), 'FORBIDDEN');
    await page.goto(`${api.url}/#/datasets/beta/secret`);
    assert.is(await page.getByTestId('dataset-failure').getAttribute('data-code'), 'FORBIDDEN');
    assert.not.match(await page.locator('body').innerText(), /beta-only|classified\//);

    // Every answer about beta the page received was a refusal with no data of beta in it.
    const aboutBeta = answers.filter((a) => a.query.length > 0 && JSON.stringify(a.body).includes('FORBIDDEN'));
    assert.ok(aboutBeta.length >= 4, `refusals seen: ${aboutBeta.length}`);
    for (const answer of answers) assert.not.match(JSON.stringify(answer.body), /beta-only|classified\//);
  } finally {
    await context.close();
  }

  const code = async (query: string) => {
    const result = await api.gql(query, {}, as('lab1'));
    const union = result.data && (Object.values(result.data as object)[0] as { __typename?: string; code?: string } | null);
    return result.errors?.[0]?.extensions?.code ?? (union?.__typename?.endsWith('Error') ? union.code : `answered ${JSON.stringify(result)}`);
  };
  assert.is(await code(`query { labelingProject(project: "beta", name: "hidden") { name } }`), 'FORBIDDEN');
  assert.is(await code(`mutation { nextTasks(project: "beta", labelingProject: "hidden", count: 1) { path } }`), 'FORBIDDEN');
  assert.is(await code(`query { reviewQueue(project: "beta", labelingProject: "hidden") { path } }`), 'FORBIDDEN');
  assert.is(await code(`query { itemHistory(project: "beta", dataset: "secret", path: "classified/beta-only.jpg") { action } }`), 'FORBIDDEN');
  assert.is(await code(`query { dataset(project: "beta", name: "secret") { __typename ... on Error { code } ... on Dataset { name } } }`), 'FORBIDDEN');
  assert.is(await code(`query { project(name: "beta") { __typename ... on Error { code } ... on Project { name } } }`), 'FORBIDDEN');
  assert.is(await code(`query { diff(project: "beta", from: "secret@main", to: "secret@main") { edges { node { path } } } }`), 'FORBIDDEN');
  const { labelingProjects } = await ok(`query { labelingProjects(project: "alpha") { name } }`, {}, as('lab1'));
  assert.equal(labelingProjects.map((p: { name: string }) => p.name).sort(), ['boxes', 'ranges', 'spans']);
});

test.run();
