/**
 * SparseDFF's pruning and refinement on synthetic fields with known structure: pruning removes the
 * points given foreign features (the known outliers) and keeps the rest; refinement raises the
 * agreement of two views' features at the same 3D locations without pulling objects together.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../synth/prng.ts';
import { syntheticFeatureField } from '../synth/featureField.ts';
import { pruneDiscontinuous } from './pruneFeatures.ts';
import { crossViewAgreement, crossViewPartners, refineAcrossViews } from './refineFeatures.ts';
import { rowCosine } from './spatialNeighbours.ts';

describe('feature pruning (continuity)', () => {
  it('drops points whose feature is foreign to their neighbourhood and keeps the others', () => {
    const dim = 32;
    const field = syntheticFeatureField({ count: 8000, dim, seed: 21 });
    const random = mulberry32(3);
    const outlier = new Uint8Array(field.count);
    for (let i = 0; i < field.count; i++) {
      if (random() >= 0.05) continue;
      outlier[i] = 1;
      for (let d = 0; d < dim; d++) field.features[i * dim + d] = random() * 2 - 1;
    }
    const { kept } = pruneDiscontinuous(field.positions, field.features, dim, field.count);
    const keptSet = new Uint8Array(field.count);
    for (const i of kept) keptSet[i] = 1;
    let outliers = 0,
      outliersDropped = 0,
      good = 0,
      goodKept = 0;
    for (let i = 0; i < field.count; i++) {
      if (outlier[i]) {
        outliers++;
        if (!keptSet[i]) outliersDropped++;
      } else {
        good++;
        if (keptSet[i]) goodKept++;
      }
    }
    console.log(`prune: ${outliersDropped}/${outliers} outliers dropped, ${goodKept}/${good} others kept`);
    expect(outliersDropped / outliers).toBeGreaterThanOrEqual(0.9);
    expect(goodKept / good).toBeGreaterThanOrEqual(0.95);
  });
});

describe('feature refinement across views (contrastive)', () => {
  it('raises cross-view agreement at the same 3D locations; different objects stay apart', () => {
    const dim = 32;
    const field = syntheticFeatureField({ count: 4000, dim, seed: 5, noise: 0.3 / Math.sqrt(dim) });
    const random = mulberry32(11);
    // Two cameras see every point: view 1's copy is 2 mm off, and each view shifts features its own way.
    const n = 2 * field.count;
    const positions = new Float32Array(3 * n);
    const viewIndex = new Uint16Array(n);
    const values = new Float32Array(n * dim);
    const bias = [0, 1].map(() => Float32Array.from({ length: dim }, () => (random() - 0.5) * 0.25));
    for (let v = 0; v < 2; v++)
      for (let i = 0; i < field.count; i++) {
        const j = v * field.count + i;
        for (let c = 0; c < 3; c++) positions[3 * j + c] = field.positions[3 * i + c]! + (v === 1 ? (random() - 0.5) * 0.004 : 0);
        viewIndex[j] = v;
        for (let d = 0; d < dim; d++) values[j * dim + d] = field.features[i * dim + d]! + bias[v]![d]! + (random() - 0.5) * 0.15;
      }
    const cloud = { count: n, positions, viewIndex };
    const partner = crossViewPartners(cloud, 0.01);
    const objectOf = (j: number) => field.objectOfPoint[j % field.count]!;
    const betweenObjects = (f: Float32Array) => {
      const r = mulberry32(9);
      let sum = 0,
        m = 0;
      while (m < 4000) {
        const a = Math.floor(r() * n),
          b = Math.floor(r() * n);
        if (objectOf(a) === objectOf(b)) continue;
        sum += rowCosine(f, dim, a, b);
        m++;
      }
      return sum / m;
    };
    const before = crossViewAgreement(values, dim, partner);
    const refined = refineAcrossViews(cloud, values, dim);
    const after = crossViewAgreement(refined.values, dim, refined.partner);
    const apartBefore = betweenObjects(values);
    const apartAfter = betweenObjects(refined.values);
    console.log(
      `refine: ${refined.pairs} cross-view pairs; agreement ${before.toFixed(3)} → ${after.toFixed(3)}; mean cosine between objects ${apartBefore.toFixed(3)} → ${apartAfter.toFixed(3)}`,
    );
    expect(refined.pairs).toBeGreaterThan(0.8 * n);
    expect(after).toBeGreaterThan(before + 0.05);
    expect(apartAfter).toBeLessThan(0.3);
    expect(apartAfter).toBeLessThan(apartBefore + 0.05);
  });
});
