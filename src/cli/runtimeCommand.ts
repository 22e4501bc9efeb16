/** `fieldlens runtime [install-native [--cuda]]`: which ONNX Runtime the CLI uses, or install the native one. */
import { cliRuntime, installNativeRuntime } from '../node/nativeRuntime.ts';
import type { ParsedArgs } from './cliArgs.ts';

export function runtimeCli(args: ParsedArgs): number {
  const [action] = args.positional;
  if (action === 'install-native') {
    const located = installNativeRuntime({ cuda: args.options.has('cuda'), log: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(`onnxruntime-node ${located.version} at ${located.entry}${located.cudaInstalled ? ' (with the CUDA provider)' : ''}\n`);
    return 0;
  }
  if (action !== undefined) throw new Error(`runtime: unknown action "${action}" (install-native, or nothing to show the runtime)`);
  process.stdout.write(`${cliRuntime().description}\n`);
  return 0;
}
