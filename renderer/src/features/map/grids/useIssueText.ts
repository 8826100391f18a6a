import { useI18n } from 'vue-i18n';
import type { FeatureRef, GridIssue } from '@shared/geo/gridIssues';

/** Translates the structured grid issues of shared/geo into the user's language. */
export function useIssueText() {
  const { t } = useI18n();

  /** `第 3 项（110101010003001 民旺第1网格）`, or `已有网格 …` for a stored grid. */
  function featureLabel(ref: FeatureRef | undefined): string {
    if (!ref) return '';
    const label = [ref.code, ref.name]
      .filter((part) => part !== undefined && part !== '')
      .join(' ');
    if (ref.index === undefined) return `${t('grids.storedGrid')} ${label}`.trim();
    const n = ref.index + 1;
    return label === '' ? t('grids.feature', { n }) : t('grids.featureNamed', { n, label });
  }

  function issueMessage(issue: GridIssue): string {
    const key = issue.code.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const where =
      issue.params.polygon === undefined ? '' : t('grids.where', { polygon: issue.params.polygon });
    // Areas read better grouped: 1,222,944 m².
    const params = Object.fromEntries(
      Object.entries(issue.params).map(([name, value]) => [
        name,
        name.endsWith('M2') && typeof value === 'number' ? value.toLocaleString('en-US') : value,
      ]),
    );
    return t(`grids.issue.${key}`, { ...params, where, other: featureLabel(issue.other) });
  }

  return { featureLabel, issueMessage };
}
