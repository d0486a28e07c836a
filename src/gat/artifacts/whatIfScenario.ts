/**
 * What-if scenarios: a named list of edits for one node of a run, saved by the Computation panel as
 * runs/<id>/scenarios/<name>.json and opened again. Written atomically and only there (no other
 * file of the run is touched); read as untrusted data: a byte budget, then every field checked.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { object } from '../../protocol/fieldSchema';
import { SCENARIO_FILE, scenarioName, type ScenarioFile } from '../../protocol/whatIf';
import { writeFileAtomic } from '../io/atomicWrite';
import { JsonSyntaxError, parseJson } from '../io/jsonText';
import { readUserText, UserFileError, type ByteBudget } from '../io/userFile';

/** A thousand edits take about 80 kB as the panel writes them. */
const SCENARIO_BUDGET: ByteBudget = { what: 'what-if scenario', maxBytes: 1 << 20 };

const scenarioShape = object(SCENARIO_FILE);

/** Why a scenario cannot be saved or opened, in one line naming the file and what to do. */
export class ScenarioError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export function scenariosDir(runDir: string): string {
  return path.join(runDir, 'scenarios');
}

/** The file of a scenario name; a name that is not a plain file name is refused (never a path). */
export function scenarioFile(runDir: string, name: string): string {
  const problem = scenarioName.check(name);
  if (problem !== undefined) throw new ScenarioError(`'${name.slice(0, 80)}' cannot name a scenario: use letters, digits, '-', '_' and '.' (at most 64, no '..')`);
  return path.join(scenariosDir(runDir), `${name}.json`);
}

/** The scenarios saved for a run, by name (files that could not be one are left out). */
export async function listScenarios(runDir: string): Promise<string[]> {
  const entries = await fs.readdir(scenariosDir(runDir), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => e.name.slice(0, -'.json'.length))
    .filter((name) => scenarioName.check(name) === undefined)
    .sort((a, b) => a.localeCompare(b));
}

export async function scenarioExists(runDir: string, name: string): Promise<boolean> {
  return fs.lstat(scenarioFile(runDir, name)).then(
    () => true,
    () => false,
  );
}

/** Saves a scenario (replacing one of the same name); returns its file. */
export async function writeScenario(runDir: string, scenario: ScenarioFile): Promise<string> {
  const problem = scenarioShape.check(scenario);
  if (problem !== undefined) throw new ScenarioError(`the scenario cannot be saved: ${problem}`);
  const file = scenarioFile(runDir, scenario.name);
  await checkScenariosDir(runDir);
  await writeFileAtomic(file, JSON.stringify(scenario, null, 2) + '\n');
  return file;
}

/** Opens a scenario, every field checked; a damaged or foreign file is one line saying which and why. */
export async function readScenario(runDir: string, name: string): Promise<ScenarioFile> {
  const file = scenarioFile(runDir, name);
  let text: string;
  try {
    text = await readUserText(file, SCENARIO_BUDGET);
  } catch (err) {
    if (err instanceof UserFileError) throw new ScenarioError(err.problem === 'missing' ? `no scenario '${name}' in ${scenariosDir(runDir)}` : err.message);
    throw err;
  }
  return parseScenario(text, file, name);
}

/** A scenario file's text, every field checked; `name` is the one its file name gives. */
export function parseScenario(text: string, file: string, name: string): ScenarioFile {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new ScenarioError(`${file} is not JSON (${err.message}): fix it, or delete it and save the scenario again`);
    throw err;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScenarioError(`${file} is not a what-if scenario: the file must be one JSON object, not ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}`);
  const problem = scenarioShape.check(value);
  if (problem !== undefined) throw new ScenarioError(`${file} is not a what-if scenario this version reads: ${problem}`);
  const scenario = value as ScenarioFile;
  if (scenario.name !== name) throw new ScenarioError(`${file} names itself '${scenario.name}': rename the file to ${scenario.name}.json, or its "name" to ${name}`);
  return scenario;
}

/** The scenarios folder is a real folder of the run (a link there could aim the write elsewhere). */
async function checkScenariosDir(runDir: string): Promise<void> {
  const dir = scenariosDir(runDir);
  const stat = await fs.lstat(dir).catch(() => undefined);
  if (stat && !stat.isDirectory()) throw new ScenarioError(`${dir} is not a folder (${stat.isSymbolicLink() ? 'a link' : 'a file'}): move it away to save scenarios there`);
}
