import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { defaultStages } from './defaults.js';
import { applyStage, matchingStage, type StageContext } from './engine.js';

// Each testdata/<case>.input.yaml holds { context, object }; <case>.output.yaml the stage the
// default stages pick for it and what applying that stage asks for. MINIK_UPDATE_GOLDEN=1 rewrites
// the outputs, to be reviewed in the diff like any other change.
const dir = fileURLToPath(new URL('./testdata', import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.input.yaml'))
  .map((f) => f.slice(0, -'.input.yaml'.length))
  .sort();
const stages = defaultStages();

describe('default stages, golden files', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases)('%s', (name) => {
    const input = parse(readFileSync(`${dir}/${name}.input.yaml`, 'utf8')) as { context: StageContext; object: unknown };
    const stage = matchingStage(stages, input.object);
    const actual = { stage: stage?.name ?? null, result: stage ? applyStage(stage, input.object, input.context) : null };
    const outputPath = `${dir}/${name}.output.yaml`;
    if (process.env.MINIK_UPDATE_GOLDEN === '1') writeFileSync(outputPath, stringify(actual));
    expect(actual).toEqual(parse(readFileSync(outputPath, 'utf8')));
  });
});
