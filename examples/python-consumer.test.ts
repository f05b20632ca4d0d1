import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeBatchesIpc, IdArray, InverseKeyedJaggedTensor, JaggedTensor, KeyedJaggedTensor } from '@recd/core';
import { batchToArrow, openDataset } from '@recd/loader';
import { makeExampleDataset } from './example-data';
import { writeBatches } from './write-batches';

/** The Python the example targets (Debian's, where `apt-get install python3-numpy` puts numpy). */
const python = process.env.RECD_PYTHON ?? '/usr/bin/python3';
const pythonDir = path.join(__dirname, 'python');
const has = (module: string): boolean => spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
const hasPyarrow = has('pyarrow');
const hasNumpy = has('numpy');
const BATCH_SIZE = 256;
const SAMPLES = 2048;

const ids = (values: IdArray): (number | string)[] => (values instanceof BigInt64Array ? Array.from(values, String) : Array.from(values));
const floats = (values: Float32Array | undefined): number[] | null => (values ? Array.from(values) : null);
const rowsOf = (part: JaggedTensor, inverse: Int32Array | null) => ({ values: ids(part.values), lengths: Array.from(part.lengths), weights: floats(part.weights), inverse: inverse && Array.from(inverse) });

function runPython(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(python, args, { cwd: pythonDir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the Python consumer of the Arrow batch stream (examples/python)', () => {
  let dir: string;
  let stream: string;
  let expectedFile: string;
  let columnsFile: string;
  let batches: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-example-python-'));
    const data = await makeExampleDataset(dir);
    stream = path.join(dir, 'batches.arrows');
    const summary = await writeBatches(data, stream, { batchSize: BATCH_SIZE, limit: SAMPLES, dedup: true });
    expect(summary).toMatchObject({ batches: SAMPLES / BATCH_SIZE, samples: SAMPLES });

    // what the TypeScript side makes of the same bytes: the TorchRec arguments and the expansion
    const decoded = decodeBatchesIpc(fs.readFileSync(stream));
    batches = decoded.length;
    const expected = decoded.map((batch) => {
      const ikjt = batch.sparse as InverseKeyedJaggedTensor;
      const variable = ikjt.toVariableBatch();
      const expanded = ikjt.expand();
      return {
        size: ikjt.batchSize,
        numDense: batch.numDense ?? null,
        labels: floats(batch.labels),
        variableBatch: { keys: variable.keys, values: ids(variable.values), lengths: Array.from(variable.lengths), weights: floats(variable.weights), stridePerKey: Array.from(variable.stridePerKey), inverseIndices: Array.from(variable.inverseIndices) },
        expanded: { values: ids(expanded.values), lengths: Array.from(expanded.lengths) },
      };
    });
    expectedFile = path.join(dir, 'expected.json');
    fs.writeFileSync(expectedFile, JSON.stringify({ batches: expected }));
    // the per-key rows as Arrow JS decoded them: what decode_record_batch gives in Python
    const columns = decoded.map((batch) => {
      const ikjt = batch.sparse as InverseKeyedJaggedTensor;
      const rows: Record<string, ReturnType<typeof rowsOf>> = {};
      for (const key of ikjt.passthrough.keys) rows[key] = rowsOf(ikjt.passthrough.get(key), null);
      for (const group of ikjt.groups) for (const key of group.keys) rows[key] = rowsOf(group.unique.get(key), group.inverse);
      return { size: ikjt.batchSize, keys: ikjt.keys, rows, labels: floats(batch.labels) };
    });
    columnsFile = path.join(dir, 'columns.json');
    fs.writeFileSync(columnsFile, JSON.stringify({ batches: columns }));
  }, 120_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the stream expands to exactly the batches the loader gives with dedup off', async () => {
    const decoded = decodeBatchesIpc(fs.readFileSync(stream));
    const data = path.join(dir, 'samples');
    const plain: KeyedJaggedTensor[] = [];
    for await (const batch of await openDataset(data, { batchSize: BATCH_SIZE, limit: SAMPLES, dedup: false })) plain.push(batchToArrow(batch).sparse as KeyedJaggedTensor);
    expect(decoded).toHaveLength(plain.length);
    decoded.forEach((batch, i) => {
      const ikjt = batch.sparse as InverseKeyedJaggedTensor;
      expect(ikjt.groups.length).toBeGreaterThan(0);
      expect(ikjt.groups[0].unique.stride).toBeLessThan(ikjt.batchSize); // samples share session rows
      expect(ikjt.expand().equals(plain[i])).toBe(true);
    });
  });

  (hasPyarrow ? it : it.skip)(
    `pyarrow reads the stream and builds the same TorchRec arguments as TypeScript${hasPyarrow ? '' : ` [skipped: ${python} has no pyarrow]`}`,
    () => {
      const check = runPython(['check_against_loader.py', '--stream', stream, expectedFile]);
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
      const report = JSON.parse(check.stdout);
      expect(report).toMatchObject({ mode: 'stream', batches });
      for (const unique of report.uniqueRows as number[][]) for (const rows of unique) expect(rows).toBeLessThan(BATCH_SIZE);
      const consume = runPython(['consume.py', stream]);
      expect(consume.status).toBe(0);
      expect(consume.stdout).toContain(`${batches} batches`);
    },
  );

  (hasNumpy ? it : it.skip)(
    `the numpy part builds the same TorchRec arguments and expansion as TypeScript from Arrow JS's columns${hasNumpy ? '' : ` [skipped: ${python} has no numpy]`}`,
    () => {
      const check = runPython(['check_against_loader.py', '--columns', columnsFile, expectedFile]);
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
      expect(JSON.parse(check.stdout)).toMatchObject({ mode: 'columns', batches });
    },
  );

  (hasNumpy ? it : it.skip)(`the checker fails loudly on a mismatch${hasNumpy ? '' : ` [skipped: ${python} has no numpy]`}`, () => {
    const tampered = JSON.parse(fs.readFileSync(expectedFile, 'utf8'));
    tampered.batches[1].variableBatch.inverseIndices[0] += 1;
    const file = path.join(dir, 'tampered.json');
    fs.writeFileSync(file, JSON.stringify(tampered));
    const check = runPython(['check_against_loader.py', '--columns', columnsFile, file]);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/^mismatch: batch 1: inverse_indices/);
  });
});
