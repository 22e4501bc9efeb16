import { FUSION_MODES, type FusionMode } from '../../core/teacher/fusion.ts';
import { TEACHER_METHODS, type TeacherMethod } from '../../core/teacher/runTeacher.ts';
import type { FeatureSetId } from '../../../workers/scene/protocol.ts';
import { chooseFeatureSet, runTeacherOnScene, updateTeacherSettings } from '../store/teacherSlice.ts';
import { useFieldLens } from '../store/store.ts';
import { cancelTask } from '../store/jobsSlice.ts';

const METHOD_LABELS: Record<TeacherMethod, string> = { objects: 'objects (DROP-CLIP)', conceptfusion: 'ConceptFusion mix', tiles: 'multi-scale tiles' };

/** Runs the multi-view object-centric CLIP teacher and picks the feature set queries use. */
export function TeacherPanel() {
  const t = useFieldLens((s) => s.teacher);
  const cameraCount = useFieldLens((s) => s.cameras.length);
  const sets = t.featureSets;
  return (
    <section className="panel-section" aria-label="Teacher">
      <h2>Teacher</h2>
      <div className="query-settings">
        <label>
          Method{' '}
          <select data-testid="teacher-method" value={t.method} onChange={(e) => updateTeacherSettings({ method: e.currentTarget.value as TeacherMethod })}>
            {TEACHER_METHODS.map((m) => (
              <option key={m} value={m}>
                {METHOD_LABELS[m]}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Fusion{' '}
          <select data-testid="teacher-fusion" value={t.fusion} onChange={(e) => updateTeacherSettings({ fusion: e.currentTarget.value as FusionMode })}>
            {FUSION_MODES.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>{' '}
        {t.fusion === 'best-k' && (
          <label>
            k{' '}
            <input
              data-testid="teacher-k"
              type="number"
              min={1}
              step={1}
              value={t.bestK}
              onChange={(e) => updateTeacherSettings({ bestK: Math.max(1, Math.round(Number(e.currentTarget.value)) || 1) })}
            />
          </label>
        )}
      </div>
      <div className="buttons">
        <button
          type="button"
          data-testid="run-teacher"
          disabled={t.running || cameraCount === 0}
          title={cameraCount === 0 ? 'the teacher needs posed RGB-D views' : undefined}
          onClick={() => void runTeacherOnScene()}
        >
          {t.running ? 'Running teacher…' : 'Run teacher'}
        </button>
        {t.running && (
          <button type="button" data-testid="cancel-teacher" onClick={() => cancelTask('teacher')}>
            Cancel
          </button>
        )}
      </div>
      {t.viewProgress && (
        <label className="progress">
          Views {t.viewProgress.done}/{t.viewProgress.total}
          <progress data-testid="teacher-view-progress" max={t.viewProgress.total} value={t.viewProgress.done} />
        </label>
      )}
      {t.objectProgress && (
        <label className="progress">
          Objects {t.objectProgress.done}/{t.objectProgress.total}
          <progress data-testid="teacher-object-progress" max={t.objectProgress.total} value={t.objectProgress.done} />
        </label>
      )}
      {t.summary && (
        <p className="hint" data-testid="teacher-summary">
          {t.summary.objects} segments, {t.summary.crops} crops from {t.summary.views} views → {t.summary.dim}-d features ({t.summary.imageModel},{' '}
          {t.summary.backend}) in {t.summary.timings.totalMs.toFixed(0)} ms
        </p>
      )}
      {sets.length > 1 && (
        <label>
          Features{' '}
          <select data-testid="feature-set" value={t.activeSet ?? ''} onChange={(e) => void chooseFeatureSet(e.currentTarget.value as FeatureSetId)}>
            {t.activeSet === null && <option value="">default</option>}
            {sets.map((s) => (
              <option key={s.id} value={s.id} title={`${s.source}, ${s.dim}-d, ${s.space}`}>
                {s.id}
              </option>
            ))}
          </select>
        </label>
      )}
    </section>
  );
}
