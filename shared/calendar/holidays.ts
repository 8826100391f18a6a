/**
 * Public holidays (放假) and make-up workdays (调休上班) as the State Council's General Office
 * publishes them each November for the next year. Case deadlines in working days count on
 * this table (DESIGN §4, 接诉即办 time limits).
 *
 * To add a year: copy the notice's dates into one more entry below (ranges are inclusive,
 * dates in Beijing time). The tests check every entry for order, overlaps and that each make-up
 * day is a weekend day, so a typo fails CI instead of moving deadlines.
 */
export interface HolidayYear {
  year: number;
  /** The notice the dates come from. */
  source: string;
  /** Days off, each holiday as an inclusive `[first, last]` range of `YYYY-MM-DD`. */
  holidays: readonly { name: string; from: string; to: string }[];
  /** Weekend days that are working days (调休上班). */
  workdays: readonly string[];
}

export const HOLIDAY_YEARS: readonly HolidayYear[] = [
  {
    year: 2025,
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）',
    holidays: [
      { name: '元旦', from: '2025-01-01', to: '2025-01-01' },
      { name: '春节', from: '2025-01-28', to: '2025-02-04' },
      { name: '清明节', from: '2025-04-04', to: '2025-04-06' },
      { name: '劳动节', from: '2025-05-01', to: '2025-05-05' },
      { name: '端午节', from: '2025-05-31', to: '2025-06-02' },
      { name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08' },
    ],
    workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
    holidays: [
      { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
      { name: '春节', from: '2026-02-15', to: '2026-02-23' },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
    ],
    workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];
