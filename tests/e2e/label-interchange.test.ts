import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { labelFormats } from '../../formats/registry.ts';
import { databaseKinds, createScratchDatabase, type DatabaseKind, type ScratchDatabase } from '../helpers/databases.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { entriesOf } from '../server/http/tar-client.ts';
import { tarOf, type TestEntry } from '../services/interchange/tar-fixture.ts';
import { runCli } from './run-cli.ts';

const DATA = '/work/shared/data';

/** A directory's files by `/`-separated relative path. */
type Tree = Map<string, Buffer>;

/** The real datasets, by format; those of formats not registered are left out when the suite runs. */
const DATASETS: readonly { format: string; dir: string; annotationsOnly?: boolean }[] = [
  { format: 'coco', dir: 'formats/coco/coco_instances' },
  { format: 'coco', dir: 'formats/coco/coco_person_keypoints' },
  { format: 'yolo', dir: 'formats/yolo/darknet/strict' },
  { format: 'yolo', dir: 'formats/yolo/darknet/labels' },
  { format: 'yolo', dir: 'formats/yolo/ultralytics/yolov8' },
  { format: 'yolo', dir: 'formats/yolo/ultralytics/yolov8_segmentation' },
  { format: 'yolo', dir: 'formats/yolo/ultralytics/yolov8_pose' },
  { format: 'yolo', dir: 'formats/yolo/ultralytics/yolov8_oriented_boxes' },
  { format: 'yolo', dir: 'formats/yolo/ultralytics/yolov8_with_list_of_names' },
  { format: 'yolo', dir: 'formats/yolo/roboflow_yolo' },
  { format: 'voc', dir: 'formats/voc/voc_dataset1' },
  // Annotations without images: they may only relabel items already on the branch.
  { format: 'voc', dir: 'formats/voc/voc_dataset2', annotationsOnly: true },
  { format: 'voc', dir: 'images/raccoon_voc_subset' },
  { format: 'cvat', dir: 'formats/cvat/for_images/export_task' },
  { format: 'cvat', dir: 'formats/cvat/for_images/export_project' },
];

async function readTree(dir: string, base = dir, into: Tree = new Map()): Promise<Tree> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await readTree(full, base, into);
    else if (entry.isFile()) into.set(relative(base, full).split('\\').join('/'), await readFile(full));
  }
  return into;
}

function entriesOfTree(tree: Tree): TestEntry[] {
  return [...tree].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, content]) => ({ name, content }));
}

/** The raccoon CSV limited to the 40 images that are there, beside them. */
async function raccoonCsvTree(): Promise<{ tree: Tree; all: Tree }> {
  const base = join(DATA, 'images/raccoon_voc_subset');
  const csv = (await readFile(join(base, 'raccoon_labels_all200.csv'), 'utf8')).split('\n');
  const images = new Map<string, Buffer>();
  for (const name of await readdir(join(base, 'images'))) images.set(name, await readFile(join(base, 'images', name)));
  const kept = csv.filter((line, index) => index === 0 || images.has(line.split(',')[0] ?? ''));
  const tree: Tree = new Map([...images].map(([name, bytes]) => [name, bytes]));
  const all = new Map(tree);
  tree.set('labels.csv', Buffer.from(kept.join('\n')));
  all.set('labels.csv', Buffer.from(csv.join('\n')));
  return { tree, all };
}

function labelSuite(kind: DatabaseKind) {
  const test = suite(`label import and export through the server on ${kind}`);
  let api: TestServer;
  let scratch: ScratchDatabase | undefined;
  let root: string;
  let viewerToken: string;
  let outsiderToken: string;
  let datasets = 0;
  const registered = new Set(labelFormats.map((format) => format.name));

  async function gqlOk(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<any> {
    const body = await api.gql(query, variables, token === undefined ? {} : { token });
    assert.not.ok(body.errors, JSON.stringify(body.errors));
    assert.not.match(JSON.stringify(body.data), /"__typename":"\w+Error"/, JSON.stringify(body.data));
    return body.data;
  }
  async function newDataset(project = 'default', token?: string): Promise<string> {
    const name = `set${++datasets}`;
    await gqlOk(`mutation($p: String!, $d: String!) { createDataset(project: $p, name: $d) { __typename ... on Error { message } } }`, { p: project, d: name }, token);
    return name;
  }
  async function head(dataset: string): Promise<{ commit: string; snapshot: string }> {
    const data = await gqlOk(`query($d: String!) { dataset(project: "default", name: $d) { ... on Dataset { branch(name: "main") { head { id snapshot { hash } } } } } }`, { d: dataset });
    return { commit: data.dataset.branch.head.id, snapshot: data.dataset.branch.head.snapshot.hash };
  }
  async function staged(dataset: string): Promise<string[]> {
    const data = await gqlOk(`query($d: String!) { dataset(project: "default", name: $d) { ... on Dataset { branch(name: "main") { staged(first: 50) { edges { node { path } } } } } } }`, { d: dataset });
    return data.dataset.branch.staged.edges.map((e: { node: { path: string } }) => e.node.path);
  }
  function importTar(dataset: string, format: string, body: Buffer, token?: string, project = 'default'): Promise<Response> {
    return fetch(`${api.url}/v1/projects/${project}/datasets/${dataset}/branches/main/import?format=${format}&source=test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-tar', ...api.headers(token === undefined ? {} : { token }) },
      body: new Uint8Array(body),
    });
  }
  async function imported(dataset: string, format: string, tree: Tree): Promise<{ commit: string; snapshot: string; items: number; annotations: number }> {
    const response = await importTar(dataset, format, await tarOf(entriesOfTree(tree)));
    const body = await response.json();
    assert.is(response.status, 201, JSON.stringify(body));
    return body as never;
  }
  function exportTar(snapshot: string, format: string, media = '1', token?: string, project = 'default'): Promise<Response> {
    return fetch(`${api.url}/v1/projects/${project}/snapshots/${snapshot}/export?format=${format}&media=${media}`, {
      headers: api.headers(token === undefined ? {} : { token }),
    });
  }
  /** import → export → import into a fresh dataset: the same snapshot. Returns what went wrong, or null. */
  async function roundTripProblem(format: string, snapshot: string, what: string): Promise<string | null> {
    try {
      await assertRoundTrip(format, snapshot, what);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }
  async function assertRoundTrip(format: string, snapshot: string, what: string): Promise<void> {
    const first = await exportTar(snapshot, format);
    assert.is(first.status, 200, `${what}: ${await first.clone().text()}`);
    const tar = Buffer.from(await first.arrayBuffer());
    const again = Buffer.from(await (await exportTar(snapshot, format)).arrayBuffer());
    assert.ok(tar.equals(again), `${what}: two exports of one snapshot differ`);
    const copy = await newDataset();
    const response = await importTar(copy, format, tar);
    const body = (await response.json()) as { snapshot: string };
    assert.is(response.status, 201, `${what}: ${JSON.stringify(body)}`);
    assert.is(body.snapshot, snapshot, `${what}: the re-imported export is another snapshot`);
  }

  test.before(async () => {
    root = await mkdtemp(join(tmpdir(), 'sheaf-labels-e2e-'));
    if (kind === 'postgres') scratch = await createScratchDatabase();
    api = await startTestServer(scratch ? { databaseUrl: scratch.url } : {});
    const { identity } = api.server.services;
    const admin = (await identity.authenticate({ bearer: api.adminToken }))!.actor;
    await identity.createUser(admin, { name: 'viewer' });
    await identity.setMember(admin, { project: 'default', user: 'viewer', role: 'viewer' });
    viewerToken = (await identity.createToken(admin, { name: 'e2e', scopes: ['read', 'write'], user: 'viewer' })).token;
    await api.server.services.datasets.createProject(admin, 'other');
    await identity.createUser(admin, { name: 'outsider' });
    await identity.setMember(admin, { project: 'other', user: 'outsider', role: 'owner' });
    outsiderToken = (await identity.createToken(admin, { name: 'e2e', scopes: ['read', 'write'], user: 'outsider' })).token;
  });

  test.after(async () => {
    await api?.close();
    await scratch?.drop();
    await rm(root, { recursive: true, force: true });
  });

  test('COCO is registered first', () => {
    assert.is(labelFormats[0]?.name, 'coco');
  });

  test('every real dataset of a registered format imports, and round-trips through an export', async () => {
    let tried = 0;
    // Every dataset is tried, so one report names every format and layout that does not round-trip.
    const problems: string[] = [];
    for (const { format, dir, annotationsOnly } of DATASETS) {
      if (!registered.has(format)) continue;
      tried++;
      const dataset = await newDataset();
      const tree = await readTree(join(DATA, dir));
      if (annotationsOnly) {
        const response = await importTar(dataset, format, await tarOf(entriesOfTree(tree)));
        const body = (await response.json()) as { error: { errors: unknown[] } };
        assert.is(response.status, 422, `${dir}: ${JSON.stringify(body)}`);
        assert.ok(body.error.errors.length > 0, dir);
        continue;
      }
      const result = await imported(dataset, format, tree);
      assert.ok(result.items > 0, `${dir}: no items`);
      assert.ok(result.annotations > 0, `${dir}: no annotations`);
      assert.equal(await head(dataset), { commit: result.commit, snapshot: result.snapshot });
      const problem = await roundTripProblem(format, result.snapshot, dir);
      if (problem !== null) problems.push(problem);
    }
    assert.ok(tried > 0, 'no registered format has a real dataset');
    assert.equal(problems, [], problems.join('\n'));
  });

  test('the raccoon CSV imports with its images, and round-trips', async () => {
    if (!registered.has('csv')) return;
    const { tree, all } = await raccoonCsvTree();
    const dataset = await newDataset();
    const result = await imported(dataset, 'csv', tree);
    assert.is(result.items, 40);
    await assertRoundTrip('csv', result.snapshot, 'raccoon csv');
    // The whole CSV names 160 images that are not there.
    const response = await importTar(await newDataset(), 'csv', await tarOf(entriesOfTree(all)));
    const body = (await response.json()) as { error: { errors: { file: string }[] } };
    assert.is(response.status, 422);
    assert.ok(body.error.errors.length >= 160, `${body.error.errors.length} errors`);
  });

  test('a malformed COCO import answers 422 with entry-level errors and changes nothing', async () => {
    const dataset = await newDataset();
    const good = await readTree(join(DATA, 'formats/coco/coco_instances'));
    await imported(dataset, 'coco', good);
    const before = await head(dataset);
    const train = 'annotations/instances_train.json';
    const json = JSON.parse(good.get(train)!.toString());
    const variant = (change: (copy: any) => void): Tree => {
      const copy = structuredClone(json);
      change(copy);
      return new Map([...good, [train, Buffer.from(JSON.stringify(copy))]]);
    };
    const cases: [string, Tree, RegExp][] = [
      ['broken JSON', new Map([...good, [train, good.get(train)!.subarray(0, 200)]]), /./],
      ['box outside the image', variant((c) => (c.annotations[0].bbox = [8, 2, 30, 1])), /./],
      ['unknown class id', variant((c) => (c.annotations[0].category_id = 999)), /999/],
      ['referenced image missing', new Map([...good].filter(([path]) => path !== 'images/train/a.jpg')), /a\.jpg/],
    ];
    for (const [name, tree, pattern] of cases) {
      const response = await importTar(dataset, 'coco', await tarOf(entriesOfTree(tree)));
      const body = (await response.json()) as { error: { code: string; errors: { file: string; line?: number; entry?: string; message: string }[] } };
      assert.is(response.status, 422, `${name}: ${JSON.stringify(body)}`);
      assert.is(body.error.code, 'INVALID_INPUT', name);
      assert.ok(body.error.errors.length > 0, name);
      for (const error of body.error.errors) assert.ok(error.file && error.message && (error.line !== undefined || error.entry !== undefined || error.file), name);
      assert.ok(body.error.errors.some((e) => pattern.test(`${e.file} ${e.entry ?? ''} ${e.message}`)), `${name}: ${JSON.stringify(body.error.errors)}`);
      assert.equal(await head(dataset), before, `${name}: the branch moved`);
      assert.equal(await staged(dataset), [], `${name}: something was staged`);
    }
  });

  test('path traversal and links in the tar are refused', async () => {
    const dataset = await newDataset();
    const before = await head(dataset);
    for (const entries of [
      [{ name: '../../escape.json', content: '{}' }],
      [{ name: '/etc/escape.json', content: '{}' }],
      [{ name: 'images/link.jpg', type: 'symlink' as const }],
    ] as TestEntry[][]) {
      const response = await importTar(dataset, 'coco', await tarOf(entries));
      const body = (await response.json()) as { error: { code: string } };
      assert.is(response.status, 400, JSON.stringify(body));
      assert.match(body.error.code, /INVALID_(PATH|INPUT)/);
    }
    assert.equal(await head(dataset), before);
  });

  test('a viewer cannot import; another project cannot export this one’s snapshot', async () => {
    const dataset = await newDataset();
    const tree = await readTree(join(DATA, 'formats/coco/coco_instances'));
    const before = await head(dataset);
    const refused = await importTar(dataset, 'coco', await tarOf(entriesOfTree(tree)), viewerToken);
    assert.is(refused.status, 403, await refused.text());
    assert.equal(await head(dataset), before);
    const { snapshot } = await imported(dataset, 'coco', tree);
    const viewerExport = await exportTar(snapshot, 'coco', '1', viewerToken);
    assert.is(viewerExport.status, 200, 'a viewer may read');
    await viewerExport.arrayBuffer();
    assert.is((await exportTar(snapshot, 'coco', '1', outsiderToken, 'other')).status, 404);
    assert.is((await exportTar(snapshot, 'coco', '1', outsiderToken)).status, 403);
    assert.is((await exportTar(snapshot, 'nope')).status, 400);
  });

  test('export without media holds no image; its read is in the lineage', async () => {
    const dataset = await newDataset();
    const { snapshot } = await imported(dataset, 'coco', await readTree(join(DATA, 'formats/coco/coco_instances')));
    const response = await exportTar(snapshot, 'coco', '0');
    assert.is(response.status, 200);
    assert.is(response.headers.get('x-sheaf-items'), '2');
    const names = (await entriesOf(Buffer.from(await response.arrayBuffer()))).map((e) => e.name);
    assert.ok(names.length > 0 && names.every((name) => !name.endsWith('.jpg')), names.join(', '));
    const data = await gqlOk(`query($h: String!) { lineage(project: "default", hash: $h, direction: DOWNSTREAM) { edges { node { kind details } } } }`, { h: snapshot });
    assert.ok(data.lineage.edges.some((e: { node: { kind: string; details: { via?: string } } }) => e.node.kind === 'READ' && e.node.details.via === 'export'));
  });

  test('the CLI imports and exports, and prints every error of a bad import', async () => {
    const sheaf = (...args: string[]) => runCli([...args, '--server', api.url], { SHEAF_TOKEN: api.adminToken });
    const dataset = await newDataset();
    const source = join(root, 'coco-in');
    for (const [path, bytes] of await readTree(join(DATA, 'formats/coco/coco_instances'))) {
      await mkdir(dirname(join(source, path)), { recursive: true });
      await writeFile(join(source, path), bytes);
    }
    const done = await sheaf('labels', 'import', 'coco', source, '--into', `${dataset}@main`, '--json');
    assert.is(done.code, 0, done.stderr + done.stdout.toString());
    assert.equal(await head(dataset), { commit: done.json.commit, snapshot: done.json.snapshot });

    const out = join(root, 'coco-out');
    const exported = await sheaf('labels', 'export', 'coco', `${dataset}@main`, out, '--json');
    assert.is(exported.code, 0, exported.stderr + exported.stdout.toString());
    assert.is(exported.json.items, 2);
    const files = [...(await readTree(out)).keys()].sort();
    assert.ok(files.includes('images/train/a.jpg') && files.some((f) => f.endsWith('.json')), files.join(', '));
    const back = await sheaf('labels', 'import', 'coco', out, '--into', `${await newDataset()}@main`, '--json');
    assert.is(back.json.snapshot, done.json.snapshot);

    const json = join(source, 'annotations/instances_train.json');
    const broken = JSON.parse(await readFile(json, 'utf8'));
    broken.annotations[0].category_id = 999;
    await writeFile(json, JSON.stringify(broken));
    const bad = await sheaf('labels', 'import', 'coco', source, '--into', `${dataset}@main`);
    assert.is(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /error INVALID_INPUT/);
    assert.match(bad.stderr, /annotations\/instances_train\.json[: \[].*999/);
  });

  return test;
}

for (const kind of databaseKinds) labelSuite(kind).run();
