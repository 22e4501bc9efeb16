/**
 * Where the repository is on disk, for Node-only code (CLI, benchmarks, training, tests). The
 * browser build never imports src/node (lint forbids it).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The manifest of the models the repo ships (models/manifest.json). */
export const defaultManifestFile = join(repoRoot, 'models', 'manifest.json');
