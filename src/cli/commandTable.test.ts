import { describe, expect, it } from 'vitest';
import { parseArgs } from './cliArgs.ts';
import { COMMANDS, commandOptions, findCommand, helpText } from './commandTable.ts';

describe('command table', () => {
  it('the help names every command and every option of its row', () => {
    const help = helpText();
    for (const c of COMMANDS) {
      expect(help).toContain(`  fieldlens ${c.name}`);
      for (const o of c.options) expect(help).toContain(`--${o.name}`);
    }
  });

  it('parses with the running command’s rows: --labels is a flag for query and takes a value for zero-shot', () => {
    const query = parseArgs(['scan.ply', '--labels', '--text', 'mug, plate'], commandOptions(findCommand('query')!), 'query');
    expect(query.options.get('labels')).toBe(true);
    expect(query.positional).toEqual(['scan.ply']);
    const zeroShot = parseArgs(['--labels', 'a dog, a cat', 'photo.png'], commandOptions(findCommand('zero-shot')!), 'zero-shot');
    expect(zeroShot.options.get('labels')).toBe('a dog, a cat');
    expect(zeroShot.positional).toEqual(['photo.png']);
  });

  it('refuses an option the command does not have, naming the command', () => {
    expect(() => parseArgs(['x', '--fusion', 'pixels'], commandOptions(findCommand('info')!), 'info')).toThrow('unknown option --fusion for info');
    expect(() => parseArgs(['--voxel'], commandOptions(findCommand('info')!), 'info')).toThrow('--voxel needs a value');
  });
});
