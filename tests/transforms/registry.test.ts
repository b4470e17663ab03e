import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../core/canonical-json.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { BUILT_IN_TRANSFORMS, transformNamed } from '../../transforms/registry.ts';

const test = suite('built-in transforms');

// Parameters each transform needs; every other one has defaults for all of its parameters.
const REQUIRED: Record<string, Record<string, string>> = {
  'image.resize': { width: '64', height: '64' },
  'image.convert': { format: 'png' },
  'audio.resample': { rate: '16000' },
  'dataset.rebalance': { strategy: 'weights' },
  'dataset.filter': { where: 'label = cat' },
};

test('the list: every family, unique dotted names, a version and a description each', () => {
  const names = BUILT_IN_TRANSFORMS.map((transform) => transform.name);
  assert.equal(names, [...names].sort(), 'in name order');
  assert.is(new Set(names).size, names.length, 'unique');
  assert.equal(names, [
    'audio.mono',
    'audio.resample',
    'audio.spectrogram',
    'dataset.dedupe',
    'dataset.filter',
    'dataset.near-duplicates',
    'dataset.rebalance',
    'dataset.split',
    'image.convert',
    'image.grayscale',
    'image.normalize-orientation',
    'image.resize',
    'image.rgb',
    'text.normalize',
    'text.strip-html',
    'text.tokenize',
    'timeseries.minmax',
    'timeseries.standardize',
    'video.frames',
  ]);
  for (const transform of BUILT_IN_TRANSFORMS) {
    assert.match(transform.name, /^[a-z]+\.[a-z-]+$/);
    assert.is(transform.version, '1');
    assert.ok(transform.description.length > 20, transform.name);
    assert.ok(transform.kind === 'item' || transform.kind === 'dataset');
  }
  assert.ok(Object.isFrozen(BUILT_IN_TRANSFORMS));
});

test('parameters: CLI strings and JSON give the same canonical parameters, which are plain JSON', () => {
  for (const transform of BUILT_IN_TRANSFORMS) {
    const raw = REQUIRED[transform.name] ?? {};
    const parsed = transform.parseParams(raw);
    const fromJson = transform.parseParams(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v])));
    assert.is(canonicalJson(parsed), canonicalJson(fromJson), transform.name);
    assert.equal(JSON.parse(canonicalJson(parsed)), parsed, `${transform.name}: parameters survive JSON`);
    assert.equal(transform.parseParams(JSON.parse(canonicalJson(parsed))), parsed, `${transform.name}: its own canonical form parses back`);
    try {
      transform.parseParams({ ...raw, notAParameter: 1 });
      assert.unreachable(`${transform.name} accepted an unknown parameter`);
    } catch (error) {
      assert.instance(error, InvalidInputError);
      assert.is((error as InvalidInputError).data.field, 'notAParameter');
    }
  }
});

test('transformNamed finds each, and names the known ones for an unknown name', () => {
  for (const transform of BUILT_IN_TRANSFORMS) assert.is(transformNamed(transform.name), transform);
  try {
    transformNamed('image.rotate');
    assert.unreachable('found an unknown transform');
  } catch (error) {
    assert.instance(error, InvalidInputError);
    assert.match((error as InvalidInputError).data.reason, /^unknown: "image\.rotate" \(known: audio\.mono, .*video\.frames\)$/);
  }
});

test.run();
