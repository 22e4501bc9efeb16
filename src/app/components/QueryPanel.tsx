import { FORMULA_TABLE, RELEVANCY_KINDS, type RelevancyKind } from '../../core/query/formulaTable.ts';
import type { PromptTemplateSet } from '../../core/query/prompts.ts';
import { availableColorModes, colorModeSpec } from '../query/colorModes.ts';
import { selectLayer, showPca, updateQuerySettings } from '../store/querySlice.ts';
import { setColorMode } from '../store/viewSlice.ts';
import { useFieldLens } from '../store/store.ts';
import { QueryBox } from './QueryBox.tsx';
import { ResultList } from './ResultList.tsx';
import { CurrentStage, TaskProgressBars } from './TaskProgressBars.tsx';
import { ModelSetPicker } from './ModelSetPicker.tsx';
import { FeaturesStatus } from './FeaturesStatus.tsx';
import { ThresholdHistogram } from './ThresholdHistogram.tsx';

const FORMULAS: readonly { value: RelevancyKind; label: string }[] = RELEVANCY_KINDS.map((value) => ({ value, label: FORMULA_TABLE[value].label }));
const TEMPLATES: readonly { value: PromptTemplateSet; label: string }[] = [
  { value: 'single', label: 'The phrase as typed' },
  { value: 'semantic-abstraction', label: '"a photograph of a {} in a home."' },
  { value: 'clip-ensemble', label: 'CLIP template ensemble' },
];

/**
 * The query bar docked at the top of the stage, always in view: mode, the query box with the
 * running stage beside it; formula, prompts and negatives behind a disclosure.
 */
export function QueryBar() {
  const s = useFieldLens();
  const labelsMode = s.queryMode === 'labels';

  return (
    <section className="query-bar" aria-label="Query" data-testid="query-bar">
      <div className="mode-switch segmented" role="radiogroup" aria-label="query mode">
        <label>
          <input
            type="radio"
            name="query-mode"
            data-testid="mode-relevancy"
            checked={!labelsMode}
            onChange={() => updateQuerySettings({ queryMode: 'relevancy' })}
          />{' '}
          Relevancy
        </label>
        <label>
          <input type="radio" name="query-mode" data-testid="mode-labels" checked={labelsMode} onChange={() => updateQuerySettings({ queryMode: 'labels' })} />{' '}
          Label set
        </label>
      </div>
      <div className="query-box">
        <QueryBox />
        <CurrentStage />
      </div>
      <ModelSetPicker />
      <FeaturesStatus />
      <details className="query-settings" data-testid="query-settings">
        <summary>Formula</summary>
        <div className="query-settings-body">
          <label>
            Formula
            <select
              data-testid="formula"
              value={s.formula}
              disabled={labelsMode}
              onChange={(e) => updateQuerySettings({ formula: e.currentTarget.value as RelevancyKind })}
            >
              {FORMULAS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Prompts
            <select data-testid="template" value={s.template} onChange={(e) => updateQuerySettings({ template: e.currentTarget.value as PromptTemplateSet })}>
              {TEMPLATES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label title="joined to the default negatives: object, things, stuff, texture">
            Extra negatives
            <input
              type="text"
              data-testid="negatives"
              placeholder="table, floor"
              value={s.negativesText}
              onChange={(e) => updateQuerySettings({ negativesText: e.currentTarget.value })}
            />
          </label>
        </div>
      </details>
    </section>
  );
}

/** What a query produced: threshold, stage times, layer and colour mode, instances. */
export function QueryPanel() {
  const s = useFieldLens();
  const available = availableColorModes(s);
  const labelsMode = s.queryMode === 'labels';

  return (
    <section className="panel-section" aria-label="Result">
      <h2>Result</h2>
      {!labelsMode && <ThresholdHistogram />}
      <TaskProgressBars />
      {s.layerInfo.length > 1 && (
        <label>
          Layer
          <select data-testid="layer" value={s.activeLayer} onChange={(e) => void selectLayer(Number(e.currentTarget.value))}>
            {s.layerInfo.map((l, i) => (
              <option key={l.label} value={i}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="mode-switch" role="radiogroup" aria-label="colour mode">
        {available.map((mode) => (
          <label key={mode}>
            <input type="radio" name="color-mode" data-testid={`color-${mode}`} checked={s.colorMode === mode} onChange={() => setColorMode(mode)} />{' '}
            {colorModeSpec(mode).label}
          </label>
        ))}
      </div>
      <div className="buttons">
        <button type="button" data-testid="show-pca" disabled={s.queryRunning} onClick={() => void showPca()}>
          PCA of features
        </button>
      </div>
      <p className="hint">Double-click a point to colour the cloud by feature similarity to it. Drop .onnx models (+ tokenizer.json) to use your own.</p>
      {s.localModelsSummary && (
        <p className="hint" data-testid="local-models">
          Using {s.localModelsSummary}
        </p>
      )}
      <ResultList />
    </section>
  );
}
