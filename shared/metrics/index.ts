// 三率两度: KPI computations shared by the app and the sync server (definitions: DEFINITIONS.md).
export { caseFacts } from './caseFacts';
export type { CaseFacts } from './caseFacts';
export { computeKpiTables, computeKpis, kpisOfFacts, previousMonth } from './kpis';
export type { KpiGroupBy, KpiOptions, KpiRow, KpiSet, KpiTables, Median, Rate } from './kpis';
export { rankUnits } from './ranking';
export type { RankMetric, RankOptions, RankedUnit } from './ranking';
export { COMPLAINT_SOURCES, DEFAULT_REPEAT_OPTIONS, distanceM, findRepeats } from './repeats';
export type { RepeatInput, RepeatOptions } from './repeats';
