import { InvalidInputError } from '../errors.ts';
import { LABEL_TOOLS, type LabelClass, type LabelSchema, type LabelTool } from './label-schema.ts';

const MEDIA: readonly LabelSchema['media'][] = ['image', 'text', 'timeseries'];

/** The tools that make sense on each medium: shapes on images, spans on text, ranges on series. */
const TOOLS_OF: Readonly<Record<LabelSchema['media'], readonly LabelTool[]>> = {
  image: ['class', 'classes', 'box', 'polygon', 'keypoints'],
  text: ['class', 'classes', 'span'],
  timeseries: ['class', 'classes', 'range'],
};

const COLOR = /^#[0-9a-fA-F]{6}$/;
const MAX_NAME = 128;
const MAX_CLASSES = 1000;

/**
 * Checks a label schema as a client sent it and returns it as a plain, frozen `LabelSchema`:
 * at least one class; class names unique and 1-128 characters; colours `#rrggbb`; hotkeys one
 * character each and unique (letters compared without case, as a keyboard does); tools known,
 * without repeats, usable on the medium (boxes, polygons and keypoints on images, spans on
 * text, ranges on series) and not both `class` and `classes`; keypoint names (and a skeleton of
 * index pairs) exactly when the `keypoints` tool is on. Unknown keys are refused, so a typo
 * never passes silently.
 * @throws InvalidInputError whose field is the location of the first problem, e.g. `schema/classes/2/color`
 */
export function parseLabelSchema(value: unknown, field = 'schema'): LabelSchema {
  const schema = objectAt(value, field, ['media', 'classes', 'tools', 'keypoints']);
  const media = schema.media;
  if (typeof media !== 'string' || !(MEDIA as readonly string[]).includes(media))
    throw new InvalidInputError(`${field}/media`, `must be one of ${MEDIA.join(', ')}`);
  const classes = parseClasses(schema.classes, `${field}/classes`);
  const tools = parseTools(schema.tools, media as LabelSchema['media'], `${field}/tools`);
  const parsed: { -readonly [K in keyof LabelSchema]: LabelSchema[K] } = { media: media as LabelSchema['media'], classes, tools };
  if (tools.includes('keypoints')) parsed.keypoints = parseKeypoints(schema.keypoints, `${field}/keypoints`);
  else if (schema.keypoints !== undefined) throw new InvalidInputError(`${field}/keypoints`, 'is only for the keypoints tool');
  return Object.freeze(parsed);
}

function parseClasses(value: unknown, field: string): LabelClass[] {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidInputError(field, 'must be a list of at least one class');
  if (value.length > MAX_CLASSES) throw new InvalidInputError(field, `must hold at most ${MAX_CLASSES} classes`);
  const names = new Set<string>();
  const hotkeys = new Map<string, string>();
  return value.map((entry, i) => {
    const at = `${field}/${i}`;
    const c = objectAt(entry, at, ['name', 'color', 'hotkey']);
    if (typeof c.name !== 'string' || c.name.trim() === '' || c.name.length > MAX_NAME)
      throw new InvalidInputError(`${at}/name`, `must be 1-${MAX_NAME} characters`);
    if (names.has(c.name)) throw new InvalidInputError(`${at}/name`, `${JSON.stringify(c.name)} is named twice`);
    names.add(c.name);
    if (typeof c.color !== 'string' || !COLOR.test(c.color)) throw new InvalidInputError(`${at}/color`, 'must be a colour #rrggbb');
    const parsed: { name: string; color: string; hotkey?: string } = { name: c.name, color: c.color.toLowerCase() };
    if (c.hotkey !== undefined) {
      if (typeof c.hotkey !== 'string' || [...c.hotkey].length !== 1 || c.hotkey.trim() === '')
        throw new InvalidInputError(`${at}/hotkey`, 'must be one visible character');
      const key = c.hotkey.toLowerCase();
      const taken = hotkeys.get(key);
      if (taken !== undefined) throw new InvalidInputError(`${at}/hotkey`, `${JSON.stringify(c.hotkey)} is already the hotkey of ${JSON.stringify(taken)}`);
      hotkeys.set(key, c.name);
      parsed.hotkey = c.hotkey;
    }
    return Object.freeze(parsed);
  });
}

function parseTools(value: unknown, media: LabelSchema['media'], field: string): LabelTool[] {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidInputError(field, 'must be a list of at least one tool');
  const tools: LabelTool[] = [];
  value.forEach((tool, i) => {
    if (typeof tool !== 'string' || !(LABEL_TOOLS as readonly string[]).includes(tool))
      throw new InvalidInputError(`${field}/${i}`, `must be one of ${LABEL_TOOLS.join(', ')}`);
    if (!TOOLS_OF[media].includes(tool as LabelTool))
      throw new InvalidInputError(`${field}/${i}`, `${tool} is not a tool for ${media}; use ${TOOLS_OF[media].join(', ')}`);
    if (tools.includes(tool as LabelTool)) throw new InvalidInputError(`${field}/${i}`, `${tool} is listed twice`);
    tools.push(tool as LabelTool);
  });
  if (tools.includes('class') && tools.includes('classes'))
    throw new InvalidInputError(field, 'choose class (one per item) or classes (any number), not both');
  return tools;
}

function parseKeypoints(value: unknown, field: string): NonNullable<LabelSchema['keypoints']> {
  const k = objectAt(value, field, ['names', 'skeleton']);
  if (!Array.isArray(k.names) || k.names.length === 0) throw new InvalidInputError(`${field}/names`, 'must list at least one keypoint name');
  const names = new Set<string>();
  k.names.forEach((name, i) => {
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME)
      throw new InvalidInputError(`${field}/names/${i}`, `must be 1-${MAX_NAME} characters`);
    if (names.has(name)) throw new InvalidInputError(`${field}/names/${i}`, `${JSON.stringify(name)} is named twice`);
    names.add(name);
  });
  const parsed: { names: string[]; skeleton?: [number, number][] } = { names: [...names] };
  if (k.skeleton !== undefined) {
    if (!Array.isArray(k.skeleton)) throw new InvalidInputError(`${field}/skeleton`, 'must be a list of [from, to] index pairs');
    parsed.skeleton = k.skeleton.map((pair, i) => {
      const ok =
        Array.isArray(pair) &&
        pair.length === 2 &&
        pair.every((n) => Number.isInteger(n) && n >= 0 && n < names.size) &&
        pair[0] !== pair[1];
      if (!ok) throw new InvalidInputError(`${field}/skeleton/${i}`, `must be two different keypoint indices from 0 to ${names.size - 1}`);
      return [pair[0] as number, pair[1] as number];
    });
  }
  return Object.freeze(parsed);
}

/** A plain object with only `allowed` keys. @throws InvalidInputError */
export function objectAt(value: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInputError(field, 'must be an object');
  for (const key of Object.keys(value))
    if (!allowed.includes(key)) throw new InvalidInputError(`${field}/${key}`, `is not a known key (expected ${allowed.join(', ')})`);
  return value as Record<string, unknown>;
}
