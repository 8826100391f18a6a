import { NEED_CATEGORIES, type NeedCategory } from '../catalogs/needCategories';
import { SPECIAL_GROUPS } from '../catalogs/specialGroups';
import { NeedStatusSchema, type Need, type NeedEvent, type NeedStatus } from '../domain/need';
import type { Visit } from '../domain/visit';
import type { DemoAccountSet } from './accounts';
import { DAY, HOUR, MINUTE, beijingDate, type RecordFactory, type Fields } from './envelope';
import type { ResolvedOptions } from './options';
import type { HouseholdPeople } from './people';
import type { HouseholdInfo } from './places';
import type { Rng } from './rng';

/**
 * 走访: grid workers visit special-group households on each group's schedule
 * (`visitIntervalDays`, tightest tag wins) and about a third of the other households once a year
 * (党员/网格员入户走访). Some visits surface a need, which then moves through the needs-list
 * workflow at a realistic pace — recent needs are still being verified, older ones served.
 */

const INTERVAL = new Map(SPECIAL_GROUPS.map((g) => [g.code, g.visitIntervalDays]));
const LEAVES = NEED_CATEGORIES.filter((c) => c.parent !== null);
/** The schema lists need statuses in workflow order. */
const STATUS_ORDER: readonly NeedStatus[] = NeedStatusSchema.options;

/** Need top-level codes that fit each tag; households without tags draw from the last entry. */
const NEED_TOPS: Record<string, readonly string[]> = {
  'living-alone-elder': ['01', '02', '04', '09', '10'],
  'advanced-age-elder': ['01', '02', '04', '09'],
  'empty-nest-elder': ['01', '02', '08', '10'],
  disabled: ['02', '04', '05'],
  'minimum-living-allowance': ['05', '03', '06'],
  'low-income-family': ['05', '03'],
  'extreme-poverty': ['05', '01'],
  unemployed: ['03', '06'],
  'serious-illness': ['02', '05'],
  'child-in-difficulty': ['07', '05'],
  default: ['06', '07', '08', '09', '10', '04'],
};

const FINDINGS_OK = [
  '身体状况良好，居家环境安全，无特殊需求。',
  '家中燃气、用电检查正常，已提醒注意冬季取暖安全。',
  '老人精神状态较好，子女每周探望，已留联系卡。',
  '了解近期生活情况，宣传了社区养老助餐服务。',
  '入户核实人口信息，与登记一致。',
  '宣传防范电信诈骗知识，发放宣传材料。',
];

function leavesFor(tags: readonly string[], rng: Rng): NeedCategory {
  const fitting = tags.flatMap((t) => NEED_TOPS[t] ?? []);
  const tops = fitting.length > 0 ? fitting : (NEED_TOPS.default ?? []);
  const top = rng.pick(tops);
  const candidates = LEAVES.filter((c) => c.parent === top);
  return rng.pick(candidates.length > 0 ? candidates : LEAVES);
}

/** A weekday daytime instant (Beijing 9:00–17:30) near `ms`, never after `nowMs`. */
function workingTime(ms: number, rng: Rng, nowMs: number): number {
  let day = Math.floor((ms + 8 * HOUR) / DAY);
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  if (weekday === 6) day += 2;
  else if (weekday === 0) day += 1;
  const t = day * DAY - 8 * HOUR + 9 * HOUR + rng.int(510) * MINUTE;
  return Math.min(t, nowMs - rng.int(60) * MINUTE - MINUTE);
}

/** Visits stream out; needs and their events are kept (a few per cent of visits) for later batches. */
export class VisitBuilder {
  readonly needs: Need[] = [];
  readonly needEvents: NeedEvent[] = [];
  private readonly sharedGrid: string | undefined;

  constructor(
    private readonly rng: Rng,
    private readonly factory: RecordFactory,
    private readonly opts: ResolvedOptions,
    private readonly accounts: DemoAccountSet,
  ) {
    this.sharedGrid = accounts.memberships.find(
      (m) => m.userId === accounts.byRole['grid-worker'].id,
    )?.scope;
  }

  *visitsOf(h: HouseholdInfo, people: HouseholdPeople, gridCode: string): Generator<Visit> {
    if (h.type === 'vacant') return;
    const { rng, opts } = this;
    const interval = people.tags.reduce(
      (min, t) => Math.min(min, INTERVAL.get(t) ?? Infinity),
      Infinity,
    );
    const times: number[] = [];
    if (Number.isFinite(interval)) {
      // Real gaps run over the schedule, more for some households than others (on average twice
      // the interval), which is what the "not visited in N days" risk rule is for. The first visit
      // falls somewhere in the first gap.
      const diligence = 1.2 + rng.next() * 2;
      let t = opts.startMs + rng.next() * interval * DAY;
      while (t < opts.nowMs) {
        times.push(t);
        t += interval * DAY * diligence * (0.8 + rng.next() * 0.4);
      }
    } else if (rng.chance(0.35)) {
      times.push(opts.startMs + rng.next() * (opts.nowMs - opts.startMs));
    }
    const worker = this.accounts.gridWorkers.get(gridCode);
    // The demo grid worker shares grid 001 of the first community with its regular worker.
    const shared = gridCode === this.sharedGrid;
    for (const rough of times) {
      const visitedMs = workingTime(rough, rng, opts.nowMs);
      if (visitedMs < opts.startMs) continue;
      const visitor = shared && rng.chance(0.5) ? this.accounts.byRole['grid-worker'] : worker;
      if (!visitor) continue;
      // Weekly welfare checks on people living alone are often a phone call.
      const method = interval <= 7 && rng.chance(0.5) ? 'phone' : 'in-person';
      const envelope = this.factory.envelope(gridCode, visitedMs);
      const withNeed = rng.chance(Number.isFinite(interval) ? 0.06 : 0.05);
      const category = withNeed ? leavesFor(people.tags, rng) : null;
      yield Object.assign(envelope, {
        householdId: h.id,
        visitorId: visitor.id,
        visitorName: visitor.displayName,
        visitedAt: envelope.createdAt,
        method,
        location: method === 'in-person' ? h.location : null,
        findings: category
          ? `走访中了解到居民有${category.name}方面的需求，已记录并上报社区。`
          : rng.pick(FINDINGS_OK),
      } satisfies Fields<Visit>);
      if (category)
        this.addNeed(
          h,
          people,
          gridCode,
          envelope.id,
          visitedMs,
          category,
          visitor.id,
          visitor.displayName,
        );
    }
  }

  private addNeed(
    h: HouseholdInfo,
    people: HouseholdPeople,
    gridCode: string,
    visitId: string,
    identifiedMs: number,
    category: NeedCategory,
    visitorId: string,
    visitorName: string,
  ): void {
    const { rng, opts } = this;
    const u = rng.next();
    const urgency = u < 0.2 ? 'low' : u < 0.8 ? 'normal' : u < 0.95 ? 'high' : 'urgent';
    // Days each step takes and the chance the need stalls before it (no resource, moved away…).
    const steps: readonly [days: number, spread: number, stall: number][] = [
      [1, 4, 0.05],
      [2, 8, 0.12],
      [1, 6, 0.08],
      [7, 40, 0.05],
      [3, 20, 0.2],
    ];
    const community = this.accounts.byRole.community;
    const events: { to: NeedStatus; at: number; actorId: string; actorName: string }[] = [
      {
        to: 'identified',
        at: identifiedMs + 5 * MINUTE,
        actorId: visitorId,
        actorName: visitorName,
      },
    ];
    let t = identifiedMs + 5 * MINUTE;
    for (let i = 0; i < steps.length; i++) {
      const [days, spread, stall] = steps[i] ?? [1, 1, 1];
      const to = STATUS_ORDER[i + 1];
      if (!to || rng.chance(stall)) break;
      t += (days + rng.next() * spread) * DAY * (urgency === 'urgent' ? 0.3 : 1);
      if (t >= opts.nowMs) break;
      const byCommunity = to === 'verified' || to === 'matched' || to === 'reviewed';
      events.push({
        to,
        at: Math.floor(t),
        actorId: byCommunity ? community.id : visitorId,
        actorName: byCommunity ? community.displayName : visitorName,
      });
    }
    const last = events[events.length - 1] ?? events[0];
    const lastAt = last?.at ?? identifiedMs;
    const needEnvelope = this.factory.envelope(gridCode, identifiedMs + 5 * MINUTE, lastAt);
    const dueDays = urgency === 'urgent' ? 7 : urgency === 'high' ? 15 : 30;
    this.needs.push(
      Object.assign(needEnvelope, {
        householdId: h.id,
        residentId: people.focusResidentId,
        visitId,
        category: category.code,
        layer: category.layer,
        urgency,
        description: `${category.name}：${people.focusAge >= 60 ? '老人' : '居民'}希望社区协调${category.name}相关服务。`,
        status: last?.to ?? 'identified',
        resourceId: null,
        dueDate: beijingDate(identifiedMs + dueDays * DAY),
      } satisfies Fields<Need>),
    );
    let from: NeedStatus | null = null;
    for (const e of events) {
      this.needEvents.push(
        Object.assign(this.factory.envelope(gridCode, e.at), {
          needId: needEnvelope.id,
          from,
          to: e.to,
          actorId: e.actorId,
          actorName: e.actorName,
          at: new Date(e.at).toISOString(),
          note: '',
        } satisfies Fields<NeedEvent>),
      );
      from = e.to;
    }
  }
}
