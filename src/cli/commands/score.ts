import { bundledModelPath, loadModelFile, type Model } from '../../classifier';
import { parseCommandArgs, type CliIo } from '../io';

/** Usage text, for the dispatcher's help. */
export const help = 'usage: vigil score --model spam|toxicity|PATH [--explain] < comments.jsonl\n';

function pickModel(which: string): Model {
  return loadModelFile(which === 'spam' || which === 'toxicity' ? bundledModelPath(which) : which);
}

/** `vigil score`: one JSON line in ({"text", author?, email?, url?, meta?}), one JSON line out, in order. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(argv, { model: { type: 'string' }, explain: { type: 'boolean' } }, false, help, io);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (!values.model) {
    io.stderr.write(help);
    return 2;
  }
  let model: Model;
  try {
    model = pickModel(values.model);
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  let failed = 0;
  let pending = '';
  const handle = (line: string): void => {
    if (line.trim() === '') return;
    let out: unknown;
    try {
      const obj = JSON.parse(line) as unknown;
      if (!obj || typeof obj !== 'object' || typeof (obj as { text?: unknown }).text !== 'string') {
        throw new Error('each line must be a JSON object with a string "text"');
      }
      out = model.score(obj as { text: string }, { explain: values.explain });
    } catch (e) {
      failed++;
      out = { error: (e as Error).message };
    }
    io.stdout.write(JSON.stringify(out) + '\n');
  };
  for await (const chunk of io.stdin) {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const p of parts) handle(p);
  }
  handle(pending);
  return failed ? 1 : 0;
}
