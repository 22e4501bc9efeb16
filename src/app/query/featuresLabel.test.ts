import { describe, expect, it } from 'vitest';
import type { FeatureSetInfo } from '../../../workers/scene/protocol.ts';
import { effectiveFeatureSet, featuresFromLabel } from './featuresLabel.ts';

const student: FeatureSetInfo = { id: 'student', dim: 16, space: 'tiny', source: 'student3d-tiny-trained' };
const teacher: FeatureSetInfo = { id: 'teacher', dim: 512, space: 'clip', source: 'teacher (clip-image, objects, fusion pixels)' };
const file: FeatureSetInfo = { id: 'file', dim: 512, space: 'file', source: 'feat_0…feat_511' };

describe('featuresFromLabel', () => {
  it('names the student model when the default set is the student', () => {
    expect(featuresFromLabel({ activeSet: null, featureSets: [student], summary: null })).toBe('features from: student student3d-tiny-trained');
  });

  it("counts the teacher's objects and views once it is selected", () => {
    const choice = { activeSet: 'teacher' as const, featureSets: [teacher], summary: { objects: 29, views: 4 } };
    expect(featuresFromLabel(choice)).toBe('features from: teacher (29 objects, 4 views)');
    expect(featuresFromLabel({ ...choice, summary: { objects: 1, views: 1 } })).toBe('features from: teacher (1 object, 1 view)');
  });

  it('follows a switch back to the student after the teacher ran', () => {
    const choice = { activeSet: 'student' as const, featureSets: [student, teacher], summary: { objects: 5, views: 1 } };
    expect(featuresFromLabel(choice)).toBe('features from: student student3d-tiny-trained');
  });

  it("defaults to the file's own features, and says nothing while no set is known", () => {
    expect(effectiveFeatureSet({ activeSet: null, featureSets: [student, file], summary: null })).toBe('file');
    expect(featuresFromLabel({ activeSet: null, featureSets: [student, file], summary: null })).toBe('features from: file (feat_0…feat_511)');
    // A set without a student before its teacher has run: no source yet.
    expect(featuresFromLabel({ activeSet: null, featureSets: [], summary: null })).toBeNull();
  });
});
