import { MATTER_CATEGORIES, type MatterCategory } from '../catalogs/matterCategories';
import type { Case, CaseEvent, CaseEventType, CaseSource, CaseStatus } from '../domain/case';
import type { Department } from '../domain/org';
import type { Building } from '../domain/place';
import type { User } from '../domain/account';
import type { DemoAccountSet } from './accounts';
import { DAY, HOUR, MINUTE, beijingDate, iso, type RecordFactory, type Fields } from './envelope';
import { PROPERTY_COMPANIES, communityDepartmentCode, leadDepartmentCode } from './departments';
import type { DemoGrid } from './grids';
import type { ResolvedOptions } from './options';
import type { HouseholdPeople } from './people';
import type { HouseholdInfo } from './places';
import { WeightedTable, type Rng } from './rng';

/**
 * 接诉即办 cases. Figures behind the mix: 12345 carries about 70% of a Beijing street's requests,
 * grid patrols (主动发现) most of the rest, and 未诉先办 a small but growing share; Beijing reports
 * 解决率/满意率 of roughly 90–95% (2023–24), so ~86% of cases close inside their limit and ~82% of
 * callers say they are satisfied. Heating complaints (the largest single category) only come in
 * the heating season, 15 November – 15 March.
 */

const SOURCES: readonly (readonly [CaseSource, number])[] = [
  ['hotline', 0.7],
  ['patrol', 0.18],
  ['walk-in', 0.05],
  ['online', 0.04],
  ['proactive', 0.03],
];

/** Hourly hotline volume in Beijing time: quiet nights, peaks mid-morning and afternoon. */
const HOUR_WEIGHTS = [
  1, 0.5, 0.3, 0.3, 0.3, 0.6, 1.5, 3, 7, 9, 9, 8, 6, 6, 8, 8, 8, 7, 5, 5, 5, 4, 3, 2,
];

/** Top levels a patrol finds in public space; the rest are called in by residents. */
const PATROL_TOPS = new Set(['01', '03', '06', '07', '09', '11', '16']);
/** Top levels tied to one flat: located at the caller's household. */
const HOUSEHOLD_TOPS = new Set(['02', '04', '05', '08', '10', '12', '13', '14', '17']);
/** Mostly questions (咨询): often answered directly by the street's intake desk. */
const CONSULT_TOPS = new Set(['08', '12', '13', '14', '17']);
/** Matters a street usually cannot solve alone: candidates for 吹哨报到. */
const WHISTLE_TOPS = new Set(['06', '10', '11']);

/** What callers say, per matter leaf; leaves without an entry get a generic sentence. */
const PHRASES: Record<string, readonly string[]> = {
  '0101': ['路面很久没有清扫，落叶和垃圾很多'],
  '0102': ['路边垃圾堆积多日无人清运', '垃圾桶满溢，气味很大'],
  '0103': ['电线杆和楼道里贴满小广告'],
  '0106': ['楼下绿地杂草丛生，无人养护'],
  '0107': ['树枝遮挡窗户和路灯，需要修剪', '大风后树木倒伏压在路边'],
  '0201': ['物业服务不到位，楼道卫生长期无人打扫', '物业人员态度差，报修没人管'],
  '0202': ['物业费调整未公示', '物业收取停车费标准不清'],
  '0203': ['单元门禁损坏一个多月物业未修', '楼道灯坏了很久没人修'],
  '0204': ['电梯经常停运，老人上下楼困难'],
  '0301': ['路面坑洼积水，老人出行不便'],
  '0302': ['井盖松动有安全隐患'],
  '0303': ['小区门口路灯不亮'],
  '0304': ['下雨后路面积水严重，下水道堵塞'],
  '0401': ['家中暖气不热，室温只有十四五度', '暖气片冰凉，家里有老人孩子'],
  '0402': ['咨询供暖费缴纳和报停手续'],
  '0403': ['突然停水，事先没有通知', '高峰时段水压低，楼上没水'],
  '0405': ['楼道有燃气味，担心泄漏', '燃气灶打不着火，燃气表异常'],
  '0406': ['家中突然停电，整栋楼都没电'],
  '0407': ['楼上管道漏水渗到家里'],
  '0501': ['夜间施工噪音扰民，影响休息'],
  '0502': ['广场舞音响声音过大', '楼上邻居夜间噪音大'],
  '0503': ['楼下餐馆营业到深夜，噪音很大'],
  '0505': ['空调外机和水泵噪音扰民'],
  '0601': ['有人在楼顶私搭乱建', '一层住户在院内加盖房屋'],
  '0602': ['一层住户私自破墙开门经营'],
  '0604': ['有人圈占楼前公共绿地停车'],
  '0701': ['小区周边违停严重，消防通道被占', '停车位不足，晚上找不到车位'],
  '0702': ['共享单车堆放在楼门口'],
  '0901': ['垃圾分类桶站设置不合理，气味大'],
  '0902': ['餐馆油烟直排进居民窗户'],
  '0903': ['工地扬尘严重，没有覆盖'],
  '1001': ['询问老旧小区综合整治什么时候开始'],
  '1002': ['希望老楼加装电梯，询问进展'],
  '1003': ['顶层房屋漏雨，墙皮脱落'],
  '1005': ['疑似群租，人员进出频繁'],
  '1101': ['楼道堆放杂物堵塞消防通道'],
  '1102': ['有人在楼道里给电动车充电'],
  '1104': ['楼上窗户松动有坠落危险'],
  '1201': ['咨询居家养老服务补贴'],
  '1202': ['咨询低保申请条件'],
  '1301': ['单位拖欠工资三个月未发'],
  '1302': ['社保转移接续办理不顺'],
  '1401': ['孩子入学划片问题咨询'],
  '1502': ['网购商品质量问题，商家拒绝退货'],
  '1503': ['健身房关门，预付卡无法退费'],
  '1601': ['路口有游商占道经营'],
  '1602': ['商户店外摆摊占用人行道'],
  '1604': ['有人遛狗不拴绳，还不清理粪便'],
};

const PREFIX: Record<CaseSource, string> = {
  hotline: '市民来电反映：',
  patrol: '网格员巡查发现：',
  'walk-in': '居民来访反映：',
  online: '居民网上留言：',
  proactive: '未诉先办：网格员走访发现',
};

/** Everything the case simulation reads: the street's places, people, departments and users. */
export interface CaseWorld {
  opts: ResolvedOptions;
  streetCode: string;
  grids: readonly DemoGrid[];
  households: readonly HouseholdInfo[];
  people: readonly HouseholdPeople[];
  buildings: readonly Building[];
  /** Buildings of each grid, as indexes into `buildings`. */
  buildingsByGrid: readonly number[][];
  departments: readonly Department[];
  accounts: DemoAccountSet;
}

interface TimelineEntry {
  type: CaseEventType;
  at: number;
  actor: User;
  departmentId: string | null;
  reason: string;
  data: Record<string, unknown>;
}

/** One simulated case: its record and its timeline up to "now". */
export interface SimulatedCase {
  id: string;
  scope: string;
  /** The case record; null when simulated only for its events. */
  row: Case | null;
  timeline: readonly TimelineEntry[];
}

const STATUS_AFTER: Partial<Record<CaseEventType, CaseStatus>> = {
  received: 'received',
  dispatched: 'dispatched',
  signed: 'signed',
  started: 'handling',
  returned: 'returned',
  resolved: 'resolved',
  'followed-up': 'followed-up',
  reopened: 'handling',
  archived: 'archived',
};

function limitMs(limit: MatterCategory['handleLimit']): number {
  // Working days ≈ 7/5 calendar days; the exact working-day calendar is applied by shared/cases.
  return limit.unit === 'hours' ? limit.value * HOUR : (limit.value * 7 * DAY) / 5;
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Simulates `households × casesPerHousehold` cases in time order. Running it twice with fresh
 * random streams gives the same cases, which is how case events are streamed after all cases
 * without keeping 150k timelines in memory.
 */
export function* simulateCases(
  world: CaseWorld,
  rng: Rng,
  factory: RecordFactory,
  withRows = true,
): Generator<SimulatedCase> {
  const { opts, accounts } = world;
  const total = Math.round(opts.households * opts.casesPerHousehold);
  if (total === 0 || world.households.length === 0) return;

  const leaves = MATTER_CATEGORIES.filter((c) => c.parent !== null);
  const isHeating = (c: MatterCategory) => c.code === '0401' || c.code === '0402';
  const inSeasonTable = new WeightedTable(
    leaves.map((c) => [c, c.share * (isHeating(c) ? 1.6 : 1)] as const),
  );
  const offSeasonTable = new WeightedTable(
    leaves.map((c) => [c, c.share * (c.code === '0401' ? 0.03 : c.code === '0402' ? 0.4 : 1)]),
  );
  const patrolTable = new WeightedTable(
    leaves
      .filter((c) => c.parent !== null && PATROL_TOPS.has(c.parent))
      .map((c) => [c, c.share] as const),
  );
  const sourceTable = new WeightedTable(SOURCES);
  const hourTable = new WeightedTable(HOUR_WEIGHTS.map((w, h) => [h, w] as const));
  // A few households call far more often than the rest (repeat complaints are a risk signal).
  const householdTable = new WeightedTable(
    world.households.map((h, i) => [i, h.type === 'vacant' ? 0.05 : rng.chance(0.05) ? 8 : 1]),
  );
  const deptByCode = new Map(world.departments.map((d) => [d.code, d]));
  const streetUser = accounts.byRole.street;

  // Receipt times first, sorted, so case numbers count up per day like a real register.
  const span = opts.nowMs - opts.startMs;
  const times = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    let t: number;
    do {
      const dayStart =
        Math.floor((opts.startMs + rng.next() * span + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
      t = dayStart + hourTable.draw(rng) * HOUR + rng.int(HOUR);
    } while (t >= opts.nowMs || t < opts.startMs);
    times[i] = t;
  }
  times.sort();

  let day = '';
  let dayCounter = 0;
  let hotlineCounter = 0;
  for (let i = 0; i < total; i++) {
    const receivedMs = times[i] ?? opts.startMs;
    const date = beijingDate(receivedMs);
    if (date !== day) {
      day = date;
      dayCounter = 0;
    }
    dayCounter++;
    const source = sourceTable.draw(rng);
    const md = Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
    const heatingSeason = md >= 1115 || md <= 315;
    const category =
      source === 'patrol' || source === 'proactive'
        ? patrolTable.draw(rng)
        : (heatingSeason ? inSeasonTable : offSeasonTable).draw(rng);
    const top = category.parent ?? category.code;

    // Where: the caller's flat for household matters, else a spot near a building of the grid.
    const hIndex = householdTable.draw(rng);
    const household = world.households[hIndex];
    const people = world.people[hIndex];
    if (!household || !people) continue;
    const grid = world.grids[household.gridIndex];
    if (!grid) continue;
    const atHousehold = HOUSEHOLD_TOPS.has(top);
    let address = household.address;
    let location: [number, number] = household.location;
    let compound = '';
    const gridBuildings = world.buildingsByGrid[household.gridIndex] ?? [];
    const building = world.buildings[rng.pick(gridBuildings.length > 0 ? gridBuildings : [0])];
    if (building) {
      compound = building.compound;
      if (!atHousehold) {
        address = `${building.address}附近`;
        location = building.location;
      }
    }

    const leadCode = leadDepartmentCode(category.code);
    const resolvedLeadCode =
      leadCode === 'PROPERTY'
        ? (PROPERTY_COMPANIES[hashString(compound) % PROPERTY_COMPANIES.length] ?? 'JD-SQZX')
        : leadCode === 'COMMUNITY'
          ? communityDepartmentCode(grid.community.code)
          : leadCode;
    let lead = deptByCode.get(resolvedLeadCode) ?? deptByCode.get('JD-SQZX');
    const gridWorker = accounts.gridWorkers.get(grid.code) ?? accounts.byRole['grid-worker'];
    const byResident = source === 'hotline' || source === 'walk-in' || source === 'online';
    const anonymous = byResident && rng.chance(0.1);

    const responseMs = limitMs(category.responseLimit);
    let handleMs = limitMs(category.handleLimit);
    const responseDeadline = receivedMs + responseMs;
    let handleDeadline = receivedMs + handleMs;

    const tl: TimelineEntry[] = [];
    const add = (
      type: CaseEventType,
      at: number,
      actor: User,
      departmentId: string | null = null,
      reason = '',
      data: Record<string, unknown> = {},
    ): number => {
      // Each event at least a minute after the previous one, so the timeline order is strict.
      const prev = tl[tl.length - 1]?.at;
      const when = prev === undefined ? Math.floor(at) : Math.max(Math.floor(at), prev + MINUTE);
      tl.push({ type, at: when, actor, departmentId, reason, data });
      return when;
    };
    const liaisonOf = (d: Department | undefined): User =>
      (d ? accounts.liaisons.get(d.code) : undefined) ?? accounts.byRole.department;

    let t = add('received', receivedMs, byResident ? streetUser : gridWorker);
    const selfHandled = !byResident && rng.chance(0.7);
    const directAnswer = byResident && rng.chance(CONSULT_TOPS.has(top) ? 0.5 : 0.08);
    let coDepartmentIds: string[] = [];
    if (selfHandled) {
      // Found and fixed on the spot by the grid worker (就地解决).
      lead = undefined;
      t = add('resolved', t + (0.5 + rng.next() * 5.5) * HOUR, gridWorker);
    } else {
      if (directAnswer) {
        // A question the street's 诉求处置中心 answers on the phone (直接答复), no dispatch.
        lead = deptByCode.get('JD-SQZX');
        t = add(
          'resolved',
          t + (0.3 + rng.next() * 6) * HOUR,
          streetUser,
          lead?.id ?? null,
          '直接答复',
        );
      } else {
        t = add(
          'dispatched',
          t + (5 + rng.next() * 55) * MINUTE,
          streetUser,
          lead?.id ?? null,
          '',
          {
            departmentCode: lead?.code ?? null,
          },
        );
        if (rng.chance(0.03)) {
          t = add(
            'returned',
            t + responseMs * (0.1 + rng.next() * 0.6),
            liaisonOf(lead),
            lead?.id ?? null,
            '非本单位职责，申请退回重新派单',
          );
          lead = deptByCode.get(lead?.code === 'JD-ZFD' ? 'JD-CGB' : 'JD-ZFD');
          t = add(
            'dispatched',
            t + (1 + rng.next() * 11) * HOUR,
            streetUser,
            lead?.id ?? null,
            '改派',
            {
              departmentCode: lead?.code ?? null,
            },
          );
        }
        const late = rng.chance(0.05);
        t = add(
          'signed',
          Math.max(t, receivedMs) +
            responseMs * (late ? 1.05 + rng.next() : 0.05 + rng.next() * 0.6),
          liaisonOf(lead),
          lead?.id ?? null,
        );
        if ((WHISTLE_TOPS.has(top) && rng.chance(0.2)) || rng.chance(0.01)) {
          const pool = world.departments.filter(
            (d) => d.kind === 'district-department' && d.id !== lead?.id,
          );
          const co = [rng.pick(pool), rng.pick(pool)].filter((d, k, all) => all.indexOf(d) === k);
          coDepartmentIds = co.map((d) => d.id);
          t = add(
            'whistle-blown',
            t + (2 + rng.next() * 22) * HOUR,
            streetUser,
            null,
            '街乡吹哨：需多部门协同处置',
            {
              departmentIds: coDepartmentIds,
            },
          );
          for (const d of co)
            t = add('reported-in', t + (1 + rng.next() * 23) * HOUR, liaisonOf(d), d.id);
        }
        if (category.handleLimit.value >= 10 && rng.chance(0.05)) {
          t = add(
            'extension-requested',
            t + handleMs * 0.4,
            liaisonOf(lead),
            lead?.id ?? null,
            '需协调多方，申请延期',
          );
          t = add(
            'extension-approved',
            t + (2 + rng.next() * 18) * HOUR,
            streetUser,
            lead?.id ?? null,
          );
          handleMs *= 1.5;
          handleDeadline = receivedMs + handleMs;
        }
        if (rng.chance(0.12))
          t = add(
            'started',
            t + (0.5 + rng.next() * 23.5) * HOUR,
            liaisonOf(lead),
            lead?.id ?? null,
          );
        const onTime = rng.chance(0.86);
        let resolveAt =
          receivedMs + handleMs * (onTime ? 0.1 + rng.next() * 0.85 : 1.05 + rng.next() * 1.2);
        if (!onTime && rng.chance(0.6)) {
          const supervisedAt = handleDeadline + (2 + rng.next() * 28) * HOUR;
          if (supervisedAt > t && supervisedAt < resolveAt) {
            t = add(
              'supervised',
              supervisedAt,
              streetUser,
              lead?.id ?? null,
              '超期未办结，街道督办',
            );
          }
        }
        resolveAt = Math.max(resolveAt, t + 10 * MINUTE);
        t = add('resolved', resolveAt, liaisonOf(lead), lead?.id ?? null);
      }
      // 12345 calls back on every hotline case; the street on half of its own walk-in/online ones.
      if (source === 'hotline' || (byResident && rng.chance(0.5))) {
        // 12345's own 回访: reached or not, solved or not, how satisfied.
        const followUpOnce = (at: number, reopened: boolean): [number, string | null] => {
          const contacted = rng.chance(0.93);
          const solved = contacted ? rng.chance(reopened ? 0.95 : 0.9) : null;
          const s = rng.next();
          const satisfaction = !contacted
            ? null
            : solved
              ? s < 0.88
                ? 'satisfied'
                : s < 0.97
                  ? 'basically-satisfied'
                  : 'unsatisfied'
              : s < 0.4
                ? 'basically-satisfied'
                : 'unsatisfied';
          const data = { contacted, resolved: solved, satisfaction };
          return [add('followed-up', at, streetUser, null, '', data), satisfaction];
        };
        const [followedAt, satisfaction] = followUpOnce(t + (4 + rng.next() * 68) * HOUR, false);
        t = followedAt;
        if (satisfaction === 'unsatisfied' && rng.chance(0.35)) {
          t = add(
            'reopened',
            t + (1 + rng.next() * 23) * HOUR,
            streetUser,
            lead?.id ?? null,
            '回访不满意，重新办理',
          );
          t = add('resolved', t + (1 + rng.next() * 4) * DAY, liaisonOf(lead), lead?.id ?? null);
          t = followUpOnce(t + (1 + rng.next()) * DAY, true)[0];
        }
      }
    }
    add('archived', t + (1 + rng.next() * 3) * DAY, streetUser);

    // Cut the ideal timeline at "now": what is left decides the status and the case's fields.
    const timeline = tl.filter((e) => e.at <= opts.nowMs);
    // Draw everything random before the early exit, so both passes consume the same stream.
    const id = factory.id(receivedMs);
    const phrase = rng.pick(PHRASES[category.code] ?? [`反映${category.name}方面的问题`]);
    if (source === 'hotline') hotlineCounter++;
    if (!withRows) {
      yield { id, scope: grid.code, row: null, timeline };
      continue;
    }
    let status: CaseStatus = 'received';
    let respondedAt: number | null = null;
    let resolvedAt: number | null = null;
    let closedAt: number | null = null;
    let followUp: Case['followUp'] = null;
    let reopenCount = 0;
    let supervised = false;
    for (const e of timeline) {
      status = STATUS_AFTER[e.type] ?? status;
      const firstContact =
        e.type === 'signed' ||
        (selfHandled && e.type === 'received') ||
        (directAnswer && e.type === 'resolved');
      if (firstContact && respondedAt === null) respondedAt = e.at;
      if (e.type === 'resolved') resolvedAt = e.at;
      if (e.type === 'archived') closedAt = e.at;
      if (e.type === 'reopened') {
        reopenCount++;
        resolvedAt = null;
      }
      if (e.type === 'supervised') supervised = true;
      if (e.type === 'followed-up') {
        const d = e.data;
        followUp = {
          contacted: d.contacted === true,
          resolved: typeof d.resolved === 'boolean' ? d.resolved : null,
          satisfaction:
            d.satisfaction === 'satisfied' ||
            d.satisfaction === 'basically-satisfied' ||
            d.satisfaction === 'unsatisfied'
              ? d.satisfaction
              : null,
          at: iso(e.at),
          note: d.contacted === true ? '' : '多次联系未接通',
        };
      }
    }
    const lastAt = timeline[timeline.length - 1]?.at ?? receivedMs;
    const caseNo = `GW${date.replace(/-/g, '')}-${String(dayCounter).padStart(6, '0')}`;
    const row: Case = Object.assign(factory.envelope(grid.code, receivedMs, lastAt, id), {
      caseNo,
      source,
      workOrderNo:
        source === 'hotline'
          ? `12345-${date.replace(/-/g, '')}-${String(hotlineCounter).padStart(7, '0')}`
          : null,
      category: category.code,
      description: `${PREFIX[source]}${phrase}（${category.name}），地点：${address}。`,
      address,
      location,
      reporterName: byResident && !anonymous ? people.contactName : null,
      reporterPhone: byResident && !anonymous ? people.contactPhone : null,
      gridCode: grid.code,
      communityCode: grid.community.code,
      streetCode: world.streetCode,
      householdId: atHousehold ? household.id : null,
      status,
      receivedAt: iso(receivedMs),
      responseDeadline: iso(responseDeadline),
      handleDeadline: iso(handleDeadline),
      leadDepartmentId: lead?.id ?? null,
      coDepartmentIds,
      respondedAt: respondedAt === null ? null : iso(respondedAt),
      resolvedAt: resolvedAt === null ? null : iso(resolvedAt),
      closedAt: closedAt === null ? null : iso(closedAt),
      followUp,
      supervised,
      reopenCount,
    } satisfies Fields<Case>);
    yield { id, scope: grid.code, row, timeline };
  }
}

/** The case-event rows of one simulated case. */
export function caseEventRows(sim: SimulatedCase, factory: RecordFactory): CaseEvent[] {
  return sim.timeline.map((e) =>
    Object.assign(factory.envelope(sim.scope, e.at), {
      caseId: sim.id,
      type: e.type,
      at: iso(e.at),
      actorId: e.actor.id,
      actorName: e.actor.displayName,
      departmentId: e.departmentId,
      reason: e.reason,
      data: e.data,
    } satisfies Fields<CaseEvent>),
  );
}
